-- psynews schema, version 10: the words that stand for a claim's substance when its sentence does not name it.
alter table internal.article_claims add column substance_phrase varchar;  -- "the drug", "it"; null when named
