-- studies_by_month: one row per month and cited study. Public API: see sql/README.md.
-- grain: month, study_key
create or replace view main.studies_by_month as
with

materialised as (
    -- refreshed at publish from what each run touched (flows/store/materialise.py)
    select * from internal.mat_studies_by_month
),

final as (
    select
        month,
        study_key,
        first_author,
        year,
        is_retracted,
        citing_stories
    from materialised
)

select * from final;


comment on view main.studies_by_month is 'One row per month and catalogue study cited that month. Grain: (month, study_key).';
comment on column main.studies_by_month.month is 'First day of the month (citing stories by published_date).';
comment on column main.studies_by_month.study_key is 'The study.';
comment on column main.studies_by_month.first_author is 'First author''s surname.';
comment on column main.studies_by_month.year is 'Print year.';
comment on column main.studies_by_month.is_retracted is 'The paper was retracted.';
comment on column main.studies_by_month.citing_stories is 'Stories citing it that month.';
