-- Consent without pressure: a request names the order it is about (counted
-- per order), and "technical troubleshooting" joins the purposes.
-- migrations/sqlite/0020_consent_orders.sql holds the same change for
-- SQLite; change both together.

alter table consents drop constraint consents_purpose_check;
alter table consents add constraint consents_purpose_check
    check (purpose in ('delivery_scheduling', 'installation', 'customisation',
                       'technical_troubleshooting'));

-- the order the request is about; null for requests made before one was required
alter table consents add column order_id text;

-- counting a conversation's requests per order
create index consents_by_order on consents (conversation_id, order_id);
