-- Web sign-in, SQLite dialect. migrations/postgres/0003_accounts.sql holds
-- the same schema for Postgres; change both together.
--
-- Secrets (invitation tokens, session ids) are stored as hex sha-256 only,
-- like api_tokens: a copy of the table signs nobody in.

-- one-time links the operator issues so a seller or staff member can set a password
create table invitations (
    token_hash text primary key,
    seller_id text references sellers (id),
    staff_id text references staff (id),
    created_at text not null,
    expires_at text not null,
    used_at text,
    check ((seller_id is null) <> (staff_id is null))
);

-- one password per person; `email` is copied from sellers/staff so sign-in
-- is one lookup, and is unique so an address names exactly one account
create table credentials (
    email text not null constraint credential_email unique,
    seller_id text constraint credential_seller unique references sellers (id),
    staff_id text constraint credential_staff unique references staff (id),
    -- argon2id PHC string, salt and parameters included
    password_hash text not null,
    updated_at text not null,
    check ((seller_id is null) <> (staff_id is null))
);

-- signed-in browsers; the cookie holds the id, this table its sha-256
create table web_sessions (
    id_hash text primary key,
    seller_id text references sellers (id),
    staff_id text references staff (id),
    -- the token every form of this session must carry
    csrf_token text not null,
    created_at text not null,
    expires_at text not null,
    check ((seller_id is null) <> (staff_id is null))
);

-- failed sign-ins, keyed by sha-256 of (email, client address), for the rate limit
create table login_failures (
    key_hash text not null,
    at text not null
);

create index login_failures_by_key on login_failures (key_hash, at);

-- "no response needed": the seller closed the thread without replying
create table inbox_answered (
    conversation_id text primary key references conversations (id),
    answered_at text not null
);
