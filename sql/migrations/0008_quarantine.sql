-- psynews schema, version 8: unreadable raw-store parts moved aside by a run (crawler.raw_store.quarantine).
alter table run_sources add column quarantined_parts integer not null default 0;
