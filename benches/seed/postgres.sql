-- Seeds a migrated, empty Postgres database with :messages messages in
-- :conversations conversations (one buyer each, 100 per seller), spread
-- over the last ~80 days as the service writes them: every message with
-- its delivery and audit events. Run by benches/seed.sh; see docs/performance.md.
\set ON_ERROR_STOP on
select greatest(:conversations / 100, 1) as sellers \gset
set synchronous_commit = off;
begin;

insert into sellers (id, name, email, created_at)
select ('00000000-0000-7000-8000-' || lpad(s::text, 12, '0'))::uuid,
       'Seller ' || s, 'seller' || s || '@shop.example', now() - interval '120 days'
from generate_series(1, :sellers) s;

insert into buyers (id, email, name, created_at, updated_at)
select ('00000000-0000-7000-9000-' || lpad(c::text, 12, '0'))::uuid,
       'buyer' || c || '@mail.example', 'Buyer ' || c,
       now() - interval '120 days', now() - interval '120 days'
from generate_series(1, :conversations) c;

-- conversation c belongs to seller 1 + (c - 1) % sellers; aliases are 16
-- lowercase letters and digits, as the service makes them
insert into conversations (id, seller_id, buyer_id, buyer_alias, seller_alias, order_id, created_at)
select ('00000000-0000-7000-a000-' || lpad(c::text, 12, '0'))::uuid,
       ('00000000-0000-7000-8000-' || lpad((1 + (c - 1) % :sellers)::text, 12, '0'))::uuid,
       ('00000000-0000-7000-9000-' || lpad(c::text, 12, '0'))::uuid,
       'b' || lpad(c::text, 15, '0'), 's' || lpad(c::text, 15, '0'),
       case when c % 3 = 0 then '123-' || lpad(c::text, 7, '0') || '-1234567' end,
       now() - interval '100 days'
from generate_series(1, :conversations) c;

insert into aliases (local_part, conversation_id, side)
select buyer_alias, id, 'buyer' from conversations
union all
select seller_alias, id, 'seller' from conversations;

-- message i goes to conversation 1 + (i - 1) % conversations, so every
-- thread runs over the whole period; one in ten has a phone redacted, one
-- in two hundred is held for off-platform payment
insert into messages (id, conversation_id, direction, source, subject, original_body, body,
                      raw_mime, findings, action, status, original_message_id,
                      relayed_message_id, read_at, created_at, updated_at)
select ('00000000-0000-7000-b000-' || lpad(i::text, 12, '0'))::uuid,
       ('00000000-0000-7000-a000-' || lpad(c::text, 12, '0'))::uuid,
       case when buyer then 'buyer_to_seller' else 'seller_to_buyer' end,
       case when buyer then 'email' else 'api' end,
       'Question about the listing',
       text_in,
       replace(text_in, '+49 170 1234567', '[phone removed]'),
       case when buyer then convert_to('From: <buyer' || c || '@mail.example>' || E'\r\n'
            || 'Subject: Question about the listing' || E'\r\n\r\n' || text_in, 'UTF8') end,
       case when held then '[{"field":"text","kind":"offsite_payment","start":0,"end":20,"rule":"payment.paypal_ff.en","action":"hold","removed":false}]'::jsonb
            when redact then '[{"field":"text","kind":"phone","start":250,"end":265,"rule":"phone.libphonenumber","action":"redact","removed":true}]'::jsonb
            else '[]'::jsonb end,
       case when held then 'hold' when redact then 'redact' else 'deliver' end,
       case when held then 'held' else 'sent' end,
       case when buyer then 'seed-' || i || '@mail.example' end,
       'seed-' || i || '@relay.localhost',
       case when k < :messages / :conversations - 2 or c % 10 <> 0 then at end,
       at, at
from (
    select i, c, k, at, k % 2 = 0 as buyer, i % 200 = 7 as held, i % 10 in (1, 2, 3) as redact,
           'Hello, I would like to know whether the item is still available and how soon '
           || 'it could be sent. The parcel should fit in a standard letterbox, and I am happy '
           || 'to wait for the next collection if that is easier for you. Could you tell me '
           || 'whether the colour matches the photographs? '
           || case when i % 10 in (1, 2, 3) then 'Call me on +49 170 1234567 please. ' else '' end
           || case when i % 200 = 7 then 'Pay me via PayPal friends and family. ' else '' end
           || 'Thanks a lot.' as text_in
    from (
        select i, 1 + (i - 1) % :conversations as c, (i - 1) / :conversations as k,
               now() - (:messages - i) * interval '7 seconds' as at
        from generate_series(1, :messages) i
    ) n
) m;

insert into deliveries (id, message_id, kind, status, attempts, next_attempt_at, created_at, updated_at)
select ('00000000-0000-7000-c000-' || substr(id::text, 25))::uuid, id, 'relay', 'sent', 1,
       created_at, created_at, created_at + interval '1 second'
from messages
where status = 'sent';

insert into audit_events (at, actor_kind, actor_id, action, subject_kind, subject_id, details)
select at, actor_kind, actor_id, action, 'message', subject_id, details
from (
    select created_at as at, case when direction = 'buyer_to_seller' then 'buyer' else 'seller' end as actor_kind,
           null::text as actor_id, 'message.received' as action, id::text as subject_id,
           jsonb_build_object('source', source, 'conversation_id', conversation_id) as details
    from messages
    union all
    select created_at, 'system', null, 'message.decided', id::text,
           jsonb_build_object('action', action, 'status', status, 'rules', '[]'::jsonb)
    from messages
    union all
    select created_at + interval '1 second', 'system', null, 'message.delivered', id::text,
           jsonb_build_object('kind', 'relay', 'attempts', 1)
    from messages
    where status = 'sent'
) e
order by at;

commit;
analyze;
