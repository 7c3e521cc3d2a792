//! The law, computed: granted autonomy A, track record TR, rigor R, supported autonomy
//! S = 100 × R × TR, the gap A − S, a recommendation, flags, leadership and profiles.
//! Scores are a pure function of (workspace, policy, as-of date).

use serde::Serialize;
use time::Date;

use super::model::*;
use super::policy::Policy;

/// Whole days from `a` to `b` (negative when `b` is earlier).
pub fn days_between(a: Date, b: Date) -> i64 {
    i64::from(b.to_julian_day()) - i64::from(a.to_julian_day())
}

/// `date` moved by `days` (saturating at the calendar's ends).
pub fn add_days(date: Date, days: i64) -> Date {
    Date::from_julian_day(date.to_julian_day().saturating_add(days.clamp(-3_000_000, 3_000_000) as i32)).unwrap_or(if days < 0 { Date::MIN } else { Date::MAX })
}

/// The six parts of rigor, in policy-weight order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentKind {
    Speed,
    Clarity,
    OutcomeFocus,
    Objectivity,
    Visibility,
    Consequence,
}

impl ComponentKind {
    pub const ALL: [ComponentKind; 6] = [ComponentKind::Speed, ComponentKind::Clarity, ComponentKind::OutcomeFocus, ComponentKind::Objectivity, ComponentKind::Visibility, ComponentKind::Consequence];
    pub fn label(self) -> &'static str {
        match self {
            ComponentKind::Speed => "Speed",
            ComponentKind::Clarity => "Clarity",
            ComponentKind::OutcomeFocus => "Outcome focus",
            ComponentKind::Objectivity => "Objectivity",
            ComponentKind::Visibility => "Visibility",
            ComponentKind::Consequence => "Consequence",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ComponentKind::Speed => "speed",
            ComponentKind::Clarity => "clarity",
            ComponentKind::OutcomeFocus => "outcome_focus",
            ComponentKind::Objectivity => "objectivity",
            ComponentKind::Visibility => "visibility",
            ComponentKind::Consequence => "consequence",
        }
    }
    /// What the component asks, in one sentence.
    pub fn question(self) -> &'static str {
        match self {
            ComponentKind::Speed => "How soon after something happens is it measured?",
            ComponentKind::Clarity => "Does every commitment say where it starts, where it must get to, by when, and how often it is checked?",
            ComponentKind::OutcomeFocus => "Is it measuring customer value, revenue and system performance rather than activity?",
            ComponentKind::Objectivity => "Can someone other than the owner verify the numbers?",
            ComponentKind::Visibility => "Can everyone see the results?",
            ComponentKind::Consequence => "Do results lead to a review of scope?",
        }
    }
}

/// One part of rigor with the counts it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Component {
    pub kind: ComponentKind,
    /// 0..=1.
    pub value: f64,
    pub weight: f64,
    /// False when there is nothing yet to judge (only consequence can be unmeasured):
    /// it then stays out of the mean.
    pub measured: bool,
    /// For speed: the median gap in days; otherwise the count (or weight) that passes.
    pub numerator: f64,
    /// For speed: the number of gaps; otherwise the count (or weight) considered.
    pub denominator: f64,
}

/// Rigor of an accountability system: the weighted geometric mean of its components.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rigor {
    pub value: f64,
    pub components: [Component; 6],
    /// Commitments active in the look-back window.
    pub commitments: u32,
    /// Check-ins in the look-back window.
    pub checkins: u32,
    /// Every gap between check-ins (days) behind the speed component, so the org's
    /// rigor pools its units' without rescanning check-ins.
    #[serde(skip)]
    pub gaps: Vec<u32>,
}

impl Rigor {
    pub fn component(&self, kind: ComponentKind) -> &Component {
        &self.components[kind as usize]
    }
    /// The components left out of the weighted geometric mean, each with why.
    pub fn left_out(&self) -> Vec<(ComponentKind, &'static str)> {
        self.components
            .iter()
            .filter_map(|c| {
                if !c.measured {
                    Some((c.kind, "nothing is due long enough to judge yet"))
                } else if c.weight <= 0.0 {
                    Some((c.kind, "its weight in the policy is 0"))
                } else {
                    None
                }
            })
            .collect()
    }
}

/// Weighted geometric mean of measured components: one weak part drags it down,
/// a zero part makes it zero.
pub fn combine_rigor(components: &[Component; 6]) -> f64 {
    let mut log_sum = 0.0;
    let mut weight_sum = 0.0;
    for c in components.iter().filter(|c| c.measured && c.weight > 0.0) {
        if c.value <= 0.0 {
            return 0.0;
        }
        log_sum += c.weight * c.value.min(1.0).ln();
        weight_sum += c.weight;
    }
    if weight_sum <= 0.0 {
        0.0
    } else {
        (log_sum / weight_sum).exp().clamp(0.0, 1.0)
    }
}

/// Where a commitment stands against the straight path from baseline to target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PathStatus {
    /// No baseline/target or no due date: no path to compare with.
    NoPath,
    /// No check-in yet.
    NoData,
    Ahead,
    OnPath,
    Behind,
    /// Due and met (attainment ≥ 1).
    Met,
    /// Due and missed.
    Missed,
}

impl PathStatus {
    pub fn label(self) -> &'static str {
        match self {
            PathStatus::NoPath => "no path",
            PathStatus::NoData => "no data",
            PathStatus::Ahead => "ahead",
            PathStatus::OnPath => "on path",
            PathStatus::Behind => "behind",
            PathStatus::Met => "met",
            PathStatus::Missed => "missed",
        }
    }
}

/// `scored` as `["YYYY-MM-DD", value]`.
fn scored_as_text<S: serde::Serializer>(v: &Option<(Date, f64)>, s: S) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&v.map(|(d, x)| (crate::core::format_date(d), x)), s)
}

/// A commitment as of a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CommitmentScore {
    pub id: CommitmentId,
    pub owner: UnitId,
    /// Started on or before the as-of date.
    pub started: bool,
    /// Due on or before the as-of date.
    pub due: bool,
    /// The value scored and its date.
    #[serde(serialize_with = "scored_as_text")]
    pub scored: Option<(Date, f64)>,
    /// Attainment in [0, cap]; `None` when there is no value or no baseline/target.
    pub attainment: Option<f64>,
    /// Share of the way from baseline to target expected by now, on a straight path.
    pub expected: Option<f64>,
    pub path: PathStatus,
    /// Due (or started) with no check-in that can be scored.
    pub unverified: bool,
    pub stale: bool,
    pub vague: bool,
    #[serde(with = "crate::core::dates::iso::option")]
    pub last_checkin: Option<Date>,
}

/// The recommendation about a unit's scope, with its reason.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub verdict: Verdict,
    pub reason: String,
    /// What the law alone says; it differs from `verdict` only while an expansion or
    /// contraction waits for its results (see [`Action`]).
    pub law: Verdict,
    /// The expansion or contraction whose results are awaited, when the recommendation
    /// holds because of it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiting: Option<Action>,
}

/// An expansion or contraction already acted on: a review with that verdict, or a day of
/// grant changes that raised or lowered granted autonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Action {
    /// Expand or contract.
    pub verdict: Verdict,
    #[serde(with = "crate::core::dates::iso")]
    pub date: Date,
    /// True when a grant change (rather than a review alone) made it.
    pub by_grant: bool,
    /// The unit's commitments due after the action and scored by the as-of date.
    pub results_since: u32,
    /// When the next commitment of the unit falls due after the as-of date, if any.
    #[serde(with = "crate::core::dates::iso::option")]
    pub next_due: Option<Date>,
}

impl Action {
    /// "Contracted" or "Expanded".
    pub fn past_tense(&self) -> &'static str {
        match self.verdict {
            Verdict::Expand => "Expanded",
            Verdict::Contract => "Contracted",
            Verdict::Hold => "Held",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlagKind {
    Shield,
    Overextended,
    LeaderWithoutResults,
    LowLeadershipRatio,
    Stale,
    Vague,
    FeelingsOnly,
    Starved,
}

impl FlagKind {
    pub fn label(self) -> &'static str {
        match self {
            FlagKind::Overextended => "Overextended",
            FlagKind::Starved => "Starved",
            FlagKind::Stale => "Stale",
            FlagKind::Vague => "Vague",
            FlagKind::FeelingsOnly => "Feelings only",
            FlagKind::Shield => "Shield",
            FlagKind::LeaderWithoutResults => "Leader without results",
            FlagKind::LowLeadershipRatio => "Leadership ratio below 1",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::Overextended => "overextended",
            FlagKind::Starved => "starved",
            FlagKind::Stale => "stale",
            FlagKind::Vague => "vague",
            FlagKind::FeelingsOnly => "feelings-only",
            FlagKind::Shield => "shield",
            FlagKind::LeaderWithoutResults => "leader-without-results",
            FlagKind::LowLeadershipRatio => "low-leadership-ratio",
        }
    }
    /// 3 act now, 2 act this quarter, 1 tidy up.
    pub fn severity(self) -> u8 {
        match self {
            FlagKind::Shield | FlagKind::Overextended => 3,
            FlagKind::LeaderWithoutResults | FlagKind::LowLeadershipRatio | FlagKind::Starved => 2,
            FlagKind::Stale | FlagKind::Vague | FlagKind::FeelingsOnly => 1,
        }
    }
    /// The essay's sentence behind the flag, quoted and attributed: the essay's point,
    /// not the app's words to the person.
    pub fn essay_quote(self) -> String {
        format!("The essay: \u{201c}{}\u{201d}", self.essay())
    }
    /// What a flag shows beside its reason: the essay's sentence, except for a unit with
    /// nothing measured yet, where the Overextended warning ("… is suicide") would read as
    /// a verdict on a team that has not started; its reason already says what to do.
    pub fn quote_for(self, unit: &UnitScore) -> Option<String> {
        (self != FlagKind::Overextended || unit.rigor.commitments > 0).then(|| self.essay_quote())
    }
    /// The essay's reasoning behind the flag.
    pub fn essay(self) -> &'static str {
        match self {
            FlagKind::Overextended => "If you have a weak, slow, or vague system for measuring results, granting wide-ranging autonomy is suicide.",
            FlagKind::Starved => "People who deliver results get more scope.",
            FlagKind::Stale => "It's like giving a teenager the keys to a supercar with no speedometer, no GPS, and a promise to \u{2018}check in next quarter.\u{2019}",
            FlagKind::Vague => "A proper accountability system is not about blame. It is about clarity and consequences.",
            FlagKind::FeelingsOnly => "If you want a more autonomous culture, don't start by talking about feelings or trust falls.",
            FlagKind::Shield => "They are delegating the decision but deflecting the accountability.",
            FlagKind::LeaderWithoutResults => "The scope of their freedom is matched by the weight of their accountability.",
            FlagKind::LowLeadershipRatio => "True leadership is accepting a level of accountability that is greater than the autonomy you personally exercise.",
        }
    }
}

/// Something to act on, with the numbers and the records behind it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flag {
    pub kind: FlagKind,
    pub reason: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub commitments: Vec<CommitmentId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<DecisionId>,
}

/// A failure mode the evidence resembles. It describes evidence, not character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    NotEnoughEvidence,
    BrilliantButIdle,
    BusyButIneffective,
    SelfServing,
    TrustedOperator,
    /// Delivers, but the autonomy granted runs ahead of what the measurement supports:
    /// never called trusted while the verdict is to contract.
    DeliversScopeAhead,
    /// Delivers, but an open commitment has gone without a check-in (a Stale flag): never
    /// called trusted while the measurement has lapsed.
    DeliversMeasurementLapsed,
    NoClearPattern,
}

impl Profile {
    pub fn label(self) -> &'static str {
        match self {
            Profile::NotEnoughEvidence => "Not enough evidence",
            Profile::BrilliantButIdle => "Brilliant but idle",
            Profile::BusyButIneffective => "Busy but ineffective",
            Profile::SelfServing => "Self-serving",
            Profile::TrustedOperator => "Trusted operator",
            Profile::DeliversScopeAhead => "Delivers, scope ahead of the evidence",
            Profile::DeliversMeasurementLapsed => "Delivers, measurement lapsed",
            Profile::NoClearPattern => "No clear pattern",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::NotEnoughEvidence => "not-enough-evidence",
            Profile::BrilliantButIdle => "brilliant-but-idle",
            Profile::BusyButIneffective => "busy-but-ineffective",
            Profile::SelfServing => "self-serving",
            Profile::TrustedOperator => "trusted-operator",
            Profile::DeliversScopeAhead => "delivers-scope-ahead",
            Profile::DeliversMeasurementLapsed => "delivers-measurement-lapsed",
            Profile::NoClearPattern => "no-clear-pattern",
        }
    }
    pub fn description(self) -> &'static str {
        match self {
            Profile::NotEnoughEvidence => "Fewer than the required due commitments or reviewed decisions: no pattern is claimed.",
            Profile::BrilliantButIdle => "Decisions turn out well, but little of what was committed gets delivered.",
            Profile::BusyButIneffective => "Frequent activity and check-ins, but commitments are mostly missed.",
            Profile::SelfServing => "Activity measures are met while customer measures are missed.",
            Profile::TrustedOperator => "Delivers what was committed, measured rigorously: the evidence that supports autonomy.",
            Profile::DeliversScopeAhead => {
                "Delivers what was committed, but the autonomy granted is wider than the measurement can vouch for: strengthen what is missing before the scope can be trusted."
            }
            Profile::DeliversMeasurementLapsed => "Delivers what was committed, but open commitments have gone without a check-in: check in on them before the record can vouch for more autonomy.",
            Profile::NoClearPattern => "The evidence matches none of the failure modes.",
        }
    }

    /// The description beside a unit with `flags` flags: a unit with flags and no clear
    /// profile is not told that nothing matches, since its flags do.
    pub fn description_with_flags(self, flags: usize) -> &'static str {
        match self {
            Profile::NoClearPattern if flags > 0 => "No single failure-mode profile fits; the flags say what to act on.",
            p => p.description(),
        }
    }
}

/// One area's grant in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AreaTerm {
    pub area: AreaId,
    pub rung: u8,
    pub level: u8,
    #[serde(with = "crate::core::dates::iso")]
    pub since: Date,
    /// rung/5 × (level−1)/6.
    pub value: f64,
}

/// One due commitment's part in the track record.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackTerm {
    pub commitment: CommitmentId,
    /// Attainment used (capped at 1; 0 when unverified).
    pub attainment: f64,
    pub unverified: bool,
    pub age_days: i64,
    pub weight: f64,
    /// weight × 0.5^(age/half-life).
    pub decayed_weight: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrackWhy {
    pub terms: Vec<TrackTerm>,
    pub prior: f64,
    pub prior_strength: f64,
    pub weighted_sum: f64,
    pub weight_sum: f64,
}

/// A leader's record of answering for outcomes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leadership {
    pub reports: Vec<UnitId>,
    /// Reviewed outcomes of the leader's and their reports' decisions.
    pub reviewed: u32,
    /// Of those, how many list the leader as accountable.
    pub accountable: u32,
    /// accountable share ÷ (A/100); `None` when A is 0 or nothing was reviewed.
    pub ratio: Option<f64>,
    /// Delegated bad or mixed outcomes of reports, and how many the leader answered for.
    pub delegated_bad: u32,
    pub delegated_bad_accepted: u32,
}

/// What the evidence shows is strong and what is missing, with the numbers: the card
/// says both instead of praising what the verdict rejects.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Assessment {
    pub strong: Vec<String>,
    pub missing: Vec<String>,
}

/// Everything known about one unit as of a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitScore {
    pub unit: UnitId,
    /// Granted autonomy, 0..=100.
    pub autonomy: f64,
    pub autonomy_terms: Vec<AreaTerm>,
    /// Track record, 0..=1.
    pub track_record: f64,
    pub track_why: TrackWhy,
    pub rigor: Rigor,
    /// Supported autonomy S = 100 × R × TR.
    pub supported: f64,
    /// A − S.
    pub gap: f64,
    pub recommendation: Recommendation,
    pub flags: Vec<Flag>,
    pub leadership: Option<Leadership>,
    pub profile: Profile,
    pub assessment: Assessment,
    /// Due commitments plus reviewed decisions: how much the scores rest on.
    pub evidence: u32,
    /// Mean felt autonomy (1..=5) of pulses in the rigor window, if any.
    pub pulse: Option<f64>,
}

impl UnitScore {
    pub fn has_flag(&self, kind: FlagKind) -> bool {
        self.flags.iter().any(|f| f.kind == kind)
    }
    pub fn is_leader(&self) -> bool {
        self.leadership.is_some()
    }
    /// No commitment is due yet: the track record is the prior, not a result.
    pub fn no_results(&self) -> bool {
        self.track_why.terms.is_empty()
    }
    /// The profile's description as it reads beside this unit's flags.
    pub fn profile_description(&self) -> &'static str {
        self.profile.description_with_flags(self.flags.len())
    }
}

/// The organisation as a whole.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrgScore {
    pub units: u32,
    pub mean_autonomy: f64,
    pub mean_supported: f64,
    pub mean_track_record: f64,
    /// Rigor over every commitment of the organisation.
    pub rigor: Rigor,
    pub expand: u32,
    pub hold: u32,
    pub contract: u32,
    pub flags: u32,
}

/// Every score as of one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    #[serde(with = "crate::core::dates::iso")]
    pub as_of: Date,
    /// In the workspace's unit order.
    pub units: Vec<UnitScore>,
    /// In the workspace's commitment order.
    pub commitments: Vec<CommitmentScore>,
    pub org: OrgScore,
}

impl Scores {
    pub fn unit(&self, id: UnitId) -> Option<&UnitScore> {
        self.units.iter().find(|u| u.unit == id)
    }
    pub fn commitment(&self, id: CommitmentId) -> Option<&CommitmentScore> {
        self.commitments.iter().find(|c| c.id == id)
    }
    /// Every flag of every unit, most severe first, then by unit order.
    pub fn flags_by_severity(&self) -> Vec<(UnitId, &Flag)> {
        let mut all: Vec<(UnitId, &Flag)> = self.units.iter().flat_map(|u| u.flags.iter().map(move |f| (u.unit, f))).collect();
        all.sort_by_key(|(_, f)| (std::cmp::Reverse(f.kind.severity()), f.kind));
        all
    }
}

/// Scores the whole workspace as of a date.
///
/// ```
/// use latitude::core::{score, parse_date, Name, UnitKind, Workspace};
/// let mut ws = Workspace::new(Name::new("Acme").unwrap());
/// let team = ws.add_unit(Name::new("Platform").unwrap(), UnitKind::Team, None, String::new()).unwrap();
/// let scores = score(&ws, &ws.policy, parse_date("2026-01-04").unwrap());
/// let s = scores.unit(team).unwrap();
/// // Nothing granted, nothing measured: no autonomy, no rigor, the prior track record.
/// assert_eq!((s.autonomy, s.rigor.value, s.track_record), (0.0, 0.0, 0.5));
/// ```
pub fn score(ws: &Workspace, policy: &Policy, as_of: Date) -> Scores {
    // Check-ins are in date order by construction (`CheckInLog`), as binary search needs.
    Scorer::new(ws, policy).score_all(as_of)
}

/// Re-scores after the check-ins of one commitment changed: only its owner, the
/// commitment itself and the org aggregates are recomputed.
pub fn rescore_commitment(scores: &mut Scores, ws: &Workspace, policy: &Policy, commitment: CommitmentId) {
    let as_of = scores.as_of;
    let Some(ci) = ws.commitments.iter().position(|c| c.id == commitment) else {
        *scores = score(ws, policy, as_of);
        return;
    };
    let scorer = Scorer::new(ws, policy);
    if scores.commitments.len() != ws.commitments.len() || scores.units.len() != ws.units.len() {
        *scores = scorer.score_all(as_of);
        return;
    }
    let c = &ws.commitments[ci];
    scores.commitments[ci] = scorer.commitment(c, as_of);
    if let Some(&ui) = scorer.index.pos.get(&c.owner) {
        scores.units[ui] = scorer.unit(ui, as_of);
    }
    scores.org = scorer.org(&scores.units);
}

/// Beyond this many changed commitments a full score is as quick.
const MAX_INCREMENTAL: usize = 8;

/// Scores `now`, given the scores of an earlier version `before` as of the same date:
/// when only check-ins of a few commitments changed, only those and their owners are
/// re-scored; otherwise everything is. The result equals `score(now, …)` either way.
///
/// It finds what changed by comparing the versions (cheap: they share every list the
/// edit left alone). A command's edit says what it changed and goes through
/// [`rescore_change`] instead; this is for versions that arrive without a
/// [`Change`](super::command::Change): undo and redo, and another tab's save.
pub fn rescore_after(prev: &Scores, before: &Workspace, now: &Workspace, as_of: Date) -> Scores {
    match now.changed_checkins(before) {
        Some(ids) => rescore_commitments(prev, now, &ids, as_of),
        None => score(now, &now.policy, as_of),
    }
}

/// Scores `now`, the version a command's `change` made from the one `prev` was scored
/// on: when the change touched only check-ins of a few commitments, only those and their
/// owners are re-scored; otherwise everything is. Equals `score(now, …)` either way.
pub fn rescore_change(prev: &Scores, now: &Workspace, change: &super::command::Change, as_of: Date) -> Scores {
    match change.checkins_only() {
        Some(ids) => rescore_commitments(prev, now, &ids, as_of),
        None => score(now, &now.policy, as_of),
    }
}

fn rescore_commitments(prev: &Scores, now: &Workspace, ids: &[CommitmentId], as_of: Date) -> Scores {
    if prev.as_of != as_of || ids.len() > MAX_INCREMENTAL {
        return score(now, &now.policy, as_of);
    }
    let mut scores = prev.clone();
    for id in ids {
        rescore_commitment(&mut scores, now, &now.policy, *id);
    }
    scores
}

/// `partition_point` searching from the end: scores are mostly asked for recent dates,
/// whose check-ins sit at the end of each history, so a galloping search touches a few
/// neighbouring entries instead of probing the whole history (which is what made large
/// workspaces slow once they no longer fit the CPU caches).
pub fn count_until<T>(items: &[T], pred: impl Fn(&T) -> bool) -> usize {
    let n = items.len();
    if n == 0 || pred(&items[n - 1]) {
        return n;
    }
    // items[n - 1] fails; find `lo` such that items[lo - 1] passes (or lo = 0).
    let mut hi = n - 1;
    let mut step = 1;
    loop {
        let lo = hi.saturating_sub(step);
        if pred(&items[lo]) {
            return lo + 1 + items[lo + 1..hi].partition_point(&pred);
        }
        if lo == 0 {
            return 0;
        }
        hi = lo;
        step *= 2;
    }
}

/// Records of each unit, by position, built once per scoring run.
struct Index {
    pos: IdMap<UnitId, usize>,
    grants: Vec<Vec<usize>>,
    commitments: Vec<Vec<usize>>,
    decisions: Vec<Vec<usize>>,
    /// Dates of reviews and grant changes, sorted: a grant change counts as a review.
    review_dates: Vec<Vec<Date>>,
    reviews: Vec<Vec<usize>>,
    pulses: Vec<Vec<usize>>,
    children: Vec<Vec<usize>>,
}

impl Index {
    fn build(ws: &Workspace) -> Index {
        let n = ws.units.len();
        let pos: IdMap<UnitId, usize> = ws.units.iter().enumerate().map(|(i, u)| (u.id, i)).collect();
        let mut ix = Index {
            grants: vec![Vec::new(); n],
            commitments: vec![Vec::new(); n],
            decisions: vec![Vec::new(); n],
            review_dates: vec![Vec::new(); n],
            reviews: vec![Vec::new(); n],
            pulses: vec![Vec::new(); n],
            children: vec![Vec::new(); n],
            pos,
        };
        for (i, g) in ws.grants.iter().enumerate() {
            if let Some(&u) = ix.pos.get(&g.unit) {
                ix.grants[u].push(i);
                ix.review_dates[u].push(g.date);
            }
        }
        for (i, c) in ws.commitments.iter().enumerate() {
            if let Some(&u) = ix.pos.get(&c.owner) {
                ix.commitments[u].push(i);
            }
        }
        for (i, d) in ws.decisions.iter().enumerate() {
            if let Some(&u) = ix.pos.get(&d.unit) {
                ix.decisions[u].push(i);
            }
        }
        for (i, r) in ws.reviews.iter().enumerate() {
            if let Some(&u) = ix.pos.get(&r.unit) {
                ix.review_dates[u].push(r.date);
                ix.reviews[u].push(i);
            }
        }
        for (i, p) in ws.pulses.iter().enumerate() {
            if let Some(&u) = ix.pos.get(&p.unit) {
                ix.pulses[u].push(i);
            }
        }
        for (i, u) in ws.units.iter().enumerate() {
            if let Some(&p) = u.parent.and_then(|p| ix.pos.get(&p)) {
                if p != i {
                    ix.children[p].push(i);
                }
            }
        }
        for dates in &mut ix.review_dates {
            dates.sort_unstable();
        }
        ix
    }
}

/// Scoring with an index over one workspace; reusable across as-of dates (series).
pub struct Scorer<'a> {
    ws: &'a Workspace,
    policy: &'a Policy,
    index: Index,
}

impl<'a> Scorer<'a> {
    /// `ws` must have its check-ins in date order (see [`Workspace::normalize`]).
    pub fn new(ws: &'a Workspace, policy: &'a Policy) -> Self {
        Scorer { ws, policy, index: Index::build(ws) }
    }

    pub fn score_all(&self, as_of: Date) -> Scores {
        let commitments = self.ws.commitments.iter().map(|c| self.commitment(c, as_of)).collect();
        let units: Vec<UnitScore> = (0..self.ws.units.len()).map(|i| self.unit(i, as_of)).collect();
        let org = self.org(&units);
        Scores { as_of, units, commitments, org }
    }

    /// Scores one unit by id.
    pub fn unit_by_id(&self, id: UnitId, as_of: Date) -> Option<UnitScore> {
        self.index.pos.get(&id).map(|&i| self.unit(i, as_of))
    }

    fn window_start(&self, as_of: Date) -> Date {
        add_days(as_of, -i64::from(self.policy.rigor_window_days))
    }

    /// Granted autonomy from the grants in force at `as_of`.
    fn autonomy(&self, ui: usize, as_of: Date) -> (f64, Vec<AreaTerm>) {
        let mut latest: Vec<(AreaId, &Grant)> = Vec::new();
        for &gi in &self.index.grants[ui] {
            let g = &self.ws.grants[gi];
            if g.date > as_of {
                continue;
            }
            match latest.iter_mut().find(|(a, _)| *a == g.area) {
                // A later grant supersedes; on the same day the later record is a correction.
                Some(slot) => {
                    if g.date >= slot.1.date {
                        slot.1 = g;
                    }
                }
                None => latest.push((g.area, g)),
            }
        }
        latest.sort_by_key(|(a, _)| *a);
        let terms: Vec<AreaTerm> = latest
            .iter()
            .map(|(area, g)| AreaTerm { area: *area, rung: g.rung.get(), level: g.level.get(), since: g.date, value: f64::from(g.rung.get()) / 5.0 * f64::from(g.level.get() - 1) / 6.0 })
            .collect();
        let a = if terms.is_empty() { 0.0 } else { 100.0 * terms.iter().map(|t| t.value).sum::<f64>() / terms.len() as f64 };
        (a, terms)
    }

    /// The check-in a commitment is scored on at `as_of`: the last on or before the
    /// as-of date, and for a due commitment on or before due + grace.
    fn scored_checkin(&self, c: &'a Commitment, as_of: Date) -> Option<&'a CheckIn> {
        let cutoff = match c.due {
            Some(due) if due <= as_of => as_of.min(add_days(due, i64::from(self.policy.grace_days))),
            _ => as_of,
        };
        let n = count_until(c.checkins(), |k| k.date <= cutoff);
        n.checked_sub(1).map(|i| &c.checkins()[i])
    }

    /// `(value − baseline)/(target − baseline)` clamped to [0, cap]. Validation puts the
    /// target on the side of the baseline its direction asks for, so this respects it.
    pub fn attainment(&self, c: &Commitment, value: f64) -> Option<f64> {
        let (b, t) = (c.baseline?.get(), c.target?.get());
        let span = t - b;
        if span == 0.0 || !span.is_finite() {
            return None;
        }
        let raw = (value - b) / span;
        let raw = match c.direction {
            Direction::Higher if t < b => -raw,
            Direction::Lower if t > b => -raw,
            _ => raw,
        };
        Some(if raw.is_finite() { raw.clamp(0.0, self.policy.attainment_cap) } else { 0.0 })
    }

    pub fn commitment(&self, c: &Commitment, as_of: Date) -> CommitmentScore {
        let started = c.start <= as_of;
        let due = started && c.due.is_some_and(|d| d <= as_of);
        let scored = self.scored_checkin(c, as_of);
        let attainment = scored.and_then(|k| self.attainment(c, k.value.get()));
        let last_checkin = c.checkins()[..count_until(c.checkins(), |k| k.date <= as_of)].last().map(|k| k.date);
        let expected = match (c.due, c.baseline, c.target) {
            (Some(d), Some(_), Some(_)) if started => {
                let total = days_between(c.start, d).max(1) as f64;
                Some((days_between(c.start, as_of) as f64 / total).clamp(0.0, 1.0))
            }
            _ => None,
        };
        let path = match (expected, attainment) {
            (None, _) => PathStatus::NoPath,
            (Some(_), None) => PathStatus::NoData,
            (Some(_), Some(a)) if due => {
                if a >= 1.0 {
                    PathStatus::Met
                } else {
                    PathStatus::Missed
                }
            }
            (Some(e), Some(a)) => {
                let tol = self.policy.path_tolerance;
                if a >= e + tol {
                    PathStatus::Ahead
                } else if a >= e - tol {
                    PathStatus::OnPath
                } else {
                    PathStatus::Behind
                }
            }
        };
        let open = started && !due;
        let stale = open
            && c.cadence_days.is_some_and(|cad| {
                let since = last_checkin.unwrap_or(c.start);
                days_between(since, as_of) as f64 > self.policy.stale_cadences * f64::from(cad)
            });
        CommitmentScore {
            id: c.id,
            owner: c.owner,
            started,
            due,
            scored: scored.map(|k| (k.date, k.value.get())),
            attainment,
            expected,
            path,
            unverified: due && attainment.is_none(),
            stale,
            vague: !c.missing_fields().is_empty(),
            last_checkin,
        }
    }

    /// Track record from the unit's due commitments, recency-weighted and shrunk toward the prior.
    fn track_record(&self, commitments: &[usize], as_of: Date) -> (f64, TrackWhy) {
        let p = self.policy;
        let mut terms = Vec::new();
        let (mut num, mut den) = (0.0, 0.0);
        for &ci in commitments {
            let c = &self.ws.commitments[ci];
            let Some(due) = c.due else { continue };
            if due > as_of || c.start > as_of {
                continue;
            }
            let att = self.scored_checkin(c, as_of).and_then(|k| self.attainment(c, k.value.get()));
            let age = days_between(due, as_of).max(0);
            let decayed = c.weight.get() * 0.5f64.powf(age as f64 / p.half_life_days);
            let a = att.unwrap_or(0.0).min(1.0);
            num += decayed * a;
            den += decayed;
            terms.push(TrackTerm { commitment: c.id, attainment: a, unverified: att.is_none(), age_days: age, weight: c.weight.get(), decayed_weight: decayed });
        }
        let total = den + p.prior_strength;
        let tr = if total > 0.0 { ((num + p.prior_strength * p.prior) / total).clamp(0.0, 1.0) } else { p.prior };
        (tr, TrackWhy { terms, prior: p.prior, prior_strength: p.prior_strength, weighted_sum: num, weight_sum: den })
    }

    /// Rigor over a set of commitments, each judged against its owner's reviews.
    fn rigor<I: Iterator<Item = &'a Commitment>>(&self, commitments: I, as_of: Date) -> Rigor {
        let p = self.policy;
        let w = &p.rigor_weights;
        let window_start = self.window_start(as_of);
        let grace = i64::from(p.grace_days);
        let mut gaps: Vec<i64> = Vec::new();
        let (mut n, mut clear, mut public) = (0u32, 0u32, 0u32);
        let (mut weight_all, mut weight_outcome) = (0.0, 0.0);
        let (mut checkins, mut objective) = (0u32, 0u32);
        let (mut judged, mut closed) = (0u32, 0u32);
        for c in commitments {
            if c.start > as_of || c.due.is_some_and(|d| d < window_start) {
                continue;
            }
            n += 1;
            if c.baseline.is_some() && c.target.is_some() && c.due.is_some() && c.cadence_days.is_some() {
                clear += 1;
            }
            if c.visibility == Visibility::Public {
                public += 1;
            }
            weight_all += c.weight.get();
            if c.category.is_outcome() {
                weight_outcome += c.weight.get();
            }
            // Speed: gaps between consecutive check-ins, and the open gap up to the end.
            let end = match c.due {
                Some(d) => as_of.min(add_days(d, grace)),
                None => as_of,
            };
            let first_in = count_until(c.checkins(), |k| k.date < window_start);
            let last_in = count_until(c.checkins(), |k| k.date <= end);
            let mut prev = if first_in > 0 { c.checkins()[first_in - 1].date } else { c.start };
            for k in c.checkins().get(first_in..last_in).unwrap_or(&[]) {
                let g = days_between(prev, k.date);
                if g > 0 {
                    gaps.push(g);
                }
                prev = k.date;
                checkins += 1;
                if !k.evidence.trim().is_empty() || k.recorded_by.is_some_and(|r| r != c.owner) {
                    objective += 1;
                }
            }
            // The open gap up to the end, unless a due commitment was already read on its due date.
            let finished = c.due.is_some_and(|d| d <= as_of && prev >= d);
            let open = days_between(prev, end);
            if open > 0 && !finished {
                gaps.push(open);
            }
            // Consequence: a due commitment followed within the window by a review of its owner.
            if let Some(due) = c.due {
                if due <= as_of {
                    let limit = add_days(due, i64::from(p.consequence_window_days));
                    let reviewed = self
                        .index
                        .pos
                        .get(&c.owner)
                        .map(|&u| {
                            let dates = &self.index.review_dates[u];
                            let from = dates.partition_point(|d| *d < due);
                            dates.get(from).is_some_and(|d| *d <= limit.min(as_of))
                        })
                        .unwrap_or(false);
                    if reviewed {
                        judged += 1;
                        closed += 1;
                    } else if limit <= as_of {
                        judged += 1;
                    }
                }
            }
        }
        // Check-ins made, and no day passed since the start or between them (everything on
        // the as-of date): measured at once, a gap of 0 days, which is full speed.
        if gaps.is_empty() && checkins > 0 {
            gaps.push(0);
        }
        let ratio = |a: f64, b: f64| if b > 0.0 { (a / b).clamp(0.0, 1.0) } else { 0.0 };
        let median = if gaps.is_empty() || checkins == 0 {
            None
        } else {
            let mid = gaps.len() / 2;
            let (_, m, _) = gaps.select_nth_unstable(mid);
            Some(*m as f64)
        };
        let speed = median.map(|m| (p.speed_target_days / m).min(1.0)).unwrap_or(0.0);
        let component = |kind, value: f64, weight: f64, numerator: f64, denominator: f64| Component { kind, value, weight, measured: true, numerator, denominator };
        let components = [
            component(ComponentKind::Speed, speed, w.speed, median.unwrap_or(0.0), gaps.len() as f64),
            component(ComponentKind::Clarity, ratio(f64::from(clear), f64::from(n)), w.clarity, f64::from(clear), f64::from(n)),
            component(ComponentKind::OutcomeFocus, ratio(weight_outcome, weight_all), w.outcome_focus, weight_outcome, weight_all),
            component(ComponentKind::Objectivity, ratio(f64::from(objective), f64::from(checkins)), w.objectivity, f64::from(objective), f64::from(checkins)),
            component(ComponentKind::Visibility, ratio(f64::from(public), f64::from(n)), w.visibility, f64::from(public), f64::from(n)),
            Component {
                kind: ComponentKind::Consequence,
                value: ratio(f64::from(closed), f64::from(judged)),
                weight: w.consequence,
                // Nothing due yet: the loop cannot have been closed or broken. With no
                // commitments at all there is no system, and consequence counts as zero.
                measured: judged > 0 || n == 0,
                numerator: f64::from(closed),
                denominator: f64::from(judged),
            },
        ];
        Rigor { value: combine_rigor(&components), components, commitments: n, checkins, gaps: gaps.into_iter().map(|g| g.clamp(0, i64::from(u32::MAX)) as u32).collect() }
    }

    /// Reviewed decisions known at `as_of`.
    fn reviewed(&self, d: &Decision, as_of: Date) -> Option<Outcome> {
        if d.date > as_of {
            None
        } else {
            d.outcome_as_of(as_of)
        }
    }

    /// Whether `unit` held autonomy in `area` when the decision was made.
    fn held_grant(&self, ui: usize, area: AreaId, date: Date) -> bool {
        let mut level = None;
        for &gi in &self.index.grants[ui] {
            let g = &self.ws.grants[gi];
            if g.area == area && g.date <= date && level.is_none_or(|(d, _)| g.date >= d) {
                level = Some((g.date, g.level.get()));
            }
        }
        level.is_some_and(|(_, l)| l > 1)
    }

    /// The unit's last expansion or contraction on or before `as_of`: a review with that
    /// verdict, or a day of grant changes that raised or lowered A. A unit's first grants
    /// set where it starts and are not one. On one day, a review's verdict wins.
    fn last_action(&self, ui: usize, as_of: Date) -> Option<(Date, Verdict, bool)> {
        let mut best: Option<(Date, Verdict, bool)> = None;
        for &ri in &self.index.reviews[ui] {
            let r = &self.ws.reviews[ri];
            if r.date <= as_of && r.verdict != Verdict::Hold && best.is_none_or(|(d, _, _)| r.date >= d) {
                best = Some((r.date, r.verdict, false));
            }
        }
        let Some(first) = self.index.grants[ui].iter().map(|&gi| self.ws.grants[gi].date).min() else { return best };
        let mut dates: Vec<Date> = self.index.grants[ui].iter().map(|&gi| self.ws.grants[gi].date).filter(|d| *d > first && *d <= as_of && best.is_none_or(|(b, _, _)| *d > b)).collect();
        dates.sort_unstable();
        dates.dedup();
        for &day in dates.iter().rev() {
            // Each area changed that day against what was in force the day before (a new
            // area widens scope from nothing).
            let mut areas: Vec<AreaId> = self.index.grants[ui].iter().map(|&gi| &self.ws.grants[gi]).filter(|g| g.date == day).map(|g| g.area).collect();
            areas.sort_unstable();
            areas.dedup();
            let delta: f64 = areas.iter().map(|&a| self.area_value(ui, a, day).unwrap_or(0.0) - self.area_value(ui, a, add_days(day, -1)).unwrap_or(0.0)).sum();
            if delta.abs() > 1e-9 {
                return Some((day, if delta > 0.0 { Verdict::Expand } else { Verdict::Contract }, true));
            }
        }
        best
    }

    /// rung/5 × (level−1)/6 of the grant in force in one area, if any.
    fn area_value(&self, ui: usize, area: AreaId, date: Date) -> Option<f64> {
        let mut latest: Option<&Grant> = None;
        for &gi in &self.index.grants[ui] {
            let g = &self.ws.grants[gi];
            if g.area == area && g.date <= date && latest.is_none_or(|l| g.date >= l.date) {
                latest = Some(g);
            }
        }
        latest.map(|g| f64::from(g.rung.get()) / 5.0 * f64::from(g.level.get() - 1) / 6.0)
    }

    /// Holds a recommendation while the unit's last expansion or contraction waits for
    /// results due after it (policy `results_after_action`).
    fn hold_after_action(&self, ui: usize, as_of: Date, law: Recommendation) -> Recommendation {
        let need = self.policy.results_after_action;
        if need == 0 {
            return law;
        }
        let Some((date, verdict, by_grant)) = self.last_action(ui, as_of) else { return law };
        let mut results_since = 0u32;
        let mut next_due: Option<Date> = None;
        for &ci in &self.index.commitments[ui] {
            let c = &self.ws.commitments[ci];
            match c.due {
                Some(d) if d > date && d <= as_of && c.start <= as_of => results_since += 1,
                Some(d) if d > as_of && d > date => next_due = Some(next_due.map_or(d, |n| n.min(d))),
                _ => {}
            }
        }
        if results_since >= need {
            return law;
        }
        let action = Action { verdict, date, by_grant, results_since, next_due };
        let how = if by_grant { "grant changed" } else { "review" };
        let wait = match (need - results_since, next_due) {
            (1, Some(n)) => format!("until a result due after it has been scored (the next is due {})", super::dates::format_date(n)),
            (k, Some(n)) => format!("until {k} more results due after it have been scored (the next is due {})", super::dates::format_date(n)),
            (_, None) => "until results due after it have been scored; no commitment falls due after it yet, so agree one".to_owned(),
        };
        let law_says = if law.law == Verdict::Hold { String::new() } else { format!(" Without the wait the law would say {}: {}", law.law.as_str(), law.reason) };
        Recommendation {
            verdict: Verdict::Hold,
            law: law.law,
            waiting: Some(action),
            reason: format!("{} on {} ({how}): hold while the new scope is proved, {wait}.{law_says}", action.past_tense(), super::dates::format_date(date)),
        }
    }

    fn leadership(&self, ui: usize, autonomy: f64, as_of: Date) -> Option<(Leadership, Vec<DecisionId>)> {
        let reports = &self.index.children[ui];
        if reports.is_empty() {
            return None;
        }
        let me = self.ws.units[ui].id;
        let (mut reviewed, mut accountable) = (0u32, 0u32);
        let (mut bad, mut bad_accepted) = (0u32, 0u32);
        let mut deflected = Vec::new();
        for (is_own, u) in std::iter::once((true, ui)).chain(reports.iter().map(|&r| (false, r))) {
            for &di in &self.index.decisions[u] {
                let d = &self.ws.decisions[di];
                let Some(outcome) = self.reviewed(d, as_of) else { continue };
                let accepted = d.accountable.contains(&me);
                reviewed += 1;
                accountable += u32::from(accepted);
                if !is_own && outcome != Outcome::Good && self.held_grant(u, d.area, d.date) {
                    bad += 1;
                    if accepted {
                        bad_accepted += 1;
                    } else {
                        deflected.push(d.id);
                    }
                }
            }
        }
        let share = if reviewed > 0 { Some(f64::from(accountable) / f64::from(reviewed)) } else { None };
        let ratio = share.filter(|_| autonomy > 0.0).map(|s| s / (autonomy / 100.0));
        let reports = reports.iter().map(|&r| self.ws.units[r].id).collect();
        Some((Leadership { reports, reviewed, accountable, ratio, delegated_bad: bad, delegated_bad_accepted: bad_accepted }, deflected))
    }

    pub(crate) fn unit(&self, ui: usize, as_of: Date) -> UnitScore {
        let p = self.policy;
        let unit_id = self.ws.units[ui].id;
        let commitments = &self.index.commitments[ui];
        let (autonomy, autonomy_terms) = self.autonomy(ui, as_of);
        let (track_record, track_why) = self.track_record(commitments, as_of);
        let rigor = self.rigor(commitments.iter().map(|&i| &self.ws.commitments[i]), as_of);
        let supported = 100.0 * rigor.value * track_record;
        let gap = autonomy - supported;

        // Commitment-level facts for flags and profile.
        let mut stale = Vec::new();
        let mut vague = Vec::new();
        let mut own_started = 0u32;
        let mut outcome_commitments = 0u32;
        let mut due_att: Vec<(Category, f64)> = Vec::new();
        for &ci in commitments {
            let c = &self.ws.commitments[ci];
            if c.start > as_of {
                continue;
            }
            own_started += 1;
            if c.category.is_outcome() {
                outcome_commitments += 1;
            }
            let cs = self.commitment(c, as_of);
            let open = !cs.due;
            if cs.stale {
                stale.push(c.id);
            }
            if cs.vague && (open || c.due.is_some_and(|d| d >= self.window_start(as_of))) {
                vague.push(c.id);
            }
            if cs.due {
                due_att.push((c.category, cs.attainment.unwrap_or(0.0).min(1.0)));
            }
        }

        let mut flags = Vec::new();
        if gap > p.overextended_gap {
            flags.push(Flag {
                kind: FlagKind::Overextended,
                reason: if rigor.commitments == 0 {
                    // A unit on its first day: what to do, not the essay's warning.
                    format!("Granted autonomy {autonomy:.0} while nothing is measured yet, so no result supports it (the policy flags more than {:.0} points). Agree a few commitments and check in weekly: supported autonomy follows the results.", p.overextended_gap)
                } else {
                    format!(
                        "Granted autonomy {autonomy:.0} is {} points above the {supported:.0} that rigor {:.2} × track record {track_record:.2} supports (more than {:.0}).",
                        p.points_between(autonomy, supported),
                        rigor.value,
                        p.overextended_gap
                    )
                },
                commitments: Vec::new(),
                decisions: Vec::new(),
            });
        }
        if -gap > p.starved_gap && track_record >= p.starved_track_record {
            flags.push(Flag {
                kind: FlagKind::Starved,
                reason: format!(
                    "Delivers (track record {track_record:.2}) and earns {supported:.0}, but is granted only {autonomy:.0}: {} points less (more than {:.0}).",
                    p.points_between(autonomy, supported),
                    p.starved_gap
                ),
                commitments: Vec::new(),
                decisions: Vec::new(),
            });
        }
        let stale_count = stale.len();
        if !stale.is_empty() {
            flags.push(Flag {
                kind: FlagKind::Stale,
                reason: format!("{} open commitment{} without a check-in for more than {} times the expected cadence.", stale.len(), plural(stale.len()), p.stale_cadences),
                commitments: stale,
                decisions: Vec::new(),
            });
        }
        if !vague.is_empty() {
            flags.push(Flag {
                kind: FlagKind::Vague,
                reason: format!("{} commitment{} missing a baseline, target, due date or reviewer.", vague.len(), plural(vague.len())),
                commitments: vague,
                decisions: Vec::new(),
            });
        }
        let window_start = self.window_start(as_of);
        let pulses: Vec<f64> = self.index.pulses[ui].iter().map(|&i| &self.ws.pulses[i]).filter(|pl| pl.date <= as_of && pl.date >= window_start).map(|pl| pl.score.get()).collect();
        let pulse = if pulses.is_empty() { None } else { Some(pulses.iter().sum::<f64>() / pulses.len() as f64) };
        let has_pulse = self.index.pulses[ui].iter().any(|&i| self.ws.pulses[i].date <= as_of);
        if has_pulse && outcome_commitments == 0 {
            flags.push(Flag {
                kind: FlagKind::FeelingsOnly,
                reason: "Felt autonomy is surveyed, but no customer, revenue or system-performance result is measured.".to_owned(),
                commitments: Vec::new(),
                decisions: Vec::new(),
            });
        }
        let leadership = self.leadership(ui, autonomy, as_of);
        if let Some((l, deflected)) = &leadership {
            if l.delegated_bad > 0 && f64::from(l.delegated_bad_accepted) < p.shield_share * f64::from(l.delegated_bad) {
                flags.push(Flag {
                    kind: FlagKind::Shield,
                    reason: format!("Accepted accountability for {} of {} bad or mixed outcomes of decisions delegated to reports.", l.delegated_bad_accepted, l.delegated_bad),
                    commitments: Vec::new(),
                    decisions: deflected.clone(),
                });
            }
            if autonomy >= p.leader_without_results_autonomy && own_started == 0 {
                flags.push(Flag {
                    kind: FlagKind::LeaderWithoutResults,
                    reason: format!("Granted autonomy {autonomy:.0}, with no commitment of their own."),
                    commitments: Vec::new(),
                    decisions: Vec::new(),
                });
            }
            if let Some(ratio) = l.ratio.filter(|r| *r < p.leadership_ratio_min) {
                flags.push(Flag {
                    kind: FlagKind::LowLeadershipRatio,
                    reason: format!(
                        "Accountable for {} of {} reviewed outcomes ({:.0}%) while exercising autonomy {autonomy:.0}: ratio {ratio:.2}.",
                        l.accountable,
                        l.reviewed,
                        100.0 * f64::from(l.accountable) / f64::from(l.reviewed.max(1))
                    ),
                    commitments: Vec::new(),
                    decisions: Vec::new(),
                });
            }
        }
        flags.sort_by_key(|f| (std::cmp::Reverse(f.kind.severity()), f.kind));

        let at_floor = autonomy_terms.iter().all(|t| t.rung == Rung::MIN && t.level == Level::MIN);
        let mut law = recommend(p, autonomy, supported, track_record, at_floor);
        if law.verdict == Verdict::Contract && rigor.commitments == 0 && track_why.terms.is_empty() {
            // Said to a unit on its first day: plain guidance, not the essay's warning.
            law.reason = format!(
                "Nothing is measured yet, so none of the granted autonomy {autonomy:.0} is supported by a result: agree commitments with a baseline, a target and a due date, check in weekly, and keep the scope narrow until results come in."
            );
        }
        let recommendation = self.hold_after_action(ui, as_of, law);

        // Failure-mode profile.
        let own_decisions: Vec<Outcome> = self.index.decisions[ui].iter().filter_map(|&di| self.reviewed(&self.ws.decisions[di], as_of)).collect();
        let evidence = due_att.len() as u32 + own_decisions.len() as u32;
        let mut profile = profile(p, &due_att, &own_decisions, rigor.component(ComponentKind::Speed).value, rigor.value, track_record, evidence);
        // Never praise what the verdict rejects.
        if profile == Profile::TrustedOperator && (recommendation.law == Verdict::Contract || gap > p.overextended_gap) {
            profile = Profile::DeliversScopeAhead;
        }
        // Nor while a commitment has gone unmeasured (a Stale flag).
        if profile == Profile::TrustedOperator && stale_count > 0 {
            profile = Profile::DeliversMeasurementLapsed;
        }
        let assessment = assess(p, &rigor, &track_why, track_record, autonomy, supported, stale_count);

        UnitScore {
            unit: unit_id,
            autonomy,
            autonomy_terms,
            track_record,
            track_why,
            rigor,
            supported,
            gap,
            recommendation,
            flags,
            leadership: leadership.map(|(l, _)| l),
            profile,
            assessment,
            evidence,
            pulse,
        }
    }

    pub(crate) fn org(&self, units: &[UnitScore]) -> OrgScore {
        let n = units.len();
        let mean = |f: &dyn Fn(&UnitScore) -> f64| if n == 0 { 0.0 } else { units.iter().map(f).sum::<f64>() / n as f64 };
        let count = |v: Verdict| units.iter().filter(|u| u.recommendation.verdict == v).count() as u32;
        OrgScore {
            units: n as u32,
            mean_autonomy: mean(&|u| u.autonomy),
            mean_supported: mean(&|u| u.supported),
            mean_track_record: mean(&|u| u.track_record),
            rigor: pool_rigor(units, self.policy),
            expand: count(Verdict::Expand),
            hold: count(Verdict::Hold),
            contract: count(Verdict::Contract),
            flags: units.iter().map(|u| u.flags.len() as u32).sum(),
        }
    }
}

/// The organisation's rigor from its units' (every commitment has exactly one owner):
/// ratios pool their counts, speed takes the median of all gaps.
fn pool_rigor(units: &[UnitScore], policy: &Policy) -> Rigor {
    let mut num = [0.0f64; 6];
    let mut den = [0.0f64; 6];
    let (mut commitments, mut checkins) = (0u32, 0u32);
    let mut gaps: Vec<u32> = Vec::with_capacity(units.iter().map(|u| u.rigor.gaps.len()).sum());
    for u in units {
        for (i, c) in u.rigor.components.iter().enumerate().skip(1) {
            num[i] += c.numerator;
            den[i] += c.denominator;
        }
        commitments += u.rigor.commitments;
        checkins += u.rigor.checkins;
        gaps.extend_from_slice(&u.rigor.gaps);
    }
    let median = if gaps.is_empty() || checkins == 0 {
        None
    } else {
        let mid = gaps.len() / 2;
        let (_, m, _) = gaps.select_nth_unstable(mid);
        Some(f64::from(*m))
    };
    let w = &policy.rigor_weights;
    let ratio = |i: usize| if den[i] > 0.0 { (num[i] / den[i]).clamp(0.0, 1.0) } else { 0.0 };
    let component = |kind: ComponentKind, i: usize, weight: f64| Component { kind, value: ratio(i), weight, measured: true, numerator: num[i], denominator: den[i] };
    let mut components = [
        Component {
            kind: ComponentKind::Speed,
            value: median.map(|m| (policy.speed_target_days / m).min(1.0)).unwrap_or(0.0),
            weight: w.speed,
            measured: true,
            numerator: median.unwrap_or(0.0),
            denominator: gaps.len() as f64,
        },
        component(ComponentKind::Clarity, 1, w.clarity),
        component(ComponentKind::OutcomeFocus, 2, w.outcome_focus),
        component(ComponentKind::Objectivity, 3, w.objectivity),
        component(ComponentKind::Visibility, 4, w.visibility),
        component(ComponentKind::Consequence, 5, w.consequence),
    ];
    components[5].measured = den[5] > 0.0 || commitments == 0;
    Rigor { value: combine_rigor(&components), components, commitments, checkins, gaps }
}

/// The organisation's rigor computed directly over every commitment (the reference the
/// pooled computation is tested against).
pub fn org_rigor_direct(ws: &Workspace, policy: &Policy, as_of: Date) -> Rigor {
    let scorer = Scorer::new(ws, policy);
    scorer.rigor(ws.commitments.iter(), as_of)
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Expand, hold or contract, with the reason in words.
pub fn recommend(p: &Policy, autonomy: f64, supported: f64, track_record: f64, at_floor: bool) -> Recommendation {
    let over = autonomy - supported;
    if track_record >= p.expand_min_track_record && -over >= p.expand_margin {
        return Recommendation {
            verdict: Verdict::Expand,
            law: Verdict::Expand,
            waiting: None,
            reason: format!(
                "Track record {track_record:.2} is at least {:.2} and supported autonomy {supported:.0} exceeds granted {autonomy:.0} by {} (≥ {:.0}): widen scope or delegation.",
                p.expand_min_track_record,
                p.points_between(autonomy, supported),
                p.expand_margin
            ),
        };
    }
    let contract_reason = if over > p.contract_gap {
        Some(format!("Granted autonomy {autonomy:.0} exceeds supported {supported:.0} by {} (> {:.0})", p.points_between(autonomy, supported), p.contract_gap))
    } else if track_record < p.contract_track_record {
        Some(format!("Track record {} is below {:.2}", super::policy::against(track_record, 2, &[p.contract_track_record]), p.contract_track_record))
    } else {
        None
    };
    match contract_reason {
        Some(why) if at_floor => Recommendation {
            verdict: Verdict::Hold,
            law: Verdict::Hold,
            waiting: None,
            reason: format!("{why}, but autonomy is already at the lowest rung and level: hold, and strengthen measurement first."),
        },
        Some(why) => Recommendation { verdict: Verdict::Contract, law: Verdict::Contract, waiting: None, reason: format!("{why}: narrow scope or delegation until measurement and results catch up.") },
        None => Recommendation { verdict: Verdict::Hold, law: Verdict::Hold, waiting: None, reason: hold_reason(p, autonomy, supported, track_record) },
    }
}

/// Why a unit neither expands nor contracts, in the words of the margin that decides it:
/// never "within the margins" for a unit outside them.
fn hold_reason(p: &Policy, autonomy: f64, supported: f64, track_record: f64) -> String {
    let over = autonomy - supported;
    let tr = super::policy::against(track_record, 2, &[p.expand_min_track_record, p.contract_track_record]);
    if -over >= p.expand_margin {
        format!(
            "Supported autonomy {supported:.0} exceeds granted {autonomy:.0} by {} (≥ {:.0}), but track record {tr} is below the {:.2} that widening needs: keep scope as it is until results are in.",
            p.points_between(autonomy, supported),
            p.expand_margin,
            p.expand_min_track_record
        )
    } else if over > p.overextended_gap {
        format!(
            "Granted autonomy {autonomy:.0} exceeds supported {supported:.0} by {} — over the Overextended margin ({:.0}) but not the contract gap ({:.0}): keep scope and strengthen measurement.",
            p.points_between(autonomy, supported),
            p.overextended_gap,
            p.contract_gap
        )
    } else {
        format!("Granted {autonomy:.0} and supported {supported:.0} are within the policy's margins, track record {tr}: keep scope as it is.")
    }
}

/// What is strong and what is missing, each with its number.
fn assess(p: &Policy, rigor: &Rigor, track: &TrackWhy, track_record: f64, autonomy: f64, supported: f64, stale: usize) -> Assessment {
    let mut a = Assessment::default();
    if track.terms.is_empty() {
        a.missing.push(format!("results: none due yet, so the track record {track_record:.2} is the prior, not a result"));
    } else if track_record >= p.expand_min_track_record {
        a.strong.push(format!("results: track record {track_record:.2}"));
    } else if track_record < p.contract_track_record {
        a.missing.push(format!("results: track record {}, below {:.2}", super::policy::against(track_record, 2, &[p.contract_track_record]), p.contract_track_record));
    }
    for c in rigor.components.iter().filter(|c| c.measured && c.weight > 0.0) {
        let detail = match c.kind {
            ComponentKind::Speed if c.numerator > 0.0 => format!(" (median gap {} days)", c.numerator),
            ComponentKind::Speed if c.denominator > 0.0 => " (checked in on the day)".to_owned(),
            ComponentKind::Speed => " (no check-in)".to_owned(),
            ComponentKind::OutcomeFocus => String::new(),
            _ if c.denominator > 0.0 => format!(" ({} of {})", c.numerator, c.denominator),
            _ => String::new(),
        };
        let text = format!("{} {:.2}{detail}", c.kind.label().to_lowercase(), c.value);
        if c.kind == ComponentKind::Speed && stale > 0 {
            // The median gap can look fast while a commitment has gone unmeasured: the card
            // says what is missing instead of praising speed.
            a.missing.push(format!("{text}, but {stale} open commitment{} without a check-in for more than {} × the cadence", plural(stale), p.stale_cadences));
        } else if c.value >= 0.75 {
            a.strong.push(text);
        } else if c.value < 0.5 {
            a.missing.push(text);
        }
    }
    if autonomy - supported > p.overextended_gap {
        a.missing.push(format!("support for the scope: granted {autonomy:.0}, supported {supported:.0}"));
    }
    a
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = values.fold((0.0, 0u32), |(s, n), v| (s + v, n + 1));
    (n > 0).then(|| sum / f64::from(n))
}

fn profile(p: &Policy, due: &[(Category, f64)], decisions: &[Outcome], speed: f64, rigor: f64, track_record: f64, evidence: u32) -> Profile {
    if evidence < p.profile_min_evidence {
        return Profile::NotEnoughEvidence;
    }
    let attainment = mean(due.iter().map(|(_, a)| *a));
    let activity = mean(due.iter().filter(|(c, _)| *c == Category::Activity).map(|(_, a)| *a));
    let customer = mean(due.iter().filter(|(c, _)| *c == Category::CustomerValue).map(|(_, a)| *a));
    let quality = if decisions.len() >= p.profile_min_decisions as usize { Some(decisions.iter().filter(|o| **o == Outcome::Good).count() as f64 / decisions.len() as f64) } else { None };
    if let (Some(act), Some(cust)) = (activity, customer) {
        if act >= p.profile_met && cust < p.profile_missed {
            return Profile::SelfServing;
        }
    }
    if let Some(att) = attainment {
        if att < p.profile_missed && speed >= p.profile_busy_speed && due.len() >= p.profile_min_due as usize {
            return Profile::BusyButIneffective;
        }
        if att < p.profile_missed && quality.is_some_and(|q| q >= p.profile_good_decisions) {
            return Profile::BrilliantButIdle;
        }
    } else if quality.is_some_and(|q| q >= p.profile_good_decisions) && due.is_empty() && speed < p.profile_busy_speed {
        return Profile::BrilliantButIdle;
    }
    if track_record >= p.expand_min_track_record && rigor >= p.profile_trusted_rigor && quality.is_none_or(|q| q >= p.profile_trusted_good_decisions) {
        return Profile::TrustedOperator;
    }
    Profile::NoClearPattern
}
