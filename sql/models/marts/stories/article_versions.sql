-- article_versions: one row per story and distinct text it has had. Public API: see sql/README.md.
-- grain: article_id, version
create or replace view main.article_versions as
with

article_pages as (
    select * from staging.stg_pages
    where is_article and article_id is not null and story_match = 'home'
),

versions as (
    select
        article_id,
        text_hash,
        min(fetched_at) as first_seen_at,
        max(fetched_at) as last_seen_at,
        arg_min(title, fetched_at) as title,
        arg_min(text, fetched_at) as text,
        arg_min(word_count, fetched_at) as word_count,
        count(*) as fetches
    from article_pages
    group by article_id, text_hash
),

final as (
    select
        article_id,
        row_number() over (partition by article_id order by first_seen_at, text_hash)::integer as version,
        text_hash,
        title,
        word_count,
        text,
        first_seen_at,
        last_seen_at,
        fetches
    from versions
)

select * from final;

comment on view main.article_versions is 'One row per story and each distinct text its home URL has had: a page edited after publication has several versions. Grain: (article_id, version).';
comment on column main.article_versions.article_id is 'The story (articles.article_id).';
comment on column main.article_versions.version is '1 for the first text seen, then 2, 3, ... in order of first sight.';
comment on column main.article_versions.text_hash is 'sha1 of the version''s words.';
comment on column main.article_versions.title is 'Title when this version was first seen.';
comment on column main.article_versions.word_count is 'Words in this version.';
comment on column main.article_versions.text is 'The version''s cleaned text.';
comment on column main.article_versions.first_seen_at is 'When this text was first fetched (UTC).';
comment on column main.article_versions.last_seen_at is 'When this text was last fetched (UTC).';
comment on column main.article_versions.fetches is 'Fetches that returned this text.';
