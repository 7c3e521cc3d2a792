//! Time charts: a unit's trend (granted A, supported S, delivered TR × 100, rigor),
//! felt against earned autonomy, and the sparkline of one commitment.

use plotters::prelude::*;
use time::Date;

use super::org_map::error_svg;
use super::{clamp_width, day_number, escape, finish, fit, font, text_width, time_ticks, wrap_rows, Theme, NARROW};
use crate::core::score::add_days;
use crate::core::series::SeriesPoint;
use crate::core::{format_date, Commitment, Pulse, UnitId, Verdict, Workspace};

/// Something that happened to a unit's autonomy, marked on its trend.
#[derive(Debug, Clone, PartialEq)]
pub enum EventKind {
    Grant,
    Review(Verdict),
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrendEvent {
    pub date: Date,
    pub kind: EventKind,
}

/// Grants and reviews of a unit between two dates, for the trend markers.
pub fn trend_events(ws: &Workspace, unit: UnitId, from: Date, to: Date) -> Vec<TrendEvent> {
    let grants = ws.grants.iter().filter(|g| g.unit == unit).map(|g| TrendEvent { date: g.date, kind: EventKind::Grant });
    let reviews = ws.reviews.iter().filter(|r| r.unit == unit).map(|r| TrendEvent { date: r.date, kind: EventKind::Review(r.verdict) });
    let mut all: Vec<TrendEvent> = grants.chain(reviews).filter(|e| e.date >= from && e.date <= to).collect();
    all.sort_by_key(|e| e.date);
    all.dedup();
    all
}

/// Width the CLI and tests draw at when no width is given.
const W: u32 = 760;
/// Pixels between two event letters on a trend chart: a 12 px capital (a "G" is up to
/// 9.3 px wide in the fonts browsers fall back to) and a gap.
const MARK_ROOM: i32 = 13;

/// Height of a time chart's plot for a width: wide charts are flatter.
fn plot_height(width: u32) -> u32 {
    (width as f64 * if width < NARROW { 0.8 } else { 0.5 }).clamp(260.0, 560.0) as u32
}

/// A time axis from `first` to `last` (day numbers), a week long at least. A short
/// history starts earlier rather than ending later: the axis never runs past the last
/// day shown (the as-of date), into days that have not happened.
fn time_span(first: i64, last: i64) -> (i64, i64) {
    (first.min(last - 7), last)
}

/// Granted against supported autonomy over time, the gap between them shaded.
pub fn unit_trend(name: &str, series: &[SeriesPoint], events: &[TrendEvent], as_of: Date, theme: Theme) -> String {
    unit_trend_at(name, series, events, as_of, theme, W)
}

/// [`unit_trend`] drawn for a width in CSS pixels.
pub fn unit_trend_at(name: &str, series: &[SeriesPoint], events: &[TrendEvent], as_of: Date, theme: Theme, width: u32) -> String {
    let width = clamp_width(width);
    let mut svg = String::new();
    if series.is_empty() {
        return error_svg(&format!("No history yet for {name}."), theme, width);
    }
    let mut columns = Vec::new();
    if let Err(e) = draw_trend(&mut svg, name, series, events, as_of, theme, width, &mut columns).map_err(|e| e.to_string()) {
        return error_svg(&format!("The trend could not be drawn: {e}"), theme, width);
    }
    // Hovering a week reads out its values (the table behind the toggle lists them all).
    let mut hits = String::from("<g class=\"trend__hits\">");
    for (p, (x0, x1, top, bottom)) in series.iter().zip(&columns) {
        let delivered = if p.no_results { format!("no results yet (prior {:.0})", p.track_record * 100.0) } else { format!("delivered {:.0}", p.track_record * 100.0) };
        let label = format!("Week of {}: granted {:.0}, supported {:.0}, {delivered}, rigor {:.2}", format_date(p.date), p.autonomy, p.supported, p.rigor);
        hits.push_str(&format!(
            "<rect class=\"chart__hit chart__hit--column\" role=\"graphics-symbol\" x=\"{x0}\" y=\"{top}\" width=\"{}\" height=\"{}\" fill=\"transparent\" aria-label=\"{}\"><title>{}</title></rect>",
            (x1 - x0).max(1),
            (bottom - top).max(1),
            escape(&label),
            escape(&label)
        ));
    }
    hits.push_str("</g>");
    let last = series.last().expect("not empty");
    let prior_weeks = series.iter().filter(|p| p.no_results).count();
    let delivered = if last.no_results { format!("no results yet (the prior {:.0}, drawn dashed)", last.track_record * 100.0) } else { format!("delivered {:.0}", last.track_record * 100.0) };
    let desc = format!(
        "{} weeks from {} to {}. Latest: granted {:.0}, supported {:.0}, {delivered}, rigor {:.2}. {} grants and reviews marked.{}",
        series.len(),
        format_date(series[0].date),
        format_date(last.date),
        last.autonomy,
        last.supported,
        last.rigor,
        events.len(),
        if prior_weeks > 0 { format!(" In {prior_weeks} weeks no commitment was due yet: the track record there is the prior, not a result.") } else { String::new() }
    );
    finish(svg, "trend-chart", &format!("{name}: granted autonomy against delivered results"), &desc, &hits)
}

/// Pixel columns (left, right, top, bottom) of each week, for the hover areas.
type Columns = Vec<(i32, i32, i32, i32)>;

#[allow(clippy::too_many_arguments)]
fn draw_trend<'a>(
    svg: &'a mut String,
    name: &str,
    series: &[SeriesPoint],
    events: &[TrendEvent],
    as_of: Date,
    theme: Theme,
    width: u32,
    columns: &mut Columns,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let p = theme.palette();
    let mut keys = vec![(p.granted, 3, "Granted autonomy A"), (p.supported, 3, "Supported autonomy S"), (p.delivered, 2, "Delivered results (TR × 100)"), (p.rigor, 1, "Rigor (R × 100)")];
    let any_prior = series.iter().any(|s| s.no_results);
    if any_prior {
        // Stroke 0 marks a dashed swatch.
        keys.insert(3, (p.delivered, 0, PRIOR_LABEL));
    }
    let h = plot_height(width);
    let key_h = key_height(&keys, width);
    let root = SVGBackend::with_string(svg, (width, h + key_h)).into_drawing_area();
    root.fill(&p.background)?;
    let (top, _) = root.split_vertically(h);
    let (x0, x1) = time_span(day_number(series[0].date), day_number(series.last().expect("not empty").date).max(day_number(as_of)));
    let title = if width < NARROW { name.to_owned() } else { format!("{name}: granted autonomy against delivered results") };
    let mut chart = time_chart(&top, &root, title, (x0, x1), "Score (0–100)", &p, width)?;
    for (i, pt) in series.iter().enumerate() {
        let x = day_number(pt.date);
        let prev = if i > 0 { day_number(series[i - 1].date) } else { x - 7 };
        let next = series.get(i + 1).map(|n| day_number(n.date)).unwrap_or(x + 7);
        let (left, top) = chart.backend_coord(&(((prev + x) / 2).max(x0), 100.0));
        let (right, bottom) = chart.backend_coord(&(((x + next) / 2).min(x1), 0.0));
        columns.push((left, right, top, bottom));
    }
    // The gap: warning where granted exceeds supported, opportunity where it trails.
    for w in series.windows(2) {
        let (a, b) = (w[0], w[1]);
        let over = (a.autonomy - a.supported) + (b.autonomy - b.supported) > 0.0;
        let color = if over { p.warning } else { p.opportunity };
        let (xa, xb) = (day_number(a.date), day_number(b.date));
        chart.draw_series(std::iter::once(Polygon::new(vec![(xa, a.autonomy), (xb, a.autonomy), (xb, b.supported), (xa, a.supported)], color.mix(0.14))))?;
    }
    // Granted autonomy changes in steps.
    let mut steps = Vec::with_capacity(series.len() * 2);
    for (i, s) in series.iter().enumerate() {
        if i > 0 {
            steps.push((day_number(s.date), series[i - 1].autonomy));
        }
        steps.push((day_number(s.date), s.autonomy));
    }
    chart.draw_series(LineSeries::new(steps, p.granted.stroke_width(3)))?;
    chart.draw_series(LineSeries::new(series.iter().map(|s| (day_number(s.date), s.supported)), p.supported.stroke_width(3)))?;
    // Delivered results where something was due; where nothing was yet, the track record
    // is the prior: dashed, and labelled so it does not read as a result.
    for w in series.windows(2) {
        let line = [(day_number(w[0].date), w[0].track_record * 100.0), (day_number(w[1].date), w[1].track_record * 100.0)];
        if w[0].no_results || w[1].no_results {
            chart.draw_series(DashedLineSeries::new(line, 6, 5, p.delivered.stroke_width(2)))?;
        } else {
            chart.draw_series(LineSeries::new(line, p.delivered.stroke_width(2)))?;
        }
    }
    if let [s0] = series {
        // One week (a unit new on the as-of date) has no lines to draw: each value is a dot,
        // the prior a hollow one.
        let x = day_number(s0.date);
        for (v, color) in [(s0.autonomy, p.granted), (s0.supported, p.supported), (s0.rigor * 100.0, p.rigor)] {
            chart.draw_series(std::iter::once(Circle::new((x, v), 3, color.filled())))?;
        }
        let style = if s0.no_results { p.delivered.stroke_width(2) } else { p.delivered.filled() };
        chart.draw_series(std::iter::once(Circle::new((x, s0.track_record * 100.0), 3, style)))?;
    }
    if let Some(first) = series.iter().find(|s| s.no_results) {
        // Beside the first week without results, on the side with room for it (that week
        // is the last one for a unit new on the as-of date).
        let at = (day_number(first.date), first.track_record * 100.0);
        let room = chart.plotting_area().get_pixel_range().0.end - chart.backend_coord(&at).0;
        let (anchor, dx) = if room > text_width(PRIOR_LABEL, 12.0) + 6 { (plotters::style::text_anchor::HPos::Left, 4) } else { (plotters::style::text_anchor::HPos::Right, -4) };
        let style = font(12).color(&p.delivered).pos(plotters::style::text_anchor::Pos::new(anchor, plotters::style::text_anchor::VPos::Top));
        chart.draw_series(std::iter::once(EmptyElement::at(at) + Text::new(PRIOR_LABEL, (dx, -18), style)))?;
    }
    chart.draw_series(LineSeries::new(series.iter().map(|s| (day_number(s.date), s.rigor * 100.0)), p.rigor.stroke_width(1)))?;
    // Grants and reviews: a marker for each; its letter where it has room (a narrow chart
    // of a busy unit has events a few pixels apart, whose letters would print over each
    // other; the week's hover column still says what happened).
    let mut lettered: Vec<i32> = Vec::with_capacity(events.len());
    for e in events {
        let x = day_number(e.date).clamp(x0, x1);
        let (color, mark) = match e.kind {
            EventKind::Grant => (p.granted, "G"),
            EventKind::Review(Verdict::Expand) => (p.opportunity, "E"),
            EventKind::Review(Verdict::Hold) => (p.hold, "H"),
            EventKind::Review(Verdict::Contract) => (p.warning, "C"),
        };
        chart.draw_series(std::iter::once(EmptyElement::at((x, 100.0)) + TriangleMarker::new((0, 6), 6, color.filled())))?;
        let px = chart.backend_coord(&(x, 100.0)).0;
        if lettered.iter().all(|l| (l - px).abs() >= MARK_ROOM) {
            lettered.push(px);
            chart.draw_series(std::iter::once(EmptyElement::at((x, 100.0)) + Text::new(mark, (-4, 12), font(12).color(&p.text))))?;
        }
    }
    // As-of line, its label on the side of the line with room for it.
    let xa = day_number(as_of).clamp(x0, x1);
    chart.draw_series(LineSeries::new(vec![(xa, 0.0), (xa, 100.0)], p.muted.stroke_width(1)))?;
    let (px, _) = chart.backend_coord(&(xa, 0.0));
    let (xr, _) = chart.plotting_area().get_pixel_range();
    let label = format!("as of {}", format_date(as_of));
    let right_room = xr.end - px;
    let (anchor, dx) = if right_room > text_width(&label, 12.0) + 6 { (plotters::style::text_anchor::HPos::Left, 4) } else { (plotters::style::text_anchor::HPos::Right, -4) };
    chart.draw_series(std::iter::once(
        EmptyElement::at((xa, 0.0)) + Text::new(label, (dx, -4), font(12).color(&p.text).pos(plotters::style::text_anchor::Pos::new(anchor, plotters::style::text_anchor::VPos::Bottom))),
    ))?;
    key_row(&root, h as i32 + 6, &keys, p.text, width)?;
    root.present()?;
    Ok(())
}

type TimeChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<plotters::coord::types::RangedCoordi64, plotters::coord::types::RangedCoordf64>>;

/// A time chart (days on x, 0–100 on y) with the shared title, axes and grid; the date
/// ticks are calendar dates chosen for the width (see [`time_ticks`]).
fn time_chart<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    root: &DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    title: String,
    x: (i64, i64),
    y_desc: &str,
    p: &super::Palette,
    width: u32,
) -> Result<TimeChart<'a, 'b>, Box<dyn std::error::Error + 'b>> {
    let caption_px = if width < NARROW { 16 } else { 18 };
    let title = fit(&title, f64::from(caption_px), width as i32 - 28);
    let mut chart = ChartBuilder::on(area).caption(title, font(caption_px).color(&p.text)).margin(14).x_label_area_size(34).y_label_area_size(50).build_cartesian_2d(x.0..x.1, 0f64..100f64)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        // Date ticks are drawn below from `time_ticks`, not by the mesh.
        .x_labels(1)
        .x_label_formatter(&|_| String::new())
        .set_tick_mark_size(LabelAreaPosition::Bottom, 0)
        .y_label_formatter(&|v| format!("{v:.0}"))
        .y_desc(y_desc)
        .axis_desc_style(font(13).color(&p.text))
        .label_style(font(12).color(&p.muted))
        .bold_line_style(p.grid)
        .light_line_style(TRANSPARENT)
        .axis_style(p.muted)
        .draw()?;
    let (xr, yr) = chart.plotting_area().get_pixel_range();
    let (from, to) = (Date::from_julian_day(x.0 as i32)?, Date::from_julian_day(x.1 as i32)?);
    // One tick per 90 pixels at most: labels such as "Nov 2026" never touch.
    let max = ((xr.end - xr.start) / 90).max(2) as usize;
    let font = font(12).color(&p.muted).pos(plotters::style::text_anchor::Pos::new(plotters::style::text_anchor::HPos::Center, plotters::style::text_anchor::VPos::Top));
    for (date, label) in time_ticks(from, to, max) {
        let at = day_number(date);
        chart.draw_series(LineSeries::new(vec![(at, 0.0), (at, 100.0)], p.grid.stroke_width(1)))?;
        let (px, _) = chart.backend_coord(&(at, 0.0));
        let half = text_width(&label, 12.0) / 2 + 2;
        let px = px.clamp(half, width as i32 - half);
        root.draw(&Text::new(label, (px, yr.end + 8), font.clone()))?;
    }
    Ok(chart)
}

/// Layout of a key: each entry's width (swatch, gap, name).
fn key_widths(entries: &[(RGBColor, u32, &str)]) -> Vec<i32> {
    entries.iter().map(|(_, _, name)| 26 + text_width(name, 12.0) + 18).collect()
}

/// Height of the key under a time chart, its entries wrapped to the width.
/// What the dashed part of the delivered line is.
const PRIOR_LABEL: &str = "prior (no results yet)";

fn key_height(entries: &[(RGBColor, u32, &str)], width: u32) -> u32 {
    wrap_rows(&key_widths(entries), width as i32 - 70).len() as u32 * 20 + 10
}

/// Line swatches with their names, under the chart so they never hide data, wrapped
/// into as many rows as the width needs.
fn key_row<'a>(root: &DrawingArea<SVGBackend<'a>, plotters::coord::Shift>, y: i32, entries: &[(RGBColor, u32, &str)], text: RGBColor, width: u32) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let widths = key_widths(entries);
    let font = font(12).color(&text);
    for (row, members) in wrap_rows(&widths, width as i32 - 70).into_iter().enumerate() {
        let y = y + row as i32 * 20;
        // Under the plot, from the y axis; further left when the row is wider than the
        // room after the axis (one long name on a phone), so it stays inside the chart.
        let row_width: i32 = members.iter().map(|&i| widths[i]).sum();
        let mut x = 56.min((width as i32 - row_width).max(8));
        for i in members {
            let (color, stroke, name) = entries[i];
            if stroke == 0 {
                for dash in [0, 8, 16] {
                    root.draw(&PathElement::new(vec![(x + dash, y + 7), (x + dash + 4, y + 7)], color.stroke_width(3)))?;
                }
            } else {
                root.draw(&PathElement::new(vec![(x, y + 7), (x + 20, y + 7)], color.stroke_width(stroke + 1)))?;
            }
            root.draw(&Text::new(name.to_string(), (x + 26, y), font.clone()))?;
            x += widths[i];
        }
    }
    Ok(())
}

/// Felt autonomy (pulse, rescaled 1–5 → 0–100) against track record and granted autonomy.
pub fn felt_vs_earned(name: &str, pulses: &[Pulse], series: &[SeriesPoint], theme: Theme) -> String {
    felt_vs_earned_at(name, pulses, series, theme, W)
}

/// [`felt_vs_earned`] drawn for a width in CSS pixels.
pub fn felt_vs_earned_at(name: &str, pulses: &[Pulse], series: &[SeriesPoint], theme: Theme, width: u32) -> String {
    let width = clamp_width(width);
    let mut svg = String::new();
    if pulses.is_empty() || series.is_empty() {
        return error_svg(&format!("No pulse data for {name}: felt autonomy is not surveyed."), theme, width);
    }
    if let Err(e) = draw_felt(&mut svg, name, pulses, series, theme, width).map_err(|e| e.to_string()) {
        return error_svg(&format!("The felt-vs-earned chart could not be drawn: {e}"), theme, width);
    }
    let felt = pulses.iter().map(|p| p.score.get()).sum::<f64>() / pulses.len() as f64;
    let last = series.last().expect("not empty");
    let desc = format!("{} pulse answers, mean felt autonomy {felt:.1} of 5; latest track record {:.2}, granted {:.0}.", pulses.len(), last.track_record, last.autonomy);
    finish(svg, "felt-chart", &format!("{name}: felt autonomy against earned"), &desc, "")
}

fn draw_felt<'a>(svg: &'a mut String, name: &str, pulses: &[Pulse], series: &[SeriesPoint], theme: Theme, width: u32) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let p = theme.palette();
    let keys = [(p.felt, 3, "Felt autonomy (pulse)"), (p.delivered, 2, "Delivered results (TR × 100)"), (p.granted, 2, "Granted autonomy A")];
    let h = plot_height(width).min(420);
    let key_h = key_height(&keys, width);
    let root = SVGBackend::with_string(svg, (width, h + key_h)).into_drawing_area();
    root.fill(&p.background)?;
    let (top, _) = root.split_vertically(h);
    let first = day_number(series[0].date).min(pulses.iter().map(|p| day_number(p.date)).min().unwrap_or(i64::MAX));
    let (x0, x1) = time_span(first, day_number(series.last().expect("not empty").date));
    let title = if width < NARROW { format!("{name}: felt and earned") } else { format!("{name}: felt autonomy against earned") };
    let y_desc = if width < NARROW { "Score (0–100)" } else { "Score (0–100; pulse 1–5 rescaled)" };
    let mut chart = time_chart(&top, &root, title, (x0, x1), y_desc, &p, width)?;
    let mut sorted: Vec<&Pulse> = pulses.iter().collect();
    sorted.sort_by_key(|p| p.date);
    chart.draw_series(LineSeries::new(sorted.iter().map(|pl| (day_number(pl.date), (pl.score.get() - 1.0) * 25.0)), p.felt.stroke_width(3)).point_size(4))?;
    chart.draw_series(LineSeries::new(series.iter().map(|s| (day_number(s.date), s.track_record * 100.0)), p.delivered.stroke_width(2)))?;
    chart.draw_series(LineSeries::new(series.iter().map(|s| (day_number(s.date), s.autonomy)), p.granted.stroke_width(2)))?;
    key_row(&root, h as i32 + 6, &keys, p.text, width)?;
    root.present()?;
    Ok(())
}

/// A small chart of one commitment: check-ins against the straight path to the target.
pub fn sparkline(c: &Commitment, as_of: Date, theme: Theme) -> String {
    let p = theme.palette();
    let (w, h) = (160.0, 40.0);
    let end = c.due.unwrap_or(as_of).max(add_days(c.start, 7));
    let x0 = day_number(c.start) as f64;
    let x1 = day_number(end).max(day_number(as_of).min(day_number(end) + 60)) as f64;
    let values: Vec<(f64, f64)> = c.checkins().iter().filter(|k| k.date <= as_of).map(|k| (day_number(k.date) as f64, k.value.get())).collect();
    let mut lo = values.iter().map(|v| v.1).fold(f64::INFINITY, f64::min);
    let mut hi = values.iter().map(|v| v.1).fold(f64::NEG_INFINITY, f64::max);
    for v in [c.baseline, c.target].into_iter().flatten() {
        lo = lo.min(v.get());
        hi = hi.max(v.get());
    }
    if !lo.is_finite() || !hi.is_finite() {
        lo = 0.0;
        hi = 1.0;
    }
    if hi - lo < 1e-9 {
        hi = lo + 1.0;
    }
    let sx = |x: f64| 2.0 + (x - x0) / (x1 - x0).max(1.0) * (w - 4.0);
    let sy = |y: f64| h - 3.0 - (y - lo) / (hi - lo) * (h - 6.0);
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"sparkline\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" role=\"img\" aria-label=\"{}\">",
        escape(&sparkline_label(c, &values))
    );
    if let (Some(b), Some(t), Some(d)) = (c.baseline, c.target, c.due) {
        out.push_str(&format!(
            "<line class=\"sparkline__path\" x1=\"{:.1}\" y1=\"{:.1}\" x2=\"{:.1}\" y2=\"{:.1}\" stroke=\"rgb({},{},{})\" stroke-width=\"1\" stroke-dasharray=\"3 2\"/>",
            sx(x0),
            sy(b.get()),
            sx(day_number(d) as f64),
            sy(t.get()),
            p.muted.0,
            p.muted.1,
            p.muted.2
        ));
    }
    if !values.is_empty() {
        let pts: Vec<String> = values.iter().map(|(x, y)| format!("{:.1},{:.1}", sx(*x), sy(*y))).collect();
        out.push_str(&format!("<polyline class=\"sparkline__values\" fill=\"none\" stroke=\"rgb({},{},{})\" stroke-width=\"2\" points=\"{}\"/>", p.granted.0, p.granted.1, p.granted.2, pts.join(" ")));
        let (lx, ly) = values[values.len() - 1];
        out.push_str(&format!("<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"2.5\" fill=\"rgb({},{},{})\"/>", sx(lx), sy(ly), p.granted.0, p.granted.1, p.granted.2));
    }
    out.push_str("</svg>");
    out
}

fn sparkline_label(c: &Commitment, values: &[(f64, f64)]) -> String {
    let target = c.target.map(|t| format!("{}", t.get())).unwrap_or_else(|| "no target".into());
    match values.last() {
        Some((_, v)) => format!("{}: {} check-ins, latest {v} against target {target}", c.title, values.len()),
        None => format!("{}: no check-in yet, target {target}", c.title),
    }
}
