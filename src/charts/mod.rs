//! Charts: pure functions from scores and series to SVG strings, drawn with plotters'
//! SVG backend so they render the same in the browser, the CLI and native tests.
//!
//! Text from users (unit names) reaches SVG through plotters, which escapes it, or
//! through [`escape`]: no markup here is assembled from raw input.

mod keys;
mod org_map;
mod rigor;
mod trend;

mod ticks;

pub use keys::{first_point, step_among};
pub use org_map::{org_map, org_map_at, org_map_with, without_unit_pages, MAP_LABEL_LIMIT};
pub use rigor::{rigor_breakdown, rigor_breakdown_at};
pub use ticks::time_ticks;
pub use trend::{felt_vs_earned, felt_vs_earned_at, sparkline, trend_events, unit_trend, unit_trend_at, EventKind, TrendEvent};

use plotters::style::RGBColor;
use time::Date;

/// Light or dark, following the page's theme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

/// One visual language: the Okabe–Ito palette (safe for colour-blindness and
/// projectors) on a light or dark ground.
pub struct Palette {
    pub background: RGBColor,
    pub text: RGBColor,
    pub muted: RGBColor,
    pub grid: RGBColor,
    pub granted: RGBColor,
    pub supported: RGBColor,
    pub delivered: RGBColor,
    pub rigor: RGBColor,
    pub felt: RGBColor,
    pub warning: RGBColor,
    pub opportunity: RGBColor,
    pub hold: RGBColor,
}

impl Theme {
    pub fn palette(self) -> Palette {
        match self {
            Theme::Light => Palette {
                background: RGBColor(255, 255, 255),
                text: RGBColor(26, 26, 26),
                muted: RGBColor(90, 90, 90),
                grid: RGBColor(225, 225, 225),
                granted: RGBColor(0, 114, 178),
                supported: RGBColor(213, 94, 0),
                delivered: RGBColor(0, 130, 95),
                rigor: RGBColor(160, 70, 130),
                felt: RGBColor(150, 110, 0),
                warning: RGBColor(213, 94, 0),
                opportunity: RGBColor(0, 158, 115),
                hold: RGBColor(0, 114, 178),
            },
            Theme::Dark => Palette {
                background: RGBColor(22, 24, 29),
                text: RGBColor(235, 235, 235),
                muted: RGBColor(170, 170, 170),
                grid: RGBColor(55, 58, 66),
                granted: RGBColor(86, 180, 233),
                supported: RGBColor(240, 150, 60),
                delivered: RGBColor(60, 200, 150),
                rigor: RGBColor(204, 121, 167),
                felt: RGBColor(240, 228, 66),
                warning: RGBColor(240, 120, 60),
                opportunity: RGBColor(60, 200, 150),
                hold: RGBColor(86, 180, 233),
            },
        }
    }
}

/// Escapes text for SVG/HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Gives the SVG an accessible name and description, and a class for styling.
/// Everything inserted is escaped.
pub(crate) fn finish(svg: String, class: &str, title: &str, desc: &str, extra: &str) -> String {
    let Some(open_end) = svg.find('>') else { return svg };
    let mut out = String::with_capacity(svg.len() + extra.len() + 256);
    let open = &svg[..open_end];
    out.push_str(open);
    out.push_str(&format!(" role=\"img\" class=\"chart {}\" aria-label=\"{}\">", escape(class), escape(title)));
    out.push_str(&format!("<title>{}</title><desc>{}</desc>", escape(title), escape(desc)));
    let close = svg.rfind("</svg>").unwrap_or(svg.len());
    out.push_str(&svg[open_end + 1..close]);
    out.push_str(extra);
    out.push_str("</svg>\n");
    out
}

/// A date as a number on a chart axis.
pub(crate) fn day_number(d: Date) -> i64 {
    i64::from(d.to_julian_day())
}

/// Charts are drawn for the width they are shown at, in CSS pixels, so that one unit of
/// the view box is one pixel on screen and text keeps its size. Narrower than this they
/// are drawn at this width and scaled down; wider than the maximum, scaled up.
pub const MIN_WIDTH: u32 = 240;
pub const MAX_WIDTH: u32 = 2400;
/// Below this width charts use their compact layout (shorter titles and key rows).
pub(crate) const NARROW: u32 = 560;

pub(crate) fn clamp_width(width: u32) -> u32 {
    width.clamp(MIN_WIDTH, MAX_WIDTH)
}

/// Estimated width of a text in pixels at a font size (sans-serif, a generous average).
pub(crate) fn text_width(text: &str, px: f64) -> i32 {
    (text.chars().count() as f64 * px * 0.6).ceil() as i32
}

/// Shortens a text with an ellipsis so it fits `width` pixels at `px`.
pub(crate) fn fit(text: &str, px: f64, width: i32) -> String {
    if text_width(text, px) <= width {
        return text.to_owned();
    }
    let keep = ((width as f64 / (px * 0.6)).floor() as usize).saturating_sub(1).max(1);
    let mut out: String = text.chars().take(keep).collect();
    out.push('…');
    out
}

/// Splits entries of given widths into rows that fit `width` (each row keeps its order).
pub(crate) fn wrap_rows(widths: &[i32], width: i32) -> Vec<Vec<usize>> {
    let mut rows: Vec<Vec<usize>> = Vec::new();
    let mut used = 0;
    for (i, w) in widths.iter().enumerate() {
        match rows.last_mut() {
            Some(row) if used + w <= width => {
                row.push(i);
                used += w;
            }
            _ => {
                rows.push(vec![i]);
                used = *w;
            }
        }
    }
    rows
}

/// The same chart with a heading band on top (workspace name and date, for files that
/// leave the app: exports and images pasted into wikis). The heading is escaped.
pub fn with_heading(svg: &str, heading: &str, theme: Theme) -> String {
    let (w, h, body) = unwrapped(svg);
    let band = 34;
    let p = theme.palette();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{}\" viewBox=\"0 0 {w} {}\" role=\"img\" aria-label=\"{}\"><title>{}</title>\
         <rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{band}\" fill=\"{}\"/>\
         <text x=\"14\" y=\"22\" font-family=\"{FONT}\" font-size=\"15\" font-weight=\"bold\" fill=\"{}\">{}</text>\
         <svg x=\"0\" y=\"{band}\" width=\"{w}\" height=\"{h}\">{}</svg></svg>\n",
        h + band,
        h + band,
        escape(heading),
        escape(heading),
        rgb(p.background),
        rgb(p.text),
        escape(&fit(heading, 15.0, w as i32 - 28)),
        body,
    )
}

/// An SVG's declared width and height, and what its root element holds.
fn unwrapped(svg: &str) -> (u32, u32, &str) {
    let (w, h) = svg_size(svg).unwrap_or((760, 480));
    let inner = svg.trim().strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").unwrap_or(svg.trim());
    (w, h, inner.split_once('>').map(|(_, rest)| rest.rsplit_once("</svg>").map(|(body, _)| body).unwrap_or(rest)).unwrap_or(""))
}

/// `svg` with a line of small print under it (what a table's short headings mean).
pub fn with_footnote(svg: &str, note: &str, theme: Theme) -> String {
    let (w, h, body) = unwrapped(svg);
    let band = 26;
    let p = theme.palette();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{}\" viewBox=\"0 0 {w} {}\" role=\"img\">\
         <rect x=\"0\" y=\"0\" width=\"{w}\" height=\"{}\" fill=\"{}\"/><svg x=\"0\" y=\"0\" width=\"{w}\" height=\"{h}\">{body}</svg>\
         <text x=\"14\" y=\"{}\" font-family=\"{FONT}\" font-size=\"12\" fill=\"{}\">{}</text></svg>\n",
        h + band,
        h + band,
        h + band,
        rgb(p.background),
        h + 17,
        rgb(p.muted),
        escape(&fit(note, 12.0, w as i32 - 28)),
    )
}

/// The width and height an SVG string declares on its root element.
pub fn svg_size(svg: &str) -> Option<(u32, u32)> {
    let open = &svg[svg.find("<svg")?..];
    let open = &open[..open.find('>')?];
    let attr = |name: &str| -> Option<u32> {
        let at = open.find(&format!(" {name}=\""))? + name.len() + 3;
        open[at..].split('"').next()?.trim_end_matches("px").parse::<f64>().ok().map(|v| v.round() as u32)
    };
    Some((attr("width")?, attr("height")?))
}

pub(crate) fn rgb(c: RGBColor) -> String {
    format!("rgb({},{},{})", c.0, c.1, c.2)
}

/// A table drawn as an SVG picture (the scoreboard as an image for wikis that take no
/// frames): a title line, a header row and one row per entry. Columns listed in
/// `numeric` are right-aligned. Every text is escaped.
pub fn table_image(title: &str, headings: &[&str], rows: &[Vec<String>], numeric: &[usize], theme: Theme, width: u32) -> String {
    let p = theme.palette();
    let px = 13.0;
    let cols = headings.len().max(1);
    // Column widths from their longest text, then scaled to the width if too wide.
    let mut widths: Vec<i32> =
        (0..cols).map(|c| rows.iter().map(|r| r.get(c).map(|t| text_width(t, px)).unwrap_or(0)).chain(std::iter::once(text_width(headings[c], px))).max().unwrap_or(40) + 16).collect();
    let natural: i32 = widths.iter().sum::<i32>().max(text_width(title, 16.0) + 8);
    // A picture that leaves the app keeps its whole title (name and date) and every column.
    let width = (clamp_width(width) as i32).max((natural + 16).min(MAX_WIDTH as i32));
    let spare = width - 16 - widths.iter().sum::<i32>();
    if spare > 0 {
        widths[0] += spare;
    }
    let row_h = 24;
    let top = 40;
    let height = top + row_h * (rows.len() as i32 + 1) + 10;
    let mut out = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{t}\"><title>{t}</title>\
         <rect width=\"{width}\" height=\"{height}\" fill=\"{}\"/><text x=\"8\" y=\"24\" font-family=\"{FONT}\" font-size=\"16\" font-weight=\"bold\" fill=\"{}\">{}</text>",
        rgb(p.background),
        rgb(p.text),
        escape(&fit(title, 16.0, width - 16)),
        t = escape(title),
    );
    let line = |out: &mut String, cells: &[String], y: i32, bold: bool| {
        let mut x = 8;
        for (c, w) in widths.iter().enumerate() {
            let text = cells.get(c).map(String::as_str).unwrap_or("");
            let right = numeric.contains(&c);
            let at = if right { x + w - 8 } else { x };
            out.push_str(&format!(
                "<text x=\"{at}\" y=\"{y}\" font-family=\"{FONT}\" font-size=\"{px}\"{}{} fill=\"{}\">{}</text>",
                if right { " text-anchor=\"end\"" } else { "" },
                if bold { " font-weight=\"bold\"" } else { "" },
                rgb(p.text),
                escape(&fit(text, px, w - 8))
            ));
            x += w;
        }
    };
    let head: Vec<String> = headings.iter().map(|h| h.to_string()).collect();
    line(&mut out, &head, top + 16, true);
    out.push_str(&format!("<line x1=\"8\" x2=\"{}\" y1=\"{}\" y2=\"{}\" stroke=\"{}\"/>", width - 8, top + row_h - 2, top + row_h - 2, rgb(p.muted)));
    for (i, r) in rows.iter().enumerate() {
        let y = top + row_h * (i as i32 + 1);
        if i % 2 == 1 {
            out.push_str(&format!("<rect x=\"4\" y=\"{}\" width=\"{}\" height=\"{row_h}\" fill=\"{}\"/>", y, width - 8, rgb(p.grid)));
        }
        line(&mut out, r, y + 16, false);
    }
    out.push_str("</svg>\n");
    out
}

/// Font family used in every chart.
pub(crate) const FONT: &str = "sans-serif";

/// The chart font at a size in CSS pixels. plotters' SVG backend writes a font's size
/// divided by 1.24 (it takes sizes in points), so this multiplies it back: a chart
/// drawn for its width shows text at exactly this size.
pub(crate) fn font(px: impl Into<f64>) -> plotters::style::FontDesc<'static> {
    plotters::style::FontDesc::new(plotters::style::FontFamily::SansSerif, px.into() * 1.24, plotters::style::FontStyle::Normal)
}
