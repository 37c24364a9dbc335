//! The one parser of ids in paths, for the API and the pages alike.

/// A path segment that is not an id of the kind asked for: it names
/// nothing, so it answers 404 like an unknown id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownId;

pub fn parse_id<T: std::str::FromStr>(raw: &str) -> Result<T, UnknownId> {
    raw.parse().map_err(|_| UnknownId)
}

impl From<UnknownId> for super::error::ApiError {
    fn from(_: UnknownId) -> Self {
        super::error::ApiError::NotFound("no such record")
    }
}

impl From<UnknownId> for crate::web::WebError {
    fn from(_: UnknownId) -> Self {
        crate::web::WebError::NotFound
    }
}
