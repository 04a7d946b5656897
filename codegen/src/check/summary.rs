//! `operations.X.summary`: the mapping of an operation's output items onto the
//! cross-provider `ImageSummary`.

use super::members::wire_name_hint;
use super::shapes::{Contents, Shapes};
use super::words::SizeUnit;
use super::{Checker, ROOT, SpecPath};
use crate::ir::{FieldRef, Struct, StructId, Summary, SummarySource, Ty};
use crate::spec::{Operation, Spanned, Summary as SpecSummary};

/// A structure being read by the summary's checks.
#[derive(Clone, Copy)]
struct Side<'a> {
    id: StructId,
    structure: &'a Struct,
}

impl Checker<'_> {
    /// Checks every operation's `summary`; the mappings, in operation order.
    pub(super) fn summaries(
        &mut self,
        shapes: &Shapes,
        contents: &Contents,
    ) -> Vec<Option<Summary>> {
        let spec = self.spec;
        let ops_path = ROOT.key("operations");
        let mut out = Vec::new();
        for (name, op) in spec.operations.value.iter() {
            let summary = op.value.summary.as_ref().and_then(|summary| {
                let op_path = ops_path.key(&name.value);
                let path = op_path.key("summary");
                self.summary(shapes, contents, &op.value, &summary.value, &path)
            });
            out.push(summary);
        }
        out
    }

    /// Rule: every member a summary names, by its key in the spec (as pagination does,
    /// whatever its wire name), exists where it should (the items are a list of
    /// structures in the output; the others are members of an item, or of the input for
    /// `*_from_input`) and has a type the summary field can take; a field comes from the item
    /// or from the input, not both; the size unit is a known unit.
    fn summary(
        &mut self,
        shapes: &Shapes,
        contents: &Contents,
        op: &Operation,
        summary: &SpecSummary,
        path: &SpecPath<'_>,
    ) -> Option<Summary> {
        let side = |name: &str| {
            let id = shapes.structure(name)?;
            Some(Side {
                id,
                structure: contents.structure(id)?,
            })
        };
        let output = side(&op.output.value)?;
        let input = side(&op.input.value)?;
        let (items, item) = self.summary_items(contents, summary, path, output)?;
        let before = self.reported();
        let digest = self.summary_member(
            path,
            "digest",
            summary.digest.as_ref(),
            item,
            |t| matches!(t, Ty::String | Ty::Digest),
            "a string or a digest",
        );
        let tags = self.summary_member(
            path,
            "tags",
            summary.tags.as_ref(),
            item,
            |t| match t {
                Ty::List(item) => matches!(**item, Ty::String | Ty::ShortString),
                t => matches!(t, Ty::String | Ty::ShortString),
            },
            "a string, a short_string or a list of either",
        );
        let size = self.summary_member(
            path,
            "size",
            summary.size.as_ref(),
            item,
            |t| matches!(t, Ty::Integer | Ty::Long | Ty::Double),
            "a number",
        );
        let pushed_at = self.summary_member(
            path,
            "pushed_at",
            summary.pushed_at.as_ref(),
            item,
            |t| matches!(t, Ty::Timestamp(_)),
            "a timestamp",
        );
        let media_type = self.summary_member(
            path,
            "media_type",
            summary.media_type.as_ref(),
            item,
            |t| matches!(t, Ty::String | Ty::Enum(_)),
            "a string or an enum",
        );
        let registry = self.summary_name(
            path,
            "registry",
            (summary.registry.as_ref(), item),
            (summary.registry_from_input.as_ref(), input),
        );
        let repository = self.summary_name(
            path,
            "repository",
            (summary.repository.as_ref(), item),
            (summary.repository_from_input.as_ref(), input),
        );
        let unit = match &summary.size_unit {
            None => 1,
            Some(u) => self
                .keyword::<SizeUnit>(u, &path.key("size_unit"))
                .map_or(1, |u| u.0),
        };
        if self.reported() > before {
            return None;
        }
        Some(Summary {
            items,
            digest: digest.map(SummarySource::Item),
            tags: tags.map(SummarySource::Item),
            size: size.map(|f| (SummarySource::Item(f), unit)),
            pushed_at: pushed_at.map(SummarySource::Item),
            media_type: media_type.map(|f| {
                (
                    SummarySource::Item(f),
                    summary.media_type_prefix.as_ref().map(|p| p.value.clone()),
                )
            }),
            registry,
            repository,
        })
    }

    /// The summary's `items`: a member of the output that is a list of structures; the
    /// member, and the structure of its items.
    fn summary_items<'c>(
        &mut self,
        contents: &'c Contents,
        summary: &SpecSummary,
        path: &SpecPath<'_>,
        output: Side<'c>,
    ) -> Option<(Option<FieldRef>, Side<'c>)> {
        let items_path = path.key("items");
        // Without `items`, the output is the one image.
        let Some(items_key) = &summary.items else {
            return Some((None, output));
        };
        let Some(items_index) = output
            .structure
            .fields
            .iter()
            .position(|f| f.key == items_key.value)
        else {
            let message = format!(
                "`{}` is not a member of `{}`{}",
                items_key.value,
                output.structure.name,
                hint_of(&output.structure.fields, &items_key.value)
            );
            self.at("summary_items", items_key, &items_path, message);
            return None;
        };
        let items = FieldRef {
            structure: output.id,
            index: items_index,
        };
        let item_ty = &output.structure.fields[items_index].ty;
        let Some(id) = item_ty.list_of_struct() else {
            let message = format!("`{}` is not a list of structures", items_key.value);
            self.at("summary_items", items_key, &items_path, message);
            return None;
        };
        // An item structure with problems of its own was reported where it is defined.
        let item = Side {
            id,
            structure: contents.structure(id)?,
        };
        Some((Some(items), item))
    }

    /// The member `value` (at `key`) of `from`, of a type `want` accepts (`kind` names it).
    fn summary_member(
        &mut self,
        path: &SpecPath<'_>,
        key: &str,
        value: Option<&Spanned<String>>,
        from: Side<'_>,
        want: fn(&Ty) -> bool,
        kind: &str,
    ) -> Option<FieldRef> {
        let value = value?;
        let key_path = path.key(key);
        let fields = &from.structure.fields;
        let name = &from.structure.name;
        match fields.iter().position(|f| f.key == value.value) {
            None => {
                let hint = hint_of(fields, &value.value);
                let message = format!("`{}` is not a member of `{name}`{hint}", value.value);
                self.at("summary_member", value, &key_path, message);
                None
            }
            Some(i) if !want(&fields[i].ty) => {
                let message = format!("`{}` of `{name}` is not {kind}", value.value);
                self.at("summary_member", value, &key_path, message);
                None
            }
            Some(index) => Some(FieldRef {
                structure: from.id,
                index,
            }),
        }
    }

    /// A name (`registry`, `repository`): a string member of the item (`key`) or of the input
    /// (`<key>_from_input`), not both.
    fn summary_name(
        &mut self,
        path: &SpecPath<'_>,
        key: &str,
        (own, item): (Option<&Spanned<String>>, Side<'_>),
        (from_input, input): (Option<&Spanned<String>>, Side<'_>),
    ) -> Option<SummarySource> {
        let name = |t: &Ty| matches!(t, Ty::String | Ty::SharedString);
        let from_input_key = format!("{key}_from_input");
        if let (Some(_), Some(other)) = (own, from_input) {
            let message = format!("`{key}` and `{key}_from_input` are exclusive");
            self.at("summary_name", other, &path.key(&from_input_key), message);
            return None;
        }
        if let Some(f) = self.summary_member(path, key, own, item, name, "a string") {
            return Some(SummarySource::Item(f));
        }
        self.summary_member(path, &from_input_key, from_input, input, name, "a string")
            .map(SummarySource::Input)
    }
}

/// The hint for `name`, a member not found among `fields`: the member it is the wire name of.
fn hint_of(fields: &[crate::ir::Field], name: &str) -> String {
    fields
        .iter()
        .find(|f| f.wire == name && f.key != name)
        .map(|f| wire_name_hint(name, &f.key))
        .unwrap_or_default()
}
