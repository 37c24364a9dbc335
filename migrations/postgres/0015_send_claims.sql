-- The send claim: set by a delivery worker just before it hands the mail
-- to the transport, cleared when the attempt is recorded. A held-for-review
-- notice is withdrawn by the staff decision only while it is unset, so the
-- decision and the send race on this one row and exactly one wins.
-- migrations/sqlite/0015_send_claims.sql holds the same change for SQLite;
-- change both together.
alter table deliveries add column sending_at timestamptz;
