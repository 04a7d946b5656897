//! The file side of generation: finding specs, and writing modules only when they change.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Diagnostics, Generated};

/// The spec files (`*.yaml`, `*.yml`) directly inside `dir`, sorted by name.
///
/// # Errors
///
/// `dir` cannot be read.
pub fn spec_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        let is_spec = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e == "yaml" || e == "yml");
        if is_spec && path.is_file() {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// `path` relative to `root` with `/` separators (for diagnostics and the `@generated` line).
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// One generated module and where it goes.
#[derive(Debug, Clone)]
pub struct Output {
    /// The spec, as named in diagnostics (`specs/ecr.yaml`).
    pub spec: String,
    /// The file the module belongs in (`<out>/<provider.id>.rs`).
    pub path: PathBuf,
    /// What the generator made.
    pub generated: Generated,
}

/// Why a directory of specs could not be generated.
#[derive(Debug)]
pub enum Error {
    /// A file could not be read or written.
    Io(PathBuf, io::Error),
    /// Specs with problems: every diagnostic of every failing spec.
    Specs(Vec<Diagnostics>),
    /// Two specs declare the same `provider.id`.
    DuplicateModule(String, String, String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Io(path, e) => write!(f, "{}: {e}", path.display()),
            Error::Specs(all) => {
                for (i, d) in all.iter().enumerate() {
                    if i > 0 {
                        f.write_str("\n")?;
                    }
                    write!(f, "{d}")?;
                }
                Ok(())
            }
            Error::DuplicateModule(id, a, b) => write!(
                f,
                "{b}: provider.id `{id}` is already the module of {a}; each spec needs its own id"
            ),
        }
    }
}

impl std::error::Error for Error {}

/// Generates every spec in `root/specs_dir` into modules destined for `out_dir` (nothing is
/// written). Diagnostics of all specs are collected before failing.
///
/// # Errors
///
/// A spec cannot be read, a spec has problems, or two specs share a module name.
pub fn generate_dir(root: &Path, specs_dir: &Path, out_dir: &Path) -> Result<Vec<Output>, Error> {
    let dir = root.join(specs_dir);
    let files = spec_files(&dir).map_err(|e| Error::Io(dir.clone(), e))?;
    let mut outputs: Vec<Output> = Vec::new();
    let mut failed = Vec::new();
    // Read every spec first, then generate them all at once (in parallel), in file order.
    let mut readable: Vec<(String, String)> = Vec::new();
    for file in files {
        let name = display_path(root, &file);
        let text = fs::read(&file).map_err(|e| Error::Io(file.clone(), e))?;
        match String::from_utf8(text) {
            Ok(text) => readable.push((name, text)),
            Err(e) => failed.push(Diagnostics(vec![crate::Diagnostic::not_utf8(&name, &e)])),
        }
    }
    let inputs: Vec<(&str, &str)> = readable
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    for ((name, _), result) in readable.iter().zip(crate::generate_all(&inputs)) {
        match result {
            Ok(generated) => {
                if let Some(other) = outputs
                    .iter()
                    .find(|o| o.generated.module == generated.module)
                {
                    return Err(Error::DuplicateModule(
                        generated.module,
                        other.spec.clone(),
                        name.clone(),
                    ));
                }
                outputs.push(Output {
                    path: out_dir.join(format!("{}.rs", generated.module)),
                    spec: name.clone(),
                    generated,
                });
            }
            Err(d) => failed.push(d),
        }
    }
    if failed.is_empty() {
        Ok(outputs)
    } else {
        Err(Error::Specs(failed))
    }
}

/// Writes `contents` to `path` unless the file already holds exactly that; `true` when written.
///
/// # Errors
///
/// The file cannot be written.
pub fn write_if_changed(path: &Path, contents: &str) -> io::Result<bool> {
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)?;
    }
    fs::write(path, contents)?;
    Ok(true)
}
