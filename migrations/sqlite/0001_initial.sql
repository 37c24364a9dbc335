-- marketrelay schema, SQLite dialect. migrations/postgres/0001_initial.sql
-- holds the same schema for Postgres; change both together.
--
-- Ids are lowercase hyphenated UUID text. Times are UTC text in one fixed
-- format, `YYYY-MM-DDTHH:MM:SS.ffffffZ`, so text order is time order and
-- `next_attempt_at <= $1` compares correctly.
--
-- Unique constraint columns map to the names the store reports in
-- StoreError::Conflict (sellers.email -> seller_email, aliases -> alias, ...).

-- a marketplace merchant; `email` is the real address mail is relayed to
create table sellers (
    id text primary key,
    name text not null,
    email text not null unique,
    external_id text unique,
    suspended boolean not null default 0,
    created_at text not null
);

-- a buyer is identified by real address; name and external id follow the latest request
create table buyers (
    id text primary key,
    email text not null unique,
    name text not null,
    external_id text,
    created_at text not null,
    updated_at text not null
);

-- trust and safety reviewers
create table staff (
    id text primary key,
    name text not null,
    email text not null unique,
    created_at text not null
);

-- bearer tokens, by hex sha-256 only: the plain token is never stored
create table api_tokens (
    token_hash text primary key not null,
    role text not null check (role in ('operator', 'seller', 'staff')),
    seller_id text references sellers (id),
    staff_id text references staff (id),
    created_at text not null,
    -- exactly the owner column the role calls for
    check (
        (role = 'operator' and seller_id is null and staff_id is null)
        or (role = 'seller' and seller_id is not null and staff_id is null)
        or (role = 'staff' and staff_id is not null and seller_id is null)
    )
);

-- one conversation per buyer-seller pair
create table conversations (
    id text primary key,
    seller_id text not null references sellers (id),
    buyer_id text not null references buyers (id),
    buyer_alias text not null unique,
    seller_alias text not null unique,
    order_id text,
    blocked boolean not null default 0,
    created_at text not null,
    unique (seller_id, buyer_id)
);

-- every relay local part of both columns above in one key space, so a buyer
-- alias can never equal another conversation's seller alias
create table aliases (
    local_part text primary key not null,
    conversation_id text not null references conversations (id),
    side text not null check (side in ('buyer', 'seller'))
);

create index conversations_by_seller on conversations (seller_id, created_at);

create table messages (
    id text primary key,
    conversation_id text not null references conversations (id),
    direction text not null check (direction in ('buyer_to_seller', 'seller_to_buyer')),
    source text not null check (source in ('email', 'api')),
    subject text not null,
    -- the decoded text as received, kept for audit
    original_body text not null,
    -- the text and html as delivered, after redaction
    body text not null,
    html text,
    -- the MIME exactly as received over SMTP; null for API messages
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
    updated_at text not null
);

create index messages_by_conversation on messages (conversation_id, created_at);
-- threading: find the message a reply refers to by the sender's own Message-ID
create index messages_by_original_id on messages (conversation_id, original_message_id);
create index messages_held on messages (created_at) where status = 'held';

-- the outbound queue: one entry per mail to send
create table deliveries (
    id text primary key,
    message_id text not null references messages (id),
    kind text not null check (kind in ('relay', 'notice')),
    status text not null check (status in ('pending', 'sent', 'failed')),
    attempts integer not null default 0,
    next_attempt_at text not null,
    last_error text,
    created_at text not null,
    updated_at text not null
);

create index deliveries_due on deliveries (next_attempt_at, created_at) where status = 'pending';
create index deliveries_by_message on deliveries (message_id);

create table delivery_attempts (
    id integer primary key autoincrement,
    delivery_id text not null references deliveries (id),
    attempted_at text not null,
    succeeded boolean not null,
    error text
);

create index delivery_attempts_by_delivery on delivery_attempts (delivery_id, id);

-- append-only: the triggers below refuse every update and delete
create table audit_events (
    id integer primary key autoincrement,
    at text not null,
    actor_kind text not null,
    actor_id text,
    action text not null,
    subject_kind text not null,
    subject_id text not null,
    details text not null check (json_valid(details))
);

create index audit_events_by_subject on audit_events (subject_id, id);

create trigger audit_events_no_update
before update on audit_events
begin
    select raise(abort, 'audit_events is append-only: UPDATE is not allowed');
end;

create trigger audit_events_no_delete
before delete on audit_events
begin
    select raise(abort, 'audit_events is append-only: DELETE is not allowed');
end;
