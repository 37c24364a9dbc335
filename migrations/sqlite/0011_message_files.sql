-- The files of a message as decided when it was accepted (names and text
-- after the filter, which parts are delivered, which were taken out), so
-- delivery and the inbox render the decision instead of judging the raw
-- MIME again. migrations/postgres/0011_message_files.sql holds the same
-- change for the other engine; change both together.
--
-- Null for messages stored before this migration: their files are judged
-- once more, on the legacy path, when they are delivered or shown.
alter table messages add column files text check (json_valid(files));
