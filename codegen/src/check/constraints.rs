//! Constraints of a member: length and item bounds, number ranges, and the default value.

use super::shapes::Shapes;
use super::types::TypeNames;
use super::{Checker, SpecPath};
use crate::ir::{Bounds as IrBounds, Num, Ty};
use crate::pattern::Tables;
use crate::spec::{self, Bounds, Scalar, Spanned};

/// A member's own constraints, which its default must satisfy.
pub(super) struct Rules<'a> {
    pub(super) length: Option<IrBounds<u64>>,
    pub(super) range: Option<IrBounds<Num>>,
    pub(super) tables: Option<&'a Tables>,
}

/// The smallest and largest value of an integer type (all of `i128` for other types).
fn limits(ty: &Ty) -> (i128, i128) {
    match ty {
        Ty::Integer => (i128::from(i32::MIN), i128::from(i32::MAX)),
        Ty::Long => (i128::from(i64::MIN), i128::from(i64::MAX)),
        _ => (i128::MIN, i128::MAX),
    }
}

impl Checker<'_> {
    /// Rule: `length` and `items` bounds are whole numbers of at least 0, at least one is
    /// given, and min is not above max.
    pub(super) fn bounds_u64(
        &mut self,
        bounds: Option<&Spanned<Bounds>>,
        path: &SpecPath<'_>,
        what: &str,
    ) -> Option<IrBounds<u64>> {
        let bounds = bounds?;
        let mut one = |b: Option<&Spanned<spec::Num>>, key: &str| -> Option<u64> {
            let b = b?;
            match b.value {
                spec::Num::Int(n) if n >= 0 => u64::try_from(n).ok(),
                other => {
                    let message =
                        format!("{what} bounds are whole numbers of at least 0, not {other}");
                    self.at("bounds", b, &path.key(key), message);
                    None
                }
            }
        };
        let min = one(bounds.value.min.as_ref(), "min");
        let max = one(bounds.value.max.as_ref(), "max");
        if bounds.value.min.is_none() && bounds.value.max.is_none() {
            self.at("bounds", bounds, path, "give `min`, `max` or both");
        }
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            self.at(
                "bounds",
                bounds,
                path,
                format!("min {lo} is greater than max {hi}"),
            );
        }
        Some(IrBounds { min, max })
    }

    /// Rule: range bounds fit the member's type (whole numbers for integers), are finite,
    /// at least one is given, and min is not above max. `None` when they are not usable.
    pub(super) fn range(
        &mut self,
        bounds: &Spanned<Bounds>,
        path: &SpecPath<'_>,
        ty: &Ty,
        names: &TypeNames<'_>,
    ) -> Option<IrBounds<Num>> {
        let (lo_limit, hi_limit) = limits(ty);
        let mut ok = true;
        for (key, b) in [("min", &bounds.value.min), ("max", &bounds.value.max)] {
            let Some(b) = b else { continue };
            let message = match (ty, b.value) {
                (Ty::Integer | Ty::Long, spec::Num::Int(n)) if n < lo_limit || n > hi_limit => {
                    format!("{n} does not fit {}", names.a(ty))
                }
                (Ty::Integer | Ty::Long, spec::Num::Float(f)) => {
                    format!(
                        "{f:?} is not a whole number; this member is {}",
                        names.a(ty)
                    )
                }
                (_, spec::Num::Float(f)) if !f.is_finite() => "bounds are finite numbers".into(),
                _ => continue,
            };
            self.at("range_bounds", b, &path.key(key), message);
            ok = false;
        }
        if bounds.value.min.is_none() && bounds.value.max.is_none() {
            self.at("range_bounds", bounds, path, "give `min`, `max` or both");
        }
        let min = bounds.value.min.as_ref().map(|b| Num::from(b.value));
        let max = bounds.value.max.as_ref().map(|b| Num::from(b.value));
        if let (Some(lo), Some(hi)) = (min, max)
            && lo.as_f64() > hi.as_f64()
        {
            self.at(
                "range_bounds",
                bounds,
                path,
                format!("min {lo} is greater than max {hi}"),
            );
            ok = false;
        }
        ok.then_some(IrBounds { min, max })
    }

    /// Rule: a default is a value of the member's type that meets the member's own length,
    /// pattern and range (an enum's default is one of its values).
    pub(super) fn default_value(
        &mut self,
        default: &Spanned<Scalar>,
        path: &SpecPath<'_>,
        ty: &Ty,
        rules: &Rules<'_>,
        shapes: &Shapes,
    ) {
        let names = TypeNames(shapes);
        match (ty, &default.value) {
            (Ty::String, Scalar::Str(s)) => {
                let n = s.chars().count() as u64;
                if let Some(length) = rules.length
                    && (length.min.is_some_and(|lo| n < lo) || length.max.is_some_and(|hi| n > hi))
                {
                    let message = format!(
                        "the default {s:?} has length {n}, outside the member's length ({length})"
                    );
                    self.at("default_value", default, path, message);
                }
                if let Some(t) = rules.tables
                    && !t.is_full_match(s)
                {
                    let message = format!("the default {s:?} does not match the member's pattern");
                    self.at("default_value", default, path, message);
                }
            }
            (Ty::Enum(id), Scalar::Str(s)) => {
                if let Some(values) = shapes.enum_values.get(&shapes.enums[id.0])
                    && !values.iter().any(|v| v == s)
                {
                    let message = format!(
                        "the default {s:?} is not a value of enum {} ({})",
                        shapes.enums[id.0],
                        values.join(", ")
                    );
                    self.at("default_value", default, path, message);
                }
            }
            (Ty::Boolean, Scalar::Bool(_)) => {}
            (Ty::Integer | Ty::Long, Scalar::Num(spec::Num::Int(_)))
            | (Ty::Double, Scalar::Num(_)) => {
                let Scalar::Num(n) = default.value else {
                    return;
                };
                let n = Num::from(n);
                let (lo_limit, hi_limit) = if *ty == Ty::Integer {
                    limits(&Ty::Integer)
                } else {
                    limits(&Ty::Long)
                };
                if let Num::Int(i) = n
                    && *ty != Ty::Double
                    && (i < lo_limit || i > hi_limit)
                {
                    let message = format!("the default {i} does not fit {}", names.a(ty));
                    self.at("default_value", default, path, message);
                    return;
                }
                if let Some(range) = rules.range
                    && (range.min.is_some_and(|lo| n.as_f64() < lo.as_f64())
                        || range.max.is_some_and(|hi| n.as_f64() > hi.as_f64()))
                {
                    let lo = range.min.map(|l| l.to_string()).unwrap_or_default();
                    let hi = range.max.map(|h| h.to_string()).unwrap_or_default();
                    let message =
                        format!("the default {n} is outside the member's range {lo}..={hi}");
                    self.at("default_value", default, path, message);
                }
            }
            (Ty::SharedString | Ty::ShortString | Ty::Digest, _) => self.at("default_value", 
                default,
                path,
                format!(
                    "a {} member takes no default (defaults are for strings, numbers, booleans and enums)",
                    names.label(ty)
                ),
            ),
            (ty, value) => self.at("default_value", 
                default,
                path,
                format!(
                    "the default {value} is not a value of the member's type ({})",
                    names.label(ty)
                ),
            ),
        }
    }
}
