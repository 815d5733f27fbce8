-- internal.int_stories: one row per story, the facts articles and article_copies share.
create or replace view internal.int_stories as
with

article_pages as (
    select * from internal.pages
    where is_article and article_id is not null
),

story_bounds as (
    select
        article_id,
        min(fetched_at) as first_seen_at,
        max(fetched_at) as last_seen_at,
        -- the earliest page's canonical URL names the story
        arg_min(canonical_key, (fetched_at, page_id)) as home_key
    from article_pages
    group by article_id
),

home_versions as (
    -- the latest fetch of the story's home URL carries its current text
    select
        article_pages.article_id,
        article_pages.page_id,
        row_number() over (
            partition by article_pages.article_id
            order by article_pages.fetched_at desc, article_pages.page_id desc
        ) as recency
    from article_pages
    inner join story_bounds
        on article_pages.article_id = story_bounds.article_id
        and article_pages.canonical_key = story_bounds.home_key
),

final as (
    select
        story_bounds.article_id,
        story_bounds.home_key,
        home_versions.page_id,
        story_bounds.first_seen_at,
        story_bounds.last_seen_at
    from story_bounds
    inner join home_versions
        on story_bounds.article_id = home_versions.article_id
        and home_versions.recency = 1
)

select * from final;
