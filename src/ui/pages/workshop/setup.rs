//! Steps 1 and 2: the participants, named once for the whole workshop; the teams and
//! people, each a team or a person, and which of them the workshop is about.

use leptos::prelude::*;

use super::session::{with_session, with_session_untracked};
use crate::core::workshop::WorkshopId;
use crate::core::*;
use crate::ui::form::choice;
use crate::ui::state::use_app;

/// Step 1: the participants (one per line or separated by commas).
#[component]
pub fn SceneStep(id: WorkshopId) -> impl IntoView {
    let ctx = use_app();
    let names = move || with_session(ctx, id, |s| s.participants.iter().map(|p| p.to_string()).collect::<Vec<_>>()).unwrap_or_default();
    // What the box holds is kept across a reload until it is saved.
    let key = format!("{}/workshop/{}/participants", ctx.id.get_untracked(), id.0);
    let text = ctx.typed_field(key.clone(), with_session_untracked(ctx, id, |s| s.participants.iter().map(|p| p.to_string()).collect::<Vec<_>>().join(", ")).unwrap_or_default());
    let key = StoredValue::new(key);
    let status = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // Saved by the button, and when the field is left with a change in it (a facilitator
    // who types the names and goes straight to the next step keeps them). A click that
    // leaves the step without moving the focus first (from a script or an assistive tool)
    // removes the field unsaved: the step saves what it holds as it goes, and Chromium's
    // change event, which then arrives once this step's own signals are gone, reads the
    // field itself. Names already saved are not saved again.
    let commit = move |typed: String| {
        let parsed: Result<Vec<Name>, String> = typed_names(&typed).map(|t| Name::new(t).map_err(|e| format!("“{t}”: {e}"))).collect();
        let saved = move |participants: &Vec<Name>| with_session_untracked(ctx, id, |s| s.participants == *participants).unwrap_or(false);
        let edited =
            parsed.and_then(|participants| if saved(&participants) { Ok(()) } else { ctx.edit(Command::SetParticipants { workshop: id, participants }).map(|_| ()).map_err(|e| e.to_string()) });
        match edited {
            Ok(_) => {
                key.try_with_value(|k| ctx.forget_typed(k));
                error.try_set(None);
                status.try_set(Some(format!("{} participants.", names().len())));
            }
            Err(e) => {
                status.try_set(None);
                error.try_set(Some(e));
            }
        }
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        commit(text.get_untracked());
    };
    on_cleanup(move || {
        if let Some(typed) = text.try_get_untracked() {
            commit(typed);
        }
    });
    view! {
        <form class="form" data-testid="workshop-participants-form" on:submit=save>
            <div class="field field--wide">
                <label for="ws-participants">"Participants (separated by commas or one per line)"</label>
                <textarea id="ws-participants" rows="2" data-testid="workshop-participants" aria-describedby="ws-participants-error"
                    prop:value=move || text.get() on:input=move |ev| text.set(event_target_value(&ev)) on:change=move |ev| commit(event_target_value(&ev))></textarea>
            </div>
            // Saving as the field is left (by a click on "Next step →") must not move that
            // button between the press and the release, which would lose the click: the
            // status is beside the button, in room it keeps while empty, and the names
            // below are those in the box as it is typed, so saving them changes nothing on
            // the page.
            <div class="button-row workshop__scene-save">
                <button type="submit" class="button button--primary" data-testid="workshop-participants-save">"Save the participants"</button>
                <p role="status" class="form__status workshop__scene-status" data-testid="workshop-participants-status">{move || status.get()}</p>
            </div>
            <p id="ws-participants-error" class="field__error" role="alert">{move || error.get()}</p>
        </form>
        <ul class="workshop__chips" data-testid="workshop-participant-list" aria-label="Participants">
            {move || {
                let names: Vec<String> = text.with(|t| typed_names(t).filter(|n| Name::new(n).is_ok()).map(str::to_owned).collect());
                if names.is_empty() {
                    view! { <li class="tag workshop__chips-empty">"No participants yet."</li> }.into_any()
                } else {
                    names.into_iter().map(|n| view! { <li class="tag">{n}</li> }).collect_view().into_any()
                }
            }}
        </ul>
    }
}

/// The names in the Participants box: separated by commas, semicolons or lines.
fn typed_names(typed: &str) -> impl Iterator<Item = &str> {
    typed.split([',', '\n', ';']).map(str::trim).filter(|t| !t.is_empty())
}

/// Step 2: add teams and people; tick those in scope (a new one is in scope).
#[component]
pub fn TeamsStep(id: WorkshopId) -> impl IntoView {
    let ctx = use_app();
    // Typed and not added yet, the name survives another page and a reload.
    let name = ctx.typed_field(format!("{}/workshop/{}/team-name", ctx.id.get_untracked(), id.0), String::new());
    let kind = RwSignal::new("team".to_owned());
    let leader = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let scope = move || with_session(ctx, id, |s| (s.units.clone(), s.areas.clone())).unwrap_or_default();
    let set_scope = move |unit: UnitId, on: bool| {
        let (mut units, areas) = with_session_untracked(ctx, id, |s| (s.units.clone(), s.areas.clone())).unwrap_or_default();
        units.retain(|u| *u != unit);
        if on {
            units.push(unit);
        }
        ctx.edit(Command::SetWorkshopScope { workshop: id, units, areas })
    };
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let unit_kind = match choice::<UnitKind>(&kind.get_untracked()) {
            Ok(k) => k,
            Err(e) => return error.set(Some(e)),
        };
        // Added and put in scope in one command: one Undo takes both back.
        let command = Name::new(name.get_untracked()).map_err(|e| e.to_string()).map(|n| Command::AddWorkshopUnit {
            workshop: id,
            name: n,
            kind: unit_kind,
            parent: leader.get_untracked().parse().ok().map(UnitId),
        });
        match command.and_then(|c| ctx.edit(c).map_err(|e| e.to_string())) {
            Ok(_) => {
                name.set(String::new());
                // Most of the room's units are teams: each addition starts from one.
                kind.set("team".to_owned());
                error.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <form class="form form--inline" data-testid="workshop-team-form" on:submit=add>
            <div class="form__row">
                <div class="field field--wide">
                    <label for="ws-team">"Name"</label>
                    <input id="ws-team" type="text" maxlength="120" data-testid="workshop-team-name" aria-describedby="ws-team-error" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="ws-kind">"Team or person"</label>
                    <select id="ws-kind" data-testid="workshop-team-kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="team">"Team"</option>
                        <option value="person">"Person"</option>
                    </select>
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
            <p id="ws-team-error" class="field__error" role="alert">{move || error.get()}</p>
        </form>
        <fieldset class="workshop__scope" data-testid="workshop-teams">
            <legend>"In this workshop"</legend>
            // Units added here are ticked; those already in the workspace wait to be chosen.
            {move || (scope().0.is_empty() && ctx.ws.with(|w| !w.units.is_empty())).then(|| view! {
                <p class="workshop__hint" data-testid="workshop-scope-hint">"Tick the units to discuss in this workshop: the rounds, the results and the actions are about them."</p>
            })}
            {move || {
                let (units, _) = scope();
                ctx.ws.with(|w| w.units.iter().map(|u| {
                    let uid = u.id;
                    let checked = units.contains(&uid);
                    let kind = if u.kind == UnitKind::Team { "team" } else { "person" };
                    view! {
                        <label class="tag workshop__scope-unit">
                            <input type="checkbox" data-testid=format!("workshop-scope-{}", uid.0) prop:checked=checked on:change=move |ev| { let _ = set_scope(uid, event_target_checked(&ev)); }/>
                            {format!(" {} ({kind})", u.name)}
                        </label>
                    }
                }).collect_view())
            }}
        </fieldset>
    }
}
