-- articles: one row per story (deduplicated). Public API: see sql/README.md.
create or replace view main.articles as
with

stories as (
    select * from internal.int_stories
),

pages as (
    select * from internal.pages
),

copy_counts as (
    select
        article_id,
        count(*) as copies
    from main.article_copies
    group by article_id
),

final as (
    select
        ---------- ids
        stories.article_id,
        pages.canonical_url as url,
        pages.source,
        ---------- content
        pages.title,
        pages.author,
        pages.published_date,
        pages.language,
        pages.word_count,
        pages.text,
        ---------- timestamps
        stories.first_seen_at,
        stories.last_seen_at,
        ---------- copies
        coalesce(copy_counts.copies, 0)::integer as copies
    from stories
    inner join pages on stories.page_id = pages.page_id
    left join copy_counts on stories.article_id = copy_counts.article_id
)

select * from final;

comment on view main.articles is 'One row per story: deduplicated articles with their current text. Grain: article_id.';
comment on column main.articles.article_id is 'Stable story id: first 16 hex digits of sha1 of the earliest page''s canonical URL key.';
comment on column main.articles.url is 'The story''s canonical URL (rel=canonical on the same host, else the fetched URL without tracking parameters).';
comment on column main.articles.source is 'Name of the configured source the story was first found on.';
comment on column main.articles.title is 'Title from the page metadata (og:title, <title>, <h1>).';
comment on column main.articles.author is 'Author(s) as the page names them; null when none is given.';
comment on column main.articles.published_date is 'Publication date found in the page (JSON-LD, meta, URL or text); null when none, after the fetch, or before 1990.';
comment on column main.articles.language is 'ISO 639-1 code detected from the text.';
comment on column main.articles.word_count is 'Words (\w+ tokens) in text.';
comment on column main.articles.text is 'Main text of the latest fetch of the story''s canonical URL, boilerplate removed; paragraphs separated by newlines.';
comment on column main.articles.first_seen_at is 'When psynews first fetched any page of the story (UTC).';
comment on column main.articles.last_seen_at is 'When psynews last fetched any page of the story (UTC).';
comment on column main.articles.copies is 'How many other URLs carry the same story (see article_copies).';
