-- psynews schema, version 1.
-- Internal tables live in schema "internal"; public tables and views in "main".

create schema if not exists internal;

---------- one row per fetched page (a raw-store record of kind 'page')
create table internal.pages (
    page_id varchar primary key,        -- fetch_id in the raw store
    source varchar not null,
    url varchar not null,               -- as fetched, after redirects
    fetched_at timestamptz not null,
    status integer,
    url_key varchar not null,           -- identity of the fetched URL
    is_article boolean not null,
    skip_reason varchar,                -- why a page is not an article
    canonical_url varchar,
    canonical_key varchar,
    syndicated_from varchar,            -- rel=canonical on another host
    title varchar,
    author varchar,
    published_date date,
    date_source varchar,                -- json-ld, meta, url, text
    updated_date date,
    spam_score double not null,         -- share of lines that were keyword stuffing
    language varchar,
    site_name varchar,
    description varchar,
    tags varchar[],
    links varchar[],                    -- links to papers and trial registries
    extracted_text varchar,             -- trafilatura's text before boilerplate cleaning
    word_count integer not null,
    text varchar,                       -- cleaned text
    text_hash varchar,
    article_id varchar,                 -- the story this page belongs to
    story_match varchar,                -- home, url variant, same text, near duplicate
    similarity double                   -- estimated Jaccard similarity to the story's current text
);

---------- MinHash signatures of cleaned texts (near-duplicate detection)
create table internal.text_signatures (
    text_hash varchar primary key,
    signature blob not null             -- 128 little-endian uint32 values
);

---------- paragraphs seen per page of a source (site-level boilerplate detection)
create table internal.paragraph_sightings (
    source varchar not null,
    paragraph_hash varchar not null,
    page_text_hash varchar not null,    -- the page's extracted text: exact copies count once
    paragraph varchar not null,
    primary key (source, paragraph_hash, page_text_hash)
);

---------- paragraphs removed as site boilerplate, per source (written by flows/clean.py)
create table internal.boilerplate (
    source varchar not null,
    paragraph_hash varchar not null,
    primary key (source, paragraph_hash)
);

---------- raw-store files already loaded (relative to the raw directory)
create table internal.loaded_files (
    path varchar primary key,
    run_id varchar not null
);

---------- one row per run of the flow
create table runs (
    run_id varchar primary key,
    command varchar not null,
    started_at timestamptz not null,
    finished_at timestamptz not null,
    sources integer not null,
    sources_failed integer not null,
    pages_fetched integer not null,
    new_articles integer not null,
    updated_articles integer not null,
    duplicates integer not null,
    errors integer not null
);

---------- one row per source per run
create table run_sources (
    run_id varchar not null,
    source varchar not null,
    pages_fetched integer not null,
    new_articles integer not null,
    updated_articles integer not null,
    duplicates integer not null,
    errors integer not null,
    failed boolean not null,
    error_detail varchar,
    primary key (run_id, source)
);
