-- internal.int_stories: one row per story, pointing at the page that carries its current text.
-- The home of each story is chosen in flows/dedupe.py (pages.story_match = 'home').
create or replace view internal.int_stories as
with

home_pages as (
    select
        article_id,
        page_id,
        fetched_at,
        row_number() over (
            partition by article_id order by fetched_at desc, page_id desc
        ) as recency
    from internal.pages
    where is_article and story_match = 'home'
),

story_bounds as (
    select
        article_id,
        min(fetched_at) as first_seen_at,
        max(fetched_at) as last_seen_at
    from internal.pages
    where is_article and article_id is not null
    group by article_id
),

final as (
    select
        home_pages.article_id,
        home_pages.page_id,
        story_bounds.first_seen_at,
        story_bounds.last_seen_at
    from home_pages
    inner join story_bounds on home_pages.article_id = story_bounds.article_id
    where home_pages.recency = 1
)

select * from final;
