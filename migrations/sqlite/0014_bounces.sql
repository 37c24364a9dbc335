-- no-transaction
-- Bounces: mail that came back to a message's signed return path, kept
-- with the message it names; a message a receiver sent back for good is
-- `bounced`; a party whose address bounces again and again is marked.
-- migrations/postgres/0014_bounces.sql holds the same change for Postgres;
-- change both together.
--
-- SQLite cannot alter a check constraint, so `messages` is rebuilt as
-- 0006 did: foreign keys off outside the transaction, the rebuild inside it.

pragma foreign_keys = off;

begin immediate;

create table messages_new (
    id text primary key,
    conversation_id text not null references conversations (id),
    direction text not null check (direction in ('buyer_to_seller', 'seller_to_buyer')),
    source text not null check (source in ('email', 'api', 'web')),
    subject text not null,
    -- the decoded text as received, kept for audit
    original_body text not null,
    -- the text and html as delivered, after redaction
    body text not null,
    html text,
    -- the MIME as received over SMTP, or composed from a web or API reply
    -- with attachments; null otherwise
    raw_mime blob,
    findings text not null check (json_valid(findings)),
    action text not null check (action in ('deliver', 'redact', 'hold', 'block')),
    status text not null
        check (status in ('queued', 'sent', 'held', 'rejected', 'blocked', 'failed', 'bounced')),
    original_message_id text,
    relayed_message_id text not null unique,
    in_reply_to text,
    reference_ids text not null default '[]' check (json_valid(reference_ids)),
    read_at text,
    created_at text not null,
    updated_at text not null,
    -- why a message was blocked when the policy was not the reason (0005)
    block_reason text,
    -- RFC 3834 keyword of automatic mail (0008)
    auto_submitted text,
    -- sender authentication verdict on arrival (0008)
    sender_auth text,
    -- the files as decided at acceptance (0011)
    files text check (json_valid(files))
);

insert into messages_new
    (id, conversation_id, direction, source, subject, original_body, body, html, raw_mime,
     findings, action, status, original_message_id, relayed_message_id, in_reply_to,
     reference_ids, read_at, created_at, updated_at, block_reason, auto_submitted,
     sender_auth, files)
select id, conversation_id, direction, source, subject, original_body, body, html, raw_mime,
       findings, action, status, original_message_id, relayed_message_id, in_reply_to,
       reference_ids, read_at, created_at, updated_at, block_reason, auto_submitted,
       sender_auth, files
from messages;

drop table messages;
alter table messages_new rename to messages;

create index messages_by_conversation on messages (conversation_id, created_at);
-- threading: find the message a reply refers to by the sender's own Message-ID
create index messages_by_original_id on messages (conversation_id, original_message_id);
create index messages_held on messages (created_at) where status = 'held';
create index messages_by_time on messages (created_at);

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

commit;

pragma foreign_keys = on;
