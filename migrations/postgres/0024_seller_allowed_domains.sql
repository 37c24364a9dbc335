-- Help links sellers may send: per seller, the domains (and their
-- subdomains) whose links pass in that seller's messages to buyers.
-- migrations/sqlite/0024_seller_allowed_domains.sql holds the same change
-- for SQLite; change both together.

create table seller_allowed_domains (
    seller_id uuid not null references sellers (id),
    -- lower-case ASCII (punycode), never a public suffix; checked by domain::HelpDomain
    domain text not null,
    added_at timestamptz not null,
    -- who added it: an actor kind (`operator`)
    added_by text not null,
    primary key (seller_id, domain)
);
