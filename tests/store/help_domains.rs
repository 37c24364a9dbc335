//! `HelpDomainStore` conformance: each seller's help domains, on both engines.

use std::sync::Arc;

use marketrelay::domain::{AuditAction, HelpDomain, SellerId};
use marketrelay::store::{Store, StoreError};

use super::{at, seller};

conformance!(
    help_domains_are_replaced_per_seller_keeping_when_each_was_added;
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
                .replace_help_domains(s, &domains(names), ("operator", None), at(minutes))
                .await
                .unwrap()
        }
    };
    assert!(listed(a).await.is_empty());

    let first = replace(a, &["manuals.acme.de", "acme.co.uk"], 0).await;
    assert_eq!(first.len(), 2);
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
            .replace_help_domains(unknown, &domains(&["acme.de"]), ("operator", None), at(0))
            .await,
        Err(StoreError::NotFound)
    ));
}
