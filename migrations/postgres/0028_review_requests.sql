-- Review requests once per order, after delivery: when the marketplace
-- marked each order delivered, and the seller's one review request for it.
-- migrations/sqlite/0028_review_requests.sql holds the same change for
-- SQLite; change both together.

-- set once, by the operator (`POST .../orders/{order_id}/delivered`)
alter table conversation_orders add column delivered_at timestamptz;

-- the seller's review request for this order; a second one is promotional
alter table conversation_orders add column review_requested_at timestamptz;

-- the message that asked; no foreign key, as messages are purged and erased on their own
alter table conversation_orders add column review_request_message_id uuid;
