-- unsupported_claims: efficacy and safety claims with no evidence in their story. Public API: see sql/README.md.
-- grain: article_id, claim_no
create or replace view main.unsupported_claims as
with

claims as (
    select * from main.claims
    where claim_type in ('efficacy', 'safety') and evidence = 'none'
),

articles as (
    select article_id, title, url from main.articles
),

final as (
    select
        claims.article_id,
        claims.claim_no,
        articles.title,
        articles.url,
        claims.source,
        claims.published_date,
        claims.sentence,
        claims.claim_type,
        claims.substance,
        claims.condition,
        claims.polarity,
        claims.is_hedged,
        claims.hype_cues
    from claims
    inner join articles on claims.article_id = articles.article_id
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
