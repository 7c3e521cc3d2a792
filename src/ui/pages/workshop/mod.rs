//! Workshop: a guided 60–90 minute session on one laptop and a projector — through a
//! delegation-poker round per decision area, last quarter's results, the map, agreed
//! actions and a summary. The workshop is data in the workspace
//! ([`crate::core::workshop`]), changed only through commands: the step, the votes, the
//! timers and the results survive leaving the page and a reload; components hold only
//! what is being typed. One module per part: [`session`] the list and the helpers,
//! [`setup`] steps 1 and 2, [`poker`] step 3, [`results`] step 4, [`map`] step 5,
//! [`actions`] step 6, [`summary`] the closing page, [`clock`] the timers,
//! [`presenter`] the projector mode.

mod actions;
mod clock;
mod map;
mod poker;
mod presenter;
mod results;
mod session;
mod setup;
mod summary;

use leptos::prelude::*;

use super::PageHeader;
use crate::core::workshop::{Step, WorkshopId};
use crate::core::Command;
use crate::ui::state::use_app;
use crate::ui::widgets::Confirm;
use clock::StepClock;
use presenter::{Presenter, Shortcuts};
use session::{with_session, with_session_untracked, Open};

/// What each step asks of the room.
fn what(step: Step) -> &'static str {
    match step {
        Step::SetTheScene => "Read the law aloud: the autonomy you can grant is proportional to the rigor of the accountability system. Name the participants once; they vote in every round.",
        Step::NameTheTeams => "Add every team and person in scope, leaders first, and tick the units this workshop is about.",
        Step::RecordAutonomy => {
            "For each decision area, everyone votes a delegation level in private, then all votes are revealed together. Discuss the spread, agree one level and a scope, and record it."
        }
        Step::EnterResults => "For each unit, the results it committed to in the period and the value reached, with evidence someone else can check.",
        Step::RevealMap => "Above the diagonal, autonomy outruns measurement; below it, results earn more scope than granted.",
        Step::AgreeActions => "For each unit, agree the verdict — starting from the recommendation — and the actions, with an owner and a due date. Then finish and share the summary.",
    }
}

#[component]
pub fn Workshop() -> impl IntoView {
    let ctx = use_app();
    let open = RwSignal::new(Open::Auto);
    let current = Memo::new(move |_| {
        let o = open.get();
        ctx.ws.with(|w| o.resolve(w, crate::ui::browser::today()))
    });
    let root = NodeRef::<leptos::html::Div>::new();
    let presenter = Presenter::new(root);
    let clock = StepClock::new(current);
    let help = RwSignal::new(false);
    Shortcuts { presenter, help }.install();
    let total: u32 = Step::ALL.iter().map(|s| s.default_minutes()).sum();
    view! {
        <div class="workshop" class=("workshop--presenter", move || presenter.on.get()) data-testid="workshop" node_ref=root
            data-fullscreen=move || presenter.fullscreen.get().to_string()>
            // Presenter mode hides the page's banners: what the start restored is said here.
            {move || presenter.on.get().then(|| ctx.storage_notice.get().map(|text| view! {
                <p class="workshop__notice" role="status" data-testid="workshop-notice">
                    {text}" "
                    <button type="button" class="button button--small" data-testid="workshop-notice-dismiss" on:click=move |_| ctx.storage_notice.set(None)>"Dismiss"</button>
                </p>
            }))}
            <PageHeader title="Workshop" lead=format!("A guided {total}-minute session on one laptop and a projector: from today's autonomy to agreed actions.")>
                <button type="button" class="button" data-testid="shortcuts-help" aria-keyshortcuts="?" on:click=move |_| help.set(true)>"Shortcuts"</button>
            </PageHeader>
            {move || match current.get() {
                // Presenter mode hides the page's header: the list keeps a way out on screen.
                None => view! { <ExitPresenter presenter=presenter/> <session::Sessions open=open/> }.into_any(),
                Some(id) => view! { <Session id=id open=open presenter=presenter clock=clock/> }.into_any(),
            }}
            <presenter::Help open=help/>
            // Presenter mode's full screen shows only this element: what Undo and Redo did
            // is repeated in it (the page's live region, outside, still announces it).
            {move || presenter.on.get().then(|| ctx.history_said.get().map(|said| view! {
                <p class="workshop__said" aria-hidden="true" data-testid="workshop-history-said">{said}</p>
            }))}
        </div>
    }
}

/// In presenter mode, where the page's header and the session bar are hidden, a button
/// that leaves it (as F and Escape do).
#[component]
fn ExitPresenter(presenter: Presenter) -> impl IntoView {
    move || {
        presenter.on.get().then(|| view! {
            <div class="workshop__bar workshop__bar--summary">
                <button type="button" class="button workshop__present" data-testid="presenter-toggle" aria-keyshortcuts="F" aria-pressed="true" on:click=move |_| presenter.toggle()>"Exit presenter"</button>
            </div>
        })
    }
}

/// One workshop: its steps, or its summary once finished.
#[component]
fn Session(id: WorkshopId, open: RwSignal<Open>, presenter: Presenter, clock: StepClock) -> impl IntoView {
    let ctx = use_app();
    // The workshop shown stays shown once finished (its summary), until another is chosen.
    if open.get_untracked() == Open::Auto {
        open.set(Open::Session(id));
    }
    let step = Memo::new(move |_| with_session(ctx, id, |s| s.step).unwrap_or_default());
    let finished = Memo::new(move |_| with_session(ctx, id, |s| s.finished).unwrap_or(false));
    let title = move || with_session(ctx, id, |s| s.title.to_string()).unwrap_or_default();
    // Leaving step 3 with votes revealed but no level recorded is asked first: the room
    // may believe the grant is recorded.
    let unrecorded = RwSignal::new(None::<(usize, String)>);
    // Leaving step 4 with results typed and not recorded is asked too.
    let typed_results = results::TypedResults::default();
    provide_context(typed_results);
    let go_to = move |i: usize| {
        unrecorded.set(None);
        if let Some(to) = Step::from_index(i.min(Step::ALL.len() - 1)) {
            if to != step.get_untracked() {
                let _ = ctx.edit(Command::GoToStep { workshop: id, step: to, now_ms: clock::now_ms() });
            }
        }
    };
    let go = move |i: usize| {
        let pending = with_session_untracked(ctx, id, |s| {
            let r = s.current_round().filter(|r| s.step == Step::RecordAutonomy && r.revealed)?;
            Some(ctx.ws.with_untracked(|w| format!("{} · {}", w.unit_name(r.unit), w.area_name(r.area))))
        })
        .flatten();
        let leaving = i != step.get_untracked().index();
        let typed = if step.get_untracked() == Step::EnterResults { typed_results.count() } else { 0 };
        match pending {
            Some(round) if leaving => unrecorded.set(Some((i, format!("The votes for {round} are revealed, but no level is recorded. Leave this step anyway?")))),
            _ if leaving && typed > 0 => {
                let what = if typed == 1 { "A result typed in this step is".to_owned() } else { format!("{typed} results typed in this step are") };
                unrecorded.set(Some((i, format!("{what} not recorded: press Enter in its field (or Record) to record it. Leave this step anyway?"))));
            }
            _ => go_to(i),
        }
    };
    let back = move |_| go(step.get_untracked().index().saturating_sub(1));
    let next = move |_| go(step.get_untracked().index() + 1);
    let at_start = move || step.get().index() == 0;
    let at_end = move || step.get().index() + 1 == Step::ALL.len();
    view! {
        <div class="workshop__session-bar" data-view="">
            <strong data-testid="workshop-title">{title}</strong>
            <button type="button" class="button button--small" data-testid="workshop-all" on:click=move |_| open.set(Open::List)>"All workshops"</button>
        </div>
        {move || if finished.get() {
            // Presenter mode hides the session bar: the summary keeps a way out on screen.
            view! {
                <ExitPresenter presenter=presenter/>
                <summary::Summary id=id/>
            }.into_any()
        } else {
            view! {
                <nav class="workshop__progress" aria-label="Workshop steps" data-view="">
                    <ol>
                        {Step::ALL.iter().enumerate().map(|(i, s)| view! {
                            <li>
                                <button type="button" class="workshop__dot" class=("workshop__dot--current", move || step.get().index() == i)
                                    aria-current=move || (step.get().index() == i).then_some("step") data-testid=format!("workshop-goto-{}", i + 1) on:click=move |_| go(i)>
                                    <span class="workshop__num">{i + 1}</span>
                                    <span class="workshop__label">{s.title()}</span>
                                </button>
                            </li>
                        }).collect_view()}
                    </ol>
                    <div class="workshop__bar">
                        // In presenter mode the step buttons sit up here, leaving the screen to the step.
                        {move || presenter.on.get().then(|| view! {
                            <button type="button" class="button" data-testid="presenter-back" data-shortcut="back" aria-keyshortcuts="ArrowLeft" disabled=at_start on:click=back>"← Back"</button>
                            <button type="button" class="button button--primary" data-testid="presenter-next" data-shortcut="next" aria-keyshortcuts="ArrowRight" disabled=at_end on:click=next>"Next →"</button>
                        })}
                        <button type="button" class="button workshop__present" data-testid="presenter-toggle" aria-keyshortcuts="F" aria-pressed=move || presenter.on.get().to_string()
                            on:click=move |_| presenter.toggle()>
                            {move || if presenter.on.get() { "Exit presenter" } else { "Presenter mode" }}
                        </button>
                    </div>
                </nav>
                <section class="card workshop__stage" class=("workshop__stage--map", move || step.get() == Step::RevealMap) data-testid="workshop-stage">
                    <div class="workshop__head">
                        <h2 class="workshop__title" data-testid="workshop-step-title" aria-live="polite">{move || format!("{}. {}", step.get().index() + 1, step.get().title())}</h2>
                        <clock::ClockView clock=clock id=id step=step/>
                    </div>
                    <p class="workshop__what" class=("workshop__what--map", move || step.get() == Step::RevealMap)>{move || what(step.get())}</p>
                    {move || match step.get() {
                        Step::SetTheScene => view! { <setup::SceneStep id=id/> }.into_any(),
                        Step::NameTheTeams => view! { <setup::TeamsStep id=id/> }.into_any(),
                        Step::RecordAutonomy => view! { <poker::PokerStep id=id/> }.into_any(),
                        Step::EnterResults => view! { <results::ResultsStep id=id/> }.into_any(),
                        Step::RevealMap => view! { <map::MapStep id=id presenter=presenter.on/> }.into_any(),
                        Step::AgreeActions => view! { <actions::ActionsStep id=id/> }.into_any(),
                    }}
                    {move || unrecorded.get().map(|(to, q)| view! {
                        <Confirm testid="workshop-unrecorded" question=q confirm="Leave without recording" cancel="Stay and record" on_confirm=move |_| {
                        typed_results.drop_typed(ctx, id);
                        go_to(to)
                    } on_cancel=move |_| unrecorded.set(None)/>
                    })}
                    <div class="workshop__nav" data-view="">
                        {move || (!presenter.on.get()).then(|| view! {
                            <button type="button" class="button" data-testid="workshop-back" data-shortcut="back" aria-keyshortcuts="ArrowLeft" disabled=at_start on:click=back>"← Back"</button>
                            <button type="button" class="button button--primary" data-testid="workshop-next" data-shortcut="next" aria-keyshortcuts="ArrowRight" disabled=at_end on:click=next>"Next step →"</button>
                        })}
                    </div>
                </section>
            }.into_any()
        }}
    }
}
