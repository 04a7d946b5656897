#[rustfmt::skip]
#[path = "../generated/mini.rs"]
pub mod mini;
