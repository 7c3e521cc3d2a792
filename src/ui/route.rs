//! Hash routes (`#/units/3`): deep links survive a reload on any static host, from any
//! sub-path, with no rewrite rules.

use crate::core::UnitId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Overview,
    Units,
    Unit(UnitId),
    CheckIns,
    Decisions,
    Workshop,
    Settings,
    NotFound(String),
}

impl Route {
    /// Parses the hash (without `#`).
    pub fn parse(hash: &str) -> Route {
        let path = hash.split('?').next().unwrap_or("").trim_start_matches('/').trim_end_matches('/');
        let parts: Vec<&str> = path.split('/').collect();
        match parts.as_slice() {
            [""] | ["overview"] => Route::Overview,
            ["units"] => Route::Units,
            ["units", id] => id.parse().map(|n| Route::Unit(UnitId(n))).unwrap_or_else(|_| Route::NotFound(hash.to_owned())),
            ["check-ins"] => Route::CheckIns,
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
            Route::Decisions => "#/decisions".into(),
            Route::Workshop => "#/workshop".into(),
            Route::Settings => "#/settings".into(),
            Route::NotFound(h) => format!("#{h}"),
        }
    }

    pub fn title(&self) -> &'static str {
        match self {
            Route::Overview => "Overview",
            Route::Units | Route::Unit(_) => "Units",
            Route::CheckIns => "Check-ins",
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
            other => other.clone(),
        }
    }
}

/// The main navigation, in order.
pub const NAV: [Route; 6] = [Route::Overview, Route::Units, Route::CheckIns, Route::Decisions, Route::Workshop, Route::Settings];
