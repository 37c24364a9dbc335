-- The parties' names as a message shows them (From and To), judged when
-- it was accepted, so a policy reload before delivery changes nothing in
-- what goes out. migrations/postgres/0017_message_names.sql holds the same
-- change; change both together.
--
-- Null for messages stored before this migration: delivery judges their
-- names as it did then.

alter table messages add column sender_name text;
alter table messages add column recipient_name text;
