-- internal.int_unsupported_claims: unsupported_claims computed from the stories; kept as table
-- internal.mat_unsupported_claims, refreshed for the stories a run touched.
-- order: published_date, article_id, claim_no
create or replace view internal.int_unsupported_claims as
with

stories as (
    select * from internal.mat_story_facts where is_analysed
),

claims as (
    select * from internal.int_claims
    where claim_type in ('efficacy', 'safety') and evidence = 'none'
),

final as (
    select
        claims.article_id,
        claims.claim_no,
        stories.title,
        stories.url,
        stories.source,
        stories.published_date,
        claims.sentence,
        claims.claim_type::{{ claim_type }} as claim_type,
        -- topics as ENUMs (a topic no longer in the taxonomy reads null until the run re-analyses the story)
        try_cast(claims.substance as {{ topic_id }}) as substance,
        try_cast(claims.condition as {{ topic_id }}) as condition,
        claims.polarity::{{ polarity }} as polarity,
        claims.is_hedged,
        claims.hype_cues
    from claims
    inner join stories on claims.article_id = stories.article_id
)

select * from final;
