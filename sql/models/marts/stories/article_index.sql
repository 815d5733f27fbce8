-- article_index: one row per story, the light columns of articles. Public API: see sql/README.md.
-- grain: article_id
create or replace view main.article_index as
with

materialised as (
    -- refreshed at publish from what each run touched (flows/store/materialise.py)
    select * from internal.mat_article_index
),

final as (
    select
        article_id,
        source,
        url,
        title,
        published_date,
        month,
        first_seen_at,
        is_relevant,
        substances
    from materialised
)

select * from final;


comment on view main.article_index is 'One row per story: the columns of articles that listings and totals need, without the text, kept as a table. Grain: article_id.';
comment on column main.article_index.article_id is 'The story (articles.article_id).';
comment on column main.article_index.source is 'Source of the story''s home page.';
comment on column main.article_index.url is 'The story''s home URL (articles.url).';
comment on column main.article_index.title is 'The story''s title.';
comment on column main.article_index.published_date is 'The story''s published_date (articles.published_date).';
comment on column main.article_index.month is 'First day of the month of published_date.';
comment on column main.article_index.first_seen_at is 'When psynews first fetched a page of the story (UTC).';
comment on column main.article_index.is_relevant is 'The story is analysed and counts in the trend views (relevance >= {{ relevance_threshold }}).';
comment on column main.article_index.substances is 'Taxonomy ids of the substances the story mentions (topic_mentions of kind substance), sorted.';
