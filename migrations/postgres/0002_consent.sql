-- Consent-based disclosure of a buyer's phone number, and the secret that
-- signs the buyer's answer links. migrations/sqlite/0002_consent.sql holds
-- the same change for SQLite; change both together.

-- in E.164 form; reaches a seller only while the buyer's consent holds
alter table buyers add column phone text;

-- one row follows a request through its life: requested, then granted or
-- declined; a grant ends as revoked or expired
create table consents (
    id uuid primary key,
    conversation_id uuid not null references conversations (id),
    -- the mail that carried the request to the buyer
    message_id uuid not null unique references messages (id),
    kind text not null check (kind in ('phone')),
    purpose text not null
        check (purpose in ('delivery_scheduling', 'installation', 'customisation')),
    status text not null
        check (status in ('requested', 'granted', 'declined', 'revoked', 'expired')),
    valid_for_days bigint not null check (valid_for_days between 1 and 365),
    requested_at timestamptz not null,
    decided_at timestamptz,
    -- while requested: the deadline to answer; once granted: when the grant ends
    expires_at timestamptz not null,
    -- when it was revoked or recorded as expired
    ended_at timestamptz
);

create index consents_by_conversation on consents (conversation_id, requested_at);
-- at most one open request or grant per conversation, kind and purpose
create unique index consents_one_open on consents (conversation_id, kind, purpose)
    where status in ('requested', 'granted');
-- the expiry sweep
create index consents_open_by_expiry on consents (expires_at)
    where status in ('requested', 'granted');

-- the queue also carries consent requests to buyers
alter table deliveries drop constraint deliveries_kind_check;
alter table deliveries add constraint deliveries_kind_check
    check (kind in ('relay', 'notice', 'consent_request'));

-- secrets the service generates once and keeps (the link signing key)
create table secrets (
    name text primary key,
    value text not null,
    created_at timestamptz not null
);
