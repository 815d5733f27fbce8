-- staging.stg_article_citations: one row per citation found in a story; internal.article_citations renamed and cast, nothing else.
create or replace view staging.stg_article_citations as
with

source as (
    select * from internal.article_citations
),

renamed as (
    select
        article_id,
        citation_no,
        sentence_index,
        kind,
        raw,
        first_author,
        year,
        journal,
        title,
        doi,
        pmid,
        pmcid,
        nct_id,
        other_id,
        study_key,
        resolved_by,
        match_score
    from source
)

select * from renamed;
