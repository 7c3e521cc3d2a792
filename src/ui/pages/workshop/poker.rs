//! Step 3: delegation poker as it is played. The facilitator opens a round for a unit
//! and an area, showing what the unit holds there now; each participant picks in private
//! (a level card, or a digit key, casts the vote at once, so no choice is ever shown;
//! the screen shows only who has voted); the votes are revealed together — with names
//! or without — with the spread, the median (both sides offered when it falls between
//! two) and the outliers to ask; the agreed level and scope, starting from the current
//! scope, are recorded as a grant in one step, after a confirmation when they would
//! narrow the unit's autonomy. Every round is kept in
//! the workshop, so a later workshop shows how the team's view moved.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::workshop::{round_history, RoundId, ShownVotes, VotePrivacy, WorkshopId};
use crate::core::*;
use crate::ui::browser;
use crate::ui::form::{area_ref, choice};
use crate::ui::state::use_app;
use crate::ui::widgets::{AreaPicker, Confirm, ScaleSelect};

use super::session::{with_session, with_session_untracked};

#[component]
pub fn PokerStep(id: WorkshopId) -> impl IntoView {
    let ctx = use_app();
    // What was recorded last, and for which round: said while that round stays agreed
    // (Undo takes the sentence back with the grant).
    let status = RwSignal::new(None::<(RoundId, String)>);
    let said = move || status.get().and_then(|(round, text)| with_session(ctx, id, |s| s.rounds.iter().any(|r| r.id == round && r.agreed.is_some())).unwrap_or(false).then_some(text));
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
            <p role="status" class="form__status" data-testid="poker-status">{said}</p>
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
fn OpenRound(id: WorkshopId, status: RwSignal<Option<(RoundId, String)>>) -> impl IntoView {
    let ctx = use_app();
    // Chosen and typed, not opened yet: kept across another page and a reload.
    let form = StoredValue::new(format!("{}/workshop/{}/next-round/", ctx.id.get_untracked(), id.0));
    let form_key = move |field: &str| form.with_value(|f| format!("{f}{field}"));
    let unit = ctx.typed_field(form_key("unit"), String::new());
    let area = ctx.typed_field(form_key("area"), String::new());
    let new_area = ctx.typed_field(form_key("new-area"), String::new());
    let error = RwSignal::new(None::<String>);
    // The units ticked in step 2 (every unit when none is).
    let in_scope = move || with_session(ctx, id, |s| s.units.clone()).unwrap_or_default();
    let open = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let command = ctx.ws.with_untracked(|w| {
            let scope = untrack(in_scope);
            let offered = |u: &UnitId| w.unit(*u).is_some() && (scope.is_empty() || scope.contains(u));
            let u = unit.get_untracked().parse().ok().map(UnitId).filter(offered).or_else(|| w.units.iter().map(|u| u.id).find(offered)).ok_or("Add a team first.".to_owned())?;
            let a = area_ref(w, &area.get_untracked(), &new_area.get_untracked())?;
            Ok::<_, String>(Command::OpenRound { workshop: id, unit: u, area: a })
        });
        match command.and_then(|c| ctx.edit(c).map_err(|e| e.to_string())) {
            Ok(_) => {
                error.set(None);
                status.set(None);
                // The form is gone with the round it opened (its fields with it): what was
                // kept for it is cleared here, or the next round's form would start with it.
                for field in ["unit", "area", "new-area"] {
                    ctx.set_typed(&form_key(field), "");
                }
                // The form is gone: the focus goes to the round it opened.
                browser::focus_after_render("[data-testid=\"poker-round-title\"]".into());
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
                        {move || {
                            let scope = in_scope();
                            ctx.ws.with(|w| w.units.iter().filter(|u| scope.is_empty() || scope.contains(&u.id)).map(|u| view! { <option value=u.id.0.to_string() selected=unit.get_untracked() == u.id.0.to_string()>{u.name.to_string()}</option> }).collect_view())
                        }}
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
fn Round(id: WorkshopId, round: RoundId, status: RwSignal<Option<(RoundId, String)>>) -> impl IntoView {
    let ctx = use_app();
    let who = RwSignal::new(String::new());
    // The picker is read as it stands when a vote is cast (engines differ in the events
    // a picked option sends), and emptied after it.
    let who_el = NodeRef::<leptos::html::Select>::new();
    let error = RwSignal::new(None::<String>);
    let agreed_level = RwSignal::new(String::new());
    let rung = RwSignal::new("2".to_owned());
    // The sentence asking to confirm a grant that takes autonomy away, while it is asked.
    let narrowing = RwSignal::new(None::<String>);
    // A question asked about other values is no longer the question: it goes when they change.
    Effect::new(move |_| {
        agreed_level.track();
        rung.track();
        narrowing.set(None);
    });
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
    // What the unit holds in this area today: the agreed grant starts from it.
    let current = move || {
        data().and_then(|(r, _, _)| {
            let date = with_session(ctx, id, |s| s.date)?;
            ctx.ws.with(|w| workshop::current_grant(w, r.unit, r.area, date).cloned())
        })
    };
    let describe_level = move |level: u8| ctx.ws.with(|w| format!("{level} {}", w.policy.level_label(level)));
    // As the summary and the Markdown say a level: "level 5 Advise at scope 4 Product".
    let describe = move |rung: u8, level: u8| ctx.ws.with_untracked(|w| format!("level {level} {} at scope {rung} {}", w.policy.level_label(level), w.policy.rung_label(rung)));
    if let Some(g) = untrack(current) {
        rung.set(g.rung.get().to_string());
    }
    // The level starts from the median (its lower side when it falls between two).
    let prefill = move || {
        if let Some(st) = data().filter(|(r, _, _)| r.revealed).and_then(|(r, _, _)| r.stats()) {
            let level = match st.median {
                workshop::Median::Exact(l) | workshop::Median::Between(l, _) => l,
            };
            agreed_level.set(level.get().to_string());
        }
    };
    untrack(prefill);
    // A vote is cast the moment its level card is chosen: no choice is ever shown.
    let cast = move |level: u8| {
        if let Some(w) = who_el.get_untracked() {
            who.set(w.value());
        }
        let name = who.get_untracked();
        if name.is_empty() {
            return error.set(Some("Choose who votes first.".into()));
        }
        let Ok(level) = Level::new(level) else { return };
        let participant = match Name::new(name) {
            Ok(n) => n,
            Err(e) => return error.set(Some(e.to_string())),
        };
        match ctx.edit(Command::CastVote { workshop: id, round, participant, level }) {
            Ok(_) => {
                // The next voter finds the picker empty, with the focus on it (not on the card chosen).
                who.set(String::new());
                if let Some(w) = who_el.get_untracked() {
                    w.set_value("");
                    let _ = w.focus();
                }
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    // A digit key casts too, so a voter at the keyboard never points at a card.
    let digit = move |ev: leptos::ev::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        if let Some(n) = ev.key().parse::<u8>().ok().filter(|n| (1..=7).contains(n)) {
            ev.prevent_default();
            ev.stop_propagation();
            cast(n);
            return;
        }
        // On a card, ← and → move along the cards (not to another step of the workshop).
        let step = match ev.key().as_str() {
            "ArrowLeft" | "ArrowUp" => -1,
            "ArrowRight" | "ArrowDown" => 1,
            _ => return,
        };
        let Some(card) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok()).filter(|el| el.class_list().contains("poker__pick")) else { return };
        ev.prevent_default();
        ev.stop_propagation();
        let sibling = if step < 0 { card.previous_element_sibling() } else { card.next_element_sibling() };
        if let Some(next) = sibling.and_then(|s| s.dyn_into::<web_sys::HtmlElement>().ok()) {
            let _ = next.focus();
        }
    };
    // Revealing before everyone has voted closes the round to them: asked first.
    let early_reveal = RwSignal::new(None::<String>);
    let reveal = move |confirmed: bool| {
        if !confirmed {
            let waiting: Vec<String> =
                with_session_untracked(ctx, id, |s| s.rounds.iter().find(|r| r.id == round).map(|r| s.waiting_for(r).into_iter().map(|p| p.to_string()).collect())).flatten().unwrap_or_default();
            if !waiting.is_empty() {
                let n = waiting.len();
                return early_reveal.set(Some(format!(
                    "{} {} not voted yet: {}. Reveal anyway? They cannot vote in this round afterwards.",
                    n,
                    if n == 1 { "has" } else { "have" },
                    waiting.join(", ")
                )));
            }
        }
        early_reveal.set(None);
        match ctx.edit(Command::RevealRound { workshop: id, round }) {
            Ok(_) => {
                untrack(prefill);
                // The reveal button is gone: the focus goes to what it revealed.
                browser::focus_after_render("[data-testid=\"poker-result\"]".into());
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let record = move |confirmed: bool| {
        let (level, r) = match (choice::<Level>(&agreed_level.get_untracked()), choice::<Rung>(&rung.get_untracked())) {
            (Ok(l), Ok(r)) => (l, r),
            (Err(e), _) | (_, Err(e)) => return error.set(Some(e)),
        };
        let granted_by = data().and_then(|(rd, _, _)| ctx.ws.with_untracked(|w| w.unit(rd.unit).and_then(|u| u.parent)));
        let (unit, area) = data().map(|(rd, _, _)| ctx.ws.with_untracked(|w| (w.unit_name(rd.unit).to_owned(), w.area_name(rd.area).to_owned()))).unwrap_or_default();
        if !confirmed {
            if let Some(g) = untrack(current).filter(|g| workshop::narrows(g, level, r)) {
                let from = describe(g.rung.get(), g.level.get());
                let to = describe(r.get(), level.get());
                return narrowing.set(Some(format!("This narrows {unit}'s autonomy in {area} from {from} to {to} — record anyway?")));
            }
        }
        narrowing.set(None);
        match ctx.edit(Command::AgreeRound { workshop: id, round, level, rung: r, granted_by, reason: String::new() }) {
            Ok(_) => {
                let p = ctx.ws.with_untracked(|w| w.policy.clone());
                status.set(Some((round, format!("Recorded for {unit} in {area}: level {} {} at scope {} {}.", level.get(), p.level_label(level.get()), r.get(), p.rung_label(r.get())))));
                error.set(None);
                // The round is gone with its button: the focus goes to what was recorded.
                browser::focus_after_render("[data-testid=\"poker-status\"]".into());
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
            <p class="poker__current" data-testid="poker-current">{move || match current() {
                                    Some(g) => format!("Held now: {}, since {}.", describe(g.rung.get(), g.level.get()), crate::core::dates::format_date(g.date)),
                                    None => "Held now: no grant in this area yet.".to_owned(),
                                }}</p>
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
                            <div class="form form--inline poker__vote" data-testid="poker-vote-form" on:keydown=digit>
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
                                // Choosing a card casts the vote at once: nothing stays chosen on screen.
                                <div class="poker__picks" role="group" aria-label="Their level, in private: choosing casts the vote (or press 1–7)">
                                    {move || ctx.ws.with(|w| (1..=7u8).map(|n| view! {
                                        <button type="button" class="poker__pick" data-testid=format!("poker-cast-{n}") on:click=move |_| cast(n)>
                                            <span class="poker__pick-num">{n}</span>" "<span class="poker__pick-name">{w.policy.level_label(n).to_owned()}</span>
                                        </button>
                                    }).collect_view())}
                                </div>
                            </div>
                            {(!waiting.is_empty()).then(|| view! { <p class="muted" data-testid="poker-waiting">{format!("Still to vote: {}", waiting.join(", "))}</p> })}
                        }
                    })}
                    <ul class="poker__cards" data-testid="poker-cards">{cards}</ul>
                    {(!revealed).then(|| view! {
                        <div class="button-row">
                            <button type="button" class="button button--primary" data-testid="poker-reveal" data-shortcut="reveal" aria-keyshortcuts="R" disabled=r.votes.is_empty() on:click=move |_| reveal(false)>"Reveal the votes"</button>
                            <button type="button" class="button" data-testid="poker-discard" on:click=discard>"Drop this round"</button>
                        </div>
                        {move || early_reveal.get().map(|q| view! {
                            <Confirm testid="poker-early-reveal" question=q confirm="Reveal anyway" cancel="Wait for them" on_confirm=move |_| reveal(true) on_cancel=move |_| {
                                early_reveal.set(None);
                                browser::focus_after_render("[data-testid=\"poker-reveal\"]".into());
                            }/>
                        })}
                    })}
                    {revealed.then(|| {
                        let st = r.stats();
                        let summary = st.as_ref().map(|st| {
                            let apart = st.max.get() - st.min.get();
                            format!("Spread: {} to {} ({apart} level{} apart). Median {}.", st.min.get(), st.max.get(), if apart == 1 { "" } else { "s" }, st.median)
                        }).unwrap_or_default();
                        let ask = st.as_ref().filter(|st| !st.outliers.is_empty()).map(|st| match r.privacy(privacy) {
                            VotePrivacy::Named => format!("Ask {} why before agreeing.", st.outliers.iter().map(|v| format!("{} ({})", v.participant, v.level.get())).collect::<Vec<_>>().join(" and ")),
                            VotePrivacy::Anonymous => {
                                let levels: Vec<String> = st.outlier_levels().iter().map(|l| l.get().to_string()).collect();
                                format!("Ask whoever voted {} why before agreeing.", levels.join(" or "))
                            }
                        });
                        let between = st.as_ref().and_then(|st| match st.median {
                            workshop::Median::Between(lo, hi) => Some((lo.get(), hi.get())),
                            workshop::Median::Exact(_) => None,
                        });
                        view! {
                            <div class="poker__result" data-testid="poker-result">
                                <p><strong>{summary}</strong>" "{ask}</p>
                                {between.map(|(lo, hi)| view! {
                                    <p class="poker__between" data-testid="poker-between">
                                        {format!("The median falls between {lo} and {hi}: the room chooses. ")}
                                        <button type="button" class="button button--small" data-testid="poker-take-low" on:click=move |_| agreed_level.set(lo.to_string())>{move || describe_level(lo)}</button>" "
                                        <button type="button" class="button button--small" data-testid="poker-take-high" on:click=move |_| agreed_level.set(hi.to_string())>{move || describe_level(hi)}</button>
                                    </p>
                                })}
                                <div class="form__row">
                                    <ScaleSelect id="poker-agreed" label="Agreed level" rungs=false value=agreed_level/>
                                    <ScaleSelect id="poker-rung" label="Scope" rungs=true value=rung/>
                                    <div class="field field--action"><button type="button" class="button button--primary" data-testid="poker-record" on:click=move |_| record(false)>"Record the agreed grant"</button></div>
                                    // A round revealed by mistake, or to be played again, is dropped
                                    // (Undo brings it back).
                                    <div class="field field--action"><button type="button" class="button" data-testid="poker-discard" on:click=discard>"Drop this round"</button></div>
                                </div>
                                {move || narrowing.get().map(|q| view! {
                                    <Confirm testid="poker-narrow" question=q confirm="Record anyway" cancel="Keep choosing" danger=true
                                        on_confirm=move |_| record(true) on_cancel=move |_| narrowing.set(None)/>
                                })}
                            </div>
                        }
                    })}
                }
            })}
            <p class="field__error" role="alert" data-testid="poker-error">{move || error.get()}</p>
        </section>
    }
}
