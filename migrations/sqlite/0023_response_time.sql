-- Response time (domain::response_time): buyer messages marked as needing
-- no reply, and the index that finds the seller's next message after a
-- buyer message. migrations/postgres/0023_response_time.sql holds the same
-- change for the other engine; change both together.

-- A buyer message the seller, or the operator, marked "no response
-- needed": it leaves the seller's response time. Marked once; the first
-- mark stands.
create table message_no_response (
    message_id text primary key not null references messages (id),
    marked_by text not null check (marked_by in ('seller', 'operator')),
    marked_at text not null
);

-- The first seller message after a buyer message is one seek into this
-- index, per buyer message, rather than a scan of the conversation.
create index messages_by_conversation_direction on messages (conversation_id, direction, created_at);
