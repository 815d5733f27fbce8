-- retracted_citations: stories citing a retracted paper. Public API: see sql/README.md.
-- grain: article_id, study_key
create or replace view main.retracted_citations as
with

citations as (
    select * from main.citations
),

retracted as (
    select study_key, title, retraction_date from staging.stg_ref_studies where is_retracted
),

articles as (
    select article_id, title, url from main.articles
),

final as (
    select
        citations.article_id,
        articles.title,
        articles.url,
        citations.source,
        citations.published_date,
        citations.study_key,
        retracted.title as study_title,
        retracted.retraction_date,
        citations.published_date > retracted.retraction_date as is_cited_after_retraction
    from citations
    inner join retracted on citations.study_key = retracted.study_key
    inner join articles on citations.article_id = articles.article_id
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
