//! One module per view.

mod checkins;
mod decisions;
mod misc;
mod overview;
mod settings;
pub(crate) mod share;
#[cfg(feature = "team")]
mod team;
#[cfg(not(feature = "team"))]
#[path = "team_local.rs"]
mod team;
mod todo;
mod unit;
mod units;
mod workshop;

pub use checkins::CheckIns;
pub use decisions::Decisions;
pub use misc::{NotFound, Recovery};
pub use overview::Overview;
pub use settings::Settings;
pub use share::{Embed, SharePanel};
pub use team::{ConflictList, SyncBadge};
pub use todo::{todo_count, Todo};
pub use unit::UnitPage;
pub use units::Units;
pub use workshop::Workshop;

use leptos::prelude::*;

/// The heading block of a page.
#[component]
pub fn PageHeader(#[prop(into)] title: String, #[prop(into)] lead: String, #[prop(optional)] children: Option<Children>) -> impl IntoView {
    view! {
        <div class="page-header">
            <div>
                <h1 class="page-header__title">{title}</h1>
                <p class="page-header__lead">{lead}</p>
            </div>
            <div class="page-header__tools">{children.map(|c| c())}</div>
        </div>
    }
}

/// A number with its label.
#[component]
pub fn Stat(#[prop(into)] label: String, #[prop(into)] value: Signal<String>, #[prop(into)] testid: String, #[prop(optional, into)] hint: String) -> impl IntoView {
    view! {
        <div class="stat" data-testid=testid>
            <div class="stat__value">{move || value.get()}</div>
            <div class="stat__label">{label}</div>
            {(!hint.is_empty()).then(|| view! { <div class="stat__hint">{hint}</div> })}
        </div>
    }
}
