//! Charts: pure functions from scores and series to SVG strings, drawn with plotters'
//! SVG backend so they render the same in the browser, the CLI and native tests.
//!
//! Text from users (unit names) reaches SVG through plotters, which escapes it, or
//! through [`escape`]: no markup here is assembled from raw input.

mod org_map;
mod rigor;
mod trend;

pub use org_map::{org_map, MAP_LABEL_LIMIT};
pub use rigor::rigor_breakdown;
pub use trend::{felt_vs_earned, sparkline, trend_events, unit_trend, EventKind, TrendEvent};

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

/// An axis label for a day number: the month it falls in.
pub(crate) fn month_label(x: &i64) -> String {
    match Date::from_julian_day(*x as i32) {
        Ok(d) => format!("{}-{:02}", d.year(), u8::from(d.month())),
        Err(_) => String::new(),
    }
}

/// Font family used in every chart.
pub(crate) const FONT: &str = "sans-serif";
