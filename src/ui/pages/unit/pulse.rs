//! Felt-autonomy pulse entries, shown against earned autonomy.

use leptos::prelude::*;

use crate::charts;
use crate::core::explain::f2;
use crate::core::*;
use crate::ui::form::{number, FieldError, FormError, SubmitOnce};
use crate::ui::state::use_app;

/// Felt-autonomy pulse entries: kept only to compare felt with earned.
#[component]
pub fn Pulses(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let value = RwSignal::new(String::new());
    let error = FormError::default();
    let once = SubmitOnce::default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if once.repeated() {
            return;
        }
        let parsed = number(&value.get_untracked(), "pulse score").and_then(|v| PulseScore::new(v.get()).map_err(|e| e.to_string()));
        let score = match parsed {
            Ok(s) => s,
            Err(e) => return error.set("pulse-value", e),
        };
        let date = ctx.as_of.get_untracked();
        match ctx.edit(Command::AddPulse { unit: id, date, score }) {
            Ok(_) => {
                value.set(String::new());
                error.clear();
                once.recorded();
            }
            Err(e) => error.refuse(&e, &[], "pulse-value"),
        }
    };
    let entries = move || ctx.ws.with(|w| w.pulses.iter().filter(|p| p.unit == id).map(|p| (p.date, p.score.get())).collect::<Vec<_>>());
    let felt = Callback::new(move |width: u32| {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            let pulses: Vec<Pulse> = w.pulses.iter().filter(|p| p.unit == id && p.date <= as_of).cloned().collect();
            let from = pulses.first().map(|p| p.date).unwrap_or(as_of);
            let series = crate::core::series::unit_series(w, &w.policy, id, from, as_of);
            charts::felt_vs_earned_at(w.unit_name(id), &pulses, &series, ctx.theme.get(), width)
        })
    });
    let felt_rows = Signal::derive(move || entries().into_iter().map(|(d, s)| vec![format_date(d), f2(s)]).collect());
    view! {
        <section class="card" data-testid="pulses">
            <h2 class="card__title">"Felt autonomy (pulse)"</h2>
            <p class="muted">"How free people feel is not how much autonomy results support. It is kept only to show one beside the other."</p>
            {move || (!entries().is_empty()).then(|| view! {
                <crate::ui::widgets::ChartFigure svg=felt name=format!("felt-{}", id.0) caption="Felt autonomy (pulse, 1–5 rescaled to 0–100) against delivered results and granted autonomy."
                    headings=vec!["Date", "Pulse (1–5)"] rows=felt_rows testid="felt-chart"/>
            })}
            <form class="form form--inline" data-testid="pulse-form" on:submit=submit novalidate=true on:input=move |_| once.touched() on:change=move |_| once.touched()>
                <div class="form__row">
                    <div class="field">
                        <label for="pulse-value">"Pulse score (1–5) for the as-of date"</label>
                        <input id="pulse-value" type="text" inputmode="decimal" autocomplete="off" data-testid="pulse-value" aria-describedby="pulse-value-error" aria-invalid=move || error.invalid("pulse-value") prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                        <FieldError error=error field="pulse-value"/>
                    </div>
                    <div class="field field--action"><button type="submit" class="button" data-testid="pulse-add">"Add pulse"</button></div>
                </div>
            </form>
        </section>
    }
}
