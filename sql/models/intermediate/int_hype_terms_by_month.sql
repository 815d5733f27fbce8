-- internal.int_hype_terms_by_month: hype_terms_by_month computed from the stories; kept as table
-- internal.mat_hype_terms_by_month, refreshed for the months a run touched.
-- order: month, substance, term
create or replace view internal.int_hype_terms_by_month as
with

stories as (
    select * from internal.mat_story_facts where is_relevant
),

claims as (
    select * from internal.int_claims where has_hype
),

uses as (
    select
        stories.month,
        coalesce(claims.substance, '-') as substance,
        unnest(claims.hype_cues) as term
    from claims
    inner join stories on claims.article_id = stories.article_id
),

final as (
    select
        month,
        substance,
        term,
        count(*) as uses
    from uses
    group by month, substance, term
)

select * from final;
