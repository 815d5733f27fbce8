-- psynews schema, version 8: unreadable raw-store parts moved aside by a run (crawler.raw_store.quarantine).
alter table run_sources add column quarantined_parts integer default 0;
alter table run_sources alter column quarantined_parts set not null;  -- DuckDB 1.5: no constraint in add column
