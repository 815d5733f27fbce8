-- psynews schema, version 2: topics, claims and cited studies per story.

---------- reference data, reloaded from sql/reference/*.csv by every analysis
create table internal.ref_topics (
    topic_id varchar primary key,
    kind varchar not null,              -- substance, condition, organization, theme
    label varchar not null,
    synonyms varchar[] not null
);

create table internal.ref_studies (
    study_key varchar primary key,
    first_author varchar not null,
    year integer not null,
    title varchar,
    journal varchar,
    doi varchar,
    pmid varchar,
    nct_id varchar,
    substance varchar,
    condition varchar,
    retracted boolean not null,
    retraction_date date
);

---------- which text and which rules each story's analysis came from
create table internal.analysed_articles (
    article_id varchar primary key,
    text_hash varchar not null,
    rules varchar not null,             -- fingerprint of the reference data and rule version
    relevance double not null
);

create table internal.article_topics (
    article_id varchar not null,
    topic_id varchar not null,
    mentions integer not null,
    in_title boolean not null,
    primary key (article_id, topic_id)
);

create table internal.article_claims (
    article_id varchar not null,
    claim_no integer not null,
    sentence_index integer not null,
    sentence varchar not null,
    claim_type varchar not null,
    secondary_type varchar,
    substance varchar,
    condition varchar,
    polarity varchar not null,
    strength varchar not null,
    hedge_level varchar not null,
    hedge_cues varchar[] not null,
    hype_cues varchar[] not null,
    attributed boolean not null,
    evidence varchar not null,          -- same_sentence, nearby, elsewhere, none
    primary key (article_id, claim_no)
);

create table internal.article_citations (
    article_id varchar not null,
    citation_no integer not null,
    sentence_index integer,
    kind varchar not null,              -- reference, author-year, venue, identifier, link
    raw varchar not null,
    first_author varchar,
    year integer,
    journal varchar,
    title varchar,
    doi varchar,
    pmid varchar,
    pmcid varchar,
    nct_id varchar,
    other_id varchar,
    study_key varchar,                  -- null when unresolved
    resolved_by varchar,                -- doi, pmid, nct, fuzzy
    match_score double,
    primary key (article_id, citation_no)
);
