//! SQLite backend. (Stub: replaced by the full implementation.)

use std::sync::Arc;

use super::{Store, StoreError};

/// Connects to `url` and applies the SQLite migrations.
pub async fn open(_path: &str) -> Result<Arc<dyn Store>, StoreError> {
    Err(StoreError::Unavailable(
        "sqlite backend not built yet".into(),
    ))
}
