-- The read paths' kept figures for messages inserted straight into the
-- tables (the seeds): conversations' last activity and the dashboard's
-- daily counts, filled as migration 0018 fills them for the messages
-- stored before it. The same statements as
-- migrations/postgres/0018_read_paths.sql; change both together.
-- Run after benches/seed/postgres.sql by benches/seed.sh.
begin;

update conversations
set last_activity_at = coalesce(
    (select max(m.created_at)
     from messages m
     where m.conversation_id = conversations.id
       and (m.direction = 'seller_to_buyer' or m.status not in ('held', 'blocked', 'rejected'))),
    created_at);

create table counted_messages (
    id uuid primary key,
    day date not null,
    seller_id uuid not null,
    findings jsonb not null,
    with_findings boolean not null,
    outcome text not null
);
insert into counted_messages (id, day, seller_id, findings, with_findings, outcome)
select m.id, (m.created_at at time zone 'UTC')::date as day, c.seller_id, m.findings,
       jsonb_array_length(m.findings) > 0 as with_findings,
       case
           when m.status = 'blocked' then 'blocked'
           when m.status in ('held', 'rejected') or m.action = 'hold' then 'held'
           -- released since: still counted as held
           when exists (
               select 1 from audit_events a
               where a.subject_id = m.id::text and a.action in ('message.released', 'message.rejected')
           ) then 'held'
           when m.action = 'redact' then 'redacted'
           else 'delivered'
       end as outcome
from messages m
join conversations c on c.id = m.conversation_id;

insert into daily_message_counts (day, delivered, redacted, held, blocked)
select day, count(*) filter (where outcome = 'delivered'), count(*) filter (where outcome = 'redacted'),
       count(*) filter (where outcome = 'held'), count(*) filter (where outcome = 'blocked')
from counted_messages
group by day;

insert into daily_message_counts (day, released, rejected)
select (at at time zone 'UTC')::date, count(*) filter (where action = 'message.released'),
       count(*) filter (where action = 'message.rejected')
from audit_events
where action in ('message.released', 'message.rejected')
group by 1
on conflict (day) do update
set released = excluded.released, rejected = excluded.rejected;

insert into daily_finding_counts (day, kind, messages)
select day, kind, count(*)
from (
    select distinct k.id, k.day, f.value ->> 'kind' as kind
    from counted_messages k, jsonb_array_elements(k.findings) f
    where k.with_findings
) found
group by day, kind;

insert into daily_seller_counts (day, seller_id, with_findings, held_or_blocked)
select day, seller_id, count(*) filter (where with_findings),
       count(*) filter (where outcome in ('held', 'blocked'))
from counted_messages
where with_findings or outcome in ('held', 'blocked')
group by day, seller_id;

drop table counted_messages;

commit;
analyze;
