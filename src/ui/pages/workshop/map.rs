//! Step 5: the org map revealed, with the units in scope ringed, readable from the back
//! of a room: in presenter mode it is drawn smaller and enlarged to fill the screen, so
//! its smallest text (12 px) is shown at 18 px.

use leptos::prelude::*;

use super::session::{with_session, DayScores};
use crate::charts::{self, Theme};
use crate::core::series::{map_points, MapRegions};
use crate::core::workshop::{WorkshopId, WorkshopSession};
use crate::core::{Scores, Workspace};
use crate::ui::state::use_app;

/// How much the map is enlarged in presenter mode.
pub const PRESENTER_MAP_SCALE: f64 = 1.5;

/// The org map with the units in scope ringed (their hit areas carry `data-scope`). A
/// unit whose verdict the room agreed (step 6) is coloured by that verdict, not by the
/// one recommended, so the map says what the summary's table says.
pub fn scoped_map(ws: &Workspace, scores: &Scores, session: &WorkshopSession, theme: Theme, width: u32, height: Option<u32>) -> String {
    let mut points = map_points(ws, scores);
    for p in &mut points {
        if let Some(o) = session.outcome(p.unit) {
            p.verdict = o.verdict;
        }
    }
    let scope = &session.units;
    let mut svg = charts::org_map_with(&points, theme, width, height, &MapRegions::from_policy(&ws.policy));
    for u in scope {
        let hit = format!("data-unit=\"{}\"", u.0);
        svg = svg.replace(&hit, &format!("{hit} data-scope=\"\""));
    }
    svg
}

#[component]
pub fn MapStep(id: WorkshopId, presenter: RwSignal<bool>) -> impl IntoView {
    let ctx = use_app();
    let day = DayScores::new(ctx, id);
    let holder = NodeRef::<leptos::html::Div>::new();
    // Nothing is drawn until the holder has been measured (before its first paint).
    let size = RwSignal::new((0u32, 0u32));
    Effect::new(move |_| {
        if let Some(el) = holder.get() {
            crate::ui::widgets::observe_size(&el, size);
        }
    });
    let scope = move || with_session(ctx, id, |s| s.units.clone()).unwrap_or_default();
    let svg = move || {
        let scores = day.get();
        let (w, h) = size.get();
        if w == 0 {
            return String::new();
        }
        ctx.ws.with(|ws| {
            let Some(session) = ws.workshops.iter().find(|s| s.id == id) else { return String::new() };
            if presenter.get() {
                let scaled = |v: u32| (f64::from(v) / PRESENTER_MAP_SCALE).floor() as u32;
                scoped_map(ws, &scores, session, Theme::Dark, scaled(w), Some(scaled(h)))
            } else {
                scoped_map(ws, &scores, session, ctx.theme.get(), w, None)
            }
        })
    };
    let names = move || {
        let scope = scope();
        ctx.ws.with(|w| scope.iter().map(|u| w.unit_name(*u).to_owned()).collect::<Vec<_>>().join(", "))
    };
    // A unit in scope at supported autonomy 0 sits on the map's left edge: the room is
    // told what its rigor and results lack, not left to guess.
    let at_zero = move || {
        let scope = scope();
        day.with(|s| ctx.ws.with(|w| scope.iter().filter_map(|u| s.unit(*u).filter(|x| x.supported < 0.5).map(|x| (w.unit_name(*u).to_owned(), x.assessment.missing.join("; ")))).collect::<Vec<_>>()))
    };
    view! {
        <p class="workshop__scope-note" data-testid="workshop-map-scope">{move || { let n = names(); if n.is_empty() { String::new() } else { format!("Ringed on the map, the units in this workshop: {n}") } }}</p>
        <div class="workshop__map" data-testid="workshop-map" node_ref=holder inner_html=svg></div>
        {move || {
            let zero = at_zero();
            (!zero.is_empty()).then(|| view! {
                <div class="workshop__zero" data-testid="workshop-map-zero">
                    <p>"At supported autonomy 0, on the map's left edge: supported autonomy is 100 × rigor × track record, so it stays at 0 until both are above 0. What each one lacks:"</p>
                    <ul>
                        {zero.into_iter().map(|(name, missing)| view! { <li><strong>{name}</strong>{if missing.is_empty() { String::new() } else { format!(": {missing}") }}</li> }).collect_view()}
                    </ul>
                </div>
            })
        }}
    }
}
