-- Bounces: mail that came back to a message's signed return path, kept
-- with the message it names; a message a receiver sent back for good is
-- `bounced`; a party whose address bounces again and again is marked.
-- migrations/postgres/0014_bounces.sql holds the same change for Postgres;
-- change both together.
--
-- SQLite cannot alter a check constraint. Rather than rebuild `messages`
-- (which would have to name every column, and drop any a later branch of
-- the schema added), the status moves to a new column with the new check:
-- add it, copy, drop the old one (and the partial index that reads it),
-- rename. Every row keeps its status; the default only fills the new
-- column for the moment before the copy.

drop index messages_held;

alter table messages add column status_next text not null default 'queued'
    check (status_next in ('queued', 'sent', 'held', 'rejected', 'blocked', 'failed', 'bounced'));

update messages set status_next = status;

alter table messages drop column status;

alter table messages rename column status_next to status;

create index messages_held on messages (created_at) where status = 'held';

create table bounces (
    id text primary key,
    message_id text not null references messages (id),
    -- the queue entry whose return path the bounce came back to
    delivery_id text not null references deliveries (id),
    -- the party the bounced mail was sent to
    recipient_role text not null check (recipient_role in ('buyer', 'seller')),
    recipient_id text not null,
    kind text not null check (kind in ('failed', 'delayed', 'other')),
    -- RFC 3463 status, e.g. 5.1.1
    status text,
    -- the remote server's words, every address scrubbed
    diagnostic text,
    -- the bounce exactly as received
    raw_mime blob not null,
    received_at text not null
);

create index bounces_by_message on bounces (message_id, received_at);
-- counting a party's recent hard bounces
create index bounces_failed_by_recipient on bounces (recipient_id, received_at)
    where kind = 'failed';

-- since when mail to the party's address keeps bouncing; cleared by a delivery
alter table sellers add column address_bouncing_since text;
alter table buyers add column address_bouncing_since text;
