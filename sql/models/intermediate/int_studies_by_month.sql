-- internal.int_studies_by_month: studies_by_month added up from the stories' citations, with the first
-- and last citing dates that studies needs; kept as table internal.mat_studies_by_month, refreshed for
-- the months a run touched.
-- order: month, study_key
create or replace view internal.int_studies_by_month as
with

story_studies as (
    select * from internal.mat_story_studies
),

studies as (
    select study_key, first_author, year, is_retracted from staging.stg_ref_studies
),

by_month as (
    -- one row per story and study, so rows count citing stories
    select
        month,
        study_key,
        count(*) as citing_stories,
        min(published_date) as first_cited_date,
        max(published_date) as last_cited_date
    from story_studies
    group by month, study_key
),

final as (
    select
        by_month.month,
        by_month.study_key,
        studies.first_author,
        studies.year,
        studies.is_retracted,
        by_month.citing_stories,
        by_month.first_cited_date,
        by_month.last_cited_date
    from by_month
    inner join studies on by_month.study_key = studies.study_key
)

select * from final;
