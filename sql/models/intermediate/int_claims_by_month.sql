-- internal.int_claims_by_month: claims_by_month added up from the stories' claim counts; kept as table
-- internal.mat_claims_by_month, refreshed for the (month, claim key) groups a run touched.
-- order: month, claim_key
create or replace view internal.int_claims_by_month as
with

story_claims as (
    select * from internal.mat_story_claims
    -- all groups here; a refresh narrows this to the groups it recomputes (flows/store/db.py)
    where {{ group_scope }}
),

final as (
    select
        month,
        claim_key,
        -- topics as ENUMs (a topic no longer in the taxonomy reads null until the run re-analyses the story)
        try_cast(any_value(substance) as {{ topic_id }}) as substance,
        try_cast(any_value(condition) as {{ topic_id }}) as condition,
        any_value(claim_type)::{{ claim_type }} as claim_type,
        any_value(polarity)::{{ polarity }} as polarity,
        -- one row per story and key, so rows count stories
        count(*) as stories,
        sum(claims)::bigint as claims,
        sum(hedged_claims)::bigint as hedged_claims,
        sum(hype_claims)::bigint as hype_claims,
        sum(evidence_claims)::bigint as evidence_claims,
        round(sum(hedged_claims) / sum(claims), 4) as hedged_share,
        round(sum(evidence_claims) / sum(claims), 4) as evidence_share,
        round(sum(hype_claims) / sum(claims), 4) as hype_share
    from story_claims
    group by month, claim_key
)

select * from final;
