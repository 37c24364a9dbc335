-- Indexes for the staff dashboard and the access log, which read messages
-- by time and audit events by action. migrations/postgres/0007_dashboard_indexes.sql
-- holds the same change for the other engine; change both together.

create index messages_by_time on messages (created_at);
create index audit_events_by_action on audit_events (action, at);
