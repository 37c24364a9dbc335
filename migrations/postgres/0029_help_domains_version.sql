-- A version of each seller's help domains, raised by every change to the
-- list: a save that names the version it read is refused when another
-- landed since, rather than silently overwriting it.
-- migrations/sqlite/0029_help_domains_version.sql holds the same change for
-- SQLite; change both together.
alter table sellers add column help_domains_version bigint not null default 0;
