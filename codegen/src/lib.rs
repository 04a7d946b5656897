pub mod diag;
pub mod ir;
pub mod pattern;
pub mod spec;
