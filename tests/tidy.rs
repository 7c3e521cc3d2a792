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
    // Replication's state machine is as pure: the code that speaks HTTP drives it.
    rust_files(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src/sync"), &mut files);
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
    assert!(problems.is_empty(), "src/core and src/sync must stay pure:\n{}", problems.join("\n"));
}

/// localStorage and IndexedDB are touched from one module only.
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
        assert!(!text.contains("indexed_db(") && !text.contains("Idb"), "{} touches IndexedDB outside src/storage", f.display());
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

/// The workspace's record lists (and its policy): views change them only through core
/// commands.
const RECORD_LISTS: [&str; 10] = ["units", "grants", "commitments", "checkins", "decisions", "reviews", "pulses", "areas", "policy", "workshops"];

/// Methods that change a list (or hand out a way to change it).
const MUTATORS: [&str; 26] = [
    "push",
    "pop",
    "insert",
    "remove",
    "retain",
    "retain_mut",
    "clear",
    "truncate",
    "extend",
    "extend_from_slice",
    "append",
    "drain",
    "dedup",
    "dedup_by",
    "dedup_by_key",
    "sort",
    "sort_by",
    "sort_by_key",
    "sort_unstable",
    "sort_unstable_by",
    "reverse",
    "swap",
    "iter_mut",
    "get_mut",
    "make_mut",
    "split_off",
];

/// Workspace methods that change records without being commands.
const MODEL_MUTATORS: [&str; 6] = ["add_unit(", "update_unit(", "remove_unit(", "area_for(", "commitment_mut(", "apply_checkins("];

/// The code of a line: without its `//` comment (a `://` inside a URL is not one).
fn code_of(line: &str) -> &str {
    let bytes = line.as_bytes();
    for i in 0..bytes.len().saturating_sub(1) {
        if bytes[i] == b'/' && bytes[i + 1] == b'/' && (i == 0 || bytes[i - 1] != b':') {
            return &line[..i];
        }
    }
    line
}

fn ident_end(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && (s[i].is_ascii_alphanumeric() || s[i] == b'_') {
        i += 1;
    }
    i
}

fn skip_space(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && s[i].is_ascii_whitespace() {
        i += 1;
    }
    i
}

/// What `.list` at `at` does next, if it changes the list: a mutating method, an
/// assignment to it, an element or a field of it.
fn mutation_after(s: &[u8], mut i: usize) -> Option<String> {
    loop {
        i = skip_space(s, i);
        match s.get(i) {
            Some(b'[') => {
                let mut depth = 0;
                while i < s.len() {
                    match s[i] {
                        b'[' => depth += 1,
                        b']' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
                i += 1;
            }
            Some(b'.') => {
                let start = i + 1;
                let end = ident_end(s, start);
                if end == start {
                    return None;
                }
                let name = std::str::from_utf8(&s[start..end]).unwrap_or("");
                let after = skip_space(s, end);
                if s.get(after) == Some(&b'(') {
                    return MUTATORS.contains(&name).then(|| format!(".{name}("));
                }
                i = end;
            }
            Some(b'=') if s.get(i + 1) != Some(&b'=') => return Some("assignment".into()),
            Some(b'+' | b'-' | b'*' | b'/' | b'|' | b'&') if s.get(i + 1) == Some(&b'=') => return Some("assignment".into()),
            _ => return None,
        }
    }
}

/// Every place in `text` (a file of `src/ui`) that changes workspace records other than
/// through a core command.
fn direct_mutations(text: &str, in_state: bool) -> Vec<String> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = code_of(line);
        let s = code.as_bytes();
        for list in RECORD_LISTS {
            let needle = format!(".{list}");
            let mut from = 0;
            while let Some(pos) = code[from..].find(&needle) {
                let end = from + pos + needle.len();
                from = end;
                if ident_end(s, end) != end {
                    continue; // a longer name, e.g. `.units_count`
                }
                if let Some(what) = mutation_after(s, end) {
                    found.push(format!("line {}: {what} on .{list}: {}", n + 1, code.trim()));
                }
            }
        }
        for m in MODEL_MUTATORS {
            if code.contains(m) {
                found.push(format!("line {}: calls {m}…): {}", n + 1, code.trim()));
            }
        }
        let squeezed: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        if squeezed.contains("*w=") || squeezed.contains("*ws=") || squeezed.contains("*workspace=") {
            found.push(format!("line {}: replaces the workspace: {}", n + 1, code.trim()));
        }
        if !in_state {
            for write in ["ws.update(", "ws.write(", "ws.set(", "ws.try_update(", "ws.update_untracked(", "ws.set_untracked(", "ws.maybe_update("] {
                let preceded_by_ident = |i: usize| i > 0 && (squeezed.as_bytes()[i - 1].is_ascii_alphanumeric() || squeezed.as_bytes()[i - 1] == b'_');
                if squeezed.match_indices(write).any(|(i, _)| !preceded_by_ident(i)) {
                    found.push(format!("line {}: writes the workspace signal ({write}…) outside ui::state: {}", n + 1, code.trim()));
                }
            }
        }
    }
    found
}

/// The check above finds what it is meant to find, and leaves reading alone.
#[test]
fn the_direct_mutation_check_recognises_each_kind_of_change() {
    let bad = [
        "w.grants.push(Grant { unit, area, date, rung, level, granted_by, reason });",
        "ws.reviews.sort_by_key(|r| r.date);",
        "if let Some(d) = w.decisions.iter_mut().find(|d| d.id == id) {",
        "c.checkins.retain(|k| k.date != date);",
        "w.policy = next;",
        "w.policy.rung_labels[i] = t;",
        "w.areas [0].name = n;",
        "ws.units.get_mut(3)",
        "w.pulses.insert(pos, Pulse { unit, date, score });",
        "w.workshops[0].rounds.push(round);",
        "result = ws.add_unit(n, kind, parent, role);",
        "if let Some(c) = w.commitment_mut(id) {",
        "ctx.edit(|w| *w = ws);",
        "ctx.ws.update(|w| w.name = n);",
        "self.ws.set(next);",
    ];
    for snippet in bad {
        assert!(!direct_mutations(snippet, false).is_empty(), "not recognised as a change: {snippet}");
    }
    let good = [
        "let n = w.grants.iter().filter(|g| g.unit == id).count();",
        "ctx.ws.with(|w| w.policy.rung_label(r))",
        "if w.units.len() == 0 { return }",
        "let same = a.policy == b.policy;",
        "w.commitments.first().map(|c| c.id)",
        "// w.grants.push(g) in a comment",
        "let url = \"https://example.com\"; let n = w.units.len();",
        "ctx.edit(Command::AddGrant(grant));",
        "news.set(String::new());",
    ];
    for snippet in good {
        assert!(direct_mutations(snippet, false).is_empty(), "a read taken for a change: {snippet}: {:?}", direct_mutations(snippet, false));
    }
    // Only ui::state may write the workspace signal.
    assert!(direct_mutations("self.ws.set(env.workspace);", true).is_empty());
}

/// Views gather input and call one core command through `AppCtx::edit`; nothing under
/// `src/ui` changes a workspace record any other way.
#[test]
fn views_change_records_only_through_core_commands() {
    let ui = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/ui");
    let mut files = Vec::new();
    rust_files(&ui, &mut files);
    assert!(files.len() >= 20, "found only {} files under src/ui", files.len());
    let mut problems = Vec::new();
    let mut scanned_lines = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        scanned_lines += text.lines().count();
        let in_state = f.strip_prefix(&ui).is_ok_and(|p| p.starts_with("state"));
        problems.extend(direct_mutations(&text, in_state).into_iter().map(|p| format!("{}: {p}", f.display())));
    }
    assert!(scanned_lines > 3_000, "scanned only {scanned_lines} lines of src/ui");
    assert!(problems.is_empty(), "change workspace records through a core command (`ctx.edit(Command::…)`):\n{}", problems.join("\n"));
}
