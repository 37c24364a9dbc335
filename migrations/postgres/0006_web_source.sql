-- Seller replies written in the web inbox are recorded as coming from the
-- web. migrations/sqlite/0006_web_source.sql holds the same change for
-- SQLite; change both together.

alter table messages drop constraint messages_source_check;
alter table messages add constraint messages_source_check
    check (source in ('email', 'api', 'web'));
