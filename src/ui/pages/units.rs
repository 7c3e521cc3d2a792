//! Units: add, edit (name, kind, leader, role) and delete people and teams.

use leptos::prelude::*;

use super::PageHeader;
use crate::core::{Command, Name, UnitId, UnitKind};
use crate::ui::form::{choice, take_changes_meanwhile, FieldError, FormError, SubmitOnce};
use crate::ui::state::use_app;
use crate::ui::widgets::EmptyState;

/// The leader picked in a select: none, or a unit's id.
fn parse_parent(v: &str) -> Result<Option<UnitId>, String> {
    match v.trim() {
        "" => Ok(None),
        t => t.parse().map(|n| Some(UnitId(n))).map_err(|_| format!("leader: \u{201c}{t}\u{201d} is not a unit")),
    }
}

/// The leader choices, indented by depth: for a new unit every unit; for `unit`, every
/// unit but itself and those under it, which the core would refuse as a loop.
fn leader_options(ws: &crate::core::Workspace, unit: Option<UnitId>) -> Vec<(UnitId, String)> {
    ws.leader_choices(unit).into_iter().map(|(id, depth)| (id, format!("{}{}", "· ".repeat(depth), ws.unit_name(id)))).collect()
}

#[component]
pub fn Units() -> impl IntoView {
    let ctx = use_app();
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("team".to_owned());
    let parent = RwSignal::new(String::new());
    let role = RwSignal::new(String::new());
    let error = FormError::default();
    let once = SubmitOnce::default();
    let announce = RwSignal::new(String::new());
    let empty = Memo::new(move |_| ctx.ws.with(|ws| ws.units.is_empty()));

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if once.repeated() {
            return;
        }
        let n = match Name::new(name.get_untracked()) {
            Ok(n) => n,
            Err(e) => return error.set("unit-name", e.to_string()),
        };
        let k = match choice::<UnitKind>(&kind.get_untracked()) {
            Ok(k) => k,
            Err(e) => return error.set("unit-kind", e),
        };
        let p = match parse_parent(&parent.get_untracked()) {
            Ok(p) => p,
            Err(e) => return error.set("unit-parent", e),
        };
        let label = n.to_string();
        match ctx.edit(Command::AddUnit { name: n, kind: k, parent: p, role: role.get_untracked().trim().to_owned() }) {
            Ok(_) => {
                error.clear();
                once.recorded();
                name.set(String::new());
                parent.set(String::new());
                role.set(String::new());
                announce.set(format!("Added {label}."));
            }
            Err(e) => error.refuse(&e, &[("name", "unit-name"), ("kind", "unit-kind"), ("parent", "unit-parent"), ("role", "unit-role")], "unit-name"),
        }
    };

    let options = move || ctx.ws.with(|ws| leader_options(ws, None));

    view! {
        <PageHeader title="Units" lead="People and teams whose autonomy and results you track. A unit's leader answers for the autonomy delegated to it."/>
        <form class="card form form--inline" data-testid="unit-form" on:submit=add novalidate=true on:input=move |_| once.touched() on:change=move |_| once.touched()>
            <h2 class="card__title">"Add a unit"</h2>
            <div class="form__row">
                <div class="field">
                    <label for="unit-name">"Name"</label>
                    <input id="unit-name" type="text" maxlength="120" autocomplete="off" placeholder="e.g. Payments team or Ana Silva"
                        data-testid="unit-name" prop:value=move || name.get()
                        aria-invalid=move || error.invalid("unit-name")
                        aria-describedby="unit-name-error"
                        on:input=move |ev| { name.set(event_target_value(&ev)); error.clear(); }/>
                    <FieldError error=error field="unit-name"/>
                </div>
                <div class="field">
                    <label for="unit-kind">"Kind"</label>
                    <select id="unit-kind" data-testid="unit-kind" aria-describedby="unit-kind-error" aria-invalid=move || error.invalid("unit-kind")
                        on:change=move |ev| kind.set(event_target_value(&ev)) prop:value=move || kind.get()>
                        <option value="team">"Team"</option>
                        <option value="person">"Person"</option>
                    </select>
                    <FieldError error=error field="unit-kind"/>
                </div>
                <div class="field">
                    <label for="unit-parent">"Leader (optional)"</label>
                    <select id="unit-parent" data-testid="unit-parent" aria-describedby="unit-parent-error" on:change=move |ev| parent.set(event_target_value(&ev)) prop:value=move || parent.get()>
                        <option value="">"— none —"</option>
                        {move || options().into_iter().map(|(id, label)| view! { <option value=id.0.to_string()>{label}</option> }).collect_view()}
                    </select>
                    <FieldError error=error field="unit-parent"/>
                </div>
                <div class="field">
                    <label for="unit-role">"Role (optional)"</label>
                    <input id="unit-role" type="text" maxlength="80" placeholder="e.g. Senior engineer" data-testid="unit-role" aria-describedby="unit-role-error"
                        prop:value=move || role.get() on:input=move |ev| role.set(event_target_value(&ev))/>
                    <FieldError error=error field="unit-role"/>
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

/// The list of units with inline editing and confirmed delete.
#[component]
fn UnitList() -> impl IntoView {
    let ctx = use_app();
    let editing = RwSignal::new(None::<UnitId>);
    let deleting = RwSignal::new(None::<UnitId>);
    // The unit as the open edit form first showed it: the rows are built again whenever
    // the workspace changes (here, in another tab, by Undo), the form with them.
    let shown = StoredValue::new(None::<[String; 4]>);
    let rows = move || ctx.ws.with(|ws| ws.tree_order());
    view! {
        <section class="card">
            <h2 class="card__title">{move || format!("{} units", ctx.ws.with(|w| w.units.len()))}</h2>
            <ul class="unit-list" data-testid="unit-list">
                {move || rows().into_iter().map(|(id, depth)| view! { <UnitRow id=id depth=depth editing=editing deleting=deleting shown=shown/> }).collect_view()}
            </ul>
        </section>
    }
}

/// A unit's fields as its edit form holds them: name, kind, leader, role.
fn unit_texts(u: &crate::core::Unit) -> [String; 4] {
    [u.name.to_string(), u.kind.as_str().to_owned(), u.parent.map(|p| p.0.to_string()).unwrap_or_default(), u.role.clone()]
}

/// Where a unit's edit form keeps what is typed in it: a prefix of its own (the unit
/// page keeps other things under `<ws>/unit/<id>/`, which forgetting this must not touch).
fn edit_prefix(ctx: crate::ui::state::AppCtx, id: UnitId) -> String {
    format!("{}/unit-edit/{}/", ctx.id.get_untracked(), id.0)
}

/// The names of [`unit_texts`]' fields, as a message lists them.
const UNIT_FIELD_NAMES: [&str; 4] = ["name", "kind", "leader", "role"];

#[component]
fn UnitRow(id: UnitId, depth: usize, editing: RwSignal<Option<UnitId>>, deleting: RwSignal<Option<UnitId>>, shown: StoredValue<Option<[String; 4]>>) -> impl IntoView {
    let ctx = use_app();
    let unit = ctx.ws.with_untracked(|ws| ws.unit(id).cloned());
    let Some(unit) = unit else { return ().into_any() };
    let name = unit.name.to_string();
    let summary = ctx.ws.with_untracked(|ws| {
        let parent = unit.parent.map(|p| format!(" · reports to {}", ws.unit_name(p))).unwrap_or_default();
        let role = if unit.role.is_empty() { String::new() } else { format!(" · {}", unit.role) };
        let commitments = ws.commitments.iter().filter(|c| c.owner == id).count();
        format!("{}{role}{parent} · {commitments} commitment{}", if unit.kind == crate::core::UnitKind::Team { "Team" } else { "Person" }, if commitments == 1 { "" } else { "s" })
    });
    let texts = StoredValue::new(unit_texts(&unit));
    let name_for_delete = name.clone();
    let summary = StoredValue::new(summary);
    let name = StoredValue::new(name);
    let name_for_delete = StoredValue::new(name_for_delete);
    view! {
        <li class="unit-list__row" style:padding-left=format!("{}rem", 0.75 + depth as f64 * 1.25) data-testid="unit-row" data-unit-id=id.0.to_string()>
            {move || if editing.get() == Some(id) {
                view! { <UnitEditForm id=id texts=texts.get_value() editing=editing shown=shown/> }.into_any()
            } else if deleting.get() == Some(id) {
                let label = name_for_delete.get_value();
                view! {
                    <div class="unit-list__confirm" role="alertdialog" aria-label="Confirm delete">
                        <span>{format!("Delete {label} and its grants, commitments, check-ins, decisions and reviews? Its reports move up to its leader.")}</span>
                        <button type="button" class="button button--danger button--small" data-testid="unit-delete-confirm" on:click=move |_| {
                            let _ = ctx.edit(Command::RemoveUnit { unit: id });
                            deleting.set(None);
                        }>"Delete"</button>
                        <button type="button" class="button button--small" data-testid="unit-delete-cancel" on:click=move |_| {
                            deleting.set(None);
                            crate::ui::browser::focus_after_render(format!("[data-unit-id=\"{}\"] [data-testid=unit-delete]", id.0));
                        }>"Keep"</button>
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
                        <button type="button" class="button button--small" data-testid="unit-rename" aria-label=format!("Edit {n}") on:click=move |_| {
                            // A new edit starts from the unit as it is, not from text typed before.
                            ctx.forget_typed(&edit_prefix(ctx, id));
                            shown.set_value(Some(texts.get_value()));
                            editing.set(Some(id));
                            crate::ui::browser::focus_after_render(format!("#rename-{}", id.0));
                        }>"Edit"</button>
                        <button type="button" class="button button--small button--quiet-danger" data-testid="unit-delete" aria-label=format!("Delete {n}") on:click=move |_| {
                            deleting.set(Some(id));
                            // The question takes the row: the focus goes to its safe answer.
                            crate::ui::browser::focus_after_render(format!("[data-unit-id=\"{}\"] [data-testid=unit-delete-cancel]", id.0));
                        }>"Delete"</button>
                    </div>
                }.into_any()
            }}
        </li>
    }
    .into_any()
}

/// A unit's edit form. What is typed in it is kept while the rows are built again (any
/// change to the workspace) and across a reload; saving checks the unit against the one
/// the form first showed, so a change made meanwhile is never put back unseen.
#[component]
fn UnitEditForm(id: UnitId, texts: [String; 4], editing: RwSignal<Option<UnitId>>, shown: StoredValue<Option<[String; 4]>>) -> impl IntoView {
    let ctx = use_app();
    let key = move |f: &str| format!("{}{f}", edit_prefix(ctx, id));
    let [draft, draft_kind, draft_parent, draft_role] = [0, 1, 2, 3].map(|i| ctx.typed_field(key(UNIT_FIELD_NAMES[i]), texts[i].clone()));
    let error = FormError::default();
    let (name_id, kind_id, parent_id, role_id) = (format!("rename-{}", id.0), format!("unit-kind-{}", id.0), format!("unit-parent-{}", id.0), format!("unit-role-{}", id.0));
    let ids = StoredValue::new((name_id.clone(), kind_id.clone(), parent_id.clone(), role_id.clone()));
    let close = move || {
        ctx.forget_typed(&key(""));
        shown.set_value(None);
        editing.set(None);
        // The form gives way to the row: the focus goes back to its Edit button.
        crate::ui::browser::focus_after_render(format!("[data-unit-id=\"{}\"] [data-testid=unit-rename]", id.0));
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (name_id, kind_id, parent_id, role_id) = ids.get_value();
        // Changed since the form showed it: the fields left as they were show the new
        // values, the ones changed here stay, and the form asks to check and save again.
        let now = ctx.ws.with_untracked(|w| w.unit(id).map(unit_texts));
        if let (Some(was), Some(is)) = (shown.get_value(), now) {
            if was != is {
                shown.set_value(Some(is.clone()));
                let fields = [
                    (draft, name_id.as_str(), UNIT_FIELD_NAMES[0]),
                    (draft_kind, &kind_id, UNIT_FIELD_NAMES[1]),
                    (draft_parent, &parent_id, UNIT_FIELD_NAMES[2]),
                    (draft_role, &role_id, UNIT_FIELD_NAMES[3]),
                ];
                // The leader is kept as an id: the message names the unit.
                let shown = |i: usize, text: &str| match (i, text.parse::<u32>()) {
                    (2, Ok(n)) => ctx.ws.with_untracked(|w| w.unit_name(UnitId(n)).to_owned()),
                    (2, Err(_)) => "none".to_owned(),
                    _ => text.to_owned(),
                };
                let (at, message) = take_changes_meanwhile("unit", &fields, &was, &is, &[], &shown, &name_id);
                return error.set(at, message);
            }
        }
        let n = match Name::new(draft.get_untracked()) {
            Ok(n) => n,
            Err(e) => return error.set(name_id, e.to_string()),
        };
        let k = match choice::<UnitKind>(&draft_kind.get_untracked()) {
            Ok(k) => k,
            Err(e) => return error.set(kind_id, e),
        };
        let p = match parse_parent(&draft_parent.get_untracked()) {
            Ok(p) => p,
            Err(e) => return error.set(parent_id, e),
        };
        match ctx.edit(Command::EditUnit { unit: id, name: n, kind: k, parent: p, role: draft_role.get_untracked().trim().to_owned() }) {
            Ok(_) => {
                error.clear();
                close();
            }
            Err(e) => error.refuse(&e, &[("name", &name_id), ("kind", &kind_id), ("parent", &parent_id), ("role", &role_id)], &name_id),
        }
    };
    let leaders = ctx.ws.with_untracked(|ws| leader_options(ws, Some(id)));
    view! {
        <form class="unit-list__edit" data-testid="unit-edit-form" on:submit=save novalidate=true on:keydown=move |ev: leptos::ev::KeyboardEvent| if ev.key() == "Escape" { close() }>
            <div class="field field--compact">
                <label for=name_id.clone()>"Name"</label>
                <input id=name_id.clone() type="text" maxlength="120" data-testid="unit-rename-input" aria-describedby=format!("{name_id}-error")
                    aria-invalid={ let f = name_id.clone(); move || error.invalid(&f) }
                    prop:value=move || draft.get() on:input=move |ev| { draft.set(event_target_value(&ev)); error.clear(); }/>
                <FieldError error=error field=name_id.clone()/>
            </div>
            <div class="field field--compact">
                <label for=kind_id.clone()>"Kind"</label>
                <select id=kind_id.clone() data-testid="unit-edit-kind" aria-describedby=format!("{kind_id}-error") prop:value=move || draft_kind.get() on:change=move |ev| draft_kind.set(event_target_value(&ev))>
                    <option value="team" selected=move || draft_kind.get() == "team">"Team"</option>
                    <option value="person" selected=move || draft_kind.get() == "person">"Person"</option>
                </select>
                <FieldError error=error field=kind_id.clone()/>
            </div>
            <div class="field field--compact">
                <label for=parent_id.clone()>"Leader"</label>
                <select id=parent_id.clone() data-testid="unit-edit-parent" aria-describedby=format!("{parent_id}-error") prop:value=move || draft_parent.get() on:change=move |ev| draft_parent.set(event_target_value(&ev))>
                    <option value="" selected=move || draft_parent.get().is_empty()>"— none —"</option>
                    {leaders.into_iter().map(|(u, label)| { let v = u.0.to_string(); let is = v.clone(); view! { <option value=v selected=move || draft_parent.get() == is>{label}</option> } }).collect_view()}
                </select>
                <FieldError error=error field=parent_id.clone()/>
            </div>
            <div class="field field--compact">
                <label for=role_id.clone()>"Role"</label>
                <input id=role_id.clone() type="text" maxlength="80" data-testid="unit-edit-role" aria-describedby=format!("{role_id}-error") prop:value=move || draft_role.get() on:input=move |ev| draft_role.set(event_target_value(&ev))/>
                <FieldError error=error field=role_id.clone()/>
            </div>
            <button type="submit" class="button button--primary button--small" data-testid="unit-rename-save">"Save"</button>
            <button type="button" class="button button--small" data-testid="unit-rename-cancel" on:click=move |_| close()>"Cancel"</button>
        </form>
    }
}
