-- articles: one row per story (deduplicated). Public API: see sql/README.md.
-- grain: article_id
create or replace view main.articles as
with

stories as (
    select * from internal.int_stories
),

pages as (
    select * from staging.stg_pages
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
        stories.url,
        stories.source,
        ---------- content
        stories.title,
        pages.author,
        stories.published_date,
        stories.date_source,
        pages.updated_date,
        pages.language,
        pages.word_count,
        pages.text,
        pages.spam_score,
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
comment on column main.articles.url is 'The story''s home URL: where its original publisher put it (earliest published, not declaring a canonical elsewhere), as its rel=canonical names it.';
comment on column main.articles.source is 'The configured source the story''s home page was fetched from.';
comment on column main.articles.title is 'Title from the page metadata (og:title, <title>, <h1>).';
comment on column main.articles.author is 'Author(s) as the page names them; null when none is given.';
comment on column main.articles.published_date is 'Publication date: from the page (JSON-LD, meta, URL or text; dates after the fetch or before 1990 rejected), else the day the story was first seen.';
comment on column main.articles.date_source is 'Where published_date came from: json-ld, meta, url, text, or first_seen (the page gave no usable date).';
comment on column main.articles.updated_date is 'Last modification date the page declares (JSON-LD dateModified, article:modified_time), when later than published_date.';
comment on column main.articles.language is 'ISO 639-1 code detected from the text (py3langid); non-English stories are kept.';
comment on column main.articles.word_count is 'Words (\w+ tokens) in text.';
comment on column main.articles.text is 'Main text of the latest fetch of the story''s home URL, boilerplate removed; one paragraph per line.';
comment on column main.articles.spam_score is 'Share of the page''s text lines that were keyword stuffing (short lines repeated within the page), 0 to 1; SEO pages score above 0.05, reporting 0.';
comment on column main.articles.first_seen_at is 'When psynews first fetched any page of the story (UTC).';
comment on column main.articles.last_seen_at is 'When psynews last fetched any page of the story (UTC).';
comment on column main.articles.copies is 'How many other URLs carry the same story (see article_copies).';
