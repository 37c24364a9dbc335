-- What the relay learnt about a message that arrived by mail, so later steps
-- (delivery, staff review) can act on it. migrations/sqlite/0008_inbound_mail_facts.sql
-- holds the same change for the other engine; change both together.

-- The RFC 3834 keyword of automatic mail (auto-replied, auto-generated, ...):
-- it is never answered with a notice, its relayed copy says it is automatic,
-- and an automatic answer to automatic mail is not relayed. Null for mail a
-- person wrote and for every message that did not come by mail.
alter table messages add column auto_submitted text;

-- The sender authentication verdict (pass, fail, none, temperror) taken on
-- arrival; staff see it, and a message whose sender failed it never causes
-- a notice to the address it claimed. Null for messages that did not come by mail.
alter table messages add column sender_auth text;
