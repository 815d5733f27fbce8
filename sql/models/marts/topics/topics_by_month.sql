-- topics_by_month: one row per month and topic. Public API: see sql/README.md.
-- grain: month, topic_id
create or replace view main.topics_by_month as
with

stories as (
    select * from internal.int_story_analysis where is_relevant
),

mentions as (
    select * from staging.stg_article_topics
),

topics as (
    select * from staging.stg_ref_topics
),

month_totals as (
    select month, count(*) as all_stories
    from stories
    group by month
),

topic_stories as (
    select
        stories.month,
        mentions.topic_id,
        count(*) as stories,
        sum(mentions.mentions) as mentions
    from mentions
    inner join stories on mentions.article_id = stories.article_id
    group by stories.month, mentions.topic_id
),

final as (
    select
        topic_stories.month,
        topic_stories.topic_id,
        topics.kind,
        topics.label,
        topic_stories.stories,
        topic_stories.mentions::bigint as mentions,
        month_totals.all_stories,
        round(topic_stories.stories / month_totals.all_stories, 4) as share
    from topic_stories
    inner join month_totals on topic_stories.month = month_totals.month
    inner join topics on topic_stories.topic_id = topics.topic_id
)

select * from final;

comment on view main.topics_by_month is 'One row per month and topic: how many relevant stories discussed it. Each deduplicated story counts once. Grain: (month, topic_id).';
comment on column main.topics_by_month.month is 'First day of the month (stories by published_date).';
comment on column main.topics_by_month.topic_id is 'Taxonomy id.';
comment on column main.topics_by_month.kind is 'substance, condition, organization or theme.';
comment on column main.topics_by_month.label is 'The topic''s display name.';
comment on column main.topics_by_month.stories is 'Relevant stories that month mentioning the topic.';
comment on column main.topics_by_month.mentions is 'Mentions of the topic in those stories.';
comment on column main.topics_by_month.all_stories is 'All relevant stories that month (relevance >= {{ relevance_threshold }}).';
comment on column main.topics_by_month.share is 'stories / all_stories.';
