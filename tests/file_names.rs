//! Download names are safe on every operating system, whatever a workspace is called.

use latitude::ui::file_name::{export_file_name, safe_file_name, MAX_BYTES};
use proptest::prelude::*;

const FORBIDDEN: [char; 11] = ['<', '>', ':', '"', '\'', '`', '/', '\\', '|', '?', '*'];

#[test]
fn downloaded_views_are_named_by_workspace_view_and_date() {
    let cases = [
        (("Sample: Northwind Analytics", "org-map", "2026-11-22", "svg"), "latitude-sample-northwind-analytics-org-map-2026-11-22.svg"),
        (("Sample: Northwind Analytics", "scoreboard", "2026-11-22", "png"), "latitude-sample-northwind-analytics-scoreboard-2026-11-22.png"),
        (("Q3 / plan?", "Trend of Payments team", "2026-01-05", "svg"), "latitude-q3-plan-trend-of-payments-team-2026-01-05.svg"),
        (("  ", "org-map", "2026-01-05", "png"), "latitude-org-map-2026-01-05.png"),
        (("CON", "org-map", "2026-01-05", "svg"), "latitude-con-org-map-2026-01-05.svg"),
    ];
    for ((ws, view, date, ext), expected) in cases {
        assert_eq!(export_file_name(ws, view, date, ext), expected, "{ws:?} {view:?}");
    }
    let long = export_file_name(&"W".repeat(300), "org-map", "2026-01-05", "svg");
    assert!(long.len() <= MAX_BYTES && long.ends_with("-org-map-2026-01-05.svg"), "the view and date stay: {long}");
}

#[test]
fn names_browsers_and_systems_refuse_are_made_safe() {
    let cases = [
        ("latitude-sample:-northwind-analytics.json", "latitude-sample-northwind-analytics.json"),
        ("latitude-q3/plan\\draft?.json", "latitude-q3-plan-draft.json"),
        ("latitude-\"quotes\"-'and'-*stars*.csv", "latitude-quotes-and-stars.csv"),
        ("latitude-tab\there\nnewline.json", "latitude-tab-here-newline.json"),
        ("latitude-<b>|pipes|</b>.svg", "latitude-b-pipes-b.svg"),
        ("trailing dots....json", "trailing-dots.json"),
        ("..hidden.json", "hidden.json"),
        ("CON.json", "CON-file.json"),
        ("lpt1.csv", "lpt1-file.csv"),
        ("com10.csv", "com10.csv"),
        ("invoice\u{202e}nosj.exe", "invoicenosj.exe"),
        (":::.json", "latitude.json"),
        ("", "latitude"),
        ("Équipe Ünïcode — 東京.json", "Équipe-Ünïcode-—-東京.json"),
        ("latitude-scores-sample.CSV", "latitude-scores-sample.CSV"),
        ("con.tar.gz", "con-file.tar.gz"),
        ("extension after cleaning:.A:", "extension-after-cleaning.A"),
        ("no extension: here", "no-extension-here"),
    ];
    for (input, expected) in cases {
        assert_eq!(safe_file_name(input), expected, "for {input:?}");
    }
}

#[test]
fn long_names_are_cut_on_a_character_boundary_keeping_the_extension() {
    let name = format!("latitude-{}.json", "東".repeat(200));
    let safe = safe_file_name(&name);
    assert!(safe.len() <= MAX_BYTES, "{} bytes", safe.len());
    assert!(safe.ends_with(".json") && safe.starts_with("latitude-東"));
}

proptest! {
    #[test]
    fn any_name_becomes_safe_short_non_empty_and_stays_so(name in "\\PC{0,200}|[ -~]{0,200}|[:/\\\\?*\"'<>| .\\-]{0,30}") {
        let safe = safe_file_name(&name);
        prop_assert!(!safe.is_empty());
        prop_assert!(safe.len() <= MAX_BYTES);
        prop_assert!(!safe.chars().any(|c| FORBIDDEN.contains(&c) || c.is_control() || c.is_whitespace()), "{safe:?}");
        prop_assert!(!safe.starts_with(['.', '-']) && !safe.ends_with(['.', '-']), "{safe:?}");
        prop_assert!(!safe.contains("--"), "{safe:?}");
        prop_assert_eq!(safe_file_name(&safe), safe.clone(), "sanitising twice changes nothing");
    }
}
