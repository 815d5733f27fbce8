-- internal.int_story_hype_terms: one row per relevant story, substance and overclaim word, with the
-- story's month: what hype_terms_by_month adds up. Kept as table internal.mat_story_hype_terms,
-- refreshed for the stories a run touched (int_claims is narrowed to them during a refresh, so a month
-- aggregate must not read it directly).
create or replace view internal.int_story_hype_terms as
with

stories as (
    select * from internal.mat_story_facts where is_relevant
),

claims as (
    select * from internal.int_claims where has_hype
),

uses as (
    select
        claims.article_id,
        stories.month,
        coalesce(claims.substance, '-') as substance,
        unnest(claims.hype_cues) as term
    from claims
    inner join stories on claims.article_id = stories.article_id
),

final as (
    select
        article_id,
        month,
        substance,
        term,
        count(*) as uses
    from uses
    group by article_id, month, substance, term
)

select * from final;
