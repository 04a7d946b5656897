//! [`SpecPath`]: the dotted place of a value in a spec (`shapes.Image.members.tag.pattern`),
//! built on the stack as the checker descends and written out only when a diagnostic needs it.

use core::fmt;

/// A place in a spec: keys of mappings and indices of sequences, from the document's root. Like
/// the runtime's `validation::Path`, each step borrows its parent, so descending allocates
/// nothing.
#[derive(Debug, Clone, Copy)]
pub(crate) enum SpecPath<'a> {
    /// The document.
    Root,
    /// The value under a key of the mapping at the parent.
    Key(&'a SpecPath<'a>, &'a str),
    /// An item of the sequence at the parent.
    Index(&'a SpecPath<'a>, usize),
}

/// The document's root, to start paths from.
pub(crate) static ROOT: SpecPath<'static> = SpecPath::Root;

impl<'a> SpecPath<'a> {
    /// The path of the value under `key` of the mapping at `self`.
    pub(crate) const fn key(&'a self, key: &'a str) -> SpecPath<'a> {
        SpecPath::Key(self, key)
    }

    /// The path of item `index` of the sequence at `self`.
    pub(crate) const fn index(&'a self, index: usize) -> SpecPath<'a> {
        SpecPath::Index(self, index)
    }
}

impl fmt::Display for SpecPath<'_> {
    /// `operations.DescribeImages.errors[2]`; the root is the empty string.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SpecPath::Root => Ok(()),
            SpecPath::Key(SpecPath::Root, key) => f.write_str(key),
            SpecPath::Key(parent, key) => write!(f, "{parent}.{key}"),
            SpecPath::Index(parent, index) => write!(f, "{parent}[{index}]"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_read_as_the_spec_writes_them() {
        assert_eq!(ROOT.to_string(), "");
        let shapes = ROOT.key("shapes");
        let image = shapes.key("Image");
        let exclusive = image.key("exclusive");
        let first = exclusive.index(0);
        let members = first.key("members");
        assert_eq!(members.to_string(), "shapes.Image.exclusive[0].members");
        let errors = ROOT.key("errors");
        assert_eq!(errors.index(3).to_string(), "errors[3]");
    }
}
