//! The words the relay stores and speaks: each domain enum is defined once
//! here, with the text it has on the wire, in JSON and in the database, so
//! `as_str`, `parse`, the serde names and the migrations' `check (… in …)`
//! lists cannot drift apart (a test reads the migrations and compares).

/// Defines a closed set of words: the enum, `ALL`, `as_str`, `parse`,
/// serde names equal to `as_str`, and the database columns (`table.column`)
/// whose `check` constraint must list exactly these words.
macro_rules! vocabulary {
    (
        $(#[$meta:meta])*
        $name:ident $(in [$($column:literal),* $(,)?])? {
            $($(#[$vmeta:meta])* $variant:ident = $text:literal),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),*
        }

        impl $name {
            /// Every word, in declaration order.
            pub const ALL: [$name; [$($text),*].len()] = [$($name::$variant),*];
            /// The columns whose `check` constraint lists these words.
            pub const COLUMNS: &'static [&'static str] = &[$($($column),*)?];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),* }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)* _ => None }
            }
        }

        // By hand rather than derived: the derive does not see a `rename`
        // that comes from a macro argument, and would document the
        // variant names instead of the words.
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($text),*]))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use vocabulary;

/// One defined vocabulary, for the test that compares it with the schema.
#[derive(Debug)]
pub struct Words {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub words: Vec<&'static str>,
    /// Whether, for every word, `parse(as_str(w)) == w`, serde writes and
    /// reads `as_str`, and the OpenAPI document lists it.
    pub round_trips: bool,
}

macro_rules! listed {
    ($($ty:ty),* $(,)?) => {
        vec![$({
            let words: Vec<&'static str> = <$ty>::ALL.iter().map(|w| w.as_str()).collect();
            let round_trips = <$ty>::ALL.iter().all(|w| {
                <$ty>::parse(w.as_str()) == Some(*w)
                    && serde_json::to_value(w).ok() == Some(serde_json::Value::from(w.as_str()))
                    && serde_json::from_value::<$ty>(serde_json::Value::from(w.as_str())).ok()
                        == Some(*w)
                    && documented::<$ty>().contains(&w.as_str().to_owned())
            });
            Words { name: stringify!($ty), columns: <$ty>::COLUMNS, words, round_trips }
        }),*]
    };
}

/// The words the OpenAPI document lists for `T`.
fn documented<T: utoipa::PartialSchema>() -> Vec<String> {
    serde_json::to_value(T::schema())
        .ok()
        .and_then(|v| v.get("enum").cloned())
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default()
}

/// Every vocabulary of the domain.
pub fn all() -> Vec<Words> {
    use super::*;
    listed!(
        Action,
        AliasSide,
        AuditAction,
        BounceKind,
        ConsentAction,
        ConsentPurpose,
        ConsentStatus,
        ContactKind,
        DeliveryKind,
        DeliveryStatus,
        Direction,
        FindingField,
        FindingKind,
        MessageSource,
        MessageStatus,
        NoResponseMarkedBy,
        PartyRole,
        ReportReason,
        ReportStatus,
        ReviewDecision,
        Role,
        ViolationKind,
    )
}
