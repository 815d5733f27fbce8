-- staging.stg_runs: one row per run; main.runs renamed and cast, nothing else.
create or replace view staging.stg_runs as
with

source as (
    select * from main.runs
),

renamed as (
    select
        run_id,
        command,
        started_at,
        finished_at,
        sources,
        sources_failed,
        pages_fetched,
        new_articles,
        updated_articles,
        duplicates,
        errors
    from source
)

select * from renamed;
