-- marketrelay schema, Postgres dialect. migrations/sqlite/0001_initial.sql
-- holds the same schema for SQLite; change both together.
--
-- Unique and check constraints carry the names the store reports in
-- StoreError::Conflict (seller_email, alias, token, ...).

-- a marketplace merchant; `email` is the real address mail is relayed to
create table sellers (
    id uuid primary key,
    name text not null,
    email text not null constraint seller_email unique,
    external_id text constraint seller_external_id unique,
    suspended boolean not null default false,
    created_at timestamptz not null
);

-- a buyer is identified by real address; name and external id follow the latest request
create table buyers (
    id uuid primary key,
    email text not null constraint buyer_email unique,
    name text not null,
    external_id text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

-- trust and safety reviewers
create table staff (
    id uuid primary key,
    name text not null,
    email text not null constraint staff_email unique,
    created_at timestamptz not null
);

-- bearer tokens, by hex sha-256 only: the plain token is never stored
create table api_tokens (
    token_hash text constraint token primary key,
    role text not null check (role in ('operator', 'seller', 'staff')),
    seller_id uuid references sellers (id),
    staff_id uuid references staff (id),
    created_at timestamptz not null,
    -- exactly the owner column the role calls for
    constraint token_owner check (
        (role = 'operator' and seller_id is null and staff_id is null)
        or (role = 'seller' and seller_id is not null and staff_id is null)
        or (role = 'staff' and staff_id is not null and seller_id is null)
    )
);

-- one conversation per buyer-seller pair
create table conversations (
    id uuid primary key,
    seller_id uuid not null references sellers (id),
    buyer_id uuid not null references buyers (id),
    buyer_alias text not null constraint alias_buyer unique,
    seller_alias text not null constraint alias_seller unique,
    order_id text,
    blocked boolean not null default false,
    created_at timestamptz not null,
    constraint conversation_pair unique (seller_id, buyer_id)
);

-- every relay local part of both columns above in one key space, so a buyer
-- alias can never equal another conversation's seller alias
create table aliases (
    local_part text constraint alias primary key,
    conversation_id uuid not null references conversations (id),
    side text not null check (side in ('buyer', 'seller'))
);

create index conversations_by_seller on conversations (seller_id, created_at);

create table messages (
    id uuid primary key,
    conversation_id uuid not null references conversations (id),
    direction text not null check (direction in ('buyer_to_seller', 'seller_to_buyer')),
    source text not null check (source in ('email', 'api')),
    subject text not null,
    -- the decoded text as received, kept for audit
    original_body text not null,
    -- the text and html as delivered, after redaction
    body text not null,
    html text,
    -- the MIME exactly as received over SMTP; null for API messages
    raw_mime bytea,
    findings jsonb not null,
    action text not null check (action in ('deliver', 'redact', 'hold', 'block')),
    status text not null
        check (status in ('queued', 'sent', 'held', 'rejected', 'blocked', 'failed')),
    original_message_id text,
    relayed_message_id text not null constraint relayed_message_id unique,
    in_reply_to text,
    reference_ids jsonb not null default '[]',
    read_at timestamptz,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create index messages_by_conversation on messages (conversation_id, created_at);
-- threading: find the message a reply refers to by the sender's own Message-ID
create index messages_by_original_id on messages (conversation_id, original_message_id);
create index messages_held on messages (created_at) where status = 'held';

-- the outbound queue: one entry per mail to send
create table deliveries (
    id uuid primary key,
    message_id uuid not null references messages (id),
    kind text not null check (kind in ('relay', 'notice')),
    status text not null check (status in ('pending', 'sent', 'failed')),
    attempts bigint not null default 0,
    next_attempt_at timestamptz not null,
    last_error text,
    created_at timestamptz not null,
    updated_at timestamptz not null
);

create index deliveries_due on deliveries (next_attempt_at, created_at) where status = 'pending';
create index deliveries_by_message on deliveries (message_id);

create table delivery_attempts (
    id bigint generated always as identity primary key,
    delivery_id uuid not null references deliveries (id),
    attempted_at timestamptz not null,
    succeeded boolean not null,
    error text
);

create index delivery_attempts_by_delivery on delivery_attempts (delivery_id, id);

-- append-only: the triggers below refuse every update, delete and truncate
create table audit_events (
    id bigint generated always as identity primary key,
    at timestamptz not null,
    actor_kind text not null,
    actor_id text,
    action text not null,
    subject_kind text not null,
    subject_id text not null,
    details jsonb not null
);

create index audit_events_by_subject on audit_events (subject_id, id);

create function audit_events_append_only() returns trigger
language plpgsql as $$
begin
    raise exception 'audit_events is append-only: % is not allowed', tg_op;
end;
$$;

create trigger audit_events_no_change
    before update or delete on audit_events
    for each row execute function audit_events_append_only();

create trigger audit_events_no_truncate
    before truncate on audit_events
    for each statement execute function audit_events_append_only();
