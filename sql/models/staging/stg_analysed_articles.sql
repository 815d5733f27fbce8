-- staging.stg_analysed_articles: one row per analysed story; internal.analysed_articles renamed and cast, nothing else.
create or replace view staging.stg_analysed_articles as
with

source as (
    select * from internal.analysed_articles
),

renamed as (
    select
        article_id,
        text_hash,
        rules,
        relevance
    from source
)

select * from renamed;
