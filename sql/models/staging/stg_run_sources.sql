-- staging.stg_run_sources: one row per source per run; main.run_sources renamed and cast, nothing else.
create or replace view staging.stg_run_sources as
with

source as (
    select * from main.run_sources
),

renamed as (
    select
        run_id,
        source,
        pages_fetched,
        new_articles,
        updated_articles,
        duplicates,
        errors,
        failed as is_failed,
        error_detail,
        not_modified,
        skipped,
        empty_extractions,
        errors_by_kind,
        quarantined_parts
    from source
)

select * from renamed;
