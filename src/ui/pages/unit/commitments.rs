//! The unit's commitments with their sparklines, and the form to add or edit one.

use leptos::prelude::*;

use crate::charts;
use crate::core::*;
use crate::ui::form::{choice, number, optional_number, take_changes_meanwhile, FieldError, FormError, SubmitOnce};
use crate::ui::state::use_app;
use crate::ui::widgets::LaterNote;

fn unit_options(ws: &Workspace, except: Option<UnitId>) -> Vec<(UnitId, String)> {
    ws.units.iter().filter(|u| Some(u.id) != except).map(|u| (u.id, u.name.to_string())).collect()
}

/// The unit's commitments with sparklines, and the form to add one.
#[component]
pub fn Commitments(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    // Which form is open ("new", a commitment's id, or none) outlasts a reload, as what
    // is typed in it does.
    let open_key = format!("{}/unit/{}/commitment-form", ctx.id.get_untracked(), id.0);
    let was_open = ctx.typed(&open_key);
    let show_form = RwSignal::new(was_open == "new");
    let editing = RwSignal::new(was_open.parse().ok().map(CommitmentId));
    Effect::new(move |_| {
        let open = match (show_form.get(), editing.get()) {
            (true, _) => "new".to_owned(),
            (false, Some(c)) => c.0.to_string(),
            (false, None) => String::new(),
        };
        ctx.set_typed(&open_key, &open);
    });
    // A link from the to-do list (`#/units/ID?edit=C`, a vague commitment) opens its form
    // at the first of the fields it lacks.
    let linked = crate::ui::browser::hash_param("edit").and_then(|c| c.parse().ok()).and_then(|c| ctx.ws.with_untracked(|w| w.commitment(CommitmentId(c)).filter(|c| c.owner == id).cloned()));
    if let Some(c) = linked {
        editing.set(Some(c.id));
        let lacking = [(c.baseline.is_none(), "c-baseline"), (c.target.is_none(), "c-target"), (c.due.is_none(), "c-due"), (c.reviewer.is_none(), "c-reviewer")];
        let at = lacking.into_iter().find(|(missing, _)| *missing).map_or("c-title", |(_, field)| field);
        crate::ui::browser::focus_after_render(format!("#{at}"));
    }
    let later = Memo::new(move |_| {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| w.commitments.iter().filter(|c| c.owner == id && c.start > as_of).count())
    });
    let list = move || {
        let scores = ctx.scores.get();
        let theme = ctx.theme.get();
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            w.commitments
                .iter()
                .filter(|c| c.owner == id && c.start <= as_of)
                .map(|c| {
                    let cs = scores.commitment(c.id).cloned();
                    let known = c.checkins().iter().take_while(|k| k.date <= as_of).count();
                    (c.clone(), cs, charts::sparkline(c, as_of, theme), known)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" data-testid="commitments">
            <div class="card__head">
                <h2 class="card__title">"Commitments"</h2>
                <button type="button" class="button" data-testid="commitment-new" aria-expanded=move || show_form.get().to_string() on:click=move |_| {
                    // Closed without saving: what was typed goes with it.
                    if show_form.get_untracked() {
                        ctx.forget_typed(&draft_prefix(ctx, id, None));
                    }
                    show_form.update(|v| *v = !*v);
                }>
                    {move || if show_form.get() { "Close" } else { "Add a commitment" }}
                </button>
            </div>
            {move || show_form.get().then(|| view! {
                <CommitmentForm owner=id
                    on_done=Callback::new(move |_| {
                        show_form.set(false);
                        crate::ui::browser::focus_after_render("[data-testid=commitment-new]".into());
                    })
                    on_cancel=Callback::new(move |_| {
                        show_form.set(false);
                        crate::ui::browser::focus_after_render("[data-testid=commitment-new]".into());
                    })/>
            })}
            {move || editing.get().map(|cid| view! {
                <CommitmentForm owner=id editing=cid
                    on_done=Callback::new(move |_| {
                        editing.set(None);
                        // The form gives way to the list: the focus goes to the commitment saved.
                        crate::ui::browser::focus_after_render(format!("[data-commitment-id=\"{}\"] [data-testid=commitment-edit]", cid.0));
                    })
                    on_cancel=Callback::new(move |_| {
                        editing.set(None);
                        crate::ui::browser::focus_after_render(format!("[data-commitment-id=\"{}\"] [data-testid=commitment-edit]", cid.0));
                    })/>
                <CheckInHistory commitment=cid/>
            })}
            {move || {
                let items = list();
                if items.is_empty() {
                    view! { <p class="muted" data-testid="commitments-empty">"No commitments: with nothing measured, rigor is 0 and so is supported autonomy. Add a result this unit owns, with a baseline, a target and a due date."</p> }.into_any()
                } else {
                    view! {
                        <ul class="commitments">
                            {items.into_iter().map(|(c, cs, spark, known)| {
                                let status = cs.as_ref().map(|s| s.path.label()).unwrap_or("");
                                // A value recorded for a commitment with no baseline or target is no share of it: the
                                // line says what is missing rather than that no value came.
                                let att = match cs.as_ref().and_then(|s| s.attainment) {
                                    Some(a) => format!("{:.0}% of target", a * 100.0),
                                    None if known > 0 => c.unmeasured().unwrap_or("no value yet").to_owned(),
                                    None => "no value yet".to_owned(),
                                };
                                let tags: Vec<&str> = cs.as_ref().map(|s| {
                                    let mut t = Vec::new();
                                    if s.stale { t.push("stale") }
                                    if s.vague { t.push("vague") }
                                    if s.unverified { t.push("unverified") }
                                    t
                                }).unwrap_or_default();
                                let due = c.due.map(|d| format!("due {}", format_date(d))).unwrap_or_else(|| "no due date".into());
                                view! {
                                    <li class="commitment" data-testid="commitment" data-commitment-id=c.id.0.to_string()>
                                        <div class="commitment__main">
                                            <span class="commitment__title">{c.title.to_string()}</span>
                                            <span class="commitment__meta">{format!("{} · {} · {due} · {}", c.category.label(), c.aim(), if known == 1 { "1 check-in".to_owned() } else { format!("{known} check-ins") })}</span>
                                            <span class="commitment__status">{format!("{att} · {status}")} {tags.into_iter().map(|t| view! { " " <span class="tag">{t}</span> }).collect_view()}</span>
                                        </div>
                                        <div class="commitment__spark" inner_html=spark></div>
                                        <button type="button" class="button button--small" data-testid="commitment-edit" aria-label=format!("Edit {}", c.title) on:click=move |_| {
                                            editing.set(Some(c.id));
                                            // The form opens at the top of the card: the focus goes into it.
                                            crate::ui::browser::focus_after_render("#c-title".into());
                                        }>"Edit"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <LaterNote count=later what=("commitment", "commitments")/>
        </section>
    }
}

/// The element ids of [`form_texts`]' fields.
const FIELD_IDS: [&str; 11] = ["c-title", "c-category", "c-measure", "c-direction", "c-baseline", "c-target", "c-start", "c-due", "c-cadence", "c-weight", "c-reviewer"];

/// The names of [`form_texts`]' fields, as a message lists them.
const FIELD_NAMES: [&str; 11] = ["result", "category", "unit of measure", "direction", "baseline", "target", "start", "due date", "check-in cadence", "weight", "reviewer"];

/// A commitment's fields as the form's inputs hold them, in [`FIELD_NAMES`] order.
fn form_texts(c: &Commitment) -> [String; 11] {
    let num = |v: Option<Finite>| v.map(|x| x.get().to_string()).unwrap_or_default();
    [
        c.title.to_string(),
        c.category.as_str().to_owned(),
        c.measure.clone(),
        if c.direction == Direction::Lower { "lower" } else { "higher" }.to_owned(),
        num(c.baseline),
        num(c.target),
        format_date(c.start),
        c.due.map(format_date).unwrap_or_default(),
        c.cadence_days.map(|d| d.to_string()).unwrap_or_default(),
        c.weight.get().to_string(),
        c.reviewer.map(|p| p.0.to_string()).unwrap_or_default(),
    ]
}

/// Where a commitment form keeps what is typed in it (`AppCtx::typed_field`): one draft per
/// unit for a new commitment, one per commitment edited.
pub(crate) fn draft_prefix(ctx: crate::ui::state::AppCtx, owner: UnitId, editing: Option<CommitmentId>) -> String {
    format!("{}/commitment-form/{}/{}/", ctx.id.get_untracked(), owner.0, editing.map_or_else(|| "new".to_owned(), |c| c.0.to_string()))
}

/// Creates a commitment with inline validation.
#[component]
pub fn CommitmentForm(
    owner: UnitId,
    #[prop(into)] on_done: Callback<()>,
    /// The commitment to edit; a new one when absent.
    #[prop(optional)]
    editing: Option<CommitmentId>,
    /// A new commitment's start and due days when the form opens (else the as-of date
    /// and none): the workshop's results step offers its period.
    #[prop(optional)]
    dates: Option<(time::Date, time::Date)>,
    /// Closes the form without saving (Cancel, or Escape): what was typed is dropped.
    #[prop(optional, into)]
    on_cancel: Option<Callback<()>>,
) -> impl IntoView {
    let ctx = use_app();
    let existing = editing.and_then(|id| ctx.ws.with_untracked(|w| w.commitment(id).cloned()));
    let e = existing.as_ref();
    let opened = e.map(form_texts);
    // What is typed survives another page and a reload; it is forgotten once saved, or
    // when the form is closed.
    let prefix = draft_prefix(ctx, owner, editing);
    let field = |i: usize, new: String| ctx.typed_field(format!("{prefix}{}", FIELD_IDS[i]), opened.as_ref().map(|t| t[i].clone()).unwrap_or(new));
    let title = field(0, String::new());
    let category = field(1, "customer_value".to_owned());
    let measure = field(2, String::new());
    let direction = field(3, "higher".to_owned());
    let baseline = field(4, String::new());
    let target = field(5, String::new());
    let start = field(6, format_date(dates.map(|d| d.0).unwrap_or_else(|| ctx.as_of.get_untracked())));
    let due = field(7, dates.map(|d| format_date(d.1)).unwrap_or_default());
    let cadence = field(8, "7".to_owned());
    let weight = field(9, "1".to_owned());
    let default_reviewer = ctx.ws.with_untracked(|w| w.unit(owner).and_then(|u| u.parent));
    let reviewer = field(10, default_reviewer.map(|p| p.0.to_string()).unwrap_or_default());
    let public = RwSignal::new(e.is_none_or(|c| c.visibility == Visibility::Public));
    let fields = [title, category, measure, direction, baseline, target, start, due, cadence, weight, reviewer];
    // The commitment as this form last showed it: another tab's version taken live, or an
    // undo, may change it while the form is open.
    let shown = StoredValue::new(existing.clone());
    let error = FormError::default();
    let once = SubmitOnce::default();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if once.repeated() {
            return;
        }
        // Changed since the form showed it: saving would put back what changed. The fields
        // left as they were take the new values, the ones changed here stay, and the form
        // asks to check and save again.
        if let Some(before) = shown.get_value() {
            let now = ctx.ws.with_untracked(|w| w.commitment(before.id).cloned());
            // (Only what the form shows counts: a check-in recorded meanwhile changes none of it.)
            if let Some(now) = now.filter(|now| form_texts(now) != form_texts(&before) || now.visibility != before.visibility) {
                let (was, is) = (form_texts(&before), form_texts(&now));
                let fields: Vec<_> = fields.iter().zip(FIELD_IDS).zip(FIELD_NAMES).map(|((f, id), name)| (*f, id, name)).collect();
                let mut visibility = Vec::new();
                if (before.visibility != now.visibility) && public.get_untracked() == (before.visibility == Visibility::Public) {
                    public.set(now.visibility == Visibility::Public);
                    visibility.push("visibility");
                }
                shown.set_value(Some(now));
                // The category and the reviewer are kept as keys: the message names them.
                let shown = |i: usize, text: &str| match i {
                    1 => choice::<Category>(text).map(|c| c.label().to_owned()).unwrap_or_else(|_| text.to_owned()),
                    10 => text.parse::<u32>().map(|n| ctx.ws.with_untracked(|w| w.unit_name(UnitId(n)).to_owned())).unwrap_or_else(|_| "none".to_owned()),
                    _ if text.is_empty() => "empty".to_owned(),
                    _ => text.to_owned(),
                };
                let (at, message) = take_changes_meanwhile("commitment", &fields, &was, &is, &visibility, &shown, "c-title");
                // Said beside the first field changed meanwhile, which gets the focus
                // (on a phone the form is long: the message must come into view).
                return error.set(at, message);
            }
        }
        let built = (|| -> Result<CommitmentFields, (&'static str, String)> {
            let title = Name::new(title.get_untracked()).map_err(|e| ("c-title", format!("title: {}", e.to_string().trim_start_matches("name: "))))?;
            let category = choice::<Category>(&category.get_untracked()).map_err(|e| ("c-category", e))?;
            let direction = choice::<Direction>(&direction.get_untracked()).map_err(|e| ("c-direction", e))?;
            let baseline = optional_number(&baseline.get_untracked(), "baseline").map_err(|e| ("c-baseline", e))?;
            let target = optional_number(&target.get_untracked(), "target").map_err(|e| ("c-target", e))?;
            let start = parse_typed_date(&start.get_untracked()).map_err(|e| ("c-start", format!("start {e}")))?;
            let due = if due.get_untracked().trim().is_empty() { None } else { Some(parse_typed_date(&due.get_untracked()).map_err(|e| ("c-due", format!("due {e}")))?) };
            let cadence_days = match cadence.get_untracked().trim() {
                "" => None,
                t => Some(t.parse::<u16>().ok().filter(|c| *c > 0).ok_or(("c-cadence", format!("cadence: \u{201c}{t}\u{201d} is not a whole number of days, at least 1")))?),
            };
            let weight = number(&weight.get_untracked(), "weight").map_err(|e| ("c-weight", e))?;
            let weight = Weight::new(weight.get()).map_err(|e| ("c-weight", e.to_string()))?;
            let reviewer = match reviewer.get_untracked().trim() {
                "" => None,
                t => Some(UnitId(t.parse().map_err(|_| ("c-reviewer", format!("reviewer: \u{201c}{t}\u{201d} is not a unit")))?)),
            };
            Ok(CommitmentFields {
                owner,
                title,
                category,
                measure: measure.get_untracked().trim().to_owned(),
                direction,
                baseline,
                target,
                start,
                due,
                cadence_days,
                weight,
                visibility: if public.get_untracked() { Visibility::Public } else { Visibility::Private },
                reviewer,
            })
        })();
        let fields = match built {
            Ok(f) => f,
            Err((field, e)) => return error.set(field, e),
        };
        let command = match editing {
            Some(commitment) => Command::EditCommitment { commitment, fields },
            None => Command::AddCommitment { fields },
        };
        match ctx.edit(command) {
            Ok(_) => {
                error.clear();
                once.recorded();
                ctx.forget_typed(&draft_prefix(ctx, owner, editing));
                on_done.run(());
            }
            Err(e) => error.refuse(
                &e,
                &[
                    ("title", "c-title"),
                    ("name", "c-title"),
                    ("measure", "c-measure"),
                    ("baseline", "c-baseline"),
                    ("target", "c-target"),
                    ("start", "c-start"),
                    ("due", "c-due"),
                    ("cadence", "c-cadence"),
                    ("weight", "c-weight"),
                    ("reviewer", "c-reviewer"),
                ],
                "c-title",
            ),
        }
    };
    // Numbers are typed as text so that "10,5" reaches the parser (a number input would
    // hand over an empty value) and the refusal can say what was typed.
    let text = move |id: &'static str, label: &'static str, sig: RwSignal<String>, kind: &'static str, hint: &'static str| {
        let (kind, mode) = if kind == "number" { ("text", "decimal") } else { (kind, "text") };
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind inputmode=mode placeholder=hint data-testid=id aria-describedby=format!("{id}-error") aria-invalid=move || error.invalid(id)
                    prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
                <FieldError error=error field=id/>
            </div>
        }
    };
    let select_error = move |id: &'static str| view! { <FieldError error=error field=id/> };
    let cancel = move || {
        if let Some(c) = on_cancel {
            ctx.forget_typed(&draft_prefix(ctx, owner, editing));
            c.run(());
        }
    };
    let editing_title = existing.as_ref().map(|c| c.title.to_string());
    view! {
        <form class="form card card--inset" data-testid="commitment-form" on:submit=submit novalidate=true on:input=move |_| once.touched() on:change=move |_| once.touched()
            on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { cancel() }>
            {editing_title.map(|t| view! { <p class="form__title" data-testid="commitment-form-title"><strong>{format!("Editing \u{201c}{t}\u{201d}")}</strong></p> })}
            <div class="form__row">
                <div class="field field--wide">
                    <label for="c-title">"Result"</label>
                    <input id="c-title" type="text" maxlength="120" placeholder="e.g. Checkout conversion" data-testid="c-title" aria-describedby="c-title-error" aria-invalid=move || error.invalid("c-title")
                        prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                    {select_error("c-title")}
                </div>
                <div class="field">
                    <label for="c-category">"Category"</label>
                    <select id="c-category" data-testid="c-category" aria-describedby="c-category-error" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                        {Category::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                    </select>
                    {select_error("c-category")}
                </div>
                {text("c-measure", "Unit of measure", measure, "text", "%, €, ms …")}
                <div class="field">
                    <label for="c-direction">"Better is"</label>
                    <select id="c-direction" data-testid="c-direction" aria-describedby="c-direction-error" prop:value=move || direction.get() on:change=move |ev| direction.set(event_target_value(&ev))>
                        <option value="higher">"Higher"</option>
                        <option value="lower">"Lower"</option>
                    </select>
                    {select_error("c-direction")}
                </div>
            </div>
            <div class="form__row">
                {text("c-baseline", "Baseline", baseline, "number", "where it starts")}
                {text("c-target", "Target", target, "number", "where it must get to")}
                {text("c-start", "Start", start, "date", "")}
                {text("c-due", "Due", due, "date", "")}
                {text("c-cadence", "Check-in every (days)", cadence, "number", "7")}
                {text("c-weight", "Weight", weight, "number", "1")}
            </div>
            <div class="form__row">
                <div class="field">
                    <label for="c-reviewer">"Reviewer"</label>
                    <select id="c-reviewer" data-testid="c-reviewer" aria-describedby="c-reviewer-error" prop:value=move || reviewer.get() on:change=move |ev| reviewer.set(event_target_value(&ev))>
                        <option value="">"— none (vague) —"</option>
                        {move || ctx.ws.with(|w| unit_options(w, Some(owner))).into_iter().map(|(u, n)| view! { <option value=u.0.to_string()>{n}</option> }).collect_view()}
                    </select>
                    {select_error("c-reviewer")}
                </div>
                <div class="field field--check">
                    <input id="c-public" type="checkbox" data-testid="c-public" prop:checked=move || public.get() on:change=move |ev| public.set(event_target_checked(&ev))/>
                    <label for="c-public">"Visible to everyone"</label>
                </div>
                <div class="field field--action">
                    <button type="submit" class="button button--primary" data-testid="c-save">{if editing.is_some() { "Save changes" } else { "Save commitment" }}</button>
                    {on_cancel.map(|_| view! { " " <button type="button" class="button" data-testid="c-cancel" on:click=move |_| cancel()>"Cancel"</button> })}
                </div>
            </div>
        </form>
    }
}

/// Check-ins shown for correction under the commitment being edited, newest first.
const CHECKINS_SHOWN: usize = 12;

/// The commitment's latest check-ins, each editable (value, day) or deletable.
#[component]
fn CheckInHistory(commitment: CommitmentId) -> impl IntoView {
    let ctx = use_app();
    let rows = Memo::new(move |_| ctx.ws.with(|w| w.commitment(commitment).map(|c| c.checkins().iter().rev().take(CHECKINS_SHOWN).cloned().collect::<Vec<_>>()).unwrap_or_default()));
    view! {
        <section class="card card--inset" data-testid="checkin-history">
            <h3 class="card__subtitle">"Recent check-ins"</h3>
            {move || {
                let list = rows.get();
                if list.is_empty() {
                    view! { <p class="muted">"No check-ins yet: record them in the weekly sweep."</p> }.into_any()
                } else {
                    view! {
                        <ul class="checkin-history">
                            {list.into_iter().map(|k| view! { <CheckInRow commitment=commitment checkin=k/> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// One check-in: its day and value can be corrected, or it can be deleted.
#[component]
fn CheckInRow(commitment: CommitmentId, checkin: CheckIn) -> impl IntoView {
    let ctx = use_app();
    let day = checkin.date;
    let date = RwSignal::new(format_date(day));
    let value = RwSignal::new(checkin.value.get().to_string());
    let error = FormError::default();
    let (date_id, value_id) = (format!("ck-date-{}-{}", commitment.0, format_date(day)), format!("ck-value-{}-{}", commitment.0, format_date(day)));
    let ids = StoredValue::new((date_id.clone(), value_id.clone()));
    // Who recorded it, when someone other than its owner could have: the rigor component
    // objectivity counts it.
    let by = checkin.recorded_by.and_then(|u| ctx.ws.with_untracked(|w| w.unit(u).map(|u| u.name.to_string())));
    let original = StoredValue::new(checkin);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (date_id, value_id) = ids.get_value();
        let new_day = match parse_typed_date(&date.get_untracked()) {
            Ok(d) => d,
            Err(e) => return error.set(date_id, e.to_string()),
        };
        let v = match number(&value.get_untracked(), "value") {
            Ok(v) => v,
            Err(e) => return error.set(value_id, e),
        };
        let checkin = CheckIn { date: new_day, value: v, ..original.get_value() };
        if let Err(e) = ctx.edit(Command::EditCheckIn { commitment, date: day, checkin }) {
            error.refuse(&e, &[("date", &date_id), ("value", &value_id)], &value_id);
        }
    };
    let delete = move |_| {
        let _ = ctx.edit(Command::DeleteCheckIn { commitment, date: day });
    };
    view! {
        <li class="checkin-history__row" data-testid="checkin-row" data-date=format_date(day)>
            <form class="form form--inline" on:submit=save novalidate=true>
                <div class="field field--compact">
                    <label for=date_id.clone()>"Day"</label>
                    <input id=date_id.clone() type="date" data-testid="checkin-date" aria-describedby=format!("{date_id}-error")
                        prop:value=move || date.get() on:change=move |ev| date.set(event_target_value(&ev))/>
                    <FieldError error=error field=date_id.clone()/>
                </div>
                <div class="field field--compact">
                    <label for=value_id.clone()>"Value"</label>
                    <input id=value_id.clone() type="text" inputmode="decimal" autocomplete="off" data-testid="checkin-value" aria-describedby=format!("{value_id}-error")
                        prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                    <FieldError error=error field=value_id.clone()/>
                </div>
                <button type="submit" class="button button--small" data-testid="checkin-save" aria-label=format!("Save the check-in of {}", format_date(day))>"Save"</button>
                <button type="button" class="button button--small button--quiet-danger" data-testid="checkin-delete" aria-label=format!("Delete the check-in of {}", format_date(day)) on:click=delete>"Delete"</button>
                {by.map(|name| view! { <span class="muted checkin-history__by" data-testid="checkin-by">{format!("recorded by {name}")}</span> })}
            </form>
        </li>
    }
}
