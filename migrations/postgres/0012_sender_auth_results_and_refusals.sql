-- The sender authentication results behind each mail's verdict (SPF result
-- and domain, each DKIM signature's result and signing domain, DMARC result
-- and policy, From alignment, and whether a trusted edge reported them), for
-- staff. They name the sender's domains, so they live with the message and
-- not in the audit trail.
-- migrations/sqlite/0012_sender_auth_results_and_refusals.sql holds the same change for the
-- other engine; change both together.
--
-- Null for messages that did not come by mail and for mail stored before
-- this migration (their verdict alone is in sender_auth).
alter table messages add column sender_auth_results jsonb;

-- Refused SMTP attempts per client address or alias in fixed windows, so
-- every node on this database applies the same limits and a restart resets
-- nothing. One row per key refused lately; rows whose window ended are
-- deleted as new refusals are counted.
create table refusal_windows (
    refusal_key text primary key,
    started_at timestamptz not null,
    refusals bigint not null
);

create index refusal_windows_by_start on refusal_windows (started_at);
