//! Tests over real TCP through `serve`.
