-- staging.stg_article_claims: one row per claim sentence of a story; internal.article_claims renamed and cast, nothing else.
create or replace view staging.stg_article_claims as
with

source as (
    select * from internal.article_claims
),

renamed as (
    select
        article_id,
        claim_no,
        sentence_index,
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
        hedge_cues,
        hype_cues,
        attributed as is_attributed,
        evidence
    from source
)

select * from renamed;
