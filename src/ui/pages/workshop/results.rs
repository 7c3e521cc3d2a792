//! Step 4: last quarter's results inside the workshop. A grid of the units in scope
//! with their commitments due in the chosen period and a value cell each (with the
//! evidence for it, which makes the result count towards rigor); a value is
//! recorded on its commitment's due day (inside the period) through the workshop's
//! command, and the app's as-of date is never touched. Keyboard as in the sweep: type a
//! value, Enter records it and moves to the next cell.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::session::{with_session, with_session_untracked};
use crate::core::workshop::WorkshopId;
use crate::core::*;
use crate::ui::form::number;
use crate::ui::pages::unit::{draft_prefix, CommitmentForm};
use crate::ui::state::{use_app, AppCtx};

fn focus_cell(index: usize) {
    if let Ok(Some(el)) = document().query_selector(&format!("[data-results-index=\"{index}\"]")) {
        if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = el.focus();
        }
    }
}

#[component]
pub fn ResultsStep(id: WorkshopId) -> impl IntoView {
    let ctx = use_app();
    let period = move || with_session(ctx, id, |s| s.results_period).map(|p| (format_date(p.from), format_date(p.to))).unwrap_or_default();
    let from = RwSignal::new(period().0);
    let to = RwSignal::new(period().1);
    let error = RwSignal::new(None::<String>);
    let set_period = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed = crate::core::parse_typed_date(from.get_untracked().trim())
            .map_err(|e| format!("From: {e}"))
            .and_then(|f| crate::core::parse_typed_date(to.get_untracked().trim()).map_err(|e| format!("To: {e}")).map(|t| (f, t)));
        match parsed.and_then(|(f, t)| ctx.edit(Command::SetResultsPeriod { workshop: id, from: f, to: t }).map_err(|e| e.to_string())) {
            Ok(_) => error.set(None),
            Err(e) => error.set(Some(e)),
        }
    };
    // Which units and commitments the grid shows; a value recorded redraws only its row's text.
    let grid = Memo::new(move |_| {
        ctx.ws.with(|w| {
            with_session(ctx, id, |s| s.results_grid(w).into_iter().map(|(u, cs)| (u, w.unit_name(u).to_owned(), cs.into_iter().map(|c| c.id).collect::<Vec<_>>())).collect::<Vec<_>>())
                .unwrap_or_default()
        })
    });
    // The unit whose new commitment is being written here (one form at a time), and
    // what became of the last one added: the room never leaves the workshop for it.
    // Kept with the form's typing, so a reload finds the form open as it was.
    let adding_key = format!("{}/workshop/{}/adding", ctx.id.get_untracked(), id.0);
    let adding = RwSignal::new(ctx.typed(&adding_key).parse().ok().map(UnitId));
    Effect::new(move |_| ctx.set_typed(&adding_key, &adding.get().map(|u| u.0.to_string()).unwrap_or_default()));
    let added = RwSignal::new(None::<(UnitId, String)>);
    let add_for = move |unit: UnitId, name: String| {
        let dates = with_session_untracked(ctx, id, |s| (s.results_period.from, s.results_period.to));
        view! {
            <div class="workshop__results-add">
                <button type="button" class="button button--small" data-testid="results-unit-add" aria-expanded=move || (adding.get() == Some(unit)).to_string()
                    on:click=move |_| {
                        added.set(None);
                        // Closed without saving: what was typed in it goes with it.
                        if adding.get_untracked() == Some(unit) {
                            ctx.forget_typed(&draft_prefix(ctx, unit, None));
                        }
                        adding.update(|a| *a = if *a == Some(unit) { None } else { Some(unit) });
                    }>
                    {move || if adding.get() == Some(unit) { "Close".to_owned() } else { format!("Add a commitment for {name}") }}
                </button>
                <p role="status" class="form__status" data-testid="results-unit-added">{move || added.get().filter(|(u, _)| *u == unit).map(|(_, text)| text)}</p>
                {move || dates.filter(|_| adding.get() == Some(unit)).map(|dates| view! {
                    <CommitmentForm owner=unit dates=dates on_done=Callback::new(move |_| {
                        adding.set(None);
                        added.set(Some((unit, new_commitment_status(ctx, id, unit))));
                        focus_unit_last(unit);
                    })
                    on_cancel=Callback::new(move |_| {
                        adding.set(None);
                        crate::ui::browser::focus_after_render(format!("[data-testid=results-unit][data-unit='{}'] [data-testid=results-unit-add]", unit.0));
                    })/>
                })}
            </div>
        }
    };
    view! {
        <form class="form form--inline" data-testid="results-period-form" on:submit=set_period>
            <div class="form__row">
                <div class="field">
                    <label for="results-from">"Results from"</label>
                    <input id="results-from" type="date" data-testid="results-from" prop:value=move || from.get() on:input=move |ev| from.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="results-to">"to"</label>
                    <input id="results-to" type="date" data-testid="results-to" prop:value=move || to.get() on:input=move |ev| to.set(event_target_value(&ev))/>
                </div>
                <div class="field field--action"><button type="submit" class="button" data-testid="results-period-set">"Show this period"</button></div>
            </div>
            <p class="field__error" role="alert">{move || error.get()}</p>
        </form>
        {move || {
            let units = grid.get();
            if units.is_empty() {
                return view! { <p data-testid="results-empty">"No unit is in this workshop yet: tick them in step 2, or play a poker round."</p> }.into_any();
            }
            let any = units.iter().any(|(_, _, rows)| !rows.is_empty());
            let mut index = 0usize;
            view! {
                {any.then(|| view! { <p class="muted">"Type a value and press Enter: it is recorded on the commitment's due day, and the next cell is ready."</p> })}
                {(!any).then(|| view! { <p data-testid="results-none">"No commitment of these units falls due in this period: choose another period above, or add one for a unit below (it is due on the period's last day unless you change it)."</p> })}
                <div class="workshop__results" data-testid="results-grid">
                    {units.into_iter().map(|(unit, name, rows)| {
                        let nothing = rows.is_empty().then(|| view! {
                            <p class="muted" data-testid="results-unit-none">"Nothing of theirs falls due in this period."</p>
                        });
                        let cells = rows.into_iter().map(|cid| {
                            index += 1;
                            view! { <ResultCell id=id commitment=cid index=index/> }
                        }).collect_view();
                        view! {
                            <section class="workshop__results-unit" data-testid="results-unit" data-unit=unit.0.to_string()>
                                <h3 class="workshop__sub">{name.clone()}</h3>
                                {nothing}
                                <ul class="workshop__results-rows">{cells}</ul>
                                {add_for(unit, name)}
                            </section>
                        }
                    }).collect_view()}
                </div>
            }.into_any()
        }}
    }
}

/// What a commitment just added for `unit` means for this step: a row to type its
/// result into, or (its due day moved out of the period) why there is none.
fn new_commitment_status(ctx: crate::ui::state::AppCtx, id: WorkshopId, unit: UnitId) -> String {
    ctx.ws.with_untracked(|w| {
        let Some(c) = w.commitments.iter().filter(|c| c.owner == unit).max_by_key(|c| c.id.0) else { return String::new() };
        let inside = with_session_untracked(ctx, id, |s| c.due.is_some_and(|d| s.results_period.contains(d))).unwrap_or(false);
        match (inside, c.due) {
            (true, _) => format!("Added \u{201c}{}\u{201d}: type its result in the row above.", c.title),
            (false, Some(due)) => format!("Added \u{201c}{}\u{201d}, due {}: outside this period, so it has no row here.", c.title, format_date(due)),
            (false, None) => format!("Added \u{201c}{}\u{201d} with no due date, so it has no row here.", c.title),
        }
    })
}

/// Puts the focus in the last value cell of `unit`'s rows once the grid has redrawn.
fn focus_unit_last(unit: UnitId) {
    request_animation_frame(move || {
        let selector = format!("[data-testid=results-unit][data-unit=\"{}\"] [data-testid=results-value]", unit.0);
        if let Ok(all) = document().query_selector_all(&selector) {
            if let Some(el) = all.item(all.length().saturating_sub(1)).and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = el.focus();
            }
        }
    });
}

/// The results typed in step 4 and not recorded yet, by commitment: leaving the step
/// with any asks first (the room may believe them recorded).
#[derive(Clone, Copy, Default)]
pub struct TypedResults(RwSignal<Vec<CommitmentId>>);

/// Where a result cell's typed `field` is kept across a reload.
fn typed_key(ctx: AppCtx, id: WorkshopId, commitment: CommitmentId, field: &str) -> String {
    format!("{}/workshop/{}/results/{}/{field}", ctx.id.get_untracked(), id.0, commitment.0)
}

impl TypedResults {
    pub fn count(self) -> usize {
        self.0.try_with_untracked(Vec::len).unwrap_or(0)
    }

    /// The room left the step without recording what was typed: it is dropped, not kept
    /// for the next visit.
    pub fn drop_typed(self, ctx: AppCtx, id: WorkshopId) {
        for commitment in self.0.try_get_untracked().unwrap_or_default() {
            for field in ["value", "evidence"] {
                ctx.set_typed(&typed_key(ctx, id, commitment, field), "");
            }
        }
    }

    fn set(self, commitment: CommitmentId, typed: bool) {
        self.0.try_update(|list| {
            list.retain(|c| *c != commitment);
            if typed {
                list.push(commitment);
            }
        });
    }
}

#[component]
fn ResultCell(id: WorkshopId, commitment: CommitmentId, index: usize) -> impl IntoView {
    let ctx = use_app();
    // (title, the day a value is recorded on, what it aims at and the last value in the period)
    let info = move || {
        ctx.ws.with(|w| {
            with_session(ctx, id, |s| {
                w.commitment(commitment).map(|c| {
                    let aim = c.aim();
                    let last = s.result_reached(c).map(|r| format!(" · {r}")).unwrap_or_default();
                    (c.title.to_string(), s.result_date(c), format!("{aim}{last}"))
                })
            })
            .flatten()
        })
    };
    let title = move || info().map(|i| i.0).unwrap_or_default();
    let meta = move || info().map(|(_, date, aim)| format!("due {} · {aim}", format_date(date))).unwrap_or_default();
    // Typed and not recorded yet, the value and its evidence survive another page and a
    // reload; recorded, the row starts empty again (its status and meta say what it holds).
    let typed_key = |field: &str| typed_key(ctx, id, commitment, field);
    let value = ctx.typed_field(typed_key("value"), String::new());
    // Evidence someone else can check (a link or a note): with it the result counts
    // towards the unit's rigor, as in the sweep.
    let evidence = ctx.typed_field(typed_key("evidence"), String::new());
    let saved = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // A value that replaces another of that day, or looks implausible, is asked about
    // once: recording the same value again confirms it.
    let confirming = RwSignal::new(None::<f64>);
    let warning = RwSignal::new(None::<String>);
    let typed = use_context::<TypedResults>();
    let note_typed = move || {
        if let Some(typed) = typed {
            let now = value.get_untracked();
            typed.set(commitment, !now.trim().is_empty());
        }
    };
    on_cleanup(move || {
        if let Some(typed) = typed {
            typed.set(commitment, false);
        }
    });
    // A value kept from before a reload is typed and not recorded: leaving asks first.
    note_typed();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = match number(&value.get_untracked(), "value") {
            Ok(v) => v,
            Err(e) => return error.set(Some(e)),
        };
        let Some(date) = with_session_untracked(ctx, id, |s| ctx.ws.with_untracked(|w| w.commitment(commitment).map(|c| s.result_date(c)))).flatten() else { return };
        if confirming.get_untracked() != Some(v.get()) {
            if let Some(why) = ctx.ws.with_untracked(|w| w.commitment(commitment).and_then(|c| crate::core::plausible::ask_before_recording(c, v.get(), date))) {
                confirming.set(Some(v.get()));
                error.set(None);
                warning.set(Some(format!("{why}. Is that right? Press Enter again (or Record anyway) to record it, or correct the value.")));
                return;
            }
        }
        confirming.set(None);
        warning.set(None);
        let checkin = CheckIn { date, value: v, confidence: None, note: String::new(), evidence: evidence.get_untracked().trim().to_owned(), recorded_by: None };
        match ctx.edit(Command::RecordResults { workshop: id, rows: vec![CheckInRow { commitment, checkin }] }) {
            Ok(_) => {
                error.set(None);
                saved.set(Some(format!("Recorded {} on {}", v.get(), format_date(date))));
                value.set(String::new());
                evidence.set(String::new());
                note_typed();
                focus_cell(index + 1);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let vid = format!("results-value-{}", commitment.0);
    view! {
        <li class="workshop__results-row" data-testid="results-row" data-commitment-id=commitment.0.to_string()>
            <form class="workshop__results-form" on:submit=submit>
                <label for=vid.clone() class="workshop__results-what"><strong>{title}</strong>" "<span class="muted">{meta}</span></label>
                <input id=vid type="text" inputmode="decimal" autocomplete="off" size="8" data-testid="results-value" data-results-index=index.to_string()
                    aria-describedby=format!("results-error-{}", commitment.0) prop:value=move || value.get() on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        note_typed();
                    }/>
                <label for=format!("results-evidence-{}", commitment.0) class="visually-hidden">{move || format!("Evidence for {}", title())}</label>
                <input id=format!("results-evidence-{}", commitment.0) type="text" maxlength="2000" autocomplete="off" placeholder="evidence: link or note" class="workshop__results-evidence" data-testid="results-evidence"
                    prop:value=move || evidence.get() on:input=move |ev| evidence.set(event_target_value(&ev))/>
                <button type="submit" class="button button--small" data-testid="results-save">{move || if confirming.get().is_some() { "Record anyway" } else if saved.get().is_some() { "Recorded ✓" } else { "Record" }}</button>
                <span role="status" class="form__status" data-testid="results-status">{move || saved.get()}</span>
                <p class="field__warning" role="alert" data-testid="results-warning" hidden=move || warning.with(Option::is_none)>{move || warning.get()}</p>
                <p id=format!("results-error-{}", commitment.0) class="field__error" role="alert">{move || error.get()}</p>
            </form>
        </li>
    }
}
