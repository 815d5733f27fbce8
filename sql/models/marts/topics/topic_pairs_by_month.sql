-- topic_pairs_by_month: one row per month, substance and condition. Public API: see sql/README.md.
-- grain: month, substance, condition
create or replace view main.topic_pairs_by_month as
with

materialised as (
    -- refreshed at publish from what each run touched (flows/store/materialise.py)
    select * from internal.mat_topic_pairs_by_month
),

final as (
    select
        month,
        substance,
        condition,
        stories
    from materialised
)

select * from final;


comment on view main.topic_pairs_by_month is 'One row per month, substance and condition: relevant stories mentioning both. Grain: (month, substance, condition).';
comment on column main.topic_pairs_by_month.month is 'First day of the month (stories by published_date).';
comment on column main.topic_pairs_by_month.substance is 'Taxonomy id of a substance (topic kind substance).';
comment on column main.topic_pairs_by_month.condition is 'Taxonomy id of a condition (topic kind condition).';
comment on column main.topic_pairs_by_month.stories is 'Relevant stories that month mentioning both (each deduplicated story once).';
