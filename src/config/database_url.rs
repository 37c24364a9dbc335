//! The database URL setting: which engine and where. A leaf, so the store
//! can take it without depending on the rest of the settings.

/// Where the data lives, parsed from `MARKETRELAY_DATABASE_URL`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    /// `sqlite://PATH` (relative to the working directory) or `sqlite::memory:`.
    Sqlite(String),
    Postgres(String),
}

impl DatabaseUrl {
    pub fn parse(url: &str) -> Result<Self, String> {
        if let Some(path) = url.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(
                    "sqlite:// URL has no path (example: sqlite://data/marketrelay.db)".into(),
                );
            }
            Ok(Self::Sqlite(path.to_owned()))
        } else if url == "sqlite::memory:" {
            Ok(Self::Sqlite(":memory:".into()))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            url::Url::parse(url).map_err(|e| format!("invalid Postgres URL: {e}"))?;
            Ok(Self::Postgres(url.to_owned()))
        } else {
            Err("database URL must start with sqlite:// or postgres://".into())
        }
    }
}
