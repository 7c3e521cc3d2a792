//! The six steps of the workshop.

use leptos::prelude::*;

use crate::charts;
use crate::core::series::map_points;
use crate::core::*;
use crate::storage::file::export_workspace;
use crate::ui::browser;
use crate::ui::form::{area_ref, choice};
use crate::ui::state::use_app;
use crate::ui::widgets::{AreaPicker, ScaleSelect};

#[component]
pub fn StartStep(#[prop(into)] on_done: Callback<()>) -> impl IntoView {
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
pub fn TeamsStep() -> impl IntoView {
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
pub fn PokerStep() -> impl IntoView {
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
                <button type="button" class="button button--primary" data-testid="poker-reveal" data-shortcut="reveal" aria-keyshortcuts="R" disabled=move || votes.get().is_empty() || revealed.get() on:click=reveal>"Reveal the votes"</button>
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
pub fn ResultsStep() -> impl IntoView {
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

/// How much the map is enlarged in presenter mode: its smallest text (12 px) becomes 18 px.
pub const PRESENTER_MAP_SCALE: f64 = 1.5;

#[component]
pub fn MapStep(presenter: RwSignal<bool>) -> impl IntoView {
    let ctx = use_app();
    // Drawn for the size it is shown at, like every chart; in presenter mode drawn
    // smaller and enlarged, so every text is projector-sized and the map fills the frame.
    let holder = NodeRef::<leptos::html::Div>::new();
    let size = RwSignal::new((760u32, 480u32));
    Effect::new(move |_| {
        if let Some(el) = holder.get() {
            crate::ui::widgets::observe_size(&el, size);
        }
    });
    let svg = move || {
        let scores = ctx.scores.get();
        let (w, h) = size.get();
        ctx.ws.with(|ws| {
            let points = map_points(ws, &scores);
            if presenter.get() {
                let scaled = |v: u32| (f64::from(v) / PRESENTER_MAP_SCALE).floor() as u32;
                charts::org_map_at(&points, charts::Theme::Dark, scaled(w), Some(scaled(h)))
            } else {
                charts::org_map_at(&points, ctx.theme.get(), w, None)
            }
        })
    };
    view! { <div class="workshop__map" data-testid="workshop-map" node_ref=holder inner_html=svg></div> }
}

#[component]
pub fn ActionsStep() -> impl IntoView {
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
