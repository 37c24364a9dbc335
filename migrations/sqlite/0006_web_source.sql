-- no-transaction
-- Seller replies written in the web inbox are recorded as coming from the
-- web. migrations/postgres/0006_web_source.sql holds the same change for
-- Postgres; change both together.
--
-- SQLite cannot alter a check constraint, so `messages` is rebuilt the way
-- the SQLite manual prescribes: foreign keys off outside the transaction,
-- the rebuild inside it. Tables that reference `messages` keep naming it and
-- point at the rebuilt table once it takes the name.

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
        check (status in ('queued', 'sent', 'held', 'rejected', 'blocked', 'failed')),
    original_message_id text,
    relayed_message_id text not null unique,
    in_reply_to text,
    reference_ids text not null default '[]' check (json_valid(reference_ids)),
    read_at text,
    created_at text not null,
    updated_at text not null,
    -- why a message was blocked when the policy was not the reason (0005)
    block_reason text
);

insert into messages_new
    (id, conversation_id, direction, source, subject, original_body, body, html, raw_mime,
     findings, action, status, original_message_id, relayed_message_id, in_reply_to,
     reference_ids, read_at, created_at, updated_at, block_reason)
select id, conversation_id, direction, source, subject, original_body, body, html, raw_mime,
       findings, action, status, original_message_id, relayed_message_id, in_reply_to,
       reference_ids, read_at, created_at, updated_at, block_reason
from messages;

drop table messages;
alter table messages_new rename to messages;

create index messages_by_conversation on messages (conversation_id, created_at);
-- threading: find the message a reply refers to by the sender's own Message-ID
create index messages_by_original_id on messages (conversation_id, original_message_id);
create index messages_held on messages (created_at) where status = 'held';

commit;

pragma foreign_keys = on;
