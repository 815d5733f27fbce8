-- claims: one row per claim sentence. Public API: see sql/README.md.
-- grain: article_id, claim_no
create or replace view main.claims as
with

stories as (
    select * from internal.int_story_analysis
),

claims as (
    select * from internal.int_claims
),

final as (
    select
        claims.article_id,
        claims.claim_no,
        stories.source,
        stories.published_date,
        stories.month,
        claims.sentence,
        claims.claim_type,
        claims.secondary_type,
        claims.substance,
        claims.substance_phrase,
        claims.condition,
        claims.polarity,
        claims.strength,
        claims.confidence,
        claims.hedge_level,
        claims.is_hedged,
        claims.hedge_cues,
        claims.hype_cues,
        claims.has_hype,
        claims.is_attributed,
        claims.evidence,
        claims.has_evidence,
        claims.claim_key
    from claims
    inner join stories on claims.article_id = stories.article_id
)

select * from final;


comment on view main.claims is 'One row per claim: a sentence asserting something checkable about a substance or therapy. Grain: (article_id, claim_no).';
comment on column main.claims.article_id is 'The story (articles.article_id).';
comment on column main.claims.claim_no is 'Order of the claim in the story, from 0.';
comment on column main.claims.source is 'Source of the story''s home page.';
comment on column main.claims.published_date is 'The story''s published_date.';
comment on column main.claims.month is 'First day of the month of published_date.';
comment on column main.claims.sentence is 'The claim sentence as it appears in the text.';
comment on column main.claims.claim_type is 'efficacy, safety, mechanism, durability, regulatory, access_cost or comparison.';
comment on column main.claims.secondary_type is 'A second type the sentence also carries (e.g. efficacy + comparison), else null.';
comment on column main.claims.substance is 'Taxonomy id of the substance the claim is about.';
comment on column main.claims.substance_phrase is 'The words that stand for the substance when the sentence does not name it (the drug, this medication, it), resolved to the substance named last nearby or to the story''s only one; null when the sentence names it.';
comment on column main.claims.condition is 'Taxonomy id of the condition, null when none is named or implied.';
comment on column main.claims.polarity is 'positive (asserts the effect, approval, safety) or negative (denies it: did not reduce, not approved).';
comment on column main.claims.strength is 'How strongly the sentence asserts its relation, by the strength model: causal (reduces, causes), conditional (may reduce, in some patients), correlational (associated with), or none (no relation asserted: most legal and price statements). Claims of effect are never none.';
comment on column main.claims.confidence is 'Probability the strength model gives its strength label (0-1); null for claims analysed before the model.';
comment on column main.claims.hedge_level is 'none, low (one hedge cue) or high (several, or a limitation such as further research is needed).';
comment on column main.claims.is_hedged is 'hedge_level is not none.';
comment on column main.claims.hedge_cues is 'Hedge words found (may, suggests, preliminary, ...).';
comment on column main.claims.hype_cues is 'Overclaim words found (breakthrough without designation, cure, revolutionize, ...).';
comment on column main.claims.has_hype is 'At least one hype cue.';
comment on column main.claims.is_attributed is 'Reported speech (X said, according to): the claim is someone else''s.';
comment on column main.claims.evidence is 'Where a citation backs it: same_sentence, nearby (the sentence before or after), elsewhere (somewhere in the story), none.';
comment on column main.claims.has_evidence is 'evidence is not none.';
comment on column main.claims.claim_key is 'substance|condition|claim_type|polarity (- for none): follows the same claim across stories.';
