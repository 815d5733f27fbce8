-- psynews schema, version 6: the near-duplicate LSH index, persisted between runs.
-- One row per stored MinHash signature and band (flows/dedupe/neardup.py band_hashes); texts
-- whose signatures share a (band, bucket) are near-duplicate candidates. Filled for the
-- signatures stored before this version by flows/store/db.py when it applies this migration.
create table internal.lsh_bands (
    band utinyint not null,             -- 0 .. BANDS-1
    bucket ubigint not null,            -- 64-bit hash of the band's values
    text_hash varchar not null          -- internal.text_signatures.text_hash
);
