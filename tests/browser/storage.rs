//! Data is never lost silently: reloads, full storage, corrupt and newer data, two
//! windows, broken imports, spreadsheets, undo and redo.

use std::path::PathBuf;

use fantoccini::Locator;
use serde_json::json;

use crate::harness::*;

const KEY: &str = "latitude/ws/default";

async fn add_unit(b: &Browser, name: &str) -> R {
    b.type_into("unit-name", name).await?;
    b.click("unit-add").await?;
    Ok(())
}

async fn unit_list(b: &Browser) -> R<String> {
    if b.exists("unit-list").await? {
        b.text("unit-list").await
    } else {
        Ok(String::new())
    }
}

async fn stored(b: &Browser) -> R<String> {
    stored_text(b, KEY).await
}

fn temp_file(name: &str, content: &[u8]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("latitude-e2e-files-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

pub(crate) async fn pick_file(b: &Browser, testid: &str, path: &std::path::Path) -> R {
    let input = b.client.find(Locator::Css(&format!("[data-testid=\"{testid}\"]"))).await?;
    input.send_keys(&path.display().to_string()).await?;
    Ok(())
}

#[tokio::test]
async fn an_edit_survives_a_reload_made_at_once() {
    let b = Browser::start("reload_at_once").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Saved before closing").await?;
        // No waiting: the page goes away right after the click.
        b.client.refresh().await?;
        b.wait_for("page").await?;
        eventually("the unit is there after the reload", || async { Ok(unit_list(&b).await?.contains("Saved before closing")) }).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_full_storage_shows_a_banner_and_loses_nothing_committed() {
    let b = Browser::start("quota").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Committed unit").await?;
        eventually("saved", || async { Ok(stored(&b).await?.contains("Committed unit")) }).await?;
        // Fill the origin's storage to the last character.
        b.js(
            "let size = 1 << 20, i = 0;
             while (size >= 1) { try { localStorage.setItem('filler-' + (i++), 'x'.repeat(size)); } catch (e) { size = Math.floor(size / 2); } }",
            vec![],
        )
        .await?;
        add_unit(&b, "Edit while full").await?;
        b.wait_for("banner-save-failed").await?;
        let banner = b.text("banner-save-failed").await?;
        ensure(banner.contains("full") && banner.contains("Export"), format!("banner says {banner:?}"))?;
        ensure(unit_list(&b).await?.contains("Edit while full"), "the edit stays in the tab")?;
        ensure(stored(&b).await?.contains("Committed unit"), "what was stored is untouched")?;
        b.reload().await?;
        b.wait_for("unit-list").await?;
        ensure(unit_list(&b).await?.contains("Committed unit"), "nothing committed was lost")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn corrupt_data_shows_the_recovery_screen_and_keeps_the_raw_value() {
    let b = Browser::start("corrupt").await;
    let r = async {
        b.open("").await?;
        let raw = r#"{"app":"latitude","schema":1,"rev":4,"workspace":{"name":"Half written","units":[{"id":1,"na"#;
        b.seed_local_storage(KEY, raw).await?;
        b.reload().await?;
        let text = b.text("recovery").await?;
        ensure(text.contains("could not be read") && text.contains("Nothing has been deleted"), format!("recovery says {text:?}"))?;
        ensure(stored(&b).await? == raw, "the stored value is untouched")?;
        ensure(b.local_storage("latitude/recovered/default").await?.as_deref() == Some(raw), "a copy is kept aside")?;
        b.click("recovery-fresh").await?;
        b.open("#/units").await?;
        add_unit(&b, "After recovery").await?;
        eventually("saved", || async { Ok(stored(&b).await?.contains("After recovery")) }).await?;
        ensure(b.local_storage("latitude/recovered/default").await?.as_deref() == Some(raw), "the copy outlives starting fresh")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_newer_schema_opens_read_only_and_writes_nothing() {
    let b = Browser::start("newer").await;
    let r = async {
        b.open("").await?;
        let raw = r#"{"app":"latitude","schema":99,"rev":7,"workspace":{"name":"From a later version","layout":"unknown"}}"#;
        b.seed_local_storage(KEY, raw).await?;
        let before = b.all_local_storage().await?;
        b.reload().await?;
        b.wait_for("banner-read-only").await?;
        b.open("#/units").await?;
        // Read-only is read-only: the form that would write is disabled, not just ignored.
        eventually("the unit form is disabled", || async {
            let v = b.js("return ['unit-name', 'unit-add'].map(t => document.querySelector('[data-testid=' + t + ']').disabled);", vec![]).await?;
            Ok(v == json!([true, true]))
        })
        .await?;
        // And a write forced past the disabled form is still refused by the edit path.
        b.js("const n = document.querySelector('[data-testid=unit-name]'); n.disabled = false; n.value = 'Should not be written'; n.dispatchEvent(new Event('input', {bubbles: true})); const a = document.querySelector('[data-testid=unit-add]'); a.disabled = false; a.click();", vec![]).await?;
        tokio::time::sleep(std::time::Duration::from_millis(800)).await;
        let after = b.all_local_storage().await?;
        ensure(before == after, format!("storage changed: {before} → {after}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn two_windows_editing_one_workspace_never_overwrite_each_other() {
    let b = Browser::start("two_windows").await;
    let r = async {
        b.open("#/units").await?;
        let first = b.client.window().await?;
        b.client.new_window(true).await?;
        b.client.switch_to_window(second_handle(&b, &first).await?).await?;
        b.open("#/units").await?;
        add_unit(&b, "From window two").await?;
        b.client.switch_to_window(first.clone()).await?;
        eventually("window one shows the other window's unit", || async { Ok(unit_list(&b).await?.contains("From window two")) }).await?;
        add_unit(&b, "From window one").await?;
        eventually("both in storage", || async {
            let s = stored(&b).await?;
            Ok(s.contains("From window one") && s.contains("From window two"))
        })
        .await?;
        b.client.switch_to_window(second_handle(&b, &first).await?).await?;
        eventually("window two shows both", || async {
            let l = unit_list(&b).await?;
            Ok(l.contains("From window one") && l.contains("From window two"))
        })
        .await?;
        ensure(!b.exists("banner-conflict").await?, "no conflict for edits made one after the other")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

async fn second_handle(b: &Browser, first: &fantoccini::wd::WindowHandle) -> R<fantoccini::wd::WindowHandle> {
    let all = b.client.windows().await?;
    Ok(all.into_iter().find(|w| w != first).ok_or("no second window")?)
}

/// The sample organisation's file with one check-in value replaced by `value` (verbatim
/// JSON), and the title of the commitment it belongs to.
fn sample_file_with_value(checkin: usize, value: &str) -> (Vec<u8>, String) {
    let ws = latitude::core::sample::sample_org(crate::common::d("2026-11-29"));
    let mut file: serde_json::Value = serde_json::from_str(&latitude::storage::file::export_workspace(&ws)).unwrap();
    file["workspace"]["commitments"][0]["checkins"][checkin]["value"] = json!("<placeholder>");
    let title = file["workspace"]["commitments"][0]["title"].as_str().unwrap().to_owned();
    (file.to_string().replace("\"<placeholder>\"", value).into_bytes(), title)
}

#[tokio::test]
async fn refused_imports_name_the_record_and_field_or_the_limit_and_change_nothing() {
    let b = Browser::start("bad_imports").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Keep me").await?;
        eventually("saved", || async { Ok(stored(&b).await?.contains("Keep me")) }).await?;
        let nested = "[".repeat(10_000) + &"]".repeat(10_000);
        let (nan, title) = sample_file_with_value(1, "\"NaN\"");
        let (huge, _) = sample_file_with_value(2, "1e999");
        let nan_message = format!("checkins[1].value in \u{201c}{title}\u{201d}: \u{201c}NaN\u{201d} is not a number");
        let huge_message = format!("checkins[2].value in \u{201c}{title}\u{201d}: 1e999 is out of range");
        let cases: Vec<(&str, Vec<u8>, &str)> = vec![
            ("nan.json", nan, &nan_message),
            ("out-of-range.json", huge, &huge_message),
            ("nested.json", nested.into_bytes(), "more than 127 levels deep (line 1, column 128); Latitude reads at most 127 levels"),
            ("oversized.json", vec![b' '; 64 * 1024 * 1024 + 1], "The file is 67,108,865 bytes; the limit is 67,108,864 bytes"),
            ("malformed.json", b"{\"app\": \"latitude\", \"schema\": 1, \"workspace\": {".to_vec(), "not valid JSON: the file ends before the JSON does"),
            ("other-app.json", br#"{"todos": []}"#.to_vec(), "not a Latitude workspace"),
            ("invalid.json", br#"{"app":"latitude","schema":1,"workspace":{"name":"x","units":[{"id":1,"name":"A"}],"commitments":[{"id":1,"owner":1,"title":"T","category":"revenue","baseline":5,"target":5,"start":"2025-01-01"}]}}"#.to_vec(), "target"),
        ];
        b.open("#/settings").await?;
        let before = b.all_local_storage().await?;
        for (name, content, expected) in cases {
            let path = temp_file(name, &content);
            pick_file(&b, "import-file", &path).await?;
            eventually(&format!("error for {name}"), || async { Ok(b.text("import-error").await.unwrap_or_default().contains(expected)) }).await?;
            // Where the user is looking: focused (so a screen reader reads it) and in view.
            eventually(&format!("{name}: the error has the focus"), || async {
                Ok(b.js("return document.activeElement && document.activeElement.getAttribute('data-testid');", vec![]).await? == json!("import-error"))
            })
            .await?;
            let in_view = b.js("const r = document.querySelector('[data-testid=\"import-error\"]').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;", vec![]).await?;
            ensure(in_view == json!(true), format!("{name}: the error is out of view"))?;
            ensure(!b.exists("import-preview").await?, format!("{name}: a preview was offered"))?;
            ensure(b.all_local_storage().await? == before, format!("{name}: local storage changed"))?;
            let _ = std::fs::remove_file(path);
            // Away from the message, as a person moves on, before the next file.
            b.js("window.scrollTo(0, 0); document.activeElement && document.activeElement.blur();", vec![]).await?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_spreadsheet_with_bad_rows_applies_its_good_rows_only_on_confirm() {
    let b = Browser::start("csv_import").await;
    let r = async {
        open_sample(&b).await?;
        let sheet = "commitment,date,value,evidence\n\
                     Invoice accuracy (Q1),2020-01-06,97.1,https://dash/a\n\
                     No such commitment,2020-01-06,1,\n\
                     Invoice accuracy (Q2),2020-01-06,not a number,\n\
                     Design reviews held,2020-01-13,12,https://dash/b\n";
        let path = temp_file("checkins.csv", sheet.as_bytes());
        b.open("#/settings").await?;
        eventually("saved", || async { Ok(stored(&b).await?.contains("Invoice accuracy")) }).await?;
        let before = stored(&b).await?;
        pick_file(&b, "csv-file", &path).await?;
        let preview = b.text("csv-preview").await?;
        ensure(preview.contains("2 rows ready, 2 rejected"), format!("preview says {preview:?}"))?;
        let errors = b.text("csv-row-errors").await?;
        ensure(errors.contains("Line 3") && errors.contains("Line 4"), format!("row errors {errors:?}"))?;
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        ensure(stored(&b).await? == before, "nothing applied before confirming")?;
        b.click("csv-apply").await?;
        eventually("applied and saved", || async {
            let s = stored(&b).await?;
            Ok(s.contains("https://dash/a") && s.contains("https://dash/b"))
        })
        .await?;
        let status = b.text("csv-status").await?;
        ensure(status.contains("Applied 2 check-ins"), format!("status {status:?}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// The value of `key` in the crash journal (IndexedDB), if any.
async fn journaled(b: &Browser, key: &str) -> R<Option<String>> {
    let v = b
        .client
        .execute_async(
            "const key = arguments[0], done = arguments[arguments.length - 1];
             const open = indexedDB.open('latitude-journal');
             open.onerror = () => done(null);
             open.onsuccess = () => {
                 try {
                     const get = open.result.transaction('writes').objectStore('writes').get(key);
                     get.onsuccess = () => { open.result.close(); done(get.result || null); };
                     get.onerror = () => done(null);
                 } catch (e) { open.result.close(); done(null); }
             };",
            vec![json!(key)],
        )
        .await?;
    Ok(v.as_str().map(str::to_owned))
}

/// A browser stores localStorage to disk in batches (Chromium: as seldom as once a
/// minute after many writes), so a crash loses its last writes. Each write is journaled
/// in IndexedDB too: the next start puts a later revision back and says so.
#[tokio::test]
async fn edits_the_browser_had_not_stored_when_it_closed_are_restored_from_the_journal() {
    let b = Browser::start("journal").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Alpha").await?;
        eventually("Alpha stored", || async { Ok(stored(&b).await?.contains("Alpha")) }).await?;
        let before = b.local_storage(KEY).await?.ok_or("nothing stored")?;
        add_unit(&b, "Beta").await?;
        eventually("Beta journaled", || async { Ok(journaled(&b, KEY).await?.is_some_and(|j| decoded_has(&j, "Beta"))) }).await?;
        // The browser closed before it had stored the last write.
        b.js("localStorage.setItem(arguments[0], arguments[1]);", vec![json!(KEY), json!(before)]).await?;
        b.reload().await?;
        eventually("Beta is back", || async { Ok(unit_list(&b).await?.contains("Beta")) }).await?;
        eventually("and stored", || async { Ok(stored(&b).await?.contains("Beta")) }).await?;
        let notice = b.text("banner-recovered").await?;
        ensure(notice.contains("restored"), format!("the start says so: {notice:?}"))?;
        // A journaled revision no later than the stored one is left alone.
        b.click("banner-recovered-dismiss").await?;
        b.reload().await?;
        ensure(!b.exists("banner-recovered").await?, "nothing to restore: nothing said")?;
        // The browser closed seconds after the first writes: it had stored nothing, not
        // even the list of workspaces.
        b.js("localStorage.clear();", vec![]).await?;
        b.reload().await?;
        eventually("the workspace is back", || async { Ok(unit_list(&b).await?.contains("Alpha") && unit_list(&b).await?.contains("Beta")) }).await?;
        eventually("with its list", || async { Ok(b.local_storage("latitude/index").await?.is_some_and(|i| i.contains("default"))) }).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// A browser that closed seconds after another workspace was opened may have stored
/// every workspace but not the list's last write: the next start opens the workspace
/// opened last, from the journal's list, not the one before it.
#[tokio::test]
async fn after_a_crash_the_workspace_opened_last_opens_again() {
    let b = Browser::start("journal_active").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Alpha").await?;
        eventually("Alpha stored", || async { Ok(stored(&b).await?.contains("Alpha")) }).await?;
        let before = b.local_storage("latitude/index").await?.ok_or("a list of workspaces")?;
        b.open("#/settings").await?;
        b.click("workspace-new").await?;
        eventually("the new workspace open", || async { Ok(b.local_storage("latitude/index").await?.is_some_and(|i| i != before)) }).await?;
        let index = b.local_storage("latitude/index").await?.unwrap_or_default();
        eventually("the list journaled", || async { Ok(journaled(&b, "latitude/index").await?.as_deref() == Some(index.as_str())) }).await?;
        b.open("#/units").await?;
        eventually("the new workspace is empty", || async { Ok(!unit_list(&b).await?.contains("Alpha")) }).await?;
        // The browser had stored the list's earlier write only, and the session is new.
        b.js("localStorage.setItem('latitude/index', arguments[0]); sessionStorage.clear();", vec![json!(before)]).await?;
        b.reload().await?;
        b.open("#/units").await?;
        let active = |raw: &str| serde_json::from_str::<serde_json::Value>(raw).ok().and_then(|v| v["active"].as_str().map(str::to_owned));
        let last = active(&index).ok_or("the list names the workspace open")?;
        ensure(active(&before).is_some_and(|a| a != last), "two different workspaces")?;
        eventually("the workspace opened last is open", || async {
            Ok(b.local_storage("latitude/index").await?.and_then(|i| active(&i)).as_deref() == Some(last.as_str()) && !unit_list(&b).await?.contains("Alpha"))
        })
        .await?;
        ensure(b.text("banner-recovered").await?.contains("restored"), "the start says so")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// A stored workspace that can no longer be read, where the journal holds the last
/// version this browser saved: that version opens, the unreadable value kept aside, and
/// the start says so. Where the journal holds nothing readable, the recovery page shows.
#[tokio::test]
async fn an_unreadable_stored_workspace_is_restored_from_the_journal_when_it_holds_a_readable_version() {
    let b = Browser::start("journal_corrupt").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Alpha").await?;
        eventually("Alpha journaled", || async { Ok(journaled(&b, KEY).await?.is_some_and(|j| decoded_has(&j, "Alpha"))) }).await?;
        // The stored value is damaged (not by the app: the journal does not see it).
        b.js("localStorage.setItem(arguments[0], '{\"app\":\"latitude\",\"schema\":1,\"workspace\":{\"units\":[');", vec![json!(KEY)]).await?;
        b.reload().await?;
        eventually("Alpha is back", || async { Ok(unit_list(&b).await?.contains("Alpha")) }).await?;
        ensure(!b.exists("recovery").await?, "no recovery page")?;
        let notice = b.text("banner-recovered").await?;
        ensure(notice.contains("could not be read") && notice.contains("journal"), format!("the start says so: {notice:?}"))?;
        eventually("stored readable again", || async { Ok(stored(&b).await?.contains("Alpha")) }).await?;
        let aside = b.js("return Object.keys(localStorage).filter(k => k.startsWith('latitude/recovered')).map(k => localStorage.getItem(k));", vec![]).await?;
        ensure(aside.as_array().is_some_and(|a| a.iter().any(|v| v.as_str().is_some_and(|v| v.contains("\"units\":[") && !v.contains("Alpha")))), format!("the damaged value is kept aside: {aside}"))?;
        // Nothing readable in the journal either: the recovery page, as before.
        b.js("localStorage.setItem(arguments[0], 'damaged');", vec![json!(KEY)]).await?;
        b.client
            .execute_async(
                "const key = arguments[0], done = arguments[arguments.length - 1];
                 const open = indexedDB.open('latitude-journal');
                 open.onerror = () => done(false);
                 open.onsuccess = () => {
                     const t = open.result.transaction('writes', 'readwrite');
                     t.objectStore('writes').put('damaged too', key);
                     t.oncomplete = () => { open.result.close(); done(true); };
                 };",
                vec![json!(KEY)],
            )
            .await?;
        b.reload().await?;
        b.wait_for("recovery").await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// Whether a stored value holds `text` in its workspace.
fn decoded_has(raw: &str, text: &str) -> bool {
    latitude::storage::store::decode_stored(raw).is_ok_and(|env| serde_json::to_string(&env.workspace).is_ok_and(|j| j.contains(text)))
}

#[tokio::test]
async fn undo_and_redo_round_trip_with_buttons_and_keys() {
    let b = Browser::start("undo_redo").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Alpha").await?;
        eventually("Alpha", || async { Ok(unit_list(&b).await?.contains("Alpha")) }).await?;
        add_unit(&b, "Beta").await?;
        eventually("Beta", || async { Ok(unit_list(&b).await?.contains("Beta")) }).await?;
        b.click("undo").await?;
        eventually("Beta undone", || async { Ok(!unit_list(&b).await?.contains("Beta")) }).await?;
        // What was taken back is said, whichever page is shown.
        let said = b.text("history-said").await?;
        ensure(said.starts_with("Undone: ") && said.contains("Beta"), format!("Undo says {said:?}"))?;
        // Keyboard: focus outside any field, then Ctrl+Z.
        b.js("document.activeElement && document.activeElement.blur();", vec![]).await?;
        b.js("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'z', ctrlKey: true, bubbles: true}));", vec![]).await?;
        eventually("Alpha undone", || async { Ok(!unit_list(&b).await?.contains("Alpha")) }).await?;
        eventually("the keys' Undo is said too", || async { Ok(b.text("history-said").await?.contains("Alpha")) }).await?;
        b.click("redo").await?;
        eventually("Alpha redone", || async { Ok(unit_list(&b).await?.contains("Alpha")) }).await?;
        let said = b.text("history-said").await?;
        ensure(said.starts_with("Redone: ") && said.contains("Alpha"), format!("Redo says {said:?}"))?;
        b.js("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'Z', ctrlKey: true, shiftKey: true, bubbles: true}));", vec![]).await?;
        eventually("Beta redone", || async { Ok(unit_list(&b).await?.contains("Beta")) }).await?;
        let redo_disabled = b.find("redo").await?.attr("disabled").await?;
        ensure(redo_disabled.is_some(), "nothing left to redo")?;
        // The words go after a few seconds.
        eventually("the words about Redo go", || async { Ok(b.text("history-said").await?.is_empty()) }).await?;
        eventually("saved", || async { Ok(stored(&b).await?.contains("Beta")) }).await?;
        b.reload().await?;
        let list = unit_list(&b).await?;
        ensure(list.contains("Alpha") && list.contains("Beta"), format!("after reload {list:?}"))?;
        let _ = json!({});
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_good_file_imports_as_a_new_workspace_beside_the_open_one() {
    let b = Browser::start("import_new").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Existing").await?;
        eventually("saved", || async { Ok(stored(&b).await?.contains("Existing")) }).await?;
        let ws = latitude::core::sample::sample_org(crate::common::d("2026-11-29"));
        let path = temp_file("good.json", latitude::storage::file::export_workspace(&ws).as_bytes());
        b.open("#/settings").await?;
        pick_file(&b, "import-file", &path).await?;
        let preview = b.text("import-preview").await?;
        ensure(preview.contains("17 units") && preview.contains("Northwind"), format!("preview {preview:?}"))?;
        eventually("the preview has the focus", || async {
            Ok(b.js("return document.activeElement && document.activeElement.getAttribute('data-testid');", vec![]).await? == json!("import-preview"))
        })
        .await?;
        b.click("import-new").await?;
        eventually("two workspaces", || async { Ok(b.find_all("workspace-row").await?.len() == 2) }).await?;
        ensure(stored(&b).await?.contains("Existing"), "the previous workspace is kept")?;
        // The same file again: a second workspace the list tells apart by its name.
        pick_file(&b, "import-file", &path).await?;
        b.wait_for("import-preview").await?;
        b.click("import-new").await?;
        eventually("three workspaces", || async { Ok(b.find_all("workspace-row").await?.len() == 3) }).await?;
        let rows: Vec<String> =
            serde_json::from_value(b.js("return [...document.querySelectorAll('[data-testid=workspace-row]')].map(r => r.querySelector('.workspaces__name').textContent);", vec![]).await?)?;
        let northwinds = rows.iter().filter(|r| r.contains("Northwind")).count();
        ensure(northwinds == 2 && rows.iter().any(|r| r.contains("Northwind Analytics (2)")), format!("the list: {rows:?}"))?;
        let status = b.text("transfer-status").await?;
        ensure(status.contains("Northwind Analytics (2)"), format!("the import says {status:?}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn without_storage_in_a_sandboxed_frame_the_app_works_in_memory_and_says_so() {
    // No allow-same-origin: an opaque origin, so no storage at all. (The whole app needs
    // allow-forms to accept input there; the embed views need only allow-scripts.)
    let b = Browser::start("no_storage").await;
    let r = async {
        let dir = std::env::temp_dir().join(format!("latitude-frame-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join("index.html"),
            format!("<!doctype html><html lang=en><title>Host</title><iframe title=app width=1200 height=800 sandbox=\"allow-scripts allow-forms\" src=\"{}#/units\"></iframe>", b.base),
        )?;
        let host = StaticServer::start(&dir, "/host/", Vec::new());
        b.client.goto(&host.url("/host/")).await?;
        b.client.clone().enter_frame(0).await?;
        b.wait_for("banner-memory").await?;
        // Clicked, then typed: WebKit lets no script focus a field in a frame of another
        // origin before a click there, so its driver cannot type into it by reference.
        b.click_and_type("unit-name", "Kept in memory").await?;
        b.click("unit-add").await?;
        eventually("listed", || async { Ok(unit_list(&b).await?.contains("Kept in memory")) }).await?;
        ensure(!b.exists("panic").await?, "no panic")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_export_reminder_waits_for_old_data_and_goes_away_after_an_export() {
    let b = Browser::start("reminder").await;
    let r = async {
        b.open("#/units").await?;
        add_unit(&b, "Fresh team").await?;
        eventually("saved", || async { Ok(stored(&b).await?.contains("Fresh team")) }).await?;
        ensure(!b.exists("banner-export-reminder").await?, "no reminder on the first day")?;
        // The same data, first saved a month ago and never exported.
        let index = b.local_storage("latitude/index").await?.unwrap_or_default();
        let mut index: serde_json::Value = serde_json::from_str(&index)?;
        index["since"] = json!("2020-01-01");
        b.seed_local_storage("latitude/index", &index.to_string()).await?;
        b.reload().await?;
        let text = b.text("banner-export-reminder").await?;
        ensure(text.contains("never been exported"), format!("reminder says {text:?}"))?;
        b.open("#/settings").await?;
        b.click("export-json").await?;
        eventually("the reminder goes", || async { Ok(!b.exists("banner-export-reminder").await?) }).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}
