-- internal.int_claims: one row per claim sentence, with the flags and key every claim view uses.
create or replace view internal.int_claims as
with

claims as (
    select * from staging.stg_article_claims
),

final as (
    select
        article_id,
        claim_no,
        sentence,
        claim_type,
        secondary_type,
        substance,
        substance_phrase,
        condition,
        polarity,
        strength,
        confidence,
        hedge_level,
        hedge_level <> 'none' as is_hedged,
        hedge_cues,
        hype_cues,
        len(hype_cues) > 0 as has_hype,
        is_attributed,
        evidence,
        evidence <> 'none' as has_evidence,
        concat_ws('|', coalesce(substance, '-'), coalesce(condition, '-'), claim_type, polarity) as claim_key
    from claims
)

select * from final;
