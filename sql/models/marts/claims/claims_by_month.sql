-- claims_by_month: one row per month and claim key. Public API: see sql/README.md.
-- grain: month, claim_key
create or replace view main.claims_by_month as
with

materialised as (
    -- refreshed at publish from what each run touched (flows/store/materialise.py)
    select * from internal.mat_claims_by_month
),

final as (
    select
        month,
        claim_key,
        substance,
        condition,
        claim_type,
        polarity,
        stories,
        claims,
        hedged_claims,
        hype_claims,
        evidence_claims,
        hedged_share,
        evidence_share,
        hype_share
    from materialised
)

select * from final;


comment on view main.claims_by_month is 'One row per month and claim key (substance, condition, type, polarity) among relevant stories. Grain: (month, claim_key).';
comment on column main.claims_by_month.month is 'First day of the month (stories by published_date).';
comment on column main.claims_by_month.claim_key is 'substance|condition|claim_type|polarity.';
comment on column main.claims_by_month.substance is 'Part of the key.';
comment on column main.claims_by_month.condition is 'Part of the key (null when none).';
comment on column main.claims_by_month.claim_type is 'Part of the key.';
comment on column main.claims_by_month.polarity is 'Part of the key.';
comment on column main.claims_by_month.stories is 'Stories asserting the claim that month (each story once).';
comment on column main.claims_by_month.claims is 'Claim sentences (a story may assert it more than once).';
comment on column main.claims_by_month.hedged_claims is 'Claim sentences that are hedged (is_hedged).';
comment on column main.claims_by_month.hype_claims is 'Claim sentences with an overclaim cue (has_hype).';
comment on column main.claims_by_month.evidence_claims is 'Claim sentences with a citation in the story (has_evidence).';
comment on column main.claims_by_month.hedged_share is 'Share of those claim sentences that are hedged.';
comment on column main.claims_by_month.evidence_share is 'Share with a citation in the story (any evidence other than none).';
comment on column main.claims_by_month.hype_share is 'Share with an overclaim cue.';
