//! Read-only snapshot links: a workspace (or one unit's part of it, or only what an
//! embedded chart or scoreboard shows) compressed into the URL fragment, which browsers
//! never send to a server. Versioned, size-checked and validated like any import.
//!
//! Format 2 (written): `2.TAG.AS-OF.DATA`, where TAG is `w` (workspace), `uN` (unit N
//! and its reports), `m` (the org map's points only) or `b` (the scoreboard's rows only),
//! AS-OF is the date every view of the link shows (`YYYY-MM-DD`), and DATA is base64url
//! of the compact encoding in layout c2 (`w`, `u`) or of deflated JSON (`m`, `b`).
//! Format 1 (read only): `1.TAG.DATA`, with layout c1 and no as-of.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use time::Date;

use crate::core::series::MapPoint;
use crate::core::{IdSet, ModelError, Name, Scores, UnitId, UnitKind, Verdict, Visibility, Workspace};
use serde::{Deserialize, Serialize};

use super::compact::{self, Layout};

/// The snapshot format this build writes (and the newest it reads).
pub const VERSION: u32 = 2;
/// Fragments longer than this are refused before decoding.
pub const MAX_FRAGMENT_CHARS: usize = 4_000_000;
/// Links longer than this are cut or refused by common chat tools.
pub const CHAT_LIMIT: usize = 2_000;
/// Links longer than this are too long for most wiki editors.
pub const WIKI_LIMIT: usize = 8_000;
/// Flags per scoreboard row and characters per flag accepted from a link.
const MAX_FLAGS: usize = 16;
const MAX_FLAG_CHARS: usize = 80;

/// What a snapshot shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Workspace,
    /// One unit and its direct reports.
    Unit(UnitId),
    /// Only the org map's points: names, the two scores, verdicts. No records.
    Map,
    /// Only the scoreboard's rows: names, scores, verdicts and flags. No records.
    Board,
}

impl Scope {
    pub fn tag(self) -> String {
        match self {
            Scope::Workspace => "w".into(),
            Scope::Unit(u) => format!("u{}", u.0),
            Scope::Map => "m".into(),
            Scope::Board => "b".into(),
        }
    }

    fn from_tag(tag: &str) -> Option<Scope> {
        match tag {
            "w" => Some(Scope::Workspace),
            "m" => Some(Scope::Map),
            "b" => Some(Scope::Board),
            t => t.strip_prefix('u').and_then(|n| n.parse().ok()).map(|n| Scope::Unit(UnitId(n))),
        }
    }

    /// What a link of this scope carries and what it leaves out, in a sentence.
    pub fn contents(self) -> &'static str {
        match self {
            Scope::Workspace => "Contains the whole workspace: every unit, grant, commitment (private ones too) with its check-ins, notes and evidence, decision, review and pulse; not its workshops.",
            Scope::Unit(_) => "Contains this unit and everyone under it with all their records: commitments (private ones too), check-ins with notes and evidence, decisions, reviews and pulses. Nothing about other units: a reviewer or recorder from elsewhere shows as \u{201c}someone outside this link\u{201d}. No workshop.",
            Scope::Map => "Contains unit names, the two scores (granted A, supported S, rounded), the recommendation, whether a unit leads others and how much evidence each rests on, and the as-of date. No commitments, notes, evidence or decisions, private or not.",
            Scope::Board => "Contains unit names, their scores (A, S, gap, TR, R, rounded as shown), recommendation and flags, and the as-of date. No commitments, notes, evidence or decisions, private or not.",
        }
    }
}

/// One scoreboard row: what the scoreboard embed shows and nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BoardRow {
    pub name: String,
    /// Granted autonomy A (0–100).
    pub a: f64,
    /// Supported autonomy S (0–100).
    pub s: f64,
    /// Track record TR (0–1).
    pub tr: f64,
    /// Rigor R (0–1).
    pub r: f64,
    pub verdict: Verdict,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
    /// A − S as the workspace shows it (`Policy::gap_between`: the difference of A and S
    /// as shown, unless a decimal is needed to sit on the same side of a margin as the
    /// unrounded gap), carried by a link, so the gap shown is the workspace's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gap: Option<f64>,
}

/// Column headings of the scoreboard as embedded and as an image.
pub const BOARD_HEADINGS: [&str; 8] = ["Unit", "A", "S", "Gap", "TR", "R", "Recommendation", "Flags"];
/// What the scoreboard's short headings mean, said under it wherever it leaves the app
/// (a frame, a picture).
pub const BOARD_KEY: &str = "A granted and S supported autonomy (0–100) · Gap A − S · TR track record and R rigor (0–1)";
/// Which of those columns are numbers (right-aligned).
pub const BOARD_NUMERIC: [usize; 5] = [1, 2, 3, 4, 5];

impl BoardRow {
    /// A − S.
    pub fn gap(&self) -> f64 {
        self.gap.unwrap_or(self.a - self.s)
    }

    /// The row rounded to what the scoreboard shows, as a link carries it: its cells
    /// are the same as the row's.
    pub fn rounded(&self) -> BoardRow {
        BoardRow { a: shown(self.a, 0), s: shown(self.s, 0), tr: shown(self.tr, 2), r: shown(self.r, 2), gap: Some(self.gap.unwrap_or_else(|| shown(self.a - self.s, 0))), ..self.clone() }
    }

    /// The row's cells as shown, under [`BOARD_HEADINGS`].
    pub fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            format!("{:.0}", self.a),
            format!("{:.0}", self.s),
            match self.gap {
                // Already as shown: the shortest text that reads back as the number.
                Some(0.0) => "0".to_owned(),
                Some(gap) => format!("{gap:+}"),
                // A link made before rows carried their gap: the difference of A and S as shown.
                None => match shown(self.a, 0) - shown(self.s, 0) {
                    0.0 => "0".to_owned(),
                    gap => format!("{gap:+}"),
                },
            },
            format!("{:.2}", self.tr),
            format!("{:.2}", self.r),
            self.verdict.as_str().to_owned(),
            self.flags.join(", "),
        ]
    }
}

/// The scoreboard rows of a scoring run, in the scores' order.
pub fn board_rows(ws: &Workspace, scores: &Scores) -> Vec<BoardRow> {
    let mut rows: Vec<BoardRow> = scores
        .units
        .iter()
        .map(|s| BoardRow {
            name: ws.unit_name(s.unit).to_owned(),
            a: s.autonomy,
            s: s.supported,
            tr: s.track_record,
            r: s.rigor.value,
            verdict: s.recommendation.verdict,
            flags: s.flags.iter().map(|f| f.kind.label().to_owned()).collect(),
            gap: Some(ws.policy.gap_between(s.autonomy, s.supported).parse().unwrap_or(s.autonomy - s.supported)),
        })
        .collect();
    by_gap(&mut rows);
    rows
}

/// Orders scoreboard rows as the app's scoreboard opens: the largest gap (granted above
/// supported) first, ties in the organisation's order. Rows of a link made before this
/// order was kept are put in it when shown.
pub fn by_gap(rows: &mut [BoardRow]) {
    rows.sort_by(|x, y| (y.a - y.s).total_cmp(&(x.a - x.s)));
}

/// `x` as shown with `decimals` decimals (the same rounding as `format!`).
fn shown(x: f64, decimals: usize) -> f64 {
    format!("{x:.decimals$}").parse().unwrap_or(x)
}

/// `x` to one decimal, placed so that it still shows as `x` does with none (a plain
/// rounding of 51.46 to 51.5 would show as 52).
fn to_tenth(x: f64) -> f64 {
    let r = shown(x, 1);
    if format!("{r:.0}") == format!("{x:.0}") {
        r
    } else {
        shown(if r > x { r - 0.1 } else { r + 0.1 }, 1)
    }
}

/// One org-map point as a link carries it: what the map draws, rounded to a tenth. No
/// unit id or kind: the link's points are numbered in order when it is opened.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LinkPoint {
    name: String,
    x: f64,
    y: f64,
    verdict: Verdict,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    leader: bool,
    #[serde(default, skip_serializing_if = "is_zero")]
    evidence: u32,
    /// Why a point in the starved region carries no Starved flag (drawn hollow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    withheld: Option<String>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// What a map or scoreboard link carries (its JSON, deflated).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct LinkScores {
    name: String,
    #[serde(with = "crate::core::dates::iso")]
    as_of: Date,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    points: Vec<LinkPoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    rows: Vec<BoardRow>,
}

/// A snapshot of scores only: the org map's points (`m`) or the scoreboard's rows (`b`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MapOnly {
    pub name: String,
    #[serde(with = "crate::core::dates::iso")]
    pub as_of: Date,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub points: Vec<MapPoint>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<BoardRow>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub scope: Scope,
    /// The records shared (an empty workspace for a map or scoreboard snapshot).
    pub workspace: Workspace,
    /// The scores of a map or scoreboard snapshot.
    pub map: Option<MapOnly>,
    /// The date every view of the link shows: carried by the link, or for links of
    /// format 1 the end of the week of the last record (none for an empty workspace).
    pub as_of: Option<Date>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SnapshotError {
    #[error("the link is {0} characters long; links longer than {MAX_FRAGMENT_CHARS} are not opened")]
    TooLong(usize),
    #[error("the link is not a Latitude snapshot, or it was cut short when it was copied")]
    Malformed,
    #[error("the link was made by a newer version of Latitude (snapshot format {0}); open it with an up-to-date copy")]
    Newer(u32),
    #[error("the snapshot's data is damaged: {0}")]
    Damaged(String),
}

/// The part of the workspace a unit's snapshot shares: the unit and everyone under it,
/// with their records, so that each of them scores exactly as in the whole workspace
/// (a leader's score reads its reports' grants and decisions). A commitment's reviewer
/// or a check-in's recorder from elsewhere becomes [`UnitId::OUTSIDE`] (scoring needs
/// only that there is one); other references to units outside are dropped, and so are
/// the workspace's id counters.
pub fn unit_part(ws: &Workspace, unit: UnitId) -> Workspace {
    let keep: IdSet<UnitId> = ws.subtree(unit).into_iter().filter(|id| ws.unit(*id).is_some()).collect();
    let inside = |id: UnitId| keep.contains(&id);
    // A unit numbered 0 inside the part would be taken for the one outside.
    let outside = if inside(UnitId::OUTSIDE) { None } else { Some(UnitId::OUTSIDE) };
    let mut part = Workspace::new(ws.name.clone());
    part.areas = ws.areas.clone();
    part.policy = ws.policy.clone();
    part.units = ws
        .units
        .iter()
        .filter(|u| inside(u.id))
        .cloned()
        .map(|mut u| {
            if u.id == unit {
                u.parent = None;
            }
            u
        })
        .collect();
    part.grants = ws
        .grants
        .iter()
        .filter(|g| inside(g.unit))
        .cloned()
        .map(|mut g| {
            g.granted_by = g.granted_by.filter(|b| inside(*b));
            g
        })
        .collect();
    part.commitments = ws
        .commitments
        .iter()
        .filter(|c| inside(c.owner))
        .cloned()
        .map(|mut c| {
            if c.reviewer.is_some_and(|r| !inside(r)) {
                c.reviewer = outside;
            }
            let mut log = c.checkins().clone();
            match outside {
                Some(by) => log.replace_recorders(|r| !inside(r), by),
                None => ws.units.iter().map(|u| u.id).filter(|id| !inside(*id)).for_each(|r| log.forget_recorder(r)),
            }
            c.set_checkins(log);
            c
        })
        .collect();
    part.decisions = ws
        .decisions
        .iter()
        .filter(|d| inside(d.unit))
        .cloned()
        .map(|mut d| {
            d.accountable.retain(|a| inside(*a));
            d
        })
        .collect();
    part.reviews = ws
        .reviews
        .iter()
        .filter(|r| inside(r.unit))
        .cloned()
        .map(|mut r| {
            r.reviewer = r.reviewer.filter(|b| inside(*b));
            r
        })
        .collect();
    part.pulses = ws.pulses.iter().filter(|p| inside(p.unit)).cloned().collect();
    part
}

/// A shared part made fit to keep as a workspace of one's own: references to
/// [`UnitId::OUTSIDE`] are cleared (there is no such unit to name).
pub fn keepable(ws: &Workspace) -> Workspace {
    let mut ws = ws.clone();
    if ws.unit(UnitId::OUTSIDE).is_some() {
        return ws;
    }
    let names_outside = |c: &crate::core::Commitment| c.reviewer == Some(UnitId::OUTSIDE) || c.checkins().iter().any(|k| k.recorded_by == Some(UnitId::OUTSIDE));
    if ws.commitments.iter().any(names_outside) {
        for c in ws.commitments.iter_mut() {
            if c.reviewer == Some(UnitId::OUTSIDE) {
                c.reviewer = None;
            }
            let mut log = c.checkins().clone();
            log.forget_recorder(UnitId::OUTSIDE);
            c.set_checkins(log);
        }
    }
    if ws.reviews.iter().any(|r| r.reviewer == Some(UnitId::OUTSIDE)) {
        for r in ws.reviews.iter_mut().filter(|r| r.reviewer == Some(UnitId::OUTSIDE)) {
            r.reviewer = None;
        }
    }
    ws
}

/// How many private commitments a link of this scope carries (titles, check-ins, notes
/// and evidence, readable by anyone with the link). Map and scoreboard links carry none.
pub fn private_commitments(ws: &Workspace, scope: Scope) -> usize {
    let private = |c: &&crate::core::Commitment| c.visibility == Visibility::Private;
    match scope {
        Scope::Workspace => ws.commitments.iter().filter(private).count(),
        Scope::Unit(u) => {
            let keep: IdSet<UnitId> = ws.subtree(u).into_iter().collect();
            ws.commitments.iter().filter(private).filter(|c| keep.contains(&c.owner)).count()
        }
        Scope::Map | Scope::Board => 0,
    }
}

/// The workspace without its workshops: votes, participants' names and notes of a
/// workshop stay in the room, never in a link.
pub fn without_workshops(ws: &Workspace) -> Workspace {
    let mut shared = ws.clone();
    shared.workshops = Default::default();
    shared
}

/// The as-of date a link shows when none is chosen: the end of the week of the last record.
pub fn default_as_of(ws: &Workspace) -> Date {
    ws.last_date().map(crate::core::dates::week_end).unwrap_or(Date::MIN)
}

/// Encodes a snapshot as of the end of the week of the workspace's last record.
pub fn encode(ws: &Workspace, scope: Scope) -> String {
    encode_at(ws, scope, default_as_of(ws))
}

/// Encodes a snapshot whose views all show `as_of`. Map and scoreboard scopes carry the
/// scores on that date and nothing else.
pub fn encode_at(ws: &Workspace, scope: Scope, as_of: Date) -> String {
    let data = match scope {
        Scope::Workspace => compact::to_bytes_as(&without_workshops(ws), Layout::C2),
        Scope::Unit(u) => compact::to_bytes_as(&unit_part(ws, u), Layout::C2),
        Scope::Map | Scope::Board => {
            let scores = crate::core::score(ws, &ws.policy, as_of);
            let mut shared = LinkScores { name: ws.name.to_string(), as_of, points: Vec::new(), rows: Vec::new() };
            if scope == Scope::Map {
                shared.points = crate::core::series::map_points(ws, &scores)
                    .into_iter()
                    .map(|p| LinkPoint { name: p.name, x: to_tenth(p.x), y: to_tenth(p.y), verdict: p.verdict, leader: p.leader, evidence: p.evidence, withheld: p.withheld })
                    .collect();
            } else {
                shared.rows = board_rows(ws, &scores).iter().map(BoardRow::rounded).collect();
            }
            miniz_oxide::deflate::compress_to_vec(&serde_json::to_vec(&shared).unwrap_or_default(), 9)
        }
    };
    format!("{VERSION}.{}.{}.{}", scope.tag(), crate::core::format_date(as_of), URL_SAFE_NO_PAD.encode(data))
}

/// A map-only snapshot of the workspace as scored on `as_of`.
pub fn encode_map(ws: &Workspace, as_of: Date) -> String {
    encode_at(ws, Scope::Map, as_of)
}

/// The JSON a map or scoreboard link carries, as it is in the link (`None` for other
/// scopes, whose data is a compact workspace).
pub fn payload_json(text: &str) -> Result<Option<serde_json::Value>, SnapshotError> {
    let mut parts = text.splitn(4, '.');
    let (Some(_), Some(tag), Some(_), Some(data)) = (parts.next(), parts.next(), parts.next(), parts.next()) else { return Err(SnapshotError::Malformed) };
    if !matches!(Scope::from_tag(tag), Some(Scope::Map | Scope::Board)) {
        return Ok(None);
    }
    let bytes = URL_SAFE_NO_PAD.decode(data.trim_end_matches('=')).map_err(|_| SnapshotError::Malformed)?;
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, 64 << 20).map_err(|_| SnapshotError::Malformed)?;
    serde_json::from_slice(&json).map(Some).map_err(|e| SnapshotError::Damaged(e.to_string()))
}

fn decode_scores(bytes: &[u8], scope: Scope) -> Result<MapOnly, SnapshotError> {
    // Data that does not inflate was, almost always, cut short when the link was copied.
    let json = miniz_oxide::inflate::decompress_to_vec_with_limit(bytes, 64 << 20).map_err(|_| SnapshotError::Malformed)?;
    // Links of earlier builds carried more per point (ids, kinds); it is not read.
    let link: LinkScores = serde_json::from_slice(&json).map_err(|e| SnapshotError::Damaged(e.to_string()))?;
    let points = link
        .points
        .into_iter()
        .zip(1u32..)
        .map(|(p, n)| MapPoint { unit: UnitId(n), name: p.name, kind: UnitKind::default(), leader: p.leader, x: p.x, y: p.y, verdict: p.verdict, evidence: p.evidence, withheld: p.withheld })
        .collect();
    let mut map = MapOnly { name: link.name, as_of: link.as_of, points, rows: link.rows };
    let out_of_range = |name: &str| SnapshotError::Damaged(format!("a value of \u{201c}{}\u{201d} is out of range", name.chars().take(40).collect::<String>()));
    for p in &map.points {
        if ![p.x, p.y].iter().all(|v| v.is_finite() && (0.0..=100.0).contains(v)) || Name::new(&p.name).is_err() {
            return Err(out_of_range(&p.name));
        }
    }
    for r in &map.rows {
        let gap_ok = r.gap.is_none_or(|g| g.is_finite() && (-100.0..=100.0).contains(&g));
        let scores_ok = gap_ok && [r.a, r.s].iter().all(|v| v.is_finite() && (0.0..=100.0).contains(v)) && [r.tr, r.r].iter().all(|v| v.is_finite() && (0.0..=1.0).contains(v));
        let flags_ok = r.flags.len() <= MAX_FLAGS && r.flags.iter().all(|f| f.chars().count() <= MAX_FLAG_CHARS);
        if !scores_ok || !flags_ok || Name::new(&r.name).is_err() {
            return Err(out_of_range(&r.name));
        }
    }
    // A link shows only what its scope says, whatever else was put into it.
    match scope {
        Scope::Map => map.rows.clear(),
        _ => map.points.clear(),
    }
    Ok(map)
}

/// The scope of a snapshot fragment, read from its tag without decoding the data.
pub fn peek_scope(text: &str) -> Option<Scope> {
    let mut parts = text.splitn(3, '.');
    let _version = parts.next()?;
    Scope::from_tag(parts.next()?)
}

/// What a fragment's header says: its scope, the date it carries (format 2), its
/// data still encoded, and the layout of a workspace in it.
struct Header<'a> {
    scope: Scope,
    as_of: Option<Date>,
    data: &'a str,
    layout: Layout,
}

/// Reads a snapshot fragment's header (format 1 or 2), refusing what no build can open.
fn header(text: &str) -> Result<Header<'_>, SnapshotError> {
    let len = text.chars().count();
    if len > MAX_FRAGMENT_CHARS {
        return Err(SnapshotError::TooLong(len));
    }
    let Some((version, rest)) = text.split_once('.') else { return Err(SnapshotError::Malformed) };
    let version: u32 = version.parse().map_err(|_| SnapshotError::Malformed)?;
    if version > VERSION {
        return Err(SnapshotError::Newer(version));
    }
    let (tag, as_of, data, layout) = match version {
        1 => {
            let (tag, data) = rest.split_once('.').ok_or(SnapshotError::Malformed)?;
            (tag, None, data, Layout::C1)
        }
        2 => {
            let mut parts = rest.splitn(3, '.');
            let (Some(tag), Some(date), Some(data)) = (parts.next(), parts.next(), parts.next()) else { return Err(SnapshotError::Malformed) };
            let date = crate::core::parse_date(date).map_err(|_| SnapshotError::Malformed)?;
            (tag, Some(date), data, Layout::C2)
        }
        _ => return Err(SnapshotError::Malformed),
    };
    let scope = Scope::from_tag(tag).ok_or(SnapshotError::Malformed)?;
    if scope == Scope::Board && version < 2 {
        return Err(SnapshotError::Malformed);
    }
    Ok(Header { scope, as_of, data, layout })
}

fn data_bytes(data: &str) -> Result<Vec<u8>, SnapshotError> {
    URL_SAFE_NO_PAD.decode(data.trim_end_matches('=')).map_err(|_| SnapshotError::Malformed)
}

/// The name a link's scores are shown under: the one it carries, or a stand-in for a
/// name no workspace could have.
pub fn shown_name(name: &str) -> Name {
    Name::new(name).unwrap_or_else(|_| Name::new("Shared scores").expect("fixed name"))
}

/// Decodes and validates a map or scoreboard link (scopes `m` and `b`): names and
/// scores, no records. `Ok(None)` for a link of a whole workspace or a unit, whose
/// records only [`decode`] reads: the embed page (src/embed.rs) opens those in the app.
/// It never reaches the workspace decoder, so the embed page's WebAssembly leaves it out.
pub fn decode_scores_only(text: &str) -> Result<Option<(Scope, MapOnly)>, SnapshotError> {
    scores_of(&header(text)?)
}

/// The scores a map or scoreboard link's header leads to; `None` for other scopes.
fn scores_of(head: &Header) -> Result<Option<(Scope, MapOnly)>, SnapshotError> {
    if !matches!(head.scope, Scope::Map | Scope::Board) {
        return Ok(None);
    }
    let bytes = data_bytes(head.data)?;
    Ok(Some((head.scope, decode_scores(&bytes, head.scope)?)))
}

/// Decodes and validates a snapshot fragment (format 1 or 2).
pub fn decode(text: &str) -> Result<Snapshot, SnapshotError> {
    let head = header(text)?;
    if let Some((scope, map)) = scores_of(&head)? {
        let as_of = Some(map.as_of);
        return Ok(Snapshot { scope, workspace: Workspace::new(shown_name(&map.name)), map: Some(map), as_of });
    }
    let Header { scope, as_of, data, layout } = head;
    let bytes = data_bytes(data)?;
    let mut workspace = compact::from_bytes_as(&bytes, layout).map_err(|e| SnapshotError::Damaged(e.to_string()))?;
    workspace.normalize();
    // A unit's part may name someone outside it as a reviewer or recorder, and nothing else.
    let outside_ok = |e: &ModelError| matches!(scope, Scope::Unit(_)) && matches!(e, ModelError::UnknownUnit { field: "reviewer" | "recorded by", id: 0 });
    if let Err(errors) = workspace.validate() {
        let errors: Vec<String> = errors.iter().filter(|e| !outside_ok(e)).take(3).map(ToString::to_string).collect();
        if !errors.is_empty() {
            return Err(SnapshotError::Damaged(errors.join("; ")));
        }
    }
    if let Scope::Unit(u) = scope {
        if workspace.unit(u).is_none() {
            return Err(SnapshotError::Damaged("the unit it shows is missing".into()));
        }
    }
    let as_of = as_of.or_else(|| workspace.last_date().map(crate::core::dates::week_end));
    Ok(Snapshot { scope, workspace, map: None, as_of })
}
