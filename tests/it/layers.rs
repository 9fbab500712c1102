//! The layers of docs/architecture.md, checked on the source: each module
//! tree names only the layers it may use. A `use` that points up (the TUI
//! calling a command, the domain touching SQLite) fails here, with the line.

use std::path::Path;

/// (module tree under src/, paths it must not name)
const RULES: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "crate::storage",
            "crate::formats",
            "crate::workflows",
            "crate::commands",
            "crate::tui",
            "crate::cli",
            "crate::config",
            "crate::clock",
            "rusqlite",
            "std::fs",
            "std::env",
            "SystemTime",
        ],
    ),
    (
        "storage",
        &[
            "crate::formats",
            "crate::commands",
            "crate::tui",
            "crate::cli",
            "crate::config",
        ],
    ),
    (
        "formats",
        &[
            "crate::storage",
            "crate::workflows",
            "crate::commands",
            "crate::tui",
            "crate::cli",
        ],
    ),
    (
        "workflows",
        &["crate::commands", "crate::tui", "crate::cli"],
    ),
    ("commands", &["crate::tui"]),
    ("tui", &["crate::commands", "crate::cli"]),
];

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Test modules may reach up (a storage test driving a workflow); the rule
/// is for the code that ships.
fn is_test_file(path: &Path) -> bool {
    path.file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.ends_with("_tests") || s == "tests")
}

#[test]
fn every_layer_names_only_the_layers_below_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut wrong = Vec::new();
    for (layer, forbidden) in RULES {
        let mut files = Vec::new();
        rust_files(&src.join(layer), &mut files);
        assert!(!files.is_empty(), "no source under src/{layer}");
        for file in files.iter().filter(|f| !is_test_file(f)) {
            let text = std::fs::read_to_string(file).unwrap();
            // Code after `#[cfg(test)]` at the start of a line is tests.
            let shipped = text.split("\n#[cfg(test)]").next().unwrap_or("");
            for (n, line) in shipped.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                for name in *forbidden {
                    if code.contains(name) {
                        let at = file.strip_prefix(&src).unwrap().display();
                        wrong.push(format!("src/{at}:{}: {name}", n + 1));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports that point up (docs/architecture.md):\n{}",
        wrong.join("\n")
    );
}
