-- The sender authentication results behind each mail's verdict (SPF result
-- and domain, each DKIM signature's result and signing domain, DMARC result
-- and policy, From alignment, and whether a trusted edge reported them), for
-- staff. They name the sender's domains, so they live with the message and
-- not in the audit trail. migrations/sqlite/0012_sender_auth_results.sql holds
-- the same change for the other engine; change both together.
--
-- Null for messages that did not come by mail and for mail stored before
-- this migration (their verdict alone is in sender_auth).
alter table messages add column sender_auth_results jsonb;
