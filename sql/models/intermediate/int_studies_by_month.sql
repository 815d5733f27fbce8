-- internal.int_studies_by_month: studies_by_month computed from the stories, with the first and
-- last citing dates that studies needs; kept as table internal.mat_studies_by_month, refreshed for
-- the months a run touched.
-- order: month, study_key
create or replace view internal.int_studies_by_month as
with

stories as (
    select * from internal.mat_story_facts where is_analysed
),

citations as (
    select * from internal.int_citations
),

studies as (
    select study_key, first_author, year, is_retracted from staging.stg_ref_studies
),

final as (
    select
        stories.month,
        citations.study_key,
        any_value(studies.first_author) as first_author,
        any_value(studies.year) as year,
        any_value(studies.is_retracted) as is_retracted,
        count(distinct citations.article_id) as citing_stories,
        min(stories.published_date) as first_cited_date,
        max(stories.published_date) as last_cited_date
    from citations
    inner join stories on citations.article_id = stories.article_id
    inner join studies on citations.study_key = studies.study_key
    group by stories.month, citations.study_key
)

select * from final;
