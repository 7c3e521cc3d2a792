//! Rigor breakdown: the six components of a unit's (or the org's) accountability
//! system as bars from 0 to 1, with the policy weights beside their names.

use plotters::prelude::*;

use super::org_map::error_svg;
use super::{clamp_width, finish, fit, font, Theme, NARROW};
use crate::core::score::Rigor;

/// Width the CLI and tests draw at when no width is given.
const W: u32 = 640;

pub fn rigor_breakdown(name: &str, rigor: &Rigor, theme: Theme) -> String {
    rigor_breakdown_at(name, rigor, theme, W)
}

/// [`rigor_breakdown`] drawn for a width in CSS pixels.
pub fn rigor_breakdown_at(name: &str, rigor: &Rigor, theme: Theme, width: u32) -> String {
    let width = clamp_width(width);
    let mut svg = String::new();
    if let Err(e) = draw(&mut svg, name, rigor, theme, width).map_err(|e| e.to_string()) {
        return error_svg(&format!("The rigor chart could not be drawn: {e}"), theme, width);
    }
    let desc: Vec<String> = rigor.components.iter().map(|c| format!("{} {:.2} (weight {:.2}{})", c.kind.label(), c.value, c.weight, if c.measured { "" } else { ", not yet measurable" })).collect();
    let title = format!("Rigor of {name}: {:.2}", rigor.value);
    finish(svg, "rigor-chart", &title, &desc.join("; "), "")
}

fn draw<'a>(svg: &'a mut String, name: &str, rigor: &Rigor, theme: Theme, width: u32) -> Result<(), Box<dyn std::error::Error + 'a>> {
    let p = theme.palette();
    let narrow = width < NARROW;
    let root = SVGBackend::with_string(svg, (width, if narrow { 320 } else { 340 })).into_drawing_area();
    root.fill(&p.background)?;
    // Names with their weights where there is room; on a phone the weights stay in the
    // text alternative and the description.
    let label_area = if narrow { 116 } else { 190 };
    let labels: Vec<String> =
        rigor.components.iter().map(|c| if narrow { c.kind.label().to_owned() } else { format!("{} (w {:.2})", c.kind.label(), c.weight) }).map(|l| fit(&l, 12.0, label_area - 12)).collect();
    let caption_px = if narrow { 16 } else { 18 };
    let mut chart = ChartBuilder::on(&root)
        .caption(fit(&format!("Rigor of {name}: {:.2}", rigor.value), f64::from(caption_px), width as i32 - 28), font(caption_px).color(&p.text))
        .margin(14)
        .x_label_area_size(40)
        .y_label_area_size(label_area)
        .build_cartesian_2d(0f64..if narrow { 1.3 } else { 1.12 }, -0.5f64..5.5f64)?;
    let label_of = |y: &f64| -> String {
        let i = y.round();
        if (y - i).abs() > 0.01 || !(0.0..6.0).contains(&i) {
            return String::new();
        }
        labels.get(5 - i as usize).cloned().unwrap_or_default()
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(6)
        .y_label_formatter(&label_of)
        .x_labels(if narrow { 3 } else { 6 })
        .x_label_formatter(&|v| if *v <= 1.0 + 1e-9 { format!("{v:.1}") } else { String::new() })
        .x_desc(if narrow { "Score (0–1)" } else { "Component score (0 = absent, 1 = full)" })
        .axis_desc_style(font(13).color(&p.text))
        .label_style(font(12).color(&p.text))
        .bold_line_style(p.grid)
        .light_line_style(TRANSPARENT)
        .axis_style(p.muted)
        .draw()?;
    for (i, c) in rigor.components.iter().enumerate() {
        let y = 5.0 - i as f64;
        let color = if !c.measured {
            p.muted
        } else if c.value < 0.5 {
            p.warning
        } else {
            p.granted
        };
        chart.draw_series(std::iter::once(Rectangle::new([(0.0, y - 0.32), (c.value.clamp(0.0, 1.0), y + 0.32)], color.mix(0.9).filled())))?;
        let text = if c.measured { format!("{:.2}", c.value) } else { "not yet".to_owned() };
        let at = (c.value.clamp(0.0, 1.0) + 0.012, y);
        chart.draw_series(std::iter::once(Text::new(
            text,
            at,
            font(12).color(&p.text).pos(plotters::style::text_anchor::Pos::new(plotters::style::text_anchor::HPos::Left, plotters::style::text_anchor::VPos::Center)),
        )))?;
    }
    root.present()?;
    Ok(())
}
