-- hype_terms_by_month: one row per month, substance and overclaim word. Public API: see sql/README.md.
-- grain: month, substance, term
create or replace view main.hype_terms_by_month as
with

materialised as (
    -- refreshed at publish from what each run touched (flows/store/materialise.py)
    select * from internal.mat_hype_terms_by_month
),

final as (
    select
        month,
        substance,
        term,
        uses
    from materialised
)

select * from final;


comment on view main.hype_terms_by_month is 'One row per month, substance and overclaim word (claims.hype_cues) in the claims of relevant stories. Grain: (month, substance, term).';
comment on column main.hype_terms_by_month.month is 'First day of the month (stories by published_date).';
comment on column main.hype_terms_by_month.substance is 'Taxonomy id of the claims'' substance, - when a claim names none (as in claim_key).';
comment on column main.hype_terms_by_month.term is 'The overclaim word, as in claims.hype_cues.';
comment on column main.hype_terms_by_month.uses is 'Claim sentences that month using the word.';
