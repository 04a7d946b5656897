fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    match crspec_codegen::spec::load(&path, &text) {
        Ok(s) => println!("ok {:?}", s.provider.value.id),
        Err(d) => println!("{d}\n{d:?}"),
    }
}
