//! The `Store` implementation both SQL backends share, one file per
//! aggregate (parties, conversations, messages and review, queue, consents,
//! audit, moderation and search, reports) plus `common.rs` for the steps
//! they share inside a transaction and `store.rs` for the `Store` itself.
//!
//! The statements run unchanged on Postgres and SQLite (`$N` placeholders,
//! `on conflict`, `returning`) and are plain `const`s beside the code that
//! runs them; `rows::DbId` and `rows::DbTime` make ids and times mean the
//! same on both. Each aggregate file is compiled twice, as a module of
//! `store::sqlite` and of `store::postgres` (`#[path]`), where `super::Db`
//! and `super::Backend` name that engine and its store; the backend also
//! supplies its pool, how a write transaction begins, and the one statement
//! that differs: claiming a delivery. This module holds what is not
//! compiled per engine: the shared column lists and the generated SQL.

/// The columns every conversation query selects, in `rows::ConversationRow` order.
macro_rules! conversation_select {
    () => {
        r#"
        select c.id, c.buyer_alias, c.seller_alias, c.order_id, c.blocked, c.created_at,
               s.id as seller_id, s.name as seller_name, s.email as seller_email,
               s.external_id as seller_external_id, s.country as seller_country,
               s.suspended as seller_suspended,
               s.created_at as seller_created_at,
               b.id as buyer_id, b.name as buyer_name, b.email as buyer_email,
               b.external_id as buyer_external_id, b.phone as buyer_phone,
               b.country as buyer_country, s.language as seller_language,
               b.language as buyer_language
        from conversations c
        join sellers s on s.id = c.seller_id
        join buyers b on b.id = c.buyer_id
        "#
    };
}
pub(crate) use conversation_select;

/// The columns every message query selects, in `rows::MessageRow` order.
/// Never the raw MIME itself: it can be megabytes and has its own accessor.
macro_rules! message_select {
    () => {
        r#"
        select m.id, m.conversation_id, m.direction, m.source, m.subject,
               m.original_body, m.body, m.html, (m.raw_mime is not null) as has_raw,
               m.findings, m.action, m.status, m.original_message_id,
               m.relayed_message_id, m.in_reply_to, m.reference_ids, m.read_at,
               m.created_at, m.updated_at, m.auto_submitted, m.sender_auth, m.files,
               m.block_reason, m.purged_at, m.sender_auth_results,
               m.sender_name, m.recipient_name
        from messages m
        "#
    };
}
pub(crate) use message_select;

/// `domain::seller_may_see` as SQL over the messages aliased `m`, built
/// from the function itself so the lists count what the pages show.
pub(crate) fn seller_may_see_sql() -> String {
    use crate::domain::{Direction, seller_may_see};
    status_arms(
        "direction",
        [Direction::BuyerToSeller, Direction::SellerToBuyer],
        Direction::as_str,
        seller_may_see,
    )
}

/// A rule over a message's `column` and status as SQL over the messages
/// aliased `m`, one arm per value of the column: `(m.column = 'value'
/// and m.status in (…))` for the statuses `allowed` takes with it.
fn status_arms<K: Copy>(
    column: &str,
    values: impl IntoIterator<Item = K>,
    name: impl Fn(K) -> &'static str,
    allowed: impl Fn(K, crate::domain::MessageStatus) -> bool,
) -> String {
    use crate::domain::MessageStatus;
    let arms: Vec<String> = values
        .into_iter()
        .filter_map(|value| {
            let statuses: Vec<String> = MessageStatus::ALL
                .into_iter()
                .filter(|s| allowed(value, *s))
                .map(|s| format!("'{}'", s.as_str()))
                .collect();
            (!statuses.is_empty()).then(|| {
                format!(
                    "(m.{column} = '{}' and m.status in ({}))",
                    name(value),
                    statuses.join(", ")
                )
            })
        })
        .collect();
    if arms.is_empty() {
        "(1 = 0)".to_owned()
    } else {
        format!("({})", arms.join(" or "))
    }
}

/// One line per conversation for the list, filtered by `filter`. `unread`
/// counts the buyer messages the seller may see and has not opened; for a
/// seller's own list, the last activity is also only what they may see, so
/// a withheld message does not show even as a time.
fn summary_sql(filter: &str, for_seller: bool) -> String {
    let visible = seller_may_see_sql();
    let last = if for_seller {
        format!("max(m.created_at) filter (where {visible})")
    } else {
        "max(m.created_at)".to_owned()
    };
    format!(
        r#"
        select c.id, c.seller_id, c.buyer_alias, c.seller_alias,
               b.name as buyer_name, c.order_id, c.blocked,
               s.suspended as seller_suspended,
               {last} as last_message_at,
               count(m.id) filter (
                   where m.direction = 'buyer_to_seller'
                     and m.read_at is null
                     and {visible}
               ) as unread
        from conversations c
        join buyers b on b.id = c.buyer_id
        join sellers s on s.id = c.seller_id
        left join messages m on m.conversation_id = c.id
        {filter}
        group by c.id, b.name, s.suspended
        -- newest activity first; a conversation without messages counts from its creation
        order by coalesce({last}, c.created_at) desc, c.id desc
        "#
    )
}

/// Marks what the seller may see of the buyer's mail as read; a held
/// message released later is still unread.
pub(crate) static MARK_READ_BY_SELLER: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!(
            r#"
            update messages
            set read_at = $1
            where id in (
                select m.id
                from messages m
                where m.conversation_id = $2
                  and m.direction = 'buyer_to_seller'
                  and m.read_at is null
                  and {}
            )
            "#,
            seller_may_see_sql()
        )
    });

/// A seller's conversations.
pub(crate) static SELLER_SUMMARIES: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| summary_sql("where c.seller_id = $1", true));
/// A page of a seller's conversations in the list's order, read from the
/// index on `(seller_id, last_activity_at, id)`: each row's last visible
/// message and unread count are read for that row only. `$2`, `$3` are
/// where the last page ended (when `after`), the last `$` the limit.
fn seller_page_sql(after: bool) -> String {
    let visible = seller_may_see_sql();
    let (keyset, limit) = if after {
        (
            "and (c.last_activity_at < $2 or (c.last_activity_at = $2 and c.id < $3))",
            "$4",
        )
    } else {
        ("", "$2")
    };
    format!(
        r#"
        select c.id, c.seller_id, c.buyer_alias, c.seller_alias,
               b.name as buyer_name, c.order_id, c.blocked,
               s.suspended as seller_suspended,
               (select max(m.created_at) from messages m
                where m.conversation_id = c.id and {visible}) as last_message_at,
               (select count(*) from messages m
                where m.conversation_id = c.id
                  and m.direction = 'buyer_to_seller'
                  and m.read_at is null
                  and {visible}) as unread,
               c.last_activity_at
        from conversations c
        join buyers b on b.id = c.buyer_id
        join sellers s on s.id = c.seller_id
        where c.seller_id = $1 {keyset}
        order by c.last_activity_at desc, c.id desc
        limit {limit}
        "#
    )
}

/// `conversations.last_activity_at` of conversation `$1` as the seller's
/// list orders it: the newest message they may see, or the creation when
/// there is none (migration 0018 fills it the same way).
pub(crate) static REFRESH_LAST_ACTIVITY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!(
            r#"
            update conversations
            set last_activity_at = coalesce(
                (select max(m.created_at) from messages m
                 where m.conversation_id = conversations.id and {}),
                created_at)
            where id = $1
            "#,
            seller_may_see_sql()
        )
    });

/// The first page of a seller's conversations.
pub(crate) static SELLER_PAGE_FIRST: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| seller_page_sql(false));
/// A later page of a seller's conversations.
pub(crate) static SELLER_PAGE_AFTER: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| seller_page_sql(true));
/// Every seller's conversations, for staff.
pub(crate) static ALL_SUMMARIES: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| summary_sql("", false));
/// The staff's search; `$1` is a `like` pattern, `$2` the query as typed.
pub(crate) static SEARCH_SUMMARIES: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    // `lower(..) like lower(..)` rather than Postgres' `ilike`, so the one
    // statement runs on both engines; both sides go through the same
    // engine's `lower()`, so they always agree.
    let search = summary_sql(
        r#"
        where lower(c.buyer_alias) like lower($1) escape '\'
           or lower(c.seller_alias) like lower($1) escape '\'
           or lower(b.name) like lower($1) escape '\'
           or lower(b.email) like lower($1) escape '\'
           or lower(c.order_id) like lower($1) escape '\'
           or lower(s.name) like lower($1) escape '\'
           or lower(s.email) like lower($1) escape '\'
           or lower(cast(c.id as text)) = lower($2)
           or lower(cast(s.id as text)) = lower($2)
           or exists (
               select 1 from messages t
               where t.conversation_id = c.id
                 and (lower(t.subject) like lower($1) escape '\'
                      or lower(t.original_body) like lower($1) escape '\')
           )
        "#,
        false,
    );
    format!("{search} limit $3 offset $4")
});

/// The columns every consent query selects, in `rows::ConsentRow` order.
macro_rules! consent_select {
    () => {
        r#"
        select k.id, k.conversation_id, c.seller_id, k.message_id, k.kind, k.purpose,
               k.status, k.valid_for_days, k.requested_at, k.decided_at, k.expires_at,
               k.ended_at, k.order_id
        from consents k
        join conversations c on c.id = k.conversation_id
        "#
    };
}
pub(crate) use consent_select;

macro_rules! audit_select {
    () => {
        r#"
        select id, at, actor_kind, actor_id, action, subject_kind, subject_id, details
        from audit_events
        "#
    };
}
pub(crate) use audit_select;

/// The columns every report query selects, in `rows::ReportRow` order.
macro_rules! report_select {
    () => {
        r#"
        select r.id, r.message_id, r.conversation_id, c.seller_id, s.name as seller_name,
               m.subject, r.reason, r.comment, r.status, r.created_at, r.resolved_by,
               r.resolution_note, r.resolved_at
        from reports r
        join messages m on m.id = r.message_id
        join conversations c on c.id = r.conversation_id
        join sellers s on s.id = c.seller_id
        "#
    };
}
pub(crate) use report_select;

/// `domain::response_time::buyer_message_counts` as SQL over the messages
/// aliased `m`, built from the function itself: one arm per action.
fn buyer_message_counts_sql() -> String {
    use crate::domain::{Action, response_time::buyer_message_counts};
    let arms = status_arms("action", Action::ALL, Action::as_str, |action, status| {
        buyer_message_counts(status, action, false)
    });
    // Automatic mail never counts, whatever its status and action.
    format!("{arms} and m.auto_submitted is null")
}

/// `domain::response_time::answers` as SQL over the messages aliased `r`.
fn answers_sql() -> String {
    use crate::domain::{MessageStatus, response_time::answers};
    let statuses: Vec<String> = MessageStatus::ALL
        .into_iter()
        .filter(|s| answers(*s))
        .map(|s| format!("'{}'", s.as_str()))
        .collect();
    format!("r.status in ({})", statuses.join(", "))
}

/// The seller's response time (`domain::response_time`) in one statement:
/// `$1` the seller, `$2` the start of the window (excluded), `$3` now,
/// `$4` now less a day (an unanswered message arrived at or before it is
/// due), `$5` a day in milliseconds. `millis_between(later, earlier)` is
/// the engine's expression for the milliseconds between two time columns,
/// the one part of the statement the engines spell differently.
pub(crate) fn response_time_sql(millis_between: fn(&str, &str) -> String) -> String {
    let counts = buyer_message_counts_sql();
    let answers = answers_sql();
    let waited = millis_between("answered_at", "created_at");
    format!(
        r#"
        with buyer as (
            select m.created_at,
                   exists (select 1 from message_no_response x where x.message_id = m.id)
                       as excluded,
                   -- the seller's next message: one seek into the index of migration 0023
                   (select r.created_at
                    from messages r
                    where r.conversation_id = m.conversation_id
                      and r.direction = 'seller_to_buyer'
                      and r.created_at > m.created_at
                      and r.created_at <= $3
                      and {answers}
                    order by r.created_at
                    limit 1) as answered_at
            from conversations c
            join messages m on m.conversation_id = c.id
            where c.seller_id = $1
              and m.direction = 'buyer_to_seller'
              and m.created_at > $2
              and m.created_at <= $3
              and {counts}
        ),
        due as (
            select case when answered_at is null then null else {waited} end as waited
            from buyer
            where not excluded
              and (answered_at is not null or created_at <= $4)
        ),
        ranked as (
            select waited,
                   row_number() over (order by waited) as n,
                   count(*) over () as total
            from due
            where waited is not null
        )
        select (select count(*) from buyer where excluded) as excluded,
               (select count(*) from due) as buyer_messages,
               (select count(*) from due where waited is not null) as answered,
               (select count(*) from due where waited <= $5) as answered_within_24h,
               -- the middle one, or the mean of the middle two
               (select cast(avg(waited) as double precision)
                from ranked
                where 2 * n in (total, total + 1, total + 2)) as median_millis
        "#
    )
}

/// "No response needed" for a whole conversation (`$1`) as of `$2`, by its
/// seller: each buyer message they may see that arrived by then and that
/// no later seller message answers is marked; a mark already there stands.
pub(crate) static MARK_UNANSWERED_NO_RESPONSE: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| {
        format!(
            r#"
            insert into message_no_response (message_id, marked_by, marked_at)
            select m.id, 'seller', $2
            from messages m
            where m.conversation_id = $1
              and m.direction = 'buyer_to_seller'
              and m.created_at <= $2
              and {}
              and not exists (
                  select 1
                  from messages r
                  where r.conversation_id = m.conversation_id
                    and r.direction = 'seller_to_buyer'
                    and r.created_at > m.created_at
                    and {}
              )
            on conflict (message_id) do nothing
            "#,
            seller_may_see_sql(),
            answers_sql()
        )
    });
