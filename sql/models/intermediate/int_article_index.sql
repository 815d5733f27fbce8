-- internal.int_article_index: article_index computed from the stories; kept as table
-- internal.mat_article_index, refreshed for the stories a run touched.
-- order: published_date desc, first_seen_at desc, article_id
create or replace view internal.int_article_index as
with

stories as (
    select * from internal.mat_story_facts
),

mentions as (
    select * from staging.stg_article_topics
),

topics as (
    select * from staging.stg_ref_topics where kind = 'substance'
),

story_substances as (
    select
        mentions.article_id,
        list(mentions.topic_id order by mentions.topic_id) as substances
    from mentions
    inner join topics on mentions.topic_id = topics.topic_id
    group by mentions.article_id
),

final as (
    select
        stories.article_id,
        stories.source,
        stories.url,
        stories.title,
        stories.published_date,
        stories.month,
        stories.first_seen_at,
        stories.is_relevant,
        coalesce(story_substances.substances, []) as substances
    from stories
    left join story_substances on stories.article_id = story_substances.article_id
)

select * from final;
