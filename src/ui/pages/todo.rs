//! To do: what each person owes as of the as-of date (computed by `core::todo`), for the
//! whole organisation or one leader's subtree, each item linking to the form that
//! resolves it, and the list with its rhythm as a calendar file.

use leptos::prelude::*;

use super::PageHeader;
use crate::core::todo::{calendar_events, icalendar, nothing_owed, todo, NothingOwed, TodoItem, TodoKind};
use crate::core::{format_date, Command, UnitId};
use crate::ui::browser;
use crate::ui::state::use_app;
use crate::ui::widgets::EmptyState;

/// Where an item is resolved: the sweep row of its commitment, the unit page's review
/// form or the commitment's edit form, or the decision's review in the log.
fn link(item: &TodoItem) -> String {
    match (item.kind, item.commitment, item.decision) {
        (TodoKind::CheckIn, Some(c), _) => format!("#/check-ins?c={}", c.0),
        (TodoKind::Decision, _, Some(d)) => format!("#/decisions?review={}", d.0),
        (TodoKind::Decision, _, None) => "#/decisions".into(),
        (TodoKind::Vague, Some(c), _) => format!("#/units/{}?edit={}", item.unit.0, c.0),
        (TodoKind::Review, _, _) => format!("#/units/{}?to=review", item.unit.0),
        _ => format!("#/units/{}", item.unit.0),
    }
}

#[component]
pub fn Todo() -> impl IntoView {
    let ctx = use_app();
    let root = RwSignal::new(None::<UnitId>);
    let items = Memo::new(move |_| {
        let as_of = ctx.as_of.get();
        let r = root.get();
        ctx.ws.with(|w| todo(w, &w.policy, as_of, r))
    });
    // How many events the calendar file would hold: with none, the export is disabled
    // and says why rather than handing over an empty file.
    let events = Memo::new(move |_| {
        let as_of = ctx.as_of.get();
        let r = root.get();
        ctx.ws.with(|w| calendar_events(w, &w.policy, as_of, r))
    });
    // Why nothing is owed, when nothing is: a new workspace is told what to add first,
    // not that all is well.
    let nothing = Memo::new(move |_| {
        let as_of = ctx.as_of.get();
        let r = root.get();
        ctx.ws.with(|w| nothing_owed(w, as_of, r))
    });
    let calendar_note = move || match (items.with(Vec::is_empty), events.get()) {
        (true, 0) if nothing.get() != NothingOwed::UpToDate => "Nothing to put in a calendar yet.",
        (true, 0) => "Nothing to put in a calendar: nothing is owed, no open commitment has a check-in rhythm and no decision's review is ahead.",
        (true, _) => "Nothing is owed now; the calendar holds the check-in rhythm and the reviews ahead.",
        _ => "",
    };
    let leaders = Memo::new(move |_| ctx.ws.with(|w| w.units.iter().filter(|u| w.children(u.id).next().is_some()).map(|u| (u.id, u.name.to_string())).collect::<Vec<_>>()));
    let status = RwSignal::new(String::new());
    let export = move |_| {
        let as_of = ctx.as_of.get_untracked();
        let text = ctx.ws.with_untracked(|w| icalendar(w, &w.policy, as_of, root.get_untracked(), browser::today()));
        match browser::download(&format!("latitude-to-do-{}.ics", format_date(as_of)), "text/calendar", &text) {
            Ok(name) => status.set(format!("Calendar file {name} downloaded: each open commitment's check-in rhythm, the reviews and the workshop actions due, as events.")),
            Err(e) => status.set(format!("Could not download: {e}")),
        }
    };
    view! {
        <PageHeader title="To do" lead="What each person owes as of this date: check-ins past their cadence, reviews after due results, decisions to review, workshop actions due, commitments to make precise.">
            <super::overview::AsOfPicker/>
        </PageHeader>
        <super::ConflictList/>
        <section class="card todo" data-testid="todo">
            <div class="card__head">
                <div class="field field--compact">
                    <label for="todo-root">"For"</label>
                    <select id="todo-root" data-testid="todo-root" on:change=move |ev| root.set(event_target_value(&ev).parse().ok().map(UnitId))>
                        <option value="">"The whole organisation"</option>
                        {move || leaders.get().into_iter().map(|(id, name)| view! { <option value=id.0.to_string()>{format!("{name} and their reports")}</option> }).collect_view()}
                    </select>
                </div>
                <button type="button" class="button button--small" data-testid="todo-export" on:click=export
                    disabled=move || events.get() == 0 aria-describedby="todo-export-note">"Export as calendar (.ics)"</button>
            </div>
            <p class="muted" id="todo-export-note" data-testid="todo-export-note" hidden=move || calendar_note().is_empty()>{calendar_note}</p>
            <p class="muted" role="status" data-testid="todo-status">{move || status.get()}</p>
            {move || {
                let list = items.get();
                if list.is_empty() {
                    match nothing.get() {
                        NothingOwed::NoUnits => view! {
                            <EmptyState title="Nothing to do yet" testid="todo-empty">
                                <p>"This workspace has no units yet. Start on the Units page: add the teams and people, then their commitments. What each one owes will be listed here."</p>
                                <p><a href="#/units" class="button button--primary" data-testid="todo-empty-start">"Add the first unit"</a></p>
                            </EmptyState>
                        }.into_any(),
                        NothingOwed::NoCommitments => view! {
                            <EmptyState title="Nothing to do yet" testid="todo-empty">
                                <p>"No unit has a commitment yet, so nothing can fall due. Open a unit from the Units page and add a commitment: its check-ins and the reviews after it will be listed here when they are owed."</p>
                                <p><a href="#/units" class="button button--primary" data-testid="todo-empty-start">"Go to the units"</a></p>
                            </EmptyState>
                        }.into_any(),
                        NothingOwed::UpToDate => view! {
                            <EmptyState title="Nothing owed" testid="todo-empty">
                                <p>"Every check-in is within its cadence, every due result reviewed, every decision reviewed on time, every workshop action due marked done."</p>
                            </EmptyState>
                        }.into_any(),
                    }
                } else {
                    view! {
                        <ul class="todo__list" data-testid="todo-list">
                            {list.into_iter().map(|i| {
                                // An agreed action is done outside the app: the list is where it
                                // is marked so, on the as-of date (Undo takes it back).
                                let done = i.workshop.zip(i.action).map(|(workshop, action)| {
                                    let (unit, text) = (i.unit, i.text.clone());
                                    view! {
                                        " "
                                        <button type="button" class="button button--small" data-testid="todo-action-done" aria-label=format!("Mark done: {text}")
                                            on:click=move |_| {
                                                let done = ctx.as_of.get_untracked();
                                                match ctx.edit(Command::CompleteAction { workshop, unit, action, done: Some(done) }) {
                                                    Ok(change) => {
                                                        status.set(format!("{}. Undo takes it back.", change.summary));
                                                        // Its row is gone: the focus stays in the list.
                                                        crate::ui::browser::focus_after_render("[data-testid=todo]".into());
                                                    }
                                                    Err(e) => status.set(format!("Could not mark it done: {e}")),
                                                }
                                            }>"Mark done"</button>
                                    }
                                });
                                let text = match done {
                                    Some(_) => view! { <span data-testid="todo-text">{i.text.clone()}</span> }.into_any(),
                                    None => view! { <a href=link(&i) data-testid="todo-link">{i.text.clone()}</a> }.into_any(),
                                };
                                view! {
                                    <li class="todo__item" data-testid="todo-item" data-kind=i.kind.as_str()>
                                        <span class="flag__badge flag__badge--s1">{i.kind.label()}</span>
                                        " "
                                        {text}
                                        <span class="muted">{format!(" · {}", i.owed_for())}</span>
                                        {done}
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

/// The number of items owed across the organisation, for the header.
pub fn todo_count() -> Signal<usize> {
    let ctx = use_app();
    Signal::derive(move || {
        let as_of = ctx.as_of.get();
        // Conflicts of a shared workspace wait for someone too.
        ctx.ws.with(|w| todo(w, &w.policy, as_of, None).len()) + ctx.team.conflicts.with(Vec::len)
    })
}
