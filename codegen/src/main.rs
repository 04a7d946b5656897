//! `crspec`: generate, check and lint the bindings of a crspec workspace.
//!
//! Exit codes: 0 success; 1 the specs have problems, or `generated/` is stale (`check`); 2 the
//! command line is wrong or a file cannot be read or written.

use std::fs;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

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
             2 a wrong command line, or a file that cannot be read or written.",
        )
        .arg(root)
        .arg(specs)
        .subcommand_required(true)
        .arg_required_else_help(true)
        .subcommand(
            Command::new("generate")
                .about("Regenerate every module, writing only the files whose content changed")
                .long_about(
                    "Regenerate every module from its spec, writing only the files whose content \
                     changed, and print per provider the types, validators and error codes \
                     emitted and whether its file changed. A spec with problems stops the run \
                     before anything is written; every problem of every spec is printed.",
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
                     labelled with the path inside the spec. Exits 1 when a spec has a problem. \
                     With --format json, prints one JSON array of diagnostics for editors and \
                     tooling: file, line, column, span [offset, length] or null, path, message.",
                )
                .arg(
                    Arg::new("files")
                        .value_name("FILES")
                        .num_args(0..)
                        .value_parser(value_parser!(PathBuf))
                        .help("Spec files to lint (default: every spec in the specs folder)"),
                )
                .arg(
                    Arg::new("format")
                        .long("format")
                        .value_name("FORMAT")
                        .value_parser(["human", "json"])
                        .default_value("human")
                        .help("How to print diagnostics"),
                )
                .arg(
                    Arg::new("color")
                        .long("color")
                        .value_name("WHEN")
                        .value_parser(["auto", "always", "never"])
                        .default_value("auto")
                        .help("Color the human format"),
                ),
        )
}

fn path_arg(matches: &ArgMatches, name: &str) -> PathBuf {
    matches
        .get_one::<PathBuf>(name)
        .cloned()
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let root = path_arg(&matches, "root");
    let specs = path_arg(&matches, "specs");
    match matches.subcommand() {
        Some(("generate", sub)) => {
            generate(&root, &specs, &path_arg(sub, "out"), sub.get_flag("quiet"))
        }
        Some(("check", sub)) => check(&root, &specs, &path_arg(sub, "out")),
        Some(("lint", sub)) => {
            let files: Vec<PathBuf> = sub
                .get_many::<PathBuf>("files")
                .map(|f| f.cloned().collect())
                .unwrap_or_default();
            let json = sub.get_one::<String>("format").is_some_and(|f| f == "json");
            let color = match sub.get_one::<String>("color").map(String::as_str) {
                Some("always") => true,
                Some("never") => false,
                _ => std::io::stdout().is_terminal(),
            };
            lint(&root, &specs, &files, json, color)
        }
        _ => ExitCode::from(2),
    }
}

/// Generates every spec; on problems, prints them (rendered) and returns the exit code.
fn generate_all(root: &Path, specs: &Path, out: &Path) -> Result<Vec<files::Output>, ExitCode> {
    files::generate_dir(root, specs, out).map_err(|e| match e {
        files::Error::Specs(all) => {
            for d in all {
                eprint!("{}", render_file(root, &d.0, false));
            }
            ExitCode::from(1)
        }
        other => {
            eprintln!("error: {other}");
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

fn generate(root: &Path, specs: &Path, out: &Path, quiet: bool) -> ExitCode {
    let outputs = match generate_all(root, specs, out) {
        Ok(outputs) => outputs,
        Err(code) => return code,
    };
    let mut changed = 0;
    for output in &outputs {
        let path = root.join(&output.path);
        let written = match files::write_if_changed(&path, &output.generated.code) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                return ExitCode::from(2);
            }
        };
        changed += usize::from(written);
        if !quiet {
            println!(
                "{} -> {} ({})",
                output.spec,
                files::display_path(root, &path),
                if written { "changed" } else { "unchanged" }
            );
            println!("  {}", output.generated.summary());
            for line in output.generated.details() {
                println!("  {line}");
            }
        }
    }
    if !quiet {
        println!("{} specs, {changed} files changed", outputs.len());
    }
    ExitCode::SUCCESS
}

fn check(root: &Path, specs: &Path, out: &Path) -> ExitCode {
    let outputs = match generate_all(root, specs, out) {
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
            let diff = similar::TextDiff::from_lines(&old, &output.generated.code);
            print!(
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&format!("a/{shown}"), &format!("b/{shown}"))
            );
        }
    }
    // Modules that no spec produces any more.
    let expected: Vec<PathBuf> = outputs.iter().map(|o| root.join(&o.path)).collect();
    if let Ok(entries) = fs::read_dir(root.join(out)) {
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
            let diff = similar::TextDiff::from_lines(old.as_str(), "");
            print!(
                "{}",
                diff.unified_diff()
                    .header(&format!("a/{shown}"), "/dev/null")
            );
        }
    }
    if stale == 0 {
        println!("{} modules are fresh", outputs.len());
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "error: {stale} generated files are stale; run `crspec generate` (or `cargo build`) and commit the result"
        );
        ExitCode::from(1)
    }
}

fn lint(root: &Path, specs: &Path, given: &[PathBuf], json: bool, color: bool) -> ExitCode {
    let files_to_lint = if given.is_empty() {
        match files::spec_files(&root.join(specs)) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", root.join(specs).display());
                return ExitCode::from(2);
            }
        }
    } else {
        given.iter().map(|f| root.join(f)).collect()
    };
    let mut all: Vec<Diagnostic> = Vec::new();
    let mut human = String::new();
    for file in &files_to_lint {
        let name = files::display_path(root, file);
        let bytes = match fs::read(file) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", file.display());
                return ExitCode::from(2);
            }
        };
        let diagnostics = match String::from_utf8(bytes) {
            Err(e) => {
                let d = Diagnostic::not_utf8(&name, &e);
                // No text to show a snippet of.
                human.push_str(&format!("error: {d}\n\n"));
                vec![d]
            }
            Ok(text) => match crspec_codegen::generate(&name, &text) {
                Ok(_) => Vec::new(),
                Err(d) => {
                    human.push_str(&diag::render(&d.0, &text, color));
                    d.0
                }
            },
        };
        all.extend(diagnostics);
    }
    if json {
        match serde_json::to_string_pretty(&all) {
            Ok(text) => println!("{text}"),
            Err(e) => {
                eprintln!("error: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{human}");
        let files_with = {
            let mut f: Vec<&str> = all.iter().map(|d| d.file.as_str()).collect();
            f.dedup();
            f.len()
        };
        if all.is_empty() {
            println!("{} specs, no problems", files_to_lint.len());
        } else {
            println!(
                "{} problems in {files_with} of {} specs",
                all.len(),
                files_to_lint.len()
            );
        }
    }
    if all.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        super::cli().debug_assert();
    }
}
