-- Buyers' reports of messages they received, and a buyer's opt-out from a
-- seller's messages that are not about an order. migrations/postgres/0005_reports.sql
-- holds the same change for the other engine; change both together.

create table reports (
    id text primary key,
    -- one report per message: filing again through the same link changes nothing
    message_id text not null unique references messages (id),
    conversation_id text not null references conversations (id),
    reason text check (reason in ('spam', 'harassment', 'scam', 'off_platform', 'other')),
    comment text,
    created_at text not null,
    status text not null check (status in ('open', 'resolved')),
    resolved_by text references staff (id),
    resolution_note text,
    resolved_at text
);

-- the staff queue: open reports, oldest first
create index reports_by_status on reports (status, created_at);

-- when the buyer asked not to receive the seller's messages that are not
-- about an order; null while they receive them
alter table conversations add column buyer_opted_out_at text;

-- why a message was blocked when the policy is not the reason (e.g. 'buyer_opted_out')
alter table messages add column block_reason text;
