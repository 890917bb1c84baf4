//! Compiles the YAML schemas under `schemas/` into the binary, so that adding a collection year is
//! adding a file: no list in the code has to change.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    println!("cargo::rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    for return_dir in std::fs::read_dir(&root).expect("schemas/ exists").flatten() {
        if !return_dir.path().is_dir() {
            continue;
        }
        println!("cargo::rerun-if-changed={}", return_dir.path().display());
        for file in std::fs::read_dir(return_dir.path())
            .expect("schema folder is readable")
            .flatten()
        {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "yaml") {
                files.push(path);
            }
        }
    }
    files.sort();
    let mut out = String::from("&[\n");
    for path in files {
        let relative = path
            .strip_prefix(&root)
            .expect("under schemas/")
            .to_string_lossy()
            .replace('\\', "/");
        writeln!(
            out,
            "    ({relative:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("embedded_schemas.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
}
