-- Strikes and warnings: staff warn a seller about a held message (the
-- warning is kept and mailed through the queue), every confirmed violation
-- (a seller's message rejected by staff, or warned about) is kept with its
-- time so that enough of them within a period suspend the seller, and a
-- surge of buyer reports puts the seller in a review queue.
-- migrations/sqlite/0022_strikes.sql holds the same change for SQLite;
-- change both together.

create table seller_warnings (
    id uuid primary key,
    seller_id uuid not null references sellers (id),
    -- one warning per message: staff warn about a message once
    message_id uuid not null unique references messages (id),
    staff_id uuid not null references staff (id),
    reason text not null,
    created_at timestamptz not null
);

create index seller_warnings_by_seller on seller_warnings (seller_id, created_at);

-- a message counts once, whether it was rejected, warned about, or both:
-- the first of them is the violation, at its time
create table seller_violations (
    message_id uuid primary key references messages (id),
    seller_id uuid not null references sellers (id),
    kind text not null check (kind in ('rejected', 'warned')),
    staff_id uuid not null references staff (id),
    at timestamptz not null
);

create index seller_violations_by_seller on seller_violations (seller_id, at);

-- a seller many buyers reported lately, until staff clear the review
create table seller_reviews (
    id uuid primary key,
    seller_id uuid not null references sellers (id),
    opened_at timestamptz not null,
    -- distinct buyers whose reports opened it
    buyers bigint not null,
    cleared_at timestamptz,
    cleared_by uuid references staff (id),
    note text
);

-- at most one open review per seller
create unique index seller_reviews_one_open on seller_reviews (seller_id) where cleared_at is null;
create index seller_reviews_by_seller on seller_reviews (seller_id, opened_at);

-- counting the buyers who reported a seller lately
create index reports_by_conversation on reports (conversation_id, created_at);

-- since when and why the seller is suspended; when they were last reinstated
-- (violations before that no longer count toward a suspension)
alter table sellers add column suspended_at timestamptz;
alter table sellers add column suspension_reason text;
alter table sellers add column reinstated_at timestamptz;

-- the queue also carries warnings to sellers
alter table deliveries drop constraint deliveries_kind_check;
alter table deliveries add constraint deliveries_kind_check
    check (kind in ('relay', 'notice', 'consent_request', 'warning'));
