-- Data lifecycle: message content purged after the retention period, and a
-- party erased on request. migrations/postgres/0013_data_lifecycle.sql holds
-- the same change for the other engine; change both together.

-- When the message's content (texts, HTML, raw MIME, files) was removed,
-- by the retention sweep or an erasure; null while it is kept. What the
-- audit needs (ids, times, action, status, findings) stays.
alter table messages add column purged_at text;

-- the retention sweep: the oldest messages whose content is still kept
create index messages_unpurged_by_age on messages (created_at) where purged_at is null;

-- When a party of the conversation was erased: its relay addresses then
-- name nothing (mail to them gets 550) and nothing is relayed in it again.
alter table conversations add column closed_at text;

-- When the party was erased: its record is a tombstone from then on, and
-- an erased seller gets no new conversation, token or password.
alter table sellers add column erased_at text;
alter table buyers add column erased_at text;
