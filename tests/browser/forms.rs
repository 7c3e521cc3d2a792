//! Every form, used as a person would: typed, chosen and clicked by `data-testid`. Each
//! test checks the effect on the page and in storage, the refusal of a bad value with a
//! message beside its field, and that a double click on the submit button records once.

use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::Locator;
use latitude::core::Workspace;
use serde_json::json;

use crate::harness::*;

/// The open workspace as stored in localStorage (an empty one before the first write).
/// Opens the sample and waits until it is stored (it is written in the debounce after
/// it opens), so what a test reads from storage before acting is the sample.
async fn open_stored_sample(b: &Browser) -> R {
    open_sample(b).await?;
    eventually("the sample is stored", || async { Ok(stored_ws(b).await.is_ok_and(|ws| !ws.grants.is_empty() && !ws.commitments.is_empty())) }).await
}

async fn stored_ws(b: &Browser) -> R<Workspace> {
    let id = b.js("return (JSON.parse(localStorage.getItem('latitude/index') || '{}').active) || 'default';", vec![]).await?;
    let key = format!("latitude/ws/{}", id.as_str().unwrap_or("default"));
    match b.local_storage(&key).await? {
        Some(raw) => Ok(latitude::storage::store::decode_stored(&raw).map_err(|e| format!("stored workspace: {e}"))?.workspace),
        None => Ok(Workspace::new(latitude::core::Name::new("Nothing stored").unwrap())),
    }
}

/// Another tab of the same origin writes the open workspace, changed by `change`, as the
/// next revision (through a frame's localStorage, so this page hears the `storage` event).
async fn another_tab_writes(b: &Browser, change: impl FnOnce(&mut Workspace)) -> R {
    let active = b.js("return (JSON.parse(localStorage.getItem('latitude/index') || '{}').active) || 'default';", vec![]).await?;
    let key = format!("latitude/ws/{}", active.as_str().unwrap_or("default"));
    let env = latitude::storage::store::decode_stored(&b.local_storage(&key).await?.ok_or("stored")?)?;
    let mut theirs = env.workspace.clone();
    change(&mut theirs);
    let raw = latitude::storage::store::encode_stored(&theirs, env.rev + 1, "tab-other", "");
    b.js("const f = document.createElement('iframe'); f.hidden = true; document.body.appendChild(f); f.contentWindow.localStorage.setItem(arguments[0], arguments[1]);", vec![json!(key), json!(raw)])
        .await?;
    Ok(())
}

/// Waits longer than the save debounce, so that a write that was going to happen has.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(900)).await;
}

/// The text of the message the field points to with `aria-describedby`: the refusal
/// shown beside it.
async fn field_error(b: &Browser, testid: &str) -> R<String> {
    let v = b
        .js(
            "const f = document.querySelector('[data-testid=\"' + arguments[0] + '\"]');
             if (!f) return null;
             const ids = (f.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
             return ids.map(i => document.getElementById(i)).filter(Boolean).map(e => e.textContent).join(' ');",
            vec![json!(testid)],
        )
        .await?;
    Ok(v.as_str().ok_or(format!("no field [data-testid={testid}]"))?.to_owned())
}

/// Waits until the refusal beside `testid` mentions `words`.
async fn refused(b: &Browser, testid: &str, words: &str) -> R {
    let words = words.to_lowercase();
    eventually(&format!("the refusal beside {testid} mentions {words:?}"), || async { Ok(field_error(b, testid).await?.to_lowercase().contains(&words)) }).await
}

/// Two clicks on a button in the same moment, faster than any person: the second must
/// not record again.
async fn double_click(b: &Browser, testid: &str) -> R {
    b.find(testid).await?;
    b.js("const e = document.querySelector('[data-testid=\"' + arguments[0] + '\"]'); e.click(); e.click();", vec![json!(testid)]).await?;
    Ok(())
}

async fn double_click_element(b: &Browser, el: &Element) -> R {
    b.js("arguments[0].click(); arguments[0].click();", vec![serde_json::to_value(el)?]).await?;
    Ok(())
}

/// Sets a field's value as typing or picking would (input and change events), for
/// date inputs whose typing depends on the browser's locale.
async fn set_value(b: &Browser, testid: &str, value: &str) -> R {
    b.find(testid).await?;
    b.js(
        "const e = document.querySelector('[data-testid=\"' + arguments[0] + '\"]'); e.value = arguments[1];
         e.dispatchEvent(new Event('input', {bubbles: true})); e.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(testid), json!(value)],
    )
    .await?;
    Ok(())
}

/// Chooses a value the select does not offer (as a stale or tampered page would send):
/// the form must refuse it by name, never fall back to a default.
async fn choose_unknown(b: &Browser, testid: &str, value: &str) -> R {
    b.find(testid).await?;
    b.js(
        "const s = document.querySelector('[data-testid=\"' + arguments[0] + '\"]'); const o = document.createElement('option');
         o.value = arguments[1]; o.textContent = arguments[1]; s.appendChild(o); s.value = arguments[1];
         s.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![json!(testid), json!(value)],
    )
    .await?;
    Ok(())
}

/// The first element with `testid` whose text contains `text`.
async fn find_with_text(b: &Browser, testid: &str, text: &str) -> R<Element> {
    for el in b.find_all(testid).await? {
        if el.text().await?.contains(text) {
            return Ok(el);
        }
    }
    Err(format!("no [data-testid={testid}] with {text:?}").into())
}

/// The as-of date the page shows (forms date new records with it).
async fn as_of(b: &Browser) -> R<String> {
    let v = b.js("return document.querySelector('[data-testid=as-of]').value;", vec![]).await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

#[tokio::test]
async fn the_unit_form_adds_units_and_edits_leader_kind_and_role_after_creation() {
    let b = Browser::start("form-unit").await;
    let r = async {
        b.open("#/units").await?;
        // A unit needs a name: refused beside the field, nothing stored.
        b.click("unit-add").await?;
        refused(&b, "unit-name", "name").await?;
        settle().await;
        ensure(stored_ws(&b).await?.units.is_empty(), "a refused unit is not stored")?;

        b.type_into("unit-name", "Platform").await?;
        double_click(&b, "unit-add").await?;
        eventually("Platform stored", || async { Ok(stored_ws(&b).await?.units.len() == 1) }).await?;
        b.type_into("unit-name", "Ana Silva").await?;
        b.find("unit-kind").await?.select_by_value("person").await?;
        b.type_into("unit-role", "Engineer").await?;
        b.click("unit-add").await?;
        eventually("two units stored", || async { Ok(stored_ws(&b).await?.units.len() == 2) }).await?;
        settle().await;
        ensure(stored_ws(&b).await?.units.len() == 2, "the double click added Platform once")?;

        // A name another unit has, in any case and with spaces around it, is refused.
        b.type_into("unit-name", "  platform ").await?;
        b.click("unit-add").await?;
        refused(&b, "unit-name", "another unit is already called Platform").await?;
        settle().await;
        ensure(stored_ws(&b).await?.units.len() == 2, "no second Platform")?;

        // A kind that is neither team nor person is refused by name, not taken as a default.
        b.type_into("unit-name", "Robot").await?;
        choose_unknown(&b, "unit-kind", "robot").await?;
        b.click("unit-add").await?;
        refused(&b, "unit-kind", "kind").await?;
        settle().await;
        ensure(stored_ws(&b).await?.units.len() == 2, "a unit of unknown kind is not stored")?;

        // The leader chosen for one unit is not kept for the next.
        b.find("unit-kind").await?.select_by_value("team").await?;
        b.find("unit-parent").await?.select_by_label("Platform").await?;
        b.type_into("unit-name", "Mobile").await?;
        b.click("unit-add").await?;
        eventually("Mobile stored under Platform", || async {
            let ws = stored_ws(&b).await?;
            let platform = ws.units.iter().find(|u| u.name.as_str() == "Platform").map(|u| u.id);
            Ok(ws.units.iter().any(|u| u.name.as_str() == "Mobile" && u.parent == platform))
        })
        .await?;
        let leader = b.js("return document.querySelector('[data-testid=unit-parent]').value;", vec![]).await?;
        ensure(leader.as_str() == Some(""), format!("the leader is reset after adding: {leader}"))?;

        // Edit Ana after creation: kind, leader and role.
        let row = find_with_text(&b, "unit-row", "Ana Silva").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=unit-rename]")).await?).await?;
        b.find("unit-edit-kind").await?.select_by_value("team").await?;
        b.find("unit-edit-parent").await?.select_by_label("Platform").await?;
        b.type_into("unit-edit-role", "Team lead").await?;
        let violations = axe_violations(&b).await?;
        ensure(violations.is_empty(), format!("the edit form: {violations:?}"))?;
        b.click("unit-rename-save").await?;
        eventually("the edit is stored", || async {
            let ws = stored_ws(&b).await?;
            let platform = ws.units.iter().find(|u| u.name.as_str() == "Platform").map(|u| u.id);
            Ok(ws.units.iter().any(|u| u.name.as_str() == "Ana Silva" && u.kind == latitude::core::UnitKind::Team && u.parent == platform && platform.is_some() && u.role == "Team lead"))
        })
        .await?;
        eventually("the list shows the leader", || async { Ok(b.text("unit-list").await?.contains("Team lead · reports to Platform")) }).await?;

        // Renaming Ana Silva to Platform's name is refused beside the name.
        let row = find_with_text(&b, "unit-row", "Ana Silva").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=unit-rename]")).await?).await?;
        b.type_into("unit-rename-input", "PLATFORM").await?;
        b.click("unit-rename-save").await?;
        refused(&b, "unit-rename-input", "another unit is already called Platform").await?;
        b.click("unit-rename-cancel").await?;
        settle().await;
        ensure(stored_ws(&b).await?.units.iter().filter(|u| u.name.as_str().eq_ignore_ascii_case("platform")).count() == 1, "the rename is not stored")?;

        // Platform cannot report to itself or to Ana or Mobile, who report to it: they are
        // not offered, and a page that sent one anyway is refused.
        let row = find_with_text(&b, "unit-row", "Platform").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=unit-rename]")).await?).await?;
        let offered = b.js("return [...document.querySelectorAll('[data-testid=unit-edit-parent] option')].map(o => o.textContent);", vec![]).await?;
        ensure(offered == json!(["— none —"]), format!("Platform's leader choices leave out itself and its reports: {offered}"))?;
        let ana = stored_ws(&b).await?.units.iter().find(|u| u.name.as_str() == "Ana Silva").map(|u| u.id.0).ok_or("Ana Silva stored")?;
        choose_unknown(&b, "unit-edit-parent", &ana.to_string()).await?;
        b.click("unit-rename-save").await?;
        refused(&b, "unit-edit-parent", "lead itself").await?;
        settle().await;
        ensure(stored_ws(&b).await?.units.iter().all(|u| u.name.as_str() != "Platform" || u.parent.is_none()), "the cycle is not stored")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_area_form_adds_a_decision_area_once_and_refuses_an_empty_or_taken_name() {
    let b = Browser::start("form-area").await;
    let r = async {
        b.open("#/settings").await?;
        b.click("add-area").await?;
        refused(&b, "new-area", "name").await?;
        b.type_into("new-area", "Vendors").await?;
        double_click(&b, "add-area").await?;
        eventually("the area is stored", || async { Ok(stored_ws(&b).await?.areas.iter().any(|a| a.name.as_str() == "Vendors")) }).await?;
        settle().await;
        ensure(stored_ws(&b).await?.areas.len() == 1, "the double click added one area")?;
        ensure(b.exists("area-1").await?, "the area is listed for renaming")?;
        // A second area of the same name (in any case) is refused, not added.
        b.type_into("new-area", "vendors").await?;
        b.click("add-area").await?;
        refused(&b, "new-area", "already called").await?;
        settle().await;
        ensure(stored_ws(&b).await?.areas.len() == 1, "no second Vendors")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_grant_form_records_a_grant_once_and_refuses_a_nameless_new_area() {
    let b = Browser::start("form-grant").await;
    let r = async {
        open_stored_sample(&b).await?;
        b.open("#/units/2").await?;
        let before = stored_ws(&b).await?.grants.len();
        b.find("grant-area").await?.select_by_value("new").await?;
        b.click("grant-add").await?;
        refused(&b, "grant-new-area", "area").await?;
        settle().await;
        ensure(stored_ws(&b).await?.grants.len() == before, "a refused grant is not stored")?;

        b.find("grant-area").await?.select_by_index(0).await?;
        b.find("grant-rung").await?.select_by_value("3").await?;
        b.find("grant-level").await?.select_by_value("5").await?;
        // Before it is made, the form says what the grant does to the unit's scores.
        eventually("the preview", || async {
            let text = b.text("grant-preview").await?;
            Ok(text.starts_with("With this grant, as of ") && text.contains("granted A ") && text.contains("(gap "))
        })
        .await?;
        // A grant says why: without a reason it is refused beside the reason, which gets
        // the focus.
        b.click("grant-add").await?;
        refused(&b, "grant-reason", "say why").await?;
        // The focus moves there once the refusal is drawn.
        eventually("the reason has the focus", || async { Ok(b.js("return document.activeElement && document.activeElement.getAttribute('data-testid');", vec![]).await? == "grant-reason") }).await?;
        ensure(stored_ws(&b).await?.grants.len() == before, "a grant without a reason is not stored")?;
        b.type_into("grant-reason", "Four good quarters").await?;
        // The reason typed outlasts a reload (the choices are made again).
        b.reload().await?;
        eventually("the reason typed is kept", || async { Ok(b.find("grant-reason").await?.prop("value").await?.as_deref() == Some("Four good quarters")) }).await?;
        b.find("grant-area").await?.select_by_index(0).await?;
        b.find("grant-rung").await?.select_by_value("3").await?;
        b.find("grant-level").await?.select_by_value("5").await?;
        double_click(&b, "grant-add").await?;
        eventually("the grant is listed", || async { Ok(b.text("grant-history").await?.contains("Four good quarters")) }).await?;
        eventually("the grant is stored", || async { Ok(stored_ws(&b).await?.grants.len() == before + 1) }).await?;
        settle().await;
        let ws = stored_ws(&b).await?;
        ensure(ws.grants.len() == before + 1, format!("the double click recorded {} grants", ws.grants.len() - before))?;
        let g = ws.grants.iter().find(|g| g.reason == "Four good quarters").ok_or("grant")?;
        ensure(g.rung.get() == 3 && g.level.get() == 5, format!("rung {} level {}", g.rung.get(), g.level.get()))?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_commitment_form_adds_and_edits_a_commitment_and_refuses_a_bad_number() {
    let b = Browser::start("form-commitment").await;
    let r = async {
        open_stored_sample(&b).await?;
        b.open("#/units/2").await?;
        let before = stored_ws(&b).await?.commitments.len();
        b.click("commitment-new").await?;
        b.type_into("c-title", "Faster checkout").await?;
        b.type_into("c-measure", "s").await?;
        b.find("c-direction").await?.select_by_value("lower").await?;
        b.type_into("c-baseline", "ten").await?;
        b.type_into("c-target", "4").await?;
        set_value(&b, "c-due", "2099-12-31").await?;
        b.click("c-save").await?;
        refused(&b, "c-baseline", "baseline").await?;
        settle().await;
        ensure(stored_ws(&b).await?.commitments.len() == before, "a refused commitment is not stored")?;

        b.type_into("c-baseline", "10,5").await?;
        double_click(&b, "c-save").await?;
        eventually("the commitment is stored", || async { Ok(stored_ws(&b).await?.commitments.len() == before + 1) }).await?;
        settle().await;
        let ws = stored_ws(&b).await?;
        ensure(ws.commitments.len() == before + 1, format!("the double click recorded {} commitments", ws.commitments.len() - before))?;
        let c = ws.commitments.iter().find(|c| c.title.as_str() == "Faster checkout").ok_or("commitment")?;
        ensure(c.baseline.map(|v| v.get()) == Some(10.5) && c.target.map(|v| v.get()) == Some(4.0), "10,5 is ten and a half")?;
        let id = c.id;

        // Edit it: the target moves, the rest stays.
        let item = find_with_text(&b, "commitment", "Faster checkout").await?;
        b.click_el(&item.find(Locator::Css("[data-testid=commitment-edit]")).await?).await?;
        b.type_into("c-target", "3").await?;
        b.click("c-save").await?;
        eventually("the edit is stored", || async {
            let ws = stored_ws(&b).await?;
            Ok(ws.commitments.len() == before + 1 && ws.commitment(id).is_some_and(|c| c.target.map(|v| v.get()) == Some(3.0) && c.title.as_str() == "Faster checkout"))
        })
        .await?;

        // An edit is cancelled: nothing stored, the form gone with what was typed in it,
        // and the focus back on the commitment's Edit.
        settle().await;
        let item = find_with_text(&b, "commitment", "Faster checkout").await?;
        b.click_el(&item.find(Locator::Css("[data-testid=commitment-edit]")).await?).await?;
        ensure(b.text("commitment-form-title").await?.contains("Editing “Faster checkout”"), "the form says what it edits")?;
        b.type_into("c-target", "1").await?;
        b.click("c-cancel").await?;
        eventually("the form is gone, the focus on Edit", || async {
            Ok(!b.exists("commitment-form").await? && b.js("return document.activeElement && document.activeElement.getAttribute('data-testid');", vec![]).await?.as_str() == Some("commitment-edit"))
        })
        .await?;
        ensure(stored_ws(&b).await?.commitment(id).is_some_and(|c| c.target.map(|v| v.get()) == Some(3.0)), "a cancelled edit is not stored")?;
        let item = find_with_text(&b, "commitment", "Faster checkout").await?;
        b.click_el(&item.find(Locator::Css("[data-testid=commitment-edit]")).await?).await?;
        ensure(b.find("c-target").await?.prop("value").await?.as_deref() == Some("3"), "reopened, the form shows what is stored")?;
        b.click("c-cancel").await?;

        // Edited in two tabs: another tab's target arrives while this tab's form is open.
        // Saving does not put the old target back: the form takes the new one for the
        // field left as it was, keeps the title changed here, and asks to save again.
        settle().await;
        let item = find_with_text(&b, "commitment", "Faster checkout").await?;
        b.click_el(&item.find(Locator::Css("[data-testid=commitment-edit]")).await?).await?;
        b.type_into("c-title", "Faster checkout, renamed here").await?;
        let target = latitude::core::Finite::new(2.5, "target")?;
        another_tab_writes(&b, |theirs| {
            if let Some(c) = theirs.commitment_mut(id) {
                c.target = Some(target);
            }
        })
        .await?;
        eventually("this tab shows the other's version", || async { Ok(b.text("page").await?.contains("→ 2.5")) }).await?;
        b.click("c-save").await?;
        eventually("the form says what changed", || async { Ok(b.text("commitment-form").await?.contains("changed while this form was open") && b.text("commitment-form").await?.contains("target")) })
            .await?;
        ensure(
            b.find("c-target").await?.prop("value").await?.as_deref() == Some("2.5") && b.find("c-title").await?.prop("value").await?.as_deref() == Some("Faster checkout, renamed here"),
            "the new target, the title typed here",
        )?;
        ensure(stored_ws(&b).await?.commitment(id).is_some_and(|c| c.title.as_str() == "Faster checkout"), "nothing saved before the second press")?;
        b.click("c-save").await?;
        eventually("both changes are stored", || async {
            Ok(stored_ws(&b).await?.commitment(id).is_some_and(|c| c.target.map(|v| v.get()) == Some(2.5) && c.title.as_str() == "Faster checkout, renamed here"))
        })
        .await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// A unit edited in two tabs: another tab's rename arrives while this tab's edit form is
/// open. What was typed here stays in the form, the name left as it was follows the
/// other tab, and saving does not put the old name back: it says what changed, and the
/// second press stores both.
#[tokio::test]
async fn a_unit_changed_in_another_tab_while_its_form_is_open_is_not_put_back() {
    let b = Browser::start("form-unit-meanwhile").await;
    let r = async {
        b.open("#/units").await?;
        b.type_into("unit-name", "Ana Silva").await?;
        b.find("unit-kind").await?.select_by_value("person").await?;
        b.click("unit-add").await?;
        eventually("Ana stored", || async { Ok(stored_ws(&b).await?.units.len() == 1) }).await?;
        settle().await;
        let row = find_with_text(&b, "unit-row", "Ana Silva").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=unit-rename]")).await?).await?;
        let focused = || async { R::Ok(b.js("return document.activeElement && (document.activeElement.getAttribute('data-testid') || '');", vec![]).await?.as_str().unwrap_or_default().to_owned()) };
        eventually("the form opens with the focus in its name", || async { Ok(focused().await? == "unit-rename-input") }).await?;
        b.type_into("unit-edit-role", "Typed here").await?;
        let name = latitude::core::Name::new("Ana Souza")?;
        another_tab_writes(&b, |theirs| {
            theirs.units[0].name = name;
            theirs.units[0].role = "Their role".to_owned();
        })
        .await?;
        eventually("the open form shows the other tab's name and keeps the role typed here", || async {
            Ok(b.find("unit-rename-input").await?.prop("value").await?.as_deref() == Some("Ana Souza") && b.find("unit-edit-role").await?.prop("value").await?.as_deref() == Some("Typed here"))
        })
        .await?;
        b.click("unit-rename-save").await?;
        eventually("the form says what changed", || async {
            let said = b.text("unit-edit-form").await?;
            // The name left as it was follows; the role typed here is kept, and the form says
            // what it is there.
            Ok(said.contains("changed while this form was open")
                && said.contains("The form now shows the new name.")
                && said.contains("You changed it here too, and the form keeps your value: role (now “Their role” there)."))
        })
        .await?;
        settle().await;
        ensure(stored_ws(&b).await?.units[0].role == "Their role", "nothing saved before the second press")?;
        b.click("unit-rename-save").await?;
        eventually("both changes are stored", || async {
            let ws = stored_ws(&b).await?;
            Ok(ws.units[0].name.as_str() == "Ana Souza" && ws.units[0].role == "Typed here")
        })
        .await?;
        eventually("the form is closed, the focus back on the row's Edit", || async { Ok(!b.exists("unit-edit-form").await? && focused().await? == "unit-rename") }).await?;
        // Escape closes the form without saving.
        let row = find_with_text(&b, "unit-row", "Ana Souza").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=unit-rename]")).await?).await?;
        eventually("open again", || async { Ok(focused().await? == "unit-rename-input") }).await?;
        b.client.active_element().await?.send_keys(&format!("Not kept{}", fantoccini::key::Key::Escape)).await?;
        eventually("Escape closes it", || async { Ok(!b.exists("unit-edit-form").await? && focused().await? == "unit-rename") }).await?;
        ensure(stored_ws(&b).await?.units[0].name.as_str() == "Ana Souza", "Escape saved nothing")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_check_in_is_edited_by_a_second_value_on_the_same_day_and_a_bad_value_is_refused() {
    let b = Browser::start("form-checkin").await;
    let r = async {
        open_stored_sample(&b).await?;
        b.open("#/check-ins").await?;
        let date = latitude::core::parse_date(&as_of(&b).await?)?;
        let row = b.find("sweep-row").await?;
        let id = latitude::core::CommitmentId(row.attr("data-commitment-id").await?.ok_or("row id")?.parse()?);
        let count = |ws: &Workspace| ws.commitment(id).map(|c| c.checkins().iter().filter(|k| k.date == date).count()).unwrap_or(0);
        let value = |ws: &Workspace| ws.commitment(id).and_then(|c| c.checkins().on(date).map(|k| k.value.get()));
        let before = stored_ws(&b).await?;
        let (before_count, before_total) = (count(&before), before.commitment(id).map(|c| c.checkins().len()).unwrap_or(0));

        let input = row.find(Locator::Css("[data-testid=sweep-value]")).await?;
        // The field's name says which commitment it is for, as a screen reader reads it alone.
        let label = b.js("const i = document.querySelector('[data-testid=sweep-value]'); return document.querySelector(`label[for=\"${i.id}\"]`).textContent;", vec![]).await?;
        let title = before.commitment(id).map(|c| c.title.to_string()).unwrap_or_default();
        ensure(label.as_str() == Some(format!("Value of {title}").as_str()), format!("the value field's name: {label}"))?;
        input.send_keys("a lot").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=sweep-save]")).await?).await?;
        refused(&b, "sweep-value", "not a number").await?;

        // "1,234" could be a thousand or a decimal: refused with how to write it, not guessed.
        input.clear().await?;
        input.send_keys("1,234").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=sweep-save]")).await?).await?;
        refused(&b, "sweep-value", "could be").await?;
        settle().await;
        ensure(!matches!(value(&stored_ws(&b).await?), Some(v) if v == 1.234 || v == 1234.0), "an ambiguous value is not stored")?;

        input.clear().await?;
        input.send_keys("41,5").await?;
        double_click_element(&b, &row.find(Locator::Css("[data-testid=sweep-save]")).await?).await?;
        eventually("the check-in is stored", || async { Ok(value(&stored_ws(&b).await?) == Some(41.5)) }).await?;
        let save = row.find(Locator::Css("[data-testid=sweep-save]")).await?;
        eventually("the row says saved", || async { Ok(save.text().await? == "Saved ✓") }).await?;
        input.clear().await?;
        input.send_keys("42").await?;
        // A value changed after saving is not saved, and the row no longer says it is.
        eventually("the row offers to save the change", || async { Ok(save.text().await? == "Save the change") }).await?;
        b.click_el(&row.find(Locator::Css("[data-testid=sweep-save]")).await?).await?;
        // Replacing the day's value asks first; nothing changes until it is confirmed.
        let question = b.wait_for("sweep-warning").await?.text().await?;
        ensure(question.contains("replaces"), format!("the question says what is replaced: {question:?}"))?;
        settle().await;
        ensure(value(&stored_ws(&b).await?) == Some(41.5), "the first value stays until the replacement is confirmed")?;
        b.click_el(&row.find(Locator::Css("[data-testid=sweep-save]")).await?).await?;
        eventually("the second value replaces the first", || async { Ok(value(&stored_ws(&b).await?) == Some(42.0)) }).await?;
        let ws = stored_ws(&b).await?;
        ensure(count(&ws) == 1, format!("{} check-ins on {date}", count(&ws)))?;
        let total = ws.commitment(id).map(|c| c.checkins().len()).unwrap_or(0);
        ensure(total == before_total + 1 - before_count, format!("check-ins {before_total} → {total}"))?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_check_in_typed_and_not_saved_is_still_there_after_another_page_and_a_reload() {
    let b = Browser::start("form-checkin-draft").await;
    let r = async {
        open_stored_sample(&b).await?;
        b.open("#/check-ins").await?;
        let row = b.find("sweep-row").await?;
        let id = row.attr("data-commitment-id").await?.ok_or("row id")?;
        let before = stored_ws(&b).await?;
        // The last value recorded, which no plausibility check questions.
        let last = before.commitment(latitude::core::CommitmentId(id.parse()?)).and_then(|c| c.checkins().iter().last().map(|k| k.value.get())).ok_or("a check-in")?.to_string();
        row.find(Locator::Css("[data-testid=sweep-value]")).await?.send_keys(&last).await?;
        row.find(Locator::Css("[data-testid=sweep-evidence]")).await?.send_keys("dashboard export").await?;
        b.js("const s = document.getElementById('sweep-confidence-' + arguments[0]); s.value = 'at_risk'; s.dispatchEvent(new Event('change', {bubbles: true}));", vec![json!(id)]).await?;
        // Kept in the tab's session storage soon after it is typed, the page still shown
        // (a crash gives no moment to keep it).
        eventually("the typed text kept while the page is shown", || async {
            let kept = b.js("return sessionStorage.getItem('latitude/typed') || '';", vec![]).await?;
            Ok(kept.as_str().is_some_and(|k| k.contains("dashboard export") && k.contains("at_risk")))
        })
        .await?;

        b.open("#/").await?;
        b.open("#/check-ins").await?;
        let fields = || async {
            let v = b.js("const i = arguments[0]; return ['value', 'evidence', 'confidence'].map(f => document.getElementById('sweep-' + f + '-' + i).value);", vec![json!(id)]).await?;
            R::<Vec<String>>::Ok(serde_json::from_value::<Vec<String>>(v)?)
        };
        let back = fields().await?;
        ensure(back == [last.as_str(), "dashboard export", "at_risk"], format!("the row typed comes back as it was: {back:?}"))?;
        // And after a reload.
        b.reload().await?;
        b.wait_for("sweep-row").await?;
        let back = fields().await?;
        ensure(back == [last.as_str(), "dashboard export", "at_risk"], format!("the row typed comes back after a reload: {back:?}"))?;
        ensure(stored_ws(&b).await? == before, "nothing is recorded until the row is saved")?;

        // Saved (Enter on the Confidence choice saves, as in the row's text fields), the
        // row is no longer a draft: the next visit starts it empty.
        let row = b.find("sweep-row").await?;
        if let Some(due) = before.commitment(latitude::core::CommitmentId(id.parse()?)).and_then(|c| c.due) {
            let text = row.text().await?;
            ensure(text.contains(&format!("due {}", latitude::core::format_date(due))), format!("the row says when the commitment is due: {text:?}"))?;
        }
        row.find(Locator::Css("[data-testid=sweep-confidence]")).await?.send_keys(&fantoccini::key::Key::Enter.to_string()).await?;
        settle().await;
        // A value already recorded that day is replaced only when confirmed.
        if b.js("return !document.querySelector('[data-testid=sweep-warning]').hidden;", vec![]).await? == json!(true) {
            b.click_el(&row.find(Locator::Css("[data-testid=sweep-save]")).await?).await?;
        }
        eventually("the check-in is stored", || async { Ok(stored_ws(&b).await? != before) }).await?;
        b.open("#/").await?;
        b.open("#/check-ins").await?;
        let after = fields().await?;
        ensure(after == ["", "", ""], format!("a saved row is not kept as a draft: {after:?}"))?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_decision_is_logged_once_and_its_review_says_what_is_missing() {
    let b = Browser::start("form-decision").await;
    let r = async {
        open_stored_sample(&b).await?;
        b.open("#/decisions").await?;
        // A review overdue says since when.
        let overdue = b.js("return [...document.querySelectorAll('.decision--overdue .tag--warning')].map(t => t.textContent);", vec![]).await?;
        let overdue: Vec<String> = serde_json::from_value(overdue)?;
        ensure(!overdue.is_empty() && overdue.iter().all(|t| t.strip_prefix("review overdue since ").is_some_and(|d| latitude::core::parse_date(d).is_ok())), format!("overdue reviews: {overdue:?}"))?;
        let before = stored_ws(&b).await?.decisions.len();
        b.click("d-save").await?;
        refused(&b, "d-title", "decision").await?;
        settle().await;
        ensure(stored_ws(&b).await?.decisions.len() == before, "a decision without a title is not stored")?;

        b.type_into("d-title", "Move to the new payment provider").await?;
        // Typed and not logged yet, the title outlasts another page and a reload.
        b.open("#/").await?;
        b.reload().await?;
        b.open("#/decisions").await?;
        eventually("the title typed is kept", || async { Ok(b.find("d-title").await?.prop("value").await?.as_deref() == Some("Move to the new payment provider")) }).await?;
        b.find("d-unit").await?.select_by_index(1).await?;
        b.find("d-area").await?.select_by_index(1).await?;
        b.type_into("d-expected", "Fewer failed payments").await?;
        double_click(&b, "d-save").await?;
        eventually("the decision is stored", || async { Ok(stored_ws(&b).await?.decisions.len() == before + 1) }).await?;
        settle().await;
        let ws = stored_ws(&b).await?;
        ensure(ws.decisions.len() == before + 1, format!("the double click logged {} decisions", ws.decisions.len() - before))?;
        let d = ws.decisions.iter().find(|d| d.title.as_str() == "Move to the new payment provider").ok_or("decision")?;
        let due = latitude::core::score::add_days(d.date, i64::from(ws.policy.decision_review_days));
        ensure(d.review_date == Some(due) && d.expected == "Fewer failed payments", format!("review date {:?}, expected {:?}", d.review_date, d.expected))?;
        let id = d.id;

        // Save review with no outcome chosen says what is missing.
        let row = find_with_text(&b, "decision", "Move to the new payment provider").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=decision-review]")).await?).await?;
        b.click("decision-review-save").await?;
        eventually("the missing outcome is named", || async { Ok(b.text("decision-review-form").await?.contains("Outcome: choose good, mixed or bad")) }).await?;
        settle().await;
        ensure(stored_ws(&b).await?.decisions.iter().find(|d| d.id == id).is_some_and(|d| d.outcome.is_none()), "nothing is recorded without an outcome")?;

        b.click("outcome-mixed").await?;
        // Another decision logged meanwhile leaves the review open, the outcome chosen.
        b.type_into("d-title", "Hire a second payments engineer").await?;
        b.find("d-unit").await?.select_by_index(1).await?;
        b.find("d-area").await?.select_by_index(1).await?;
        b.click("d-save").await?;
        eventually("the other decision is stored", || async { Ok(stored_ws(&b).await?.decisions.len() == before + 2) }).await?;
        eventually("the review is still open, mixed chosen", || async {
            Ok(b.exists("decision-review-form").await? && b.find("outcome-mixed").await?.prop("checked").await?.as_deref() == Some("true"))
        })
        .await?;
        // Who accepted accountability is named as written ("Search team", not "Search Team").
        let names: Vec<String> = stored_ws(&b).await?.units.iter().map(|u| u.name.to_string()).collect();
        let labels =
            b.js("return [...document.querySelectorAll('[data-testid=accountable]')].map(i => [i.parentElement.innerText.trim(), getComputedStyle(i.parentElement).textTransform]);", vec![]).await?;
        let labels: Vec<(String, String)> = serde_json::from_value(labels)?;
        ensure(!labels.is_empty() && labels.iter().all(|(text, transform)| names.contains(text) && transform == "none"), format!("accountable labels {labels:?}"))?;
        double_click(&b, "decision-review-save").await?;
        eventually("the review is stored", || async {
            let ws = stored_ws(&b).await?;
            Ok(ws.decisions.iter().find(|d| d.id == id).is_some_and(|d| d.outcome == Some(latitude::core::Outcome::Mixed) && d.accountable == vec![d.unit]))
        })
        .await?;
        eventually("the row shows the outcome", || async { Ok(find_with_text(&b, "decision", "Move to the new payment provider").await?.text().await?.contains("outcome mixed")) }).await?;
        // The form is gone: the focus is on the row's button, not back at the top.
        let button = format!("[data-decision-id=\"{}\"] [data-testid=decision-review]", id.0);
        eventually("the focus on the row's button", || async {
            Ok(b.js("return !!document.activeElement && document.activeElement.matches(arguments[0]);", vec![json!(button)]).await? == json!(true))
        })
        .await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn an_autonomy_review_is_recorded_once_and_an_unknown_verdict_is_refused() {
    let b = Browser::start("form-review").await;
    let r = async {
        open_stored_sample(&b).await?;
        b.open("#/units/2").await?;
        let before = stored_ws(&b).await?.reviews.len();
        choose_unknown(&b, "review-verdict", "maybe").await?;
        b.click("review-save").await?;
        refused(&b, "review-verdict", "verdict").await?;
        settle().await;
        ensure(stored_ws(&b).await?.reviews.len() == before, "an unknown verdict is not stored as hold")?;

        b.find("review-verdict").await?.select_by_value("hold").await?;
        b.type_into("review-note", "Agreed at the quarterly review").await?;
        double_click(&b, "review-save").await?;
        eventually("recorded", || async { Ok(b.text("review-status").await?.contains("Review recorded: hold")) }).await?;
        eventually("the review is stored", || async { Ok(stored_ws(&b).await?.reviews.len() == before + 1) }).await?;
        settle().await;
        let ws = stored_ws(&b).await?;
        ensure(ws.reviews.len() == before + 1, format!("the double click recorded {} reviews", ws.reviews.len() - before))?;
        ensure(ws.reviews.iter().any(|r| r.note == "Agreed at the quarterly review" && r.verdict == latitude::core::Verdict::Hold), "the review as typed")?;
        ensure(b.text("review-history").await?.contains("Agreed at the quarterly review"), "the review is in the history")?;
        // Undo takes the review back, and the sentence saying it was recorded with it.
        b.js("document.activeElement && document.activeElement.blur();", vec![]).await?;
        b.click("undo").await?;
        eventually("the status goes with the review", || async { Ok(b.text("review-status").await?.is_empty()) }).await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_pulse_is_recorded_once_and_a_score_outside_one_to_five_is_refused() {
    let b = Browser::start("form-pulse").await;
    let r = async {
        open_stored_sample(&b).await?;
        b.open("#/units/2").await?;
        let date = latitude::core::parse_date(&as_of(&b).await?)?;
        let unit = latitude::core::UnitId(2);
        let on_date = |ws: &Workspace| ws.pulses.iter().filter(|p| p.unit == unit && p.date == date).map(|p| p.score.get()).collect::<Vec<_>>();
        b.type_into("pulse-value", "7").await?;
        b.click("pulse-add").await?;
        refused(&b, "pulse-value", "pulse").await?;
        settle().await;
        ensure(!on_date(&stored_ws(&b).await?).contains(&7.0), "7 is not stored")?;

        b.type_into("pulse-value", "4,5").await?;
        double_click(&b, "pulse-add").await?;
        eventually("the pulse is stored", || async { Ok(on_date(&stored_ws(&b).await?) == vec![4.5]) }).await?;
        settle().await;
        ensure(on_date(&stored_ws(&b).await?) == vec![4.5], "one pulse for the day")?;
        ensure(b.exists("felt-chart").await?, "the felt-autonomy chart shows")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_check_in_is_corrected_and_deleted_under_its_commitment() {
    let b = Browser::start("form-checkin-history").await;
    let r = async {
        open_stored_sample(&b).await?;
        b.open("#/units/2").await?;
        let ws = stored_ws(&b).await?;
        let c = ws.commitments.iter().find(|c| c.owner == latitude::core::UnitId(2) && c.checkins().len() >= 2).ok_or("a commitment of unit 2 with check-ins")?;
        let (id, title, total) = (c.id, c.title.to_string(), c.checkins().len());
        let latest = c.checkins().last().ok_or("a check-in")?.date;
        let item = find_with_text(&b, "commitment", &title).await?;
        b.click_el(&item.find(Locator::Css("[data-testid=commitment-edit]")).await?).await?;
        b.wait_for("checkin-history").await?;
        let violations = axe_violations(&b).await?;
        ensure(violations.is_empty(), format!("the check-in history: {violations:?}"))?;
        let row = b.find("checkin-row").await?;
        ensure(row.attr("data-date").await?.as_deref() == Some(latitude::core::format_date(latest).as_str()), "the newest check-in comes first")?;

        let value = row.find(Locator::Css("[data-testid=checkin-value]")).await?;
        b.type_into_el(&value, "lots").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=checkin-save]")).await?).await?;
        refused(&b, "checkin-value", "not a number").await?;
        b.type_into_el(&value, "12,25").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=checkin-save]")).await?).await?;
        eventually("the corrected value is stored", || async {
            Ok(stored_ws(&b).await?.commitment(id).is_some_and(|c| c.checkins().on(latest).map(|k| k.value.get()) == Some(12.25) && c.checkins().len() == total))
        })
        .await?;

        let row = b.find("checkin-row").await?;
        b.click_el(&row.find(Locator::Css("[data-testid=checkin-delete]")).await?).await?;
        eventually("the check-in is deleted", || async { Ok(stored_ws(&b).await?.commitment(id).is_some_and(|c| c.checkins().on(latest).is_none() && c.checkins().len() == total - 1)) }).await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}
