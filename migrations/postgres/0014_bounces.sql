-- Bounces: mail that came back to a message's signed return path, kept
-- with the message it names; a message a receiver sent back for good is
-- `bounced`; a party whose address bounces again and again is marked.
-- migrations/sqlite/0014_bounces.sql holds the same change for SQLite;
-- change both together.

alter table messages drop constraint messages_status_check;
alter table messages add constraint messages_status_check
    check (status in ('queued', 'sent', 'held', 'rejected', 'blocked', 'failed', 'bounced'));

create table bounces (
    id uuid primary key,
    message_id uuid not null references messages (id),
    -- the queue entry whose return path the bounce came back to
    delivery_id uuid not null references deliveries (id),
    -- the party the bounced mail was sent to
    recipient_role text not null check (recipient_role in ('buyer', 'seller')),
    recipient_id uuid not null,
    kind text not null check (kind in ('failed', 'delayed', 'other')),
    -- RFC 3463 status, e.g. 5.1.1
    status text,
    -- the remote server's words, every address scrubbed
    diagnostic text,
    -- the bounce exactly as received
    raw_mime bytea not null,
    received_at timestamptz not null
);

create index bounces_by_message on bounces (message_id, received_at);
-- counting a party's recent hard bounces
create index bounces_failed_by_recipient on bounces (recipient_id, received_at)
    where kind = 'failed';

-- since when mail to the party's address keeps bouncing; cleared by a delivery
alter table sellers add column address_bouncing_since timestamptz;
alter table buyers add column address_bouncing_since timestamptz;
