-- unresolved_citations: citations that match no catalogue study, with what was parsed. Public API: see sql/README.md.
-- grain: article_id, citation_no
create or replace view main.unresolved_citations as
with

unresolved as (
    select * from staging.stg_article_citations where study_key is null
),

final as (
    select
        article_id,
        citation_no,
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
        other_id
    from unresolved
)

select * from final;

comment on view main.unresolved_citations is 'Citations found in stories that resolve to no catalogue study, with their parsed fields. Grain: (article_id, citation_no).';
comment on column main.unresolved_citations.article_id is 'The citing story.';
comment on column main.unresolved_citations.citation_no is 'Order of the citation in the story, from 0.';
comment on column main.unresolved_citations.kind is 'reference, author-year, venue, identifier or link.';
comment on column main.unresolved_citations.raw is 'The citation as written.';
comment on column main.unresolved_citations.first_author is 'First author''s surname, when parsed.';
comment on column main.unresolved_citations.year is 'Year, when parsed.';
comment on column main.unresolved_citations.journal is 'Journal (normalised name), when parsed.';
comment on column main.unresolved_citations.title is 'Title, when parsed.';
comment on column main.unresolved_citations.doi is 'DOI (lower case), when present.';
comment on column main.unresolved_citations.pmid is 'PubMed id, when present.';
comment on column main.unresolved_citations.pmcid is 'PubMed Central id, when present.';
comment on column main.unresolved_citations.nct_id is 'ClinicalTrials.gov id, when present.';
comment on column main.unresolved_citations.other_id is 'Other registry or preprint id (ISRCTN, arXiv), when present.';
