-- The read paths' kept figures for messages inserted straight into the
-- tables (the seeds): conversations' last activity and the dashboard's
-- daily counts, filled as migration 0018 fills them for the messages
-- stored before it. The same statements as
-- migrations/sqlite/0018_read_paths.sql; change both together.
-- Run after benches/seed/sqlite.sql by benches/seed.sh, and after benches/dashboard_seed.sql:
--   sqlite3 data/marketrelay.db < benches/seed/kept_figures_sqlite.sql
begin;

update conversations
set last_activity_at = coalesce(
    (select max(m.created_at)
     from messages m
     where m.conversation_id = conversations.id
       and (m.direction = 'seller_to_buyer' or m.status not in ('held', 'blocked', 'rejected'))),
    created_at);

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

commit;
analyze;
