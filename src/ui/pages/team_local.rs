//! Team workspaces in the local build's views: the Settings card offers to share or join
//! in the team build; there is no sync status and no conflict in a local workspace.

use leptos::prelude::*;

use crate::ui::browser;

/// The Settings card: what a team workspace is, and the way to the team build.
#[component]
pub fn TeamCard() -> impl IntoView {
    view! {
        <section class="card team" id="team" data-testid="team-card">
            <h2 class="card__title">"Team workspace"</h2>
            <p>"This workspace lives in this browser only. A leadership team shares one workspace through a CouchDB database that a server admin sets up with "<code>"latitude-cli couch setup"</code>" and where each of you has a login: everyone's edits reach everyone, and each record names who made it. The copy here keeps working offline."</p>
            <div class="button-row">
                <a class="button button--primary" href=browser::team_build_href("#/settings") data-testid="team-open">"Share or join a team workspace…"</a>
            </div>
            <p class="muted">"Team workspaces open in Latitude's team edition: the same app and the same workspaces, with the code that syncs loaded only there."</p>
        </section>
    }
}

/// The header's sync status: none for a local workspace.
#[component]
pub fn SyncBadge() -> impl IntoView {}

/// The To-do list's conflicts: none in a local workspace.
#[component]
pub fn ConflictList() -> impl IntoView {}
