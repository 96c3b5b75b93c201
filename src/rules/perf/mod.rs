//! Performance rules: work per request that grows with the data or waits needlessly.

pub mod blocking_in_async;
pub mod connection_per_request;
pub mod missing_timeout;
pub mod n_plus_one;
