-- internal.int_claims_by_month: claims_by_month computed from the stories; kept as table
-- internal.mat_claims_by_month, refreshed for the months a run touched.
-- order: month, claim_key
create or replace view internal.int_claims_by_month as
with

stories as (
    select * from internal.mat_story_facts where is_relevant
),

claims as (
    select * from internal.int_claims
),

final as (
    select
        stories.month,
        claims.claim_key,
        -- topics as ENUMs (a topic no longer in the taxonomy reads null until the run re-analyses the story)
        try_cast(any_value(claims.substance) as {{ topic_id }}) as substance,
        try_cast(any_value(claims.condition) as {{ topic_id }}) as condition,
        any_value(claims.claim_type)::{{ claim_type }} as claim_type,
        any_value(claims.polarity)::{{ polarity }} as polarity,
        count(distinct claims.article_id) as stories,
        count(*) as claims,
        count(*) filter (where claims.is_hedged) as hedged_claims,
        count(*) filter (where claims.has_hype) as hype_claims,
        count(*) filter (where claims.has_evidence) as evidence_claims,
        round(avg(claims.is_hedged::integer), 4) as hedged_share,
        round(avg(claims.has_evidence::integer), 4) as evidence_share,
        round(avg(claims.has_hype::integer), 4) as hype_share
    from claims
    inner join stories on claims.article_id = stories.article_id
    group by stories.month, claims.claim_key
)

select * from final;
