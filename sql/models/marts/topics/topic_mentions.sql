-- topic_mentions: one row per story and taxonomy topic it discusses. Public API: see sql/README.md.
-- grain: article_id, topic_id
create or replace view main.topic_mentions as
with

stories as (
    select * from internal.int_story_analysis
),

mentions as (
    select * from staging.stg_article_topics
),

topics as (
    select * from staging.stg_ref_topics
),

final as (
    select
        mentions.article_id,
        mentions.topic_id,
        topics.kind,
        topics.label,
        mentions.mentions,
        mentions.in_title,
        stories.source,
        stories.published_date,
        stories.month,
        stories.relevance,
        stories.is_relevant
    from mentions
    inner join stories on mentions.article_id = stories.article_id
    inner join topics on mentions.topic_id = topics.topic_id
)

select * from final;

comment on view main.topic_mentions is 'One row per story and taxonomy topic (substance, condition, organization, theme) it mentions. Grain: (article_id, topic_id).';
comment on column main.topic_mentions.article_id is 'The story (articles.article_id).';
comment on column main.topic_mentions.topic_id is 'Taxonomy id (sql/reference/taxonomy.csv).';
comment on column main.topic_mentions.kind is 'substance, condition, organization or theme.';
comment on column main.topic_mentions.label is 'The topic''s display name.';
comment on column main.topic_mentions.mentions is 'Times the title and text mention the topic (any synonym; longest match wins; case-sensitive acronyms).';
comment on column main.topic_mentions.in_title is 'The title mentions the topic.';
comment on column main.topic_mentions.source is 'Source of the story''s home page.';
comment on column main.topic_mentions.published_date is 'The story''s published_date (articles.published_date).';
comment on column main.topic_mentions.month is 'First day of the month of published_date.';
comment on column main.topic_mentions.relevance is 'How much the story is about psychedelic medicine, 0 to 1 (see flows/topics.py).';
comment on column main.topic_mentions.is_relevant is 'relevance >= {{ relevance_threshold }}: the story counts in the trend views.';
