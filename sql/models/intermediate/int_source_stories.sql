-- internal.int_source_stories: per source, its stories' counts and freshness; kept as table
-- internal.mat_source_stories, refreshed for the sources a run touched.
-- order: source
create or replace view internal.int_source_stories as
with

stories as (
    select * from internal.mat_story_facts
),

final as (
    select
        source,
        count(*) as articles,
        max(first_seen_at) as last_new_article_at,
        avg((date_source = 'first_seen')::integer) as missing_dates_share
    from stories
    group by source
)

select * from final;
