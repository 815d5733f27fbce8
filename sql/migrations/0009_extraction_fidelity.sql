-- psynews schema, version 9: extraction fidelity (charset used, raw <title>, why boilerplate was removed).
alter table internal.pages add column raw_title varchar;                   -- the page's <title>, site name and all
alter table internal.pages add column encoding varchar;                    -- charset the body was decoded with
alter table internal.pages add column declared_encoding varchar;           -- what Content-Type or <meta> said
alter table internal.pages add column is_encoding_overridden boolean;      -- the bytes contradicted the declaration
alter table internal.paragraph_sightings add column from_end integer;      -- paragraphs after it on its page
alter table internal.paragraph_sightings add column cue varchar;           -- flows.clean.promotional's finding
alter table internal.boilerplate add column reason varchar;                -- repeated, near_repeat, call_to_action, ...
