//! Request validation: every violation, with where it is and which rule it breaks.
//!
//! Generated `validate()` methods walk a request with a [`Path`] that lives on the stack and is
//! written out only when a value breaks a rule, and collect [`Violation`]s into [`Violations`]; a
//! valid request allocates nothing.

use core::fmt;

/// Where a value sits inside a request, built on the stack while validating.
#[derive(Debug, Clone, Copy)]
pub enum Path<'a> {
    /// The request itself.
    Root,
    /// A member of a structure, by its wire name.
    Field(&'a Path<'a>, &'static str),
    /// An item of a list.
    Index(&'a Path<'a>, usize),
    /// A value of a map.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The path of member `name` of the value at `self`.
    #[must_use]
    pub const fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }

    /// The path of item `index` of the list at `self`.
    #[must_use]
    pub const fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The path of the value under `key` of the map at `self`.
    #[must_use]
    pub const fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }
}

impl fmt::Display for Path<'_> {
    /// `imageIds[3].imageTag`; the root is written `(request)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root => f.write_str("(request)"),
            Path::Field(Path::Root, name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// A number bound or value, integer or floating point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Number {
    /// An integer (`integer` and `long` members).
    Int(i64),
    /// A floating-point number (`double` members).
    Float(f64),
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(n) => write!(f, "{n}"),
            Number::Float(n) => write!(f, "{n:?}"),
        }
    }
}

/// The rule a value breaks, with the bound it breaks.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Rule {
    /// A required member is missing.
    Required,
    /// A string's length in characters is outside `min..=max`.
    Length {
        /// Least number of characters, if bounded.
        min: Option<u64>,
        /// Greatest number of characters, if bounded.
        max: Option<u64>,
        /// The value's number of characters.
        actual: u64,
    },
    /// A number is outside `min..=max`.
    Range {
        /// Least value, if bounded.
        min: Option<Number>,
        /// Greatest value, if bounded.
        max: Option<Number>,
        /// The value.
        actual: Number,
    },
    /// A list's number of items is outside `min..=max`.
    Items {
        /// Least number of items, if bounded.
        min: Option<u64>,
        /// Greatest number of items, if bounded.
        max: Option<u64>,
        /// The list's number of items.
        actual: u64,
    },
    /// A string does not match its pattern as a whole.
    Pattern {
        /// The pattern, as the spec wrote it.
        pattern: &'static str,
    },
    /// An enum value the spec does not list.
    Enum {
        /// The value that was set.
        value: String,
        /// The values the spec lists.
        allowed: &'static [&'static str],
    },
    /// More than one member of a mutually exclusive group is set.
    Exclusive {
        /// The wire names of the group's members.
        members: &'static [&'static str],
        /// The wire names of the members that are set.
        set: Vec<&'static str>,
    },
}

struct Bounds<T>(Option<T>, Option<T>);

impl<T: fmt::Display> fmt::Display for Bounds<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.0, &self.1) {
            (Some(min), Some(max)) => write!(f, "{min}..={max}"),
            (Some(min), None) => write!(f, "at least {min}"),
            (None, Some(max)) => write!(f, "at most {max}"),
            (None, None) => f.write_str("unbounded"),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rule::Required => f.write_str("required member is missing"),
            Rule::Length { min, max, actual } => write!(
                f,
                "length {actual} is outside the allowed length ({})",
                Bounds(*min, *max)
            ),
            Rule::Range { min, max, actual } => write!(
                f,
                "value {actual} is outside the allowed range ({})",
                Bounds(*min, *max)
            ),
            Rule::Items { min, max, actual } => write!(
                f,
                "{actual} items is outside the allowed number of items ({})",
                Bounds(*min, *max)
            ),
            Rule::Pattern { pattern } => {
                write!(f, "value does not match the pattern {pattern:?} as a whole")
            }
            Rule::Enum { value, allowed } => {
                write!(f, "{value:?} is not one of {}", allowed.join(", "))
            }
            Rule::Exclusive { members, set } => write!(
                f,
                "members {} exclude each other, but {} are set",
                members.join(", "),
                set.join(" and ")
            ),
        }
    }
}

/// One broken rule at one place.
#[derive(Debug, Clone, PartialEq)]
pub struct Violation {
    /// Where the value is, in wire names: `imageIds[3].imageTag`.
    pub path: String,
    /// The rule it breaks.
    pub rule: Rule,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.rule)
    }
}

/// Every violation a request has; never empty.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidationError {
    violations: Vec<Violation>,
}

impl ValidationError {
    /// The violations, in the order the validator met them.
    #[must_use]
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The violations, by value.
    #[must_use]
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }
}

impl fmt::Display for ValidationError {
    /// One line per violation.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, violation) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{violation}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ValidationError {}

/// Collects violations while a validator walks a request.
#[derive(Debug, Default)]
pub struct Violations(Vec<Violation>);

impl Violations {
    /// No violations yet (allocates nothing).
    #[must_use]
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    /// Records that `rule` is broken at `path`.
    #[cold]
    #[inline(never)]
    pub fn push(&mut self, path: &Path<'_>, rule: Rule) {
        self.0.push(Violation {
            path: path.to_string(),
            rule,
        });
    }

    /// `Ok(value)` when nothing was recorded, else every violation. Builders call this with
    /// `None` only when a required member is missing, which is itself a recorded violation;
    /// should a caller pass `None` with nothing recorded, the root is reported as missing.
    ///
    /// # Errors
    ///
    /// Returns the [`ValidationError`] with every recorded violation.
    pub fn finish_with<T>(mut self, value: Option<T>) -> Result<T, ValidationError> {
        match value {
            Some(value) if self.0.is_empty() => Ok(value),
            _ => {
                if self.0.is_empty() {
                    self.push(&Path::Root, Rule::Required);
                }
                Err(ValidationError { violations: self.0 })
            }
        }
    }

    /// `Ok(())` when nothing was recorded, else every violation.
    ///
    /// # Errors
    ///
    /// Returns the [`ValidationError`] with every recorded violation.
    pub fn finish(self) -> Result<(), ValidationError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ValidationError { violations: self.0 })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::__private::check;

    #[test]
    fn paths_render_in_wire_names() {
        let root = Path::Root;
        let ids = root.field("imageIds");
        let third = ids.index(3);
        let tag = third.field("imageTag");
        assert_eq!(tag.to_string(), "imageIds[3].imageTag");
        let map = root.field("counts");
        assert_eq!(map.key("HIGH").to_string(), "counts[\"HIGH\"]");
        assert_eq!(root.to_string(), "(request)");
    }

    #[test]
    fn checks_record_rule_and_bound() {
        let root = Path::Root;
        let mut v = Violations::new();
        check::length(&mut v, &root.field("a"), "héllo", Some(2), Some(5)); // 5 chars, 6 bytes: fine
        check::length(&mut v, &root.field("b"), "x", Some(2), None);
        check::length(&mut v, &root.field("f"), "ééé", Some(3), Some(3)); // 3 chars, 6 bytes: fine
        check::length(&mut v, &root.field("g"), "éé", Some(1), Some(3)); // fine without counting
        check::length(&mut v, &root.field("h"), "\u{10000}", Some(2), None); // 1 char, 4 bytes
        check::range_int(&mut v, &root.field("c"), 1001, Some(1), Some(1000));
        check::range_float(&mut v, &root.field("d"), f64::NAN, None, None);
        check::items(&mut v, &root.field("e"), 0, Some(1), Some(100));
        check::exclusive(&mut v, &root, &["imageIds", "nextToken"], &[true, true]);
        check::exclusive(&mut v, &root, &["imageIds", "maxResults"], &[true, false]);
        let err = v.finish().unwrap_err();
        assert_eq!(
            err.to_string(),
            "b: length 1 is outside the allowed length (at least 2)\n\
             h: length 1 is outside the allowed length (at least 2)\n\
             c: value 1001 is outside the allowed range (1..=1000)\n\
             d: value NaN is outside the allowed range (unbounded)\n\
             e: 0 items is outside the allowed number of items (1..=100)\n\
             (request): members imageIds, nextToken exclude each other, but imageIds and nextToken are set"
        );
        assert_eq!(err.violations().len(), 5 + 1);
        assert_eq!(err.violations()[0].path, "b");
    }

    #[test]
    fn nothing_recorded_is_ok() {
        assert_eq!(Violations::new().finish(), Ok(()));
    }
}
