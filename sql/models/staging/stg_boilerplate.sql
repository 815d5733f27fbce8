-- staging.stg_boilerplate: one row per source and paragraph removed as boilerplate; internal.boilerplate renamed and cast, nothing else.
create or replace view staging.stg_boilerplate as
with

source as (
    select * from internal.boilerplate
),

renamed as (
    select
        source,
        paragraph_hash,
        coalesce(reason, 'repeated') as reason  -- removed before reasons were recorded: repeats
    from source
)

select * from renamed;
