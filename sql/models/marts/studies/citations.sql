-- citations: one row per story and catalogue study it cites. Public API: see sql/README.md.
-- grain: article_id, study_key
create or replace view main.citations as
with

stories as (
    select * from internal.int_story_analysis
),

citations as (
    select * from internal.int_citations
),

studies as (
    select study_key, title from staging.stg_ref_studies
),

final as (
    select
        citations.article_id,
        citations.study_key,
        studies.title as study_title,
        citations.how_cited,
        citations.mentions,
        citations.resolved_by,
        stories.source,
        stories.published_date,
        stories.month
    from citations
    inner join stories on citations.article_id = stories.article_id
    inner join studies on citations.study_key = studies.study_key
)

select * from final;


comment on view main.citations is 'One row per story and catalogue study it cites, however it cites it. Unresolved citations: unresolved_citations. Grain: (article_id, study_key).';
comment on column main.citations.article_id is 'The citing story.';
comment on column main.citations.study_key is 'The study (studies.study_key).';
comment on column main.citations.study_title is 'The study''s title.';
comment on column main.citations.how_cited is 'Kinds of citation found: reference (list entry), author-year, venue, identifier (DOI/PMID/NCT in text), link.';
comment on column main.citations.mentions is 'Citations of the study in the story.';
comment on column main.citations.resolved_by is 'Strongest resolution: doi, pmid, nct, or fuzzy (author, year +-1, journal).';
comment on column main.citations.source is 'Source of the citing story.';
comment on column main.citations.published_date is 'The citing story''s published_date.';
comment on column main.citations.month is 'First day of the month of published_date.';
