//! Autonomy reviews of the unit: the history, and a form that starts from the recommendation.

use leptos::prelude::*;

use crate::core::*;
use crate::ui::form::{choice, FieldError, FormError, SubmitOnce};
use crate::ui::state::use_app;
use crate::ui::widgets::LaterNote;

/// Autonomy reviews, with a form that starts from the recommendation.
#[component]
pub fn Reviews(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let rec = move || ctx.scores.with(|s| s.unit(id).map(|u| u.recommendation.clone()));
    let verdict = RwSignal::new(String::new());
    // The reason as typed, nothing else: the recommendation's sentence is its placeholder
    // (recorded when the reason is left empty with the recommended verdict), never text
    // in the field that typing would splice into. Kept across another page and a reload.
    let draft = format!("{}/review-form/{}/", ctx.id.get_untracked(), id.0);
    let note = ctx.typed_field(format!("{draft}note"), String::new());
    // The review this form recorded last: said while the workspace holds it (Undo takes
    // the sentence back with the review).
    let saved = RwSignal::new(None::<(time::Date, Verdict)>);
    let saved_text = move || {
        let (date, v) = saved.get()?;
        ctx.ws.with(|w| w.reviews.iter().any(|r| r.unit == id && r.date == date && r.verdict == v)).then(|| format!("Review recorded: {} on {}.", v.as_str(), format_date(date)))
    };
    let error = FormError::default();
    let once = SubmitOnce::default();
    let current_verdict = move || if verdict.get().is_empty() { rec().map(|r| r.verdict.as_str().to_owned()).unwrap_or("hold".into()) } else { verdict.get() };
    // The recommendation's reason stands for an empty one only while the verdict chosen
    // is the recommended one: another verdict needs its own reason, never a sentence
    // arguing for the recommended one.
    let stands_in = move || rec().filter(|r| r.verdict.as_str() == current_verdict()).map(|r| r.reason);
    let placeholder = move || match (rec(), stands_in()) {
        (_, Some(reason)) => format!("Left empty, the recommendation's reason is recorded: {reason}"),
        (Some(r), None) => format!("Why {} instead of the recommended {}?", current_verdict(), r.verdict.as_str()),
        (None, None) => "Why this verdict?".to_owned(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if once.repeated() {
            return;
        }
        let v = match choice::<Verdict>(&current_verdict()) {
            Ok(v) => v,
            Err(e) => return error.set("review-verdict", e),
        };
        let typed = note.get_untracked().trim().to_owned();
        let text = match (typed.is_empty(), untrack(stands_in), untrack(rec)) {
            (false, _, _) => typed,
            (true, Some(reason), _) => reason,
            (true, None, Some(r)) => return error.set("review-note", format!("reason: is needed: say why {} instead of the recommended {}", v.as_str(), r.verdict.as_str())),
            (true, None, None) => return error.set("review-note", "reason: is needed: say why this verdict"),
        };
        let date = ctx.as_of.get_untracked();
        let reviewer = ctx.ws.with_untracked(|w| w.unit(id).and_then(|u| u.parent));
        if let Err(e) = ctx.edit(Command::RecordReview { unit: id, date, reviewer, verdict: v, note: text }) {
            return error.refuse(&e, &[("verdict", "review-verdict"), ("note", "review-note")], "review-verdict");
        }
        error.clear();
        once.recorded();
        verdict.set(String::new());
        note.set(String::new());
        ctx.forget_typed(&draft);
        saved.set(Some((date, v)));
    };
    // A link from the to-do list (`#/units/ID?to=review`) brings the form into view.
    if crate::ui::browser::hash_param("to").as_deref() == Some("review") {
        crate::ui::browser::focus_after_render("#review-verdict".into());
    }
    let later = Memo::new(move |_| {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| w.reviews.iter().filter(|r| r.unit == id && r.date > as_of).count())
    });
    let history = move || {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            w.reviews
                .iter()
                .filter(|r| r.unit == id && r.date <= as_of)
                .rev()
                .map(|r| (format_date(r.date), r.verdict, r.reviewer.map(|x| w.unit_name(x).to_owned()).unwrap_or_default(), r.note.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" data-testid="reviews">
            <h2 class="card__title">"Autonomy reviews"</h2>
            <p class="muted">"Closing the loop from results to scope is what makes accountability real. The form starts from the recommendation; change it if you decide otherwise, and say why."</p>
            <form class="form" data-testid="review-form" on:submit=submit on:input=move |_| once.touched() on:change=move |_| once.touched()>
                <div class="form__row">
                    <div class="field">
                        <label for="review-verdict">"Verdict"</label>
                        <select id="review-verdict" data-testid="review-verdict" aria-describedby="review-verdict-error" prop:value=current_verdict on:change=move |ev| verdict.set(event_target_value(&ev))>
                            <option value="expand">"Expand"</option>
                            <option value="hold">"Hold"</option>
                            <option value="contract">"Contract"</option>
                        </select>
                        <FieldError error=error field="review-verdict"/>
                    </div>
                    <div class="field field--wide">
                        <label for="review-note">"Reason"</label>
                        <textarea id="review-note" rows="2" data-testid="review-note" aria-describedby="review-note-error" prop:value=move || note.get() placeholder=placeholder on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                        <FieldError error=error field="review-note"/>
                    </div>
                    <div class="field field--action"><button type="submit" class="button button--primary" data-testid="review-save">"Record review"</button></div>
                </div>
                <p role="status" class="form__status" data-testid="review-status">{saved_text}</p>
            </form>
            <ul class="timeline" data-testid="review-history">
                {move || history().into_iter().map(|(d, v, by, n)| view! {
                    <li><span class=format!("verdict verdict--{}", v.as_str())>{v.as_str()}</span> " " <strong>{d}</strong> {if by.is_empty() { String::new() } else { format!(" by {by}") }} {if n.is_empty() { String::new() } else { format!(": {n}") }}</li>
                }).collect_view()}
            </ul>
            <LaterNote count=later what=("review", "reviews")/>
        </section>
    }
}
