-- Consent without pressure: a request names the order it is about (counted
-- per order), and "technical troubleshooting" joins the purposes.
-- migrations/postgres/0020_consent_orders.sql holds the same change for
-- Postgres; change both together.
--
-- SQLite cannot alter a check constraint, so the purpose moves to a new
-- column with the new check, as 0014 did for messages: add it, copy, drop
-- the old one (and the unique index that reads it), rename.

drop index consents_one_open;

alter table consents add column purpose_next text not null default 'installation'
    check (purpose_next in ('delivery_scheduling', 'installation', 'customisation',
                            'technical_troubleshooting'));

update consents set purpose_next = purpose;

alter table consents drop column purpose;

alter table consents rename column purpose_next to purpose;

-- at most one open request or grant per conversation, kind and purpose
create unique index consents_one_open on consents (conversation_id, kind, purpose)
    where status in ('requested', 'granted');

-- the order the request is about; null for requests made before one was required
alter table consents add column order_id text;

-- counting a conversation's requests per order
create index consents_by_order on consents (conversation_id, order_id);
