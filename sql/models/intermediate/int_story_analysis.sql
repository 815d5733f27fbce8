-- internal.int_story_analysis: one row per analysed story, with the month it counts in.
create or replace view internal.int_story_analysis as
with

stories as (
    select * from internal.int_stories
),

analysed as (
    select * from staging.stg_analysed_articles
),

final as (
    select
        stories.article_id,
        stories.url,
        stories.title,
        stories.source,
        stories.published_date,
        date_trunc('month', stories.published_date)::date as month,
        analysed.relevance,
        -- off-topic pages from general news sources stay out of the trends
        analysed.relevance >= {{ relevance_threshold }} as is_relevant
    from stories
    inner join analysed on stories.article_id = analysed.article_id
)

select * from final;
