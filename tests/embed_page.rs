//! The embed page (`embed.html`, src/embed.rs): a map or scoreboard link read without the
//! workspace decoder, drawn as escaped markup, with the app's page beside it.

mod common;

use latitude::charts::Theme;
use latitude::core::sample::sample_org;
use latitude::embed::{app_page_of, board_body, cannot_show, names_no_chart, Shown, READOUT};
use latitude::storage::snapshot::{decode, decode_scores_only, encode_at, Scope, SnapshotError};
use latitude::ui::route::EmbedKind;
use proptest::prelude::*;

fn shown(kind: EmbedKind, scope: Scope, ws: &latitude::core::Workspace, as_of: &str) -> Shown {
    let (_, scores) = decode_scores_only(&encode_at(ws, scope, common::d(as_of))).unwrap().unwrap();
    Shown::of_scores(kind, scores, Some("https://wiki.example/app/#/snapshot/x&y".into()))
}

#[test]
fn score_links_are_read_without_records_and_other_links_are_left_to_the_app() {
    let ws = sample_org(common::d("2026-11-29"));
    let as_of = common::d("2026-11-29");
    for scope in [Scope::Map, Scope::Board] {
        let link = encode_at(&ws, scope, as_of);
        let (read_scope, scores) = decode_scores_only(&link).unwrap().expect("a score link");
        assert_eq!(read_scope, scope);
        // The same scores the app reads from the same link.
        assert_eq!(Some(scores), decode(&link).unwrap().map, "{scope:?}");
    }
    let lead = ws.units.iter().find(|u| u.name.as_str() == "Rita Osei").unwrap().id;
    for scope in [Scope::Workspace, Scope::Unit(lead)] {
        assert_eq!(decode_scores_only(&encode_at(&ws, scope, as_of)), Ok(None), "{scope:?} carries records: the app opens it");
    }
    assert_eq!(decode_scores_only("2.m.2026-11-29.!!!"), Err(SnapshotError::Malformed));
    assert_eq!(decode_scores_only("9.m.2026-11-29.AAAA"), Err(SnapshotError::Newer(9)));
    // Data cut short when the link was copied does not inflate: said in those words.
    let cut = encode_at(&ws, Scope::Map, as_of);
    assert_eq!(decode_scores_only(&cut[..cut.len() - 1]), Err(SnapshotError::Malformed));
    assert_eq!(decode_scores_only("2.m.2026-11-29.AAAA"), Err(SnapshotError::Malformed));
    // Data that inflates to something else is damaged.
    let other = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, miniz_oxide::deflate::compress_to_vec(b"{\"name\": 3}", 9));
    assert!(matches!(decode_scores_only(&format!("2.m.2026-11-29.{other}")), Err(SnapshotError::Damaged(_))));
    assert_eq!(decode_scores_only("2.q.2026-11-29.AAAA"), Err(SnapshotError::Malformed));
}

#[test]
fn the_map_embed_has_its_figure_readout_and_caption_and_draws_for_its_frame() {
    let mut ws = sample_org(common::d("2026-11-29"));
    ws.name = latitude::core::Name::new("R&D <north>").unwrap();
    let map = shown(EmbedKind::Map, Scope::Map, &ws, "2026-11-29");
    let html = map.markup();
    assert!(html.contains("data-testid=\"embed-map\""), "{html}");
    assert!(html.contains(READOUT));
    assert!(html.contains("R&amp;D &lt;north&gt; · as of 2026-11-29"), "the caption escapes the name: {html}");
    assert!(html.contains("href=\"https://wiki.example/app/#/snapshot/x&amp;y\""), "{html}");
    assert!(!html.contains("<north>"));
    // Shown in the app itself, it offers no way to open the app.
    let in_app = Shown { open: None, ..map.clone() }.markup();
    assert!(in_app.contains("R&amp;D &lt;north&gt; · as of 2026-11-29</span></figcaption>") && !in_app.contains("embed-open"), "{in_app}");
    let svg = map.map_svg(Theme::Light, 640, 400);
    assert!(svg.starts_with("<svg"), "{}", &svg[..40]);
    assert!(!svg.contains("Opens the unit page"), "points open nothing in an embed");
    assert!(map.points.iter().all(|p| svg.contains(&latitude::charts::escape(&p.name))), "every unit is named on the map");
    // A frame too short for a map to fill is drawn at the width's own height.
    assert_ne!(map.map_svg(Theme::Light, 640, 200), map.map_svg(Theme::Light, 640, 400));
    assert_ne!(map.map_svg(Theme::Dark, 640, 400), svg, "the page's colour scheme");
}

#[test]
fn the_scoreboard_embed_lists_every_row_by_gap_from_overextended_to_starved_with_flags_as_chips() {
    let ws = sample_org(common::d("2026-11-29"));
    let board = shown(EmbedKind::Scoreboard, Scope::Board, &ws, "2026-11-29");
    assert_eq!(board.rows.len(), ws.units.len());
    let gaps: Vec<f64> = board.rows.iter().map(|r| r.gap()).collect();
    assert!(gaps.windows(2).all(|w| w[0] >= w[1]), "most overextended first, most starved last: {gaps:?}");
    let html = board.markup();
    assert_eq!(html.matches("data-testid=\"embed-row\"").count(), ws.units.len());
    assert!(html.contains("<th scope=\"col\" class=\"num\"><span>Gap</span></th>"));
    assert!(html.contains("<span class=\"embed__short\">Rec.</span>"));
    let flagged = board.rows.iter().filter(|r| !r.flags.is_empty()).count();
    assert!(flagged > 0);
    assert_eq!(html.matches("class=\"embed__flags-row\"").count(), flagged, "a phone's line of flags under each flagged row");
    assert!(html.contains(&board_body(&board.rows)));
}

#[test]
fn a_link_for_the_other_view_or_with_no_units_says_so() {
    let ws = sample_org(common::d("2026-11-29"));
    let map_as_board = shown(EmbedKind::Scoreboard, Scope::Map, &ws, "2026-11-29").markup();
    assert!(map_as_board.contains("This link shares only the org map, not the scoreboard."), "{map_as_board}");
    let board_as_map = shown(EmbedKind::Map, Scope::Board, &ws, "2026-11-29").markup();
    assert!(board_as_map.contains("This link shares the scoreboard, not the org map."), "{board_as_map}");
    let empty = latitude::core::Workspace::new(latitude::core::Name::new("New org").unwrap());
    let nothing = shown(EmbedKind::Map, Scope::Map, &empty, "2026-11-29").markup();
    assert!(nothing.contains("No units to show yet.") && nothing.contains("New org · as of 2026-11-29"), "{nothing}");
    assert_eq!(cannot_show("the link is not a Latitude snapshot"), "This embedded view cannot be shown: the link is not a Latitude snapshot.");
}

#[test]
fn a_fragment_cut_before_its_data_names_no_chart_and_the_apps_pages_are_the_apps() {
    for cut in ["", "#", "#/", "#/embed", "#/embed/", "#/embed/ma", "#/embed/map", "#/embed/map/", "#/embed/scoreboard/"] {
        assert!(names_no_chart(cut), "{cut:?}");
    }
    for whole in ["#/embed/map/2.m.2026-11-29.AAAA", "#/embed/scoreboard/x", "#/units", "#/snapshot/2.w.x", "#/settings"] {
        assert!(!names_no_chart(whole), "{whole:?}");
    }
}

#[test]
fn the_embed_pages_app_is_the_folder_it_is_in() {
    assert_eq!(app_page_of("https://h.example/tools/latitude/embed.html#/embed/map/2.m"), "https://h.example/tools/latitude/");
    assert_eq!(app_page_of("https://h.example/embed.html?from=wiki#/embed/map/2.m"), "https://h.example/");
    assert_eq!(app_page_of("https://h.example/latitude/#/embed/map/2.m"), "https://h.example/latitude/");
    assert_eq!(app_page_of("https://h.example/latitude/index.html"), "https://h.example/latitude/index.html");
    assert_eq!(app_page_of("file:///home/me/dist/embed.html"), "file:///home/me/dist/");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(16))]

    /// Whatever the workspace and date, the embed page reads a score link exactly as the
    /// app does.
    #[test]
    fn the_embed_page_and_the_app_read_a_score_link_alike(seed in any::<u64>(), days in 0i64..120, board in any::<bool>()) {
        let spec = latitude::core::generate::GenSpec::small();
        let ws = latitude::core::generate::generate(seed, &spec);
        let as_of = spec.end() - time::Duration::days(days);
        let scope = if board { Scope::Board } else { Scope::Map };
        let link = encode_at(&ws, scope, as_of);
        let (_, scores) = decode_scores_only(&link).unwrap().unwrap();
        prop_assert_eq!(Some(scores), decode(&link).unwrap().map);
    }
}
