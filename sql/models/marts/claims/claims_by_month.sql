-- claims_by_month: one row per month and claim key. Public API: see sql/README.md.
-- grain: month, claim_key
create or replace view main.claims_by_month as
with

claims as (
    select all_claims.*
    from main.claims as all_claims
    inner join internal.int_story_analysis as stories
        on all_claims.article_id = stories.article_id
    where stories.is_relevant
),

final as (
    select
        month,
        claim_key,
        any_value(substance) as substance,
        any_value(condition) as condition,
        any_value(claim_type) as claim_type,
        any_value(polarity) as polarity,
        count(distinct article_id) as stories,
        count(*) as claims,
        round(avg(is_hedged::integer), 4) as hedged_share,
        round(avg(has_evidence::integer), 4) as evidence_share,
        round(avg(has_hype::integer), 4) as hype_share
    from claims
    group by month, claim_key
)

select * from final;

comment on view main.claims_by_month is 'One row per month and claim key (substance, condition, type, polarity) among relevant stories. Grain: (month, claim_key).';
comment on column main.claims_by_month.month is 'First day of the month (stories by published_date).';
comment on column main.claims_by_month.claim_key is 'substance|condition|claim_type|polarity.';
comment on column main.claims_by_month.substance is 'Part of the key.';
comment on column main.claims_by_month.condition is 'Part of the key (null when none).';
comment on column main.claims_by_month.claim_type is 'Part of the key.';
comment on column main.claims_by_month.polarity is 'Part of the key.';
comment on column main.claims_by_month.stories is 'Stories asserting the claim that month (each story once).';
comment on column main.claims_by_month.claims is 'Claim sentences (a story may assert it more than once).';
comment on column main.claims_by_month.hedged_share is 'Share of those claim sentences that are hedged.';
comment on column main.claims_by_month.evidence_share is 'Share with a citation in the story (any evidence other than none).';
comment on column main.claims_by_month.hype_share is 'Share with an overclaim cue.';
