-- article_copies: one row per (story, other URL carrying it). Public API: see sql/README.md.
-- grain: article_id, url
create or replace view main.article_copies as
with

copy_pages as (
    select * from staging.stg_pages
    where is_article and story_match is not null and story_match <> 'home'
),

latest_fetch as (
    -- a URL fetched several times is described by its latest fetch
    select
        article_id,
        url,
        source,
        story_match,
        similarity,
        syndicated_from,
        min(fetched_at) over (partition by article_id, url) as first_seen_at,
        row_number() over (
            partition by article_id, url order by fetched_at desc, page_id desc
        ) as recency
    from copy_pages
),

final as (
    select
        article_id,
        url,
        source,
        story_match as match,
        similarity,
        syndicated_from,
        first_seen_at
    from latest_fetch
    where recency = 1
)

select * from final;

comment on view main.article_copies is 'One row per story and other URL it was found at: URL variants, exact copies and near-duplicate (syndicated) copies. Grain: (article_id, url).';
comment on column main.article_copies.article_id is 'The story (articles.article_id).';
comment on column main.article_copies.url is 'Another URL, as fetched, that carries the story.';
comment on column main.article_copies.source is 'Source the copy was fetched from (its latest fetch).';
comment on column main.article_copies.match is '''url variant'': the same page under another URL (case, slash, tracking parameters, rel=canonical); ''same text'': identical words at another URL; ''near duplicate'': a copy with edits (estimated Jaccard similarity >= 0.6).';
comment on column main.article_copies.similarity is 'Estimated Jaccard similarity of 5-word shingles between the copy and the story''s current text (1.0 = same words).';
comment on column main.article_copies.syndicated_from is 'The URL on another host that the copy names as its canonical (the original it credits), if any.';
comment on column main.article_copies.first_seen_at is 'When psynews first fetched the copy (UTC).';
