//! `crspec`: generate, check and lint the bindings of a crspec workspace.
//!
//! Exit codes: 0 success; 1 the specs have problems, or `generated/` is stale (`check`); 2 the
//! command line is wrong or a file cannot be read or written. A closed standard output
//! (`crspec generate | head -1`) stops the printing only: every file is still written and the
//! exit code is the one the command would have had.

use std::fs;
use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use clap::{Arg, ArgAction, ArgMatches, Command, value_parser};
use crspec_codegen::{Diagnostic, diag, files};

fn cli() -> Command {
    let root = Arg::new("root")
        .long("root")
        .global(true)
        .value_name("DIR")
        .value_parser(value_parser!(PathBuf))
        .default_value(".")
        .help("The folder that holds the specs and generated folders");
    let specs = Arg::new("specs")
        .long("specs")
        .global(true)
        .value_name("DIR")
        .value_parser(value_parser!(PathBuf))
        .default_value("specs")
        .help("The folder of the specs, relative to --root");
    let format = Arg::new("format")
        .long("format")
        .global(true)
        .value_name("FORMAT")
        .value_parser(["human", "json"])
        .default_value("human")
        .help("How to print diagnostics: human (rendered like rustc's) or json (one array)");
    let color = Arg::new("color")
        .long("color")
        .global(true)
        .value_name("WHEN")
        .value_parser(["auto", "always", "never"])
        .default_value("auto")
        .help("Color diagnostics: auto (on a terminal, unless NO_COLOR is set), always, never");
    let out = Arg::new("out")
        .long("out")
        .value_name("DIR")
        .value_parser(value_parser!(PathBuf))
        .default_value("generated")
        .help("The folder of the generated modules, relative to --root");
    Command::new("crspec")
        .version(env!("CARGO_PKG_VERSION"))
        .about("Generate typed, validated Rust bindings from crspec YAML specs")
        .long_about(
            "Generate typed, validated Rust bindings from crspec YAML specs.\n\n\
             Each spec in the specs folder (default: specs/) becomes one Rust module, \
             <provider.id>.rs, in the output folder (default: generated/). Paths are relative \
             to --root (default: the current folder).\n\n\
             Exit codes: 0 success; 1 a spec has problems, or generated/ is stale (check); \
             2 a wrong command line, or a file that cannot be read or written. A closed \
             standard output (crspec generate | head -1) only stops the printing: every file \
             is still written, and the exit code stays the same.",
        )
        .arg(root)
        .arg(specs)
        .arg(format)
        .arg(color)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("generate")
                .about("Regenerate every module, writing only the files whose content changed")
                .long_about(
                    "Regenerate every module from its spec, writing only the files whose content \
                     changed, and print per provider the types, validators and error codes \
                     emitted and whether its file changed. A spec with problems stops the run \
                     before anything is written; every problem of every spec is printed, two \
                     specs with the same provider.id among them. Each file is replaced \
                     atomically (written beside it, then renamed), so it is never left half \
                     written; a file that cannot be written (a folder in its place) is reported \
                     (exit 2) and the others are still written.",
                )
                .arg(out.clone())
                .arg(
                    Arg::new("quiet")
                        .long("quiet")
                        .short('q')
                        .action(ArgAction::SetTrue)
                        .help("Print nothing but errors"),
                ),
        )
        .subcommand(
            Command::new("check")
                .about("Fail (exit 1) with a unified diff when a generated module is stale")
                .long_about(
                    "Regenerate every module in memory and compare it with the file in the \
                     output folder. Prints a unified diff of each stale, missing or extra file \
                     and exits 1 when there is one; exits 0 when everything is fresh. Writes \
                     nothing. CI runs this.",
                )
                .arg(out),
        )
        .subcommand(
            Command::new("lint")
                .about("Report every problem of the given specs (default: every spec)")
                .long_about(
                    "Check specs and report every problem of each, rendered like rustc errors: \
                     file:line:col, the spec's line and a caret under the offending value, \
                     labelled with the path inside the spec. The specs linted together are \
                     checked as one folder: each needs its own provider.id. Exits 1 when a \
                     spec has a problem. \
                     With --format json (on every subcommand), prints one JSON array of \
                     diagnostics for editors and tooling: severity, file, line, column, span \
                     [offset, length] or null, path, message.",
                )
                .arg(
                    Arg::new("files")
                        .value_name("FILES")
                        .num_args(0..)
                        .value_parser(value_parser!(PathBuf))
                        .help("Spec files to lint (default: every spec in the specs folder)"),
                ),
        )
        .subcommand(
            Command::new("show")
                .about("Print the module one spec generates (what include_spec! expands to)")
                .long_about(
                    "Generate the module of one spec in memory and print it to standard output, \
                     formatted as the committed files are: the expansion of include_spec! for \
                     that spec. Writes nothing. A spec with problems prints them instead \
                     (exit 1).",
                )
                .arg(
                    Arg::new("file")
                        .value_name("FILE")
                        .required(true)
                        .value_parser(value_parser!(PathBuf))
                        .help("The spec file, relative to --root"),
                ),
        )
}

fn path_arg(matches: &ArgMatches, name: &str) -> PathBuf {
    matches
        .get_one::<PathBuf>(name)
        .cloned()
        .unwrap_or_default()
}

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy)]
struct Style {
    json: bool,
    color: bool,
}

impl Style {
    /// `--format` and `--color`; `auto` colors a terminal unless `NO_COLOR` is set to anything
    /// but the empty string (<https://no-color.org>); `always` wins over `NO_COLOR`.
    fn of(matches: &ArgMatches) -> Self {
        let json = matches
            .get_one::<String>("format")
            .is_some_and(|f| f == "json");
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match matches.get_one::<String>("color").map(String::as_str) {
            Some("always") => true,
            Some("never") => false,
            _ => !no_color && io::stderr().is_terminal() && io::stdout().is_terminal(),
        };
        Self { json, color }
    }
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let root = path_arg(&matches, "root");
    let specs = path_arg(&matches, "specs");
    let mut out = Out::new();
    let code = match matches.subcommand() {
        Some((name, sub)) => {
            let style = Style::of(sub);
            match name {
                "generate" => generate(
                    &mut out,
                    &root,
                    &specs,
                    &path_arg(sub, "out"),
                    sub.get_flag("quiet"),
                    style,
                ),
                "check" => check(&mut out, &root, &specs, &path_arg(sub, "out"), style),
                "lint" => {
                    let files: Vec<PathBuf> = sub
                        .get_many::<PathBuf>("files")
                        .map(|f| f.cloned().collect())
                        .unwrap_or_default();
                    lint(&mut out, &root, &specs, &files, style)
                }
                "show" => show(&mut out, &root, &path_arg(sub, "file"), style),
                _ => ExitCode::from(2),
            }
        }
        None => ExitCode::from(2),
    };
    out.finish(code)
}

/// Standard output, where a closed pipe (`crspec generate | head -1`) ends the output quietly.
///
/// Rust ignores SIGPIPE, so writing to a closed pipe is an error (`BrokenPipe`), on which
/// `println!` panics. Here it only stops the output: the command still does all its work and
/// exits with the code it would have had, 0 after a successful `generate`, 1 for a stale
/// `check`. Not the shell's 141 for a process killed by SIGPIPE: nothing was cut short but the
/// printing, and a `check` that fails must not look like one that was merely not read. Any
/// other write error is reported once and makes the exit code 2.
struct Out {
    stdout: io::StdoutLock<'static>,
    /// Nothing more is written: the pipe is closed, or a write failed.
    closed: bool,
    /// A write failed for another reason than a closed pipe.
    failed: bool,
}

impl Out {
    fn new() -> Self {
        Self {
            stdout: io::stdout().lock(),
            closed: false,
            failed: false,
        }
    }

    /// Writes `args` unless the output is closed.
    fn write(&mut self, args: std::fmt::Arguments<'_>) {
        if !self.closed {
            let written = self.stdout.write_fmt(args);
            self.check(written);
        }
    }

    fn check(&mut self, result: io::Result<()>) {
        if let Err(e) = result {
            self.closed = true;
            if e.kind() != io::ErrorKind::BrokenPipe {
                self.failed = true;
                error(format_args!("cannot write to standard output: {e}"));
            }
        }
    }

    /// Flushes the output; the exit code is `code`, or 2 when the output failed.
    fn finish(mut self, code: ExitCode) -> ExitCode {
        if !self.closed {
            let flushed = self.stdout.flush();
            self.check(flushed);
        }
        if self.failed { ExitCode::from(2) } else { code }
    }
}

/// `writeln!` to an [`Out`].
macro_rules! say {
    ($out:expr, $($arg:tt)*) => {
        $out.write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// Writes `text` to standard error as is. A closed standard error (`2>&1 | head`) is ignored,
/// where `eprint!` would panic: there is no one left to tell.
fn to_stderr(text: &str) {
    let _ = io::stderr().lock().write_all(text.as_bytes());
}

/// `error: <message>` on a line of standard error.
fn error(message: std::fmt::Arguments<'_>) {
    to_stderr(&format!("error: {message}\n"));
}

/// The diagnostics as the JSON array of `--format json`: each with its severity (every
/// problem a spec can have is an error: it stops generation).
fn json_diagnostics(all: &[Diagnostic]) -> String {
    #[derive(serde::Serialize)]
    struct Entry<'d> {
        severity: &'static str,
        #[serde(flatten)]
        diagnostic: &'d Diagnostic,
    }
    let entries: Vec<Entry<'_>> = all
        .iter()
        .map(|diagnostic| Entry {
            severity: "error",
            diagnostic,
        })
        .collect();
    serde_json::to_string_pretty(&entries).unwrap_or_else(|_| "[]".to_owned())
}

/// Generates every spec; on problems, prints them (rendered on standard error, or as JSON on
/// standard output) and returns the exit code.
fn generate_all(
    out: &mut Out,
    root: &Path,
    specs: &Path,
    dir: &Path,
    style: Style,
) -> Result<Vec<files::Output>, ExitCode> {
    files::generate_dir(root, specs, dir).map_err(|e| match e {
        files::Error::Specs(all) => {
            if style.json {
                let flat: Vec<Diagnostic> = all.into_iter().flat_map(|d| d.0).collect();
                say!(out, "{}", json_diagnostics(&flat));
            } else {
                for d in all {
                    to_stderr(&render_file(root, &d.0, style.color));
                }
            }
            ExitCode::from(1)
        }
        other => {
            error(format_args!("{other}"));
            ExitCode::from(2)
        }
    })
}

/// Renders the diagnostics of one file, reading its text again for the snippets.
fn render_file(root: &Path, diagnostics: &[Diagnostic], color: bool) -> String {
    let Some(first) = diagnostics.first() else {
        return String::new();
    };
    let source = fs::read(root.join(&first.file))
        .or_else(|_| fs::read(&first.file))
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    diag::render(diagnostics, &source, color)
}

fn generate(
    out: &mut Out,
    root: &Path,
    specs: &Path,
    dir: &Path,
    quiet: bool,
    style: Style,
) -> ExitCode {
    let outputs = match generate_all(out, root, specs, dir, style) {
        Ok(outputs) => outputs,
        Err(code) => return code,
    };
    // Every file is written before anything is printed, and a file that cannot be written does
    // not stop the others.
    let written: Vec<Option<bool>> = outputs
        .iter()
        .map(|output| {
            let path = root.join(&output.path);
            files::write_if_changed(&path, &output.generated.code)
                .map_err(|e| {
                    let shown = files::display_path(root, &path);
                    error(format_args!("cannot write {shown}: {e}"));
                })
                .ok()
        })
        .collect();
    if !quiet {
        for (output, written) in outputs.iter().zip(&written) {
            let state = match written {
                Some(true) => "changed",
                Some(false) => "unchanged",
                None => "not written",
            };
            let path = files::display_path(root, &root.join(&output.path));
            say!(out, "{} -> {path} ({state})", output.spec);
            say!(out, "  {}", output.generated.summary());
            for line in output.generated.details() {
                say!(out, "  {line}");
            }
        }
        let changed = written.iter().filter(|w| **w == Some(true)).count();
        say!(out, "{} specs, {changed} files changed", outputs.len());
    }
    let failed = written.iter().filter(|w| w.is_none()).count();
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        error(format_args!(
            "{failed} of {} modules could not be written",
            outputs.len()
        ));
        ExitCode::from(2)
    }
}

fn check(out: &mut Out, root: &Path, specs: &Path, dir: &Path, style: Style) -> ExitCode {
    let outputs = match generate_all(out, root, specs, dir, style) {
        Ok(outputs) => outputs,
        Err(code) => return code,
    };
    let mut stale = 0;
    for output in &outputs {
        let path = root.join(&output.path);
        let shown = files::display_path(root, &path);
        let old = fs::read_to_string(&path).unwrap_or_default();
        if old != output.generated.code {
            stale += 1;
            print_diff(
                out,
                &old,
                &output.generated.code,
                &format!("a/{shown}"),
                &format!("b/{shown}"),
            );
        }
    }
    // Modules that no spec produces any more.
    let expected: Vec<PathBuf> = outputs.iter().map(|o| root.join(&o.path)).collect();
    if let Ok(entries) = fs::read_dir(root.join(dir)) {
        let mut extra: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "rs") && !expected.contains(p))
            .collect();
        extra.sort();
        for path in extra {
            stale += 1;
            let old = fs::read_to_string(&path).unwrap_or_default();
            let shown = files::display_path(root, &path);
            print_diff(out, &old, "", &format!("a/{shown}"), "/dev/null");
        }
    }
    if stale == 0 {
        say!(out, "{} modules are fresh", outputs.len());
        ExitCode::SUCCESS
    } else {
        error(format_args!(
            "{stale} generated files are stale; run `crspec generate` (or `cargo build`) and commit the result"
        ));
        ExitCode::from(1)
    }
}

/// Stale files longer than this, before or after, are reported without a diff: a diff of two
/// unrelated files of `n` lines can take `n²` steps, and is no review aid at that size.
const MAX_DIFF_LINES: usize = 20_000;

/// How long one diff may take; past it the diff is coarser (whole blocks replaced), not slower.
const DIFF_DEADLINE: Duration = Duration::from_secs(2);

/// Prints the unified diff that turns `old` (named `a`) into `new` (named `b`), or one line
/// saying that the file is stale when either is longer than [`MAX_DIFF_LINES`].
fn print_diff(out: &mut Out, old: &str, new: &str, a: &str, b: &str) {
    let (old_lines, new_lines) = (old.lines().count(), new.lines().count());
    if old_lines.max(new_lines) > MAX_DIFF_LINES {
        say!(
            out,
            "{a} is stale: {old_lines} lines, {new_lines} as generated now ({b}); no diff is shown past {MAX_DIFF_LINES} lines: run `crspec generate` and review the change with `git diff`"
        );
        return;
    }
    // Patience aligns the lines that occur once on both sides first (a generated module's item
    // headers), which keeps the usual diff near linear and readable.
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Patience)
        .deadline(Instant::now() + DIFF_DEADLINE)
        .diff_lines(old, new);
    out.write(format_args!(
        "{}",
        diff.unified_diff().context_radius(3).header(a, b)
    ));
}

fn lint(out: &mut Out, root: &Path, specs: &Path, given: &[PathBuf], style: Style) -> ExitCode {
    let Style { json, color } = style;
    let files_to_lint = if given.is_empty() {
        match files::spec_files(&root.join(specs)) {
            Ok(f) => f,
            Err(e) => {
                error(format_args!(
                    "cannot read {}: {e}",
                    root.join(specs).display()
                ));
                return ExitCode::from(2);
            }
        }
    } else {
        given.iter().map(|f| root.join(f)).collect()
    };
    // Every file is read first, then the specs are generated together, so that two with the
    // same provider id are found as in `generate`.
    let mut texts: Vec<(String, Result<String, Diagnostic>)> = Vec::new();
    for file in &files_to_lint {
        let name = files::display_path(root, file);
        let bytes = match fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                error(format_args!("cannot read {}: {e}", file.display()));
                return ExitCode::from(2);
            }
        };
        let text = String::from_utf8(bytes).map_err(|e| Diagnostic::not_utf8(&name, &e));
        texts.push((name, text));
    }
    let inputs: Vec<(&str, &str)> = texts
        .iter()
        .filter_map(|(name, text)| Some((name.as_str(), text.as_ref().ok()?.as_str())))
        .collect();
    let mut results = files::generate_specs(&inputs).into_iter();
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut human = String::new();
    for (_, text) in &texts {
        let diagnostics = match text {
            Err(d) => {
                // No text to show a snippet of.
                human.push_str(&format!("error: {d}\n\n"));
                vec![d.clone()]
            }
            Ok(text) => match results.next() {
                Some(Err(d)) => {
                    human.push_str(&diag::render(&d.0, text, color));
                    d.0
                }
                Some(Ok(_)) | None => Vec::new(),
            },
        };
        all.extend(diagnostics);
    }
    if json {
        say!(out, "{}", json_diagnostics(&all));
    } else {
        out.write(format_args!("{human}"));
        let files_with = {
            let mut f: Vec<&str> = all.iter().map(|d| d.file.as_str()).collect();
            f.dedup();
            f.len()
        };
        if all.is_empty() {
            say!(out, "{}, no problems", count(files_to_lint.len(), "spec"));
        } else {
            say!(
                out,
                "{} in {files_with} of {}",
                count(all.len(), "problem"),
                count(files_to_lint.len(), "spec")
            );
        }
    }
    if all.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints the module `file` generates, or its problems.
fn show(out: &mut Out, root: &Path, file: &Path, style: Style) -> ExitCode {
    let path = root.join(file);
    let name = files::display_path(root, &path);
    let text = match fs::read(&path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(e) => {
                let d = Diagnostic::not_utf8(&name, &e);
                if style.json {
                    say!(out, "{}", json_diagnostics(&[d]));
                } else {
                    error(format_args!("{d}"));
                }
                return ExitCode::from(1);
            }
        },
        Err(e) => {
            error(format_args!("cannot read {}: {e}", path.display()));
            return ExitCode::from(2);
        }
    };
    match crspec_codegen::generate(&name, &text) {
        Ok(generated) => {
            out.write(format_args!("{}", generated.code));
            ExitCode::SUCCESS
        }
        Err(d) => {
            if style.json {
                say!(out, "{}", json_diagnostics(&d.0));
            } else {
                to_stderr(&diag::render(&d.0, &text, style.color));
            }
            ExitCode::from(1)
        }
    }
}

/// `1 spec`, `2 specs`: a count and its noun, in the plural unless there is one.
fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        super::cli().debug_assert();
    }
}
