-- staging.stg_ref_studies: one row per catalogue study (sql/reference/studies.csv); internal.ref_studies renamed and cast, nothing else.
create or replace view staging.stg_ref_studies as
with

source as (
    select * from internal.ref_studies
),

renamed as (
    select
        study_key,
        first_author,
        year,
        title,
        journal,
        doi,
        pmid,
        nct_id,
        substance,
        condition,
        retracted as is_retracted,
        retraction_date
    from source
)

select * from renamed;
