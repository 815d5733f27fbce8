-- staging.stg_article_topics: one row per story and topic it mentions; internal.article_topics renamed and cast, nothing else.
create or replace view staging.stg_article_topics as
with

source as (
    select * from internal.article_topics
),

renamed as (
    select
        article_id,
        topic_id,
        mentions,
        in_title
    from source
)

select * from renamed;
