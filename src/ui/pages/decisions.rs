//! The decision log: who decided what, expected outcome, and at review the outcome and
//! who accepted accountability for it.

use leptos::prelude::*;

use super::PageHeader;
use crate::core::*;
use crate::ui::form::{choice, FieldError, FormError, SubmitOnce};
use crate::ui::state::use_app;
use crate::ui::widgets::{EmptyState, LaterNote, ShowAll};

/// Decisions listed at first, the latest first; the rest on "Show all".
const FIRST_ROWS: usize = 100;

#[component]
pub fn Decisions() -> impl IntoView {
    let ctx = use_app();
    let filter = RwSignal::new("all".to_owned());
    let rows = move || {
        let as_of = ctx.as_of.get();
        let f = filter.get();
        ctx.ws.with(|w| {
            let mut ds: Vec<Decision> = w
                .decisions
                .iter()
                .filter(|d| d.date <= as_of)
                .filter(|d| match f.as_str() {
                    "open" => d.outcome_as_of(as_of).is_none(),
                    "overdue" => d.outcome_as_of(as_of).is_none() && d.review_date.is_some_and(|r| r < as_of),
                    "reviewed" => d.outcome_as_of(as_of).is_some(),
                    _ => true,
                })
                .cloned()
                .collect();
            ds.sort_by_key(|d| std::cmp::Reverse((d.date, d.id)));
            ds
        })
    };
    // The rows are built again only when the decisions listed change, or the date they
    // are shown as of (a row's outcome and who answered for it are those known then).
    let listed = Memo::new(move |_| (ctx.as_of.get(), rows()));
    let show_all = RwSignal::new(false);
    // A link from the to-do list (`#/decisions?review=ID`) opens that decision's review,
    // once: the row is built again after the review is saved.
    let linked = StoredValue::new(crate::ui::browser::hash_param("review").and_then(|d| d.parse::<u32>().ok()));
    if let Some(d) = linked.get_value() {
        if listed.with_untracked(|(_, ds)| ds.iter().position(|x| x.id.0 == d)).is_some_and(|i| i >= FIRST_ROWS) {
            show_all.set(true);
        }
    }
    let empty = Memo::new(move |_| ctx.ws.with(|w| w.decisions.is_empty()));
    let later = Memo::new(move |_| {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| w.decisions.iter().filter(|d| d.date > as_of).count())
    });
    view! {
        <PageHeader title="Decisions" lead="Log decisions when they are made; review them when results are in. A leader answers for the outcomes of decisions delegated to their reports."/>
        <DecisionForm/>
        {move || if empty.get() {
            view! {
                <EmptyState title="No decisions logged" testid="decisions-empty">
                    <p>"Log a decision with who made it, in which decision area, and what outcome is expected. At its review date, record whether it turned out good, mixed or bad, and who accepted accountability."</p>
                </EmptyState>
            }.into_any()
        } else {
            view! {
                <section class="card" data-testid="decision-list">
                    <div class="card__head">
                        <h2 class="card__title">"Log"</h2>
                        <div class="field field--compact">
                            <label for="decision-filter">"Show"</label>
                            <select id="decision-filter" data-view="" data-testid="decision-filter" on:change=move |ev| filter.set(event_target_value(&ev))>
                                <option value="all">"All"</option>
                                <option value="open">"Awaiting review"</option>
                                <option value="overdue">"Review overdue"</option>
                                <option value="reviewed">"Reviewed"</option>
                            </select>
                        </div>
                    </div>
                    <ul class="decisions">
                        {move || {
                            let shown = if show_all.get() { usize::MAX } else { FIRST_ROWS };
                            listed.with(|(_, ds)| ds.iter().take(shown).cloned().map(|d| view! { <DecisionRow decision=d linked=linked/> }).collect_view())
                        }}
                    </ul>
                    {move || { let total = listed.with(|(_, ds)| ds.len()); view! { <ShowAll first=FIRST_ROWS total=total what="decisions" show_all=show_all/> } }}
                    <LaterNote count=later what=("decision", "decisions")/>
                </section>
            }.into_any()
        }}
    }
}

#[component]
fn DecisionForm() -> impl IntoView {
    let ctx = use_app();
    let unit = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    // What is typed survives another page and a reload; it is forgotten once logged.
    let draft = format!("{}/decision-form/", ctx.id.get_untracked());
    let title = ctx.typed_field(format!("{draft}title"), String::new());
    let expected = ctx.typed_field(format!("{draft}expected"), String::new());
    let draft = StoredValue::new(draft);
    let error = FormError::default();
    let once = SubmitOnce::default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if once.repeated() {
            return;
        }
        let date = ctx.as_of.get_untracked();
        let result = ctx.ws.with_untracked(|w| -> Result<Command, (&'static str, String)> {
            let u = unit
                .get_untracked()
                .parse()
                .ok()
                .map(UnitId)
                .filter(|u| w.unit(*u).is_some())
                .or_else(|| w.units.first().map(|u| u.id))
                .ok_or(("d-unit", "decided by: add a unit first".to_owned()))?;
            let a = area
                .get_untracked()
                .parse()
                .ok()
                .map(AreaId)
                .filter(|a| w.area(*a).is_some())
                .or_else(|| w.areas.first().map(|a| a.id))
                .ok_or(("d-area", "decision area: add one on a unit page (Autonomy granted → New area) or in Settings".to_owned()))?;
            let t = Name::new(title.get_untracked()).map_err(|e| ("d-title", format!("decision: {}", e.to_string().trim_start_matches("name: "))))?;
            // No review date: the command dates it the policy's review delay later.
            Ok(Command::LogDecision { unit: u, area: a, date, title: t, expected: expected.get_untracked().trim().to_owned(), review_date: None })
        });
        let command = match result {
            Ok(c) => c,
            Err((field, e)) => return error.set(field, e),
        };
        match ctx.edit(command) {
            Ok(_) => {
                title.set(String::new());
                expected.set(String::new());
                draft.with_value(|d| ctx.forget_typed(d));
                error.clear();
                once.recorded();
            }
            Err(e) => error.refuse(&e, &[("unit", "d-unit"), ("area", "d-area"), ("title", "d-title"), ("name", "d-title"), ("expected", "d-expected")], "d-title"),
        }
    };
    view! {
        <form class="card form" data-testid="decision-form" on:submit=submit novalidate=true on:input=move |_| once.touched() on:change=move |_| once.touched()>
            <h2 class="card__title">"Log a decision"</h2>
            <div class="form__row">
                <div class="field field--wide">
                    <label for="d-title">"Decision"</label>
                    <input id="d-title" type="text" maxlength="120" placeholder="e.g. Change payment provider" data-testid="d-title" aria-describedby="d-title-error" aria-invalid=move || error.invalid("d-title")
                        prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                    <FieldError error=error field="d-title"/>
                </div>
                <div class="field">
                    <label for="d-unit">"Decided by"</label>
                    <select id="d-unit" data-testid="d-unit" aria-describedby="d-unit-error" on:change=move |ev| unit.set(event_target_value(&ev))>
                        {move || ctx.ws.with(|w| w.units.iter().map(|u| view! { <option value=u.id.0.to_string()>{u.name.to_string()}</option> }).collect_view())}
                    </select>
                    <FieldError error=error field="d-unit"/>
                </div>
                <div class="field">
                    <label for="d-area">"Area"</label>
                    <select id="d-area" data-testid="d-area" aria-describedby="d-area-error" on:change=move |ev| area.set(event_target_value(&ev))>
                        {move || ctx.ws.with(|w| w.areas.iter().map(|a| view! { <option value=a.id.0.to_string()>{a.name.to_string()}</option> }).collect_view())}
                    </select>
                    <FieldError error=error field="d-area"/>
                </div>
                <div class="field field--wide">
                    <label for="d-expected">"Expected outcome"</label>
                    <input id="d-expected" type="text" maxlength="200" data-testid="d-expected" prop:value=move || expected.get() on:input=move |ev| expected.set(event_target_value(&ev))/>
                </div>
                <div class="field field--action"><button type="submit" class="button button--primary" data-testid="d-save">"Log decision"</button></div>
            </div>
            <p class="muted" data-testid="d-dates">{move || format!("Dated {}, review due {} days later.", format_date(ctx.as_of.get()), ctx.ws.with(|w| w.policy.decision_review_days))}</p>
        </form>
    }
}

#[component]
fn DecisionRow(decision: Decision, linked: StoredValue<Option<u32>>) -> impl IntoView {
    let ctx = use_app();
    let id = decision.id;
    let decision_date = decision.date;
    let (who, area, leader) = ctx.ws.with_untracked(|w| (w.unit_name(decision.unit).to_owned(), w.area_name(decision.area).to_owned(), w.unit(decision.unit).and_then(|u| u.parent)));
    let known = decision.outcome_as_of(ctx.as_of.get_untracked());
    let overdue = known.is_none() && decision.review_date.is_some_and(|r| r < ctx.as_of.get_untracked());
    // An open review and the outcome chosen in it outlast the row: the list is built
    // again when a decision is logged (here or in another tab), and after a reload.
    let key = move |field: &str| format!("{}/decision/{}/{field}", ctx.id.get_untracked(), id.0);
    let outcome = ctx.typed_field(key("outcome"), decision.outcome.map(|o| o.as_str().to_owned()).unwrap_or_default());
    let open = ctx.typed_field(key("reviewing"), String::new());
    let accountable = RwSignal::new(if decision.accountable.is_empty() { vec![decision.unit] } else { decision.accountable.clone() });
    let from_link = linked.get_value() == Some(id.0);
    if from_link {
        linked.set_value(None);
        crate::ui::browser::focus_after_render(format!("[data-decision-id=\"{}\"] [data-testid=outcome-good]", id.0));
    }
    let reviewing = RwSignal::new(open.get_untracked() == "open" || from_link);
    Effect::new(move |_| open.set(if reviewing.get() { "open".to_owned() } else { String::new() }));
    let review_error = FormError::default();
    let outcome_field = format!("outcome-{}", id.0);
    let candidates: Vec<(UnitId, String)> = ctx.ws.with_untracked(|w| {
        let mut c = vec![decision.unit];
        if let Some(l) = leader {
            c.push(l);
        }
        c.into_iter().map(|u| (u, w.unit_name(u).to_owned())).collect()
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let field = format!("outcome-{}", id.0);
        let o = match outcome.get_untracked().as_str() {
            "" => return review_error.set(field, "outcome: choose good, mixed or bad"),
            text => match choice::<Outcome>(text) {
                Ok(o) => o,
                Err(e) => return review_error.set(field, e),
            },
        };
        let date = ctx.as_of.get_untracked().max(decision_date);
        if let Err(e) = ctx.edit(Command::ReviewDecision { decision: id, outcome: o, accountable: accountable.get_untracked(), date }) {
            return review_error.refuse(&e, &[], &field);
        }
        // Recorded: the row is built again with the outcome, and nothing kept for the
        // review it had open may reopen it.
        for field in ["reviewing", "outcome"] {
            ctx.set_typed(&key(field), "");
        }
        review_error.clear();
        reviewing.set(false);
        // The form is gone (and the row rebuilt): the focus goes to the row's button.
        crate::ui::browser::focus_after_render(format!("[data-decision-id=\"{}\"] [data-testid=decision-review]", id.0));
    };
    let status = match known {
        Some(o) => format!("outcome {}", o.as_str()),
        None if overdue => format!("review overdue since {}", decision.review_date.map(format_date).unwrap_or_default()),
        None => format!("review due {}", decision.review_date.map(format_date).unwrap_or_default()),
    };
    // Who accepted accountability comes with the review: as of a date before it, neither
    // is shown.
    let later_review = (known.is_none() && decision.outcome.is_some()).then(|| decision.review_date.map(format_date).unwrap_or_default());
    let accountable_names = if known.is_some() { ctx.ws.with_untracked(|w| decision.accountable.iter().map(|u| w.unit_name(*u).to_owned()).collect::<Vec<_>>().join(", ")) } else { String::new() };
    view! {
        <li class="decision" class=("decision--overdue", overdue) data-testid="decision" data-decision-id=id.0.to_string()>
            <div class="decision__main">
                <span class="decision__title">{decision.title.to_string()}</span>
                <span class="decision__meta">{format!("{who} · {area} · {}", format_date(decision.date))}{(!decision.expected.is_empty()).then(|| format!(" · expected: {}", decision.expected))}</span>
                <span class=if overdue { "tag tag--warning" } else { "tag" }>{status}</span>
                {(!accountable_names.is_empty()).then(|| view! { <span class="decision__meta">{format!("Accountable: {accountable_names}")}</span> })}
            </div>
            <button type="button" class="button button--small" data-testid="decision-review" on:click=move |_| reviewing.update(|v| *v = !*v)>
                {if known.is_some() { "Edit review" } else { "Review" }}
            </button>
            {move || reviewing.get().then(|| {
                let candidates = candidates.clone();
                let outcome_field = outcome_field.clone();
                view! {
                    <form class="decision__review" data-testid="decision-review-form" on:submit=save>
                        // A decision has one review: one recorded as of an earlier date takes
                        // the place of the later one, which is said before it is saved.
                        {later_review.clone().map(|on| view! {
                            <p class="field__warning" role="note" data-testid="decision-review-later">{format!("This decision was reviewed later, on {on}. Saving replaces that review with this one, dated {}.", format_date(ctx.as_of.get_untracked().max(decision_date)))}</p>
                        })}
                        <fieldset id=outcome_field.clone() aria-describedby=format!("{outcome_field}-error")>
                            <legend>"Outcome"</legend>
                            {[("good", "Good"), ("mixed", "Mixed"), ("bad", "Bad")].into_iter().map(|(o, shown)| view! {
                                <label class="radio"><input type="radio" name=format!("outcome-{}", id.0) value=o data-testid=format!("outcome-{o}") prop:checked=move || outcome.get() == o on:change=move |_| { outcome.set(o.to_owned()); review_error.clear(); }/>{shown}</label>
                            }).collect_view()}
                            <FieldError error=review_error field=outcome_field.clone()/>
                        </fieldset>
                        <fieldset>
                            <legend>"Accepted accountability"</legend>
                            {candidates.into_iter().map(|(u, n)| view! {
                                <label class="radio"><input type="checkbox" data-testid="accountable" prop:checked=move || accountable.get().contains(&u)
                                    on:change=move |ev| { let on = event_target_checked(&ev); accountable.update(|a| { a.retain(|x| *x != u); if on { a.push(u) } }); }/>{n}</label>
                            }).collect_view()}
                        </fieldset>
                        <button type="submit" class="button button--primary button--small" data-testid="decision-review-save">"Save review"</button>
                    </form>
                }
            })}
        </li>
    }
}
