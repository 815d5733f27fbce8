-- internal.int_story_facts: one row per story with what the aggregates group and filter by.
-- Kept as table internal.mat_story_facts, refreshed for the stories a run touched.
create or replace view internal.int_story_facts as
with

stories as (
    select * from internal.int_stories
),

analysed as (
    select * from staging.stg_analysed_articles
),

final as (
    select
        ---------- ids
        stories.article_id,
        stories.source,
        stories.url,
        ---------- content
        stories.title,
        stories.published_date,
        date_trunc('month', stories.published_date)::date as month,
        stories.date_source,
        ---------- timestamps
        stories.first_seen_at,
        ---------- analysis (null until the story is analysed)
        analysed.relevance,
        analysed.article_id is not null as is_analysed,
        -- off-topic pages from general news sources stay out of the trends
        coalesce(analysed.relevance >= {{ relevance_threshold }}, false) as is_relevant
    from stories
    left join analysed on stories.article_id = analysed.article_id
)

select * from final;
