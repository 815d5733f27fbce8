-- staging.stg_paragraph_sightings: one row per source, paragraph and page text it was seen on; internal.paragraph_sightings renamed and cast, nothing else.
create or replace view staging.stg_paragraph_sightings as
with

source as (
    select * from internal.paragraph_sightings
),

renamed as (
    select
        source,
        paragraph_hash,
        page_text_hash,
        paragraph,
        from_end,
        cue
    from source
)

select * from renamed;
