//! A downstream-style crate: it defines a made-up registry API only in its own spec
//! (`specs/acme.yaml`) and gets typed, validated bindings through `include_spec!`, with no
//! dependency but `crspec-macros` and `crspec-runtime`.
#![forbid(unsafe_code)]

use std::collections::BTreeMap;

use crspec_runtime::serde::{Deserialize, Deserializer, Serialize, Serializer};

crspec_macros::include_spec!("specs/acme.yaml");

/// A repository's labels, in this crate's own type: the spec's
/// `generation.types.Labels.replace: crate::Labels` puts it wherever the generated `Labels`
/// would be (`acme::ArtifactPage::labels`), and no `Labels` is generated.
///
/// A replacement implements `Debug`, `Clone`, `PartialEq` and serde's two traits.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Labels(pub BTreeMap<String, String>);

impl Labels {
    /// The team that owns the repository (the `team` label).
    #[must_use]
    pub fn team(&self) -> Option<&str> {
        self.0.get("team").map(String::as_str)
    }
}

impl Serialize for Labels {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Labels {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(deserializer).map(Self)
    }
}
