fn main() {
    let path = std::env::args().nth(1).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    match crspec_codegen::generate(&path, &text) {
        Ok(g) => println!("{}", g.code),
        Err(d) => println!("{d}"),
    }
}
