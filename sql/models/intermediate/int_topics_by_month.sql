-- internal.int_topics_by_month: topics_by_month added up from the stories' topic mentions; kept as table
-- internal.mat_topics_by_month, refreshed for the months a run touched.
-- order: month, topic_id
create or replace view internal.int_topics_by_month as
with

stories as (
    select * from internal.mat_story_facts where is_relevant
),

mentions as (
    select * from internal.mat_story_topics
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
        mentions.month,
        mentions.topic_id,
        count(*) as stories,
        sum(mentions.mentions) as mentions
    from mentions
    group by mentions.month, mentions.topic_id
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
