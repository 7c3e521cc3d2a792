//! Hash routes (`#/units/3`): deep links survive a reload on any static host, from any
//! sub-path, with no rewrite rules.

use crate::core::UnitId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Overview,
    Units,
    Unit(UnitId),
    CheckIns,
    Todo,
    Decisions,
    Workshop,
    Settings,
    /// A read-only snapshot carried in the fragment.
    Snapshot(String),
    /// A chart or the scoreboard alone, for an iframe, from a snapshot in the fragment.
    Embed(EmbedKind, String),
    NotFound(String),
}

/// What an embed shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmbedKind {
    Map,
    Scoreboard,
}

impl EmbedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EmbedKind::Map => "map",
            EmbedKind::Scoreboard => "scoreboard",
        }
    }
}

impl Route {
    /// The snapshot data a route carries, if any: such routes never touch local workspaces.
    pub fn snapshot_data(&self) -> Option<&str> {
        match self {
            Route::Snapshot(d) | Route::Embed(_, d) => Some(d),
            _ => None,
        }
    }

    /// Parses the hash (without `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.split('?').next().unwrap_or("").trim_start_matches('/').trim_end_matches('/');
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            ["snapshot", data] => Route::Snapshot((*data).to_owned()),
            ["embed", "map", data] => Route::Embed(EmbedKind::Map, (*data).to_owned()),
            ["embed", "scoreboard", data] => Route::Embed(EmbedKind::Scoreboard, (*data).to_owned()),
            [""] | ["overview"] => Route::Overview,
            ["units"] => Route::Units,
            ["units", id] => id.parse().map(|n| Route::Unit(UnitId(n))).unwrap_or_else(|_| Route::NotFound(hash.to_owned())),
            ["check-ins"] => Route::CheckIns,
            ["to-do"] => Route::Todo,
            ["decisions"] => Route::Decisions,
            ["workshop"] => Route::Workshop,
            ["settings"] => Route::Settings,
            _ => Route::NotFound(hash.to_owned()),
        }
    }

    pub fn href(&self) -> String {
        match self {
            Route::Overview => "#/".into(),
            Route::Units => "#/units".into(),
            Route::Unit(id) => format!("#/units/{}", id.0),
            Route::CheckIns => "#/check-ins".into(),
            Route::Todo => "#/to-do".into(),
            Route::Decisions => "#/decisions".into(),
            Route::Workshop => "#/workshop".into(),
            Route::Settings => "#/settings".into(),
            Route::Snapshot(d) => format!("#/snapshot/{d}"),
            Route::Embed(k, d) => format!("#/embed/{}/{d}", k.as_str()),
            Route::NotFound(h) => format!("#{h}"),
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Route::Overview | Route::Snapshot(_) => "Overview",
            Route::Embed(..) => "Embedded view",
            Route::Units | Route::Unit(_) => "Units",
            Route::CheckIns => "Check-ins",
            Route::Todo => "To do",
            Route::Decisions => "Decisions",
            Route::Workshop => "Workshop",
            Route::Settings => "Settings",
            Route::NotFound(_) => "Page not found",
        }
    }

    /// The navigation entry this route belongs to.
    pub fn section(&self) -> Route {
        match self {
            Route::Unit(_) => Route::Units,
            Route::Snapshot(_) | Route::Embed(..) => Route::Overview,
            other => other.clone(),
        }
    }
}

/// The as-of date a link carries in its fragment's query (`#/units/3?asof=2026-10-01`),
/// if it is a valid date.
pub fn as_of_param(hash: &str) -> Option<time::Date> {
    let (_, query) = hash.split_once('?')?;
    query.split('&').find_map(|kv| kv.strip_prefix("asof=")).and_then(|v| crate::core::parse_date(v).ok())
}

/// The earliest year an as-of date may have: a date field typed digit by digit passes
/// through years such as 0002, which are not meant.
pub const EARLIEST_AS_OF_YEAR: i32 = 1900;

/// Why `date` cannot be the as-of date on `today`, in the words the as-of field and a
/// link both use, saying the date `keep` is still shown; `None` when it can.
pub fn as_of_refusal(date: time::Date, today: time::Date, keep: time::Date) -> Option<String> {
    use crate::core::format_date;
    if date > today {
        // A future date would score check-ins not made yet.
        Some(format!("{} is in the future: scores can only be replayed up to today ({}); still showing {}.", format_date(date), format_date(today), format_date(keep)))
    } else if date.year() < EARLIEST_AS_OF_YEAR {
        Some(format!("{} is before {EARLIEST_AS_OF_YEAR}: type a four-digit year; still showing {}.", format_date(date), format_date(keep)))
    } else {
        None
    }
}

/// What a link's `asof` parameter asks for, read on `today` while `keep` is shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkedAsOf {
    /// The link names no date.
    Absent,
    /// A date that can be shown.
    Date(time::Date),
    /// A date that cannot (in the future, before 1900, or not a date), with why, in the
    /// words the as-of field uses.
    Refused(String),
}

/// Reads the `asof` parameter of a fragment: a date to show, or why it is not shown.
pub fn linked_as_of(hash: &str, today: time::Date, keep: time::Date) -> LinkedAsOf {
    let Some((_, query)) = hash.split_once('?') else { return LinkedAsOf::Absent };
    let Some(text) = query.split('&').find_map(|kv| kv.strip_prefix("asof=")) else { return LinkedAsOf::Absent };
    match crate::core::parse_date(text) {
        Ok(d) => match as_of_refusal(d, today, keep) {
            Some(why) => LinkedAsOf::Refused(why),
            None => LinkedAsOf::Date(d),
        },
        Err(e) => LinkedAsOf::Refused(format!("{e}; still showing {}.", crate::core::format_date(keep))),
    }
}

/// The fragment with its `asof` parameter set to `as_of`, or removed for `None`; the
/// route and any other parameters are kept as they are. Snapshot routes are left alone
/// (their data carries its own date).
pub fn with_as_of(hash: &str, as_of: Option<time::Date>) -> String {
    if Route::parse(hash).snapshot_data().is_some() {
        return hash.to_owned();
    }
    let (path, query) = hash.split_once('?').unwrap_or((hash, ""));
    let mut params: Vec<String> = query.split('&').filter(|kv| !kv.is_empty() && !kv.starts_with("asof=")).map(str::to_owned).collect();
    if let Some(d) = as_of {
        params.push(format!("asof={}", crate::core::format_date(d)));
    }
    let path = if path.is_empty() { "/" } else { path };
    if params.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{}", params.join("&"))
    }
}

/// The fragment to show instead of `hash` (without `#`) after records moved to fresh ids
/// (`moved`: old and new document ids, as a sync round reports them): a unit's page
/// follows its unit, parameters kept. `None`: the page names no record that moved.
pub fn after_move(hash: &str, moved: &[(String, String)]) -> Option<String> {
    let Route::Unit(unit) = Route::parse(hash) else { return None };
    let (_, new) = moved.iter().find(|(old, _)| *old == format!("unit:{}", unit.0))?;
    let id: u32 = new.strip_prefix("unit:")?.parse().ok()?;
    let query = hash.split_once('?').map(|(_, q)| format!("?{q}")).unwrap_or_default();
    Some(format!("/units/{id}{query}"))
}

/// The main navigation, in order.
pub const NAV: [Route; 7] = [Route::Overview, Route::Units, Route::CheckIns, Route::Todo, Route::Decisions, Route::Workshop, Route::Settings];
