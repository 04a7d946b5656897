//! Generating all four specs in-process: load, check, emit, format (target: under 20 ms).

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
    c.bench_function("generate_all_four_specs", |b| {
        b.iter(|| {
            for (name, text) in &specs {
                black_box(crspec_codegen::generate(name, black_box(text)).unwrap());
            }
        });
    });
}

criterion_group!(benches, generate);
criterion_main!(benches);
