//! The format version, `provider` and its sources.

use super::words::{Case, NameFault, name_fault};
use super::{Checker, ROOT};
use crate::ir::Source;
use crate::spec::Num;

/// The crates of the standard library that every crate can name: a module of one of these
/// names would shadow it.
const STD_CRATES: [&str; 3] = ["std", "core", "alloc"];

impl Checker<'_> {
    /// Rule: `crspec` is 1, the only format version this generator reads.
    pub(super) fn format_version(&mut self) {
        let version = &self.spec.crspec;
        if version.value != Num::Int(1) {
            let message = format!(
                "unsupported format version {}; this generator reads version 1",
                version.value
            );
            self.at("format_version", version, &ROOT.key("crspec"), message);
        }
    }

    /// Rule: the provider id is a snake_case Rust module name that is not the name of a crate of
    /// the standard library, the provider has a name, every source has a location and a unique
    /// id, and `default_source` names one of them.
    pub(super) fn provider(&mut self) -> Vec<Source> {
        let spec = self.spec;
        let provider = &spec.provider.value;
        let path = ROOT.key("provider");
        let id = &provider.id;
        match name_fault(&id.value, Case::Snake) {
            Some(NameFault::Invalid(problem)) => self.at(
                "provider",
                id,
                &path.key("id"),
                format!("{problem}; the id is the Rust module name"),
            ),
            Some(NameFault::WrongCase(right)) => self.at(
                "provider",
                id,
                &path.key("id"),
                format!(
                    "`{}` is not snake_case; the id is the Rust module name (try `{right}`)",
                    id.value
                ),
            ),
            None if STD_CRATES.contains(&id.value.as_str()) => self.at(
                "provider",
                id,
                &path.key("id"),
                format!(
                    "`{}` is a crate of the standard library, which a module of that name \
                     would shadow in the crate that declares it; choose another id",
                    id.value
                ),
            ),
            None => {}
        }
        if provider.name.value.trim().is_empty() {
            self.at(
                "provider",
                &provider.name,
                &path.key("name"),
                "the provider needs a name",
            );
        }
        let mut sources = Vec::new();
        let sources_path = path.key("sources");
        for (id, source) in provider.sources.value.iter() {
            let spath = sources_path.key(&id.value);
            if !self.source_ids.insert(id.value.clone()) {
                self.at(
                    "provider",
                    id,
                    &spath,
                    format!("source `{}` is listed twice", id.value),
                );
            }
            if source.value.location.value.trim().is_empty() {
                self.at(
                    "provider",
                    &source.value.location,
                    &spath.key("location"),
                    "a source needs a location",
                );
            }
            sources.push(Source {
                id: id.value.clone(),
                title: source.value.title.value.trim().to_owned(),
                location: source.value.location.value.trim().to_owned(),
            });
        }
        if sources.is_empty() {
            self.at(
                "provider",
                &provider.sources,
                &sources_path,
                "list at least one source document",
            );
        }
        let default = &provider.default_source;
        if !self.source_ids.contains(&default.value) {
            let hint = self.source_hint(&default.value);
            let message = format!(
                "unknown source `{}`; sources are listed in provider.sources{hint}",
                default.value
            );
            self.at("provider", default, &path.key("default_source"), message);
        }
        sources
    }
}
