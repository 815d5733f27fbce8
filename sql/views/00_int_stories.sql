-- internal.int_stories: one row per story, the facts articles and article_copies share.
create or replace view internal.int_stories as
with

article_pages as (
    select * from internal.pages
    where is_article and article_id is not null
),

canonical_votes as (
    -- the URL most pages of the story name as canonical is its home;
    -- ties go to the URL seen first
    select
        article_id,
        canonical_key,
        row_number() over (
            partition by article_id
            order by count(*) desc, min(fetched_at), canonical_key
        ) as rank
    from article_pages
    group by article_id, canonical_key
),

story_bounds as (
    select
        article_pages.article_id,
        min(article_pages.fetched_at) as first_seen_at,
        max(article_pages.fetched_at) as last_seen_at,
        any_value(canonical_votes.canonical_key) as home_key
    from article_pages
    inner join canonical_votes
        on article_pages.article_id = canonical_votes.article_id
        and canonical_votes.rank = 1
    group by article_pages.article_id
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
