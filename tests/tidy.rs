//! Architecture rules that the compiler does not check.

use std::path::Path;

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

/// The core is pure: no web crates, no clock, no I/O. Every score is a function of
/// (workspace, policy, as-of date).
#[test]
fn the_core_touches_nothing_outside_itself() {
    let forbidden = [
        "leptos",
        "web_sys",
        "gloo",
        "wasm_bindgen",
        "js_sys",
        "SystemTime",
        "Instant::now",
        "Utc::now",
        "Local::now",
        "OffsetDateTime::now",
        "Date::now",
        "std::fs",
        "std::net",
        "std::env",
        "thread_rng",
        "rand::rng(",
    ];
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core"), &mut files);
    assert!(files.len() >= 5, "found only {} core files", files.len());
    let mut problems = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or("");
            for word in forbidden {
                if code.contains(word) {
                    problems.push(format!("{}:{}: uses {word}", f.display(), n + 1));
                }
            }
        }
    }
    assert!(problems.is_empty(), "src/core must stay pure:\n{}", problems.join("\n"));
}

/// localStorage is touched from one module only.
#[test]
fn only_storage_touches_browser_storage() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    for f in files {
        if f.to_string_lossy().contains("src/storage/") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(!text.contains("local_storage(") && !text.contains("LocalStorage"), "{} touches localStorage outside src/storage", f.display());
    }
}

/// Every module says what it owns.
#[test]
fn every_module_has_a_doc_comment() {
    let mut files = Vec::new();
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.trim_start().starts_with("//!"), "{} has no //! module doc", f.display());
    }
}
