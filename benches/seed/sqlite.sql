-- Seeds a migrated, empty SQLite database with :messages messages in
-- :conversations conversations; the same rows as benches/seed/postgres.sql
-- in SQLite's dialect (text ids, `YYYY-MM-DDTHH:MM:SS.ffffffZ` times).
-- Run by benches/seed.sh; see docs/performance.md.
.bail on
pragma journal_mode = wal;
-- a seed that dies is simply run again on a fresh file
pragma synchronous = off;
pragma cache_size = -262144;
-- the sqlite3 shell before 3.45 reads json_valid(null) as 0, so the checks
-- on the nullable JSON columns (files, sender_auth_results) would refuse
-- the seeded rows' nulls, which the relay's own SQLite accepts
pragma ignore_check_constraints = on;
begin;

create temp table seed as select max(:conversations / 100, 1) as sellers;

with recursive n(s) as (select 1 union all select s + 1 from n where s < (select sellers from seed))
insert into sellers (id, name, email, created_at)
select printf('00000000-0000-7000-8000-%012d', s), 'Seller ' || s, 'seller' || s || '@shop.example',
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now', '-120 days')
from n;

with recursive n(c) as (select 1 union all select c + 1 from n where c < :conversations)
insert into buyers (id, email, name, created_at, updated_at)
select printf('00000000-0000-7000-9000-%012d', c), 'buyer' || c || '@mail.example', 'Buyer ' || c,
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now', '-120 days'),
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now', '-120 days')
from n;

with recursive n(c) as (select 1 union all select c + 1 from n where c < :conversations)
insert into conversations (id, seller_id, buyer_id, buyer_alias, seller_alias, order_id, created_at)
select printf('00000000-0000-7000-a000-%012d', c),
       printf('00000000-0000-7000-8000-%012d', 1 + (c - 1) % (select sellers from seed)),
       printf('00000000-0000-7000-9000-%012d', c),
       printf('b%015d', c), printf('s%015d', c),
       case when c % 3 = 0 then printf('123-%07d-1234567', c) end,
       strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now', '-100 days')
from n;

insert into aliases (local_part, conversation_id, side)
select buyer_alias, id, 'buyer' from conversations
union all
select seller_alias, id, 'seller' from conversations;

with recursive n(i) as (select 1 union all select i + 1 from n where i < :messages),
numbered as (
    select i, 1 + (i - 1) % :conversations as c, (i - 1) / :conversations as k,
           strftime('%Y-%m-%dT%H:%M:%S.000000Z', 'now', '-' || ((:messages - i) * 7) || ' seconds') as at
    from n
),
m as (
    select i, c, k, at, k % 2 = 0 as buyer, i % 200 = 7 as held, i % 10 in (1, 2, 3) as redact,
           'Hello, I would like to know whether the item is still available and how soon '
           || 'it could be sent. The parcel should fit in a standard letterbox, and I am happy '
           || 'to wait for the next collection if that is easier for you. Could you tell me '
           || 'whether the colour matches the photographs? '
           || case when i % 10 in (1, 2, 3) then 'Call me on +49 170 1234567 please. ' else '' end
           || case when i % 200 = 7 then 'Pay me via PayPal friends and family. ' else '' end
           || 'Thanks a lot.' as text_in
    from numbered
)
insert into messages (id, conversation_id, direction, source, subject, original_body, body,
                      raw_mime, findings, action, status, original_message_id,
                      relayed_message_id, read_at, created_at, updated_at)
select printf('00000000-0000-7000-b000-%012d', i),
       printf('00000000-0000-7000-a000-%012d', c),
       case when buyer then 'buyer_to_seller' else 'seller_to_buyer' end,
       case when buyer then 'email' else 'api' end,
       'Question about the listing',
       text_in,
       replace(text_in, '+49 170 1234567', '[phone removed]'),
       case when buyer then cast('From: <buyer' || c || '@mail.example>' || char(13, 10)
            || 'Subject: Question about the listing' || char(13, 10, 13, 10) || text_in as blob) end,
       case when held then '[{"field":"text","kind":"offsite_payment","start":0,"end":20,"rule":"payment.paypal_ff.en","action":"hold","removed":false}]'
            when redact then '[{"field":"text","kind":"phone","start":250,"end":265,"rule":"phone.libphonenumber","action":"redact","removed":true}]'
            else '[]' end,
       case when held then 'hold' when redact then 'redact' else 'deliver' end,
       case when held then 'held' else 'sent' end,
       case when buyer then 'seed-' || i || '@mail.example' end,
       'seed-' || i || '@relay.localhost',
       case when k < :messages / :conversations - 2 or c % 10 <> 0 then at end,
       at, at
from m;

insert into deliveries (id, message_id, kind, status, attempts, next_attempt_at, created_at, updated_at)
select '00000000-0000-7000-c000-' || substr(id, 25), id, 'relay', 'sent', 1, created_at, created_at, created_at
from messages
where status = 'sent';

insert into audit_events (at, actor_kind, actor_id, action, subject_kind, subject_id, details)
select at, actor_kind, null, action, 'message', subject_id, details
from (
    select created_at as at, case when direction = 'buyer_to_seller' then 'buyer' else 'seller' end as actor_kind,
           'message.received' as action, id as subject_id,
           json_object('source', source, 'conversation_id', conversation_id) as details
    from messages
    union all
    select created_at, 'system', 'message.decided', id,
           json_object('action', action, 'status', status, 'rules', json('[]'))
    from messages
    union all
    select created_at, 'system', 'message.delivered', id, json_object('kind', 'relay', 'attempts', 1)
    from messages
    where status = 'sent'
)
order by at;

drop table seed;
commit;
analyze;
