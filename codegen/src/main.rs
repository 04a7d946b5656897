//! `crspec`: regenerate the bindings of a crspec workspace from its specs.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Arg, ArgAction, Command, value_parser};
use crspec_codegen::files;

fn cli() -> Command {
    Command::new("crspec")
        .about("Generate typed, validated Rust bindings from crspec YAML specs")
        .long_about(
            "Generate typed, validated Rust bindings from crspec YAML specs.\n\n\
             Each spec in the specs folder (default: specs/) becomes one Rust module in the \
             output folder (default: generated/). Paths are relative to --root, the folder that \
             holds both (default: the current folder).",
        )
        .arg(
            Arg::new("root")
                .long("root")
                .global(true)
                .value_name("DIR")
                .value_parser(value_parser!(PathBuf))
                .default_value(".")
                .help("The folder that holds specs/ and generated/"),
        )
        .arg(
            Arg::new("specs")
                .long("specs")
                .global(true)
                .value_name("DIR")
                .value_parser(value_parser!(PathBuf))
                .default_value("specs")
                .help("The folder of the specs, relative to --root"),
        )
        .subcommand_required(true)
        .subcommand(
            Command::new("generate")
                .about("Regenerate every module; write only the files whose content changed")
                .arg(
                    Arg::new("out")
                        .long("out")
                        .value_name("DIR")
                        .value_parser(value_parser!(PathBuf))
                        .default_value("generated")
                        .help("Where the modules go, relative to --root"),
                )
                .arg(
                    Arg::new("quiet")
                        .long("quiet")
                        .short('q')
                        .action(ArgAction::SetTrue)
                        .help("Print nothing but errors"),
                ),
        )
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let root = matches
        .get_one::<PathBuf>("root")
        .cloned()
        .unwrap_or_default();
    let specs = matches
        .get_one::<PathBuf>("specs")
        .cloned()
        .unwrap_or_default();
    match matches.subcommand() {
        Some(("generate", sub)) => {
            let out = sub.get_one::<PathBuf>("out").cloned().unwrap_or_default();
            let quiet = sub.get_flag("quiet");
            generate(&root, &specs, &out, quiet)
        }
        _ => ExitCode::from(2),
    }
}

fn generate(
    root: &std::path::Path,
    specs: &std::path::Path,
    out: &std::path::Path,
    quiet: bool,
) -> ExitCode {
    let outputs = match files::generate_dir(root, specs, out) {
        Ok(outputs) => outputs,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let mut changed = 0;
    for output in &outputs {
        let path = root.join(&output.path);
        let written = match files::write_if_changed(&path, &output.generated.code) {
            Ok(w) => w,
            Err(e) => {
                eprintln!("cannot write {}: {e}", path.display());
                return ExitCode::FAILURE;
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

#[cfg(test)]
mod tests {
    #[test]
    fn cli_is_well_formed() {
        super::cli().debug_assert();
    }
}
