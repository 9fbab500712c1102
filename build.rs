//! Embeds every deck in `decks/` into the binary, so a fresh install has
//! something to study with no files around it, with their fingerprint:
//! every command compares it with the one stored in the database, and
//! hashing the decks' text at run time was a twentieth of `recall answer`.
// A build script's panic is a failed build with its message, shown to the
// developer who changed a deck or a migration: unwrap is the right failure here.
#![allow(clippy::unwrap_used)]

use std::fmt::Write;
use std::path::Path;

include!("src/fnv.rs");

fn main() {
    link_without_pie();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("decks");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    let mut code = String::from("pub const DECKS: &[(&str, &str)] = &[\n");
    // The bytes `bundled::fingerprint_of` hashes: each name and text, NUL after each.
    let mut all = Vec::new();
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_name().unwrap().to_string_lossy();
        all.extend_from_slice(name.as_bytes());
        all.push(0);
        all.extend_from_slice(&std::fs::read(path).unwrap());
        all.push(0);
        writeln!(
            code,
            "    ({name:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    writeln!(
        code,
        "pub const FINGERPRINT: &str = \"{:016x}\";",
        fnv1a(&all)
    )
    .unwrap();
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("bundled_decks.rs");
    std::fs::write(out, code).unwrap();
    expected_schemas();
}

/// The schema that each version of `migrations/` makes, as SQLite lists it
/// in `sqlite_schema`, for `src/storage/schema.rs` to compare every opened
/// database with. Building it at run time (the migrations run on an
/// in-memory database) cost 0.5 to 2 ms per command, a third of
/// `recall answer`; here it is built once, by the same SQLite version.
fn expected_schemas() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "sql"))
        .collect();
    files.sort();
    let mut code = String::from("pub const SOURCES: &[&str] = &[\n");
    for path in &files {
        println!("cargo:rerun-if-changed={}", path.display());
        writeln!(code, "    include_str!({:?}),", path.display().to_string()).unwrap();
    }
    code.push_str(
        "];\n/// (type, name, tbl_name, sql)\npub type Row = (&'static str, &'static str, &'static str, Option<&'static str>);\n",
    );
    code.push_str("pub const SCHEMAS: &[&[Row]] = &[\n");
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    for version in 0..=files.len() {
        if version > 0 {
            let sql = std::fs::read_to_string(&files[version - 1]).unwrap();
            conn.execute_batch(&sql).unwrap();
        }
        code.push_str("    &[\n");
        let mut stmt = conn
            .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")
            .unwrap();
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, Option<String>>(3)?,
                ))
            })
            .unwrap();
        for row in rows {
            let (kind, name, table, sql) = row.unwrap();
            writeln!(code, "        ({kind:?}, {name:?}, {table:?}, {sql:?}),").unwrap();
        }
        code.push_str("    ],\n");
    }
    code.push_str("];\n");
    let out = Path::new(&std::env::var("OUT_DIR").unwrap()).join("schema_expected.rs");
    std::fs::write(out, code).unwrap();
}

/// The `recall` binary is linked as a position-dependent executable on
/// Linux with glibc. A PIE of this size carries some 22 000 relative
/// relocations that the dynamic loader applies at every start, copying
/// the ~110 pages they touch: measured against the same build as a PIE
/// (interleaved runs, 2026-12-01), `recall --version` went from 1.54 to
/// 1.27 ms, `recall answer` from 3.9 to 3.5 ms and `recall next` from 4.6
/// to 4.2 ms (fastest of 60 runs each), 321 page faults to 206 a start.
/// What it gives up is address randomisation of the executable's own
/// image (the libraries, heap and stack stay randomised). Everything is
/// still compiled as position-independent code, so proc macros and build
/// scripts are untouched; only the final link of the binaries changes.
fn link_without_pie() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
