-- staging.stg_pages: one row per fetched page (article or not); internal.pages renamed and cast, nothing else.
create or replace view staging.stg_pages as
with

source as (
    select * from internal.pages
),

renamed as (
    select
        ---------- ids
        page_id,
        article_id,
        source,
        url,
        url_key,
        canonical_url,
        canonical_key,
        syndicated_from,
        ---------- fetch
        fetched_at,
        status,
        is_article,
        skip_reason,
        encoding,
        declared_encoding,
        is_encoding_overridden,
        ---------- metadata
        title,
        raw_title,
        author,
        published_date,
        date_source,
        updated_date,
        language,
        site_name,
        description,
        tags,
        links,
        ---------- text
        extracted_text,
        text,
        text_hash,
        word_count,
        spam_score,
        ---------- story
        story_match,
        similarity
    from source
)

select * from renamed;
