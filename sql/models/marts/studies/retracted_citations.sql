-- retracted_citations: stories citing a retracted paper. Public API: see sql/README.md.
-- grain: article_id, study_key
create or replace view main.retracted_citations as
with

materialised as (
    -- refreshed at publish from what each run touched (flows/store/materialise.py)
    select * from internal.mat_retracted_citations
),

final as (
    select
        article_id,
        title,
        url,
        source,
        published_date,
        study_key,
        study_title,
        retraction_date,
        is_cited_after_retraction
    from materialised
)

select * from final;


comment on view main.retracted_citations is 'One row per story and retracted study it cites. Grain: (article_id, study_key).';
comment on column main.retracted_citations.article_id is 'The citing story.';
comment on column main.retracted_citations.title is 'The story''s title.';
comment on column main.retracted_citations.url is 'The story''s URL.';
comment on column main.retracted_citations.source is 'Source of the story.';
comment on column main.retracted_citations.published_date is 'The story''s published_date.';
comment on column main.retracted_citations.study_key is 'The retracted study.';
comment on column main.retracted_citations.study_title is 'Its title.';
comment on column main.retracted_citations.retraction_date is 'When it was retracted.';
comment on column main.retracted_citations.is_cited_after_retraction is 'The story was published after the retraction (null when the retraction date is unknown).';
