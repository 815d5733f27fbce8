-- psynews schema, version 5: stories whose aggregates need a refresh at the next publish.
-- The aggregate tables themselves (internal.mat_*) are made from their models by flows/store/db.py.
create table internal.dirty_stories (
    article_id varchar primary key
);
