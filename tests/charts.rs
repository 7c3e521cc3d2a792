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
        // One Tab stop, the leftmost point; the others are reached with the arrow keys.
        let stops: Vec<_> = hits(&doc).into_iter().filter(|h| h.attribute("tabindex") == Some("0")).collect();
        assert_eq!(stops.len(), 1, "one point in the Tab order");
        let cx = |n: &roxmltree::Node| n.attribute("cx").and_then(|v| v.parse::<f64>().ok()).unwrap();
        assert!(hits(&doc).iter().all(|h| cx(h) >= cx(&stops[0])), "the Tab stop is the leftmost point");
        assert!(hits(&doc).iter().all(|h| matches!(h.attribute("tabindex"), Some("0" | "-1"))));
        // Axis ticks run 0..100 on both axes.
        assert!(has_text(&doc, "100") && has_text(&doc, "0"));
        // Every unit is labelled: by name, by number with a legend entry, or (in a
        // crowded spot) listed under the chart with its scores.
        let all = texts(&doc);
        let legend: Vec<&String> =
            doc.descendants().filter(|n| n.attribute("class") == Some("org-map__legend")).filter_map(|n| n.text()).map(|t| all.iter().find(|a| a.as_str() == t.trim()).unwrap()).collect();
        for u in &ws.units {
            let named = all.iter().any(|t| t == u.name.as_str());
            let listed = legend.iter().any(|t| t.contains(u.name.as_str()));
            assert!(named || listed, "{} has no label", u.name);
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

#[test]
fn time_axes_get_distinct_calendar_ticks_for_any_span_from_a_week_to_five_years() {
    let starts = ["2024-02-27", "2025-01-01", "2025-12-29", "2026-03-15", "2026-11-29"];
    let spans = [7, 8, 10, 13, 14, 21, 30, 31, 45, 60, 75, 90, 120, 150, 180, 250, 270, 365, 366, 400, 540, 730, 1000, 1095, 1461, 1826];
    for start in starts {
        let from = d(start);
        for span in spans {
            let to = score::add_days(from, span);
            for max in [2usize, 3, 4, 5, 6, 8, 12] {
                let ticks = charts::time_ticks(from, to, max);
                let what = format!("{start} + {span} days, at most {max}: {ticks:?}");
                assert!(!ticks.is_empty() && ticks.len() <= max, "{what}");
                if max >= 3 {
                    assert!(ticks.len() >= 2, "{what}");
                }
                assert!(ticks.iter().all(|(t, _)| *t >= from && *t <= to), "{what}");
                assert!(ticks.windows(2).all(|w| w[0].0 < w[1].0), "{what}");
                let mut labels: Vec<&String> = ticks.iter().map(|(_, l)| l).collect();
                labels.sort();
                labels.dedup();
                assert_eq!(labels.len(), ticks.len(), "labels repeat: {what}");
            }
        }
    }
    // Steps read as a calendar: months for a year, years for five.
    let year = charts::time_ticks(d("2025-01-01"), d("2025-12-31"), 6);
    assert!(year.iter().all(|(t, l)| t.day() == 1 && l.ends_with("2025")), "{year:?}");
    let five = charts::time_ticks(d("2021-06-01"), d("2026-06-01"), 6);
    assert!(five.iter().all(|(_, l)| l.len() == 4), "{five:?}");
}

/// Font size of a text element (its own attribute or the nearest ancestor's).
fn font_size(n: roxmltree::Node) -> Option<f64> {
    n.ancestors().find_map(|a| a.attribute("font-size")).and_then(|v| v.trim_end_matches("px").parse().ok())
}

/// Every chart the app draws, for one width.
fn all_charts(width: u32) -> Vec<(String, String)> {
    let ws = latitude::core::sample::sample_org(d("2026-11-29"));
    let as_of = d("2026-11-29");
    let scores = score(&ws, &ws.policy, as_of);
    let mut sorted = ws.clone();
    sorted.normalize();
    let unit = ws.units.iter().find(|u| ws.pulses.iter().any(|p| p.unit == u.id)).unwrap().id;
    let from = ws.first_date().unwrap();
    let series = unit_series(&sorted, &ws.policy, unit, from, as_of);
    let name = ws.unit_name(unit);
    let one_week = unit_series(&sorted, &ws.policy, unit, score::add_days(as_of, -7), as_of);
    let (big, big_scores) = {
        let spec = GenSpec::scaled(0.2);
        let ws = generate(2, &spec);
        let scores = score(&ws, &ws.policy, spec.end());
        (ws, scores)
    };
    vec![
        ("org map".into(), charts::org_map_at(&map_points(&ws, &scores), Theme::Light, width, None)),
        ("org map in a frame".into(), charts::org_map_at(&map_points(&ws, &scores), Theme::Light, width, Some(width * 3 / 4))),
        ("large org map".into(), charts::org_map_at(&map_points(&big, &big_scores), Theme::Dark, width, None)),
        ("trend".into(), charts::unit_trend_at(name, &series, &charts::trend_events(&ws, unit, from, as_of), as_of, Theme::Light, width)),
        ("one-week trend".into(), charts::unit_trend_at(name, &one_week, &[], as_of, Theme::Light, width)),
        ("rigor".into(), charts::rigor_breakdown_at(name, &scores.unit(unit).unwrap().rigor, Theme::Light, width)),
        ("felt".into(), charts::felt_vs_earned_at(name, &ws.pulses, &series, Theme::Light, width)),
        ("no pulse".into(), charts::felt_vs_earned_at(name, &[], &series, Theme::Light, width)),
    ]
}

#[test]
fn charts_are_drawn_for_their_width_with_legible_text_inside_it() {
    for width in [280u32, 320, 390, 768, 1366, 1920] {
        for (what, svg) in all_charts(width) {
            let doc = parse(&svg);
            let root = doc.root_element();
            let w: f64 = root.attribute("width").and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{what} at {width}: no width"));
            assert_eq!(w as u32, width, "{what} is drawn for the width it is shown at");
            for n in doc.descendants().filter(|n| n.has_tag_name("text")) {
                let text = n.text().unwrap_or("").trim();
                if text.is_empty() {
                    continue;
                }
                let px = font_size(n).unwrap_or_else(|| panic!("{what} at {width}: {text:?} has no font size"));
                assert!(px >= 11.0, "{what} at {width}: {text:?} is {px}px");
                if n.ancestors().any(|a| a.attribute("transform").is_some()) {
                    continue;
                }
                // Estimated extent (a generous 0.55 em per character) stays inside the chart.
                let x: f64 = n.attribute("x").and_then(|v| v.parse().ok()).unwrap_or(0.0);
                let len = text.chars().count() as f64 * px * 0.55;
                let (left, right) = match n.attribute("text-anchor") {
                    Some("end") => (x - len, x),
                    Some("middle") => (x - len / 2.0, x + len / 2.0),
                    _ => (x, x + len),
                };
                assert!(left >= -1.0 && right <= w + 1.0, "{what} at {width}: {text:?} runs from {left:.0} to {right:.0}");
            }
        }
    }
}

#[test]
fn org_map_labels_never_overlap_at_any_width() {
    let mut orgs = vec![latitude::core::sample::sample_org(d("2026-11-29"))];
    orgs.extend((1..12).map(|seed| generate(seed, &GenSpec { units: 28, ..GenSpec::small() })));
    for ws in &orgs {
        let as_of = ws.last_date().unwrap();
        let points = map_points(ws, &score(ws, &ws.policy, as_of));
        let names: Vec<String> = points.iter().map(|p| p.name.clone()).collect();
        for width in [320u32, 390, 760, 1366] {
            let svg = charts::org_map_at(&points, Theme::Light, width, None);
            let doc = parse(&svg);
            // Labels on the plot: a unit's name or a number, 12 px, anchored at the top left.
            let rects: Vec<(String, f64, f64, f64, f64)> = doc
                .descendants()
                .filter(|n| n.has_tag_name("text") && n.attribute("class").is_none())
                .filter_map(|n| {
                    let t = n.text()?.trim().to_owned();
                    let is_label = names.contains(&t) || (t.parse::<usize>().is_ok() && t.len() <= 2 && font_size(n) == Some(12.0) && n.attribute("text-anchor").is_none());
                    let (x, y): (f64, f64) = (n.attribute("x")?.parse().ok()?, n.attribute("y")?.parse().ok()?);
                    is_label.then(|| (t.clone(), x, y - 12.0, x + t.chars().count() as f64 * 12.0 * 0.55, y + 2.0))
                })
                .collect();
            for (i, a) in rects.iter().enumerate() {
                for b in &rects[i + 1..] {
                    let overlap = a.1 < b.3 && b.1 < a.3 && a.2 < b.4 && b.2 < a.4;
                    assert!(!overlap, "{} at {width}: {:?} and {:?} overlap", ws.name, a, b);
                }
            }
        }
    }
}

/// The regions' own labels (what "Overextended" and "Starved" mean) move along their
/// region to a place clear of every point: the sample's Billing team, deep in the starved
/// corner, sat under the starved label and lost its name to the list under the map.
#[test]
fn region_labels_lie_over_no_point_where_their_region_has_room() {
    let ws = latitude::core::sample::sample_org(d("2026-11-29"));
    let points = map_points(&ws, &score(&ws, &ws.policy, d("2026-11-29")));
    // Every width a wiki's column or a page gives it, drawn as the page draws it and as a
    // frame of the snippet's ratio (6 / 5) does.
    for (width, height) in (320u32..=1400).step_by(10).flat_map(|w| [(w, None), (w, Some((w * 5 / 6).max(480) - 90))]) {
        let svg = charts::org_map_at(&points, Theme::Light, width, height);
        let doc = parse(&svg);
        let circles: Vec<(f64, f64, f64)> =
            hits(&doc).iter().map(|n| (n.attribute("cx").unwrap().parse().unwrap(), n.attribute("cy").unwrap().parse().unwrap(), n.attribute("r").unwrap().parse().unwrap())).collect();
        let labels: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && n.text().map(str::trim).is_some_and(|t| t.starts_with("Overextended") || t.starts_with("Starved") || t.starts_with("flagged if")))
            .collect();
        // On a narrow map the starved region's label may be one line: its rule, or its name.
        // On a narrow map, or a frame's short one, the starved region's label may be one
        // line: its rule, or its name.
        assert!(labels.len() == 3 || ((width < 560 || height.is_some()) && labels.len() == 2), "at {width}×{height:?}: both regions' labels: {}", labels.len());
        for n in labels {
            let t = n.text().unwrap().trim();
            let (x, y): (f64, f64) = (n.attribute("x").unwrap().parse().unwrap(), n.attribute("y").unwrap().parse().unwrap());
            // 13 px text anchored at its top left, at most 0.55 em a character wide.
            let (x1, y1) = (x + t.chars().count() as f64 * 13.0 * 0.55, y + 15.0);
            for &(cx, cy, r) in &circles {
                let over = cx + r > x && cx - r < x1 && cy + r > y && cy - r < y1;
                assert!(!over, "at {width}×{height:?}: {t:?} ({x}, {y})–({x1}, {y1}) lies over the point at ({cx}, {cy})");
            }
        }
        assert!(!texts(&doc).iter().any(|t| t.starts_with("Billing team (")), "at {width}: the Billing team is named on the map, not listed under it");
    }
}

#[test]
fn exported_pictures_carry_the_workspace_and_the_date() {
    let (ws, scores) = small_org();
    let heading = format!("{} · as of 2026-11-29", ws.name);
    let svg = charts::with_heading(&charts::org_map(&map_points(&ws, &scores), Theme::Light), &heading, Theme::Light);
    let doc = parse(&svg);
    assert!(has_text(&doc, &heading));
    assert_eq!(hits(&doc).len(), ws.units.len(), "the chart is inside, whole");
    let (w, h) = charts::svg_size(&svg).unwrap();
    let (_, inner) = charts::svg_size(&charts::org_map(&map_points(&ws, &scores), Theme::Light)).unwrap();
    assert_eq!((w, h), (760, inner + 34));
    let rows: Vec<Vec<String>> = vec![vec!["<b>Team</b>".into(), "40".into()], vec!["Other".into(), "7".into()]];
    let table = charts::table_image(&heading, &["Unit", "A"], &rows, &[1], Theme::Dark, 320);
    let doc = parse(&table);
    assert!(has_text(&doc, "<b>Team</b>") && has_text(&doc, "Other") && has_text(&doc, "as of 2026-11-29"));
    assert!(doc.descendants().filter(|n| n.has_tag_name("text")).all(|n| font_size(n).is_some_and(|px| px >= 11.0)));
}

#[test]
fn event_letters_on_a_narrow_trend_never_print_over_each_other() {
    let ws = generate(42, &GenSpec::large_org());
    let mut sorted = ws.clone();
    sorted.normalize();
    let as_of = ws.last_date().unwrap();
    let from = ws.first_date().unwrap();
    // The unit with the most grants and reviews, on a phone.
    let (unit, events) = ws.units.iter().map(|u| (u.id, charts::trend_events(&ws, u.id, from, as_of))).max_by_key(|(_, e)| e.len()).unwrap();
    let series = unit_series(&sorted, &ws.policy, unit, from, as_of);
    for width in [320u32, 390, 760] {
        let svg = charts::unit_trend_at(ws.unit_name(unit), &series, &events, as_of, Theme::Light, width);
        let doc = parse(&svg);
        let mut xs: Vec<f64> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text") && ["G", "E", "H", "C"].contains(&n.text().unwrap_or("").trim()))
            .map(|n| n.attribute("x").and_then(|v| v.parse().ok()).unwrap())
            .collect();
        assert!(!xs.is_empty() && xs.len() <= events.len(), "{width}: {} letters for {} events", xs.len(), events.len());
        xs.sort_by(f64::total_cmp);
        for w in xs.windows(2) {
            assert!(w[1] - w[0] >= 11.0, "{width}: letters at {} and {} overlap", w[0], w[1]);
        }
    }
}

#[test]
fn an_org_map_in_a_frame_fits_its_height_from_a_phone_to_a_desktop() {
    let ws = latitude::core::sample::sample_org(d("2026-11-29"));
    let points = map_points(&ws, &score(&ws, &ws.policy, d("2026-11-29")));
    let big = generate(3, &GenSpec { units: 28, ..GenSpec::small() });
    let big_points = map_points(&big, &score(&big, &big.policy, big.last_date().unwrap()));
    // The room under the caption in the generated frame: a phone's 320–414 px wide frame
    // is 480 px high (its minimum; 380 px before, still fitted), a desktop's follows the
    // 6 / 5 ratio.
    for (width, height) in [(304u32, 336u32), (344, 336), (360, 336), (376, 344), (398, 336), (304, 436), (376, 436), (744, 584), (1184, 960)] {
        for (what, points) in [("sample", &points), ("28 units", &big_points)] {
            let svg = charts::org_map_at(points, Theme::Light, width, Some(height));
            let doc = parse(&svg);
            let h: f64 = doc.root_element().attribute("height").and_then(|v| v.parse().ok()).unwrap();
            assert!(h <= f64::from(height), "{what} at {width}×{height}: the map is {h} high");
            assert_eq!(hits(&doc).len(), points.len(), "{what} at {width}×{height}: every point");
            for n in doc.descendants().filter(|n| n.has_tag_name("text") && !n.text().unwrap_or("").trim().is_empty()) {
                let y: f64 = n.attribute("y").and_then(|v| v.parse().ok()).unwrap_or(0.0);
                assert!(y <= h, "{what} at {width}×{height}: {:?} at y {y} is below the picture", n.text());
                assert!(font_size(n).unwrap_or(0.0) >= 11.0);
            }
        }
    }
}

/// The map's regions are the flags' rules: for every unit of the sample and of generated
/// organisations, a point in the overextended region carries the Overextended flag and
/// only then; a point in the starved region carries the Starved flag, or is marked as
/// withheld with the reason (the track record threshold) in its accessible label.
#[test]
fn map_regions_and_flags_never_disagree() {
    use latitude::core::series::MapRegions;
    let mut cases: Vec<(Workspace, time::Date)> = Vec::new();
    let end = d("2026-06-30");
    cases.push((latitude::core::sample::sample_org(end), end));
    let spec = GenSpec::small();
    for seed in 0..12 {
        cases.push((generate(seed, &spec), spec.end()));
        cases.push((generate(seed, &spec), score::add_days(spec.end(), -91)));
    }
    let mut withheld_seen = 0;
    for (ws, as_of) in &cases {
        let scores = score(ws, &ws.policy, *as_of);
        let points = map_points(ws, &scores);
        let regions = MapRegions::from_policy(&ws.policy);
        for pt in &points {
            let s = scores.unit(pt.unit).unwrap();
            let band = regions.region(pt.x, pt.y);
            assert_eq!(band == GapBand::Overextended, s.has_flag(FlagKind::Overextended), "{}: gap {}", pt.name, s.gap);
            let starved_region = band == GapBand::Headroom;
            assert!(!s.has_flag(FlagKind::Starved) || starved_region, "{} flagged starved outside the region", pt.name);
            assert_eq!(pt.withheld.is_some(), starved_region && !s.has_flag(FlagKind::Starved), "{}", pt.name);
            if let Some(why) = &pt.withheld {
                assert!(s.track_record < ws.policy.starved_track_record && why.contains("track record"), "{why}");
                withheld_seen += 1;
            }
        }
        // The chart marks exactly those points, with the reason in their label.
        let svg = charts::org_map_with(&points, Theme::Light, 760, None, &regions);
        let doc = parse(&svg);
        let marks = hits(&doc);
        assert_eq!(marks.len(), points.len());
        for (pt, hit) in points.iter().zip(&marks) {
            assert_eq!(hit.attribute("data-unit"), Some(pt.unit.0.to_string().as_str()));
            let label = hit.attribute("aria-label").unwrap();
            assert_eq!(hit.attribute("data-withheld").is_some(), pt.withheld.is_some());
            if let Some(why) = &pt.withheld {
                assert!(label.contains(why.as_str()), "{label}");
            }
            assert_eq!(label.contains("flagged Overextended"), regions.region(pt.x, pt.y) == GapBand::Overextended, "{label}");
            // The gap is the one the scoreboard shows: the difference of A and S as shown
            // where that difference is on the right side of the margins.
            let number = |after: &str| label.split(after).nth(1).and_then(|t| t.split(',').next()).unwrap().to_owned();
            let (a, s_, gap) = (number("granted A "), number("supported S "), number(", gap "));
            assert_eq!(gap, ws.policy.gap_between(pt.y, pt.x), "{label}");
            if !gap.contains('.') {
                let difference: i64 = a.parse::<i64>().unwrap() - s_.parse::<i64>().unwrap();
                assert_eq!(gap.parse::<i64>().unwrap(), difference, "{label}");
            }
        }
    }
    assert!(withheld_seen > 0, "the cases include a withheld flag");
}

/// The regions move with the policy: the zone names carry its margins.
#[test]
fn map_regions_follow_the_policy_margins() {
    use latitude::core::series::MapRegions;
    let (ws, scores) = small_org();
    let points = map_points(&ws, &scores);
    let regions = MapRegions { overextended_gap: 25.0, starved_gap: 20.0, starved_track_record: 0.8, ..MapRegions::default() };
    let doc_svg = charts::org_map_with(&points, Theme::Light, 760, None, &regions);
    let doc = parse(&doc_svg);
    assert!(has_text(&doc, "A − S > 25"), "{:?}", texts(&doc));
    assert!(has_text(&doc, "S − A > 20"));
    assert!(has_text(&doc, "flagged if track record ≥ 0.80"));
    // The overextended region starts at the margin: a polygon vertex on x = 0 at y = 25.
    let default_svg = charts::org_map_at(&points, Theme::Light, 760, None);
    assert!(has_text(&parse(&default_svg), "A − S > 15"));
}

/// Where nothing was due yet the delivered line is the prior: dashed and labelled, not
/// drawn as a result at 50.
#[test]
fn the_trend_draws_the_prior_dashed_and_labelled() {
    let mut b = Builder::new();
    let u = b.unit("New team", None);
    b.grant(u, ARCH, "2026-01-01", 2, 3);
    b.deliver(u, "First result", Category::Revenue, "2026-01-05", "2026-03-30", 1.0);
    let ws = b.build();
    let (from, to) = (d("2026-01-05"), d("2026-05-25"));
    let series = unit_series(&ws, &ws.policy, u, from, to);
    assert!(series.first().unwrap().no_results && !series.last().unwrap().no_results);
    let svg = charts::unit_trend("New team", &series, &[], to, Theme::Light);
    let doc = parse(&svg);
    assert!(has_text(&doc, "prior (no results yet)"), "{:?}", texts(&doc));
    let columns: Vec<_> = doc.descendants().filter(|n| n.attribute("class") == Some("chart__hit chart__hit--column")).collect();
    assert!(columns[0].attribute("aria-label").unwrap().contains("no results yet (prior 50)"));
    assert!(!columns[0].attribute("aria-label").unwrap().contains("delivered"));
    assert!(columns.last().unwrap().attribute("aria-label").unwrap().contains("delivered"));
    // Dashed segments are many short lines in the delivered colour; a unit with results
    // throughout has none of them and no prior label.
    let delivered = latitude::charts::Theme::Light.palette().delivered;
    let colour = format!("#{:02X}{:02X}{:02X}", delivered.0, delivered.1, delivered.2);
    let short_delivered = |doc: &roxmltree::Document| doc.descendants().filter(|n| n.has_tag_name("polyline") && n.attribute("stroke").is_some_and(|s| s.eq_ignore_ascii_case(&colour))).count();
    let dashed = short_delivered(&doc);
    let later = unit_series(&ws, &ws.policy, u, d("2026-04-06"), to);
    assert!(later.iter().all(|p| !p.no_results));
    let svg2 = charts::unit_trend("New team", &later, &[], to, Theme::Light);
    let doc2 = parse(&svg2);
    assert!(!has_text(&doc2, "prior (no results yet)"));
    assert!(dashed > short_delivered(&doc2) + 10, "dashes drawn: {dashed}");
}

/// The date ticks of a time chart drawn within one year: texts such as `Nov 26`.
fn tick_dates(doc: &roxmltree::Document, year: i32) -> Vec<time::Date> {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    texts(doc)
        .iter()
        .filter_map(|t| {
            let (m, day) = t.split_once(' ')?;
            let month = MONTHS.iter().position(|x| *x == m)? as u8 + 1;
            time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day.parse().ok()?).ok()
        })
        .collect()
}

#[test]
fn a_short_history_ends_its_time_axis_at_the_as_of_date() {
    let mut b = Builder::new();
    let u = b.unit("Brand new", None);
    b.pulse(u, "2026-11-26", 3.0);
    let ws = b.build();
    let as_of = d("2026-11-26");
    // A unit created today: one week in its series, on the as-of date.
    for from in [as_of, d("2026-11-19")] {
        let series = unit_series(&ws, &ws.policy, u, from, as_of);
        let trend = charts::unit_trend("Brand new", &series, &[], as_of, Theme::Light);
        let felt = charts::felt_vs_earned("Brand new", &ws.pulses, &series, Theme::Light);
        for (what, svg) in [("trend", trend), ("felt vs earned", felt)] {
            let doc = parse(&svg);
            let ticks = tick_dates(&doc, 2026);
            assert!(ticks.len() >= 2, "{what} from {from}: date ticks drawn: {:?}", texts(&doc));
            assert!(ticks.iter().all(|t| *t <= as_of), "{what} from {from}: the axis runs past the as-of date: {ticks:?}");
            // It starts earlier instead: a week before the as-of date.
            assert!(ticks.iter().any(|t| *t < d("2026-11-23")), "{what} from {from}: the week before is shown: {ticks:?}");
            // The prior's label beside the last week stays inside the picture.
            let width: f64 = doc.root_element().attribute("width").unwrap().trim_end_matches("px").parse().unwrap();
            for n in doc.descendants().filter(|n| n.has_tag_name("text") && n.text().is_some_and(|t| t.trim() == "prior (no results yet)")) {
                let x: f64 = n.attribute("x").unwrap().parse().unwrap();
                let w = 0.55 * 12.0 * "prior (no results yet)".len() as f64;
                let (left, right) = if n.attribute("text-anchor") == Some("end") { (x - w, x) } else { (x, x + w) };
                assert!(left >= 0.0 && right <= width, "{what} from {from}: the prior's label runs out of the chart: {left:.0}..{right:.0} of {width}");
            }
        }
    }
}

#[test]
fn points_too_close_to_label_are_listed_under_a_heading_that_says_so() {
    // Units at the same place, as a new organisation's are (nothing granted, nothing earned).
    let point = |i: u32, x: f64, y: f64| series::MapPoint {
        unit: UnitId(i),
        name: format!("Stacked unit {i}"),
        kind: UnitKind::Team,
        leader: false,
        x,
        y,
        verdict: Verdict::Hold,
        evidence: 0,
        withheld: None,
    };
    let points: Vec<_> = (1..=14).map(|i| point(i, 0.0, if i % 2 == 0 { 0.0 } else { 38.0 })).collect();
    for width in [760, 360, 300] {
        let svg = charts::org_map_at(&points, Theme::Light, width, None);
        let doc = parse(&svg);
        let by_class = |class: &str| {
            doc.descendants().filter(|n| n.attribute("class") == Some(class)).map(|n| (n.text().unwrap_or("").trim().to_owned(), n.attribute("y").unwrap().parse::<f64>().unwrap())).collect::<Vec<_>>()
        };
        let legend = by_class("org-map__legend");
        let listed: Vec<_> = legend.iter().filter(|(t, _)| t.contains("(S 0, A ")).collect();
        assert!(!listed.is_empty(), "at {width}: some points are listed: {legend:?}");
        let heading = by_class("org-map__legend-heading");
        assert_eq!(heading.len(), 1, "at {width}: one heading: {heading:?}");
        // Whole, in a shorter form where the map is narrow: never cut.
        let whole = if width >= 360 { "Too close to others to label on the map:" } else { "Too close to label on the map:" };
        assert_eq!(heading[0].0, whole, "at {width}");
        // The heading has its row, above the listed points and below the numbered ones.
        assert!(listed.iter().all(|(_, y)| *y > heading[0].1), "at {width}: listed under the heading");
        assert!(legend.iter().filter(|(t, _)| !t.contains("(S 0, A ")).all(|(_, y)| *y < heading[0].1), "at {width}: numbers above it");
        assert!(listed.iter().all(|(t, _)| !t.starts_with('·')), "{listed:?}");
    }
    // A map with room for every label has no such heading.
    let roomy: Vec<_> = (1..=3).map(|i| point(i, 20.0 * i as f64, 30.0 * i as f64)).collect();
    let svg = charts::org_map(&roomy, Theme::Light);
    let doc = parse(&svg);
    assert!(!doc.descendants().any(|n| n.attribute("class") == Some("org-map__legend-heading")));
}

/// A key that moves among points, and the point it moves to: the map is one Tab stop,
/// its points reached with the arrow keys in the order they are seen.
mod moving_among_points {
    use latitude::charts::{first_point, step_among};
    use proptest::prelude::*;

    fn points() -> impl Strategy<Value = Vec<(f64, f64)>> {
        // Few distinct coordinates, so that points share a column or a row.
        prop::collection::vec((0u8..6, 0u8..6).prop_map(|(x, y)| (f64::from(x) * 40.0, f64::from(y) * 30.0)), 1..25)
    }

    #[test]
    fn arrows_follow_what_is_seen() {
        // Screen coordinates: y grows downwards.
        let pts = [(100.0, 50.0), (20.0, 200.0), (300.0, 10.0), (150.0, 120.0)];
        assert_eq!(first_point(&pts), Some(1), "the Tab stop is the leftmost point");
        assert_eq!(step_among(&pts, 1, "ArrowRight"), Some(0));
        assert_eq!(step_among(&pts, 0, "ArrowRight"), Some(3));
        assert_eq!(step_among(&pts, 2, "ArrowRight"), None, "the rightmost stays");
        assert_eq!(step_among(&pts, 3, "ArrowUp"), Some(0), "up: the next point higher on screen");
        assert_eq!(step_among(&pts, 0, "ArrowDown"), Some(3));
        assert_eq!(step_among(&pts, 2, "ArrowUp"), None, "the highest stays");
        assert_eq!(step_among(&pts, 3, "Home"), Some(1));
        assert_eq!(step_among(&pts, 1, "End"), Some(2));
        assert_eq!(step_among(&pts, 1, "Tab"), None, "other keys are not the map's");
        assert_eq!(first_point(&[]), None);
    }

    proptest! {
        #[test]
        fn right_from_the_first_visits_every_point_once(pts in points()) {
            let mut at = first_point(&pts).unwrap();
            let mut seen = vec![at];
            while let Some(next) = step_among(&pts, at, "ArrowRight") {
                prop_assert!(pts[next].0 >= pts[at].0, "right never goes left");
                at = next;
                seen.push(at);
            }
            // End goes where the arrows end (nowhere from there itself).
            prop_assert_eq!(step_among(&pts, first_point(&pts).unwrap(), "End"), (pts.len() > 1).then_some(at));
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..pts.len()).collect::<Vec<_>>());
        }

        #[test]
        fn each_arrow_is_undone_by_the_opposite_one(pts in points(), from in 0usize..25) {
            let from = from % pts.len();
            for (key, back) in [("ArrowRight", "ArrowLeft"), ("ArrowLeft", "ArrowRight"), ("ArrowDown", "ArrowUp"), ("ArrowUp", "ArrowDown")] {
                if let Some(to) = step_among(&pts, from, key) {
                    prop_assert_ne!(to, from);
                    prop_assert_eq!(step_among(&pts, to, back), Some(from), "{} then {}", key, back);
                }
            }
        }

        #[test]
        fn down_from_the_highest_visits_every_point_once(pts in points()) {
            let top = (0..pts.len()).find(|&i| step_among(&pts, i, "ArrowUp").is_none()).unwrap();
            let mut at = top;
            let mut seen = vec![at];
            while let Some(next) = step_among(&pts, at, "ArrowDown") {
                prop_assert!(pts[next].1 >= pts[at].1, "down never goes up");
                at = next;
                seen.push(at);
            }
            seen.sort_unstable();
            prop_assert_eq!(seen, (0..pts.len()).collect::<Vec<_>>());
        }
    }
}
