-- internal.int_story_analysis: one row per analysed story, with the month it counts in.
create or replace view internal.int_story_analysis as
with

facts as (
    select * from internal.int_story_facts where is_analysed
),

final as (
    select
        article_id,
        url,
        title,
        source,
        published_date,
        month,
        relevance,
        is_relevant
    from facts
)

select * from final;
