//! Units: add, rename and delete people and teams, with their leader.

use leptos::prelude::*;

use super::PageHeader;
use crate::core::{Name, UnitId, UnitKind};
use crate::ui::state::use_app;
use crate::ui::widgets::EmptyState;

fn parse_kind(v: &str) -> UnitKind {
    if v == "team" {
        UnitKind::Team
    } else {
        UnitKind::Person
    }
}

fn parse_parent(v: &str) -> Option<UnitId> {
    v.parse().ok().map(UnitId)
}

#[component]
pub fn Units() -> impl IntoView {
    let ctx = use_app();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("team".to_owned());
    let parent = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let announce = RwSignal::new(String::new());
    let empty = Memo::new(move |_| ctx.ws.with(|ws| ws.units.is_empty()));

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = match Name::new(name.get_untracked()) {
            Ok(n) => n,
            Err(e) => {
                error.set(Some(e.to_string()));
                return;
            }
        };
        let label = n.to_string();
        let mut result = Ok(());
        ctx.edit(|ws| {
            result = ws.add_unit(n, parse_kind(&kind.get_untracked()), parse_parent(&parent.get_untracked()), role.get_untracked().trim().to_owned()).map(|_| ());
        });
        match result {
            Ok(()) => {
                error.set(None);
                name.set(String::new());
                role.set(String::new());
                announce.set(format!("Added {label}."));
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };

    let options = move || ctx.ws.with(|ws| ws.tree_order().into_iter().map(|(id, depth)| (id, format!("{}{}", "· ".repeat(depth), ws.unit_name(id)))).collect::<Vec<_>>());

    view! {
        <PageHeader title="Units" lead="People and teams whose autonomy and results you track. A unit's leader answers for the autonomy delegated to it."/>
        <form class="card form form--inline" data-testid="unit-form" on:submit=add novalidate=true>
            <h2 class="card__title">"Add a unit"</h2>
            <div class="form__row">
                <div class="field">
                    <label for="unit-name">"Name"</label>
                    <input id="unit-name" type="text" maxlength="120" autocomplete="off" placeholder="e.g. Payments team or Ana Silva"
                        data-testid="unit-name" prop:value=move || name.get()
                        aria-invalid=move || error.get().is_some().to_string()
                        aria-describedby="unit-name-error"
                        on:input=move |ev| { name.set(event_target_value(&ev)); error.set(None); }/>
                    <p id="unit-name-error" class="field__error" data-testid="unit-name-error" role="alert">{move || error.get()}</p>
                </div>
                <div class="field">
                    <label for="unit-kind">"Kind"</label>
                    <select id="unit-kind" data-testid="unit-kind" on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                        <option value="team">"Team"</option>
                        <option value="person">"Person"</option>
                    </select>
                </div>
                <div class="field">
                    <label for="unit-parent">"Leader (optional)"</label>
                    <select id="unit-parent" data-testid="unit-parent" on:change=move |ev| parent.set(event_target_value(&ev)) prop:value=move || parent.get()>
                        <option value="">"— none —"</option>
                        {move || options().into_iter().map(|(id, label)| view! { <option value=id.0.to_string()>{label}</option> }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="unit-role">"Role (optional)"</label>
                    <input id="unit-role" type="text" maxlength="80" placeholder="e.g. Senior engineer" data-testid="unit-role"
                        prop:value=move || role.get() on:input=move |ev| role.set(event_target_value(&ev))/>
                </div>
                <div class="field field--action">
                    <button type="submit" class="button button--primary" data-testid="unit-add">"Add unit"</button>
                </div>
            </div>
            <p class="visually-hidden" role="status" aria-live="polite">{move || announce.get()}</p>
        </form>
        {move || {
            if empty.get() {
                view! {
                    <EmptyState title="No units yet" testid="units-empty">
                        <p>"Start with the teams or people whose autonomy you want to make explicit: add them above, leaders first, so reports can name their leader."</p>
                        <p>"Or open the sample organisation from " <a href="#/">"the overview"</a> " or " <a href="#/settings">"Settings"</a> " to explore a year of history."</p>
                    </EmptyState>
                }.into_any()
            } else {
                view! { <UnitList/> }.into_any()
            }
        }}
    }
}

/// The list of units with inline rename and confirmed delete.
#[component]
fn UnitList() -> impl IntoView {
    let ctx = use_app();
    let editing = RwSignal::new(None::<UnitId>);
    let deleting = RwSignal::new(None::<UnitId>);
    let rows = move || ctx.ws.with(|ws| ws.tree_order());
    view! {
        <section class="card">
            <h2 class="card__title">{move || format!("{} units", ctx.ws.with(|w| w.units.len()))}</h2>
            <ul class="unit-list" data-testid="unit-list">
                {move || rows().into_iter().map(|(id, depth)| view! { <UnitRow id=id depth=depth editing=editing deleting=deleting/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn UnitRow(id: UnitId, depth: usize, editing: RwSignal<Option<UnitId>>, deleting: RwSignal<Option<UnitId>>) -> impl IntoView {
    let ctx = use_app();
    let unit = ctx.ws.with_untracked(|ws| ws.unit(id).cloned());
    let Some(unit) = unit else { return ().into_any() };
    let draft = RwSignal::new(unit.name.to_string());
    let error = RwSignal::new(None::<String>);
    let name = unit.name.to_string();
    let summary = ctx.ws.with_untracked(|ws| {
        let parent = unit.parent.map(|p| format!(" · reports to {}", ws.unit_name(p))).unwrap_or_default();
        let role = if unit.role.is_empty() { String::new() } else { format!(" · {}", unit.role) };
        let commitments = ws.commitments.iter().filter(|c| c.owner == id).count();
        format!("{}{role}{parent} · {commitments} commitment{}", if unit.kind == crate::core::UnitKind::Team { "Team" } else { "Person" }, if commitments == 1 { "" } else { "s" })
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Name::new(draft.get_untracked()) {
            Ok(n) => {
                let mut result = Ok(());
                ctx.edit(|ws| {
                    if let Some(u) = ws.unit(id).cloned() {
                        result = ws.update_unit(id, n, u.kind, u.parent, u.role);
                    }
                });
                match result {
                    Ok(()) => editing.set(None),
                    Err(e) => error.set(Some(e.to_string())),
                }
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let name_for_delete = name.clone();
    let summary = StoredValue::new(summary);
    let name = StoredValue::new(name);
    let name_for_delete = StoredValue::new(name_for_delete);
    view! {
        <li class="unit-list__row" style:padding-left=format!("{}rem", 0.75 + depth as f64 * 1.25) data-testid="unit-row" data-unit-id=id.0.to_string()>
            {move || if editing.get() == Some(id) {
                view! {
                    <form class="unit-list__edit" on:submit=save>
                        <label class="visually-hidden" for=format!("rename-{}", id.0)>"New name"</label>
                        <input id=format!("rename-{}", id.0) type="text" maxlength="120" data-testid="unit-rename-input"
                            prop:value=move || draft.get() on:input=move |ev| { draft.set(event_target_value(&ev)); error.set(None); }/>
                        <button type="submit" class="button button--primary button--small" data-testid="unit-rename-save">"Save"</button>
                        <button type="button" class="button button--small" data-testid="unit-rename-cancel" on:click=move |_| editing.set(None)>"Cancel"</button>
                        <span class="field__error" role="alert">{move || error.get()}</span>
                    </form>
                }.into_any()
            } else if deleting.get() == Some(id) {
                let label = name_for_delete.get_value();
                view! {
                    <div class="unit-list__confirm" role="alertdialog" aria-label="Confirm delete">
                        <span>{format!("Delete {label} and its grants, commitments, check-ins, decisions and reviews? Its reports move up to its leader.")}</span>
                        <button type="button" class="button button--danger button--small" data-testid="unit-delete-confirm" on:click=move |_| {
                            ctx.edit(|ws| ws.remove_unit(id));
                            deleting.set(None);
                        }>"Delete"</button>
                        <button type="button" class="button button--small" data-testid="unit-delete-cancel" on:click=move |_| deleting.set(None)>"Keep"</button>
                    </div>
                }.into_any()
            } else {
                let n = name.get_value();
                view! {
                    <div class="unit-list__main">
                        <a class="unit-list__name" href=format!("#/units/{}", id.0) data-testid="unit-link">{n.clone()}</a>
                        <span class="unit-list__meta">{summary.get_value()}</span>
                    </div>
                    <div class="unit-list__actions">
                        <button type="button" class="button button--small" data-testid="unit-rename" aria-label=format!("Rename {n}") on:click=move |_| { draft.set(name.get_value()); editing.set(Some(id)); }>"Rename"</button>
                        <button type="button" class="button button--small button--quiet-danger" data-testid="unit-delete" aria-label=format!("Delete {n}") on:click=move |_| deleting.set(Some(id))>"Delete"</button>
                    </div>
                }.into_any()
            }}
        </li>
    }
    .into_any()
}
