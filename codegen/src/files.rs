//! The file side of generation: finding specs, and writing modules only when they change.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::{Diagnostic, Diagnostics, Generated};

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
    /// Specs with problems: every diagnostic of every failing spec, one entry per spec, in file
    /// order. Two specs with the same `provider.id` are one of these problems, placed at the
    /// second spec's id.
    Specs(Vec<Diagnostics>),
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
        }
    }
}

impl std::error::Error for Error {}

/// Generates every spec in `root/specs_dir` into modules destined for `out_dir` (nothing is
/// written), as [`generate_specs`] does: diagnostics of all specs are collected before failing,
/// a `provider.id` that an earlier spec (in file order) already has among them.
///
/// # Errors
///
/// A spec cannot be read ([`Error::Io`]), or specs have problems or share a module name
/// ([`Error::Specs`]).
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
            Err(e) => failed.push(Diagnostics(vec![Diagnostic::not_utf8(&name, &e)])),
        }
    }
    let inputs: Vec<(&str, &str)> = readable
        .iter()
        .map(|(name, text)| (name.as_str(), text.as_str()))
        .collect();
    for ((name, _), result) in readable.iter().zip(generate_specs(&inputs)) {
        match result {
            Ok(generated) => outputs.push(Output {
                path: out_dir.join(format!("{}.rs", generated.module)),
                spec: name.clone(),
                generated,
            }),
            Err(d) => failed.push(d),
        }
    }
    if failed.is_empty() {
        Ok(outputs)
    } else {
        Err(Error::Specs(failed))
    }
}

/// [`crate::generate_all`] for `(file, text)` specs whose modules go into one folder, so each
/// needs its own `provider.id`: a spec whose id an earlier spec already has fails, with a
/// diagnostic at its id. The results come back in input order.
pub fn generate_specs(specs: &[(&str, &str)]) -> Vec<Result<Generated, Diagnostics>> {
    let mut results = crate::generate_all(specs);
    // Each module name, with the spec that had it first.
    let mut first_of: HashMap<String, &str> = HashMap::new();
    for ((file, text), result) in specs.iter().zip(results.iter_mut()) {
        let module = match result {
            Ok(generated) => generated.module.clone(),
            Err(_) => continue,
        };
        if let Some(first) = first_of.get(&module) {
            *result = Err(Diagnostics(vec![duplicate_module(
                file, text, &module, first,
            )]));
        } else {
            first_of.insert(module, file);
        }
    }
    results
}

/// The problem of the spec `file` (text `text`), whose `provider.id` `id` is already the module
/// of the spec `first`: placed at the id.
fn duplicate_module(file: &str, text: &str, id: &str, first: &str) -> Diagnostic {
    const DUPLICATE: &str = "duplicate_provider_id";
    let message =
        format!("`{id}` is already the provider id of {first}; each spec needs its own id");
    // The IR keeps no places, so the spec is loaded again for the id's: only on this rare path,
    // and it loads (it just generated).
    match crate::spec::load(file, text) {
        Ok(spec) => Diagnostic::at(
            file,
            DUPLICATE,
            &spec.provider.value.id,
            "provider.id".into(),
            message,
        ),
        Err(_) => Diagnostic::whole_file(file, DUPLICATE, message),
    }
}

/// Writes `contents` to `path` unless the file already holds exactly that; `true` when written.
///
/// The write is atomic: the contents go to a temporary file in the same folder, which then
/// replaces `path` by a rename. A reader of `path`, or a write that is killed half-way, sees the
/// old file or the new one, never a part of one. The new file keeps the permissions of the one
/// it replaces (a new one gets the usual `0o666` less the umask); a symbolic link at `path` is
/// followed, and its target replaced. A write killed half-way can leave the temporary file
/// behind, named `.<file name>.<pid>-<n>.crspec-tmp`.
///
/// # Errors
///
/// The file cannot be written, or `path` is a folder ([`io::ErrorKind::IsADirectory`]); `path`
/// is then as it was.
pub fn write_if_changed(path: &Path, contents: &str) -> io::Result<bool> {
    if fs::read(path).is_ok_and(|old| old == contents.as_bytes()) {
        return Ok(false);
    }
    if path.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "a folder is in the way of the module; move it away",
        ));
    }
    let target = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
        fs::canonicalize(path)?
    } else {
        path.to_owned()
    };
    let dir = match target.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    fs::create_dir_all(dir)?;
    replace_file(dir, &target, contents.as_bytes())?;
    Ok(true)
}

/// Writes `bytes` to a new temporary file in `dir` (the folder of `path`, hence the same file
/// system), flushed to the disk, and renames it over `path`; the temporary file is removed on
/// every error.
///
/// This uses std rather than the `tempfile` crate on purpose. Build scripts with `regenerate`
/// compile this module, and tempfile would add rustix, getrandom, fastrand and once_cell to each
/// such build (its cost is measured in `benches/README.md`). What tempfile would add here is
/// covered: a unique name comes from the process id, a counter and `create_new` (which never
/// opens an existing file), and the removal on error is explicit. std also creates the file
/// with the permissions `fs::write` gives (`0o666` less the umask), where tempfile's are
/// `0o600`. `fs::rename` replaces an existing file on Unix and on Windows alike.
fn replace_file(dir: &Path, path: &Path, bytes: &[u8]) -> io::Result<()> {
    use std::io::Write;
    use std::sync::atomic::{AtomicU32, Ordering};

    /// Names already tried by this process, so that threads writing at once never share one.
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut attempts = 0;
    let (temp, mut file) = loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let temp = dir.join(format!(".{name}.{}-{n}.crspec-tmp", std::process::id()));
        match fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&temp)
        {
            Ok(file) => break (temp, file),
            // Left by a killed run of a process that had the same id: take the next name.
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempts < 100 => {
                attempts += 1;
            }
            Err(e) => return Err(e),
        }
    };
    let written = (|| {
        file.write_all(bytes)?;
        if let Ok(old) = fs::metadata(path) {
            file.set_permissions(old.permissions())?;
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)
    })();
    if written.is_err() {
        // Nothing to add to the error when this fails too: the file is hidden and harmless.
        let _ = fs::remove_file(&temp);
    }
    written
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The files of `dir`, by name, sorted.
    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_only_what_changed_and_creates_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("generated/x.rs");
        assert!(write_if_changed(&path, "one\n").unwrap());
        assert!(!write_if_changed(&path, "one\n").unwrap());
        assert!(write_if_changed(&path, "two\n").unwrap());
        assert_eq!(fs::read_to_string(&path).unwrap(), "two\n");
        // No temporary file is left behind.
        assert_eq!(names(&dir.path().join("generated")), ["x.rs"]);
    }

    /// The old file is replaced, not overwritten in place: a reader that opened it before the
    /// write still reads all of the old contents, and never a mix.
    #[test]
    fn a_write_replaces_the_file_and_never_changes_it_in_place() {
        use std::io::Read;

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.rs");
        let old = "old\n".repeat(10_000);
        fs::write(&path, &old).unwrap();
        let mut reader = fs::File::open(&path).unwrap();
        let mut first = [0; 4];
        reader.read_exact(&mut first).unwrap();
        assert!(write_if_changed(&path, "new\n").unwrap());
        let mut rest = String::new();
        reader.read_to_string(&mut rest).unwrap();
        assert_eq!(format!("old\n{rest}"), old);
        assert_eq!(fs::read_to_string(&path).unwrap(), "new\n");
    }

    #[test]
    fn a_folder_in_the_way_is_an_error_and_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.rs");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("inside"), "kept").unwrap();
        let e = write_if_changed(&path, "new\n").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::IsADirectory, "{e}");
        assert!(e.to_string().contains("a folder is in the way"), "{e}");
        assert_eq!(fs::read_to_string(path.join("inside")).unwrap(), "kept");
        assert_eq!(names(dir.path()), ["x.rs"]);
    }

    #[cfg(unix)]
    #[test]
    fn permissions_are_those_of_the_old_file_or_of_a_plain_write() {
        use std::os::unix::fs::PermissionsExt;

        let dir = tempfile::tempdir().unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        fs::write(dir.path().join("plain"), "").unwrap();
        let new = dir.path().join("new.rs");
        write_if_changed(&new, "new\n").unwrap();
        assert_eq!(mode(&new), mode(&dir.path().join("plain")));

        let old = dir.path().join("old.rs");
        fs::write(&old, "old\n").unwrap();
        fs::set_permissions(&old, fs::Permissions::from_mode(0o640)).unwrap();
        write_if_changed(&old, "new\n").unwrap();
        assert_eq!(mode(&old), 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere.rs");
        fs::write(&target, "old\n").unwrap();
        let link = dir.path().join("x.rs");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(write_if_changed(&link, "new\n").unwrap());
        assert!(
            fs::symlink_metadata(&link)
                .unwrap()
                .file_type()
                .is_symlink()
        );
        assert_eq!(fs::read_to_string(&target).unwrap(), "new\n");
    }
}
