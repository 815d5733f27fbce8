-- boilerplate_paragraphs: what site-level cleaning removes. Public API: see sql/README.md.
-- grain: source, paragraph
create or replace view main.boilerplate_paragraphs as
with

removed as (
    select * from staging.stg_boilerplate
),

sightings as (
    select
        source,
        paragraph_hash,
        any_value(paragraph) as paragraph,
        count(*) as pages
    from staging.stg_paragraph_sightings
    group by source, paragraph_hash
),

final as (
    select
        removed.source,
        sightings.paragraph,
        sightings.pages,
        removed.reason
    from removed
    inner join sightings
        on removed.source = sightings.source
        and removed.paragraph_hash = sightings.paragraph_hash
)

select * from final;

comment on view main.boilerplate_paragraphs is 'Paragraphs removed from every article of a source, with why: recurring on 3 or more of its pages, or a call to action, contact block, bio or press-release furniture (flows/clean). Grain: (source, paragraph).';
comment on column main.boilerplate_paragraphs.source is 'The configured source.';
comment on column main.boilerplate_paragraphs.paragraph is 'The paragraph as first seen.';
comment on column main.boilerplate_paragraphs.pages is 'Distinct pages of the source it was seen on (exact copies counted once).';
comment on column main.boilerplate_paragraphs.reason is 'Why it was removed: repeated, near_repeat, call_to_action, contact_block, about_block, author_bio or press_release_end (see README, Cleaning).';
