-- article_copies: one row per (story, other URL carrying it). Public API: see sql/README.md.
create or replace view main.article_copies as
with

stories as (
    select * from internal.int_stories
),

article_pages as (
    select * from internal.pages
    where is_article and article_id is not null
),

home_urls as (
    select stories.article_id, article_pages.canonical_url as url
    from stories
    inner join article_pages on stories.page_id = article_pages.page_id
),

other_urls as (
    select
        article_pages.article_id,
        article_pages.url,
        arg_min(article_pages.source, article_pages.fetched_at) as source,
        min(article_pages.fetched_at) as first_seen_at,
        bool_or(
            article_pages.url_key = stories.home_key
            or article_pages.canonical_key = stories.home_key
        ) as is_url_variant
    from article_pages
    inner join stories on article_pages.article_id = stories.article_id
    left join home_urls
        on article_pages.article_id = home_urls.article_id
        and article_pages.url = home_urls.url
    where home_urls.url is null
    group by article_pages.article_id, article_pages.url
),

final as (
    select
        article_id,
        url,
        source,
        case when is_url_variant then 'url variant' else 'same text' end as match,
        first_seen_at
    from other_urls
)

select * from final;

comment on view main.article_copies is 'One row per story and other URL it was found at. Grain: (article_id, url).';
comment on column main.article_copies.article_id is 'The story (articles.article_id).';
comment on column main.article_copies.url is 'Another URL, as fetched, that carries the story.';
comment on column main.article_copies.source is 'Source the copy was first fetched from.';
comment on column main.article_copies.match is '''url variant'': the same page under another URL (case, slash, tracking parameters, rel=canonical); ''same text'': identical words at another URL.';
comment on column main.article_copies.first_seen_at is 'When psynews first fetched the copy (UTC).';
