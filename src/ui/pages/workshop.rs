//! Workshop: a guided 60–90 minute session on one laptop and a projector — from a blank
//! or sample workspace, through a delegation-poker round per decision area, to the map
//! and agreed actions — with a presenter mode (large type, high contrast, full screen,
//! arrow keys, a timer per step).

use leptos::leptos_dom::helpers::{set_interval_with_handle, IntervalHandle};
use leptos::prelude::*;

use super::PageHeader;
use crate::charts;
use crate::core::series::map_points;
use crate::core::*;
use crate::storage::file::export_workspace;
use crate::ui::browser;
use crate::ui::form::{area_ref, choice};
use crate::ui::state::use_app;
use crate::ui::widgets::{AreaPicker, ScaleSelect};

struct Step {
    title: &'static str,
    minutes: u32,
    what: &'static str,
}

const STEPS: [Step; 6] = [
    Step {
        title: "Set the scene",
        minutes: 10,
        what: "Read the law aloud: the autonomy you can grant is proportional to the rigor of the accountability system. Start from a blank workspace or from the sample organisation.",
    },
    Step { title: "Name the teams", minutes: 10, what: "Add every team and person in scope, leaders first." },
    Step {
        title: "Record today's autonomy",
        minutes: 20,
        what: "For each decision area, everyone votes a delegation level in private, then all votes are revealed together. Discuss the spread, agree one level and a scope, and record it.",
    },
    Step { title: "Enter last quarter's results", minutes: 15, what: "For each unit, the results it committed to and the value reached, with evidence someone else can check." },
    Step { title: "Reveal the map", minutes: 15, what: "Above the diagonal, autonomy outruns measurement; below it, results earn more scope than granted." },
    Step { title: "Agree actions and export", minutes: 10, what: "Record a review for each unit that needs one, starting from the recommendation, then export the result for everyone." },
];

#[component]
pub fn Workshop() -> impl IntoView {
    let step = RwSignal::new(0usize);
    let presenter = RwSignal::new(false);
    let remaining = RwSignal::new(i64::from(STEPS[0].minutes) * 60);
    let running = RwSignal::new(false);
    let ticker = StoredValue::new(None::<IntervalHandle>);

    let stop_timer = move || {
        if let Some(h) = ticker.get_value() {
            h.clear();
        }
        ticker.set_value(None);
        running.set(false);
    };
    let go = move |to: usize| {
        let to = to.min(STEPS.len() - 1);
        stop_timer();
        step.set(to);
        remaining.set(i64::from(STEPS[to].minutes) * 60);
    };
    let toggle_timer = move |_| {
        if running.get_untracked() {
            stop_timer();
        } else if let Ok(h) = set_interval_with_handle(move || remaining.update(|r| *r -= 1), std::time::Duration::from_secs(1)) {
            ticker.set_value(Some(h));
            running.set(true);
        }
    };
    let toggle_presenter = move |_| {
        let on = !presenter.get_untracked();
        presenter.set(on);
        let doc = document();
        if on {
            if let Some(el) = doc.document_element() {
                let _ = el.request_fullscreen();
            }
        } else if doc.fullscreen_element().is_some() {
            doc.exit_fullscreen();
        }
    };
    // Arrow keys move between steps in presenter mode; Escape leaves it.
    let keys = window_event_listener(leptos::ev::keydown, move |ev| {
        if !presenter.get_untracked() {
            return;
        }
        use wasm_bindgen::JsCast;
        let in_field = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).map(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")).unwrap_or(false);
        if in_field {
            return;
        }
        match ev.key().as_str() {
            "ArrowRight" | "PageDown" => go(step.get_untracked() + 1),
            "ArrowLeft" | "PageUp" => go(step.get_untracked().saturating_sub(1)),
            "Escape" => presenter.set(false),
            _ => {}
        }
    });
    on_cleanup(move || {
        keys.remove();
        if let Some(h) = ticker.get_value() {
            h.clear();
        }
    });
    let clock = move || {
        let r = remaining.get();
        let sign = if r < 0 { "−" } else { "" };
        format!("{sign}{:02}:{:02}", r.abs() / 60, r.abs() % 60)
    };
    let total: u32 = STEPS.iter().map(|s| s.minutes).sum();
    view! {
        <div class="workshop" class=("workshop--presenter", move || presenter.get()) data-testid="workshop">
            <PageHeader title="Workshop" lead=format!("A guided {total}-minute session on one laptop and a projector: from today's autonomy to agreed actions.")>
                <button type="button" class="button" data-testid="presenter-toggle" aria-pressed=move || presenter.get().to_string() on:click=toggle_presenter>
                    {move || if presenter.get() { "Leave presenter mode" } else { "Presenter mode" }}
                </button>
            </PageHeader>
            <nav class="workshop__progress" aria-label="Workshop steps" data-view="">
                <ol>
                    {STEPS.iter().enumerate().map(|(i, s)| view! {
                        <li>
                            <button type="button" class="workshop__dot" class=("workshop__dot--current", move || step.get() == i)
                                aria-current=move || (step.get() == i).then_some("step") data-testid=format!("workshop-goto-{}", i + 1) on:click=move |_| go(i)>
                                <span class="workshop__num">{i + 1}</span>
                                <span class="workshop__label">{s.title}</span>
                            </button>
                        </li>
                    }).collect_view()}
                </ol>
            </nav>
            <section class="card workshop__stage" aria-live="polite">
                <div class="workshop__head">
                    <h2 class="workshop__title" data-testid="workshop-step-title">{move || format!("{}. {}", step.get() + 1, STEPS[step.get()].title)}</h2>
                    <div class="workshop__timer" role="timer" aria-label="Time left for this step" data-view="">
                        <span class=("workshop__clock--over", move || remaining.get() < 0) class="workshop__clock" data-testid="workshop-clock">{clock}</span>
                        <button type="button" class="button button--small" data-testid="timer-toggle" on:click=toggle_timer>{move || if running.get() { "Pause" } else { "Start timer" }}</button>
                        <button type="button" class="button button--small" on:click=move |_| { stop_timer(); remaining.set(i64::from(STEPS[step.get_untracked()].minutes) * 60) }>"Reset"</button>
                    </div>
                </div>
                <p class="workshop__what">{move || STEPS[step.get()].what}</p>
                {move || match step.get() {
                    0 => view! { <StartStep on_done=Callback::new(move |_| go(1))/> }.into_any(),
                    1 => view! { <TeamsStep/> }.into_any(),
                    2 => view! { <PokerStep/> }.into_any(),
                    3 => view! { <ResultsStep/> }.into_any(),
                    4 => view! { <MapStep/> }.into_any(),
                    _ => view! { <ActionsStep/> }.into_any(),
                }}
                <div class="workshop__nav" data-view="">
                    <button type="button" class="button" data-testid="workshop-back" disabled=move || step.get() == 0 on:click=move |_| go(step.get_untracked().saturating_sub(1))>"← Back"</button>
                    <button type="button" class="button button--primary" data-testid="workshop-next" disabled=move || step.get() + 1 == STEPS.len() on:click=move |_| go(step.get_untracked() + 1)>"Next step →"</button>
                </div>
            </section>
        </div>
    }
}

#[component]
fn StartStep(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
    let ctx = use_app();
    view! {
        <div class="button-row">
            <button type="button" class="button button--primary" data-testid="workshop-blank" on:click=move |_| {
                ctx.create_workspace(Workspace::new(Name::new(format!("Workshop {}", format_date(browser::today()))).expect("valid name")));
                on_done.run(());
            }>"Start a blank workspace"</button>
            <button type="button" class="button" data-testid="workshop-sample" on:click=move |_| { ctx.load_sample(); on_done.run(()); }>"Use the sample organisation"</button>
        </div>
        <p class="muted">"Either way, the workspace you had stays in this browser: switch back from Settings."</p>
    }
}

#[component]
fn TeamsStep() -> impl IntoView {
    let ctx = use_app();
    let name = RwSignal::new(String::new());
    let leader = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Name::new(name.get_untracked()) {
            Ok(n) => {
                let parent = leader.get_untracked().parse().ok().map(UnitId);
                match ctx.edit(Command::AddUnit { name: n, kind: UnitKind::Team, parent, role: String::new() }) {
                    Ok(_) => {
                        name.set(String::new());
                        error.set(None);
                    }
                    Err(e) => error.set(Some(e.to_string())),
                }
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    view! {
        <form class="form form--inline" data-testid="workshop-team-form" on:submit=add>
            <div class="form__row">
                <div class="field field--wide">
                    <label for="ws-team">"Team or person"</label>
                    <input id="ws-team" type="text" maxlength="120" data-testid="workshop-team-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="ws-leader">"Leader"</label>
                    <select id="ws-leader" data-testid="workshop-team-leader" on:change=move |ev| leader.set(event_target_value(&ev))>
                        <option value="">"— none —"</option>
                        {move || ctx.ws.with(|w| w.units.iter().map(|u| view! { <option value=u.id.0.to_string()>{u.name.to_string()}</option> }).collect_view())}
                    </select>
                </div>
                <div class="field field--action"><button type="submit" class="button button--primary" data-testid="workshop-team-add">"Add"</button></div>
            </div>
            <p class="field__error" role="alert">{move || error.get()}</p>
        </form>
        <ul class="workshop__chips" data-testid="workshop-teams">
            {move || ctx.ws.with(|w| w.units.iter().map(|u| view! { <li class="tag">{u.name.to_string()}</li> }).collect_view())}
        </ul>
    }
}

/// One delegation-poker round: private votes, a reveal with the spread, an agreed grant.
#[component]
fn PokerStep() -> impl IntoView {
    let ctx = use_app();
    let unit = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let new_area = RwSignal::new(String::new());
    let participant = RwSignal::new(String::new());
    let vote = RwSignal::new("4".to_owned());
    let votes = RwSignal::new(Vec::<(String, u8)>::new());
    let revealed = RwSignal::new(false);
    let agreed_level = RwSignal::new(String::new());
    let rung = RwSignal::new("2".to_owned());
    let message = RwSignal::new(None::<String>);
    let policy = move || ctx.ws.with(|w| w.policy.clone());
    let add_vote = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let who = participant.get_untracked().trim().to_owned();
        let level = match choice::<Level>(&vote.get_untracked()) {
            Ok(l) => l.get(),
            Err(e) => return message.set(Some(e)),
        };
        if who.is_empty() {
            message.set(Some("Name the participant who votes.".into()));
            return;
        }
        votes.update(|v| {
            v.retain(|(n, _)| *n != who);
            v.push((who, level));
        });
        participant.set(String::new());
        message.set(None);
    };
    let spread = move || {
        let v = votes.get();
        let mut levels: Vec<u8> = v.iter().map(|(_, l)| *l).collect();
        levels.sort_unstable();
        let (min, max) = (levels.first().copied().unwrap_or(0), levels.last().copied().unwrap_or(0));
        let median = levels.get(levels.len() / 2).copied().unwrap_or(4);
        (min, max, median)
    };
    let reveal = move |_| {
        revealed.set(true);
        agreed_level.set(spread().2.to_string());
    };
    let record = move |_| {
        let level = match choice::<Level>(&agreed_level.get_untracked()) {
            Ok(l) => l,
            Err(e) => return message.set(Some(e)),
        };
        let r = match choice::<Rung>(&rung.get_untracked()) {
            Ok(r) => r,
            Err(e) => return message.set(Some(e)),
        };
        let date = ctx.as_of.get_untracked();
        let list: Vec<String> = votes.get_untracked().iter().map(|(n, l)| format!("{n} {l}")).collect();
        let command = ctx.ws.with_untracked(|w| {
            let u = unit.get_untracked().parse().ok().map(UnitId).filter(|u| w.unit(*u).is_some()).or_else(|| w.units.first().map(|u| u.id)).ok_or("Add a team first.".to_owned())?;
            let a = area_ref(w, &area.get_untracked(), &new_area.get_untracked())?;
            let granted_by = w.unit(u).and_then(|x| x.parent);
            Ok::<_, String>(Command::Grant { unit: u, area: a, date, rung: r, level, granted_by, reason: format!("Delegation poker: {}", list.join(", ")) })
        });
        match command.and_then(|c| ctx.edit(c).map_err(|e| e.to_string())) {
            Err(p) => message.set(Some(p)),
            Ok(_) => {
                message.set(Some(format!("Recorded level {} {} at scope {}.", level.get(), policy().level_label(level.get()), policy().rung_label(r.get()))));
                votes.set(Vec::new());
                revealed.set(false);
            }
        }
    };
    view! {
        <div class="poker" data-testid="poker">
            <div class="form__row">
                <div class="field">
                    <label for="poker-unit">"Unit"</label>
                    <select id="poker-unit" data-testid="poker-unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                        {move || ctx.ws.with(|w| w.units.iter().map(|u| view! { <option value=u.id.0.to_string()>{u.name.to_string()}</option> }).collect_view())}
                    </select>
                </div>
                <AreaPicker prefix="poker" area=area new_area=new_area/>
            </div>
            <form class="form form--inline" data-testid="poker-vote-form" on:submit=add_vote>
                <div class="form__row">
                    <div class="field">
                        <label for="poker-who">"Participant"</label>
                        <input id="poker-who" type="text" maxlength="60" data-testid="poker-who" prop:value=move || participant.get() on:input=move |ev| participant.set(event_target_value(&ev))/>
                    </div>
                    <ScaleSelect id="poker-vote" label="Their vote (kept hidden)" rungs=false value=vote/>
                    <div class="field field--action"><button type="submit" class="button" data-testid="poker-add-vote">"Cast vote"</button></div>
                </div>
            </form>
            <ul class="poker__cards" data-testid="poker-cards">
                {move || votes.get().into_iter().map(|(who, level)| view! {
                    <li class="poker__card" class=("poker__card--revealed", move || revealed.get())>
                        <span class="poker__who">{who}</span>
                        <span class="poker__level" data-testid="poker-card-level">{move || if revealed.get() { format!("{level} {}", policy().level_label(level)) } else { "voted".to_owned() }}</span>
                    </li>
                }).collect_view()}
            </ul>
            <div class="button-row">
                <button type="button" class="button button--primary" data-testid="poker-reveal" disabled=move || votes.get().is_empty() || revealed.get() on:click=reveal>"Reveal the votes"</button>
            </div>
            {move || revealed.get().then(|| {
                let (min, max, median) = spread();
                view! {
                    <div class="poker__result" data-testid="poker-result">
                        <p><strong>{format!("Spread: {min} to {max} ({} level{} apart). Median {median}.", max - min, if max - min == 1 { "" } else { "s" })}</strong>
                           {if max - min >= 3 { " A wide spread: ask the highest and lowest voters why before agreeing." } else { "" }}</p>
                        <div class="form__row">
                            <ScaleSelect id="poker-agreed" label="Agreed level" rungs=false value=agreed_level/>
                            <ScaleSelect id="poker-rung" label="Scope" rungs=true value=rung/>
                            <div class="field field--action"><button type="button" class="button button--primary" data-testid="poker-record" on:click=record>"Record the agreed grant"</button></div>
                        </div>
                    </div>
                }
            })}
            <p role="status" class="form__status" data-testid="poker-status">{move || message.get()}</p>
        </div>
    }
}

#[component]
fn ResultsStep() -> impl IntoView {
    let ctx = use_app();
    let units = move || ctx.ws.with(|w| w.units.iter().map(|u| (u.id, u.name.to_string(), w.commitments.iter().filter(|c| c.owner == u.id).count())).collect::<Vec<_>>());
    view! {
        <p>"Add each unit's commitments on its page, then enter where each stands in the check-in sweep."</p>
        <ul class="workshop__list">
            {move || units().into_iter().map(|(id, name, n)| view! {
                <li><a href=format!("#/units/{}", id.0)>{name}</a>{format!(" — {n} commitment{}", if n == 1 { "" } else { "s" })}</li>
            }).collect_view()}
        </ul>
        <p><a class="button" href="#/check-ins">"Open the check-in sweep"</a></p>
    }
}

#[component]
fn MapStep() -> impl IntoView {
    let ctx = use_app();
    // Drawn for the width it is shown at, like every chart.
    let holder = NodeRef::<leptos::html::Div>::new();
    let width = RwSignal::new(760u32);
    Effect::new(move |_| {
        if let Some(el) = holder.get() {
            crate::ui::widgets::observe_width(&el, width);
        }
    });
    let svg = move || {
        let scores = ctx.scores.get();
        ctx.ws.with(|w| charts::org_map_at(&map_points(w, &scores), ctx.theme.get(), width.get(), None))
    };
    view! { <div class="workshop__map" data-testid="workshop-map" node_ref=holder inner_html=svg></div> }
}

#[component]
fn ActionsStep() -> impl IntoView {
    let ctx = use_app();
    let status = RwSignal::new(None::<String>);
    let rows = move || {
        let scores = ctx.scores.get();
        ctx.ws.with(|w| {
            scores
                .units
                .iter()
                .filter(|s| s.recommendation.verdict != Verdict::Hold || !s.flags.is_empty())
                .map(|s| (s.unit, w.unit_name(s.unit).to_owned(), s.recommendation.clone()))
                .collect::<Vec<_>>()
        })
    };
    let export = move |_| {
        let (name, text) = ctx.ws.with_untracked(|w| (w.name.to_string(), export_workspace(w)));
        let slug = name.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-");
        if browser::download(&format!("latitude-{slug}.json"), "application/json", &text).is_ok() {
            ctx.mark_exported();
            status.set(Some("Exported the workspace.".into()));
        }
    };
    view! {
        <ul class="workshop__actions" data-testid="workshop-actions">
            {move || rows().into_iter().map(|(id, name, rec)| {
                let verdict = rec.verdict;
                let reason = rec.reason.clone();
                let done = RwSignal::new(false);
                view! {
                    <li class="workshop__action">
                        <span><strong>{name}</strong>{format!(": {} — {}", verdict.as_str(), rec.reason)}</span>
                        <button type="button" class="button button--small" data-testid="workshop-record-review" disabled=move || done.get() on:click=move |_| {
                            // The button is disabled on the next frame; a click before it must not record twice.
                            if done.get_untracked() {
                                return;
                            }
                            let date = ctx.as_of.get_untracked();
                            let note = reason.clone();
                            let reviewer = ctx.ws.with_untracked(|w| w.unit(id).and_then(|u| u.parent));
                            if ctx.edit(Command::RecordReview { unit: id, date, reviewer, verdict, note }).is_ok() {
                                done.set(true);
                            }
                        }>{move || if done.get() { "Recorded ✓" } else { "Agree and record" }}</button>
                    </li>
                }
            }).collect_view()}
        </ul>
        <div class="button-row">
            <button type="button" class="button button--primary" data-testid="workshop-export" on:click=export>"Export the workspace"</button>
        </div>
        <p role="status" class="form__status" data-testid="workshop-export-status">{move || status.get()}</p>
    }
}
