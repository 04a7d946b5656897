//! Generating all four specs in-process: load, check, emit, format (target: under 20 ms), one
//! after the other and through `generate_all` (the specs spread over the cores).
//!
//! And the cost curve: `specs/ecr.yaml` with its operations and shapes copied 1, 10 and 100 times
//! under new names, generated (a valid spec) and linted (each copy with seven misspelled type
//! names, each an unknown type with a "did you mean" hint). Linear cost means the time per byte
//! stays flat from 1× to 100×.

use std::hint::black_box;
use std::path::Path;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn generate(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let specs: Vec<(String, String)> = crspec_codegen::files::spec_files(&root.join("specs"))
        .unwrap()
        .into_iter()
        .map(|f| {
            let name = crspec_codegen::files::display_path(root, &f);
            (name, std::fs::read_to_string(&f).unwrap())
        })
        .collect();
    assert_eq!(specs.len(), 4);
    let mut group = c.benchmark_group("generate_all_four_specs");
    // One spec after the other, on one thread.
    group.bench_function("sequential", |b| {
        b.iter(|| {
            for (name, text) in &specs {
                black_box(crspec_codegen::generate(name, black_box(text)).unwrap());
            }
        });
    });
    // What build.rs and the CLI run: `generate_all`, the specs spread over the cores.
    let inputs: Vec<(&str, &str)> = specs
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    group.bench_function("generate_all", |b| {
        b.iter(|| {
            for result in crspec_codegen::generate_all(black_box(&inputs)) {
                black_box(result.unwrap());
            }
        });
    });
    group.finish();
}

/// The top-level sections of a spec: the text before `operations:`, the operations, the
/// shapes, and the rest (`errors:`), each with its heading line.
fn sections(text: &str) -> [String; 4] {
    let mut out: [String; 4] = Default::default();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        if line.starts_with("operations:") {
            at = 1;
        } else if line.starts_with("shapes:") {
            at = 2;
        } else if at == 2 && line.starts_with(|c: char| c.is_ascii_alphabetic()) {
            at = 3;
        }
        out[at].push_str(line);
    }
    out
}

/// The spec `text` with its operations and shapes `times` over: copy `i` (from 1) renames every
/// operation and shape `Name` to `NameX{i}`, as a whole word, wherever the copy mentions it, so
/// the copies are distinct and the spec stays valid.
fn scaled(text: &str, times: usize) -> String {
    let [head, operations, shapes, tail] = sections(text);
    let (op_heading, op_body) = operations.split_once('\n').unwrap();
    let (shape_heading, shape_body) = shapes.split_once('\n').unwrap();
    // The names: keys two spaces in.
    let names: Vec<&str> = op_body
        .lines()
        .chain(shape_body.lines())
        .filter_map(|l| l.strip_prefix("  ")?.strip_suffix(':'))
        .filter(|k| k.chars().all(|c| c.is_ascii_alphanumeric()))
        .collect();
    let word = regex::Regex::new(&format!(r"\b(?:{})\b", names.join("|"))).unwrap();
    let copy = |body: &str, i: usize| {
        if i == 0 {
            body.to_owned()
        } else {
            word.replace_all(body, |c: &regex::Captures<'_>| format!("{}X{i}", &c[0]))
                .into_owned()
        }
    };
    let mut out = head;
    out.push_str(op_heading);
    out.push('\n');
    for i in 0..times {
        out.push_str(&copy(op_body, i));
    }
    out.push_str(shape_heading);
    out.push('\n');
    for i in 0..times {
        out.push_str(&copy(shape_body, i));
    }
    out.push_str(&tail);
    out
}

/// `text` with its references to the `Image…` shapes misspelled (`Imgae…`): unknown types,
/// each close enough to its shape for a hint.
fn misspelled(text: &str) -> String {
    text.split_inclusive('\n')
        .map(|l| {
            if l.trim_start().starts_with("type:") {
                l.replace("Image", "Imgae")
            } else {
                l.to_owned()
            }
        })
        .collect()
}

fn cost_curve(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ecr = std::fs::read_to_string(root.join("specs/ecr.yaml")).unwrap();
    let mut group = c.benchmark_group("ecr_scaled");
    // 100× is about 1.5 MB of spec and seconds per run: few samples.
    group.sample_size(10);
    for times in [1, 10, 100] {
        let valid = scaled(&ecr, times);
        let generated = crspec_codegen::generate("specs/ecr.yaml", &valid).unwrap();
        assert_eq!(generated.ir.operations.len(), times);
        let bad = misspelled(&valid);
        let problems = crspec_codegen::generate("specs/ecr.yaml", &bad)
            .unwrap_err()
            .0;
        assert_eq!(problems.len(), 7 * times);
        assert!(problems.iter().all(|d| d.message.contains("did you mean")));

        group.throughput(Throughput::Bytes(valid.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("generate", format!("{times}x")),
            &valid,
            |b, text| b.iter(|| black_box(crspec_codegen::generate("ecr.yaml", black_box(text)))),
        );
        group.throughput(Throughput::Bytes(bad.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("lint", format!("{times}x")),
            &bad,
            |b, text| {
                b.iter(|| {
                    let problems =
                        crspec_codegen::generate("ecr.yaml", black_box(text)).unwrap_err();
                    black_box(crspec_codegen::diag::render(&problems.0, text, false))
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, generate, cost_curve);
criterion_main!(benches);
