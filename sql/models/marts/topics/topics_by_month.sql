-- topics_by_month: one row per month and topic. Public API: see sql/README.md.
-- grain: month, topic_id
create or replace view main.topics_by_month as
with

materialised as (
    -- refreshed at publish from what each run touched (flows/store/materialise.py)
    select * from internal.mat_topics_by_month
),

final as (
    select
        month,
        topic_id,
        kind,
        label,
        stories,
        mentions,
        all_stories,
        share
    from materialised
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
