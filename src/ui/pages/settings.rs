//! Settings: the workspace, its policy, import and export, and storage.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::PageHeader;
use crate::core::{AreaId, CheckInRow, Command, Name, Policy, Workspace};
use crate::storage::csv::{checkins_csv, parse_checkins, scores_csv, CsvImport, MAX_CSV_BYTES};
use crate::storage::file::{export_workspace, import_workspace, MAX_IMPORT_BYTES};
use crate::ui::browser;
use crate::ui::form::{number, FieldError, FormError, SubmitOnce};
use crate::ui::state::use_app;

#[component]
pub fn Settings() -> impl IntoView {
    view! {
        <PageHeader title="Settings" lead="The open workspace, the scoring policy it carries, and where its data lives."/>
        <div class="settings">
            <WorkspaceCard/>
            <super::team::TeamCard/>
            <TransferCard/>
            <SpreadsheetCard/>
            <ScalesCard/>
            <PolicyCard/>
        </div>
    }
}

#[component]
fn WorkspaceCard() -> impl IntoView {
    let ctx = use_app();
    let name = RwSignal::new(ctx.ws.with_untracked(|w| w.name.to_string()));
    // The field follows the name when it changes elsewhere (undo, another tab, a team
    // member's edit).
    let current = Memo::new(move |_| ctx.ws.with(|w| w.name.to_string()));
    Effect::new(move |_| name.set(current.get()));
    let error = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let rename = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Name::new(name.get_untracked()) {
            Ok(n) => match ctx.edit(Command::RenameWorkspace { name: n }) {
                Ok(_) => {
                    error.set(None);
                    message.set(Some("Renamed.".into()));
                }
                Err(e) => error.set(Some(e.to_string())),
            },
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let counts = move || {
        ctx.ws.with(|w| {
            [
                counted(w.units.len(), "unit"),
                counted(w.areas.len(), "decision area"),
                counted(w.commitments.len(), "commitment"),
                counted(w.checkin_count(), "check-in"),
                counted(w.decisions.len(), "decision"),
            ]
            .join(" · ")
        })
    };
    let usage = move || {
        ctx.ws.track();
        let (ours, all) = ctx.storage_usage();
        format!("Latitude uses {} of about 5,200,000 characters this browser allows per site ({} used by this site in all).", group(ours), group(all))
    };
    view! {
        <section class="card" data-testid="workspace-card">
            <h2 class="card__title">"Workspace"</h2>
            <form class="form form--inline" on:submit=rename>
                <div class="form__row">
                    <div class="field field--wide">
                        <label for="ws-name">"Name"</label>
                        <input id="ws-name" type="text" maxlength="120" data-testid="ws-name" prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    </div>
                    <div class="field field--action"><button type="submit" class="button" data-testid="ws-rename">"Rename"</button></div>
                </div>
                <p class="field__error" role="alert" data-testid="ws-name-error">{move || error.get()}</p>
                <p role="status" class="form__status">{move || message.get()}</p>
            </form>
            <p data-testid="ws-counts">{counts}</p>
            <WorkspaceList/>
            <p class="muted" data-testid="storage-usage">{usage}</p>
            <Durability/>
        </section>
    }
}

fn group(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Export, import and the sample organisation.
#[component]
fn TransferCard() -> impl IntoView {
    let ctx = use_app();
    let pending = RwSignal::new(None::<Workspace>);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let (error_ref, preview_ref) = (NodeRef::<leptos::html::P>::new(), NodeRef::<leptos::html::Div>::new());
    reveal_feedback(error, pending, error_ref, preview_ref);
    let export = move |_| {
        let (name, text) = ctx.ws.with_untracked(|w| (w.name.to_string(), export_workspace(w)));
        let file = format!("latitude-{}.json", name.to_lowercase().split_whitespace().collect::<Vec<_>>().join("-"));
        match browser::download(&file, "application/json", &text) {
            Ok(saved) => {
                ctx.mark_exported();
                status.set(Some(format!("Exported {saved}.")));
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let on_file = move |ev: leptos::ev::Event| {
        read_picked_file(ev, MAX_IMPORT_BYTES, move |text| match text.and_then(|t| import_workspace(&t).map_err(|e| format!("Nothing was imported: {e}"))) {
            Ok(ws) => {
                error.set(None);
                pending.set(Some(ws));
            }
            Err(e) => {
                pending.set(None);
                error.set(Some(e));
            }
        });
    };
    let apply = move |_| {
        if let Some(ws) = pending.get_untracked() {
            let name = ws.name.to_string();
            match ctx.edit(Command::ReplaceWorkspace { workspace: Box::new(ws) }) {
                Ok(_) => {
                    pending.set(None);
                    status.set(Some(format!("Imported \u{201c}{name}\u{201d} in place of the open workspace (Undo takes it back).")));
                }
                Err(e) => error.set(Some(format!("Nothing was imported: {e}"))),
            }
        }
    };
    let apply_new = move |_| {
        if let Some(ws) = pending.get_untracked() {
            let name = ctx.create_workspace(ws);
            pending.set(None);
            status.set(Some(format!("Imported \u{201c}{name}\u{201d} as a new workspace; the previous one is kept.")));
        }
    };
    let load_sample = move |_| {
        ctx.load_sample();
        error.set(None);
        status.set(Some("Opened the sample organisation. Your own data, if any, is kept as another workspace.".into()));
    };
    view! {
        <section class="card" data-testid="transfer-card">
            <h2 class="card__title">"Import and export"</h2>
            <div class="button-row">
                <button type="button" class="button button--primary" data-testid="export-json" on:click=export>"Export workspace (JSON)"</button>
                <label class="button" for="import-file">"Import a workspace file…"</label>
                <input id="import-file" class="visually-hidden" type="file" accept=".json,application/json" data-testid="import-file" on:change=on_file/>
                <button type="button" class="button" data-testid="load-sample" on:click=load_sample>"Open the sample organisation"</button>
            </div>
            <p class="field__error" role="alert" tabindex="-1" data-testid="import-error" node_ref=error_ref>{move || error.get()}</p>
            <p role="status" class="form__status" data-testid="transfer-status">{move || status.get()}</p>
            {move || pending.get().map(|ws| view! {
                <div class="preview" role="region" aria-label="The file to import" tabindex="-1" data-testid="import-preview" node_ref=preview_ref>
                    <p><strong>{format!("{}: ", ws.name)}</strong>{format!("{}.", [counted(ws.units.len(), "unit"), counted(ws.commitments.len(), "commitment"), counted(ws.checkin_count(), "check-in"), counted(ws.decisions.len(), "decision")].join(", "))}</p>
                    {move || match ctx.team.info.get() {
                        // A shared workspace is the team's: replacing it replaces it for everyone.
                        Some(team) => view! {
                            <p data-testid="import-team-warning"><strong>{format!("The open workspace is shared with the team database “{}”.", team.db)}</strong>
                                " Replacing it replaces it for every member, at their next sync. Undo sends the team's version back, but others may have built on the file's by then. To look at the file alone, import it as a new workspace."</p>
                        }.into_any(),
                        None => view! { <p>"Open it as a new workspace, or replace the open one (Undo takes a replacement back)."</p> }.into_any(),
                    }}
                    <div class="button-row">
                        <button type="button" class="button button--primary" data-testid="import-new" on:click=apply_new>"Import as a new workspace"</button>
                        <button type="button" class="button button--danger" data-testid="import-apply" on:click=apply>{move || if ctx.team.info.with(Option::is_some) { "Replace it for the whole team" } else { "Replace the open workspace" }}</button>
                        <button type="button" class="button" data-testid="import-cancel" on:click=move |_| pending.set(None)>"Cancel"</button>
                    </div>
                </div>
            })}
        </section>
    }
}

/// One editable number of the policy.
struct Param {
    label: &'static str,
    get: fn(&Policy) -> f64,
    set: fn(&mut Policy, f64),
}

const PARAMS: [Param; 31] = [
    Param { label: "Half-life of track record (days)", get: |p| p.half_life_days, set: |p, v| p.half_life_days = v },
    Param { label: "Prior track record", get: |p| p.prior, set: |p, v| p.prior = v },
    Param { label: "Prior strength (commitments)", get: |p| p.prior_strength, set: |p, v| p.prior_strength = v },
    Param { label: "Grace after due date (days)", get: |p| f64::from(p.grace_days), set: |p, v| p.grace_days = v.round().clamp(0.0, 365.0) as u32 },
    Param { label: "Rigor look-back window (days)", get: |p| f64::from(p.rigor_window_days), set: |p, v| p.rigor_window_days = v.round().clamp(1.0, 3650.0) as u32 },
    Param { label: "Full-speed check-in gap (days)", get: |p| p.speed_target_days, set: |p, v| p.speed_target_days = v },
    Param { label: "Weight of speed", get: |p| p.rigor_weights.speed, set: |p, v| p.rigor_weights.speed = v },
    Param { label: "Weight of clarity", get: |p| p.rigor_weights.clarity, set: |p, v| p.rigor_weights.clarity = v },
    Param { label: "Weight of outcome focus", get: |p| p.rigor_weights.outcome_focus, set: |p, v| p.rigor_weights.outcome_focus = v },
    Param { label: "Weight of objectivity", get: |p| p.rigor_weights.objectivity, set: |p, v| p.rigor_weights.objectivity = v },
    Param { label: "Weight of visibility", get: |p| p.rigor_weights.visibility, set: |p, v| p.rigor_weights.visibility = v },
    Param { label: "Weight of consequence", get: |p| p.rigor_weights.consequence, set: |p, v| p.rigor_weights.consequence = v },
    Param { label: "Overextended above gap", get: |p| p.overextended_gap, set: |p, v| p.overextended_gap = v },
    Param { label: "Expand from track record", get: |p| p.expand_min_track_record, set: |p, v| p.expand_min_track_record = v },
    Param { label: "Expand when S − A is at least", get: |p| p.expand_margin, set: |p, v| p.expand_margin = v },
    Param { label: "Contract above gap", get: |p| p.contract_gap, set: |p, v| p.contract_gap = v },
    Param { label: "Contract below track record", get: |p| p.contract_track_record, set: |p, v| p.contract_track_record = v },
    Param { label: "Starved above S − A", get: |p| p.starved_gap, set: |p, v| p.starved_gap = v },
    Param { label: "Starved from track record", get: |p| p.starved_track_record, set: |p, v| p.starved_track_record = v },
    Param { label: "Attainment cap", get: |p| p.attainment_cap, set: |p, v| p.attainment_cap = v },
    Param { label: "Review within (days of due date)", get: |p| f64::from(p.consequence_window_days), set: |p, v| p.consequence_window_days = v.round().clamp(0.0, 3650.0) as u32 },
    Param { label: "Stale after (× cadence)", get: |p| p.stale_cadences, set: |p, v| p.stale_cadences = v },
    Param { label: "Shield below share accepted", get: |p| p.shield_share, set: |p, v| p.shield_share = v },
    Param { label: "Leader without results from A", get: |p| p.leader_without_results_autonomy, set: |p, v| p.leader_without_results_autonomy = v },
    Param { label: "Leadership ratio at least", get: |p| p.leadership_ratio_min, set: |p, v| p.leadership_ratio_min = v },
    Param { label: "Profiles need evidence (count)", get: |p| f64::from(p.profile_min_evidence), set: |p, v| p.profile_min_evidence = v.round().clamp(1.0, 1000.0) as u32 },
    Param { label: "Profiles: results met from", get: |p| p.profile_met, set: |p, v| p.profile_met = v },
    Param { label: "Profiles: results missed below", get: |p| p.profile_missed, set: |p, v| p.profile_missed = v },
    Param { label: "Profiles: good decisions from share", get: |p| p.profile_good_decisions, set: |p, v| p.profile_good_decisions = v },
    Param { label: "Profiles: busy from speed", get: |p| p.profile_busy_speed, set: |p, v| p.profile_busy_speed = v },
    Param { label: "On the path within (attainment)", get: |p| p.path_tolerance, set: |p, v| p.path_tolerance = v },
];

#[component]
fn PolicyCard() -> impl IntoView {
    let ctx = use_app();
    let defaults = Policy::default();
    view! {
        <section class="card" data-testid="policy-card">
            <div class="card__head">
                <h2 class="card__title">"Scoring policy"</h2>
                <button type="button" class="button button--small" data-testid="policy-reset" on:click=move |_| { let _ = ctx.edit(Command::SetPolicy { policy: Box::default() }); }>"Reset all to defaults"</button>
            </div>
            <p class="muted">"Every number the app shows comes from these parameters. The workspace carries its policy, so an exported file scores the same everywhere."</p>
            <div class="policy">
                {PARAMS.iter().enumerate().map(|(i, p)| {
                    let default = (p.get)(&defaults);
                    let error = RwSignal::new(None::<String>);
                    let get = p.get;
                    let set = p.set;
                    view! {
                        <div class="field policy__field">
                            <label for=format!("policy-{i}")>{p.label}</label>
                            <input id=format!("policy-{i}") type="text" inputmode="decimal" data-testid=format!("policy-{i}") aria-describedby=format!("policy-{i}-error")
                                prop:value=move || ctx.ws.with(|w| format!("{}", get(&w.policy)))
                                on:change=move |ev| {
                                    let text = event_target_value(&ev);
                                    match number(&text, p.label) {
                                        Ok(v) => {
                                            let mut next = ctx.ws.with_untracked(|w| w.policy.clone());
                                            set(&mut next, v.get());
                                            match ctx.edit(Command::SetPolicy { policy: Box::new(next) }) {
                                                Ok(_) => error.set(None),
                                                Err(e) => error.set(Some(e.to_string())),
                                            }
                                        }
                                        Err(e) => error.set(Some(e)),
                                    }
                                }/>
                            <span class="policy__default">{format!("default {default}")}</span>
                            <p id=format!("policy-{i}-error") class="field__error" role="alert">{move || error.get()}</p>
                        </div>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}

/// Every workspace in this browser: open, duplicate, delete, or start a new one.
#[component]
fn WorkspaceList() -> impl IntoView {
    let ctx = use_app();
    let confirming = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let new_empty = move |_| {
        ctx.create_workspace(Workspace::new(Name::new("New organisation").expect("fixed name is valid")));
    };
    let duplicate = move |_| {
        let mut copy = ctx.ws.get_untracked();
        copy.name = Name::new(format!("Copy of {}", copy.name)).unwrap_or_else(|_| copy.name.clone());
        ctx.create_workspace(copy);
    };
    view! {
        <h3 class="card__subtitle">"Workspaces in this browser"</h3>
        <ul class="workspaces" data-testid="workspace-list">
            {move || {
                let current = ctx.id.get();
                // Sharing or leaving changes which workspaces are marked shared.
                ctx.team.info.track();
                ctx.index.get().workspaces.into_iter().map(|m| {
                    let open = m.id == current;
                    let id = m.id.clone();
                    let id2 = m.id.clone();
                    let id3 = m.id.clone();
                    let name = m.name.clone();
                    // Each row's buttons name their workspace, for a screen reader's list of buttons.
                    let open_label = format!("Open {}", m.name);
                    let delete_label = format!("Delete {}…", m.name);
                    view! {
                        <li class="workspaces__row" data-testid="workspace-row">
                            <span class="workspaces__name">{m.name.clone()}{open.then(|| view! { " " <span class="tag">"open"</span> })}{ctx.is_shared(&m.id).then(|| view! { " " <span class="tag" data-testid="workspace-shared">"shared"</span> })}</span>
                            {(!open).then(|| view! {
                                <span class="button-row">
                                    <button type="button" class="button button--small" data-testid="workspace-open" aria-label=open_label on:click=move |_| {
                                        if let Err(e) = ctx.open_workspace(&id) { error.set(Some(e)) } else { error.set(None) }
                                    }>"Open"</button>
                                    {move || if confirming.get().as_deref() == Some(id2.as_str()) {
                                        let id = id3.clone();
                                        view! {
                                            <span class="workspaces__confirm" role="alert">{format!("Delete {name} for good?")}</span>
                                            <button type="button" class="button button--danger button--small" data-testid="workspace-delete-confirm" on:click=move |_| { ctx.delete_workspace(&id); confirming.set(None); }>"Delete"</button>
                                            <button type="button" class="button button--small" on:click=move |_| confirming.set(None)>"Keep"</button>
                                        }.into_any()
                                    } else {
                                        let id = id2.clone();
                                        view! { <button type="button" class="button button--small button--quiet-danger" data-testid="workspace-delete" aria-label=delete_label.clone() on:click=move |_| confirming.set(Some(id.clone()))>"Delete…"</button> }.into_any()
                                    }}
                                </span>
                            })}
                        </li>
                    }
                }).collect_view()
            }}
        </ul>
        <p class="field__error" role="alert">{move || error.get()}</p>
        <div class="button-row">
            <button type="button" class="button" data-testid="workspace-new" on:click=new_empty>"New empty workspace"</button>
            <button type="button" class="button" data-testid="workspace-duplicate" on:click=duplicate>"Duplicate this one"</button>
        </div>
    }
}

/// Brings an import's feedback to where the user is looking: once a refusal or a preview
/// is drawn, it is scrolled into view and focused, so a screen reader reads it out.
fn reveal_feedback<T: Send + Sync + 'static>(error: RwSignal<Option<String>>, pending: RwSignal<Option<T>>, error_ref: NodeRef<leptos::html::P>, preview_ref: NodeRef<leptos::html::Div>) {
    Effect::new(move |_| {
        let refused = error.with(Option::is_some);
        let previewed = pending.with(Option::is_some);
        if !(refused || previewed) {
            return;
        }
        // After the view has drawn what changed.
        set_timeout(
            move || {
                let target: Option<web_sys::HtmlElement> = if previewed { preview_ref.get_untracked().map(Into::into) } else { error_ref.get_untracked().map(Into::into) };
                if let Some(el) = target {
                    el.scroll_into_view();
                    let _ = el.focus();
                }
            },
            std::time::Duration::ZERO,
        );
    });
}

/// Reads a picked file as text, refusing files over `limit` bytes before reading them.
fn read_picked_file(ev: leptos::ev::Event, limit: usize, on_text: impl FnOnce(Result<String, String>) + 'static) {
    let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
    let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
    input.set_value("");
    let size = file.size() as usize;
    if size > limit {
        on_text(Err(format!("The file is {} bytes; the limit is {} bytes. Nothing was imported.", group(size), group(limit))));
        return;
    }
    leptos::task::spawn_local(async move {
        match wasm_bindgen_futures::JsFuture::from(file.text()).await {
            Ok(t) => on_text(Ok(t.as_string().unwrap_or_default())),
            Err(_) => on_text(Err("The file could not be read.".into())),
        }
    });
}

/// Check-ins from a spreadsheet, and scores and check-ins out to one.
#[component]
fn SpreadsheetCard() -> impl IntoView {
    let ctx = use_app();
    let pending = RwSignal::new(None::<CsvImport>);
    let error = RwSignal::new(None::<String>);
    let status = RwSignal::new(None::<String>);
    let (error_ref, preview_ref) = (NodeRef::<leptos::html::P>::new(), NodeRef::<leptos::html::Div>::new());
    reveal_feedback(error, pending, error_ref, preview_ref);
    let slug = move || ctx.ws.with_untracked(|w| w.name.to_string().to_lowercase().split_whitespace().collect::<Vec<_>>().join("-"));
    let export_scores = move |_| {
        let text = ctx.scores.with_untracked(|sc| ctx.ws.with_untracked(|w| scores_csv(w, sc)));
        let _ = browser::download(&format!("latitude-scores-{}.csv", slug()), "text/csv", &text);
    };
    let export_checkins = move |_| {
        let text = ctx.ws.with_untracked(checkins_csv);
        let _ = browser::download(&format!("latitude-checkins-{}.csv", slug()), "text/csv", &text);
    };
    let on_file = move |ev: leptos::ev::Event| {
        read_picked_file(ev, MAX_CSV_BYTES, move |text| match text.and_then(|t| ctx.ws.with_untracked(|w| parse_checkins(w, &t)).map_err(|e| format!("Nothing was imported: {e}."))) {
            Ok(out) => {
                error.set(None);
                status.set(None);
                pending.set(Some(out));
            }
            Err(e) => {
                pending.set(None);
                error.set(Some(e));
            }
        });
    };
    let apply = move |_| {
        if let Some(out) = pending.get_untracked() {
            let n = out.good.len();
            let rows = out.good.into_iter().map(|g| CheckInRow { commitment: g.commitment, checkin: g.checkin }).collect();
            match ctx.edit(Command::ImportCheckIns { rows }) {
                Ok(_) => {
                    pending.set(None);
                    status.set(Some(format!("Applied {n} check-in{}.", if n == 1 { "" } else { "s" })));
                }
                Err(e) => error.set(Some(format!("Nothing was applied: {e}"))),
            }
        }
    };
    view! {
        <section class="card" data-testid="csv-card">
            <h2 class="card__title">"Spreadsheets"</h2>
            <p class="muted">"Import check-ins from a sheet with the columns commitment (title or id), date (YYYY-MM-DD), value, and optionally note, evidence and confidence. Rows with problems are listed and left out; nothing changes until you apply."</p>
            <div class="button-row">
                <label class="button" for="csv-file">"Import check-ins (CSV)…"</label>
                <input id="csv-file" class="visually-hidden" type="file" accept=".csv,text/csv" data-testid="csv-file" on:change=on_file/>
                <button type="button" class="button" data-testid="export-scores-csv" on:click=export_scores>"Export scores (CSV)"</button>
                <button type="button" class="button" data-testid="export-checkins-csv" on:click=export_checkins>"Export check-ins (CSV)"</button>
            </div>
            <p class="field__error" role="alert" tabindex="-1" data-testid="csv-error" node_ref=error_ref>{move || error.get()}</p>
            <p role="status" class="form__status" data-testid="csv-status">{move || status.get()}</p>
            {move || pending.get().map(|out| {
                let ready = !out.good.is_empty();
                view! {
                    <div class="preview" role="region" aria-label="The sheet to import" tabindex="-1" data-testid="csv-preview" node_ref=preview_ref>
                        <p><strong>{out.summary()}</strong></p>
                        {(!out.bad.is_empty()).then(|| view! {
                            <ul class="preview__errors" data-testid="csv-row-errors">
                                {out.bad.iter().take(50).map(|b| view! { <li>{format!("Line {}: {}", b.line, b.problem)}</li> }).collect_view()}
                            </ul>
                        })}
                        <div class="button-row">
                            <button type="button" class="button button--primary" data-testid="csv-apply" disabled=!ready on:click=apply>
                                {format!("Apply {} good row{}", out.good.len(), if out.good.len() == 1 { "" } else { "s" })}
                            </button>
                            <button type="button" class="button" data-testid="csv-cancel" on:click=move |_| pending.set(None)>"Cancel"</button>
                        </div>
                    </div>
                }
            })}
        </section>
    }
}

/// Asks the browser to keep this site's data, and shows how much room is left.
#[component]
fn Durability() -> impl IntoView {
    let ctx = use_app();
    let persisted = RwSignal::new(None::<bool>);
    let estimate = RwSignal::new(None::<(f64, f64)>);
    let storage = web_sys::window().map(|w| w.navigator().storage());
    if let Some(manager) = storage.clone() {
        leptos::task::spawn_local(async move {
            if let Ok(p) = manager.persisted().map(wasm_bindgen_futures::JsFuture::from) {
                if let Ok(v) = p.await {
                    persisted.set(v.as_bool());
                }
            }
            if let Ok(p) = manager.estimate().map(wasm_bindgen_futures::JsFuture::from) {
                if let Ok(v) = p.await {
                    let e: web_sys::StorageEstimate = v.unchecked_into();
                    estimate.set(Some((e.get_usage().unwrap_or(0.0), e.get_quota().unwrap_or(0.0))));
                }
            }
        });
    }
    let ask = move |_| {
        if let Some(manager) = storage.clone() {
            leptos::task::spawn_local(async move {
                if let Ok(p) = manager.persist().map(wasm_bindgen_futures::JsFuture::from) {
                    if let Ok(v) = p.await {
                        persisted.set(v.as_bool());
                    }
                }
            });
        }
    };
    let days = move || ctx.index.get().export_reminder_days.to_string();
    view! {
        <div class="durability" data-testid="durability">
            <p data-testid="persisted">{move || match persisted.get() {
                Some(true) => "This browser has agreed to keep Latitude's data: it will not clear it to free space.".to_owned(),
                Some(false) => "The browser may clear this site's data when space runs low. Ask it to keep the data, and export regularly.".to_owned(),
                None => "Checking whether the browser keeps this site's data…".to_owned(),
            }}</p>
            {move || estimate.get().map(|(used, quota)| view! {
                <p class="muted" data-testid="storage-estimate">{format!("In all, this site uses {:.1} MB of the {:.0} MB the browser offers it: the app's own copy for offline use and the copy of each workspace kept against a crash, beside the workspaces above.", used / 1e6, quota / 1e6)}</p>
            })}
            <div class="form__row">
                {move || (persisted.get() != Some(true)).then(|| view! {
                    <div class="field field--action"><button type="button" class="button" data-testid="persist" on:click=ask.clone()>"Ask the browser to keep the data"</button></div>
                })}
                <div class="field">
                    <label for="reminder-days">"Remind me to export after (days, 0 = never)"</label>
                    <input id="reminder-days" type="number" min="0" max="365" data-testid="reminder-days" prop:value=days
                        on:change=move |ev| { if let Ok(d) = event_target_value(&ev).trim().parse::<u32>() { ctx.set_reminder_days(d.min(365)) } }/>
                </div>
            </div>
        </div>
    }
}

/// The words on the scales: scope rungs, delegation levels and decision areas.
#[component]
fn ScalesCard() -> impl IntoView {
    let ctx = use_app();
    let error = RwSignal::new(None::<String>);
    let new_area = RwSignal::new(String::new());
    let area_error = FormError::default();
    let once = SubmitOnce::default();
    let set_label = move |rung: bool, i: usize, text: String| {
        let mut next = ctx.ws.with_untracked(|w| w.policy.clone());
        let label = if rung { &mut next.rung_labels[i] } else { &mut next.level_labels[i] };
        *label = text.trim().to_owned();
        match ctx.edit(Command::SetPolicy { policy: Box::new(next) }) {
            Ok(_) => error.set(None),
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let rename_area = move |id: AreaId, text: String| match Name::new(text) {
        Ok(n) => match ctx.edit(Command::RenameArea { area: id, name: n }) {
            Ok(_) => error.set(None),
            Err(e) => error.set(Some(e.to_string())),
        },
        Err(e) => error.set(Some(format!("decision area {e}"))),
    };
    let add_area = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if once.repeated() {
            return;
        }
        match Name::new(new_area.get_untracked()) {
            Ok(n) => match ctx.edit(Command::AddArea { name: n }) {
                Ok(_) => {
                    new_area.set(String::new());
                    area_error.clear();
                    once.recorded();
                }
                Err(e) => area_error.refuse(&e, &[], "new-area"),
            },
            Err(e) => area_error.set("new-area", format!("decision area {e}")),
        }
    };
    let labels = move |rung: bool| {
        let n = if rung { 5 } else { 7 };
        (0..n)
            .map(|i| {
                let id = format!("{}-{}", if rung { "rung" } else { "level" }, i + 1);
                view! {
                    <div class="field">
                        <label for=id.clone()>{format!("{} {}", if rung { "Rung" } else { "Level" }, i + 1)}</label>
                        <input id=id.clone() type="text" maxlength="40" data-testid=id
                            prop:value=move || ctx.ws.with(|w| if rung { w.policy.rung_labels[i].clone() } else { w.policy.level_labels[i].clone() })
                            on:change=move |ev| set_label(rung, i, event_target_value(&ev))/>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="card" data-testid="scales-card">
            <h2 class="card__title">"Scales"</h2>
            <h3 class="card__subtitle">"Scope rungs (how broad)"</h3>
            <div class="form__row">{labels(true)}</div>
            <h3 class="card__subtitle">"Delegation levels (how deep)"</h3>
            <div class="form__row">{labels(false)}</div>
            <h3 class="card__subtitle">"Decision areas"</h3>
            <div class="form__row">
                {move || ctx.ws.with(|w| w.areas.clone()).into_iter().map(|a| {
                    let id = format!("area-{}", a.id.0);
                    view! {
                        <div class="field">
                            <label for=id.clone()>{format!("Area {}", a.id.0)}</label>
                            <input id=id.clone() type="text" maxlength="120" data-testid=id prop:value=a.name.to_string() on:change=move |ev| rename_area(a.id, event_target_value(&ev))/>
                        </div>
                    }
                }).collect_view()}
            </div>
            <form class="form form--inline" data-testid="area-form" on:submit=add_area novalidate=true on:input=move |_| once.touched() on:change=move |_| once.touched()>
                <div class="form__row">
                    <div class="field">
                        <label for="new-area">"New decision area"</label>
                        <input id="new-area" type="text" maxlength="120" placeholder="e.g. Vendors" data-testid="new-area" aria-describedby="new-area-error" aria-invalid=move || area_error.invalid("new-area")
                            prop:value=move || new_area.get() on:input=move |ev| new_area.set(event_target_value(&ev))/>
                        <FieldError error=area_error field="new-area"/>
                    </div>
                    <div class="field field--action"><button type="submit" class="button" data-testid="add-area">"Add area"</button></div>
                </div>
            </form>
            <p class="field__error" role="alert">{move || error.get()}</p>
        </section>
    }
}

/// "1 unit", "3 units".
fn counted(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}
