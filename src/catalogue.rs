//! What the relay says to buyers and sellers, in their language: one Fluent
//! file per language under `locales/`, embedded in the binary and parsed
//! once, on first use.

use std::sync::LazyLock;

use fluent_bundle::{FluentArgs, FluentResource, FluentValue, concurrent::FluentBundle};

pub use crate::domain::Language;

/// The catalogue files, embedded so a release binary needs nothing beside it.
const SOURCES: [(Language, &str); Language::ALL.len()] = [
    (Language::En, include_str!("../locales/en/marketrelay.ftl")),
    (Language::De, include_str!("../locales/de/marketrelay.ftl")),
    (Language::Ru, include_str!("../locales/ru/marketrelay.ftl")),
    (Language::Pl, include_str!("../locales/pl/marketrelay.ftl")),
    (Language::Es, include_str!("../locales/es/marketrelay.ftl")),
    (Language::Fr, include_str!("../locales/fr/marketrelay.ftl")),
    (Language::It, include_str!("../locales/it/marketrelay.ftl")),
    (Language::Pt, include_str!("../locales/pt/marketrelay.ftl")),
    (Language::Nl, include_str!("../locales/nl/marketrelay.ftl")),
    (Language::Tr, include_str!("../locales/tr/marketrelay.ftl")),
    (Language::Ja, include_str!("../locales/ja/marketrelay.ftl")),
    (Language::Ar, include_str!("../locales/ar/marketrelay.ftl")),
];

type Bundle = FluentBundle<FluentResource>;

static BUNDLES: LazyLock<Vec<(Language, Bundle)>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .map(|(language, source)| (*language, bundle(*language, source)))
        .collect()
});

fn bundle(language: Language, source: &str) -> Bundle {
    // A broken catalogue is a build mistake that the catalogue tests catch;
    // what parses of it is still served.
    let resource =
        FluentResource::try_new(source.to_owned()).unwrap_or_else(|(partial, errors)| {
            tracing::error!(
                language = language.as_str(),
                ?errors,
                "catalogue does not parse"
            );
            partial
        });
    let langid = language
        .as_str()
        .parse()
        .unwrap_or_else(|_| unic_langid::LanguageIdentifier::default());
    let mut bundle = FluentBundle::new_concurrent(vec![langid]);
    // Mail is plain text: no Unicode isolation marks around placeables.
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(
            language = language.as_str(),
            ?errors,
            "catalogue has duplicate ids"
        );
    }
    bundle
}

fn bundle_of(language: Language) -> &'static Bundle {
    let bundles = &*BUNDLES;
    bundles
        .iter()
        .find(|(l, _)| *l == language)
        .or_else(|| bundles.first())
        .map(|(_, b)| b)
        .expect("the English catalogue is embedded")
}

/// A value for a placeable: text, or a number (which plural forms select on).
#[derive(Clone, Copy)]
pub enum Arg<'a> {
    Text(&'a str),
    Number(i64),
}

impl<'a> From<&'a str> for Arg<'a> {
    fn from(s: &'a str) -> Self {
        Arg::Text(s)
    }
}

impl<'a> From<&'a String> for Arg<'a> {
    fn from(s: &'a String) -> Self {
        Arg::Text(s)
    }
}

impl From<i64> for Arg<'_> {
    fn from(n: i64) -> Self {
        Arg::Number(n)
    }
}

/// The words of one language, as pages and mail use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Words(pub Language);

/// Pages nobody in particular reads (staff, sign-in) are in English.
impl Default for Words {
    fn default() -> Self {
        Words(Language::En)
    }
}

impl Words {
    pub fn language(self) -> Language {
        self.0
    }

    /// The `lang` attribute of a page.
    pub fn lang(self) -> &'static str {
        self.0.as_str()
    }

    /// The `dir` attribute of a page.
    pub fn dir(self) -> &'static str {
        if self.0.is_rtl() { "rtl" } else { "ltr" }
    }

    /// Message `id` without placeables.
    pub fn get(self, id: &str) -> String {
        self.with(id, &[])
    }

    /// Message `id` with one placeable, for templates.
    pub fn arg(self, id: &str, name: &str, value: &str) -> String {
        self.with(id, &[(name, Arg::Text(value))])
    }

    /// Message `id` with its placeables; a message this language lacks is
    /// said in English.
    pub fn with(self, id: &str, args: &[(&str, Arg<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            let value = match value {
                Arg::Text(s) => FluentValue::from(*s),
                Arg::Number(n) => FluentValue::from(*n),
            };
            fluent_args.set(*name, value);
        }
        for bundle in [bundle_of(self.0), bundle_of(Language::En)] {
            if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
                if !errors.is_empty() {
                    tracing::error!(
                        id,
                        language = self.0.as_str(),
                        ?errors,
                        "catalogue message does not resolve"
                    );
                }
                return text.into_owned();
            }
        }
        debug_assert!(false, "no message {id:?} in the catalogue");
        tracing::error!(id, "no such message in the catalogue");
        id.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use fluent_syntax::ast;

    use super::*;

    /// Each message id of a catalogue with the variables it uses.
    fn messages(source: &str) -> BTreeMap<String, BTreeSet<String>> {
        let resource = fluent_syntax::parser::parse(source)
            .unwrap_or_else(|(_, errors)| panic!("does not parse: {errors:?}"));
        let mut found = BTreeMap::new();
        for entry in resource.body {
            if let ast::Entry::Message(message) = entry {
                let mut vars = BTreeSet::new();
                if let Some(pattern) = &message.value {
                    pattern_vars(pattern, &mut vars);
                }
                assert!(
                    found.insert(message.id.name.to_owned(), vars).is_none(),
                    "{} is defined twice",
                    message.id.name
                );
            }
        }
        found
    }

    fn pattern_vars(pattern: &ast::Pattern<&str>, vars: &mut BTreeSet<String>) {
        for element in &pattern.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                expression_vars(expression, vars);
            }
        }
    }

    fn expression_vars(expression: &ast::Expression<&str>, vars: &mut BTreeSet<String>) {
        match expression {
            ast::Expression::Select { selector, variants } => {
                inline_vars(selector, vars);
                for variant in variants {
                    pattern_vars(&variant.value, vars);
                }
            }
            ast::Expression::Inline(inline) => inline_vars(inline, vars),
        }
    }

    fn inline_vars(inline: &ast::InlineExpression<&str>, vars: &mut BTreeSet<String>) {
        match inline {
            ast::InlineExpression::VariableReference { id } => {
                vars.insert(id.name.to_owned());
            }
            ast::InlineExpression::Placeable { expression } => expression_vars(expression, vars),
            _ => {}
        }
    }

    #[test]
    fn every_catalogue_has_every_english_message_and_no_other() {
        let english = messages(SOURCES[0].1);
        assert!(english.len() > 50, "the English catalogue is read whole");
        let mut checked = 0;
        for (language, source) in SOURCES {
            assert_eq!(
                language,
                Language::ALL[checked],
                "one catalogue per language, in order"
            );
            let these = messages(source);
            let missing: Vec<_> = english
                .keys()
                .filter(|id| !these.contains_key(*id))
                .collect();
            let extra: Vec<_> = these
                .keys()
                .filter(|id| !english.contains_key(*id))
                .collect();
            assert!(missing.is_empty(), "{language}: missing {missing:?}");
            assert!(extra.is_empty(), "{language}: not in English {extra:?}");
            for (id, vars) in &these {
                assert!(
                    vars.is_subset(&english[id]),
                    "{language} {id}: uses {vars:?}, English gives only {:?}",
                    english[id]
                );
            }
            checked += 1;
        }
        assert_eq!(checked, Language::ALL.len());
    }

    #[test]
    fn every_message_resolves_in_every_language_given_the_english_placeables() {
        let english = messages(SOURCES[0].1);
        for language in Language::ALL {
            let bundle = bundle(
                language,
                SOURCES.iter().find(|(l, _)| *l == language).unwrap().1,
            );
            for (id, vars) in &english {
                let mut args = FluentArgs::new();
                for var in vars {
                    args.set(var.as_str(), FluentValue::from(2));
                }
                let pattern = bundle
                    .get_message(id)
                    .and_then(|m| m.value())
                    .unwrap_or_else(|| panic!("{language} {id}: no value"));
                let mut errors = Vec::new();
                let text = bundle.format_pattern(pattern, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{language} {id}: {errors:?}");
                assert!(!text.trim().is_empty(), "{language} {id} is empty");
                assert!(
                    !text.contains('{') && !text.contains('}'),
                    "{language} {id}: {text}"
                );
            }
        }
    }

    #[test]
    fn a_message_is_said_in_the_readers_language_with_its_placeables() {
        let de = Words(Language::De);
        let text = de.with("subject-held", &[("subject", "Lampe".into())]);
        assert!(
            text.contains("Lampe")
                && text != Words(Language::En).with("subject-held", &[("subject", "Lampe".into())]),
            "{text}"
        );
        assert_eq!((de.lang(), de.dir()), ("de", "ltr"));
        assert_eq!(Words(Language::Ar).dir(), "rtl");
    }
}
