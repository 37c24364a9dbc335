//! `HelpDomainStore` conformance: each seller's help domains, on both engines.

use std::sync::Arc;

use marketrelay::domain::{AuditAction, HelpDomain, SellerId};
use marketrelay::store::help_domains::StaleHelpDomains;
use marketrelay::store::{Store, StoreError};

use super::{at, seller};

conformance!(
    help_domains_are_replaced_per_seller_keeping_when_each_was_added,
    a_save_from_an_older_list_is_refused_and_changes_nothing;
    raw:
);

fn domains(names: &[&str]) -> Vec<HelpDomain> {
    names
        .iter()
        .map(|d| HelpDomain::parse(d).unwrap())
        .collect()
}

async fn help_domains_are_replaced_per_seller_keeping_when_each_was_added(store: Arc<dyn Store>) {
    let (a, b) = (seller(&store, 1).await.id, seller(&store, 2).await.id);
    let listed = |s: SellerId| {
        let store = store.clone();
        async move {
            store
                .help_domains()
                .help_domains(s)
                .await
                .unwrap()
                .into_iter()
                .map(|d| (d.domain.to_string(), d.added_at, d.added_by))
                .collect::<Vec<_>>()
        }
    };
    let replace = |s: SellerId, names: &'static [&'static str], minutes: i64| {
        let store = store.clone();
        async move {
            store
                .help_domains()
                .replace_help_domains(s, &domains(names), ("operator", None), at(minutes), None)
                .await
                .unwrap()
                .expect("no version named, never stale")
        }
    };
    assert!(listed(a).await.is_empty());

    let first = replace(a, &["manuals.acme.de", "acme.co.uk"], 0).await;
    assert_eq!(first.domains.len(), 2);
    // Replacing keeps a domain already listed as it was, adds and removes the rest.
    replace(a, &["manuals.acme.de", "help.acme.fr"], 5).await;
    assert_eq!(
        listed(a).await,
        vec![
            ("help.acme.fr".to_owned(), at(5), "operator".to_owned()),
            ("manuals.acme.de".to_owned(), at(0), "operator".to_owned()),
        ]
    );
    assert!(listed(b).await.is_empty(), "another seller's list is apart");

    // The same list again changes nothing and is not audited again.
    replace(a, &["help.acme.fr", "manuals.acme.de"], 9).await;
    let events: Vec<_> = store
        .audit()
        .audit_events(Some(&a.to_string()), 20)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::SellerHelpDomainsChanged)
        .collect();
    assert_eq!(events.len(), 2);
    assert_eq!(
        events[1].details,
        serde_json::json!({ "added": ["help.acme.fr"], "removed": ["acme.co.uk"] })
    );

    replace(a, &[], 10).await;
    assert!(listed(a).await.is_empty());

    let unknown = SellerId::new();
    assert!(matches!(
        store.help_domains().help_domains(unknown).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store
            .help_domains()
            .replace_help_domains(
                unknown,
                &domains(&["acme.de"]),
                ("operator", None),
                at(0),
                Some(0)
            )
            .await,
        Err(StoreError::NotFound)
    ));
}

async fn a_save_from_an_older_list_is_refused_and_changes_nothing(store: Arc<dyn Store>) {
    let s = seller(&store, 1).await.id;
    let save = |names: &'static [&'static str], expected: Option<i64>, minutes: i64| {
        let store = store.clone();
        async move {
            store
                .help_domains()
                .replace_help_domains(s, &domains(names), ("staff", None), at(minutes), expected)
                .await
                .unwrap()
        }
    };
    let read = store.help_domains().help_domain_list(s).await.unwrap();
    assert_eq!((read.version, read.domains.len()), (0, 0));

    // Two editors read version 0; the first save lands and raises it.
    let first = save(&["manuals.acme.de"], Some(0), 1).await.unwrap();
    assert_eq!(first.version, 1);
    // The second, made from version 0, is refused and changes nothing.
    assert_eq!(
        save(&["help.acme.fr"], Some(0), 2).await,
        Err(StaleHelpDomains { current: 1 })
    );
    let now = store.help_domains().help_domain_list(s).await.unwrap();
    assert_eq!(now, first, "the first save stands");
    let changes = store
        .audit()
        .audit_events(Some(&s.to_string()), 20)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == AuditAction::SellerHelpDomainsChanged)
        .count();
    assert_eq!(changes, 1, "the refused save is not audited");

    // Made again from the current version, it is saved.
    let second = save(&["manuals.acme.de", "help.acme.fr"], Some(1), 3)
        .await
        .unwrap();
    assert_eq!((second.version, second.domains.len()), (2, 2));
    // A save that changes nothing leaves the version as it is; one that
    // names none saves over whatever is there.
    assert_eq!(
        save(&["help.acme.fr", "manuals.acme.de"], Some(2), 4)
            .await
            .unwrap()
            .version,
        2
    );
    assert_eq!(save(&[], None, 5).await.unwrap().version, 3);
}
