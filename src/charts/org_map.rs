//! The org map, Latitude's signature view: each unit at x = S (earned by accountability),
//! y = A (granted). The diagonal is the law; above it overextended, below it starved.

use plotters::prelude::*;

use super::{escape, finish, Theme, FONT};
use crate::core::series::MapPoint;
use crate::core::Verdict;

/// Up to this many units get labels on the map; beyond it the table carries the names.
pub const MAP_LABEL_LIMIT: usize = 30;

const W: u32 = 760;
const H: u32 = 640;
/// Height of the key row under the chart.
const KEY_H: u32 = 26;

/// Where a point's label went.
#[derive(Clone)]
enum Label {
    Name { dx: i32, dy: i32 },
    Number { n: usize, dx: i32, dy: i32 },
    None,
}

fn label_width(text: &str, px: f64) -> i32 {
    (text.chars().count() as f64 * px * 0.58).ceil() as i32 + 2
}

fn overlaps(a: (i32, i32, i32, i32), b: (i32, i32, i32, i32)) -> bool {
    a.0 < b.2 && b.0 < a.2 && a.1 < b.3 && b.1 < a.3
}

pub(crate) fn radius(evidence: u32) -> i32 {
    4 + (evidence.min(24) as i32) / 4
}

/// Places labels without overlaps: a name where it fits, else a number and a legend entry.
fn place_labels(pixels: &[(i32, i32)], points: &[MapPoint], bounds: (i32, i32, i32, i32)) -> Vec<Label> {
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
            None => out.push(Label::Number { n: numbered, dx: r + 2, dy: -r - 12 }),
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
    // A first pass finds where points land, so labels and the legend fit the final one.
    let mut pixels = Vec::new();
    let mut bounds = (0, 0, W as i32, H as i32);
    let mut scratch = String::new();
    let _ = draw(&mut scratch, points, theme, &[], 0, &mut pixels, &mut bounds);
    let labels = place_labels(&pixels, points, bounds);
    let legend: Vec<(usize, &str)> = labels
        .iter()
        .zip(points)
        .filter_map(|(l, p)| match l {
            Label::Number { n, .. } => Some((*n, p.name.as_str())),
            _ => None,
        })
        .collect();
    let legend_rows = legend.len().div_ceil(2) as u32;
    let mut svg = String::new();
    let mut hits = Vec::new();
    if let Err(e) = draw(&mut svg, points, theme, &labels, legend_rows, &mut hits, &mut bounds).map_err(|e| e.to_string()) {
        return error_svg(&format!("The org map could not be drawn: {e}"), theme);
    }
    let p = theme.palette();
    // The numbered legend and the hit areas are assembled here, every text escaped.
    let mut extra = String::new();
    let text = super::escape(&format!("rgb({},{},{})", p.text.0, p.text.1, p.text.2));
    for (k, (n, name)) in legend.iter().enumerate() {
        let col = (k % 2) as u32;
        let row = (k / 2) as u32;
        extra.push_str(&format!(
            "<text class=\"org-map__legend\" x=\"{}\" y=\"{}\" font-family=\"{FONT}\" font-size=\"12\" fill=\"{text}\">{n}. {}</text>",
            24 + col * (W / 2),
            H + KEY_H + 14 + row * 16,
            escape(name)
        ));
    }
    extra.push_str("<g class=\"org-map__hits\">");
    for (pt, &(x, y)) in points.iter().zip(&hits) {
        let tip = format!("{}: granted A {:.0}, supported S {:.0}, gap {:+.0}, {}", pt.name, pt.y, pt.x, pt.y - pt.x, pt.verdict.as_str());
        extra.push_str(&format!(
            "<circle class=\"chart__hit\" data-unit=\"{}\" cx=\"{x}\" cy=\"{y}\" r=\"{}\" fill=\"transparent\" tabindex=\"0\" aria-label=\"{}\"><title>{}</title></circle>",
            pt.unit.0,
            radius(pt.evidence) + 3,
            escape(&tip),
            escape(&tip)
        ));
    }
    extra.push_str("</g>");
    let over = points.iter().filter(|p| p.y - p.x > 15.0).count();
    let under = points.iter().filter(|p| p.x - p.y > 15.0).count();
    let desc = format!("{} units placed by supported autonomy (x) and granted autonomy (y). {} lie well above the diagonal (overextended), {} well below it (starved).", points.len(), over, under);
    finish(svg, "org-map", "Org map: granted against earned autonomy", &desc, &extra)
}

type Pixels = Vec<(i32, i32)>;

fn draw<'a>(
    svg: &'a mut String,
    points: &[MapPoint],
    theme: Theme,
    labels: &[Label],
    legend_rows: u32,
    pixels: &mut Pixels,
    bounds: &mut (i32, i32, i32, i32),
) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let p = theme.palette();
    let height = H + KEY_H + if legend_rows > 0 { 8 + legend_rows * 16 } else { 0 };
    let root = SVGBackend::with_string(svg, (W, height)).into_drawing_area();
    root.fill(&p.background)?;
    let (top, _) = root.split_vertically(H);
    let mut chart = ChartBuilder::on(&top)
        .caption("Org map: granted against earned autonomy", (FONT, 20).into_font().color(&p.text))
        .margin(16)
        .x_label_area_size(52)
        .y_label_area_size(60)
        .build_cartesian_2d(0f64..100f64, 0f64..100f64)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|v| format!("{v:.0}"))
        .y_label_formatter(&|v| format!("{v:.0}"))
        .x_desc("Supported autonomy S (earned by accountability, 0–100)")
        .y_desc("Granted autonomy A (0–100)")
        .axis_desc_style((FONT, 14).into_font().color(&p.text))
        .label_style((FONT, 12).into_font().color(&p.muted))
        .bold_line_style(p.grid)
        .light_line_style(TRANSPARENT)
        .axis_style(p.muted)
        .draw()?;
    chart.draw_series(std::iter::once(Polygon::new(vec![(0.0, 0.0), (0.0, 100.0), (100.0, 100.0)], p.warning.mix(0.10))))?;
    chart.draw_series(std::iter::once(Polygon::new(vec![(0.0, 0.0), (100.0, 0.0), (100.0, 100.0)], p.opportunity.mix(0.10))))?;
    chart.draw_series(LineSeries::new(vec![(0.0, 0.0), (100.0, 100.0)], p.text.stroke_width(2)))?;
    let zone = (FONT, 13).into_font().color(&p.muted);
    chart.draw_series(std::iter::once(Text::new("Overextended: granted beyond what is measured", (3.0, 96.0), zone.clone())))?;
    chart.draw_series(std::iter::once(Text::new("Starved: earned more than granted", (52.0, 30.0), zone)))?;
    chart.draw_series(std::iter::once(Text::new(
        "The law: A = S",
        (91.0, 96.5),
        (FONT, 14).into_font().color(&p.text).pos(plotters::style::text_anchor::Pos::new(plotters::style::text_anchor::HPos::Right, plotters::style::text_anchor::VPos::Center)),
    )))?;

    let plot = chart.plotting_area();
    let (xr, yr) = plot.get_pixel_range();
    *bounds = (xr.start, yr.start, xr.end, yr.end);
    pixels.clear();
    for pt in points {
        pixels.push(chart.backend_coord(&(pt.x.clamp(0.0, 100.0), pt.y.clamp(0.0, 100.0))));
    }
    for (i, pt) in points.iter().enumerate() {
        let color = verdict_color(pt.verdict, theme);
        let r = radius(pt.evidence);
        let at = (pt.x.clamp(0.0, 100.0), pt.y.clamp(0.0, 100.0));
        let label_style = (FONT, 12).into_font().color(&p.text);
        if pt.leader {
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
    // Key of colours and shapes, in a row under the chart so it never hides a point.
    let small = (FONT, 12).into_font().color(&p.text);
    let y = H as i32 + 8;
    let key: [(RGBColor, &str); 3] = [(p.opportunity, "Expand"), (p.hold, "Hold"), (p.warning, "Contract")];
    let mut x = 24;
    for (c, name) in key.iter() {
        root.draw(&Circle::new((x + 5, y + 6), 5, c.filled()))?;
        root.draw(&Text::new(*name, (x + 14, y - 1), small.clone()))?;
        x += 86;
    }
    root.draw(&Rectangle::new([(x, y + 1), (x + 10, y + 11)], p.muted.filled()))?;
    root.draw(&Text::new("Leader", (x + 15, y - 1), small.clone()))?;
    x += 70;
    root.draw(&Circle::new((x + 5, y + 6), 5, p.muted.filled()))?;
    root.draw(&Text::new("Individual or team", (x + 14, y - 1), small.clone()))?;
    x += 150;
    root.draw(&Text::new("Size: how much evidence", (x, y - 1), small))?;
    root.present()?;
    Ok(())
}

/// A chart-sized SVG that says what went wrong (escaped).
pub(crate) fn error_svg(message: &str, theme: Theme) -> String {
    let p = theme.palette();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 600 80\" role=\"img\" aria-label=\"{m}\"><text x=\"10\" y=\"40\" font-family=\"{FONT}\" font-size=\"14\" fill=\"rgb({},{},{})\">{m}</text></svg>",
        p.text.0,
        p.text.1,
        p.text.2,
        m = escape(message)
    )
}
