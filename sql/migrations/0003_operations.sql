-- psynews schema, version 3: what source health needs from each run.
-- (DuckDB 1.5 adds a column with no constraint; NOT NULL is set after the default fills it.)
alter table run_sources add column not_modified integer default 0;      -- 304 answers
alter table run_sources alter column not_modified set not null;
alter table run_sources add column skipped integer default 0;           -- robots.txt, off-host
alter table run_sources alter column skipped set not null;
alter table run_sources add column empty_extractions integer default 0; -- HTML pages with no main text
alter table run_sources alter column empty_extractions set not null;
alter table run_sources add column errors_by_kind map(varchar, integer); -- http_4xx, http_5xx, timeout, dns, ...
