//! Step 3: delegation poker as it is played. The facilitator opens a round for a unit
//! and an area; each participant picks in private (the picker is cleared after every
//! vote and the screen shows only who has voted); the votes are revealed together —
//! with names or without — with the spread, the median and the outliers to ask; the
//! agreed level and scope are recorded as a grant in one step. Every round is kept in
//! the workshop, so a later workshop shows how the team's view moved.

use leptos::prelude::*;

use crate::core::workshop::{round_history, RoundId, ShownVotes, VotePrivacy, WorkshopId};
use crate::core::*;
use crate::ui::form::{area_ref, choice};
use crate::ui::state::use_app;
use crate::ui::widgets::{AreaPicker, ScaleSelect};

use super::session::with_session;

#[component]
pub fn PokerStep(id: WorkshopId) -> impl IntoView {
    let ctx = use_app();
    let status = RwSignal::new(None::<String>);
    // The round on the table: the newest one not yet agreed.
    let open_round = Memo::new(move |_| with_session(ctx, id, |s| s.rounds.iter().rev().find(|r| r.agreed.is_none()).map(|r| r.id)).flatten());
    let done = move || {
        with_session(ctx, id, |s| {
            ctx.ws.with(|w| {
                s.rounds
                    .iter()
                    .filter_map(|r| {
                        r.agreed.as_ref().map(|a| {
                            format!(
                                "{} · {}: level {} {} at scope {} {}",
                                w.unit_name(r.unit),
                                w.area_name(r.area),
                                a.level.get(),
                                w.policy.level_label(a.level.get()),
                                a.rung.get(),
                                w.policy.rung_label(a.rung.get())
                            )
                        })
                    })
                    .collect::<Vec<_>>()
            })
        })
        .unwrap_or_default()
    };
    view! {
        <div class="poker" data-testid="poker">
            <PrivacySetting id=id/>
            {move || match open_round.get() {
                Some(round) => view! { <Round id=id round=round status=status/> }.into_any(),
                None => view! { <OpenRound id=id status=status/> }.into_any(),
            }}
            <p role="status" class="form__status" data-testid="poker-status">{move || status.get()}</p>
            {move || {
                let rows = done();
                (!rows.is_empty()).then(|| view! {
                    <h3 class="workshop__sub">"Agreed in this workshop"</h3>
                    <ul class="workshop__list" data-testid="poker-agreed-list">{rows.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}</ul>
                })
            }}
        </div>
    }
}

/// Named or anonymous reveal, for the whole workshop.
#[component]
fn PrivacySetting(id: WorkshopId) -> impl IntoView {
    let ctx = use_app();
    let privacy = move || with_session(ctx, id, |s| s.privacy).unwrap_or_default();
    let set = move |p: VotePrivacy| {
        let _ = ctx.edit(Command::SetVotePrivacy { workshop: id, privacy: p });
    };
    view! {
        <fieldset class="poker__privacy" data-testid="poker-privacy">
            <legend>"Reveal the votes"</legend>
            <label><input type="radio" name="poker-privacy" data-testid="poker-privacy-named" prop:checked=move || privacy() == VotePrivacy::Named on:change=move |_| set(VotePrivacy::Named)/>" with names"</label>
            <label><input type="radio" name="poker-privacy" data-testid="poker-privacy-anonymous" prop:checked=move || privacy() == VotePrivacy::Anonymous on:change=move |_| set(VotePrivacy::Anonymous)/>" without names"</label>
        </fieldset>
    }
}

/// Chooses the unit and the area of the next round.
#[component]
fn OpenRound(id: WorkshopId, status: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = use_app();
    let unit = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let new_area = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = ctx.ws.with_untracked(|w| {
            let u = unit.get_untracked().parse().ok().map(UnitId).filter(|u| w.unit(*u).is_some()).or_else(|| w.units.first().map(|u| u.id)).ok_or("Add a team first.".to_owned())?;
            let a = area_ref(w, &area.get_untracked(), &new_area.get_untracked())?;
            Ok::<_, String>(Command::OpenRound { workshop: id, unit: u, area: a })
        });
        match command.and_then(|c| ctx.edit(c).map_err(|e| e.to_string())) {
            Ok(_) => {
                error.set(None);
                status.set(None);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    view! {
        <form class="form" data-testid="poker-open-form" on:submit=open>
            <div class="form__row">
                <div class="field">
                    <label for="poker-unit">"Unit"</label>
                    <select id="poker-unit" data-testid="poker-unit" on:change=move |ev| unit.set(event_target_value(&ev))>
                        {move || ctx.ws.with(|w| w.units.iter().map(|u| view! { <option value=u.id.0.to_string() selected=unit.get_untracked() == u.id.0.to_string()>{u.name.to_string()}</option> }).collect_view())}
                    </select>
                </div>
                <AreaPicker prefix="poker" area=area new_area=new_area/>
                <div class="field field--action"><button type="submit" class="button button--primary" data-testid="poker-open">"Start the round"</button></div>
            </div>
            <p class="field__error" role="alert">{move || error.get()}</p>
        </form>
    }
}

/// A round: private votes, the reveal, the agreed grant.
#[component]
fn Round(id: WorkshopId, round: RoundId, status: RwSignal<Option<String>>) -> impl IntoView {
    let ctx = use_app();
    let who = RwSignal::new(String::new());
    let vote = RwSignal::new(String::new());
    // The pickers are read as they stand when the vote is cast (engines differ in the
    // events a picked option sends), and emptied after it.
    let who_el = NodeRef::<leptos::html::Select>::new();
    let vote_el = NodeRef::<leptos::html::Select>::new();
    let error = RwSignal::new(None::<String>);
    let agreed_level = RwSignal::new(String::new());
    let rung = RwSignal::new("2".to_owned());
    let data = move || with_session(ctx, id, |s| s.round(round).cloned().map(|r| (r, s.participants.clone(), s.privacy))).flatten();
    let heading = move || data().map(|(r, _, _)| ctx.ws.with(|w| format!("{} · {}", w.unit_name(r.unit), w.area_name(r.area)))).unwrap_or_default();
    // Earlier rounds for the same unit and area, in this or earlier workshops.
    let history = move || {
        let Some((r, _, _)) = data() else { return Vec::new() };
        ctx.ws.with(|w| {
            round_history(w, r.unit, r.area)
                .into_iter()
                .filter(|(s, h)| !(s.id == id && h.id == round) && h.revealed)
                .map(|(s, h)| {
                    let median = h.stats().map(|st| format!("median {}", st.median)).unwrap_or_default();
                    let agreed = h.agreed.as_ref().map(|a| format!(", agreed {}", a.level.get())).unwrap_or_default();
                    format!("{}: {median}{agreed}", s.title)
                })
                .collect::<Vec<_>>()
        })
    };
    let cast = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let (Some(w), Some(v)) = (who_el.get_untracked(), vote_el.get_untracked()) {
            who.set(w.value());
            vote.set(v.value());
        }
        let name = who.get_untracked();
        if name.is_empty() {
            return error.set(Some("Choose who votes.".into()));
        }
        let level = match choice::<Level>(&vote.get_untracked()) {
            Ok(l) => l,
            Err(_) => return error.set(Some("Pick a level.".into())),
        };
        let participant = match Name::new(name) {
            Ok(n) => n,
            Err(e) => return error.set(Some(e.to_string())),
        };
        match ctx.edit(Command::CastVote { workshop: id, round, participant, level }) {
            Ok(_) => {
                // The next voter finds the picker empty: nobody sees the last choice.
                who.set(String::new());
                vote.set(String::new());
                if let (Some(w), Some(v)) = (who_el.get_untracked(), vote_el.get_untracked()) {
                    w.set_value("");
                    v.set_value("");
                }
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let reveal = move |_| match ctx.edit(Command::RevealRound { workshop: id, round }) {
        Ok(_) => {
            if let Some((r, _, _)) = data() {
                if let Some(st) = r.stats() {
                    let level = match st.median {
                        workshop::Median::Exact(l) | workshop::Median::Between(l, _) => l,
                    };
                    agreed_level.set(level.get().to_string());
                }
            }
        }
        Err(e) => error.set(Some(e.to_string())),
    };
    let record = move |_| {
        let (level, r) = match (choice::<Level>(&agreed_level.get_untracked()), choice::<Rung>(&rung.get_untracked())) {
            (Ok(l), Ok(r)) => (l, r),
            (Err(e), _) | (_, Err(e)) => return error.set(Some(e)),
        };
        let granted_by = data().and_then(|(rd, _, _)| ctx.ws.with_untracked(|w| w.unit(rd.unit).and_then(|u| u.parent)));
        let (unit, area) = data().map(|(rd, _, _)| ctx.ws.with_untracked(|w| (w.unit_name(rd.unit).to_owned(), w.area_name(rd.area).to_owned()))).unwrap_or_default();
        match ctx.edit(Command::AgreeRound { workshop: id, round, level, rung: r, granted_by, reason: String::new() }) {
            Ok(_) => {
                let p = ctx.ws.with_untracked(|w| w.policy.clone());
                status.set(Some(format!("Recorded for {unit} in {area}: level {} {} at scope {} {}.", level.get(), p.level_label(level.get()), r.get(), p.rung_label(r.get()))));
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let discard = move |_| {
        let _ = ctx.edit(Command::DiscardRound { workshop: id, round });
    };
    let policy = move || ctx.ws.with(|w| w.policy.clone());
    view! {
        <section class="poker__round" data-testid="poker-round">
            <h3 class="workshop__sub" data-testid="poker-round-title">{heading}</h3>
            {move || {
                let h = history();
                (!h.is_empty()).then(|| view! { <p class="poker__history" data-testid="poker-history">{format!("Earlier: {}", h.join(" · "))}</p> })
            }}
            {move || data().map(|(r, participants, privacy)| {
                let revealed = r.revealed;
                // Only who has voted, never what, until the reveal.
                let voted: Vec<String> = match r.shown(privacy) {
                    ShownVotes::Hidden { voted } => voted.iter().map(|n| n.to_string()).collect(),
                    _ => Vec::new(),
                };
                let total = participants.len();
                let cards = match r.shown(privacy) {
                    ShownVotes::Hidden { voted } => voted.iter().map(|n| view! {
                        <li class="poker__card"><span class="poker__who">{n.to_string()}</span><span class="poker__level">"voted"</span></li>
                    }).collect_view().into_any(),
                    ShownVotes::Named(v) => v.into_iter().map(|(n, l)| view! {
                        <li class="poker__card poker__card--revealed"><span class="poker__who">{n.to_string()}</span>
                            <span class="poker__level" data-testid="poker-card-level">{format!("{} {}", l.get(), policy().level_label(l.get()))}</span></li>
                    }).collect_view().into_any(),
                    ShownVotes::Anonymous(v) => v.into_iter().map(|l| view! {
                        <li class="poker__card poker__card--revealed">
                            <span class="poker__level" data-testid="poker-card-level">{format!("{} {}", l.get(), policy().level_label(l.get()))}</span></li>
                    }).collect_view().into_any(),
                };
                view! {
                    {(!revealed).then(|| {
                        let waiting: Vec<String> = participants.iter().map(|p| p.to_string()).filter(|p| !voted.contains(p)).collect();
                        view! {
                            <p class="poker__count" data-testid="poker-count">{format!("{} of {total} have voted", voted.len())}</p>
                            <form class="form form--inline" data-testid="poker-vote-form" on:submit=cast>
                                <div class="form__row">
                                    <div class="field">
                                        <label for="poker-who">"Who votes"</label>
                                        <select id="poker-who" data-testid="poker-who" node_ref=who_el prop:value=move || who.get()
                                            on:input=move |ev| who.set(event_target_value(&ev)) on:change=move |ev| who.set(event_target_value(&ev))>
                                            <option value="">"— choose —"</option>
                                            {participants.iter().map(|p| {
                                                let n = p.to_string();
                                                let mark = if voted.contains(&n) { " (voted)" } else { "" };
                                                view! { <option value=n.clone()>{format!("{n}{mark}")}</option> }
                                            }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="field">
                                        <label for="poker-vote">"Their level (in private)"</label>
                                        <select id="poker-vote" data-testid="poker-vote" node_ref=vote_el prop:value=move || vote.get()
                                            on:input=move |ev| vote.set(event_target_value(&ev)) on:change=move |ev| vote.set(event_target_value(&ev))>
                                            <option value="">"— pick —"</option>
                                            {move || ctx.ws.with(|w| (1..=7u8).map(|n| view! { <option value=n.to_string()>{format!("{n} {}", w.policy.level_label(n))}</option> }).collect_view())}
                                        </select>
                                    </div>
                                    <div class="field field--action"><button type="submit" class="button" data-testid="poker-add-vote">"Cast vote"</button></div>
                                </div>
                            </form>
                            {(!waiting.is_empty()).then(|| view! { <p class="muted" data-testid="poker-waiting">{format!("Still to vote: {}", waiting.join(", "))}</p> })}
                        }
                    })}
                    <ul class="poker__cards" data-testid="poker-cards">{cards}</ul>
                    {(!revealed).then(|| view! {
                        <div class="button-row">
                            <button type="button" class="button button--primary" data-testid="poker-reveal" data-shortcut="reveal" aria-keyshortcuts="R" disabled=r.votes.is_empty() on:click=reveal>"Reveal the votes"</button>
                            <button type="button" class="button" data-testid="poker-discard" on:click=discard>"Drop this round"</button>
                        </div>
                    })}
                    {revealed.then(|| {
                        let st = r.stats();
                        let summary = st.as_ref().map(|st| {
                            let apart = st.max.get() - st.min.get();
                            format!("Spread: {} to {} ({apart} level{} apart). Median {}.", st.min.get(), st.max.get(), if apart == 1 { "" } else { "s" }, st.median)
                        }).unwrap_or_default();
                        let ask = st.as_ref().filter(|st| !st.outliers.is_empty()).map(|st| match privacy {
                            VotePrivacy::Named => format!("Ask {} why before agreeing.", st.outliers.iter().map(|v| format!("{} ({})", v.participant, v.level.get())).collect::<Vec<_>>().join(" and ")),
                            VotePrivacy::Anonymous => {
                                let mut levels: Vec<String> = st.outliers.iter().map(|v| v.level.get().to_string()).collect();
                                levels.dedup();
                                format!("Ask whoever voted {} why before agreeing.", levels.join(" or "))
                            }
                        });
                        view! {
                            <div class="poker__result" data-testid="poker-result">
                                <p><strong>{summary}</strong>" "{ask}</p>
                                <div class="form__row">
                                    <ScaleSelect id="poker-agreed" label="Agreed level" rungs=false value=agreed_level/>
                                    <ScaleSelect id="poker-rung" label="Scope" rungs=true value=rung/>
                                    <div class="field field--action"><button type="button" class="button button--primary" data-testid="poker-record" on:click=record>"Record the agreed grant"</button></div>
                                </div>
                            </div>
                        }
                    })}
                }
            })}
            <p class="field__error" role="alert" data-testid="poker-error">{move || error.get()}</p>
        </section>
    }
}
