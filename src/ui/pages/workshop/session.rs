//! The workshops of the workspace: listed ("Workshop of 2026-11-25, 4 of 6 steps
//! done"), started, resumed and deleted; and the helpers every step reads them with.

use leptos::prelude::*;

use crate::core::workshop::{WorkshopId, WorkshopSession};
use crate::core::{Command, Name, Workspace};
use crate::ui::browser;
use crate::ui::state::{use_app, AppCtx};

/// Which workshop the page shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Open {
    /// The newest unfinished workshop (what a facilitator coming back expects), else the
    /// newest one of today, finished (its summary: the room may still be sharing it after
    /// a reload), else the list.
    Auto,
    List,
    Session(WorkshopId),
}

impl Open {
    pub fn resolve(self, w: &Workspace, today: time::Date) -> Option<WorkshopId> {
        let newest = |keep: &dyn Fn(&WorkshopSession) -> bool| w.workshops.iter().filter(|s| keep(s)).max_by_key(|s| (s.date, s.id)).map(|s| s.id);
        match self {
            Open::List => None,
            Open::Session(id) => w.workshops.iter().find(|s| s.id == id).map(|s| s.id),
            Open::Auto => newest(&|s| !s.finished).or_else(|| newest(&|s| s.date == today)),
        }
    }
}

/// The scores a workshop shows on its map, with its recommendations and in its summary:
/// as of its own day, whatever As of the other pages show. Its grants, reviews and
/// results are recorded on that day, and its Markdown scores that day too. Where that is
/// the app's As of date, the app's own scores are read (nothing is scored twice).
#[derive(Clone, Copy)]
pub struct DayScores {
    ctx: AppCtx,
    day: Memo<Option<time::Date>>,
    own: Memo<crate::core::Scores>,
}

impl DayScores {
    pub fn new(ctx: AppCtx, id: WorkshopId) -> DayScores {
        let day = Memo::new(move |_| with_session(ctx, id, |s| s.date));
        let own = Memo::new(move |_| {
            let on = day.get().unwrap_or_else(|| ctx.as_of.get());
            ctx.ws.with(|w| crate::core::score(w, &w.policy, on))
        });
        DayScores { ctx, day, own }
    }

    /// Reads the scores (tracked).
    pub fn with<T>(self, f: impl FnOnce(&crate::core::Scores) -> T) -> T {
        if self.day.get().is_some_and(|d| d != self.ctx.as_of.get()) {
            self.own.with(f)
        } else {
            self.ctx.scores.with(f)
        }
    }

    /// A copy of the scores (tracked).
    pub fn get(self) -> crate::core::Scores {
        self.with(Clone::clone)
    }
}

/// Reads a workshop of the open workspace (tracked).
pub fn with_session<T>(ctx: AppCtx, id: WorkshopId, f: impl FnOnce(&WorkshopSession) -> T) -> Option<T> {
    ctx.ws.with(|w| w.workshops.iter().find(|s| s.id == id).map(f))
}

/// Reads a workshop of the open workspace (untracked, for event handlers).
pub fn with_session_untracked<T>(ctx: AppCtx, id: WorkshopId, f: impl FnOnce(&WorkshopSession) -> T) -> Option<T> {
    ctx.ws.with_untracked(|w| w.workshops.iter().find(|s| s.id == id).map(f))
}

/// Starts a workshop today in the open workspace and opens it.
fn start(ctx: AppCtx, open: RwSignal<Open>, error: RwSignal<Option<String>>) {
    match ctx.edit(Command::StartWorkshop { date: browser::today(), title: None }) {
        Ok(change) => {
            if let Some(id) = change.workshops.added.first() {
                open.set(Open::Session(*id));
            }
        }
        Err(e) => error.set(Some(e.to_string())),
    }
}

#[component]
pub fn Sessions(open: RwSignal<Open>) -> impl IntoView {
    let ctx = use_app();
    let error = RwSignal::new(None::<String>);
    let confirm = RwSignal::new(None::<WorkshopId>);
    let list = move || ctx.ws.with(|w| w.workshops.iter().rev().map(|s| (s.id, s.listing())).collect::<Vec<_>>());
    view! {
        <section class="card workshop__sessions" data-testid="workshop-sessions-card">
            <h2>"Workshops"</h2>
            {move || {
                let rows = list();
                if rows.is_empty() {
                    view! { <p class="muted" data-testid="workshop-none">"No workshop yet in this workspace."</p> }.into_any()
                } else {
                    view! {
                        <ul class="workshop__session-list" data-testid="workshop-sessions">
                            {rows.into_iter().map(|(id, listing)| view! {
                                <li class="workshop__session" data-testid="workshop-session">
                                    <span data-testid="workshop-session-listing">{listing}</span>
                                    <span class="button-row">
                                        <button type="button" class="button button--small" data-testid="workshop-resume" on:click=move |_| open.set(Open::Session(id))>"Open"</button>
                                        {move || if confirm.get() == Some(id) {
                                            view! {
                                                <button type="button" class="button button--small button--danger" data-testid="workshop-delete-confirm" on:click=move |_| {
                                                    if let Err(e) = ctx.edit(Command::DeleteWorkshop { workshop: id }) {
                                                        error.set(Some(e.to_string()));
                                                    }
                                                    confirm.set(None);
                                                }>"Delete it for good"</button>
                                                <button type="button" class="button button--small" on:click=move |_| confirm.set(None)>"Keep"</button>
                                            }.into_any()
                                        } else {
                                            view! { <button type="button" class="button button--small" data-testid="workshop-delete" on:click=move |_| confirm.set(Some(id))>"Delete"</button> }.into_any()
                                        }}
                                    </span>
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <div class="button-row">
                <button type="button" class="button button--primary" data-testid="workshop-start" on:click=move |_| start(ctx, open, error)>"Start a workshop in this workspace"</button>
                <button type="button" class="button" data-testid="workshop-blank" on:click=move |_| {
                    ctx.create_workspace(Workspace::new(Name::new(format!("Workshop {}", crate::core::format_date(browser::today()))).expect("valid name")));
                    start(ctx, open, error);
                }>"…in a blank workspace"</button>
                <button type="button" class="button" data-testid="workshop-sample" on:click=move |_| {
                    ctx.load_sample();
                    start(ctx, open, error);
                }>"…with the sample organisation"</button>
            </div>
            <p class="muted">"A new workspace leaves the one you had in this browser: switch back from Settings."</p>
            <p class="field__error" role="alert" data-testid="workshop-error">{move || error.get()}</p>
        </section>
    }
}
