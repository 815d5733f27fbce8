-- psynews schema, version 3: what source health needs from each run.
alter table run_sources add column not_modified integer not null default 0;      -- 304 answers
alter table run_sources add column skipped integer not null default 0;           -- robots.txt, off-host
alter table run_sources add column empty_extractions integer not null default 0; -- HTML pages with no main text
alter table run_sources add column errors_by_kind map(varchar, integer);         -- http_4xx, http_5xx, timeout, dns, ...
