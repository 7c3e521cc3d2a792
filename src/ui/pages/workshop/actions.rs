//! Step 6: per unit in scope, the verdict (pre-filled from the recommendation, which
//! the room may change) and the action items with an owner (offered from the
//! participants and the units) and a due date, both required — each may become a
//! commitment due that day — recorded once, in one command, with visible confirmation.
//! Then the workshop is finished (after naming the units in scope still without a
//! verdict) and its summary shown.

use leptos::prelude::*;

use super::clock::now_ms;
use super::session::{with_session, with_session_untracked, DayScores};
use crate::core::workshop::{ActionInput, WorkshopId};
use crate::core::*;
use crate::ui::browser;
use crate::ui::form::choice;
use crate::ui::state::{use_app, AppCtx};
use crate::ui::widgets::Confirm;

#[component]
pub fn ActionsStep(id: WorkshopId) -> impl IntoView {
    let ctx = use_app();
    let units = move || with_session(ctx, id, |s| s.units.clone()).unwrap_or_default();
    let error = RwSignal::new(None::<String>);
    // The units in scope without an agreed verdict, named before finishing (it may finish anyway).
    let pending = RwSignal::new(None::<String>);
    let finish = move |anyway: bool| {
        if !anyway {
            let missing: Vec<(UnitId, String)> =
                with_session_untracked(ctx, id, |s| ctx.ws.with_untracked(|w| s.units_without_outcome().into_iter().map(|u| (u, w.unit_name(u).to_owned())).collect())).unwrap_or_default();
            if !missing.is_empty() {
                let n = missing.len();
                let names = missing.iter().map(|(_, name)| name.as_str()).collect::<Vec<_>>().join(", ");
                // Actions typed for those units and not agreed would be left out of the summary.
                let ws = ctx.id.get_untracked();
                let typed: Vec<&str> = missing.iter().filter(|(u, _)| ctx.has_typed(&format!("{ws}/workshop/{}/unit/{}/action/", id.0, u.0))).map(|(_, name)| name.as_str()).collect();
                let typed = if typed.is_empty() {
                    String::new()
                } else {
                    format!(" The actions typed for {} are not recorded until “Agree and record” is pressed, so the summary leaves them out.", typed.join(", "))
                };
                return pending.set(Some(format!("{n} unit{} in scope {} no agreed verdict yet: {names}.{typed} Finish anyway?", if n == 1 { "" } else { "s" }, if n == 1 { "has" } else { "have" })));
            }
        }
        pending.set(None);
        match ctx.edit(Command::FinishWorkshop { workshop: id, now_ms: now_ms() }) {
            // The steps give way to the summary: the focus goes to its heading.
            Ok(_) => browser::focus_after_render("[data-testid=\"workshop-summary\"] h2".into()),
            Err(e) => error.set(Some(crate::core::error::beside_field(&e.to_string()))),
        }
    };
    view! {
        <ul class="workshop__actions" data-testid="workshop-actions">
            {move || units().into_iter().map(|u| view! { <UnitActions id=id unit=u/> }).collect_view()}
        </ul>
        {move || units().is_empty().then(|| view! { <p data-testid="workshop-actions-empty">"No unit is in this workshop: tick them in step 2."</p> })}
        <div class="button-row">
            <button type="button" class="button button--primary" data-testid="workshop-finish" on:click=move |_| finish(false)>"Finish and show the summary"</button>
        </div>
        {move || pending.get().map(|q| view! {
            <Confirm testid="workshop-finish-pending" question=q confirm="Finish anyway" cancel="Not yet" on_confirm=move |_| finish(true) on_cancel=move |_| pending.set(None)/>
        })}
        <p class="field__error" role="alert">{move || error.get()}</p>
    }
}

/// An action being typed.
#[derive(Clone, Default)]
struct Draft {
    text: RwSignal<String>,
    owner: RwSignal<String>,
    due: RwSignal<String>,
    /// A commitment category, or empty for none.
    commitment: RwSignal<String>,
}

impl Draft {
    fn fields(&self) -> [RwSignal<String>; 4] {
        [self.text, self.owner, self.due, self.commitment]
    }

    /// The `i`th action of a unit's form, with what was typed in it (`form` is the
    /// form's key prefix, see [`AppCtx::typed_field`]).
    fn new(ctx: AppCtx, form: &str, i: usize) -> Draft {
        let field = |name: &str| ctx.typed_field(format!("{form}action/{i}/{name}"), String::new());
        Draft { text: field("text"), owner: field("owner"), due: field("due"), commitment: field("commitment") }
    }

    /// The action typed, none for a blank row, or why it is refused and the field that
    /// says so (its element id's start: `action`, `owner`, `due` or `commit`).
    fn read(&self) -> Result<Option<ActionInput>, (&'static str, String)> {
        let text = self.text.get_untracked();
        if text.trim().is_empty() {
            return Ok(None);
        }
        let text = Name::new(text).map_err(|e| ("action", format!("Action: {e}")))?;
        let owner = Name::new(self.owner.get_untracked()).map_err(|_| ("owner", format!("Name who owns “{text}” (a participant or a unit).")))?;
        // Every action has a date to be done by (so one that becomes a commitment has its due date).
        let due = match self.due.get_untracked().trim() {
            "" => return Err(("due", format!("Give “{text}” a due date."))),
            d => Some(crate::core::parse_typed_date(d).map_err(|_| ("due", format!("The due date of “{text}” is not a date: pick one in the calendar.")))?),
        };
        let commitment = match self.commitment.get_untracked().as_str() {
            "" => None,
            c => Some(choice::<Category>(c).map_err(|e| ("commit", e))?),
        };
        Ok(Some(ActionInput { text, owner, due, commitment }))
    }
}

#[component]
fn UnitActions(id: WorkshopId, unit: UnitId) -> impl IntoView {
    let ctx = use_app();
    let name = ctx.ws.with_untracked(|w| w.unit_name(unit).to_owned());
    let unit_name = StoredValue::new(name.clone());
    let day = DayScores::new(ctx, id);
    let rec = move || day.with(|s| s.unit(unit).map(|u| u.recommendation.clone()));
    // What is typed here and not agreed yet survives another page and a reload.
    let form = format!("{}/workshop/{}/unit/{}/", ctx.id.get_untracked(), id.0, unit.0);
    let verdict = ctx.typed_field(format!("{form}verdict"), rec().map(|r| r.verdict.as_str().to_owned()).unwrap_or_else(|| "hold".into()));
    let note = ctx.typed_field(format!("{form}note"), String::new());
    let rows = ctx.typed(&format!("{form}actions")).parse::<usize>().unwrap_or(1).clamp(1, 50);
    let drafts = RwSignal::new((0..rows).map(|i| Draft::new(ctx, &form, i)).collect::<Vec<_>>());
    let form = StoredValue::new(form);
    Effect::new(move |_| {
        let n = drafts.with(Vec::len);
        let n = if n > 1 { n.to_string() } else { String::new() };
        form.with_value(|f| ctx.set_typed(&format!("{f}actions"), &n));
    });
    let error = RwSignal::new(None::<String>);
    // The element id of the action field a refusal is about.
    let invalid = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let uid = unit.0;
    // `aria-invalid` of the action field `id`.
    let marked = move |id: String| move || if invalid.with(|f| f.as_deref() == Some(id.as_str())) { "true" } else { "false" };
    // An action taken out: the ones after it move up (each row's typed text is kept by
    // its place), and the last row goes; the only row is emptied. The focus goes to the
    // row now in its place, else the one before.
    let remove = move |i: usize| {
        invalid.set(None);
        // Said, as the row goes from under the focus: which one, and what it held.
        let text = drafts.with_untracked(|d| d.get(i).map(|d| d.text.get_untracked().trim().to_owned())).unwrap_or_default();
        let what = if text.is_empty() { String::new() } else { format!(" (\u{201c}{text}\u{201d})") };
        status.set(Some(format!("Removed action {} of {}{what}.", i + 1, unit_name.get_value())));
        drafts.update(|d| {
            for j in i..d.len().saturating_sub(1) {
                for (here, next) in d[j].fields().into_iter().zip(d[j + 1].fields()) {
                    here.set(next.get_untracked());
                }
            }
            if let Some(last) = d.last() {
                last.fields().into_iter().for_each(|f| f.set(String::new()));
            }
            if d.len() > 1 {
                d.pop();
            }
        });
        let at = i.min(drafts.with_untracked(Vec::len) - 1);
        browser::focus_after_render(format!("#action-{uid}-{at}"));
    };
    let outcome = move || with_session(ctx, id, |s| s.outcome(unit).cloned()).flatten();
    // A second click records nothing: the agreement is there by then (and the core takes
    // a repeat of the same agreement as already recorded).
    let record = move |_| {
        if with_session_untracked(ctx, id, |s| s.outcome(unit).is_some()).unwrap_or(false) {
            return;
        }
        let v = match choice::<Verdict>(&verdict.get_untracked()) {
            Ok(v) => v,
            Err(e) => return error.set(Some(e)),
        };
        let actions: Result<Vec<ActionInput>, String> = drafts
            .get_untracked()
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                d.read()
                    .map_err(|(field, why)| {
                        // The field refused is marked and takes the focus, its message read with it.
                        let field = format!("{field}-{uid}-{i}");
                        browser::focus_after_render(format!("#{field}"));
                        invalid.set(Some(field));
                        why
                    })
                    .transpose()
            })
            .collect();
        let actions = match actions {
            Ok(a) => a,
            Err(e) => return error.set(Some(e)),
        };
        invalid.set(None);
        let reviewer = ctx.ws.with_untracked(|w| w.unit(unit).and_then(|u| u.parent));
        let n = actions.len();
        match ctx.edit(Command::AgreeActions { workshop: id, unit, verdict: v, reviewer, note: note.get_untracked(), actions }) {
            Ok(_) => {
                form.with_value(|f| ctx.forget_typed(f));
                error.set(None);
                status.set(Some(format!("Recorded: {} with {n} action{}.", v.as_str(), if n == 1 { "" } else { "s" })));
                // The form is gone: the focus goes to what was agreed.
                browser::focus_after_render(format!("[data-testid=\"workshop-unit-actions\"][data-unit=\"{}\"] [data-testid=\"workshop-agreed\"]", unit.0));
            }
            Err(e) => error.set(Some(crate::core::error::beside_field(&e.to_string()))),
        }
    };
    // Owners are offered from the participants and the units; any other name is allowed.
    let owners = move || {
        let mut names: Vec<String> = with_session(ctx, id, |s| s.participants.iter().map(|p| p.to_string()).collect()).unwrap_or_default();
        for unit in ctx.ws.with(|w| w.units.iter().map(|u| u.name.to_string()).collect::<Vec<_>>()) {
            if !names.contains(&unit) {
                names.push(unit);
            }
        }
        names
    };
    view! {
        <li class="workshop__action" data-testid="workshop-unit-actions" data-unit=uid.to_string()>
            <h3 class="workshop__sub">{name.clone()}</h3>
            // Until the room agrees: once it has, the recommendation is computed from the
            // review just recorded and would contradict the agreement shown below it.
            {move || outcome().is_none().then(rec).flatten().map(|r| view! { <p class="muted" data-testid="workshop-recommendation">{format!("Recommended: {} — {}", r.verdict.as_str(), r.reason)}</p> })}
            {move || match outcome() {
                Some(o) => view! {
                    <div class="workshop__agreed" data-testid="workshop-agreed">
                        <p><strong>{format!("Agreed: {}", o.verdict.as_str())}</strong>{(!o.note.is_empty()).then(|| format!(" — {}", o.note))}" ✓"</p>
                        <ul>{o.actions.iter().map(|a| view! {
                            <li>{format!("{} — {}{}{}{}", a.text, a.owner, a.due.map(|d| format!(", due {}", format_date(d))).unwrap_or_default(), if a.commitment.is_some() { " (a commitment)" } else { "" }, a.done.map(|d| format!(", done {}", format_date(d))).unwrap_or_default())}</li>
                        }).collect_view()}</ul>
                    </div>
                }.into_any(),
                None => view! {
                    <div class="form">
                        <div class="form__row">
                            <div class="field">
                                <label for=format!("verdict-{uid}")>"Verdict"</label>
                                <select id=format!("verdict-{uid}") data-testid="workshop-verdict" prop:value=move || verdict.get() on:change=move |ev| verdict.set(event_target_value(&ev))>
                                    {Verdict::ALL.iter().map(|v| view! { <option value=v.as_str()>{v.as_str()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="field field--wide">
                                <label for=format!("verdict-note-{uid}")>"Note"</label>
                                <input id=format!("verdict-note-{uid}") type="text" maxlength="2000" data-testid="workshop-verdict-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                            </div>
                        </div>
                        {move || drafts.get().into_iter().enumerate().map(|(i, d)| view! {
                            <div class="form__row workshop__action-item" data-testid="workshop-action-item">
                                <div class="field field--wide">
                                    <label for=format!("action-{uid}-{i}")>"Action"</label>
                                    <input id=format!("action-{uid}-{i}") type="text" maxlength="120" data-testid="workshop-action-text" aria-invalid=marked(format!("action-{uid}-{i}")) aria-describedby=format!("workshop-action-error-{uid}") prop:value=move || d.text.get() on:input=move |ev| d.text.set(event_target_value(&ev))/>
                                </div>
                                <div class="field">
                                    <label for=format!("owner-{uid}-{i}")>"Owner"</label>
                                    <input id=format!("owner-{uid}-{i}") type="text" maxlength="120" list=format!("owners-{uid}") autocomplete="off" data-testid="workshop-action-owner" aria-invalid=marked(format!("owner-{uid}-{i}")) aria-describedby=format!("workshop-action-error-{uid}") prop:value=move || d.owner.get() on:input=move |ev| d.owner.set(event_target_value(&ev))/>
                                </div>
                                <div class="field">
                                    <label for=format!("due-{uid}-{i}")>"Due by"</label>
                                    <input id=format!("due-{uid}-{i}") type="date" data-testid="workshop-action-due" aria-invalid=marked(format!("due-{uid}-{i}")) aria-describedby=format!("workshop-action-error-{uid}") prop:value=move || d.due.get() on:input=move |ev| d.due.set(event_target_value(&ev))/>
                                </div>
                                <div class="field">
                                    <label for=format!("commit-{uid}-{i}")>"Also a commitment"</label>
                                    <select id=format!("commit-{uid}-{i}") data-testid="workshop-action-commitment" aria-invalid=marked(format!("commit-{uid}-{i}")) aria-describedby=format!("workshop-action-error-{uid}") prop:value=move || d.commitment.get() on:change=move |ev| d.commitment.set(event_target_value(&ev))>
                                        <option value="">"no"</option>
                                        {Category::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                                    </select>
                                    // What the commitment made counts for, said before it is agreed.
                                    <p class="field__hint" data-testid="workshop-action-commitment-hint" hidden=move || d.commitment.with(String::is_empty)>
                                        "A commitment of this unit, titled as the action and due that day, with no baseline or target yet: until it has them it is vague, which lowers the unit's rigor and so its supported autonomy."
                                    </p>
                                </div>
                                // Shown where there is something to take out: another row, or text in this one.
                                <div class="field field--action" hidden=move || drafts.with(Vec::len) == 1 && d.fields().iter().all(|f| f.with(String::is_empty))>
                                    <button type="button" class="button button--small" data-testid="workshop-action-remove" aria-label=format!("Remove action {} of {}", i + 1, unit_name.get_value()) on:click=move |_| remove(i)>"Remove"</button>
                                </div>
                            </div>
                        }).collect_view()}
                        <datalist id=format!("owners-{uid}") data-testid="workshop-owner-options">
                            {move || owners().into_iter().map(|n| view! { <option value=n/> }).collect_view()}
                        </datalist>
                        <div class="button-row">
                            <button type="button" class="button button--small" data-testid="workshop-action-more" on:click=move |_| {
                                drafts.update(|d| d.push(form.with_value(|f| Draft::new(ctx, f, d.len()))));
                                // The new row is where the facilitator types next.
                                browser::focus_after_render(format!("#action-{uid}-{}", drafts.with_untracked(Vec::len) - 1));
                            }>"+ Another action"</button>
                            <button type="button" class="button button--primary" data-testid="workshop-record-review" on:click=record>"Agree and record"</button>
                        </div>
                    </div>
                }.into_any(),
            }}
            <p role="status" class="form__status" data-testid="workshop-action-status">{move || status.get()}</p>
            <p id=format!("workshop-action-error-{uid}") class="field__error" role="alert" data-testid="workshop-action-error">{move || error.get()}</p>
        </li>
    }
}
