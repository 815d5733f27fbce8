-- internal.int_citations: one row per story and catalogue study it cites, however often.
create or replace view internal.int_citations as
with

resolved as (
    select * from staging.stg_article_citations
    where study_key is not null
        -- all stories here; a refresh narrows this to the stories it recomputes (flows/store/db.py)
        and {{ story_scope }}
),

per_study as (
    select
        article_id,
        study_key,
        list_sort(list_distinct(list(kind))) as how_cited,
        count(*) as mentions,
        -- the strongest link found: an identifier beats a fuzzy match
        min(case resolved_by when 'doi' then 1 when 'pmid' then 2 when 'nct' then 3 else 4 end) as best_link
    from resolved
    group by article_id, study_key
),

final as (
    select
        article_id,
        study_key,
        how_cited,
        mentions,
        case best_link when 1 then 'doi' when 2 then 'pmid' when 3 then 'nct' else 'fuzzy' end as resolved_by
    from per_study
)

select * from final;
