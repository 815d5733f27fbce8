-- internal.int_topic_pairs_by_month: topic_pairs_by_month added up from the stories' topic mentions; kept
-- as table internal.mat_topic_pairs_by_month, refreshed for the months a run touched.
-- order: month, substance, condition
create or replace view internal.int_topic_pairs_by_month as
with

mentions as (
    -- the relevant stories' topics, with their month (a story-grain table, never narrowed by a refresh)
    select * from internal.mat_story_topics
),

topics as (
    select * from staging.stg_ref_topics
),

story_topics as (
    select
        mentions.article_id,
        mentions.month,
        mentions.topic_id,
        topics.kind
    from mentions
    inner join topics on mentions.topic_id = topics.topic_id
    where topics.kind in ('substance', 'condition')
),

final as (
    select
        substances.month,
        substances.topic_id as substance,
        conditions.topic_id as condition,
        count(*) as stories
    from story_topics as substances
    inner join story_topics as conditions on substances.article_id = conditions.article_id
    where substances.kind = 'substance' and conditions.kind = 'condition'
    group by substances.month, substances.topic_id, conditions.topic_id
)

select * from final;
