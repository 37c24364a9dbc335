-- The orders a conversation is about, and sign-in attempts reserved before
-- a password is hashed. migrations/sqlite/0009_orders_and_sign_in_attempts.sql
-- holds the same change for the other engine; change both together.

-- every order the operator registered for a conversation; only these make a
-- seller's message "about an order" once the buyer opted out
create table conversation_orders (
    conversation_id uuid not null references conversations (id),
    order_id text not null,
    created_at timestamptz not null,
    primary key (conversation_id, order_id)
);

insert into conversation_orders (conversation_id, order_id, created_at)
select id, order_id, created_at
from conversations
where order_id is not null;

-- a sign-in reserves one row per limit key before hashing, so parallel
-- attempts count against the limit; a successful one takes its rows back
alter table login_failures add column attempt_id text;

create index login_failures_by_attempt on login_failures (attempt_id);

-- one row per limit key, updated to lock it: attempts under one key are
-- counted and reserved one after another, never side by side
create table attempt_locks (
    key_hash text primary key,
    touched_at timestamptz not null
);
