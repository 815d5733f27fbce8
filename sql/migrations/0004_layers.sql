-- psynews schema, version 4: the staging layer of the SQL models (sql/models/staging).
create schema if not exists staging;
