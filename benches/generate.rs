//! Generating all four specs in-process: load, check, emit, format (target: under 20 ms), one
//! after the other and through `generate_all` (the specs spread over the cores).

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};

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

criterion_group!(benches, generate);
criterion_main!(benches);
