//! The org map, Latitude's signature view: each unit at x = S (earned by accountability),
//! y = A (granted). The diagonal is the law; above it overextended, below it starved.

use plotters::prelude::*;

use super::{clamp_width, escape, finish, fit, font, rgb, text_width, wrap_rows, Theme, FONT, NARROW};
use crate::core::series::{MapPoint, MapRegions};
use crate::core::{GapBand, Verdict};

/// Up to this many units get labels on the map; beyond it the table carries the names.
pub const MAP_LABEL_LIMIT: usize = 30;

/// Width the CLI and tests draw at when no width is given.
const W: u32 = 760;
/// Height of one row of the key or of the legend under the chart.
const ROW_H: u32 = 18;

/// The size a map is drawn at: the plot, then the key and the legend under it.
#[derive(Clone, Copy)]
struct Layout {
    width: u32,
    plot: u32,
    key_rows: u32,
    legend_rows: u32,
    /// Short key texts, for a frame too short for the full ones.
    compact: bool,
}

impl Layout {
    fn narrow(&self) -> bool {
        self.width < NARROW
    }
    fn key_top(&self) -> i32 {
        self.plot as i32 + 8
    }
    fn legend_top(&self) -> u32 {
        self.plot + 8 + self.key_rows * ROW_H + 8
    }
    fn height(&self) -> u32 {
        self.legend_top() + self.legend_rows * ROW_H + 4
    }
}

const KEY: [&str; 7] = ["The law: A = S", "Expand", "Hold", "Contract", "Leader", "Individual or team", "Hollow: flag withheld"];
/// The key in a frame too short for [`KEY`], entry for entry.
const KEY_SHORT: [&str; 7] = ["A = S", "Expand", "Hold", "Contract", "Leader", "Team", "Hollow: withheld"];
/// The key's last entry, after the marks: what a mark's size says.
const SIZE_KEY: [&str; 2] = ["Size: how much evidence", "Size: evidence"];

/// The key's texts, marks first and the size last.
fn key(compact: bool) -> Vec<&'static str> {
    let marks: &[&str] = if compact { &KEY_SHORT } else { &KEY };
    marks.iter().copied().chain(std::iter::once(SIZE_KEY[usize::from(compact)])).collect()
}

fn key_widths(compact: bool) -> Vec<i32> {
    let key = key(compact);
    let last = key.len() - 1;
    key.iter()
        .enumerate()
        .map(|(i, k)| match i {
            0 => 24 + text_width(k, 12.0) + 16,
            i if i == last => text_width(k, 12.0) + 8,
            _ => 14 + text_width(k, 12.0) + 16,
        })
        .collect()
}

/// What the legend under the map says: numbered names, then under a heading of their
/// own the points that found no room on the map even for a number, with their scores.
#[derive(Default)]
struct Legend {
    /// "3. Design team" for a numbered point; in the most compact map, one line saying
    /// how many units are unnamed.
    entries: Vec<String>,
    /// "Board (S 0, A 0)" for each point too close to others to be labelled.
    listed: Vec<String>,
}

/// Says what the list of unlabelled points is, on a row of its own above them.
const LISTED_HEADING: &str = "Too close to others to label on the map:";

/// The heading's shorter forms, for a narrow map: the first that fits is drawn whole.
const LISTED_HEADING_SHORT: [&str; 2] = ["Too close to label on the map:", "Too close to label:"];

impl Legend {
    fn rows(&self, cols: u32) -> u32 {
        let listed = if self.listed.is_empty() { 0 } else { 1 + (self.listed.len() as u32).div_ceil(cols) };
        (self.entries.len() as u32).div_ceil(cols) + listed
    }

    /// The widest cell of the grid (the heading has a row of its own and is not a cell).
    fn widest(&self) -> u32 {
        self.entries.iter().chain(&self.listed).map(|e| text_width(e, 12.0) + 16).max().unwrap_or(1).max(1) as u32
    }

    /// Each text with its column and row, and whether it is the heading.
    fn cells(&self, cols: u32) -> Vec<(u32, u32, &str, bool)> {
        let mut out: Vec<(u32, u32, &str, bool)> = self.entries.iter().enumerate().map(|(k, e)| (k as u32 % cols, k as u32 / cols, e.as_str(), false)).collect();
        if !self.listed.is_empty() {
            let top = (self.entries.len() as u32).div_ceil(cols);
            out.push((0, top, LISTED_HEADING, true));
            out.extend(self.listed.iter().enumerate().map(|(k, e)| (k as u32 % cols, top + 1 + k as u32 / cols, e.as_str(), false)));
        }
        out
    }
}

/// Where a point's label went.
#[derive(Clone)]
enum Label {
    Name {
        dx: i32,
        dy: i32,
    },
    Number {
        n: usize,
        dx: i32,
        dy: i32,
    },
    /// Listed under the chart with its scores (a crowded spot).
    Listed,
    None,
}

fn label_width(text: &str, px: f64) -> i32 {
    text_width(text, px) + 2
}

fn overlaps(a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

pub(crate) fn radius(evidence: u32) -> i32 {
    4 + (evidence.min(24) as i32) / 4
}

/// Places labels without overlaps: a name where it fits, else a number and a legend entry.
fn place_labels(pixels: &[(i32, i32)], points: &[MapPoint], bounds: (i32, i32, i32, i32), reserved: &[(i32, i32, i32, i32)]) -> Vec<Label> {
    if points.len() > MAP_LABEL_LIMIT {
        return vec![Label::None; points.len()];
    }
    let mut taken: Vec<(i32, i32, i32, i32)> = pixels
        .iter()
        .zip(points)
        .map(|(&(x, y), p)| {
            let r = radius(p.evidence);
            (x - r, y - r, x + r, y + r)
        })
        .collect();
    // The zone names are text on the plot too: labels keep clear of them.
    taken.extend_from_slice(reserved);
    let mut numbered = 0;
    let mut out = Vec::with_capacity(points.len());
    for (i, (&(x, y), p)) in pixels.iter().zip(points).enumerate() {
        let r = radius(p.evidence);
        let try_place = |text: &str, taken: &[(i32, i32, i32, i32)]| -> Option<(i32, i32)> {
            let w = label_width(text, 12.0);
            let h = 14;
            let candidates = [(r + 3, -h / 2), (-w - r - 3, -h / 2), (-w / 2, -r - h - 2), (-w / 2, r + 2)];
            candidates.into_iter().find(|&(dx, dy)| {
                let rect = (x + dx, y + dy, x + dx + w, y + dy + h);
                rect.0 >= bounds.0 && rect.2 <= bounds.2 && rect.1 >= bounds.1 && rect.3 <= bounds.3 && !taken.iter().enumerate().any(|(j, t)| j != i && overlaps(rect, *t))
            })
        };
        if let Some((dx, dy)) = try_place(&p.name, &taken) {
            taken.push((x + dx, y + dy, x + dx + label_width(&p.name, 12.0), y + dy + 14));
            out.push(Label::Name { dx, dy });
            continue;
        }
        numbered += 1;
        let text = numbered.to_string();
        match try_place(&text, &taken) {
            Some((dx, dy)) => {
                taken.push((x + dx, y + dy, x + dx + label_width(&text, 12.0), y + dy + 14));
                out.push(Label::Number { n: numbered, dx, dy });
            }
            // No free spot even for a number: the point is listed under the chart with
            // its scores instead, so no label ever covers another.
            None => {
                numbered -= 1;
                out.push(Label::Listed);
            }
        }
    }
    out
}

fn verdict_color(v: Verdict, theme: Theme) -> RGBColor {
    let p = theme.palette();
    match v {
        Verdict::Expand => p.opportunity,
        Verdict::Hold => p.hold,
        Verdict::Contract => p.warning,
    }
}

/// The org map as an SVG string, with focusable hit areas that carry each point's values.
pub fn org_map(points: &[MapPoint], theme: Theme) -> String {
    org_map_at(points, theme, W, None)
}

/// How much a map gives up to fit a frame's height: 0 nothing; 1 a short key and the
/// legend in as many columns as its entries allow; 2 also a smaller plot and, for units
/// whose name finds no room on it, no numbers but one line saying how many (their names
/// stay in each point's title and the chart's table).
const COMPACT_LEVELS: u8 = 3;

/// The layout, labels and legend of a map at one level of compaction.
fn plan(points: &[MapPoint], theme: Theme, width: u32, height: Option<u32>, level: u8, regions: &MapRegions) -> (Layout, Vec<Label>, Legend, u32) {
    let compact = level >= 1;
    let key_rows = wrap_rows(&key_widths(compact), width as i32 - 40).len() as u32;
    let min_plot = if level >= 2 { 180 } else { 240 };
    let mut layout = Layout { width, plot: (width as f64 * 0.82).clamp(300.0, 900.0) as u32, key_rows, legend_rows: 0, compact };
    let fit_height = |layout: &mut Layout| {
        if let Some(h) = height {
            let below = layout.height() - layout.plot;
            layout.plot = h.saturating_sub(below).max(min_plot);
        }
    };
    fit_height(&mut layout);
    // A first pass finds where points land, so labels and the legend fit the final size;
    // in a frame of fixed height the legend takes room from the plot, so the points
    // move and their labels are placed again.
    let mut bounds = (0, 0, width as i32, layout.plot as i32);
    let mut labels = Vec::new();
    let mut legend = Legend::default();
    let mut legend_cols = (width / 260).max(1);
    for pass in 0..4 {
        let mut pixels = Vec::new();
        let mut reserved = Vec::new();
        let mut scratch = String::new();
        let _ = draw(&mut scratch, points, theme, regions, &[], layout, &mut pixels, &mut bounds, &mut reserved);
        labels = place_labels(&pixels, points, bounds, &reserved);
        if level >= 2 {
            labels = labels.into_iter().map(|l| if matches!(l, Label::Name { .. }) { l } else { Label::None }).collect();
            let unnamed = labels.iter().filter(|l| matches!(l, Label::None)).count();
            let entries = match unnamed {
                0 => Vec::new(),
                1 => vec!["1 unit unnamed: tap or point at it".to_owned()],
                n => vec![format!("{n} units unnamed: tap or point at one")],
            };
            legend = Legend { entries, listed: Vec::new() };
        } else {
            legend = Legend {
                entries: labels
                    .iter()
                    .zip(points)
                    .filter_map(|(l, p)| match l {
                        Label::Number { n, .. } => Some(format!("{n}. {}", p.name)),
                        _ => None,
                    })
                    .collect(),
                listed: labels.iter().zip(points).filter(|(l, _)| matches!(l, Label::Listed)).map(|(_, p)| format!("{} (S {:.0}, A {:.0})", p.name, p.x, p.y)).collect(),
            };
        }
        if level >= 1 {
            legend_cols = ((width - 32) / legend.widest()).clamp(1, 6);
        }
        layout.legend_rows = legend.rows(legend_cols);
        let plot = layout.plot;
        if pass < 3 {
            fit_height(&mut layout);
        }
        if layout.plot == plot {
            break;
        }
    }
    (layout, labels, legend, legend_cols)
}

/// The map's point labels without the promise to open a unit page, where points open
/// nothing (an embed, a map-only link).
pub fn without_unit_pages(svg: String) -> String {
    svg.replace(". Opens the unit page.", ".")
}

/// The org map drawn for a width (and, for a frame it must fill, a height) in CSS pixels,
/// with the regions of the default policy ([`org_map_with`] takes a workspace's).
pub fn org_map_at(points: &[MapPoint], theme: Theme, width: u32, height: Option<u32>) -> String {
    org_map_with(points, theme, width, height, &MapRegions::default())
}

/// The org map with its shaded regions drawn from a policy's margins, the same ones the
/// Overextended and Starved flags use: a point inside a region carries that flag, or
/// (starved with too short a track record) is drawn hollow with the reason in its label.
/// In a frame, the key and the legend are made compact until the map fits its height.
pub fn org_map_with(points: &[MapPoint], theme: Theme, width: u32, height: Option<u32>, regions: &MapRegions) -> String {
    let width = clamp_width(width);
    let mut planned = plan(points, theme, width, height, 0, regions);
    if let Some(h) = height {
        for level in 1..COMPACT_LEVELS {
            if planned.0.height() <= h {
                break;
            }
            planned = plan(points, theme, width, height, level, regions);
        }
    }
    let (layout, labels, legend, legend_cols) = planned;
    let mut bounds = (0, 0, width as i32, layout.plot as i32);
    let mut svg = String::new();
    let mut hits = Vec::new();
    if let Err(e) = draw(&mut svg, points, theme, regions, &labels, layout, &mut hits, &mut bounds, &mut Vec::new()).map_err(|e| e.to_string()) {
        return error_svg(&format!("The org map could not be drawn: {e}"), theme, width);
    }
    let p = theme.palette();
    // The legend and the hit areas are assembled here, every text escaped.
    let mut extra = String::new();
    let text = escape(&rgb(p.text));
    let col_w = (width - 32) / legend_cols;
    for (col, row, entry, heading) in legend.cells(legend_cols) {
        let (class, weight, room) = if heading { ("org-map__legend-heading", " font-weight=\"700\"", width - 32) } else { ("org-map__legend", "", col_w) };
        // Bold text runs wider than the estimate: a tenth more, so the heading is never cut.
        let fits = |t: &str| text_width(t, 12.0) * 11 / 10 <= room as i32 - 8;
        let entry = if heading { std::iter::once(entry).chain(LISTED_HEADING_SHORT).find(|t| fits(t)).unwrap_or(LISTED_HEADING_SHORT[1]) } else { entry };
        extra.push_str(&format!(
            "<text class=\"{class}\" x=\"{}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"12\"{weight} fill=\"{text}\">{}</text>",
            16 + col * col_w,
            layout.legend_top() + 13 + row * ROW_H,
            escape(&fit(entry, 12.0, room as i32 - 8))
        ));
    }
    // One Tab stop for the map, its leftmost point; the arrow keys reach the others
    // (`keys`, and the pages' key handlers).
    let tab_stop = super::first_point(&hits.iter().map(|&(x, y)| (f64::from(x), f64::from(y))).collect::<Vec<_>>());
    extra.push_str("<g class=\"org-map__hits\" role=\"group\" aria-label=\"Units on the map: arrow keys move between them\">");
    for (i, (pt, &(x, y))) in points.iter().zip(&hits).enumerate() {
        let place = match (regions.region(pt.x, pt.y), &pt.withheld) {
            (GapBand::Overextended, _) => "; flagged Overextended".to_owned(),
            (GapBand::Headroom, Some(why)) => format!("; {why}"),
            (GapBand::Headroom, None) => "; flagged Starved".to_owned(),
            (GapBand::Balanced, _) => String::new(),
        };
        let tip = format!("{}: granted A {:.0}, supported S {:.0}, gap {}, {}{place}. Opens the unit page.", pt.name, pt.y, pt.x, regions.gap_text(pt.x, pt.y), pt.verdict.as_str());
        extra.push_str(&format!(
            "<circle class=\"chart__hit\"{} role=\"graphics-symbol\" data-unit=\"{}\" cx=\"{x}\" cy=\"{y}\" r=\"{}\" fill=\"transparent\" tabindex=\"{}\" aria-label=\"{}\"><title>{}</title></circle>",
            if pt.withheld.is_some() { " data-withheld=\"true\"" } else { "" },
            pt.unit.0,
            radius(pt.evidence) + 3,
            if tab_stop == Some(i) { 0 } else { -1 },
            escape(&tip),
            escape(&tip)
        ));
    }
    extra.push_str("</g>");
    let over = points.iter().filter(|p| regions.region(p.x, p.y) == GapBand::Overextended).count();
    let under = points.iter().filter(|p| regions.region(p.x, p.y) == GapBand::Headroom).count();
    let withheld = points.iter().filter(|p| p.withheld.is_some()).count();
    let desc = format!(
        "{} units placed by supported autonomy (x) and granted autonomy (y). {} lie in the overextended region (A − S > {:.0}), {} in the starved region (S − A > {:.0}), of which {} not flagged because the track record is below {:.2}.",
        points.len(),
        over,
        regions.overextended_gap,
        under,
        regions.starved_gap,
        withheld,
        regions.starved_track_record
    );
    finish(svg, "org-map", "Org map: granted against earned autonomy", &desc, &extra)
}

type Pixels = Vec<(i32, i32)>;
/// A region label's lines and the places (top left, in data units) they may take.
type Placings = (Vec<String>, Vec<(f64, f64)>);

#[allow(clippy::too_many_arguments)]
fn draw<'a>(
    svg: &'a mut String,
    points: &[MapPoint],
    theme: Theme,
    regions: &MapRegions,
    labels: &[Label],
    layout: Layout,
    pixels: &mut Pixels,
    bounds: &mut (i32, i32, i32, i32),
    reserved: &mut Vec<(i32, i32, i32, i32)>,
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let p = theme.palette();
    let narrow = layout.narrow();
    let root = SVGBackend::with_string(svg, (layout.width, layout.height())).into_drawing_area();
    root.fill(&p.background)?;
    let (top, _) = root.split_vertically(layout.plot);
    let title = match layout.width {
        w if w >= NARROW => "Org map: granted against earned autonomy",
        w if w >= 400 => "Org map: granted against earned",
        _ => "Org map",
    };
    let caption_px = if narrow { 16 } else { 20 };
    let mut chart = ChartBuilder::on(&top)
        .caption(fit(title, f64::from(caption_px), layout.width as i32 - 32), font(caption_px).color(&p.text))
        .margin(if narrow { 10 } else { 16 })
        // Room for half the last tick label ("100", centred on the plot's right edge) in
        // the widest sans-serif an engine picks (DejaVu Sans in Firefox here).
        .margin_right(16)
        .x_label_area_size(if narrow { 44 } else { 52 })
        .y_label_area_size(if narrow { 50 } else { 60 })
        .build_cartesian_2d(0f64..100f64, 0f64..100f64)?;
    chart
        .configure_mesh()
        .x_labels(if narrow { 6 } else { 11 })
        .y_labels(if layout.plot < 420 { 6 } else { 11 })
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .x_desc(match layout.width {
            w if w >= NARROW => "Supported autonomy S (earned by accountability, 0–100)",
            w if w >= 400 => "Supported autonomy S (earned)",
            _ => "Supported autonomy S",
        })
        .y_desc(if narrow { "Granted autonomy A" } else { "Granted autonomy A (0–100)" })
        .axis_desc_style(font(13).color(&p.text))
        .label_style(font(12).color(&p.muted))
        .bold_line_style(p.grid)
        .light_line_style(TRANSPARENT)
        .axis_style(p.muted)
        .draw()?;
    // The regions are the flags' rules: above A − S = overextended margin, below
    // S − A = starved margin; the band between them is within the policy's margins.
    let (og, sg) = (regions.overextended_gap.clamp(0.0, 100.0), regions.starved_gap.clamp(0.0, 100.0));
    chart.draw_series(std::iter::once(Polygon::new(vec![(0.0, og), (0.0, 100.0), (100.0 - og, 100.0)], p.warning.mix(0.12))))?;
    chart.draw_series(std::iter::once(Polygon::new(vec![(sg, 0.0), (100.0, 0.0), (100.0, 100.0 - sg)], p.opportunity.mix(0.12))))?;
    chart.draw_series(LineSeries::new(vec![(0.0, 0.0), (100.0, 100.0)], p.text.stroke_width(2)))?;
    let zone = font(13).color(&p.muted);
    let short_over = format!("Overextended: A − S > {og:.0}");
    let short_starved = format!("Starved: S − A > {sg:.0}");
    let flagged_if = format!("flagged if track record ≥ {:.2}", regions.starved_track_record);
    // Each region's label in words, then (on a narrow map from the start) in symbols.
    let mut over_texts = vec![vec![short_over.clone()]];
    // Then the rule alone on one line, and last the region's name alone: on a phone's
    // map, or a frame's short one, the two lines may find no place clear of the points
    // where one line does.
    let mut starved_texts = vec![vec![short_starved.clone(), flagged_if.clone()], vec![short_starved.clone()], vec!["Starved".to_owned()]];
    if !narrow {
        over_texts.insert(0, vec![format!("Overextended: granted more than {og:.0} above what is measured (A − S > {og:.0})")]);
        starved_texts.insert(0, vec![format!("Starved: earned more than {sg:.0} above granted (S − A > {sg:.0})"), flagged_if]);
    }
    reserved.clear();
    let plot = chart.plotting_area();
    let (xr, yr) = plot.get_pixel_range();
    let (pw, ph) = (f64::from((xr.end - xr.start).max(1)), f64::from((yr.end - yr.start).max(1)));
    *bounds = (xr.start, yr.start, xr.end, yr.end);
    pixels.clear();
    for pt in points {
        pixels.push(chart.backend_coord(&(pt.x.clamp(0.0, 100.0), pt.y.clamp(0.0, 100.0))));
    }
    // How many points a block of text (top-left at `at`, in data units) would lie over.
    let covered = |lines: &[String], at: (f64, f64)| {
        let (x, y) = chart.backend_coord(&at);
        let w = lines.iter().map(|t| text_width(t, 13.0)).max().unwrap_or(0);
        // With room to spare: the width is an estimate, and fonts differ between engines.
        let (x1, y1) = (x + w + w / 10 + 4, y + 17 * lines.len() as i32);
        pixels
            .iter()
            .zip(points)
            .filter(|(&(px, py), pt)| {
                let r = radius(pt.evidence) + 2;
                px + r >= x && px - r <= x1 && py + r >= y && py - r <= y1
            })
            .count()
    };
    // Of a region's label texts and the places each may take, the first that lies over no
    // point, else the text and place that lie over the fewest: the points are what the
    // map is for.
    let clearest = |variants: Vec<Placings>| {
        variants.iter().find_map(|(lines, places)| places.iter().find(|at| covered(lines, **at) == 0).map(|at| (lines.clone(), *at))).unwrap_or_else(|| {
            let candidates = variants.iter().enumerate().flat_map(|(v, (lines, places))| places.iter().enumerate().map(move |(i, at)| (covered(lines, *at), v, i, lines, *at)));
            candidates.min_by_key(|(n, v, i, _, _)| (*n, *v, *i)).map(|(_, _, _, lines, at)| (lines.clone(), at)).unwrap_or_else(|| (variants[0].0.clone(), (0.0, 0.0)))
        })
    };
    let row = 100.0 * 17.0 / ph;
    let fitted = |lines: &Vec<String>| lines.iter().map(|t| fit(t, 13.0, pw as i32 - 8)).collect::<Vec<_>>();
    // The overextended label: along the top of its region, from the left edge rightwards
    // while it stays in the region, then down the left edge.
    let over_places = |lines: Vec<String>| {
        let w = 100.0 * f64::from(text_width(&lines[0], 13.0) + 8) / pw;
        let mut places = vec![(3.0, 97.0)];
        places.extend((1..).map(|k| 3.0 + 2.0 * f64::from(k)).take_while(|x| x + w <= 100.0 - og).map(|x| (x, 97.0)));
        places.extend((1..).map(|k| 97.0 - row * f64::from(k)).take_while(|y| y - row >= og + 3.0 + w).map(|y| (3.0, y)));
        (lines, places)
    };
    let (over, over_at) = clearest(over_texts.iter().map(fitted).map(over_places).collect());
    // The starved label: in the lower right corner, right-aligned by its width, or further
    // left along the bottom while it stays in the region, then up the right edge.
    let bottom = 100.0 * (f64::from(17 * 2 + 6) / ph);
    let starved_places = |lines: Vec<String>| {
        let widest = lines.iter().map(|t| text_width(t, 13.0)).max().unwrap_or(0);
        let right = (100.0 * (1.0 - f64::from(widest + 8) / pw)).max(0.0);
        let mut places: Vec<(f64, f64)> = std::iter::once(right).chain((1..).map(|k| right - 2.0 * f64::from(k)).take_while(|x| *x >= sg + bottom)).map(|x| (x, bottom)).collect();
        places.extend((1..).map(|k| bottom + row * f64::from(k) / 2.0).take_while(|y| *y <= right - sg).map(|y| (right, y)));
        (lines, places)
    };
    let (starved, starved_at) = clearest(starved_texts.iter().map(fitted).map(starved_places).collect());
    let zones = std::iter::once((over[0].clone(), over_at)).chain(starved.iter().enumerate().map(|(i, t)| (t.clone(), (starved_at.0, starved_at.1 - row * i as f64))));
    for (text, at) in zones {
        chart.draw_series(std::iter::once(Text::new(text.clone(), at, zone.clone())))?;
        let (x, y) = chart.backend_coord(&at);
        reserved.push((x - 2, y - 2, x + text_width(&text, 13.0) + 2, y + 17));
    }

    for (i, pt) in points.iter().enumerate() {
        let color = verdict_color(pt.verdict, theme);
        let r = radius(pt.evidence);
        let at = (pt.x.clamp(0.0, 100.0), pt.y.clamp(0.0, 100.0));
        let label_style = font(12).color(&p.text);
        if pt.withheld.is_some() {
            // A flag withheld: hollow, outlined in the verdict's colour.
            if pt.leader {
                chart.draw_series(std::iter::once(EmptyElement::at(at) + Rectangle::new([(-r, -r), (r, r)], p.background.filled()) + Rectangle::new([(-r, -r), (r, r)], color.stroke_width(2))))?;
            } else {
                chart.draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), r, p.background.filled()) + Circle::new((0, 0), r, color.stroke_width(2))))?;
            }
        } else if pt.leader {
            chart.draw_series(std::iter::once(EmptyElement::at(at) + Rectangle::new([(-r, -r), (r, r)], color.mix(0.85).filled()) + Rectangle::new([(-r, -r), (r, r)], p.text.stroke_width(1))))?;
        } else {
            chart.draw_series(std::iter::once(EmptyElement::at(at) + Circle::new((0, 0), r, color.mix(0.85).filled()) + Circle::new((0, 0), r, p.background.stroke_width(1))))?;
        }
        match labels.get(i) {
            Some(Label::Name { dx, dy }) => {
                chart.draw_series(std::iter::once(EmptyElement::at(at) + Text::new(pt.name.clone(), (*dx, *dy), label_style)))?;
            }
            Some(Label::Number { n, dx, dy }) => {
                chart.draw_series(std::iter::once(EmptyElement::at(at) + Text::new(n.to_string(), (*dx, *dy), label_style)))?;
            }
            _ => {}
        }
    }
    // Key of colours and shapes, under the chart so it never hides a point, wrapped to the width.
    let small = font(12).color(&p.text);
    let colours = [p.opportunity, p.hold, p.warning];
    let widths = key_widths(layout.compact);
    let key = key(layout.compact);
    for (row, members) in wrap_rows(&widths, layout.width as i32 - 40).into_iter().enumerate() {
        let y = layout.key_top() + row as i32 * ROW_H as i32;
        let mut x = 20;
        for i in members {
            match i {
                0 => {
                    root.draw(&PathElement::new(vec![(x, y + 11), (x + 16, y + 1)], p.text.stroke_width(2)))?;
                    root.draw(&Text::new(key[i], (x + 24, y - 1), small.clone()))?;
                }
                1..=3 => {
                    root.draw(&Circle::new((x + 5, y + 6), 5, colours[i - 1].filled()))?;
                    root.draw(&Text::new(key[i], (x + 14, y - 1), small.clone()))?;
                }
                4 => {
                    root.draw(&Rectangle::new([(x, y + 1), (x + 10, y + 11)], p.muted.filled()))?;
                    root.draw(&Text::new(key[i], (x + 14, y - 1), small.clone()))?;
                }
                5 => {
                    root.draw(&Circle::new((x + 5, y + 6), 5, p.muted.filled()))?;
                    root.draw(&Text::new(key[i], (x + 14, y - 1), small.clone()))?;
                }
                6 => {
                    root.draw(&Circle::new((x + 5, y + 6), 4, p.muted.stroke_width(2)))?;
                    root.draw(&Text::new(key[i], (x + 14, y - 1), small.clone()))?;
                }
                _ => root.draw(&Text::new(key[i], (x, y - 1), small.clone()))?,
            }
            x += widths[i];
        }
    }
    root.present()?;
    Ok(())
}

/// A chart-sized SVG that says what went wrong (escaped).
/// The message wraps to the width, so nothing is cut off.
pub(crate) fn error_svg(message: &str, theme: Theme, width: u32) -> String {
    let p = theme.palette();
    let width = clamp_width(width);
    let per_line = ((width as f64 - 20.0) / (14.0 * 0.6)).floor().max(10.0) as usize;
    let mut lines: Vec<String> = Vec::new();
    for word in message.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= per_line => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    let height = 24 + 20 * lines.len() as u32;
    let body: String =
        lines.iter().enumerate().map(|(i, l)| format!("<text x=\"10\" y=\"{}\" font-family=\"{FONT}\" font-size=\"14\" fill=\"{}\">{}</text>", 28 + 20 * i, rgb(p.text), escape(l))).collect();
    format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\">{body}</svg>", escape(message))
}
