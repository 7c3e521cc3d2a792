//! Decisions the unit made, and their outcomes.

use leptos::prelude::*;

use crate::core::*;
use crate::ui::state::use_app;
use crate::ui::widgets::LaterNote;

/// Decisions this unit made, and their outcomes.
#[component]
pub fn UnitDecisions(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let later = Memo::new(move |_| {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| w.decisions.iter().filter(|d| d.unit == id && d.date > as_of).count())
    });
    let rows = move || {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            let mut ds: Vec<(String, String, String, String)> = w
                .decisions
                .iter()
                .filter(|d| d.unit == id && d.date <= as_of)
                .map(|d| {
                    let outcome = d.outcome_as_of(as_of).map(|o| o.as_str().to_owned()).unwrap_or_else(|| format!("review due {}", d.review_date.map(format_date).unwrap_or_default()));
                    let who = d.accountable.iter().map(|u| w.unit_name(*u).to_owned()).collect::<Vec<_>>().join(", ");
                    (format_date(d.date), d.title.to_string(), outcome, who)
                })
                .collect();
            ds.reverse();
            ds
        })
    };
    view! {
        <section class="card" data-testid="unit-decisions">
            <h2 class="card__title">"Decisions"</h2>
            {move || {
                let r = rows();
                if r.is_empty() {
                    view! { <p class="muted">"No decisions logged for this unit. Log them in " <a href="#/decisions">"the decision log"</a> "."</p> }.into_any()
                } else {
                    view! {
                        <ul class="timeline">
                            {r.into_iter().map(|(d, t, o, who)| view! {
                                <li><strong>{d}</strong> " " {t} " — " {o} {(!who.is_empty()).then(|| format!(" · accountable: {who}"))}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <LaterNote count=later what=("decision", "decisions")/>
        </section>
    }
}
