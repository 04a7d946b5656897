//! Benchmarks only; see `benches/sdk.rs`.
