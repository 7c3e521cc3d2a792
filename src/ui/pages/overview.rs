//! Overview: the org map, the scoreboard and the flags to act on, as of any week.

use leptos::prelude::*;

use super::PageHeader;
use crate::charts;
use crate::core::counterfactual::unit_counterfactuals;
use crate::core::explain::{f0, f2};
use crate::core::score::{add_days, FlagKind};
use crate::core::series::map_points;
use crate::core::{format_date, parse_date, UnitId};
use crate::ui::browser;
use crate::ui::route::{as_of_refusal, EARLIEST_AS_OF_YEAR};
use crate::ui::state::use_app;
use crate::ui::widgets::{ChartFigure, EmptyState, ShowAll};

/// How long typing in the as-of field pauses before the date typed is taken.
const TYPING_PAUSE: std::time::Duration = std::time::Duration::from_millis(700);

/// The as-of picker: replays the org at any week.
#[component]
pub fn AsOfPicker() -> impl IntoView {
    let ctx = use_app();
    let error = RwSignal::new(None::<String>);
    let at_today = move || ctx.as_of.get() >= browser::today();
    // A date typed but not yet committed: Safari's engine reports a typed date only when
    // the field loses focus, and its buttons take no focus, so ◀ and ▶ start from what
    // the field shows.
    let field = NodeRef::<leptos::html::Input>::new();
    // The date shown when typing began: a typed date refused goes back to it, not to a
    // date the field passed through on the way (typing 01/05/2027 passes 2026-01-05).
    let before_typing = StoredValue::new(None::<time::Date>);
    let acceptable = |d: time::Date| d <= browser::today() && d.year() >= EARLIEST_AS_OF_YEAR;
    let typed = move || field.get_untracked().and_then(|f| parse_date(&f.value()).ok()).filter(|d| acceptable(*d));
    let shown = move || typed().unwrap_or_else(|| ctx.as_of.get_untracked());
    // A date typed by keyboard is taken once typing pauses, or at Enter or when the field
    // is left: typing "12" in the month passes through January, which would otherwise be
    // scored, drawn and put in the link on the way.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    // (`try_`: a pause can end after the picker is gone, its date already taken on blur.)
    let cancel_pending = move || {
        if let Some(h) = pending.try_get_value().flatten() {
            h.clear();
            pending.try_set_value(None);
        }
    };
    let set_as_of = move |d: time::Date| {
        cancel_pending();
        if ctx.as_of.get_untracked() != d {
            ctx.as_of.set(d);
        }
    };
    let take_soon = move |d: time::Date| {
        cancel_pending();
        let later = set_timeout_with_handle(move || set_as_of(d), TYPING_PAUSE).ok();
        pending.set_value(later);
    };
    // What is being typed, taken now.
    let take_typed = move || {
        if pending.try_get_value().flatten().is_some() {
            match typed() {
                Some(d) => set_as_of(d),
                None => cancel_pending(),
            }
        }
    };
    let is_typing = move |ev: &web_sys::Event| {
        let field = event_target::<web_sys::HtmlInputElement>(ev);
        document().active_element().as_deref() == Some(field.as_ref())
    };
    // It is not held until the field is left (change, which is when WebKit reports it):
    // else the banner a past date brings would appear as the pointer goes down on ◀ and
    // push the button from under it. Dates still being typed (year 0002…) and refused ones
    // wait for the change, which explains them.
    // A map or scoreboard link carries its scores for one date only.
    if ctx.map_only.with_value(Option::is_some) {
        return view! {
            <p class="as-of" data-testid="as-of-fixed">{format!("As of {}: the scores this link carries, for that date only.", format_date(ctx.as_of.get_untracked()))}</p>
        }
        .into_any();
    }
    view! {
        <div class="as-of" role="group" aria-label="Scores as of" data-view="">
            <label for="as-of">"As of"</label>
            <button type="button" class="button button--small" data-testid="as-of-back" aria-label="One week earlier" on:click=move |_| { error.set(None); set_as_of(add_days(shown(), -7)) }>"◀"</button>
            <input id="as-of" type="date" data-testid="as-of" node_ref=field placeholder="YYYY-MM-DD" aria-describedby="as-of-error" max=move || format_date(browser::today()) prop:value=move || format_date(ctx.as_of.get())
                on:focus=move |_| before_typing.set_value(Some(ctx.as_of.get_untracked()))
                on:blur=move |ev| {
                    take_typed();
                    let shown = format_date(ctx.as_of.get_untracked());
                    let field = event_target::<web_sys::HtmlInputElement>(&ev);
                    // A refused date left in it shows the date in force; an emptied field
                    // stays empty (whatever is typed next starts from nothing, as before).
                    if !field.value().is_empty() && field.value() != shown {
                        field.set_value(&shown);
                    }
                }
                on:keydown=move |ev| if ev.key() == "Enter" { take_typed(); }
                on:input=move |ev| match parse_date(&event_target_value(&ev)) {
                    Ok(d) if acceptable(d) => {
                        error.set(None);
                        take_soon(d);
                    }
                    _ => cancel_pending(),
                }
                on:change=move |ev| {
                    cancel_pending();
                    let keep = format_date(ctx.as_of.get_untracked());
                    match parse_date(&event_target_value(&ev)) {
                        // A future date would score check-ins not made yet: refused, the previous date kept.
                        // Refused, the scores go back to the date shown before typing. The
                        // field is left as typed while it has the focus (a date typed part by
                        // part, 12/31, passes 12/29: reset, the rest of it would land in the
                        // wrong parts), and shows the date in force once it is left.
                        Ok(d) if d > browser::today() => {
                            let back = before_typing.get_value().unwrap_or_else(|| ctx.as_of.get_untracked());
                            error.set(as_of_refusal(d, browser::today(), back));
                            // Set only if it moved: setting it redraws the field from it.
                            if ctx.as_of.get_untracked() != back {
                                ctx.as_of.set(back);
                            }
                            let field = event_target::<web_sys::HtmlInputElement>(&ev);
                            if document().active_element().as_deref() != Some(field.as_ref()) {
                                field.set_value(&format_date(back));
                            }
                        }
                        // A date field typed digit by digit passes through years such as
                        // 0002 or 0202: refused without touching the field, so typing goes on.
                        Ok(d) if d.year() < EARLIEST_AS_OF_YEAR => {
                            error.set(as_of_refusal(d, browser::today(), ctx.as_of.get_untracked()));
                        }
                        // Being typed (the field has the focus): taken once typing pauses.
                        Ok(d) if is_typing(&ev) => { error.set(None); take_soon(d) }
                        Ok(d) => { error.set(None); set_as_of(d) }
                        // An empty or partly typed field: the previous date stays in force.
                        Err(e) => error.set(Some(format!("{e}; still showing {keep}."))),
                    }
                }/>
            <button type="button" class="button button--small" data-testid="as-of-forward" aria-label="One week later" disabled=at_today
                on:click=move |_| { error.set(None); set_as_of(add_days(shown(), 7).min(browser::today())) }>"▶"</button>
            <button type="button" class="button button--small" data-testid="as-of-today" on:click=move |_| { error.set(None); set_as_of(browser::today()) }>"Today"</button>
            <span id="as-of-error" class="field__error" role="alert" data-testid="as-of-error">{move || error.get()}</span>
        </div>
    }
    .into_any()
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum SortKey {
    Name,
    Autonomy,
    Supported,
    Gap,
    TrackRecord,
    Rigor,
    Flags,
}

#[component]
pub fn Overview() -> impl IntoView {
    let ctx = use_app();
    let empty = Memo::new(move |_| ctx.ws.with(|w| w.units.is_empty()));
    view! {
        <PageHeader title="Overview" lead="Granted autonomy against the autonomy your accountability system can vouch for. Above the diagonal, autonomy outruns measurement.">
            <AsOfPicker/>
            {move || (!empty.get() && ctx.map_only.with_value(Option::is_none)).then(|| view! { <super::SharePanel/> })}
        </PageHeader>
        {move || if ctx.map_only.with_value(Option::is_some) {
            view! { <MapOnlyView/> }.into_any()
        } else if empty.get() {
            view! {
                <EmptyState title="Nothing to map yet" testid="overview-empty">
                    <p>"The org map places every unit by the autonomy it is granted and the autonomy its results and measurement support."</p>
                    <ol class="steps">
                        <li><a href="#/units">"Add units"</a>" — teams and people, leaders first."</li>
                        <li>"Record the autonomy each holds per decision area, on its unit page."</li>
                        <li>"Add commitments with a baseline, target and due date, then check in weekly."</li>
                    </ol>
                    <p>"Or explore a plausible company with a year of history, where every situation the method looks for appears at least once:"</p>
                    <p><button type="button" class="button button--primary" data-testid="overview-load-sample" on:click=move |_| {
                        ctx.load_sample();
                        // The button sits low on a phone, and goes with the empty page: the
                        // organisation starts at the top, the focus on its heading.
                        browser::scroll_to_top();
                        browser::focus_heading();
                    }>"Open the sample organisation"</button></p>
                </EmptyState>
            }.into_any()
        } else {
            view! { <OverviewContent/> }.into_any()
        }}
    }
}

/// A map-only snapshot: the org map and its table, nothing else.
#[component]
fn MapOnlyView() -> impl IntoView {
    let ctx = use_app();
    let svg = Callback::new(move |width: u32| super::share::map_svg(ctx, width, None));
    let rows = Signal::derive(move || {
        ctx.map_only.with_value(|m| {
            m.as_ref()
                .map(|m| {
                    m.points
                        .iter()
                        .map(|p| vec![p.name.clone(), f0(p.x), f0(p.y), format!("{:+.0}", p.y - p.x), p.verdict.as_str().to_owned(), if p.leader { "leader".into() } else { String::new() }])
                        .collect()
                })
                .unwrap_or_default()
        })
    });
    view! {
        <div class="overview" data-testid="map-only">
            <ChartFigure svg=svg name="org-map" caption="A shared org map: each unit at x = supported autonomy S, y = granted autonomy A. This link carries no other records."
                headings=vec!["Unit", "S", "A", "Gap", "Recommendation", "Role"] rows=rows testid="org-map"/>
        </div>
    }
}

#[component]
fn OverviewContent() -> impl IntoView {
    let ctx = use_app();
    // The map's points, computed once for the chart and its table.
    let points = Memo::new(move |_| ctx.scores.with(|scores| ctx.ws.with(|w| map_points(w, scores))));
    let regions = Memo::new(move |_| ctx.ws.with(|w| crate::core::series::MapRegions::from_policy(&w.policy)));
    let svg = Callback::new(move |width: u32| points.with(|p| charts::org_map_with(p, ctx.theme.get(), width, None, &regions.get())));
    let rows = Signal::derive(move || {
        ctx.ws.with(|w| {
            points.with(|points| {
                points
                    .iter()
                    .map(|p| {
                        let verdict = match &p.withheld {
                            Some(why) => format!("{} ({why})", p.verdict.as_str()),
                            None => p.verdict.as_str().to_owned(),
                        };
                        vec![p.name.clone(), f0(p.x), f0(p.y), w.policy.gap_between(p.y, p.x), verdict, if p.leader { "leader".into() } else { String::new() }]
                    })
                    .collect()
            })
        })
    });
    let org = move |f: fn(&crate::core::score::OrgScore) -> String| Signal::derive(move || ctx.scores.with(|s| f(&s.org)));
    view! {
        <div class="overview">
            <section class="overview__stats" aria-label="Organisation">
                <super::Stat label="Units" testid="stat-units" value=org(|o| o.units.to_string())/>
                <super::Stat label="Mean granted A" testid="stat-mean-a" value=org(|o| f0(o.mean_autonomy))/>
                <super::Stat label="Mean supported S" testid="stat-mean-s" value=org(|o| f0(o.mean_supported))/>
                <super::Stat label="Org rigor" testid="stat-rigor" value=org(|o| f2(o.rigor.value))/>
                <super::Stat label="Expand · hold · contract" testid="stat-verdicts" value=org(|o| format!("{} · {} · {}", o.expand, o.hold, o.contract))/>
            </section>
            <div class="overview__grid">
                <ChartFigure svg=svg name="org-map" caption="Each unit at x = supported autonomy S, y = granted autonomy A. The shaded regions are the policy's Overextended and Starved margins; a hollow point lies in the starved region without the flag (its track record is below the policy's threshold for it). Squares are leaders; size shows how much evidence there is. Select a point to open its unit."
                    headings=vec!["Unit", "S", "A", "Gap", "Recommendation", "Role"] rows=rows testid="org-map" open_units=true/>
                <FlagsList/>
            </div>
            <Scoreboard/>
        </div>
    }
}

#[component]
fn FlagsList() -> impl IntoView {
    let ctx = use_app();
    let flags = Memo::new(move |_| {
        ctx.scores.with(|scores| {
            ctx.ws.with(|w| {
                scores
                    .flags_by_severity()
                    .into_iter()
                    .map(|(u, f)| {
                        // A gap flag on a unit whose expansion or contraction waits for its
                        // results: the unit's page holds, and says so here too.
                        let waiting = scores
                            .unit(u)
                            .and_then(|s| s.recommendation.waiting.as_ref())
                            .filter(|_| matches!(f.kind, FlagKind::Starved | FlagKind::Overextended))
                            .map(|a| format!("{} on {}: the recommendation holds until results due after that are scored.", a.past_tense(), crate::core::format_date(a.date)));
                        (u, w.unit_name(u).to_owned(), f.kind, f.reason.clone(), scores.unit(u).and_then(|s| f.kind.quote_for(s)), waiting)
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    let show_all = RwSignal::new(false);
    // How many there are, in the heading: the list scrolls inside the card.
    let count = move || flags.with(|f| if f.is_empty() { String::new() } else { format!(" ({})", f.len()) });
    view! {
        <section class="card flags" data-testid="flags">
            <h2 class="card__title">"Flags to act on"<span data-testid="flags-count">{count}</span></h2>
            {move || {
                let mut all = flags.get();
                let total = all.len();
                if !show_all.get() {
                    all.truncate(FIRST_FLAGS);
                }
                if all.is_empty() {
                    view! { <p class="muted" data-testid="flags-empty">"No flags: granted autonomy matches what measurement supports."</p> }.into_any()
                } else {
                    view! {
                        <ul class="flags__list" data-testid="flags-list">
                            {all.into_iter().map(|(u, name, kind, reason, quote, waiting)| view! {
                                <li class=format!("flag flag--{}", kind.as_str()) data-testid="flag" data-flag=kind.as_str()>
                                    <span class=format!("flag__badge flag__badge--s{}", kind.severity())>{kind.label()}</span>
                                    <a class="flag__unit" href=format!("#/units/{}", u.0)>{name}</a>
                                    <span class="flag__reason">{reason}</span>
                                    {waiting.map(|t| view! { <span class="flag__reason" data-testid="flag-waiting">{t}</span> })}
                                    {quote.map(|q| view! { <span class="flag__why">{q}</span> })}
                                    <FlagChanges unit=u kind=kind/>
                                </li>
                            }).collect_view()}
                        </ul>
                        <ShowAll first=FIRST_FLAGS total=total what="flags" show_all=show_all/>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The most severe flags shown at first; a large organisation can have hundreds.
const FIRST_FLAGS: usize = 25;
/// Scoreboard rows shown at first, in the chosen order.
const FIRST_ROWS: usize = 50;

/// The scoreboard's colour for a gap, from the policy's margins.
fn gap_class(policy: &crate::core::Policy, gap: f64) -> &'static str {
    match policy.gap_band(gap) {
        crate::core::GapBand::Overextended => "num num--warning",
        crate::core::GapBand::Headroom => "num num--good",
        crate::core::GapBand::Balanced => "num",
    }
}

/// What would clear a flag: computed (by re-scoring changed copies of the unit's
/// records) only when opened, so a long list of flags costs nothing until asked.
#[component]
fn FlagChanges(unit: UnitId, kind: FlagKind) -> impl IntoView {
    let ctx = use_app();
    let open = RwSignal::new(false);
    let changes = move || {
        open.get().then(|| {
            let Some(score) = ctx.scores.with(|s| s.unit(unit).cloned()) else { return (Vec::new(), None) };
            let as_of = ctx.as_of.get();
            let list = ctx.ws.with(|w| unit_counterfactuals(w, &w.policy, &score, as_of)).into_iter().filter(|c| c.clears.contains(&kind)).map(|c| c.summary).collect::<Vec<_>>();
            (list, score.recommendation.waiting)
        })
    };
    view! {
        <details class="flag__changes" data-testid="flag-changes">
            <summary on:click=move |_| open.update(|o| *o = !*o)>"What would clear it"</summary>
            {move || changes().map(|(list, waiting)| if list.is_empty() {
                view! { <p class="muted">{crate::core::explain::no_single_change(waiting.as_ref(), "clears it")}</p> }.into_any()
            } else {
                view! { <ul>{list.into_iter().map(|c| view! { <li data-testid="flag-change">{c}</li> }).collect_view()}</ul> }.into_any()
            })}
        </details>
    }
}

/// One scoreboard row, as shown.
#[derive(Clone, PartialEq)]
struct ScoreRow {
    unit: UnitId,
    name: String,
    autonomy: String,
    supported: String,
    /// The gap, rounded on the same side of the policy's margins as the flags read it.
    gap: String,
    /// The gap's colour class, from the policy's margins.
    gap_class: &'static str,
    track_record: String,
    rigor: String,
    verdict: &'static str,
    flags: String,
}

#[component]
fn Scoreboard() -> impl IntoView {
    let ctx = use_app();
    let sort = RwSignal::new((SortKey::Gap, true));
    let team = RwSignal::new(String::new());
    let show_all = RwSignal::new(false);
    let leaders = move || ctx.ws.with(|w| w.units.iter().filter(|u| w.units.iter().any(|c| c.parent == Some(u.id))).map(|u| (u.id, u.name.to_string())).collect::<Vec<_>>());
    let listed = Memo::new(move |_| {
        let (key, desc) = sort.get();
        ctx.scores.with(|scores| {
            ctx.ws.with(|w| {
                let keep: Option<Vec<UnitId>> = team.get().parse().ok().map(|id| w.subtree(UnitId(id)));
                let mut rows: Vec<&crate::core::UnitScore> = scores.units.iter().filter(|s| keep.as_ref().is_none_or(|k| k.contains(&s.unit))).collect();
                rows.sort_by(|a, b| {
                    let o = match key {
                        SortKey::Name => w.unit_name(a.unit).to_lowercase().cmp(&w.unit_name(b.unit).to_lowercase()),
                        SortKey::Autonomy => a.autonomy.total_cmp(&b.autonomy),
                        SortKey::Supported => a.supported.total_cmp(&b.supported),
                        SortKey::Gap => a.gap.total_cmp(&b.gap),
                        SortKey::TrackRecord => a.track_record.total_cmp(&b.track_record),
                        SortKey::Rigor => a.rigor.value.total_cmp(&b.rigor.value),
                        SortKey::Flags => a.flags.len().cmp(&b.flags.len()),
                    };
                    if desc {
                        o.reverse()
                    } else {
                        o
                    }
                });
                let total = rows.len();
                if !show_all.get() {
                    rows.truncate(FIRST_ROWS);
                }
                // Only what the row shows, not copies of whole unit scores.
                let rows = rows
                    .into_iter()
                    .map(|s| ScoreRow {
                        unit: s.unit,
                        name: w.unit_name(s.unit).to_owned(),
                        autonomy: f0(s.autonomy),
                        supported: f0(s.supported),
                        gap: w.policy.gap_between(s.autonomy, s.supported),
                        gap_class: gap_class(&w.policy, s.gap),
                        track_record: f2(s.track_record),
                        rigor: f2(s.rigor.value),
                        verdict: s.recommendation.verdict.as_str(),
                        flags: s.flags.iter().map(|f| f.kind.label()).collect::<Vec<_>>().join(", "),
                    })
                    .collect::<Vec<_>>();
                (rows, total)
            })
        })
    });
    let header = move |label: &'static str, key: SortKey| {
        let aria = move || {
            let (k, d) = sort.get();
            if k == key {
                if d {
                    "descending"
                } else {
                    "ascending"
                }
            } else {
                "none"
            }
        };
        view! {
            <th scope="col" aria-sort=aria data-view="">
                <button type="button" class="table__sort" data-testid=format!("sort-{}", label.to_lowercase()) on:click=move |_| sort.update(|(k, d)| { if *k == key { *d = !*d } else { *k = key; *d = key != SortKey::Name } })>
                    {label}
                    <span aria-hidden="true">{move || { let (k, d) = sort.get(); if k == key { if d { " ▼" } else { " ▲" } } else { "" } }}</span>
                </button>
            </th>
        }
    };
    view! {
        <section class="card" data-testid="scoreboard">
            <div class="card__head">
                <h2 class="card__title">"Scoreboard"</h2>
                <div class="field field--compact" data-view="">
                    <label for="team-filter">"Team"</label>
                    <select id="team-filter" data-testid="team-filter" on:change=move |ev| team.set(event_target_value(&ev))>
                        <option value="">"Whole organisation"</option>
                        {move || leaders().into_iter().map(|(id, n)| view! { <option value=id.0.to_string()>{n}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="table-wrap" tabindex="0" role="region" aria-label="Scoreboard table">
                <table class="table table--scores">
                    <thead>
                        <tr>
                            {header("Unit", SortKey::Name)}
                            {header("A", SortKey::Autonomy)}
                            {header("S", SortKey::Supported)}
                            {header("Gap", SortKey::Gap)}
                            {header("TR", SortKey::TrackRecord)}
                            {header("R", SortKey::Rigor)}
                            <th scope="col">"Recommendation"</th>
                            {header("Flags", SortKey::Flags)}
                        </tr>
                    </thead>
                    <tbody>
                        {move || listed.get().0.into_iter().map(|s| view! {
                            <tr data-testid="scoreboard-row" data-unit-id=s.unit.0.to_string()>
                                <th scope="row"><a href=format!("#/units/{}", s.unit.0)>{s.name}</a></th>
                                <td class="num">{s.autonomy}</td>
                                <td class="num">{s.supported}</td>
                                <td class=s.gap_class>{s.gap}</td>
                                <td class="num">{s.track_record}</td>
                                <td class="num">{s.rigor}</td>
                                <td><span class=format!("verdict verdict--{}", s.verdict)>{s.verdict}</span></td>
                                <td>{s.flags}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
            {move || { let total = listed.with(|l| l.1); view! { <ShowAll first=FIRST_ROWS total=total what="units" show_all=show_all/> } }}
        </section>
    }
}
