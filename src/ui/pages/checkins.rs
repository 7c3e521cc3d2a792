//! The weekly check-in sweep: every open commitment on one screen, keyboard-fast.
//! Type a value, Tab to evidence and confidence, Enter saves and moves to the next.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::PageHeader;
use crate::core::*;
use crate::ui::form::{choice, number};
use crate::ui::state::{use_app, Persistence};
use crate::ui::widgets::{EmptyState, ShowAll};

/// Focuses the value input of the sweep row after `index`, if any.
fn focus_next(index: usize) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else { return };
    let selector = format!("[data-sweep-index=\"{}\"]", index + 1);
    if let Ok(Some(el)) = doc.query_selector(&selector) {
        if let Ok(input) = el.dyn_into::<web_sys::HtmlElement>() {
            let _ = input.focus();
        }
    }
}

/// Sweep rows shown at first.
const FIRST_ROWS: usize = 100;

#[component]
pub fn CheckIns() -> impl IntoView {
    let ctx = use_app();
    // The rows change only when the set of open commitments does, so a saved row keeps
    // its state and the focus moves on undisturbed.
    let open = Memo::new(move |_| {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            let grace = i64::from(w.policy.grace_days);
            w.commitments.iter().filter(|c| c.start <= as_of && c.due.is_none_or(|d| score::add_days(d, grace) >= as_of)).map(|c| c.id).collect::<Vec<_>>()
        })
    });
    let saved = RwSignal::new(0usize);
    // Of those, the rows recorded while this tab could not write, not stored yet.
    let unstored = RwSignal::new(0usize);
    // What the last undo or redo did to a row, said where the user is.
    let notice = RwSignal::new(String::new());
    // Another as-of date starts another sweep: the count and the notice start again too.
    Effect::new(move |prev: Option<time::Date>| {
        let date = ctx.as_of.get();
        if prev.is_some_and(|p| p != date) {
            saved.set(0);
            unstored.set(0);
            notice.set(String::new());
        }
        date
    });
    // A large organisation has hundreds of open commitments: the first rows come at once,
    // the rest on request.
    let show_all = RwSignal::new(false);
    // A link from the to-do list (`#/check-ins?c=ID`) opens the sweep at that row.
    let wanted: Option<u32> = crate::ui::browser::hash_param("c").and_then(|c| c.parse().ok());
    if let Some(c) = wanted {
        if open.get_untracked().iter().position(|id| id.0 == c).is_some_and(|i| i >= FIRST_ROWS) {
            show_all.set(true);
        }
        request_animation_frame(move || {
            if let Some(el) = document().get_element_by_id(&format!("sweep-value-{c}")) {
                el.scroll_into_view();
                if let Ok(input) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = input.focus();
                }
            }
        });
    }
    view! {
        <PageHeader title="Check-ins" lead="Measure soon after things happen: a weekly value for every open commitment, with evidence someone else can verify.">
            <super::overview::AsOfPicker/>
        </PageHeader>
        {move || {
            let mut ids = open.get();
            let n = ids.len();
            // Rows past the first come in their own part of the list, so showing them
            // leaves the first rows (and anything typed in them) as they are.
            let rest = ids.split_off(n.min(FIRST_ROWS));
            if ids.is_empty() {
                view! {
                    <EmptyState title="No open commitments" testid="checkins-empty">
                        <p>"Check-ins record where each open commitment stands. Add commitments on a unit's page (a result with a baseline, a target and a due date) and they appear here every week."</p>
                        <p><a href="#/units">"Go to units"</a></p>
                    </EmptyState>
                }.into_any()
            } else {
                view! {
                    <section class="card sweep" data-testid="sweep">
                        <div class="card__head">
                            <h2 class="card__title">{move || format!("{n} open commitment{} · values dated {}", if n == 1 { "" } else { "s" }, format_date(ctx.as_of.get()))}</h2>
                            <p class="muted" role="status" aria-live="polite" data-testid="sweep-saved">{move || {
                                let count = match (saved.get(), unstored.get()) {
                                    (0, _) => String::new(),
                                    (n, 0) => format!("{n} saved"),
                                    (n, k) if k >= n => format!("{n} recorded, not stored yet"),
                                    (n, k) => format!("{} saved, {k} recorded and not stored yet", n - k),
                                };
                                [count, notice.get()].into_iter().filter(|t| !t.is_empty()).collect::<Vec<_>>().join(" · ")
                            }}</p>
                        </div>
                        <p class="muted">"Enter saves a row and moves to the next (on an empty row it just moves on). A second value on the same date replaces the first. Ctrl+Z in an empty value takes back the last save; Ctrl+Shift+Z or Ctrl+Y puts it back."</p>
                        {ctx.recording_unit().and_then(|u| ctx.ws.with_untracked(|w| w.unit(u).map(|u| u.name.to_string()))).map(|name| view! {
                            <p class="muted" data-testid="sweep-recorder">"Values you save here are recorded by "<strong>{name}</strong>" (Settings → Team workspace)."</p>
                        })}
                        <ol class="sweep__list">
                            {ids.into_iter().enumerate().map(|(i, id)| view! { <SweepRow id=id index=i saved=saved unstored=unstored notice=notice/> }).collect_view()}
                            {move || show_all.get().then(|| rest.iter().enumerate().map(|(i, &id)| view! { <SweepRow id=id index=FIRST_ROWS + i saved=saved unstored=unstored notice=notice/> }).collect_view())}
                        </ol>
                        <ShowAll first=FIRST_ROWS total=n what="open commitments" show_all=show_all/>
                    </section>
                }.into_any()
            }
        }}
    }
}

#[component]
fn SweepRow(id: CommitmentId, index: usize, saved: RwSignal<usize>, unstored: RwSignal<usize>, notice: RwSignal<String>) -> impl IntoView {
    let ctx = use_app();
    // The check-in this row saved (date and value). The row is done while the workspace
    // holds it: an undo takes it back and the row shows so.
    let last_saved = RwSignal::new(None::<(time::Date, f64)>);
    let done = Memo::new(move |_| last_saved.get().is_some_and(|(date, v)| ctx.ws.with(|w| w.commitment(id).is_some_and(|c| c.checkins().iter().any(|k| k.date == date && k.value.get() == v)))));
    // A value that looked implausible and was shown to the user: saving it again confirms.
    let confirming = RwSignal::new(None::<f64>);
    let warning = RwSignal::new(None::<String>);
    let info = ctx.ws.with_untracked(|w| w.commitment(id).map(|c| (c.owner, w.unit_name(c.owner).to_owned(), c.title.to_string())));
    // The target and the last reading as of the date being entered, not a later one.
    let meta = move || {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            w.commitment(id)
                .map(|c| {
                    let last = c.checkins().iter().rev().find(|k| k.date <= as_of).map(|k| format!("last {} on {}", k.value.get(), format_date(k.date))).unwrap_or_else(|| "no check-in yet".into());
                    let target = c.aim();
                    // When it is judged: a value after the due day changes a result already met or missed.
                    let due = match c.due {
                        Some(d) if d < as_of => format!(" · fell due {}", format_date(d)),
                        Some(d) => format!(" · due {}", format_date(d)),
                        None => String::new(),
                    };
                    format!("{target}{due} · {last}")
                })
                .unwrap_or_default()
        })
    };
    let Some((owner, unit, title)) = info else { return ().into_any() };
    // What was typed in this row and not saved comes back after a visit to another page,
    // or a reload.
    let draft_key = move |field: &str| format!("{}/sweep/{}/{}/{field}", ctx.id.get_untracked(), id.0, ctx.as_of.get_untracked());
    let value = RwSignal::new(ctx.typed(&draft_key("value")));
    let evidence = RwSignal::new(ctx.typed(&draft_key("evidence")));
    let confidence = RwSignal::new(ctx.typed(&draft_key("confidence")));
    Effect::new(move |_| {
        let typed = [("value", value.get()), ("evidence", evidence.get()), ("confidence", confidence.get())];
        let unsaved = !done.get() && typed.iter().any(|(_, t)| !t.trim().is_empty());
        for (field, text) in &typed {
            ctx.set_typed(&draft_key(field), if unsaved { text } else { "" });
        }
    });
    // What the row held when it saved: a value changed after it is not saved, and the
    // row says so rather than "Saved ✓".
    let saved_texts = RwSignal::new(None::<[String; 3]>);
    let error = RwSignal::new(None::<String>);
    // An undo (or redo) changes whether the row is done: the count follows, and the row
    // and the sweep say what happened.
    let undone = RwSignal::new(None::<String>);
    // Set by a save, so the change it makes is counted but not announced as a redo.
    let just_saved = StoredValue::new(false);
    // Another as-of date is another sweep: the row starts empty (what it saved stays
    // stored, and the row would otherwise read as saved on the new date).
    Effect::new(move |prev: Option<time::Date>| {
        let date = ctx.as_of.get();
        if prev.is_some_and(|p| p != date) {
            last_saved.set(None);
            confirming.set(None);
            warning.set(None);
            error.set(None);
            undone.set(None);
            value.set(String::new());
            evidence.set(String::new());
            confidence.set(String::new());
        }
        date
    });
    // The stored revision when the row recorded its value: any write since stored it.
    let recorded_at = StoredValue::new(0u64);
    // Stored while this tab writes (the write follows within a second), or once a write
    // followed the row's value; not while the page's banner says this tab cannot write
    // (a conflict with another tab, a full or missing storage), nor when the write that
    // held it was replaced by another tab's at the same moment.
    let stored = move || ctx.persistence.with(|p| matches!(p, Persistence::Saved)) || crate::ui::save_plan::recorded_is_stored(recorded_at.get_value(), ctx.rev.get(), ctx.lost.get());
    let waiting = Memo::new(move |_| done.get() && !stored());
    Effect::new(move |prev: Option<bool>| {
        let now = waiting.get();
        if prev.unwrap_or(false) != now {
            unstored.update(|n| if now { *n += 1 } else { *n = n.saturating_sub(1) });
        }
        now
    });
    {
        let title = title.clone();
        // Versions replaced so far: a value gone with this tab's version is said so.
        let replaced_seen = StoredValue::new(ctx.replaced.get_untracked());
        Effect::new(move |prev: Option<bool>| {
            let now = done.get();
            let replaced = ctx.replaced.get() != replaced_seen.get_value();
            replaced_seen.set_value(ctx.replaced.get_untracked());
            if let Some(before) = prev.filter(|b| *b != now) {
                let what = last_saved.get_untracked().map(|(date, v)| format!("{v} on {}", format_date(date))).unwrap_or_default();
                if now {
                    saved.update(|n| *n += 1);
                    undone.set(None);
                    if !just_saved.get_value() {
                        notice.set(format!("Redid check-in for {title} ({what})"));
                    }
                } else if before && replaced {
                    // Not undone here: the version now shown, another tab's, has no such
                    // value (where this tab's version was kept, if it was, the message at
                    // the top of the page says). It is back in the field to record again.
                    saved.update(|n| *n = n.saturating_sub(1));
                    let text = format!("The version now shown, another tab's, does not have {what}. Press Enter to record it again.");
                    if let Some((_, v)) = last_saved.get_untracked() {
                        value.set(v.to_string());
                    }
                    undone.set(Some(text.clone()));
                    notice.set(format!("{title}: {text}"));
                } else if before && last_saved.get_untracked().is_some() {
                    saved.update(|n| *n = n.saturating_sub(1));
                    let text = format!("Undid check-in for {title} ({what})");
                    undone.set(Some(text.clone()));
                    notice.set(text);
                    // The row starts again: Enter on it would otherwise save the undone value anew.
                    value.set(String::new());
                    evidence.set(String::new());
                    confidence.set(String::new());
                    saved_texts.set(None);
                    // The row is where the value can be corrected and saved again.
                    if let Some(el) = document().get_element_by_id(&format!("sweep-value-{}", id.0)) {
                        if let Ok(input) = el.dyn_into::<web_sys::HtmlElement>() {
                            let _ = input.focus();
                        }
                    }
                }
            }
            just_saved.set_value(false);
            now
        });
    }
    // (An empty value saves nothing: a row emptied, or emptied by Undo and then redone,
    // is not a change to save.)
    let changed_since = move || !value.with(|v| v.trim().is_empty()) && saved_texts.with(|s| s.as_ref().is_some_and(|s| *s != [value.get(), evidence.get(), confidence.get()]));
    let label = move || match (done.get() && !changed_since(), stored(), confirming.get().is_some()) {
        (true, true, _) => "Saved ✓",
        (true, false, _) => "Recorded",
        (false, _, true) => "Save anyway",
        (false, _, false) if done.get() => "Save the change",
        (false, _, false) => "Save",
    };
    // Once saved, the row shows what the check-in did to the scores.
    let result = move || {
        done.get().then(|| {
            ctx.scores.with(|s| {
                let commitment = s.commitment(id).map(|c| match c.attainment {
                    Some(a) => format!("{:.0}% of the way to target, {}", a * 100.0, c.path.label()),
                    None => c.path.label().to_owned(),
                });
                let unit = s.unit(owner).map(|u| format!("unit track record TR {}", crate::core::explain::f2(u.track_record)));
                let waits = waiting.get().then(|| "recorded in this tab, not stored yet: choose a version in the message under the header".to_owned());
                [commitment, unit, waits].into_iter().flatten().collect::<Vec<_>>().join(" · ")
            })
        })
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // Enter on a row left empty moves on: nothing to save is not an error.
        if value.get_untracked().trim().is_empty() {
            error.set(None);
            warning.set(None);
            focus_next(index);
            return;
        }
        let v = match number(&value.get_untracked(), "value") {
            Ok(v) => v,
            Err(e) => return error.set(Some(crate::core::error::beside_field(&e))),
        };
        let date = ctx.as_of.get_untracked();
        let conf = match confidence.get_untracked().as_str() {
            "" => None,
            text => match choice::<Confidence>(text) {
                Ok(c) => Some(c),
                Err(e) => return error.set(Some(crate::core::error::beside_field(&e))),
            },
        };
        // A value far outside the commitment's scale, or one replacing another value of
        // that day, is asked about once, not refused: saving the same value again records it.
        if confirming.get_untracked() != Some(v.get()) {
            if let Some(why) = ctx.ws.with_untracked(|w| w.commitment(id).and_then(|c| crate::core::plausible::ask_before_recording(c, v.get(), date))) {
                confirming.set(Some(v.get()));
                warning.set(Some(format!("{why}. Is that right? Press Enter again (or Save anyway) to record it, or correct the value.")));
                return;
            }
        }
        confirming.set(None);
        warning.set(None);
        let checkin = CheckIn { date, value: v, confidence: conf, note: String::new(), evidence: evidence.get_untracked().trim().to_owned(), recorded_by: ctx.recording_unit() };
        // A value already recorded on this day is replaced: an edit, not a second entry.
        if let Err(e) = ctx.edit(Command::RecordCheckIn { commitment: id, checkin }) {
            return error.set(Some(crate::core::error::beside_field(&e.to_string())));
        }
        error.set(None);
        undone.set(None);
        just_saved.set_value(true);
        recorded_at.set_value(ctx.rev.get_untracked());
        last_saved.set(Some((date, v.get())));
        saved_texts.set(Some([value.get_untracked(), evidence.get_untracked(), confidence.get_untracked()]));
        notice.set(String::new());
        focus_next(index);
    };
    // Ctrl+Z (or Cmd+Z) in an empty value takes back the last save, and Ctrl+Shift+Z or
    // Ctrl+Y applies it again: after Enter (or an Undo) the focus is in a row's empty
    // field, where the browser's own text undo has nothing to do.
    let undo_key = move |ev: leptos::ev::KeyboardEvent| {
        if !(ev.ctrl_key() || ev.meta_key()) || !value.get_untracked().is_empty() {
            return;
        }
        let key = ev.key().to_lowercase();
        if key == "z" && !ev.shift_key() {
            ev.prevent_default();
            ctx.undo();
        } else if (key == "z" && ev.shift_key()) || key == "y" {
            ev.prevent_default();
            ctx.redo();
        }
    };
    let vid = format!("sweep-value-{}", id.0);
    let eid = format!("sweep-evidence-{}", id.0);
    let cid = format!("sweep-confidence-{}", id.0);
    view! {
        <li class="sweep__row" class=("sweep__row--done", move || done.get() && !waiting.get()) class=("sweep__row--waiting", move || waiting.get()) data-testid="sweep-row" data-commitment-id=id.0.to_string()>
            <form class="sweep__form" on:submit=submit>
                <div class="sweep__what">
                    <span class="sweep__unit">{unit}</span>
                    <span class="sweep__title">{title.clone()}</span>
                    <span class="sweep__meta">{meta}</span>
                </div>
                <div class="field field--compact">
                    <label for=vid.clone()>"Value"<span class="visually-hidden">{format!(" of {title}")}</span></label>
                    <input id=vid type="text" inputmode="decimal" autocomplete="off" data-testid="sweep-value" data-sweep-index=index.to_string()
                        aria-describedby=format!("sweep-error-{}", id.0)
                        prop:value=move || value.get() on:keydown=undo_key
                        on:input=move |ev| { value.set(event_target_value(&ev)); error.set(None); warning.set(None); confirming.set(None); }/>
                </div>
                <div class="field field--compact">
                    <label for=eid.clone()>"Evidence"<span class="visually-hidden">{format!(" of {title}")}</span></label>
                    <input id=eid type="text" placeholder="link or note" data-testid="sweep-evidence" prop:value=move || evidence.get() on:input=move |ev| evidence.set(event_target_value(&ev))/>
                </div>
                <div class="field field--compact">
                    <label for=cid.clone()>"Confidence"<span class="visually-hidden">{format!(" of {title}")}</span></label>
                    // Enter saves the row here too, as in its text fields (a select takes no
                    // Enter of its own to submit its form).
                    <select id=cid data-testid="sweep-confidence" on:change=move |ev| confidence.set(event_target_value(&ev))
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" && !ev.alt_key() {
                                ev.prevent_default();
                                let save = event_target::<web_sys::Element>(&ev).closest("form").ok().flatten().and_then(|f| f.query_selector("[data-testid=sweep-save]").ok().flatten());
                                if let Some(button) = save.and_then(|b| b.dyn_into::<web_sys::HtmlElement>().ok()) {
                                    button.click();
                                }
                            }
                        }>
                        {[("", "—"), ("on_track", "On track"), ("at_risk", "At risk"), ("off_track", "Off track")]
                            .map(|(v, label)| view! { <option value=v selected=move || confidence.get() == v>{label}</option> })}
                    </select>
                </div>
                <button type="submit" class="button button--small" data-testid="sweep-save"
                    aria-label={ let title = title.clone(); move || match label() {
                        "Save the change" => format!("Save the changed check-in for {title}"),
                        label => format!("{} check-in for {title}", label.trim_end_matches(" ✓")),
                    } }>
                    {label}
                </button>
                <p class="sweep__result" data-testid="sweep-result">{result}{move || undone.get()}</p>
                <p class="field__warning" role="alert" data-testid="sweep-warning" hidden=move || warning.with(Option::is_none)>{move || warning.get()}</p>
                <p id=format!("sweep-error-{}", id.0) class="field__error" role="alert">{move || error.get()}</p>
            </form>
        </li>
    }
    .into_any()
}
