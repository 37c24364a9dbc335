//! Postgres backend. (Stub: replaced by the full implementation.)

use std::sync::Arc;

use super::{Store, StoreError};

/// Connects to `url` and applies the Postgres migrations.
pub async fn open(_url: &str) -> Result<Arc<dyn Store>, StoreError> {
    Err(StoreError::Unavailable(
        "postgres backend not built yet".into(),
    ))
}
