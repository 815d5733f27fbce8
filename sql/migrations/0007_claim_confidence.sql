-- psynews schema, version 7: the strength model's confidence beside each claim's strength.
alter table internal.article_claims add column confidence double;  -- null for claims stored before the models
