//! Chart structure, checked by parsing the SVG (never by comparing whole strings).

mod common;

use common::*;
use latitude::charts::{self, Theme};
use latitude::core::generate::{generate, GenSpec};
use latitude::core::series::{map_points, unit_series};
use latitude::core::*;

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed SVG: {e}\n{}", &svg[..svg.len().min(400)]))
}

fn texts(doc: &roxmltree::Document) -> Vec<String> {
    doc.descendants().filter(|n| n.has_tag_name("text")).map(|n| n.text().unwrap_or("").trim().to_owned()).collect()
}

fn has_text(doc: &roxmltree::Document, needle: &str) -> bool {
    texts(doc).iter().any(|t| t.contains(needle))
}

fn hits<'a, 'i>(doc: &'a roxmltree::Document<'i>) -> Vec<roxmltree::Node<'a, 'i>> {
    doc.descendants().filter(|n| n.attribute("class") == Some("chart__hit")).collect()
}

fn small_org() -> (Workspace, Scores) {
    let spec = GenSpec::small();
    let ws = generate(11, &spec);
    let scores = score(&ws, &ws.policy, spec.end());
    (ws, scores)
}

#[test]
fn org_map_has_axes_law_zones_and_one_mark_per_unit() {
    let (ws, scores) = small_org();
    let points = map_points(&ws, &scores);
    for theme in [Theme::Light, Theme::Dark] {
        let svg = charts::org_map(&points, theme);
        let doc = parse(&svg);
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        assert!(root.children().any(|n| n.has_tag_name("title")));
        assert!(has_text(&doc, "The law: A = S"));
        assert!(has_text(&doc, "Overextended"));
        assert!(has_text(&doc, "Starved"));
        assert!(has_text(&doc, "Supported autonomy S"));
        assert!(has_text(&doc, "Granted autonomy A"));
        assert_eq!(hits(&doc).len(), ws.units.len());
        // Axis ticks run 0..100 on both axes.
        assert!(has_text(&doc, "100") && has_text(&doc, "0"));
        // Every unit is labelled, by name or by number with a legend entry.
        let all = texts(&doc);
        let legend: Vec<&String> = all.iter().filter(|t| t.contains(". ")).collect();
        for u in &ws.units {
            let named = all.iter().any(|t| t == u.name.as_str());
            let numbered = legend.iter().any(|t| t.ends_with(u.name.as_str()));
            assert!(named || numbered, "{} has no label", u.name);
        }
    }
}

#[test]
fn a_crowded_org_map_drops_labels_but_keeps_every_point() {
    let spec = GenSpec::scaled(0.2);
    let ws = generate(2, &spec);
    let scores = score(&ws, &ws.policy, spec.end());
    let points = map_points(&ws, &scores);
    assert!(points.len() > charts::MAP_LABEL_LIMIT);
    let svg = charts::org_map(&points, Theme::Light);
    let doc = parse(&svg);
    assert_eq!(hits(&doc).len(), points.len());
    assert!(!ws.units.iter().any(|u| texts(&doc).iter().any(|t| t == u.name.as_str())));
}

#[test]
fn points_sit_where_their_scores_put_them() {
    let (ws, scores) = small_org();
    let points = map_points(&ws, &scores);
    let svg = charts::org_map(&points, Theme::Light);
    let doc = parse(&svg);
    let hs = hits(&doc);
    // Higher S → further right; higher A → further up (smaller y).
    for (a, ha) in points.iter().zip(&hs) {
        for (b, hb) in points.iter().zip(&hs) {
            let (xa, xb): (f64, f64) = (ha.attribute("cx").unwrap().parse().unwrap(), hb.attribute("cx").unwrap().parse().unwrap());
            let (ya, yb): (f64, f64) = (ha.attribute("cy").unwrap().parse().unwrap(), hb.attribute("cy").unwrap().parse().unwrap());
            if a.x > b.x + 2.0 {
                assert!(xa > xb, "{} should be right of {}", a.name, b.name);
            }
            if a.y > b.y + 2.0 {
                assert!(ya < yb, "{} should be above {}", a.name, b.name);
            }
        }
    }
}

#[test]
fn unit_trend_has_four_series_events_and_the_as_of_line() {
    let (ws, _) = small_org();
    let mut sorted = ws.clone();
    sorted.normalize();
    let unit = ws.units[3].id;
    let from = ws.first_date().unwrap();
    let to = GenSpec::small().end();
    let series = unit_series(&sorted, &ws.policy, unit, from, to);
    assert_eq!(series.len(), (score::days_between(from, to) / 7 + 1) as usize);
    let events = charts::trend_events(&ws, unit, from, to);
    assert!(!events.is_empty());
    let svg = charts::unit_trend(ws.unit_name(unit), &series, &events, to, Theme::Light);
    let doc = parse(&svg);
    for label in ["Granted autonomy A", "Supported autonomy S", "Delivered results (TR × 100)", "Rigor (R × 100)"] {
        assert!(has_text(&doc, label), "missing legend {label}");
    }
    assert!(has_text(&doc, &format!("as of {}", format_date(to))));
    let markers = texts(&doc).iter().filter(|t| ["G", "E", "H", "C"].contains(&t.as_str())).count();
    assert_eq!(markers, events.len());
    // One hover column per week, each saying what that week held.
    let columns: Vec<_> = doc.descendants().filter(|n| n.attribute("class") == Some("chart__hit chart__hit--column")).collect();
    assert_eq!(columns.len(), series.len());
    assert!(columns[0].attribute("aria-label").unwrap().starts_with("Week of"));
    // Gap shading: one polygon per week-to-week segment.
    let polygons = doc.descendants().filter(|n| n.has_tag_name("polygon")).count();
    assert!(polygons >= series.len() - 1);
}

#[test]
fn rigor_breakdown_shows_six_components_with_their_weights() {
    let (ws, scores) = small_org();
    let s = &scores.units[2];
    let svg = charts::rigor_breakdown(ws.unit_name(s.unit), &s.rigor, Theme::Dark);
    let doc = parse(&svg);
    for c in &s.rigor.components {
        assert!(has_text(&doc, &format!("{} (w {:.2})", c.kind.label(), c.weight)), "missing {}", c.kind.label());
    }
    assert!(has_text(&doc, "Rigor of"));
}

#[test]
fn felt_vs_earned_plots_pulses_and_says_when_there_are_none() {
    let mut b = Builder::new();
    let u = b.unit("Comfy", None);
    b.grant(u, ARCH, "2025-01-01", 3, 5);
    b.deliver(u, "Meetings", Category::Activity, "2025-02-01", "2025-10-01", 0.4);
    for m in ["2025-03-01", "2025-05-01", "2025-07-01"] {
        b.pulse(u, m, 4.5);
    }
    let ws = b.build();
    let series = unit_series(&ws, &ws.policy, u, d("2025-01-05"), d("2025-12-28"));
    let svg = charts::felt_vs_earned("Comfy", &ws.pulses, &series, Theme::Light);
    let doc = parse(&svg);
    assert!(has_text(&doc, "Felt autonomy (pulse)"));
    assert!(has_text(&doc, "Delivered results (TR × 100)"));
    let empty = charts::felt_vs_earned("Comfy", &[], &series, Theme::Light);
    assert!(parse(&empty).descendants().any(|n| n.text().is_some_and(|t| t.contains("No pulse data"))));
}

#[test]
fn sparkline_draws_every_checkin_and_the_expected_path() {
    let mut b = Builder::new();
    let u = b.unit("Team", None);
    let c = b.deliver(u, "Conversion", Category::CustomerValue, "2025-01-01", "2025-03-31", 0.8);
    let ws = b.build();
    let com = ws.commitment(c).unwrap();
    let svg = charts::sparkline(com, d("2025-12-31"), Theme::Light);
    let doc = parse(&svg);
    let line = doc.descendants().find(|n| n.attribute("class") == Some("sparkline__values")).unwrap();
    assert_eq!(line.attribute("points").unwrap().split(' ').count(), com.checkins().len());
    assert!(doc.descendants().any(|n| n.attribute("class") == Some("sparkline__path")));
}

const HOSTILE: [&str; 4] = ["</text><script>window.__x=1</script>", "<img src=x onerror=window.__x=1>", "javascript:alert(1)", "\"quoted\" & 'single'"];

#[test]
fn hostile_names_stay_text_in_every_chart() {
    let mut b = Builder::new();
    let mut ids = Vec::new();
    for name in HOSTILE {
        let u = b.unit(name, None);
        b.grant(u, ARCH, "2025-01-01", 3, 5);
        let c = b.deliver(u, name, Category::CustomerValue, "2025-02-01", "2025-08-01", 0.8);
        b.pulse(u, "2025-04-01", 3.0);
        ids.push((u, c));
    }
    let ws = b.build();
    let as_of = d("2025-12-28");
    let scores = score(&ws, &ws.policy, as_of);
    let mut svgs = vec![charts::org_map(&map_points(&ws, &scores), Theme::Light)];
    for (u, c) in &ids {
        let name = ws.unit_name(*u);
        let series = unit_series(&ws, &ws.policy, *u, d("2025-01-05"), as_of);
        svgs.push(charts::unit_trend(name, &series, &charts::trend_events(&ws, *u, d("2025-01-01"), as_of), as_of, Theme::Light));
        svgs.push(charts::rigor_breakdown(name, &scores.unit(*u).unwrap().rigor, Theme::Light));
        svgs.push(charts::felt_vs_earned(name, &ws.pulses, &series, Theme::Dark));
        svgs.push(charts::sparkline(ws.commitment(*c).unwrap(), as_of, Theme::Light));
    }
    for svg in &svgs {
        let doc = parse(svg);
        for n in doc.descendants() {
            assert!(!n.has_tag_name("script") && !n.has_tag_name("img"), "markup injected: {}", n.tag_name().name());
            assert!(n.attributes().all(|a| !a.name().starts_with("on")), "event handler injected");
        }
    }
    // The names show literally in the map.
    let doc = parse(&svgs[0]);
    let all: String = doc.descendants().filter_map(|n| n.text()).collect();
    for name in HOSTILE {
        assert!(all.contains(name), "{name} is not shown literally");
    }
}
