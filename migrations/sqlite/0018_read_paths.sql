-- The read paths at a million stored messages: the seller's conversation
-- list by keyset on its last activity, the review queue by keyset, and
-- the dashboard's counts kept per day as messages are stored instead of
-- read message by message. migrations/postgres/0018_read_paths.sql holds
-- the same change for the other engine; change both together.

-- When the conversation last had activity the seller may see: the newest
-- message that is not buyer mail withheld from them (held, blocked,
-- rejected), or its creation when there is none. Kept by the store as
-- messages are stored and released.
-- The default only fills the column until the update below.
alter table conversations add column last_activity_at text not null default '';
update conversations
set last_activity_at = coalesce(
    (select max(m.created_at)
     from messages m
     where m.conversation_id = conversations.id
       and (m.direction = 'seller_to_buyer' or m.status not in ('held', 'blocked', 'rejected'))),
    created_at);
create index conversations_by_seller_activity on conversations (seller_id, last_activity_at, id);
-- A page's rows count their unread mail and find their last message from
-- the index alone, not from the message rows with their bodies.
create index messages_seen_by_seller on messages (conversation_id, direction, status, read_at, created_at);

-- The review queue's order, so a page is read from where the last ended.
create index messages_held_by_time on messages (created_at, id) where status = 'held';

-- Messages per UTC day of their arrival by outcome (see store::stats::Outcome),
-- and staff decisions per UTC day of the decision.
create table daily_message_counts (
    day text primary key,
    delivered integer not null default 0,
    redacted integer not null default 0,
    held integer not null default 0,
    blocked integer not null default 0,
    released integer not null default 0,
    rejected integer not null default 0
);

-- Messages per day with at least one finding of a kind.
create table daily_finding_counts (
    day text not null,
    kind text not null,
    messages integer not null default 0,
    primary key (day, kind)
);

-- Per day and seller: messages with any finding, and held or blocked ones;
-- a row only where either is not zero.
create table daily_seller_counts (
    day text not null,
    seller_id text not null references sellers (id),
    with_findings integer not null default 0,
    held_or_blocked integer not null default 0,
    primary key (day, seller_id)
);

-- The counts of the messages stored so far, through a table of each
-- message's day, seller and outcome dropped at the end (benches/seed/sqlite.sql
-- fills them the same way after seeding).
create table counted_messages (
    id text primary key,
    day text not null,
    seller_id text not null,
    findings text not null,
    with_findings boolean not null,
    outcome text not null
);
insert into counted_messages (id, day, seller_id, findings, with_findings, outcome)
select m.id, substr(m.created_at, 1, 10) as day, c.seller_id, m.findings,
       json_array_length(m.findings) > 0 as with_findings,
       case
           when m.status = 'blocked' then 'blocked'
           when m.status in ('held', 'rejected') or m.action = 'hold' then 'held'
           -- released since: still counted as held
           when exists (
               select 1 from audit_events a
               where a.subject_id = m.id and a.action in ('message.released', 'message.rejected')
           ) then 'held'
           when m.action = 'redact' then 'redacted'
           else 'delivered'
       end as outcome
from messages m
join conversations c on c.id = m.conversation_id;

insert into daily_message_counts (day, delivered, redacted, held, blocked)
select day, sum(outcome = 'delivered'), sum(outcome = 'redacted'), sum(outcome = 'held'),
       sum(outcome = 'blocked')
from counted_messages
group by day;

insert into daily_message_counts (day, released, rejected)
select substr(at, 1, 10), sum(action = 'message.released'), sum(action = 'message.rejected')
from audit_events
where action in ('message.released', 'message.rejected')
group by substr(at, 1, 10)
on conflict (day) do update
set released = excluded.released, rejected = excluded.rejected;

insert into daily_finding_counts (day, kind, messages)
select day, kind, count(*)
from (
    select distinct k.id, k.day, json_extract(f.value, '$.kind') as kind
    from counted_messages k, json_each(k.findings) f
    where k.with_findings
)
group by day, kind;

insert into daily_seller_counts (day, seller_id, with_findings, held_or_blocked)
select day, seller_id, sum(with_findings), sum(outcome in ('held', 'blocked'))
from counted_messages
where with_findings or outcome in ('held', 'blocked')
group by day, seller_id;

drop table counted_messages;
