-- internal.int_story_topics: one row per topic mention of a relevant story, with the story's month:
-- what topics_by_month adds up. Kept as table internal.mat_story_topics, refreshed for the stories a
-- run touched.
create or replace view internal.int_story_topics as
with

stories as (
    select * from internal.mat_story_facts where is_relevant
),

mentions as (
    select * from staging.stg_article_topics
    -- all stories here; a refresh narrows this to the stories it recomputes (flows/store/db.py)
    where {{ story_scope }}
),

final as (
    select
        mentions.article_id,
        stories.month,
        mentions.topic_id,
        mentions.mentions
    from mentions
    inner join stories on mentions.article_id = stories.article_id
)

select * from final;
