-- unsupported_claims: efficacy and safety claims with no evidence in their story. Public API: see sql/README.md.
-- grain: article_id, claim_no
create or replace view main.unsupported_claims as
with

materialised as (
    -- refreshed at publish from what each run touched (flows/store/materialise.py)
    select * from internal.mat_unsupported_claims
),

final as (
    select
        article_id,
        claim_no,
        title,
        url,
        source,
        published_date,
        sentence,
        claim_type,
        substance,
        condition,
        polarity,
        is_hedged,
        hype_cues
    from materialised
)

select * from final;


comment on view main.unsupported_claims is 'Efficacy and safety claims made by stories that cite nothing at all. Grain: (article_id, claim_no).';
comment on column main.unsupported_claims.article_id is 'The story.';
comment on column main.unsupported_claims.claim_no is 'The claim (claims.claim_no).';
comment on column main.unsupported_claims.title is 'The story''s title.';
comment on column main.unsupported_claims.url is 'The story''s URL.';
comment on column main.unsupported_claims.source is 'Source of the story.';
comment on column main.unsupported_claims.published_date is 'The story''s published_date.';
comment on column main.unsupported_claims.sentence is 'The claim sentence.';
comment on column main.unsupported_claims.claim_type is 'efficacy or safety.';
comment on column main.unsupported_claims.substance is 'Taxonomy id of the substance.';
comment on column main.unsupported_claims.condition is 'Taxonomy id of the condition, or null.';
comment on column main.unsupported_claims.polarity is 'positive or negative.';
comment on column main.unsupported_claims.is_hedged is 'The claim is hedged.';
comment on column main.unsupported_claims.hype_cues is 'Overclaim words in the sentence.';
