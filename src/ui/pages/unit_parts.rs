//! The record sections of a unit page: grants, commitments, reviews and pulse.

use leptos::prelude::*;

use crate::charts;
use crate::core::explain::f2;
use crate::core::*;
use crate::ui::state::use_app;
use crate::ui::widgets::{AreaPicker, ScaleSelect};

fn unit_options(ws: &Workspace, except: Option<UnitId>) -> Vec<(UnitId, String)> {
    ws.units.iter().filter(|u| Some(u.id) != except).map(|u| (u.id, u.name.to_string())).collect()
}

fn date_or(text: &str, fallback: time::Date) -> Result<time::Date, String> {
    if text.trim().is_empty() {
        Ok(fallback)
    } else {
        parse_date(text).map_err(|e| e.to_string())
    }
}

fn number(text: &str, field: &'static str) -> Result<Option<Finite>, String> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let v: f64 = t.replace(',', ".").parse().map_err(|_| format!("{field}: \u{201c}{t}\u{201d} is not a number"))?;
    Finite::new(v, field).map(Some).map_err(|e| e.to_string())
}

/// Grant history and the form to grant or change autonomy per decision area.
#[component]
pub fn Grants(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let area = RwSignal::new(String::new());
    let new_area = RwSignal::new(String::new());
    let rung = RwSignal::new("2".to_owned());
    let level = RwSignal::new("4".to_owned());
    let date = RwSignal::new(String::new());
    let reason = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let history = move || {
        ctx.ws.with(|w| {
            let mut g: Vec<(String, String, String, String, String)> = w
                .grants
                .iter()
                .filter(|g| g.unit == id)
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
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let as_of = ctx.as_of.get_untracked();
        let d = match date_or(&date.get_untracked(), as_of) {
            Ok(d) => d,
            Err(e) => return error.set(Some(e)),
        };
        let (Ok(r), Ok(l)) = (
            rung.get_untracked().parse::<u8>().map_err(|_| ()).and_then(|v| Rung::new(v).map_err(|_| ())),
            level.get_untracked().parse::<u8>().map_err(|_| ()).and_then(|v| Level::new(v).map_err(|_| ())),
        ) else {
            return error.set(Some("Choose a scope rung and a delegation level.".into()));
        };
        let chosen = area.get_untracked();
        let typed = new_area.get_untracked();
        let mut problem = None;
        ctx.edit(|w| {
            let area_id = match w.area_for(chosen.parse().ok().map(AreaId).filter(|_| chosen != "new"), &typed) {
                Ok(a) => a,
                Err(_) => {
                    problem = Some("Name the decision area (e.g. Architecture).".to_owned());
                    return;
                }
            };
            let by = w.unit(id).and_then(|u| u.parent);
            w.grants.push(Grant { unit: id, area: area_id, date: d, rung: r, level: l, granted_by: by, reason: reason.get_untracked().trim().to_owned() });
            w.grants.sort_by_key(|g| g.date);
        });
        match problem {
            Some(p) => error.set(Some(p)),
            None => {
                error.set(None);
                reason.set(String::new());
                new_area.set(String::new());
            }
        }
    };
    view! {
        <section class="card" data-testid="grants">
            <h2 class="card__title">"Autonomy granted"</h2>
            <p class="muted">"Scope (how broad) × delegation (how deep), per decision area. Grants are history: a new one supersedes, nothing is overwritten."</p>
            <form class="form form--inline" data-testid="grant-form" on:submit=submit>
                <div class="form__row">
                    <AreaPicker prefix="grant" area=area new_area=new_area/>
                    <ScaleSelect id="grant-rung" label="Scope rung" rungs=true value=rung/>
                    <ScaleSelect id="grant-level" label="Delegation level" rungs=false value=level/>
                    <div class="field">
                        <label for="grant-date">"From"</label>
                        <input id="grant-date" type="date" data-testid="grant-date" prop:value=move || if date.get().is_empty() { format_date(ctx.as_of.get()) } else { date.get() } on:change=move |ev| date.set(event_target_value(&ev))/>
                    </div>
                    <div class="field field--wide">
                        <label for="grant-reason">"Reason"</label>
                        <input id="grant-reason" type="text" maxlength="200" placeholder="e.g. Delivered four quarters in a row" data-testid="grant-reason"
                            prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))/>
                    </div>
                    <div class="field field--action"><button type="submit" class="button button--primary" data-testid="grant-add">"Grant"</button></div>
                </div>
                <p class="field__error" role="alert" data-testid="grant-error">{move || error.get()}</p>
            </form>
            {move || {
                let h = history();
                if h.is_empty() {
                    view! { <p class="muted" data-testid="grants-empty">"Nothing delegated yet: granted autonomy is 0."</p> }.into_any()
                } else {
                    view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Grant history"><table class="table" data-testid="grant-history">
                            <thead><tr><th scope="col">"From"</th><th scope="col">"Area"</th><th scope="col">"Scope"</th><th scope="col">"Delegation"</th><th scope="col">"Granted by · reason"</th></tr></thead>
                            <tbody>{h.into_iter().map(|(d, a, r, l, why)| view! { <tr><td>{d}</td><td>{a}</td><td>{r}</td><td>{l}</td><td>{why}</td></tr> }).collect_view()}</tbody>
                        </table></div>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The unit's commitments with sparklines, and the form to add one.
#[component]
pub fn Commitments(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let show_form = RwSignal::new(false);
    let editing = RwSignal::new(None::<CommitmentId>);
    let list = move || {
        let scores = ctx.scores.get();
        let theme = ctx.theme.get();
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            w.commitments
                .iter()
                .filter(|c| c.owner == id)
                .map(|c| {
                    let cs = scores.commitment(c.id).cloned();
                    (c.clone(), cs, charts::sparkline(c, as_of, theme))
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" data-testid="commitments">
            <div class="card__head">
                <h2 class="card__title">"Commitments"</h2>
                <button type="button" class="button" data-testid="commitment-new" aria-expanded=move || show_form.get().to_string() on:click=move |_| show_form.update(|v| *v = !*v)>
                    {move || if show_form.get() { "Close" } else { "Add a commitment" }}
                </button>
            </div>
            {move || show_form.get().then(|| view! { <CommitmentForm owner=id on_done=Callback::new(move |_| show_form.set(false))/> })}
            {move || editing.get().map(|cid| view! { <CommitmentForm owner=id editing=cid on_done=Callback::new(move |_| editing.set(None))/> })}
            {move || {
                let items = list();
                if items.is_empty() {
                    view! { <p class="muted" data-testid="commitments-empty">"No commitments: with nothing measured, rigor is 0 and so is supported autonomy. Add a result this unit owns, with a baseline, a target and a due date."</p> }.into_any()
                } else {
                    view! {
                        <ul class="commitments">
                            {items.into_iter().map(|(c, cs, spark)| {
                                let status = cs.as_ref().map(|s| s.path.label()).unwrap_or("");
                                let att = cs.as_ref().and_then(|s| s.attainment).map(|a| format!("{:.0}% of target", a * 100.0)).unwrap_or_else(|| "no value yet".into());
                                let tags: Vec<&str> = cs.as_ref().map(|s| {
                                    let mut t = Vec::new();
                                    if s.stale { t.push("stale") }
                                    if s.vague { t.push("vague") }
                                    if s.unverified { t.push("unverified") }
                                    t
                                }).unwrap_or_default();
                                let due = c.due.map(format_date).unwrap_or_else(|| "no due date".into());
                                view! {
                                    <li class="commitment" data-testid="commitment">
                                        <div class="commitment__main">
                                            <span class="commitment__title">{c.title.to_string()}</span>
                                            <span class="commitment__meta">{format!("{} · {} → {} {} · due {due} · {} check-ins", c.category.label(), c.baseline.map(|b| b.get().to_string()).unwrap_or("?".into()), c.target.map(|t| t.get().to_string()).unwrap_or("?".into()), c.measure, c.checkins().len())}</span>
                                            <span class="commitment__status">{format!("{att} · {status}")} {tags.into_iter().map(|t| view! { <span class="tag">{t}</span> }).collect_view()}</span>
                                        </div>
                                        <div class="commitment__spark" inner_html=spark></div>
                                        <button type="button" class="button button--small" data-testid="commitment-edit" aria-label=format!("Edit {}", c.title) on:click=move |_| editing.set(Some(c.id))>"Edit"</button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// Creates a commitment with inline validation.
#[component]
pub fn CommitmentForm(
    owner: UnitId,
    #[prop(into)] on_done: Callback<()>,
    /// The commitment to edit; a new one when absent.
    #[prop(optional)]
    editing: Option<CommitmentId>,
) -> impl IntoView {
    let ctx = use_app();
    let existing = editing.and_then(|id| ctx.ws.with_untracked(|w| w.commitment(id).cloned()));
    let num = |v: Option<Finite>| v.map(|x| x.get().to_string()).unwrap_or_default();
    let e = existing.as_ref();
    let title = RwSignal::new(e.map(|c| c.title.to_string()).unwrap_or_default());
    let category = RwSignal::new(e.map(|c| c.category.as_str().to_owned()).unwrap_or_else(|| "customer_value".to_owned()));
    let measure = RwSignal::new(e.map(|c| c.measure.clone()).unwrap_or_default());
    let direction = RwSignal::new(if e.is_some_and(|c| c.direction == Direction::Lower) { "lower".to_owned() } else { "higher".to_owned() });
    let baseline = RwSignal::new(num(e.and_then(|c| c.baseline)));
    let target = RwSignal::new(num(e.and_then(|c| c.target)));
    let start = RwSignal::new(format_date(e.map(|c| c.start).unwrap_or_else(|| ctx.as_of.get_untracked())));
    let due = RwSignal::new(e.and_then(|c| c.due).map(format_date).unwrap_or_default());
    let cadence = RwSignal::new(e.map(|c| c.cadence_days.map(|d| d.to_string()).unwrap_or_default()).unwrap_or_else(|| "7".to_owned()));
    let weight = RwSignal::new(e.map(|c| c.weight.get().to_string()).unwrap_or_else(|| "1".to_owned()));
    let public = RwSignal::new(e.is_none_or(|c| c.visibility == Visibility::Public));
    let default_reviewer = ctx.ws.with_untracked(|w| w.unit(owner).and_then(|u| u.parent));
    let reviewer = RwSignal::new(e.map(|c| c.reviewer).unwrap_or(default_reviewer).map(|p| p.0.to_string()).unwrap_or_default());
    let checkins = existing.as_ref().map(|c| c.checkins().clone()).unwrap_or_default();
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let built = (|| -> Result<Commitment, String> {
            let title = Name::new(title.get_untracked()).map_err(|e| format!("title: {}", e.to_string().trim_start_matches("name: ")))?;
            let start = parse_date(&start.get_untracked()).map_err(|e| format!("start {e}"))?;
            let due = if due.get_untracked().trim().is_empty() { None } else { Some(parse_date(&due.get_untracked()).map_err(|e| format!("due {e}"))?) };
            let cadence_days = match cadence.get_untracked().trim() {
                "" => None,
                t => Some(t.parse::<u16>().ok().filter(|c| *c > 0).ok_or("cadence: whole days, at least 1")?),
            };
            let weight = Weight::new(weight.get_untracked().trim().parse().map_err(|_| "weight: must be a number")?).map_err(|e| e.to_string())?;
            let category = match category.get_untracked().as_str() {
                "revenue" => Category::Revenue,
                "system_performance" => Category::SystemPerformance,
                "activity" => Category::Activity,
                _ => Category::CustomerValue,
            };
            let id = editing.unwrap_or_else(|| ctx.ws.with_untracked(|w| w.next_commitment_id()));
            let c = Commitment::new(
                id,
                CommitmentFields {
                    owner,
                    title,
                    category,
                    measure: measure.get_untracked().trim().to_owned(),
                    direction: if direction.get_untracked() == "lower" { Direction::Lower } else { Direction::Higher },
                    baseline: number(&baseline.get_untracked(), "baseline")?,
                    target: number(&target.get_untracked(), "target")?,
                    start,
                    due,
                    cadence_days,
                    weight,
                    visibility: if public.get_untracked() { Visibility::Public } else { Visibility::Private },
                    reviewer: reviewer.get_untracked().parse().ok().map(UnitId),
                },
            )
            .with_checkins(checkins.clone());
            c.check().map_err(|e| e.to_string())?;
            Ok(c)
        })();
        match built {
            Ok(c) => {
                ctx.edit(|w| match w.commitments.iter_mut().find(|x| x.id == c.id) {
                    Some(slot) => *slot = c,
                    None => w.commitments.push(c),
                });
                error.set(None);
                on_done.run(());
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let text = |id: &'static str, label: &'static str, sig: RwSignal<String>, kind: &'static str, hint: &'static str| {
        view! {
            <div class="field">
                <label for=id>{label}</label>
                <input id=id type=kind step="any" placeholder=hint data-testid=id prop:value=move || sig.get() on:input=move |ev| sig.set(event_target_value(&ev))/>
            </div>
        }
    };
    view! {
        <form class="form card card--inset" data-testid="commitment-form" on:submit=submit novalidate=true>
            <div class="form__row">
                <div class="field field--wide">
                    <label for="c-title">"Result"</label>
                    <input id="c-title" type="text" maxlength="120" placeholder="e.g. Checkout conversion" data-testid="c-title" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="c-category">"Category"</label>
                    <select id="c-category" data-testid="c-category" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                        {Category::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.label()}</option> }).collect_view()}
                    </select>
                </div>
                {text("c-measure", "Unit of measure", measure, "text", "%, €, ms …")}
                <div class="field">
                    <label for="c-direction">"Better is"</label>
                    <select id="c-direction" data-testid="c-direction" prop:value=move || direction.get() on:change=move |ev| direction.set(event_target_value(&ev))>
                        <option value="higher">"Higher"</option>
                        <option value="lower">"Lower"</option>
                    </select>
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
                    <select id="c-reviewer" data-testid="c-reviewer" prop:value=move || reviewer.get() on:change=move |ev| reviewer.set(event_target_value(&ev))>
                        <option value="">"— none (vague) —"</option>
                        {move || ctx.ws.with(|w| unit_options(w, Some(owner))).into_iter().map(|(u, n)| view! { <option value=u.0.to_string()>{n}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field field--check">
                    <input id="c-public" type="checkbox" data-testid="c-public" prop:checked=move || public.get() on:change=move |ev| public.set(event_target_checked(&ev))/>
                    <label for="c-public">"Visible to everyone"</label>
                </div>
                <div class="field field--action"><button type="submit" class="button button--primary" data-testid="c-save">{if editing.is_some() { "Save changes" } else { "Save commitment" }}</button></div>
            </div>
            <p class="field__error" role="alert" data-testid="c-error">{move || error.get()}</p>
        </form>
    }
}

/// Autonomy reviews, with a form prefilled from the recommendation.
#[component]
pub fn Reviews(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let rec = move || ctx.scores.with(|s| s.unit(id).map(|u| u.recommendation.clone()));
    let verdict = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let saved = RwSignal::new(None::<String>);
    let current_verdict = move || if verdict.get().is_empty() { rec().map(|r| r.verdict.as_str().to_owned()).unwrap_or("hold".into()) } else { verdict.get() };
    let current_note = move || if note.get().is_empty() { rec().map(|r| r.reason).unwrap_or_default() } else { note.get() };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let v = match current_verdict().as_str() {
            "expand" => Verdict::Expand,
            "contract" => Verdict::Contract,
            _ => Verdict::Hold,
        };
        let text = current_note();
        let date = ctx.as_of.get_untracked();
        ctx.edit(|w| {
            let reviewer = w.unit(id).and_then(|u| u.parent);
            w.reviews.push(Review { unit: id, date, reviewer, verdict: v, note: text });
            w.reviews.sort_by_key(|r| r.date);
        });
        verdict.set(String::new());
        note.set(String::new());
        saved.set(Some(format!("Review recorded: {} on {}.", v.as_str(), format_date(date))));
    };
    let history = move || {
        ctx.ws.with(|w| {
            w.reviews
                .iter()
                .filter(|r| r.unit == id)
                .rev()
                .map(|r| (format_date(r.date), r.verdict, r.reviewer.map(|x| w.unit_name(x).to_owned()).unwrap_or_default(), r.note.clone()))
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card" data-testid="reviews">
            <h2 class="card__title">"Autonomy reviews"</h2>
            <p class="muted">"Closing the loop from results to scope is what makes accountability real. The form starts from the recommendation; change it if you decide otherwise."</p>
            <form class="form" data-testid="review-form" on:submit=submit>
                <div class="form__row">
                    <div class="field">
                        <label for="review-verdict">"Verdict"</label>
                        <select id="review-verdict" data-testid="review-verdict" prop:value=current_verdict on:change=move |ev| verdict.set(event_target_value(&ev))>
                            <option value="expand">"Expand"</option>
                            <option value="hold">"Hold"</option>
                            <option value="contract">"Contract"</option>
                        </select>
                    </div>
                    <div class="field field--wide">
                        <label for="review-note">"Reason"</label>
                        <textarea id="review-note" rows="2" data-testid="review-note" prop:value=current_note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                    </div>
                    <div class="field field--action"><button type="submit" class="button button--primary" data-testid="review-save">"Record review"</button></div>
                </div>
                <p role="status" class="form__status" data-testid="review-status">{move || saved.get()}</p>
            </form>
            <ul class="timeline" data-testid="review-history">
                {move || history().into_iter().map(|(d, v, by, n)| view! {
                    <li><span class=format!("verdict verdict--{}", v.as_str())>{v.as_str()}</span> " " <strong>{d}</strong> {if by.is_empty() { String::new() } else { format!(" by {by}") }} {if n.is_empty() { String::new() } else { format!(": {n}") }}</li>
                }).collect_view()}
            </ul>
        </section>
    }
}

/// Felt-autonomy pulse entries: kept only to compare felt with earned.
#[component]
pub fn Pulses(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let parsed =
            value.get_untracked().trim().replace(',', ".").parse::<f64>().map_err(|_| "pulse score: a number from 1 to 5".to_owned()).and_then(|v| PulseScore::new(v).map_err(|e| e.to_string()));
        match parsed {
            Ok(score) => {
                let date = ctx.as_of.get_untracked();
                ctx.edit(|w| {
                    w.pulses.retain(|p| !(p.unit == id && p.date == date));
                    w.pulses.push(Pulse { unit: id, date, score });
                    w.pulses.sort_by_key(|p| p.date);
                });
                value.set(String::new());
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let entries = move || ctx.ws.with(|w| w.pulses.iter().filter(|p| p.unit == id).map(|p| (p.date, p.score.get())).collect::<Vec<_>>());
    let felt = Signal::derive(move || {
        let as_of = ctx.as_of.get();
        ctx.ws.with(|w| {
            let pulses: Vec<Pulse> = w.pulses.iter().filter(|p| p.unit == id && p.date <= as_of).cloned().collect();
            let from = pulses.first().map(|p| p.date).unwrap_or(as_of);
            let series = crate::core::series::unit_series(w, &w.policy, id, from, as_of);
            charts::felt_vs_earned(w.unit_name(id), &pulses, &series, ctx.theme.get())
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
            <form class="form form--inline" data-testid="pulse-form" on:submit=submit>
                <div class="form__row">
                    <div class="field">
                        <label for="pulse-value">"Pulse score (1–5) for the as-of date"</label>
                        <input id="pulse-value" type="number" min="1" max="5" step="0.1" data-testid="pulse-value" prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
                    </div>
                    <div class="field field--action"><button type="submit" class="button" data-testid="pulse-add">"Add pulse"</button></div>
                </div>
                <p class="field__error" role="alert">{move || error.get()}</p>
            </form>
        </section>
    }
}

/// A leader's direct reports with their scores, and the leader's accountability record.
#[component]
pub fn Reports(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let rows = move || {
        let scores = ctx.scores.get();
        ctx.ws.with(|w| w.children(id).filter_map(|u| scores.unit(u.id).map(|s| (u.id, u.name.to_string(), s.autonomy, s.supported, s.recommendation.verdict))).collect::<Vec<_>>())
    };
    let leadership = move || ctx.scores.with(|s| s.unit(id).and_then(|u| u.leadership.clone()));
    view! {
        {move || leadership().map(|l| view! {
            <section class="card" data-testid="reports">
                <h2 class="card__title">"Reports and leadership"</h2>
                <p data-testid="leadership-ratio">{match l.ratio {
                    Some(r) => format!("Leadership ratio {r:.2}: accountable for {} of {} reviewed outcomes of their own and their reports' decisions, against granted autonomy. Below 1, the leader exercises more autonomy than the accountability they accept.", l.accountable, l.reviewed),
                    None => "No leadership ratio yet: it needs reviewed decisions and some granted autonomy.".to_owned(),
                }}</p>
                <p class="muted">{format!("Bad or mixed outcomes of decisions delegated to reports: {}, of which the leader answered for {}.", l.delegated_bad, l.delegated_bad_accepted)}</p>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Reports">
                    <table class="table">
                        <thead><tr><th scope="col">"Report"</th><th scope="col" class="num">"A"</th><th scope="col" class="num">"S"</th><th scope="col">"Recommendation"</th></tr></thead>
                        <tbody>
                            {rows().into_iter().map(|(rid, name, a, s, v)| view! {
                                <tr><th scope="row"><a href=format!("#/units/{}", rid.0)>{name}</a></th><td class="num">{format!("{a:.0}")}</td><td class="num">{format!("{s:.0}")}</td>
                                <td><span class=format!("verdict verdict--{}", v.as_str())>{v.as_str()}</span></td></tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            </section>
        })}
    }
}

/// Decisions this unit made, and their outcomes.
#[component]
pub fn UnitDecisions(id: UnitId) -> impl IntoView {
    let ctx = use_app();
    let rows = move || {
        ctx.ws.with(|w| {
            let mut ds: Vec<(String, String, String, String)> = w
                .decisions
                .iter()
                .filter(|d| d.unit == id)
                .map(|d| {
                    let outcome = d.outcome.map(|o| o.as_str().to_owned()).unwrap_or_else(|| format!("review due {}", d.review_date.map(format_date).unwrap_or_default()));
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
        </section>
    }
}
