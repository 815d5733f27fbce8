-- internal.int_story_claims: one row per relevant story and claim key, with its claim counts: what
-- claims_by_month adds up. Kept as table internal.mat_story_claims, refreshed for the stories a run
-- touched, so a month's totals are a sum over narrow rows, not a join of every claim with every story.
create or replace view internal.int_story_claims as
with

stories as (
    select * from internal.mat_story_facts where is_relevant
),

claims as (
    select * from internal.int_claims
),

final as (
    select
        claims.article_id,
        stories.month,
        claims.claim_key,
        any_value(claims.substance) as substance,
        any_value(claims.condition) as condition,
        any_value(claims.claim_type) as claim_type,
        any_value(claims.polarity) as polarity,
        count(*) as claims,
        count(*) filter (where claims.is_hedged) as hedged_claims,
        count(*) filter (where claims.has_hype) as hype_claims,
        count(*) filter (where claims.has_evidence) as evidence_claims
    from claims
    inner join stories on claims.article_id = stories.article_id
    group by claims.article_id, stories.month, claims.claim_key
)

select * from final;
