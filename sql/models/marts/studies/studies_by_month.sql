-- studies_by_month: one row per month and cited study. Public API: see sql/README.md.
-- grain: month, study_key
create or replace view main.studies_by_month as
with

citations as (
    select * from main.citations
),

studies as (
    select study_key, first_author, year, is_retracted from staging.stg_ref_studies
),

final as (
    select
        citations.month,
        citations.study_key,
        any_value(studies.first_author) as first_author,
        any_value(studies.year) as year,
        any_value(studies.is_retracted) as is_retracted,
        count(distinct citations.article_id) as citing_stories
    from citations
    inner join studies on citations.study_key = studies.study_key
    group by citations.month, citations.study_key
)

select * from final;

comment on view main.studies_by_month is 'One row per month and catalogue study cited that month. Grain: (month, study_key).';
comment on column main.studies_by_month.month is 'First day of the month (citing stories by published_date).';
comment on column main.studies_by_month.study_key is 'The study.';
comment on column main.studies_by_month.first_author is 'First author''s surname.';
comment on column main.studies_by_month.year is 'Print year.';
comment on column main.studies_by_month.is_retracted is 'The paper was retracted.';
comment on column main.studies_by_month.citing_stories is 'Stories citing it that month.';
