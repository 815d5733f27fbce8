-- internal.int_story_analysis: one row per analysed story, with the month it counts in.
create or replace view internal.int_story_analysis as
with

articles as (
    select article_id, url, title, source, published_date from main.articles
),

analysed as (
    select article_id, relevance from internal.analysed_articles
),

final as (
    select
        articles.article_id,
        articles.url,
        articles.title,
        articles.source,
        articles.published_date,
        date_trunc('month', articles.published_date)::date as month,
        analysed.relevance,
        -- off-topic pages from general news sources stay out of the trends
        analysed.relevance >= 0.3 as is_relevant
    from articles
    inner join analysed on articles.article_id = analysed.article_id
)

select * from final;
