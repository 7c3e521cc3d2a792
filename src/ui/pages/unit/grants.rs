//! The unit's grant history and the form to grant or change autonomy per decision area.

use leptos::prelude::*;

use crate::core::*;
use crate::ui::form::{area_ref, choice, FieldError, FormError, SubmitOnce};
use crate::ui::state::use_app;
use crate::ui::widgets::{AreaPicker, LaterNote, ScaleSelect};

fn date_or(text: &str, fallback: time::Date) -> Result<time::Date, String> {
    if text.trim().is_empty() {
        Ok(fallback)
    } else {
        parse_typed_date(text).map_err(|e| e.to_string())
    }
}

/// Grant history and the form to grant or change autonomy per decision area.
#[component]
pub fn Grants(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let area = RwSignal::new(String::new());
    let new_area = RwSignal::new(String::new());
    let rung = RwSignal::new("2".to_owned());
    let level = RwSignal::new("4".to_owned());
    // The date the field shows, once left: while it is typed in, it is not redrawn.
    let date = RwSignal::new(String::new());
    let date_field = NodeRef::<leptos::html::Input>::new();
    // The reason typed survives another page and a reload; forgotten once granted.
    let draft = format!("{}/grant-form/{}/", ctx.id.get_untracked(), id.0);
    let reason = ctx.typed_field(format!("{draft}reason"), String::new());
    let draft = StoredValue::new(draft);
    let error = FormError::default();
    let once = SubmitOnce::default();
    let later = Memo::new(move |_| {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| w.grants.iter().filter(|g| g.unit == id && g.date > as_of).count())
    });
    let history = move || {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            let mut g: Vec<(String, String, String, String, String)> = w
                .grants
                .iter()
                .filter(|g| g.unit == id && g.date <= as_of)
                .map(|g| {
                    (
                        format_date(g.date),
                        w.area_name(g.area).to_owned(),
                        format!("{} {}", g.rung.get(), w.policy.rung_label(g.rung.get())),
                        format!("{} {}", g.level.get(), w.policy.level_label(g.level.get())),
                        g.granted_by.map(|b| w.unit_name(b).to_owned()).unwrap_or_default() + if g.reason.is_empty() { "" } else { " — " } + &g.reason,
                    )
                })
                .collect();
            g.reverse();
            g
        })
    };
    // What the grant chosen would do to A, S, the gap and the flags, before it is made:
    // once something in the form is chosen or typed (a unit's page opens without it).
    let engaged = RwSignal::new(false);
    let preview = Memo::new(move |_| {
        if !engaged.get() {
            return None;
        }
        let (r, l) = (choice::<Rung>(&rung.get()).ok()?, choice::<Level>(&level.get()).ok()?);
        let as_of = ctx.as_of.get();
        let on = date_or(&date.get(), as_of).ok()?;
        ctx.ws.with(|w| {
            let area = area_ref(w, &area.get(), &new_area.get()).ok()?;
            crate::core::counterfactual::grant_preview(w, id, &area, on, r, l, as_of)
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if once.repeated() {
            return;
        }
        let as_of = ctx.as_of.get_untracked();
        // The field as it is now: what is typed is read when the form is sent, not
        // followed as it is typed (a date field typed part by part passes through empty
        // and other dates). A date not typed to its end is refused, not taken as empty.
        let field = date_field.get_untracked();
        if field.as_ref().is_some_and(|f| f.validity().bad_input()) {
            return error.set("grant-date", "date: is not complete: type its day, month and year, or pick it in the calendar");
        }
        let typed = field.map(|f| f.value()).unwrap_or_else(|| date.get_untracked());
        let d = match date_or(&typed, as_of) {
            Ok(d) => d,
            Err(e) => return error.set("grant-date", e),
        };
        let r = match choice::<Rung>(&rung.get_untracked()) {
            Ok(r) => r,
            Err(e) => return error.set("grant-rung", e),
        };
        let l = match choice::<Level>(&level.get_untracked()) {
            Ok(l) => l,
            Err(e) => return error.set("grant-level", e),
        };
        let area = match ctx.ws.with_untracked(|w| area_ref(w, &area.get_untracked(), &new_area.get_untracked())) {
            Ok(a) => a,
            Err(e) => {
                error.set("grant-new-area", e);
                // The name is what is missing: the cursor goes there.
                crate::ui::browser::select_field("grant-new-area");
                return;
            }
        };
        let granted_by = ctx.ws.with_untracked(|w| w.unit(id).and_then(|u| u.parent));
        match ctx.edit(Command::Grant { unit: id, area, date: d, rung: r, level: l, granted_by, reason: reason.get_untracked().trim().to_owned() }) {
            Ok(_) => {
                error.clear();
                once.recorded();
                reason.set(String::new());
                new_area.set(String::new());
                draft.with_value(|d| ctx.forget_typed(d));
            }
            Err(e) => error.refuse(&e, &[("area", "grant-area"), ("date", "grant-date"), ("rung", "grant-rung"), ("level", "grant-level"), ("reason", "grant-reason")], "grant-new-area"),
        }
    };
    view! {
        <section class="card" data-testid="grants">
            <h2 class="card__title">"Autonomy granted"</h2>
            <p class="muted">"Scope (how broad) × delegation (how deep), per decision area. Grants are history: a new one supersedes, nothing is overwritten."</p>
            <form class="form form--inline" data-testid="grant-form" on:submit=submit novalidate=true on:input=move |_| { once.touched(); engaged.set(true); } on:change=move |_| { once.touched(); engaged.set(true); }>
                <div class="form__row">
                    <AreaPicker prefix="grant" area=area new_area=new_area error=error/>
                    <ScaleSelect id="grant-rung" label="Scope rung" rungs=true value=rung error=error/>
                    <ScaleSelect id="grant-level" label="Delegation level" rungs=false value=level error=error/>
                    <div class="field">
                        <label for="grant-date">"From"</label>
                        <input id="grant-date" type="date" data-testid="grant-date" placeholder="YYYY-MM-DD" aria-describedby="grant-date-error" node_ref=date_field prop:value=move || if date.get().is_empty() { format_date(ctx.as_of.get()) } else { date.get() } on:blur=move |ev| {
                            // A date left half typed stays as it is, for the form to refuse.
                            let field = event_target::<web_sys::HtmlInputElement>(&ev);
                            if !field.validity().bad_input() {
                                date.set(field.value());
                            }
                        }/>
                        <FieldError error=error field="grant-date"/>
                    </div>
                    <div class="field field--wide">
                        <label for="grant-reason">"Reason"</label>
                        <input id="grant-reason" type="text" maxlength="200" placeholder="e.g. Delivered four quarters in a row" data-testid="grant-reason" aria-describedby="grant-reason-error"
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                        <FieldError error=error field="grant-reason"/>
                    </div>
                    <div class="field field--action"><button type="submit" class="button button--primary" data-testid="grant-add">"Grant"</button></div>
                </div>
                <p class="muted grant__preview" data-testid="grant-preview" aria-live="polite">{move || preview.get()}</p>
            </form>
            {move || {
                let h = history();
                if h.is_empty() {
                    view! { <p class="muted" data-testid="grants-empty">"Nothing delegated yet: granted autonomy is 0."</p> }.into_any()
                } else {
                    view! {
                        // On a phone each grant is a block of labelled lines (`table--stack`).
                        <div class="table-wrap table-wrap--cue" tabindex="0" role="region" aria-label="Grant history"><table class="table table--stack" data-testid="grant-history">
                            <thead><tr><th scope="col">"From"</th><th scope="col">"Area"</th><th scope="col">"Scope"</th><th scope="col">"Delegation"</th><th scope="col">"Granted by · reason"</th></tr></thead>
                            <tbody>{h.into_iter().map(|(d, a, r, l, why)| view! {
                                <tr><td data-label="From">{d}</td><td data-label="Area">{a}</td><td data-label="Scope">{r}</td><td data-label="Delegation">{l}</td><td data-label="Granted by · reason">{why}</td></tr>
                            }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }
            }}
            <LaterNote count=later what=("grant", "grants")/>
        </section>
    }
}
