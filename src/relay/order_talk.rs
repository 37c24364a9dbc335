//! Whether a seller's message is about an order, for a buyer who opted out
//! of the seller's other messages: it names an order of the conversation,
//! or it talks about one (shipping, delivery, tracking, returns, refunds,
//! invoices, cancellations) in a thread that has an order. The words, per
//! language, are data in `order_words.toml`.
//!
//! This says what a message is about, not whether it advertises: "free
//! shipping this weekend" talks about shipping. Promotional content is the
//! policy's to find and hold.

use std::{collections::BTreeMap, sync::LazyLock};

use serde::Deserialize;

const ORDER_WORDS: &str = include_str!("order_words.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrderWordsFile {
    words: BTreeMap<String, Vec<String>>,
}

/// Every language's words together: whole words, and word beginnings
/// (written with a trailing `*`).
struct OrderWords {
    whole: Vec<String>,
    starts: Vec<String>,
}

static WORDS: LazyLock<OrderWords> = LazyLock::new(|| {
    let file: OrderWordsFile =
        toml::from_str(ORDER_WORDS).expect("order_words.toml is valid (checked by a test)");
    let mut words = OrderWords {
        whole: Vec::new(),
        starts: Vec::new(),
    };
    for word in file.words.into_values().flatten() {
        let word = word.to_lowercase();
        match word.strip_suffix('*') {
            Some(start) => words.starts.push(start.to_owned()),
            None => words.whole.push(word),
        }
    }
    words
});

/// The languages the word lists cover.
pub fn languages() -> Vec<String> {
    let file: OrderWordsFile = toml::from_str(ORDER_WORDS).expect("order_words.toml is valid");
    file.words.into_keys().collect()
}

/// Whether `text` uses a word of an order's life (shipping, delivery,
/// tracking, return, refund, invoice, cancellation...) in any language.
pub fn talks_about_orders(text: &str) -> bool {
    let words = &*WORDS;
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .any(|w| {
            words.whole.iter().any(|x| x == w) || words.starts.iter().any(|s| w.starts_with(s))
        })
}

/// Whether `text` names one of `orders` (case aside).
pub fn names_an_order(text: &str, orders: &[String]) -> bool {
    let text = text.to_lowercase();
    orders
        .iter()
        .map(|o| o.trim().to_lowercase())
        .any(|o| !o.is_empty() && text.contains(&o))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_word_lists_parse_and_cover_the_supported_languages() {
        let languages = languages();
        for lang in ["en", "de", "pl", "es", "fr", "it", "ru", "nl", "pt"] {
            assert!(languages.iter().any(|l| l == lang), "{lang} missing");
        }
        assert!(!WORDS.whole.is_empty() && !WORDS.starts.is_empty());
    }

    #[test]
    fn order_talk_in_every_language_and_advertising_without_it() {
        for about in [
            "Your parcel has shipped, tracking follows.",
            "Ihre Sendung wurde heute versendet.",
            "Die Rückerstattung ist veranlasst.",
            "Paczka została wysłana kurierem.",
            "Su envío llegará el martes.",
            "Le remboursement a été effectué.",
            "Votre colis est en route.",
            "Il pacco è stato spedito ieri.",
            "Ваша посылка отправлена.",
            "Возврат средств оформлен.",
            "Uw pakket is verzonden.",
            "A sua encomenda foi enviada.",
            "Please find the INVOICE attached.",
            "I cancelled it as you asked.",
        ] {
            assert!(talks_about_orders(about), "{about}");
        }
        for other in [
            "Check out our new collection, 20% off everything!",
            "Order now and save big.",
            "Unsere neue Kollektion ist da!",
            "Nowa kolekcja już w sklepie.",
            "¡Nueva colección con descuentos!",
            "Découvrez notre nouvelle collection.",
            "Scopri la nostra nuova collezione.",
            "Новая коллекция уже в продаже!",
            "Bekijk onze nieuwe collectie.",
            "Conheça a nossa nova coleção.",
            "Please leave us a review.",
        ] {
            assert!(!talks_about_orders(other), "{other}");
        }
    }

    #[test]
    fn an_order_is_named_case_aside() {
        let orders = vec!["ORD-2".to_owned(), "123-1234567-1234567".to_owned()];
        assert!(names_an_order("about ord-2: good news", &orders));
        assert!(names_an_order("Order 123-1234567-1234567", &orders));
        assert!(!names_an_order("Order 123-7654321", &orders));
        assert!(!names_an_order("anything", &["  ".to_owned()]));
    }
}
