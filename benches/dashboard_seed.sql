-- Seeds a migrated SQLite database for timing the staff dashboard:
-- 50 sellers, 2,000 conversations and :count messages spread over the last
-- 30 days (30% with a phone redacted, 10% held for off-platform payment).
-- See docs/performance.md.
--   sqlite3 data/marketrelay.db -cmd ".param set :count 100000" < benches/dashboard_seed.sql
pragma journal_mode = wal;
-- as in benches/seed/sqlite.sql: the sqlite3 shell before 3.45 reads
-- json_valid(null) as 0 and would refuse the nullable JSON columns' nulls
pragma ignore_check_constraints = on;
begin;
with recursive n(i) as (select 1 union all select i + 1 from n where i < 50)
insert into sellers (id, name, email, created_at)
select printf('00000000-0000-7000-8000-%012d', i), 'Seller ' || i, 'seller' || i || '@shop.example', '2026-01-01T00:00:00.000000Z' from n;
with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000)
insert into buyers (id, email, name, created_at, updated_at)
select printf('00000000-0000-7000-9000-%012d', i), 'buyer' || i || '@mail.example', 'Buyer ' || i, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z' from n;
with recursive n(i) as (select 1 union all select i + 1 from n where i < 2000)
insert into conversations (id, seller_id, buyer_id, buyer_alias, seller_alias, created_at)
select printf('00000000-0000-7000-a000-%012d', i), printf('00000000-0000-7000-8000-%012d', 1 + i % 50),
       printf('00000000-0000-7000-9000-%012d', i), printf('b%015d', i), printf('s%015d', i), '2026-01-01T00:00:00.000000Z' from n;
with recursive n(i) as (select 1 union all select i + 1 from n where i < :count)
insert into messages (id, conversation_id, direction, source, subject, original_body, body, findings, action, status,
                      relayed_message_id, created_at, updated_at)
select printf('00000000-0000-7000-b000-%012d', i),
       printf('00000000-0000-7000-a000-%012d', 1 + i % 2000),
       case when i % 2 = 0 then 'buyer_to_seller' else 'seller_to_buyer' end,
       'email', 'Question about order ' || i,
       'Hello, is it still available? Call me on +49 170 1234567 please.',
       'Hello, is it still available? Call me on [phone removed] please.',
       case when i % 10 < 3 then '[{"field":"text","kind":"phone","start":41,"end":57,"rule":"phone.libphonenumber","action":"redact","removed":true}]'
            when i % 10 = 3 then '[{"field":"text","kind":"offsite_payment","start":0,"end":20,"rule":"payment.paypal_ff.en","action":"hold","removed":false}]'
            else '[]' end,
       case when i % 10 < 3 then 'redact' when i % 10 = 3 then 'hold' else 'deliver' end,
       case when i % 10 = 3 then 'held' else 'sent' end,
       '<r' || i || '@relay.localhost>',
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now', '-' || (i % (30 * 24 * 60)) || ' minutes'),
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now', '-' || (i % (30 * 24 * 60)) || ' minutes')
from n;

-- The read paths' kept figures, as migration 0018 fills them for the
-- messages stored before it (the same statements; change both together).
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
