//! Team workspaces, as a leadership team uses them: two people in two browser profiles
//! share one workspace through a CouchDB API (the pinned pouchdb-server on loopback,
//! another origin than the app's), set up the way `latitude-cli couch setup` does. A
//! leader shares the sample, a member joins and sees it whole; an edit reaches the other
//! side; an edit made while logged out waits in the outbox across a reload and is sent
//! after logging in again; two edits of one record become a conflict in the To-do list,
//! settled by a choice that reaches everyone.

#[path = "../pouchdb/mod.rs"]
mod pouchdb;

use serde_json::json;

use crate::harness::*;

/// A set-up team database `team` with a leader `ana` and a member `bruno`, CORS open to
/// the app's origin with credentials. Made on a thread of its own (the helper blocks).
fn team_server(app_origin: String) -> pouchdb::Server {
    let server = pouchdb::start();
    let admin = pouchdb::make_admin(&server, "admin", "secret");
    for (path, body) in [
        ("/_config/httpd/enable_cors", json!("true")),
        ("/_config/cors/origins", json!(app_origin)),
        ("/_config/cors/credentials", json!("true")),
        ("/_config/cors/methods", json!("GET, PUT, POST, HEAD, DELETE")),
        ("/_config/cors/headers", json!("accept, authorization, content-type, origin, referer")),
    ] {
        let (status, answer) = pouchdb::request(&server, "PUT", path, Some(&admin), Some(&body)).unwrap();
        assert_eq!(status, 200, "{path}: {answer}");
    }
    let put = |path: &str, body: serde_json::Value| {
        let (status, answer) = pouchdb::request(&server, "PUT", path, Some(&admin), Some(&body)).unwrap();
        assert!(status == 201 || status == 200, "{path}: {status} {answer}");
    };
    put("/team", json!({}));
    put("/team/_security", latitude::sync::security_object());
    put(&format!("/team/{}", latitude::sync::DESIGN_ID), latitude::sync::design_document());
    for (name, role) in [("ana", "leader"), ("bruno", "member")] {
        put(&format!("/_users/org.couchdb.user:{name}"), json!({ "name": name, "password": "pw-".to_owned() + name, "roles": [role], "type": "user" }));
    }
    server
}

/// Stops the server where blocking is allowed.
fn stop(server: pouchdb::Server) {
    std::thread::spawn(move || drop(server)).join().unwrap();
}

fn origin(base: &str) -> String {
    let rest = base.split_once("://").map_or(base, |(_, r)| r);
    let host = rest.split('/').next().unwrap_or(rest);
    format!("{}://{host}", base.split_once("://").map_or("http", |(s, _)| s))
}

/// Fills the Settings card's login and presses `button` (`team-share` or `team-join`).
async fn connect(b: &Browser, url: &str, name: &str, button: &str) -> R {
    b.open("#/settings").await?;
    b.wait_for("team-card").await?;
    b.type_into("team-server", url).await?;
    b.type_into("team-db", "team").await?;
    b.type_into("team-name", name).await?;
    b.type_into("team-password", &format!("pw-{name}")).await?;
    b.click(button).await?;
    Ok(())
}

/// Waits until the header says `label` (a sync round can take a few seconds).
async fn status_is(b: &Browser, label: &str) -> R {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(40);
    loop {
        let now = if b.exists("sync-status").await? { b.text("sync-status").await? } else { String::new() };
        if now.contains(label) {
            return Ok(());
        }
        if std::time::Instant::now() > deadline {
            let error = if b.exists("team-error").await? { b.text("team-error").await? } else { String::new() };
            return Err(format!("{}: sync status “{now}”, waiting for “{label}” ({error})", b.name).into());
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
}

async fn workspace_name(b: &Browser) -> R<String> {
    b.open("#/settings").await?;
    let el = b.wait_for("ws-name").await?;
    Ok(el.prop("value").await?.unwrap_or_default())
}

async fn rename(b: &Browser, name: &str) -> R {
    b.open("#/settings").await?;
    b.wait_for("ws-name").await?;
    b.js("const i = document.querySelector('[data-testid=ws-name]'); i.value = ''; i.dispatchEvent(new Event('input', {bubbles: true}));", vec![]).await?;
    b.type_into("ws-name", name).await?;
    b.click("ws-rename").await?;
    Ok(())
}

#[tokio::test]
async fn two_leaders_share_a_workspace_edits_wait_offline_and_a_conflict_is_settled_by_a_choice() {
    let ana = Browser::start("team_ana").await;
    let bruno = Browser::start("team_bruno").await;
    let app = origin(&ana.base);
    let couch = std::thread::spawn(move || team_server(app)).join().unwrap();
    let url = couch.url();
    let r = async {
        // Ana, a leader, shares the sample organisation.
        open_sample(&ana).await?;
        connect(&ana, &url, "ana", "team-share").await?;
        status_is(&ana, "Synced").await?;
        ensure(ana.text("team-user").await? == "ana", "edits are recorded as ana")?;
        // Bruno joins from a fresh browser and gets the whole workspace.
        bruno.open("").await?;
        connect(&bruno, &url, "bruno", "team-join").await?;
        status_is(&bruno, "Synced").await?;
        bruno.open("").await?;
        eventually("17 units arrive", || async { Ok(bruno.find_all("scoreboard-row").await?.len() == 17) }).await?;
        // Bruno's edit reaches Ana.
        rename(&bruno, "Acme, shared").await?;
        status_is(&bruno, "Synced").await?;
        ana.open("#/settings").await?;
        ana.click("team-sync").await?;
        eventually("the rename reaches ana", || async { Ok(workspace_name(&ana).await? == "Acme, shared") }).await?;
        // Logged out, Bruno's edit waits; it survives a reload and goes after a login.
        bruno.open("#/settings").await?;
        bruno.click("team-log-out").await?;
        status_is(&bruno, "Logged out").await?;
        rename(&bruno, "Bruno's name").await?;
        status_is(&bruno, "Logged out").await?;
        bruno.reload().await?;
        bruno.open("#/settings").await?;
        status_is(&bruno, "Logged out").await?;
        ensure(bruno.text("team-status").await?.contains("1 edit not yet sent is kept here"), format!("the waiting edit is told: {}", bruno.text("team-status").await?))?;
        // Meanwhile Ana renames too: the two edits of one record are concurrent.
        rename(&ana, "Ana's name").await?;
        status_is(&ana, "Synced").await?;
        bruno.open("#/settings").await?;
        bruno.type_into("team-password", "pw-bruno").await?;
        bruno.click("team-relogin-submit").await?;
        status_is(&bruno, "1 conflict").await?;
        // The conflict is in Bruno's To-do list with both versions, who and what differs.
        bruno.open("#/todo").await?;
        bruno.wait_for("conflicts").await?;
        let versions = bruno.find_all("conflict-version").await?;
        ensure(versions.len() == 2, format!("{} versions", versions.len()))?;
        let text = bruno.text("conflicts").await?;
        ensure(
            text.contains("the workspace's name") && text.contains("Ana's name") && text.contains("Bruno's name") && text.contains("ana") && text.contains("bruno"),
            format!("conflict shown: {text}"),
        )?;
        // Bruno keeps his own version; it reaches Ana and nobody has a conflict left.
        let keep = bruno.find_all("conflict-keep").await?;
        let mine = if versions[1].text().await?.contains("Bruno's name") { 1 } else { 0 };
        bruno.click_el(&keep[mine]).await?;
        status_is(&bruno, "Synced").await?;
        ensure(!bruno.exists("conflicts").await?, "the conflict is settled")?;
        ana.open("#/settings").await?;
        ana.click("team-sync").await?;
        eventually("bruno's choice reaches ana", || async { Ok(workspace_name(&ana).await? == "Bruno's name") }).await?;
        status_is(&ana, "Synced").await?;
        // Every document names who wrote it last.
        let couch_docs = {
            let url = format!("{url}/team/workspace");
            bruno.js("return fetch(arguments[0], {credentials: 'include'}).then(r => r.json());", vec![json!(url)]).await?
        };
        ensure(couch_docs["by"] == "bruno", format!("the workspace document names its writer: {couch_docs}"))?;
        no_console_errors(&ana).await?;
        no_console_errors(&bruno).await?;
        Ok(())
    }
    .await;
    stop(couch);
    let rb = if r.is_ok() { Ok(()) } else { Err("see the other browser's failure".into()) };
    ana.finish(r).await;
    bruno.finish(rb).await;
}
