//! The ECR repository-name pattern as a hand-written byte state machine: the lower bound the
//! generated validators are measured against (`benches/validate.rs`,
//! `examples/instruction_probe.rs`).

/// A 35-character repository name.
pub const REPOSITORY: &str = "platform/payments-api/billing-v2.01";

/// The ECR repository-name pattern, as the spec writes it.
pub const PATTERN: &str = "(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*";

/// The repository-name pattern as a hand-written byte state machine.
pub fn hand_matcher(name: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        /// A segment's first character is due.
        Start,
        /// Inside a run of `[a-z0-9]`.
        Run,
        /// After a separator: a run is due.
        Sep,
    }
    let mut state = S::Start;
    for &b in name.as_bytes() {
        let alnum = b.is_ascii_lowercase() || b.is_ascii_digit();
        state = match (state, b) {
            (_, _) if alnum => S::Run,
            (S::Run, b'.' | b'_' | b'-') => S::Sep,
            (S::Run, b'/') => S::Start,
            _ => return false,
        };
    }
    state == S::Run
}
