-- studies: one row per catalogue study, with who cites it. Public API: see sql/README.md.
-- grain: study_key
create or replace view main.studies as
with

catalogue as (
    select * from staging.stg_ref_studies
),

by_month as (
    select * from internal.mat_studies_by_month
),

citing as (
    -- a story counts in one month only, so months add up to distinct stories
    select
        study_key,
        sum(citing_stories)::bigint as citing_stories,
        min(first_cited_date) as first_cited_date,
        max(last_cited_date) as last_cited_date
    from by_month
    group by study_key
),

final as (
    select
        catalogue.study_key,
        catalogue.first_author,
        catalogue.year,
        catalogue.title,
        catalogue.journal,
        catalogue.doi,
        catalogue.pmid,
        catalogue.nct_id,
        catalogue.substance,
        catalogue.condition,
        catalogue.is_retracted,
        catalogue.retraction_date,
        coalesce(citing.citing_stories, 0) as citing_stories,
        citing.first_cited_date,
        citing.last_cited_date
    from catalogue
    left join citing on catalogue.study_key = citing.study_key
)

select * from final;

comment on view main.studies is 'One row per study in the catalogue (sql/reference/studies.csv), with the stories citing it. Grain: study_key.';
comment on column main.studies.study_key is 'Catalogue key, e.g. mithoefer2018.';
comment on column main.studies.first_author is 'First author''s surname.';
comment on column main.studies.year is 'Print year.';
comment on column main.studies.title is 'Title.';
comment on column main.studies.journal is 'Journal.';
comment on column main.studies.doi is 'DOI, when verified.';
comment on column main.studies.pmid is 'PubMed id, when verified.';
comment on column main.studies.nct_id is 'ClinicalTrials.gov id, when verified.';
comment on column main.studies.substance is 'Taxonomy id of the substance studied.';
comment on column main.studies.condition is 'Taxonomy id of the condition studied.';
comment on column main.studies.is_retracted is 'The paper was retracted.';
comment on column main.studies.retraction_date is 'Date of the retraction, when retracted.';
comment on column main.studies.citing_stories is 'Stories citing it.';
comment on column main.studies.first_cited_date is 'published_date of the first story citing it.';
comment on column main.studies.last_cited_date is 'published_date of the latest story citing it.';
