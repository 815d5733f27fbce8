-- internal.int_retracted_citations: retracted_citations computed from the stories; kept as table
-- internal.mat_retracted_citations, refreshed for the stories a run touched.
-- order: published_date, article_id, study_key
create or replace view internal.int_retracted_citations as
with

stories as (
    select * from internal.mat_story_facts where is_analysed
),

citations as (
    select * from internal.int_citations
),

retracted as (
    select study_key, title, retraction_date from staging.stg_ref_studies where is_retracted
),

final as (
    select
        citations.article_id,
        stories.title,
        stories.url,
        stories.source,
        stories.published_date,
        citations.study_key,
        retracted.title as study_title,
        retracted.retraction_date,
        stories.published_date > retracted.retraction_date as is_cited_after_retraction
    from citations
    inner join retracted on citations.study_key = retracted.study_key
    inner join stories on citations.article_id = stories.article_id
)

select * from final;
