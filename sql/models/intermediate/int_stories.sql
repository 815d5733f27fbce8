-- internal.int_stories: one row per story, with the page that carries its current text.
-- The home of each story is chosen in flows/dedupe/stories.py (pages.story_match = 'home').
create or replace view internal.int_stories as
with

pages as (
    select * from staging.stg_pages
    where is_article and article_id is not null
        -- all stories here; a refresh narrows this to the stories it recomputes (flows/store/db.py)
        and {{ story_scope }}
),

home_pages as (
    select
        article_id,
        page_id,
        source,
        canonical_url,
        title,
        published_date,
        date_source,
        row_number() over (
            partition by article_id order by fetched_at desc, page_id desc
        ) as recency
    from pages
    where story_match = 'home'
),

story_bounds as (
    select
        article_id,
        min(fetched_at) as first_seen_at,
        max(fetched_at) as last_seen_at
    from pages
    group by article_id
),

final as (
    select
        ---------- ids
        home_pages.article_id,
        home_pages.page_id,
        home_pages.source,
        home_pages.canonical_url as url,
        ---------- content
        home_pages.title,
        -- a page without a usable date of its own counts from the day it was first seen
        coalesce(home_pages.published_date, story_bounds.first_seen_at::date) as published_date,
        case
            when home_pages.published_date is not null then home_pages.date_source else 'first_seen'
        end as date_source,
        ---------- timestamps
        story_bounds.first_seen_at,
        story_bounds.last_seen_at
    from home_pages
    inner join story_bounds on home_pages.article_id = story_bounds.article_id
    where home_pages.recency = 1
)

select * from final;
