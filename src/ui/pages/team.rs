//! Team workspaces in the views: the Settings card that shares the open workspace with a
//! team database or joins one, the status in the header, and the conflicts to settle in
//! the To-do list.

use leptos::prelude::*;

use crate::sync::{describe, Resolution, Status};
use crate::ui::couch::{self, Server};
use crate::ui::state::use_app;

/// The Settings card: share, join, the status, log in again, stop sharing here.
#[component]
pub fn TeamCard() -> impl IntoView {
    let ctx = use_app();
    view! {
        <section class="card team" id="team" data-testid="team-card">
            <h2 class="card__title">"Team workspace"</h2>
            {move || match ctx.team.info.get() {
                None => view! { <Connect/> }.into_any(),
                Some(info) => view! { <Shared info=info/> }.into_any(),
            }}
        </section>
    }
}

/// The fields both ways of connecting ask for.
#[derive(Clone, Copy)]
struct Login {
    server: RwSignal<String>,
    db: RwSignal<String>,
    name: RwSignal<String>,
    password: RwSignal<String>,
}

impl Login {
    fn new() -> Login {
        Login { server: RwSignal::new(String::new()), db: RwSignal::new(String::new()), name: RwSignal::new(String::new()), password: RwSignal::new(String::new()) }
    }

    /// Checks the fields and logs in; the password is forgotten either way.
    async fn log_in(self) -> Result<(Server, String, String, Vec<String>), String> {
        let server = Server::parse(&self.server.get_untracked())?;
        let db = self.db.get_untracked().trim().to_owned();
        if db.is_empty() {
            return Err("Give the team database's name (the one `latitude-cli couch setup` created).".into());
        }
        let valid = db.starts_with(|c: char| c.is_ascii_lowercase()) && db.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-/".contains(c));
        if !valid {
            return Err(format!("“{db}” cannot be a database name: names are lower-case letters, digits and _$()+-/, starting with a letter."));
        }
        let name = self.name.get_untracked().trim().to_owned();
        let password = self.password.get_untracked();
        if name.is_empty() || password.is_empty() {
            return Err("Give your name and password on the team's CouchDB server.".into());
        }
        // The password is forgotten once it has let the member in, or the server has
        // said it is wrong (kept to correct a typo in another field otherwise).
        let (user, roles) = couch::log_in(&server, &name, &password).await.map_err(|e| {
            if matches!(e, couch::LoginError::Wrong) {
                self.password.set(String::new());
            }
            e.message()
        })?;
        self.password.set(String::new());
        Ok((server, db, user, roles))
    }
}

#[component]
fn LoginFields(login: Login, #[prop(default = true)] place: bool) -> impl IntoView {
    view! {
        {place.then(|| view! {
            <Field id="team-server" label="Server" kind="url" autocomplete="url" value=login.server wide=true placeholder="https://couch.example.org"/>
            <Field id="team-db" label="Database" kind="text" autocomplete="off" value=login.db/>
        })}
        <Field id="team-name" label="Your name on the server" kind="text" autocomplete="username" value=login.name/>
        <Field id="team-password" label="Password" kind="password" autocomplete="current-password" value=login.password/>
    }
}

/// One labelled input of the login (its id is also its test id).
#[component]
fn Field(
    id: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: RwSignal<String>,
    #[prop(optional)] wide: bool,
    #[prop(optional)] placeholder: &'static str,
) -> impl IntoView {
    view! {
        <div class="field" class=("field--wide", wide)>
            <label for=id>{label}</label>
            <input id=id type=kind autocomplete=autocomplete placeholder=(!placeholder.is_empty()).then_some(placeholder) autocapitalize="off" spellcheck="false" data-testid=id
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
        </div>
    }
}

/// A local workspace: share it, or join a team's.
#[component]
fn Connect() -> impl IntoView {
    let ctx = use_app();
    let login = Login::new();
    let error = RwSignal::new(None::<String>);
    let working = RwSignal::new(None::<&'static str>);
    let go = move |share: bool| {
        if working.get_untracked().is_some() {
            return;
        }
        error.set(None);
        working.set(Some(if share { "Logging in and checking the database…" } else { "Logging in and joining…" }));
        leptos::task::spawn_local(async move {
            let result = async {
                let (server, db, user, roles) = login.log_in().await?;
                let empty = couch::database_state(&server, &db).await?;
                match (share, empty) {
                    (true, true) => ctx.share_with_team(&server, &db, &user, roles),
                    (true, false) => return Err(format!("The team database “{db}” already holds a workspace: join it instead (your workspace here stays as it is).")),
                    (false, false) => ctx.join_team(&server, &db, &user, roles),
                    (false, true) => return Err(format!("The team database “{db}” holds no workspace yet: a leader shares one into it first.")),
                }
                Ok(())
            }
            .await;
            working.set(None);
            if let Err(e) = result {
                error.set(Some(e));
            }
        });
    };
    view! {
        <p>"This workspace lives in this browser only. A leadership team shares one workspace through a CouchDB database that a server admin sets up with "<code>"latitude-cli couch setup"</code>" and where each of you has a login: everyone's edits reach everyone, and each record names who made it. The copy here keeps working offline."</p>
        <form class="form" data-testid="team-connect" novalidate=true on:submit=move |ev| { ev.prevent_default(); go(false); }>
            <div class="form__row"><LoginFields login=login/></div>
            <p class="field__error" role="alert" data-testid="team-error">{move || error.get()}</p>
            <p class="muted" role="status" data-testid="team-working">{move || working.get()}</p>
            <div class="button-row">
                <button type="submit" class="button button--primary" data-testid="team-join" disabled=move || working.get().is_some()>"Join a team workspace"</button>
                <button type="button" class="button" data-testid="team-share" disabled=move || working.get().is_some() on:click=move |_| go(true)>"Share this workspace with a team database"</button>
            </div>
            <p class="muted">"Join opens the team's workspace as a new workspace in this browser. Share sends the open workspace into an empty team database, for a leader starting one. Your password goes to the server only; the session is the server's."</p>
        </form>
    }
}

/// A shared workspace: where it syncs, as whom, its status.
#[component]
fn Shared(info: crate::ui::state::TeamInfo) -> impl IntoView {
    let ctx = use_app();
    let login = Login::new();
    login.server.set(info.server.clone());
    login.db.set(info.db.clone());
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let confirm_leave = RwSignal::new(false);
    let status = move || ctx.team.status.get();
    let logged_out = Memo::new(move |_| matches!(status(), Some(Status::LoggedOut { .. })));
    // "Log in again" has the name filled in; "Log in as another member" asks for one.
    // What the form said last is about the state before (a wrong password tried while
    // logged in is not why the session later ended).
    let user = info.user.clone();
    Effect::new(move |_| {
        let out = logged_out.get();
        login.name.set(if out { user.clone() } else { String::new() });
        error.set(None);
        if out {
            done.set(None);
        }
    });
    let relogin = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        error.set(None);
        leptos::task::spawn_local(async move {
            match login.log_in().await {
                Ok((_, _, user, roles)) => {
                    ctx.team_logged_in(&user, roles);
                    done.set(Some(format!("Logged in as {user}.")));
                }
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let waiting = move || ctx.team.unsent.get();
    let server = info.server.clone();
    view! {
        <p data-testid="team-where">"Shared through the database "<strong>{info.db.clone()}</strong>" on "{info.server.clone()}". Your edits are recorded as "<strong data-testid="team-user">{info.user.clone()}</strong>"."</p>
        <RecordingUnit info=info.clone()/>
        <p class="team__status" class=("team__status--problem", move || status().is_some_and(|s| s.is_problem())) role="status" data-testid="team-status">
            <strong>{move || status().map(|s| s.label())}</strong>" — "{move || status().map(|s| s.detail())}
        </p>
        <div class="button-row">
            <button type="button" class="button" data-testid="team-sync" disabled=move || ctx.team.syncing.get() || logged_out.get() on:click=move |_| ctx.sync_now()>
                {move || if ctx.team.syncing.get() { "Syncing…" } else { "Sync now" }}
            </button>
            <button type="button" class="button" data-testid="team-log-out" hidden=move || logged_out.get() on:click=move |_| {
                let server = Server(server.clone());
                // No round or watch starts once this is marked, so none meets the
                // server without a session.
                ctx.team_logged_out();
                leptos::task::spawn_local(async move {
                    couch::log_out(&server).await;
                    done.set(Some("Logged out: edits wait here until you log in again.".into()));
                });
            }>"Log out"</button>
        </div>
        {move || match ctx.team.orphans.get() {
            0 => None,
            n => Some(view! {
                <p class="team__note" data-testid="team-orphans">{format!(
                    "{n} check-in{} recorded for a commitment someone has removed: the team database keeps {}, but {} not shown here.",
                    if n == 1 { " was" } else { "s were" },
                    if n == 1 { "it" } else { "them" },
                    if n == 1 { "it is" } else { "they are" }
                )}</p>
            }),
        }}
        {move || {
            let moved = ctx.team.moved.get();
            (!moved.is_empty()).then(|| view! {
                <ul class="team__note" data-testid="team-moved">
                    {moved.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
                </ul>
            })
        }}
        <RefusedList/>
        <form class="form" data-testid="team-relogin" novalidate=true on:submit=relogin>
            <h3 class="card__subtitle">{move || if logged_out.get() { "Log in again" } else { "Log in as another member" }}</h3>
            <div class="form__row"><LoginFields login=login place=false/></div>
            <p class="field__error" role="alert" data-testid="team-relogin-error">{move || error.get()}</p>
            <p class="form__status" role="status" data-testid="team-relogin-done">{move || done.get()}</p>
            <div class="button-row">
                <button type="submit" class="button" data-testid="team-relogin-submit">"Log in"</button>
            </div>
        </form>
        <div class="team__leave">
            {move || if confirm_leave.get() {
                let n = waiting();
                view! {
                    <p role="alert" data-testid="team-leave-warning">{if n == 0 {
                        "This browser's copy stays here as a local workspace and stops receiving the team's edits. The team database is not changed.".to_owned()
                    } else {
                        format!("{} (refused ones included) not reached the team database and will not be sent. This browser's copy keeps {} as a local workspace.", if n == 1 { "1 of your edits has".to_owned() } else { format!("{n} of your edits have") }, if n == 1 { "it" } else { "them" })
                    }}</p>
                    <div class="button-row">
                        <button type="button" class="button button--danger" data-testid="team-leave-confirm" on:click=move |_| { ctx.leave_team(); confirm_leave.set(false); }>"Stop syncing here"</button>
                        <button type="button" class="button" on:click=move |_| confirm_leave.set(false)>"Keep syncing"</button>
                    </div>
                }.into_any()
            } else {
                view! { <button type="button" class="button" data-testid="team-leave" on:click=move |_| confirm_leave.set(true)>"Stop syncing this workspace here…"</button> }.into_any()
            }}
        </div>
    }
}

/// Which unit the check-ins this member records name as "recorded by": the unit their
/// login leads (a server admin gives it with `latitude-cli couch member --unit`), a choice
/// among several, or a leader's choice among all.
#[component]
fn RecordingUnit(info: crate::ui::state::TeamInfo) -> impl IntoView {
    let ctx = use_app();
    let may = {
        let info = info.clone();
        move || {
            ctx.ws
                .with(|w| crate::sync::recordable_units(&info.db, &info.roles, w.units.iter().map(|u| u.id)).into_iter().filter_map(|id| Some((id, w.unit(id)?.name.to_string()))).collect::<Vec<_>>())
        }
    };
    let choice = crate::sync::records_for_any_unit(&info.roles);
    let why = if choice {
        "A value recorded by someone other than the commitment's owner counts as objectively measured."
    } else {
        "A value recorded by someone other than the commitment's owner counts as objectively measured; the team database checks that you lead the unit you name."
    };
    move || {
        let units = may();
        let set = move |ev: leptos::ev::Event| ctx.set_team_unit(event_target_value(&ev).parse().ok().map(crate::core::UnitId));
        if units.len() == 1 && !choice {
            let (_, name) = &units[0];
            return view! {
                <p data-testid="team-unit">"Check-ins you record name "<strong>{name.clone()}</strong>" as recorded by: your login leads it. "{why}</p>
            }
            .into_any();
        }
        if !info.roles.is_empty() && !info.roles.iter().any(|r| r == "member") && !choice {
            return view! {
                <p class="muted" data-testid="team-unit">"Your login may read this workspace but not change it: a server admin gives you the member role with "<code>"latitude-cli couch member"</code>"."</p>
            }
            .into_any();
        }
        if units.is_empty() {
            return view! {
                <p class="muted" data-testid="team-unit">"Your login leads no unit of this workspace, so check-ins you record name no recorder. A server admin gives you yours with "<code>"latitude-cli couch member --unit"</code>"."</p>
            }
            .into_any();
        }
        let unit = ctx.recording_unit();
        view! {
            <div class="field">
                <label for="team-unit">"You record check-ins as"</label>
                <select id="team-unit" data-testid="team-unit" aria-describedby="team-unit-note" on:change=set>
                    <option value="" selected=unit.is_none()>"No unit in particular"</option>
                    {units.into_iter().map(|(id, name)| view! { <option value=id.0.to_string() selected=unit == Some(id)>{name}</option> }).collect_view()}
                </select>
                <p class="muted" id="team-unit-note">{if choice { "As a leader you may name any unit (members name only the units their login leads). " } else { "Your login leads these units. " }}{why}</p>
            </div>
        }
        .into_any()
    }
}

/// Edits the team database refused to their member, each with the reason, to send
/// again (the member may write it now) or to discard (the copy shows the team's version).
#[component]
fn RefusedList() -> impl IntoView {
    let ctx = use_app();
    let error = RwSignal::new(None::<String>);
    move || {
        let refused = ctx.team.refused.get();
        (!refused.is_empty()).then(|| {
            let items = refused
                .into_iter()
                .map(|(id, why)| {
                    let what = ctx.ws.with_untracked(|w| describe::what(w, &id));
                    let (again, gone) = (id.clone(), id);
                    view! {
                        <li class="refused__item" data-testid="team-refused-item">
                            <span>{format!("{}: {}", describe::capitalised(&what), ctx.ws.with_untracked(|w| describe::unit_names(w, why.trim_end_matches('.'))))}</span>
                            <span class="button-row">
                                <button type="button" class="button button--small" data-testid="team-refused-again" on:click=move |_| { leptos::task::spawn_local(ctx.retry_refused(again.clone())); }>"Send again"</button>
                                <button type="button" class="button button--small" data-testid="team-refused-discard" on:click=move |_| {
                                    let id = gone.clone();
                                    leptos::task::spawn_local(async move {
                                        match ctx.discard_refused(id).await {
                                            Ok(()) => error.set(None),
                                            Err(e) => error.set(Some(e)),
                                        }
                                    });
                                }>"Discard"</button>
                            </span>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <div class="refused" data-testid="team-refused">
                    <h3 class="card__subtitle">"Edits the team database refused"</h3>
                    <p class="muted">"They show in this browser only. Send one again once you may write it (a server admin gives you the role or the unit), or discard it to see the team's version."</p>
                    <ul class="refused__list">{items}</ul>
                    <p class="field__error" role="alert">{move || error.get()}</p>
                </div>
            }
        })
    }
}

/// The header's sync status of a shared workspace (nothing for a local one).
#[component]
pub fn SyncBadge() -> impl IntoView {
    let ctx = use_app();
    move || {
        ctx.team.status.get().map(|s| {
            let problem = s.is_problem();
            let syncing = ctx.team.syncing.get();
            view! {
                <a class="sync-badge" class=("sync-badge--problem", problem) href="#/settings" data-testid="sync-status" title=s.detail() aria-label=format!("Team sync: {}. {}", s.label(), s.detail())>
                    <span class="sync-badge__dot" aria-hidden="true">{if syncing { "↻" } else if problem { "!" } else { "●" }}</span>
                    {s.label()}
                </a>
            }
        })
    }
}

/// The To-do list's conflicts: each record two people changed without seeing each other's edit, every version
/// with who and when and what differs, and a button to keep it.
#[component]
pub fn ConflictList() -> impl IntoView {
    let ctx = use_app();
    let error = RwSignal::new(None::<String>);
    move || {
        let conflicts = ctx.team.conflicts.get();
        (!conflicts.is_empty()).then(|| {
            let items = conflicts
                .into_iter()
                .map(|c| {
                    let what = ctx.ws.with_untracked(|w| describe::what(w, &c.id));
                    let records: Vec<_> = c.versions().map(|v| v.record.as_ref()).collect();
                    let diffs = describe::differences(&records);
                    let ready = c.is_ready();
                    let versions = c
                        .versions()
                        .zip(diffs)
                        .enumerate()
                        .map(|(i, (v, diff))| {
                            let id = c.id.clone();
                            let at: String = v.at.replace('T', " ").chars().take(16).collect();
                            let who = if at.is_empty() { v.by.clone() } else { format!("{}, {at} UTC", v.by) };
                            let shown = if i == 0 {
                                "shown now"
                            } else if v.rev.is_none() {
                                "yours, not sent"
                            } else {
                                "other version"
                            };
                            view! {
                                <li class="conflict__version" data-testid="conflict-version">
                                    <span class="conflict__who">{who}" ("{shown}")"</span>
                                    <span class="conflict__diff">{diff}</span>
                                    <button type="button" class="button button--small" data-testid="conflict-keep" disabled=!ready on:click=move |_| {
                                        if let Err(e) = ctx.resolve_conflict(&id, Resolution::Keep(i)) {
                                            error.set(Some(e));
                                        }
                                    }>"Keep this version"</button>
                                </li>
                            }
                        })
                        .collect_view();
                    let named = c.id.parse::<crate::sync::DocKey>().ok().and_then(|k| k.record_id()).is_some();
                    let merge = ready.then(|| view! { <MergePicker conflict=c.clone() error=error/> });
                    view! {
                        <li class="conflict" data-testid="conflict">
                            <p class="conflict__what">{if c.others.iter().any(|v| v.created) && named {
                                format!("{} was added twice while apart, under one name and one number: keep the version the team should have, or merge them.", describe::capitalised(&what))
                            } else if c.others.iter().any(|v| v.created) {
                                format!("Two people added {what} while apart.")
                            } else {
                                format!("Two people changed {what} without seeing each other's edit.")
                            }}{(!ready).then_some(" (Fetching the other version…)")}</p>
                            <ul class="conflict__versions">{versions}</ul>
                            {merge}
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="card conflicts" data-testid="conflicts" aria-labelledby="conflicts-title">
                    <h2 class="card__title" id="conflicts-title">"Changed by two people apart"</h2>
                    <p class="muted">"The team sees the version shown now until someone picks. Keeping a version sends it to everyone; the others are deleted only by this choice."</p>
                    <ul class="conflict-list">{items}</ul>
                    <p class="field__error" role="alert">{move || error.get()}</p>
                </section>
            }
        })
    }
}

/// A conflict's versions merged field by field: for each field in which they differ, a
/// choice of the versions' values (the shown one preselected), and a button that keeps
/// the result. Not offered when a version is a deletion.
#[component]
fn MergePicker(conflict: crate::sync::Conflict, error: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = use_app();
    let records: Option<Vec<crate::sync::Record>> = conflict.versions().map(|v| v.record.clone()).collect();
    let records = records?;
    let refs: Vec<&crate::sync::Record> = records.iter().collect();
    let fields = describe::merge_fields(&refs);
    if fields.is_empty() || records.len() < 2 {
        return None;
    }
    let picks = RwSignal::new(vec![0usize; fields.len()]);
    let id = conflict.id.clone();
    let rows = fields
        .iter()
        .enumerate()
        .map(|(f, field)| {
            let group = format!("merge-{}-{f}", conflict.id);
            let options = field
                .values
                .iter()
                .enumerate()
                .map(|(v, value)| {
                    let who = conflict.versions().nth(v).map(|x| x.by.clone()).unwrap_or_default();
                    view! {
                        <label class="merge__option">
                            <input type="radio" name=group.clone() data-testid="merge-option" checked=v == 0 on:change=move |_| picks.update(|p| p[f] = v)/>
                            <span>{value.clone()}</span>
                            <span class="muted">" ("{who}")"</span>
                        </label>
                    }
                })
                .collect_view();
            view! {
                <fieldset class="merge__field" data-testid="merge-field">
                    <legend>{describe::capitalised(&field.label)}</legend>
                    {options}
                </fieldset>
            }
        })
        .collect_view();
    let keep = move |_| {
        let refs: Vec<&crate::sync::Record> = records.iter().collect();
        let result = describe::merged(&refs, &fields, &picks.get_untracked()).and_then(|record| {
            // A mix of two valid versions can break a rule between fields (a due date
            // before the start): refused here, beside the choice, before anything is sent.
            let key: crate::sync::DocKey = id.parse().map_err(|_| "not a record".to_owned())?;
            let mut trial = ctx.ws.get_untracked();
            let was_valid = trial.validate().is_ok();
            crate::sync::put_record(&mut trial, &mut Default::default(), &key, Some(&record));
            if let (true, Err(problems)) = (was_valid, trial.validate()) {
                return Err(format!("This mix is not a valid record: {}", problems.first().map(ToString::to_string).unwrap_or_default()));
            }
            ctx.resolve_conflict(&id, Resolution::Merged(Some(record)))
        });
        error.set(result.err());
    };
    Some(view! {
        <details class="merge" data-testid="merge">
            <summary>"Merge field by field"</summary>
            <p class="muted">"For each field the versions disagree on, pick the value to keep; the rest is the same in every version."</p>
            {rows}
            <button type="button" class="button button--small" data-testid="merge-keep" on:click=keep>"Keep the merged version"</button>
        </details>
    })
}
