//! The laws every input from a stranger must keep, shared by the fuzz targets and the
//! corpus replay of `cargo test` (`tests/fuzz_corpus.rs`): an input is either refused
//! with a typed error whose words a person can act on, or what it gives round-trips
//! (export → import gives the same workspace). A broken law panics. Each function
//! returns whether the input was accepted somewhere.

#![allow(dead_code)]

use std::sync::OnceLock;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use latitude::core::Workspace;
use latitude::storage::{compact, csv, file, snapshot, store};

/// Words of serde and serde_json that must never reach a person.
const PARSER_WORDS: [&str; 6] = ["invalid type:", "invalid value:", "expected f64", "recursion limit exceeded", "EOF while parsing", "missing field `"];

fn speaks_plainly(message: &str) {
    assert!(!message.trim().is_empty(), "an error without words");
    for words in PARSER_WORDS {
        assert!(!message.contains(words), "the parser's words reach the user: {message}");
    }
}

/// A workspace that was accepted leaves through every exit and comes back the same.
fn round_trips(ws: &Workspace) {
    let again = file::import_workspace(&file::export_workspace(ws)).unwrap_or_else(|e| panic!("an accepted workspace exports to a file that is refused: {e}"));
    assert!(again == *ws, "export → import changes the workspace");
    let stored = store::decode_stored(&store::encode_stored(ws, 1, "fuzz", "")).unwrap_or_else(|e| panic!("an accepted workspace is stored unreadably: {e}"));
    assert!(stored.workspace == *ws, "store → load changes the workspace");
}

/// A workspace file, a stored value, or a compact body.
pub fn import(text: &str) -> bool {
    let mut accepted = false;
    match file::import_workspace(text) {
        Ok(ws) => {
            round_trips(&ws);
            accepted = true;
        }
        Err(e) => speaks_plainly(&e.to_string()),
    }
    match store::decode_stored(text) {
        Ok(env) => {
            round_trips(&env.workspace);
            accepted = true;
        }
        Err(e) => speaks_plainly(&e.to_string()),
    }
    for layout in [compact::Layout::C1, compact::Layout::C2] {
        match compact::decode(text, layout) {
            // A bare body is checked the way a stored value is: normalised, then validated.
            Ok(mut ws) => {
                ws.normalize();
                if ws.validate().is_ok() {
                    assert!(compact::decode(&compact::encode_as(&ws, layout), layout).ok().as_ref() == Some(&ws), "a compact body does not round-trip");
                    round_trips(&ws);
                    accepted = true;
                }
            }
            Err(e) => assert!(!e.to_string().trim().is_empty()),
        }
    }
    accepted
}

/// A snapshot link's fragment.
pub fn snapshot(text: &str) -> bool {
    match snapshot::decode(text) {
        Ok(snap) => {
            match &snap.map {
                Some(map) => {
                    // The scores-only forms (map or scoreboard): the same scores read back
                    // from a link of the current format with the same scope and date.
                    let json = serde_json::to_vec(map).expect("scores serialise");
                    let data = URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(&json, 9));
                    let link = format!("{}.{}.{}.{data}", snapshot::VERSION, snap.scope.tag(), latitude::core::format_date(map.as_of));
                    let again = snapshot::decode(&link).unwrap_or_else(|e| panic!("accepted scores do not read back: {e}"));
                    assert!(again.map.as_ref() == Some(map), "a scores snapshot does not round-trip");
                    assert_eq!(again.as_of, Some(map.as_of), "every view of a scores link shows its date");
                }
                None => {
                    // A unit's part may name someone outside it; kept, it names no one.
                    let ws = match snap.scope {
                        snapshot::Scope::Unit(_) => snapshot::keepable(&snap.workspace),
                        _ => snap.workspace.clone(),
                    };
                    let link = snapshot::encode(&ws, snapshot::Scope::Workspace);
                    let again = snapshot::decode(&link).unwrap_or_else(|e| panic!("an accepted snapshot does not read back: {e}"));
                    assert!(again.workspace == ws, "a snapshot does not round-trip");
                    round_trips(&ws);
                }
            }
            true
        }
        // A typed refusal; its words are the snapshot decoder's own.
        Err(e) => {
            assert!(!e.to_string().trim().is_empty(), "an error without words");
            false
        }
    }
}

/// The workspace CSV inputs are read against: the sample organisation.
pub fn csv_target() -> &'static Workspace {
    static WS: OnceLock<Workspace> = OnceLock::new();
    WS.get_or_init(|| latitude::core::sample::sample_org(latitude::core::parse_date("2020-06-28").expect("a date")))
}

/// A spreadsheet of check-ins.
pub fn csv(text: &str) -> bool {
    let ws = csv_target();
    match csv::parse_checkins(ws, text) {
        Ok(out) => {
            for bad in &out.bad {
                assert!(bad.line >= 2 && !bad.problem.trim().is_empty(), "a rejected row without its line or its reason: {bad:?}");
            }
            let mut applied = ws.clone();
            csv::apply_checkins(&mut applied, &out.good);
            if let Err(errors) = applied.validate() {
                panic!("good rows make an invalid workspace: {errors:?}");
            }
            // What was applied exports as a sheet that imports back to the same workspace.
            let back = csv::parse_checkins(&applied, &csv::checkins_csv(&applied)).unwrap_or_else(|e| panic!("an exported sheet is refused: {e}"));
            assert!(back.bad.is_empty(), "an exported sheet has rejected rows: {}", back.summary());
            let mut again = applied.clone();
            csv::apply_checkins(&mut again, &back.good);
            assert!(again == applied, "check-ins exported and imported again change the workspace");
            !out.good.is_empty()
        }
        Err(e) => {
            speaks_plainly(&e.to_string());
            false
        }
    }
}
