-- How many messages a seller wrote lately, per seller and clock hour and
-- per conversation and UTC day, so every node on this database applies the
-- same rate limits and a restart resets nothing.
-- migrations/postgres/0021_seller_message_windows.sql holds the same change
-- for Postgres; change both together.
--
-- One row per key (`seller:<id>` or `conversation:<id>`) and window, named
-- by when the window ends; a message is counted only while its window has
-- room, and windows that ended are deleted as new messages are counted.
create table seller_message_windows (
    window_key text not null,
    ends_at text not null,
    messages integer not null,
    primary key (window_key, ends_at)
);

create index seller_message_windows_by_end on seller_message_windows (ends_at);
