//! Workspaces in this browser: every stored one stays reachable when the list of them
//! cannot be read, the workspace forms (open, rename, delete), and the choice a tab
//! offers when another tab wrote while it had edits not yet written.

use fantoccini::Locator;
use serde_json::json;

use crate::common::Builder;
use crate::harness::*;
use latitude::core::Name;
use latitude::storage::store::{decode_stored, encode_stored};

const KEY: &str = "latitude/ws/default";

/// The three stored workspaces: (id, name, the one unit each holds).
const THREE: [(&str, &str, &str); 3] = [("default", "Alpha", "Unit of Alpha"), ("ws-b", "Beta", "Unit of Beta"), ("ws-c", "Gamma", "Unit of Gamma")];

async fn unit_list(b: &Browser) -> R<String> {
    if b.exists("unit-list").await? {
        b.text("unit-list").await
    } else {
        Ok(String::new())
    }
}

async fn add_unit(b: &Browser, name: &str) -> R {
    b.type_into("unit-name", name).await?;
    b.click("unit-add").await?;
    Ok(())
}

/// The names in Settings' workspace list, in order.
async fn listed(b: &Browser) -> R<Vec<String>> {
    let mut names = Vec::new();
    for row in b.find_all("workspace-row").await? {
        names.push(row.text().await?);
    }
    Ok(names)
}

/// Clicks a button (by test id) in the workspace row that names `name`.
async fn in_row(b: &Browser, name: &str, testid: &str) -> R {
    for row in b.find_all("workspace-row").await? {
        if row.text().await?.contains(name) {
            b.click_el(&row.find(Locator::Css(&format!("[data-testid=\"{testid}\"]"))).await?).await?;
            return Ok(());
        }
    }
    Err(format!("no workspace row names {name}").into())
}

/// Every one of the three is listed in Settings, and opens with its own unit.
async fn all_three_listed_and_open(b: &Browser, when: &str) -> R {
    b.open("#/settings").await?;
    eventually(&format!("{when}: three workspaces listed"), || async { Ok(b.find_all("workspace-row").await?.len() == 3) }).await?;
    let names = listed(b).await?;
    for (_, name, _) in THREE {
        ensure(names.iter().any(|n| n.contains(name)), format!("{when}: {name} is not listed in {names:?}"))?;
    }
    for (_, name, unit) in THREE {
        b.open("#/settings").await?;
        let open_now = listed(b).await?.into_iter().any(|n| n.contains(name) && n.contains("open"));
        if !open_now {
            in_row(b, name, "workspace-open").await?;
        }
        b.open("#/units").await?;
        eventually(&format!("{when}: {name} opens with its unit"), || async { Ok(unit_list(b).await?.contains(unit)) }).await?;
    }
    Ok(())
}

#[tokio::test]
async fn an_unreadable_workspace_list_is_rebuilt_and_every_workspace_stays_reachable() {
    let b = Browser::start("index_recovery").await;
    let r = async {
        b.open("").await?;
        let shapes = [
            ("truncated JSON", r#"{"workspaces":[{"id":"default","name":"Alpha"},{"id":"ws-b","na"#),
            ("a number", "42"),
            ("another app's object", r#"{"todos":[{"title":"milk","done":false}]}"#),
            ("an empty string", ""),
        ];
        for (shape, raw) in shapes {
            b.js("localStorage.clear();", vec![]).await?;
            b.forget_journaled(None).await?;
            for (id, name, unit) in THREE {
                let mut builder = Builder::new();
                builder.unit(unit, None);
                let mut ws = builder.build();
                ws.name = Name::new(name)?;
                b.seed_local_storage(&format!("latitude/ws/{id}"), &encode_stored(&ws, 1, "seed", "")).await?;
            }
            b.seed_local_storage("latitude/index", raw).await?;
            b.reload().await?;
            let banner = b.text("banner-recovered").await?;
            ensure(banner.contains("could not be read") && banner.contains("3 stored workspaces"), format!("{shape}: the banner says {banner:?}"))?;
            ensure(b.local_storage("latitude/recovered/index").await?.as_deref() == Some(raw), format!("{shape}: the unreadable list is not kept aside"))?;
            all_three_listed_and_open(&b, &format!("{shape}, after reload")).await?;
            // The next edit (in Gamma, open last) saves and lists again; a reload tells nothing more.
            add_unit(&b, "Edited after the repair").await?;
            eventually("the edit is saved", || async { Ok(stored_text(&b, "latitude/ws/ws-c").await?.contains("Edited after the repair")) }).await?;
            b.reload().await?;
            ensure(!b.exists("banner-recovered").await?, format!("{shape}: the recovery is told again after a reload"))?;
            all_three_listed_and_open(&b, &format!("{shape}, after the next edit")).await?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn workspaces_are_made_renamed_opened_and_deleted_through_their_forms() {
    let b = Browser::start("workspace_forms").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Unit of the first").await?;
        eventually("saved", || async { Ok(stored_text(&b, KEY).await?.contains("Unit of the first")) }).await?;
        b.open("#/settings").await?;
        let first = listed(&b).await?.join(" ");
        b.click("workspace-new").await?;
        eventually("two workspaces", || async { Ok(b.find_all("workspace-row").await?.len() == 2) }).await?;

        // Rename the new, open one; an empty name is refused and changes nothing.
        b.type_into("ws-name", " ").await?;
        b.click("ws-rename").await?;
        let error = b.text("ws-name-error").await?;
        ensure(error.contains("must not be empty"), format!("the empty name gives {error:?}"))?;
        ensure(listed(&b).await?.iter().any(|n| n.contains("New organisation")), "a refused name changed the list")?;
        b.type_into("ws-name", "Second org").await?;
        b.click("ws-rename").await?;
        eventually("the list shows the new name", || async { Ok(listed(&b).await?.iter().any(|n| n.contains("Second org") && n.contains("open"))) }).await?;
        ensure(b.text("ws-name-error").await?.is_empty(), "the error stays after a good name")?;
        let stored_keys = || async {
            let all = b.all_local_storage().await?;
            let ws: Vec<String> = all.as_object().map(|o| o.keys().filter(|k| k.starts_with("latitude/ws/")).cloned().collect()).unwrap_or_default();
            R::<Vec<String>>::Ok(ws)
        };
        let keys = stored_keys().await?;
        ensure(keys.len() == 2, format!("stored workspaces {keys:?}"))?;
        let second_key = keys.iter().find(|k| k.as_str() != KEY).cloned().ok_or("no second key")?;
        eventually("the rename is stored", || async { Ok(stored_text(&b, &second_key).await?.contains("Second org")) }).await?;
        // The list follows another tab's workspaces without a reload: one it lists, then
        // takes out again.
        let other_tab_lists = "const [extra] = arguments; const index = JSON.parse(localStorage.getItem('latitude/index'));
             index.workspaces = index.workspaces.filter(m => m.id !== 'ws-other');
             if (extra) index.workspaces.push({ id: 'ws-other', name: 'Made in another tab' });
             const frame = document.createElement('iframe'); frame.hidden = true; document.body.appendChild(frame);
             frame.contentWindow.localStorage.setItem('latitude/index', JSON.stringify(index));";
        b.js(other_tab_lists, vec![json!(true)]).await?;
        eventually("another tab's workspace is listed", || async { Ok(listed(&b).await?.iter().any(|n| n.contains("Made in another tab"))) }).await?;
        b.js(other_tab_lists, vec![json!(false)]).await?;
        eventually("and gone when it is gone", || async { Ok(b.find_all("workspace-row").await?.len() == 2) }).await?;

        // Open the first again. Its buttons name it, for a screen reader's list of buttons.
        let labels = b.js("return [...document.querySelectorAll('[data-testid=workspace-open], [data-testid=workspace-delete]')].map(e => e.getAttribute('aria-label'));", vec![]).await?;
        ensure(labels == json!(["Open My organisation", "Delete My organisation…"]), format!("the buttons' names: {labels}"))?;
        in_row(&b, "My organisation", "workspace-open").await?;
        b.open("#/units").await?;
        eventually("the first opens with its unit", || async { Ok(unit_list(&b).await?.contains("Unit of the first")) }).await?;
        // Another tab opens the second (the list notes it as the one opened last): a
        // reload of this tab opens the one it showed, the first.
        let second_id = second_key.trim_start_matches("latitude/ws/").to_owned();
        eventually("the first is noted as open", || async { Ok(b.local_storage("latitude/index").await?.unwrap_or_default().contains("\"active\":\"default\"")) }).await?;
        b.js(
            "const [id] = arguments; const index = JSON.parse(localStorage.getItem('latitude/index')); index.active = id;
             const frame = document.createElement('iframe'); frame.hidden = true; document.body.appendChild(frame);
             frame.contentWindow.localStorage.setItem('latitude/index', JSON.stringify(index));",
            vec![json!(second_id)],
        )
        .await?;
        b.reload().await?;
        b.open("#/units").await?;
        eventually("after a reload this tab shows the first still", || async { Ok(unit_list(&b).await?.contains("Unit of the first")) }).await?;

        // Delete the second: asked first, then gone from the list and from storage.
        b.open("#/settings").await?;
        in_row(&b, "Second org", "workspace-delete").await?;
        ensure(b.find_all("workspace-row").await?.len() == 2, "deleted before confirming")?;
        b.click("workspace-delete-confirm").await?;
        eventually("one workspace left", || async { Ok(b.find_all("workspace-row").await?.len() == 1) }).await?;
        ensure(stored_keys().await? == vec![KEY.to_owned()], "the deleted workspace is still stored")?;
        ensure(!listed(&b).await?.join(" ").contains("Second org") && first.contains("My organisation"), "the list after deleting")?;
        b.reload().await?;
        b.open("#/settings").await?;
        ensure(b.find_all("workspace-row").await?.len() == 1, "the deleted workspace is back after a reload")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// The version a conflict set aside last, as Settings lists it: named after its
/// workspace and the minute it was set aside ("My organisation (set aside 2026-11-29
/// 05:01)", the same in every tab). Its name and storage key.
async fn set_aside(b: &Browser) -> R<(String, String)> {
    let index: serde_json::Value = serde_json::from_str(&b.local_storage("latitude/index").await?.ok_or("no workspace list")?)?;
    let copy = index["workspaces"]
        .as_array()
        .into_iter()
        .flatten()
        .rfind(|m| m["name"].as_str().is_some_and(|n| n.starts_with("My organisation (set aside ")))
        .ok_or(format!("nothing set aside is listed: {index}"))?;
    let name = copy["name"].as_str().unwrap_or_default().to_owned();
    let when = name.trim_start_matches("My organisation (set aside ");
    let minute = when.get(..16).unwrap_or_default();
    ensure(
        latitude::core::parse_date(&minute[..minute.len().min(10)]).is_ok() && minute.get(10..11) == Some(" ") && minute.get(13..14) == Some(":"),
        format!("named after the minute it was set aside: {name:?}"),
    )?;
    Ok((name, format!("latitude/ws/{}", copy["id"].as_str().unwrap_or_default())))
}

/// Opens the units page and adds a unit both versions share, once it is stored.
async fn shared_unit_saved(b: &Browser) -> R {
    b.open("#/units").await?;
    add_unit(b, "Shared unit").await?;
    eventually("saved", || async { Ok(stored_text(b, KEY).await?.contains("Shared unit")) }).await
}

/// With an edit not yet written, another browsing context of this origin writes a newer
/// version of the open workspace (through a same-origin frame's localStorage, so the
/// browser delivers a real `storage` event). Returns their version's name.
async fn conflict(b: &Browser, mine: &str, round: u32) -> R<String> {
    let raw = b.local_storage(KEY).await?.ok_or("nothing stored")?;
    let env = decode_stored(&raw)?;
    let mut theirs = env.workspace.clone();
    let name = format!("Renamed in the other tab ({round})");
    theirs.name = Name::new(&name)?;
    let theirs = encode_stored(&theirs, env.rev + 1, "tab-other", "");
    // One script, so the edit is still unwritten (the write waits 300 ms) when theirs lands.
    b.js(
        "const [mine, theirs, key] = arguments;
         let frame = document.getElementById('other-tab');
         if (!frame) { frame = document.createElement('iframe'); frame.id = 'other-tab'; frame.hidden = true; document.body.appendChild(frame); }
         const input = document.querySelector('[data-testid=\"unit-name\"]');
         input.value = mine;
         input.dispatchEvent(new Event('input', { bubbles: true }));
         document.querySelector('[data-testid=\"unit-add\"]').click();
         frame.contentWindow.localStorage.setItem(key, theirs);",
        vec![json!(mine), json!(theirs), json!(KEY)],
    )
    .await?;
    b.wait_for("banner-conflict").await?;
    ensure(unit_list(b).await?.contains(mine), "this tab's edit is still shown")?;
    Ok(name)
}

#[tokio::test]
async fn with_unwritten_edits_when_another_tab_writes_both_choices_keep_what_they_say() {
    let b = Browser::start("conflict_choices").await;
    let r = async {
        shared_unit_saved(&b).await?;

        // Keep mine: this tab's version is written over theirs, on top of their revision.
        let theirs = conflict(&b, "Mine, kept", 1).await?;
        let their_rev = decode_stored(&b.local_storage(KEY).await?.unwrap_or_default())?.rev;
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        ensure(!stored_text(&b, KEY).await?.contains("Mine, kept"), "the tab wrote before the user chose")?;
        b.click("conflict-keep-mine").await?;
        eventually("mine is stored", || async { Ok(stored_text(&b, KEY).await?.contains("Mine, kept")) }).await?;
        let env = decode_stored(&b.local_storage(KEY).await?.unwrap_or_default())?;
        ensure(env.workspace.name.as_str() != theirs && env.rev == their_rev + 1, format!("kept mine gives {:?} at rev {}", env.workspace.name.as_str(), env.rev))?;
        ensure(!b.exists("banner-conflict").await?, "the choice is still asked")?;

        // Load theirs: their version is shown and stays stored; mine is kept as a
        // workspace of its own, and the notice says where.
        let theirs = conflict(&b, "Mine, kept aside", 2).await?;
        let stored_before = b.local_storage(KEY).await?;
        b.click("conflict-load-theirs").await?;
        eventually("theirs is shown", || async { Ok(!unit_list(&b).await?.contains("Mine, kept aside")) }).await?;
        ensure(!b.exists("banner-conflict").await?, "the choice is still asked")?;
        tokio::time::sleep(std::time::Duration::from_millis(600)).await;
        ensure(b.local_storage(KEY).await? == stored_before, "loading theirs wrote over it")?;
        let env = decode_stored(&b.local_storage(KEY).await?.unwrap_or_default())?;
        ensure(env.workspace.name.as_str() == theirs && !stored_text(&b, KEY).await?.contains("Mine, kept aside"), "their version is not what is stored")?;
        let (copy_name, copy) = set_aside(&b).await?;
        let copy_name = copy_name.as_str();
        let kept = stored_text(&b, &copy).await?;
        ensure(kept.contains("Mine, kept aside") && !kept.contains(&theirs), format!("the copy holds {kept}"))?;
        let told = b.text("banner-recovered").await?;
        ensure(told.contains("This tab's version is kept") && told.contains(copy_name), format!("this tab says {told:?}"))?;
        // The next edit is written on top of theirs.
        add_unit(&b, "After loading theirs").await?;
        eventually("the next edit is stored over theirs", || async {
            let s = stored_text(&b, KEY).await?;
            Ok(s.contains("After loading theirs") && s.contains(&theirs))
        })
        .await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// What the sweep's row `i` says: its button, its result line and its value field.
async fn sweep_row(b: &Browser, i: usize) -> R<(String, String, String)> {
    let said = b
        .js(
            "const r = document.querySelectorAll('[data-testid=sweep-row]')[arguments[0]];
             return [r.querySelector('[data-testid=sweep-save]').innerText, r.querySelector('[data-testid=sweep-result]').innerText, r.querySelector('[data-testid=sweep-value]').value];",
            vec![json!(i)],
        )
        .await?;
    let text = |k: usize| said[k].as_str().unwrap_or_default().trim().to_owned();
    Ok((text(0), text(1), text(2)))
}

/// The sweep's rows that can record a value without being asked about it and without
/// replacing one of that date (so that recording it is an edit to write), each with
/// such a value (its target, baseline or last value).
async fn quiet_rows(b: &Browser) -> R<Vec<(usize, f64)>> {
    let ws = decode_stored(&b.local_storage(KEY).await?.ok_or("nothing stored")?)?.workspace;
    let date = latitude::core::parse_date(b.js("return document.querySelector('[data-testid=as-of]').value;", vec![]).await?.as_str().unwrap_or_default())?;
    let ids = b.js("return [...document.querySelectorAll('[data-testid=sweep-row]')].map(r => r.dataset.commitmentId);", vec![]).await?;
    let mut quiet = Vec::new();
    for (i, id) in ids.as_array().into_iter().flatten().enumerate() {
        let Some(c) = id.as_str().and_then(|id| id.parse().ok()).and_then(|id| ws.commitment(latitude::core::CommitmentId(id))) else { continue };
        if c.checkins().on(date).is_some() {
            continue;
        }
        let last = c.checkins().iter().rev().find(|k| k.date <= date).map(|k| k.value.get());
        if let Some(v) = [c.target.map(|v| v.get()), c.baseline.map(|v| v.get()), last].into_iter().flatten().find(|v| latitude::core::plausible::ask_before_recording(c, *v, date).is_none()) {
            quiet.push((i, v));
        }
    }
    Ok(quiet)
}

/// Records `value` in the sweep's row `i` and, in the same script, before this tab
/// writes it, another tab's newer version of the workspace when `theirs` is given.
async fn record_in_row(b: &Browser, (i, value): (usize, f64), theirs: Option<String>) -> R {
    b.js(
        "const [i, value, theirs, key] = arguments;
         const r = document.querySelectorAll('[data-testid=sweep-row]')[i], input = r.querySelector('[data-testid=sweep-value]');
         input.value = String(value);
         input.dispatchEvent(new Event('input', { bubbles: true }));
         r.querySelector('form').requestSubmit();
         if (theirs) {
           const frame = document.createElement('iframe'); frame.hidden = true; document.body.appendChild(frame);
           frame.contentWindow.localStorage.setItem(key, theirs);
         }",
        vec![json!(i), json!(value), json!(theirs), json!(KEY)],
    )
    .await?;
    Ok(())
}

/// The sample, stored, and its sweep open: two rows that record a value without a
/// question ([`quiet_rows`]).
async fn sweep_of_the_sample(b: &Browser) -> R<((usize, f64), (usize, f64))> {
    open_sample(b).await?;
    eventually("the sample is stored", || async { Ok(b.local_storage(KEY).await?.is_some()) }).await?;
    b.open("#/check-ins").await?;
    let quiet = quiet_rows(b).await?;
    match quiet.as_slice() {
        [first, second, ..] => Ok((*first, *second)),
        _ => Err(format!("two rows to record in: {quiet:?}").into()),
    }
}

#[tokio::test]
async fn a_check_in_recorded_while_a_conflict_waits_says_it_is_not_stored_until_the_choice() {
    let b = Browser::start("conflict_sweep").await;
    let r = async {
        let (first, second) = sweep_of_the_sample(&b).await?;
        // A first value, written.
        record_in_row(&b, first, None).await?;
        eventually("the first row is saved", || async { Ok(sweep_row(&b, first.0).await?.0 == "Saved ✓") }).await?;
        let rev = || async { R::Ok(decode_stored(&b.local_storage(KEY).await?.unwrap_or_default())?.rev) };
        let before = rev().await?;
        eventually("the first value is written", || async { Ok(rev().await? > before || stored_text(&b, KEY).await?.contains(&format!("{}", first.1))) }).await?;
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        // Another tab writes while a second value waits to be written.
        let page = &b;
        let theirs = |name: &'static str| async move {
            let env = decode_stored(&page.local_storage(KEY).await?.unwrap_or_default())?;
            let mut theirs = env.workspace.clone();
            theirs.name = Name::new(name)?;
            R::Ok(encode_stored(&theirs, env.rev + 1, "tab-other", ""))
        };
        record_in_row(&b, second, Some(theirs("Renamed in the other tab").await?)).await?;
        b.wait_for("banner-conflict").await?;
        // Only the value not written says so; the one written before stays saved.
        eventually("the second row waits", || async { Ok(sweep_row(&b, second.0).await?.0 == "Recorded") }).await?;
        let (button, result, _) = sweep_row(&b, second.0).await?;
        ensure(result.contains("not stored yet"), format!("while the conflict waits the row says {button:?}, {result:?}"))?;
        let look = b.js("return document.querySelectorAll('[data-testid=sweep-row]')[arguments[0]].className;", vec![json!(second.0)]).await?;
        ensure(look.as_str().is_some_and(|c| c.contains("sweep__row--waiting") && !c.contains("sweep__row--done")), format!("the waiting row does not look saved: {look}"))?;
        let (button, result, _) = sweep_row(&b, first.0).await?;
        ensure(button == "Saved ✓" && !result.contains("not stored"), format!("the row written before says {button:?}, {result:?}"))?;
        let count = b.text("sweep-saved").await?;
        ensure(count.contains("1 saved, 1 recorded and not stored yet"), format!("the sweep's count: {count:?}"))?;
        // The message the row points to stays in view at the foot of the long sweep.
        b.js("window.scrollTo(0, document.body.scrollHeight);", vec![]).await?;
        eventually("the conflict's message is in view", || async {
            let seen = b
                .js(
                    "const r = document.querySelector('[data-testid=banner-conflict]').getBoundingClientRect(); return window.scrollY > 200 && r.top >= 0 && r.bottom <= innerHeight && r.height > 0;",
                    vec![],
                )
                .await?;
            Ok(seen.as_bool() == Some(true))
        })
        .await?;
        // (Back to the rows: off screen, a row's text is not laid out, and reads empty.)
        b.js("window.scrollTo(0, 0);", vec![]).await?;

        // Loading the newer version: the value is not in it, said so (not as an undo),
        // the banner's notice says where this tab's version went, and the value is back
        // in its field to record again.
        b.click("conflict-load-theirs").await?;
        eventually("the second row says where its value went", || async {
            let (button, result, field) = sweep_row(&b, second.0).await?;
            Ok(button == "Save" && result.contains("The version now shown, another tab's, does not have") && !result.contains("Undid") && field.parse::<f64>().ok() == Some(second.1))
        })
        .await?;
        let told = b.text("banner-recovered").await?;
        ensure(told.contains("This tab's version is kept as the workspace"), format!("the notice says {told:?}"))?;
        ensure(sweep_row(&b, first.0).await?.0 == "Saved ✓", "the row written before is still saved")?;
        let count = b.text("sweep-saved").await?;
        ensure(count.contains("1 saved") && !count.contains("not stored"), format!("the sweep's count after loading: {count:?}"))?;

        // A second conflict, and this tab's version kept: the row is saved once written.
        record_in_row(&b, second, Some(theirs("Renamed in the other tab again").await?)).await?;
        b.wait_for("banner-conflict").await?;
        eventually("the second row waits again", || async { Ok(sweep_row(&b, second.0).await?.0 == "Recorded") }).await?;
        b.click("conflict-keep-mine").await?;
        eventually("once written, the row says saved", || async {
            let (button, result, _) = sweep_row(&b, second.0).await?;
            Ok(button == "Saved ✓" && !result.contains("not stored") && b.text("sweep-saved").await?.contains("2 saved"))
        })
        .await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// Another tab that read `read` wrote its own version (renamed "Written at the same
/// moment") as revision `rev`, the one this tab has just written, over it.
async fn written_at_the_same_moment(b: &Browser, read: &latitude::core::Workspace, rev: u64) -> R {
    let mut theirs = read.clone();
    theirs.name = Name::new("Written at the same moment")?;
    let theirs = encode_stored(&theirs, rev, "tab-other", "");
    b.js(
        "const [theirs, key] = arguments;
         const frame = document.createElement('iframe'); frame.hidden = true; document.body.appendChild(frame);
         frame.contentWindow.localStorage.setItem(key, theirs);",
        vec![json!(theirs), json!(KEY)],
    )
    .await?;
    Ok(())
}

/// Two tabs write the same revision at the same moment, the other tab's over this one's:
/// the check-in that write held is no longer stored, and its row says so until a version
/// is chosen, while a row written before stays saved.
#[tokio::test]
async fn a_check_in_whose_write_another_tab_replaced_is_not_said_to_be_saved() {
    let b = Browser::start("conflict_sweep_race").await;
    let r = async {
        let (first, second) = sweep_of_the_sample(&b).await?;
        let stored = || async { R::Ok(decode_stored(&b.local_storage(KEY).await?.unwrap_or_default())?) };
        record_in_row(&b, first, None).await?;
        eventually("the first row is saved", || async { Ok(sweep_row(&b, first.0).await?.0 == "Saved ✓") }).await?;
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        let before = stored().await?;
        record_in_row(&b, second, None).await?;
        eventually("the second value is written", || async { Ok(stored().await?.rev > before.rev) }).await?;
        eventually("the second row is saved", || async { Ok(sweep_row(&b, second.0).await?.0 == "Saved ✓") }).await?;
        // The other tab read the revision before and wrote its own at the same moment.
        let mine = stored().await?;
        written_at_the_same_moment(&b, &before.workspace, mine.rev).await?;
        b.wait_for("banner-conflict").await?;
        eventually("the second row waits", || async { Ok(sweep_row(&b, second.0).await?.0 == "Recorded") }).await?;
        let (_, result, _) = sweep_row(&b, second.0).await?;
        ensure(result.contains("not stored yet"), format!("the replaced row says {result:?}"))?;
        ensure(sweep_row(&b, first.0).await?.0 == "Saved ✓", "the row written before is still saved")?;
        let count = b.text("sweep-saved").await?;
        ensure(count.contains("1 saved, 1 recorded and not stored yet"), format!("the sweep's count: {count:?}"))?;
        // Keeping this tab's version writes it again: the row is saved.
        b.click("conflict-keep-mine").await?;
        eventually("once written again, the row says saved", || async {
            let (button, result, _) = sweep_row(&b, second.0).await?;
            Ok(button == "Saved ✓" && !result.contains("not stored") && b.text("sweep-saved").await?.contains("2 saved"))
        })
        .await?;
        ensure(stored_text(&b, KEY).await?.contains(&format!("{}", second.1)), "the value is not stored after keeping this tab's version")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn two_tabs_that_write_at_the_same_moment_lose_neither_version() {
    let b = Browser::start("conflict_race").await;
    let r = async {
        shared_unit_saved(&b).await?;
        let before = decode_stored(&b.local_storage(KEY).await?.ok_or("nothing stored")?)?;
        add_unit(&b, "Mine, written").await?;
        eventually("mine is stored", || async { Ok(stored_text(&b, KEY).await?.contains("Mine, written")) }).await?;
        let mine = decode_stored(&b.local_storage(KEY).await?.unwrap_or_default())?;
        // Another tab read the same revision as this one and wrote its own version at the
        // same moment: the same revision number, over this tab's, and no unwritten edit
        // here to set off the question.
        written_at_the_same_moment(&b, &before.workspace, mine.rev).await?;
        b.wait_for("banner-conflict").await?;
        b.click("conflict-load-theirs").await?;
        eventually("theirs is shown", || async { Ok(!unit_list(&b).await?.contains("Mine, written")) }).await?;
        let kept = stored_text(&b, &set_aside(&b).await?.1).await?;
        ensure(kept.contains("Mine, written"), format!("the copy holds {kept}"))?;
        ensure(decode_stored(&b.local_storage(KEY).await?.unwrap_or_default())?.workspace.name.as_str() == "Written at the same moment", "theirs is not what is stored")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn leaving_the_page_while_a_conflict_waits_keeps_this_tabs_version_and_the_next_start_says_where() {
    let b = Browser::start("conflict_leave").await;
    let r = async {
        shared_unit_saved(&b).await?;
        let theirs = conflict(&b, "Mine, unchosen", 1).await?;
        // The page is reloaded without a choice: theirs is what opens, mine is kept.
        b.reload().await?;
        b.open("#/units").await?;
        eventually("theirs is shown", || async {
            let list = unit_list(&b).await?;
            Ok(list.contains("Shared unit") && !list.contains("Mine, unchosen"))
        })
        .await?;
        ensure(decode_stored(&b.local_storage(KEY).await?.unwrap_or_default())?.workspace.name.as_str() == theirs, "their version is not what is stored")?;
        let (copy_name, copy) = set_aside(&b).await?;
        let copy_name = copy_name.as_str();
        let kept = stored_text(&b, &copy).await?;
        ensure(kept.contains("Mine, unchosen"), format!("the copy holds {kept}"))?;
        ensure(!stored_text(&b, KEY).await?.contains("Mine, unchosen"), "the tab wrote over theirs on leaving")?;
        let told = b.text("banner-recovered").await?;
        ensure(told.contains("A tab was closed or reloaded") && told.contains(copy_name), format!("the next start says {told:?}"))?;
        // Said once.
        b.reload().await?;
        b.wait_for("page").await?;
        ensure(!b.exists("banner-recovered").await?, "the notice came back after another reload")?;
        b.open("#/settings").await?;
        eventually("the copy is listed", || async { Ok(listed(&b).await?.iter().any(|n| n.contains(copy_name))) }).await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// Runs `script` with `doc(which)`: this page's document (`"a"`) or that of the app in
/// the frame `tab-b` (`"b"`), and `add(doc, name)`, which types a unit's name and adds it.
const TWO_TABS: &str = "const doc = (which) => which === 'a' ? document : document.getElementById('tab-b').contentDocument;
     const add = (d, name) => {
       const input = d.querySelector('[data-testid=\"unit-name\"]');
       input.value = name;
       input.dispatchEvent(new d.defaultView.Event('input', { bubbles: true }));
       d.querySelector('[data-testid=\"unit-add\"]').click();
     };
     const text = (d, id) => { const el = d.querySelector('[data-testid=\"' + id + '\"]'); return el ? el.textContent : null; };";

/// This tab has an Undo step when another tab's version is taken live: the step is gone
/// (it would take back that tab's edits too), and the page says so.
/// A second tab of the app: the same page in a frame of the same origin (`tab-b`), which
/// hears this page's writes (and this page its) by the storage event; returns once it
/// shows the shared unit.
async fn open_second_tab(b: &Browser) -> R {
    b.js(
        "const f = document.createElement('iframe');
         f.id = 'tab-b';
         f.style.width = '900px';
         f.style.height = '600px';
         f.src = location.href.split('#')[0] + '#/units';
         document.body.appendChild(f);
         return null;",
        vec![],
    )
    .await?;
    eventually("the second tab shows the workspace", || second_tab_has(b, "return (text(doc('b'), 'unit-list') || '').includes('Shared unit');")).await
}

/// Whether `script` (run with [`TWO_TABS`]' helpers) returns true.
async fn second_tab_has(b: &Browser, script: &str) -> R<bool> {
    Ok(b.js(&format!("{TWO_TABS} {script}"), vec![]).await?.as_bool() == Some(true))
}

#[tokio::test]
async fn undo_steps_dropped_for_another_tabs_version_are_said_so() {
    let b = Browser::start("tabs_undo_said").await;
    let r = async {
        shared_unit_saved(&b).await?;
        ensure(b.js("return document.querySelector('[data-testid=undo]').disabled;", vec![]).await?.as_bool() == Some(false), "this tab can undo its edit")?;
        open_second_tab(&b).await?;
        b.js(&format!("{TWO_TABS} add(doc('b'), 'From the second tab'); return null;"), vec![]).await?;
        eventually("this tab takes the second tab's version", || async { Ok(unit_list(&b).await?.contains("From the second tab")) }).await?;
        eventually("the page says why Undo has nothing to take back", || async { Ok(b.exists("banner-recovered").await? && b.text("banner-recovered").await?.contains("Undo starts again")) }).await?;
        ensure(b.js("return document.querySelector('[data-testid=undo]').disabled;", vec![]).await?.as_bool() == Some(true), "Undo is still offered")?;
        ensure(!b.exists("banner-conflict").await?, "no conflict: this tab had nothing unwritten")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn keeping_this_tabs_version_keeps_the_other_tabs_as_a_workspace_and_both_tabs_say_where() {
    let b = Browser::start("conflict_keep_both").await;
    let r = async {
        shared_unit_saved(&b).await?;
        open_second_tab(&b).await?;

        // The second tab adds a unit and writes it 300 ms later; this tab adds one 100 ms
        // after it, so its edit is still unwritten when the second tab's write arrives.
        b.js(&format!("{TWO_TABS} add(doc('b'), 'From the second tab'); setTimeout(() => add(doc('a'), 'From this tab'), 100); return null;"), vec![]).await?;
        b.wait_for("banner-conflict").await?;
        eventually("the second tab's version is stored", || async { Ok(stored_text(&b, KEY).await?.contains("From the second tab")) }).await?;
        b.click("conflict-keep-mine").await?;

        // This tab's version is stored; the second tab's is a workspace of its own.
        eventually("this tab's version is stored", || async { Ok(stored_text(&b, KEY).await?.contains("From this tab")) }).await?;
        ensure(!stored_text(&b, KEY).await?.contains("From the second tab"), "the two versions were merged")?;
        let (copy_name, copy) = set_aside(&b).await?;
        let copy_name = copy_name.as_str();
        let kept = stored_text(&b, &copy).await?;
        ensure(kept.contains("From the second tab") && !kept.contains("From this tab"), format!("the copy holds {kept}"))?;
        let index: serde_json::Value = serde_json::from_str(&b.local_storage("latitude/index").await?.ok_or("no workspace list")?)?;
        ensure(index["active"] == "default", "the open workspace changed")?;
        let told = b.text("banner-recovered").await?;
        ensure(told.contains("The other tab's version is kept") && told.contains(copy_name), format!("this tab says {told:?}"))?;

        // The second tab shows the version kept, and says where its own went.
        eventually("the second tab takes the version kept", || second_tab_has(&b, "return (text(doc('b'), 'unit-list') || '').includes('From this tab');")).await?;
        let theirs = b.js(&format!("{TWO_TABS} return text(doc('b'), 'banner-recovered');"), vec![]).await?;
        let theirs = theirs.as_str().unwrap_or_default();
        ensure(theirs.contains("Another tab kept its own version") && theirs.contains(copy_name), format!("the second tab says {theirs:?}"))?;
        // Its undo steps were taken on the version it showed: Undo would now take back
        // this tab's edits too, so it has none.
        let undo = b.js(&format!("{TWO_TABS} return doc('b').querySelector('[data-testid=\"undo\"]').disabled;"), vec![]).await?;
        ensure(undo.as_bool() == Some(true), "the second tab still offers to undo its own edit over the version it took")?;

        // The copy is listed in Settings and opens with the second tab's unit.
        no_console_errors(&b).await?;
        b.open("#/settings").await?;
        eventually("the copy is listed", || async { Ok(listed(&b).await?.iter().any(|n| n.contains(copy_name))) }).await?;
        in_row(&b, copy_name, "workspace-open").await?;
        b.open("#/units").await?;
        eventually("the copy opens with the second tab's unit", || async { Ok(unit_list(&b).await?.contains("From the second tab")) }).await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}
