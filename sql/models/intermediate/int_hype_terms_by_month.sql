-- internal.int_hype_terms_by_month: hype_terms_by_month added up from the stories' overclaim words; kept
-- as table internal.mat_hype_terms_by_month, refreshed for the months a run touched.
-- order: month, substance, term
create or replace view internal.int_hype_terms_by_month as
with

story_terms as (
    select * from internal.mat_story_hype_terms
),

final as (
    select
        month,
        substance,
        term,
        sum(uses)::bigint as uses
    from story_terms
    group by month, substance, term
)

select * from final;
