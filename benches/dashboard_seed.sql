-- Seeds a migrated SQLite database for timing the staff dashboard:
-- 50 sellers, 2,000 conversations and :count messages spread over the last
-- 30 days (30% with a phone redacted, 10% held for off-platform payment).
-- See docs/performance.md.
--   sqlite3 data/marketrelay.db -cmd ".param set :count 100000" < benches/dashboard_seed.sql
--   benches/seed/kept_figures.sh sqlite | sqlite3 data/marketrelay.db   # the dashboard's counts
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
commit;
