-- no-transaction
-- Consent-based disclosure of a buyer's phone number, and the secret that
-- signs the buyer's answer links. migrations/postgres/0002_consent.sql holds
-- the same change for Postgres; change both together.
--
-- SQLite cannot alter a check constraint, so `deliveries` is rebuilt the way
-- the SQLite manual prescribes: foreign keys off outside the transaction,
-- the rebuild inside it.

pragma foreign_keys = off;

begin immediate;

-- in E.164 form; reaches a seller only while the buyer's consent holds
alter table buyers add column phone text;

-- one row follows a request through its life: requested, then granted or
-- declined; a grant ends as revoked or expired
create table consents (
    id text primary key,
    conversation_id text not null references conversations (id),
    -- the mail that carried the request to the buyer
    message_id text not null unique references messages (id),
    kind text not null check (kind in ('phone')),
    purpose text not null
        check (purpose in ('delivery_scheduling', 'installation', 'customisation')),
    status text not null
        check (status in ('requested', 'granted', 'declined', 'revoked', 'expired')),
    valid_for_days integer not null check (valid_for_days between 1 and 365),
    requested_at text not null,
    decided_at text,
    -- while requested: the deadline to answer; once granted: when the grant ends
    expires_at text not null,
    -- when it was revoked or recorded as expired
    ended_at text
);

create index consents_by_conversation on consents (conversation_id, requested_at);
-- at most one open request or grant per conversation, kind and purpose
create unique index consents_one_open on consents (conversation_id, kind, purpose)
    where status in ('requested', 'granted');
-- the expiry sweep
create index consents_open_by_expiry on consents (expires_at)
    where status in ('requested', 'granted');

-- the queue also carries consent requests to buyers
create table deliveries_new (
    id text primary key,
    message_id text not null references messages (id),
    kind text not null check (kind in ('relay', 'notice', 'consent_request')),
    status text not null check (status in ('pending', 'sent', 'failed')),
    attempts integer not null default 0,
    next_attempt_at text not null,
    last_error text,
    created_at text not null,
    updated_at text not null
);

insert into deliveries_new
    (id, message_id, kind, status, attempts, next_attempt_at, last_error, created_at, updated_at)
select id, message_id, kind, status, attempts, next_attempt_at, last_error, created_at, updated_at
from deliveries;

drop table deliveries;
alter table deliveries_new rename to deliveries;

create index deliveries_due on deliveries (next_attempt_at, created_at) where status = 'pending';
create index deliveries_by_message on deliveries (message_id);

-- secrets the service generates once and keeps (the link signing key)
create table secrets (
    name text primary key,
    value text not null,
    created_at text not null
);

commit;

pragma foreign_keys = on;
