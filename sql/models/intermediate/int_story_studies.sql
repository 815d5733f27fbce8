-- internal.int_story_studies: one row per analysed story and catalogue study it cites, with the
-- story's month and date: what studies_by_month adds up. Kept as table internal.mat_story_studies,
-- refreshed for the stories a run touched.
create or replace view internal.int_story_studies as
with

stories as (
    select * from internal.mat_story_facts where is_analysed
),

citations as (
    select * from internal.int_citations
),

final as (
    select
        citations.article_id,
        stories.month,
        citations.study_key,
        stories.published_date
    from citations
    inner join stories on citations.article_id = stories.article_id
)

select * from final;
