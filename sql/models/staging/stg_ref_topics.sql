-- staging.stg_ref_topics: one row per taxonomy topic (sql/reference/taxonomy.csv); internal.ref_topics renamed and cast, nothing else.
create or replace view staging.stg_ref_topics as
with

source as (
    select * from internal.ref_topics
),

renamed as (
    select
        topic_id,
        kind,
        label,
        synonyms
    from source
)

select * from renamed;
