//! The closing page: a one-page summary of the workshop — date, participants, the
//! agreed levels per unit and area with the vote spread, step 4's results, the map,
//! the verdicts and the actions with owners — that prints on one page (style/print.css), exports as a
//! picture (SVG or PNG, as the share panel's images) and as Markdown
//! ([`crate::core::workshop::summary_markdown`]) to copy or download.

use leptos::prelude::*;

use super::map::scoped_map;
use super::session::{with_session, with_session_untracked, DayScores};
use crate::charts::{self, Theme};
use crate::core::workshop::{results_summary, round_summary, summary_markdown, WorkshopId, WorkshopSession};
use crate::core::*;
use crate::ui::browser;
use crate::ui::state::{use_app, AppCtx};
use crate::ui::widgets::export_png;

/// Each round: unit, area, agreed, votes, spread, median.
fn round_rows(w: &Workspace, s: &WorkshopSession) -> Vec<Vec<String>> {
    s.rounds.iter().map(|r| round_summary(w, s, r).to_vec()).collect()
}

/// Each result of step 4: unit, result, aim, reached.
fn result_rows(w: &Workspace, s: &WorkshopSession) -> Vec<Vec<String>> {
    results_summary(w, s).into_iter().map(|r| r.to_vec()).collect()
}

/// "Results from 2026-07-01 to 2026-09-30".
fn results_title(s: &WorkshopSession) -> String {
    format!("Results from {} to {}", format_date(s.results_period.from), format_date(s.results_period.to))
}

const RESULT_HEADINGS: [&str; 4] = ["Unit", "Result", "Aim", "Reached"];

/// Each agreed action (or a verdict without actions, or a unit in scope without a
/// verdict): unit, verdict, action, owner, due.
fn action_rows(w: &Workspace, s: &WorkshopSession) -> Vec<Vec<String>> {
    s.outcomes
        .iter()
        .flat_map(|o| {
            let unit = w.unit_name(o.unit).to_owned();
            let verdict = o.verdict.as_str().to_owned();
            // The note agreed with the verdict, once, on the unit's first row.
            let first = if o.note.trim().is_empty() { verdict.clone() } else { format!("{verdict}: {}", o.note.trim()) };
            if o.actions.is_empty() {
                return vec![vec![unit, first, "no actions".into(), String::new(), String::new()]];
            }
            o.actions
                .iter()
                .enumerate()
                .map(|(i, a)| {
                    // A done action says so beside its due day (marked on the to-do list).
                    let due = match (a.due, a.done) {
                        (Some(d), Some(done)) => format!("{}, done {}", format_date(d), format_date(done)),
                        (None, Some(done)) => format!("done {}", format_date(done)),
                        (due, None) => due.map(format_date).unwrap_or_default(),
                    };
                    vec![unit.clone(), if i == 0 { first.clone() } else { verdict.clone() }, a.text.to_string(), a.owner.to_string(), due]
                })
                .collect()
        })
        // Units in scope left without a verdict stay on the page, said so.
        .chain(s.units_without_outcome().into_iter().map(|u| vec![w.unit_name(u).to_owned(), "no verdict agreed".into(), String::new(), String::new(), String::new()]))
        .collect()
}

/// SVG pictures one above the other, on one background.
fn stack(parts: &[String], theme: Theme) -> String {
    let sizes: Vec<(u32, u32)> = parts.iter().map(|p| charts::svg_size(p).unwrap_or((760, 200))).collect();
    let width = sizes.iter().map(|s| s.0).max().unwrap_or(760);
    let height: u32 = sizes.iter().map(|s| s.1 + 12).sum();
    let mut out = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">");
    let bg = theme.palette().background;
    out.push_str(&format!("<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"rgb({},{},{})\"/>", bg.0, bg.1, bg.2));
    let mut y = 0;
    for (p, (w, h)) in parts.iter().zip(&sizes) {
        let inner = p.trim().strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>").unwrap_or(p.trim());
        let body = inner.split_once('>').map(|(_, rest)| rest.rsplit_once("</svg>").map(|(b, _)| b).unwrap_or(rest)).unwrap_or("");
        out.push_str(&format!("<svg x=\"0\" y=\"{y}\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\">{body}</svg>"));
        y += h + 12;
    }
    out.push_str("</svg>\n");
    out
}

/// The summary as one picture: heading, agreed levels, verdicts and actions, the map.
fn summary_image(ctx: AppCtx, id: WorkshopId, day: DayScores) -> Option<(String, String)> {
    let theme = Theme::Light;
    let scores = untrack(|| day.get());
    ctx.ws.with_untracked(|w| {
        let s = w.workshops.iter().find(|s| s.id == id)?;
        let levels = charts::table_image("Agreed autonomy", &["Unit", "Decision area", "Agreed", "Votes", "Spread", "Median"], &round_rows(w, s), &[], theme, 960);
        let results = charts::table_image(&results_title(s), &RESULT_HEADINGS, &result_rows(w, s), &[], theme, 960);
        let actions = charts::table_image("Verdicts and actions", &["Unit", "Verdict", "Action", "Owner", "Due"], &action_rows(w, s), &[], theme, 960);
        let map = scoped_map(w, &scores, s, theme, 960, None);
        let people = s.participants.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ");
        let title = if s.title_names_its_day() { s.title.to_string() } else { format!("{} · {}", s.title, format_date(s.date)) };
        let heading = format!("{title} · {}", if people.is_empty() { "no participants listed".into() } else { people });
        Some((charts::with_heading(&stack(&[levels, results, actions, map], theme), &heading, theme), s.title.to_string()))
    })
}

#[component]
pub fn Summary(id: WorkshopId) -> impl IntoView {
    let ctx = use_app();
    let status = RwSignal::new(None::<String>);
    let markdown = move || ctx.ws.with(|w| w.workshops.iter().find(|s| s.id == id).map(|s| summary_markdown(w, s))).unwrap_or_default();
    let head = move || with_session(ctx, id, |s| (s.title.to_string(), format_date(s.date), s.participants.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", "), s.notes.clone()));
    let rounds = move || ctx.ws.with(|w| w.workshops.iter().find(|s| s.id == id).map(|s| round_rows(w, s))).unwrap_or_default();
    let outcomes = move || ctx.ws.with(|w| w.workshops.iter().find(|s| s.id == id).map(|s| action_rows(w, s))).unwrap_or_default();
    let results = move || ctx.ws.with(|w| w.workshops.iter().find(|s| s.id == id).map(|s| (results_title(s), result_rows(w, s)))).unwrap_or_default();
    let day = DayScores::new(ctx, id);
    let map = move || {
        let scores = day.get();
        ctx.ws.with(|w| w.workshops.iter().find(|s| s.id == id).map(|s| scoped_map(w, &scores, s, Theme::Light, 760, None))).unwrap_or_default()
    };
    let stem = move || with_session_untracked(ctx, id, |s| format!("latitude-{}", s.title.as_str().to_lowercase())).unwrap_or_else(|| "latitude-workshop".into());
    let image = move |png: bool| {
        let Some((svg, _)) = summary_image(ctx, id, day) else { return };
        if png {
            export_png(&svg, &format!("{}.png", stem()));
            status.set(Some("The summary is downloading as a PNG picture.".into()));
        } else if let Ok(name) = browser::download(&format!("{}.svg", stem()), "image/svg+xml", &svg) {
            status.set(Some(format!("Downloaded {name}.")));
        }
    };
    let copy = move |_| {
        let text = markdown();
        leptos::task::spawn_local(async move {
            match browser::copy_text(&text).await {
                Ok(()) => status.set(Some("Copied the summary as Markdown.".into())),
                Err(e) => {
                    status.set(Some(format!("Copy it from the text below: {e}.")));
                    browser::select_field("workshop-markdown");
                }
            }
        });
    };
    let download_md = move |_| {
        if let Ok(name) = browser::download(&format!("{}.md", stem()), "text/markdown", &markdown()) {
            status.set(Some(format!("Downloaded {name}.")));
        }
    };
    let reopen = move |_| {
        let _ = ctx.edit(Command::ReopenWorkshop { workshop: id });
    };
    let table = |headings: &'static [&'static str], rows: Vec<Vec<String>>, testid: &'static str, none: &'static str| {
        if rows.is_empty() {
            return view! { <p class="muted" data-testid=testid>{none}</p> }.into_any();
        }
        view! {
            <table class="table" data-testid=testid>
                <thead><tr>{headings.iter().map(|h| view! { <th scope="col">{*h}</th> }).collect_view()}</tr></thead>
                <tbody>{rows.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect_view()}</tr> }).collect_view()}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="card workshop-summary" data-testid="workshop-summary">
            {move || head().map(|(title, date, people, notes)| view! {
                <h2>{format!("{title} — summary")}</h2>
                <p data-testid="workshop-summary-head"><strong>"Date: "</strong>{date}" · "<strong>"Participants: "</strong>{if people.is_empty() { "none listed".to_owned() } else { people }}</p>
                {(!notes.is_empty()).then(|| view! { <p>{notes}</p> })}
            })}
            <h3>"Agreed autonomy"</h3>
            {move || table(&["Unit", "Decision area", "Agreed", "Votes", "Spread", "Median"], rounds(), "workshop-summary-levels", "None agreed in this workshop.")}
            {move || {
                let (title, rows) = results();
                view! {
                    <h3>{title}</h3>
                    {table(&RESULT_HEADINGS, rows, "workshop-summary-results", "No commitment of the units in scope falls due in this period.")}
                }
            }}
            <h3>"Verdicts and actions"</h3>
            {move || table(&["Unit", "Verdict", "Action", "Owner", "Due"], outcomes(), "workshop-summary-actions", "None agreed in this workshop.")}
            <h3 data-testid="workshop-summary-map-heading">{move || with_session(ctx, id, |s| format!("The map on {}", format_date(s.date))).unwrap_or_default()}</h3>
            <div class="workshop-summary__map" data-testid="workshop-summary-map" inner_html=map></div>
            <div class="button-row workshop__summary-actions" data-view="">
                <button type="button" class="button button--primary" data-testid="workshop-print" on:click=move |_| { let _ = window().print(); }>"Print"</button>
                <button type="button" class="button" data-testid="workshop-summary-svg" on:click=move |_| image(false)>"Picture (SVG)"</button>
                <button type="button" class="button" data-testid="workshop-summary-png" on:click=move |_| image(true)>"Picture (PNG)"</button>
                <button type="button" class="button" data-testid="workshop-markdown-copy" on:click=copy>"Copy as Markdown"</button>
                <button type="button" class="button" data-testid="workshop-markdown-download" on:click=download_md>"Download Markdown"</button>
                <button type="button" class="button" data-testid="workshop-reopen" on:click=reopen>"Reopen the workshop"</button>
            </div>
            <p role="status" class="form__status workshop__summary-actions" data-testid="workshop-summary-status">{move || status.get()}</p>
            <details class="workshop__summary-actions">
                <summary>"The summary as Markdown"</summary>
                <label for="workshop-markdown" class="visually-hidden">"The summary as Markdown"</label>
                <textarea id="workshop-markdown" rows="12" readonly data-testid="workshop-markdown" prop:value=markdown></textarea>
            </details>
        </section>
    }
}
