//! The app shell and the first slice: pages load cleanly, deep links work from a
//! sub-path, unknown routes get an error page, a unit survives a reload.

use crate::harness::*;

const PAGES: [(&str, &str); 6] =
    [("#/", "overview-empty"), ("#/units", "unit-form"), ("#/check-ins", "checkins-empty"), ("#/decisions", "decision-form"), ("#/workshop", "workshop"), ("#/settings", "policy-card")];

#[tokio::test]
async fn every_page_loads_without_console_errors() {
    let b = Browser::start("every_page_loads").await;
    let r = async {
        for (route, marker) in PAGES {
            b.open(route).await?;
            b.wait_for(marker).await?;
            let errors = b.console_errors().await?;
            ensure(errors.is_empty(), format!("console errors on {route}: {errors:?}"))?;
        }
        ensure(!b.exists("panic").await?, "the panic screen is showing")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn navigation_moves_between_pages_and_marks_the_current_one() {
    let b = Browser::start("navigation").await;
    let r = async {
        b.open("").await?;
        b.click("nav-settings").await?;
        b.wait_for("policy-card").await?;
        let current = b.find("nav-settings").await?.attr("aria-current").await?;
        ensure(current.as_deref() == Some("page"), format!("aria-current is {current:?}"))?;
        b.click("nav-units").await?;
        b.wait_for("unit-form").await?;
        let url = b.client.current_url().await?;
        ensure(url.as_str().ends_with(&format!("{SUB_PATH}#/units")), format!("url is {url}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_deep_link_opened_directly_from_a_sub_path_renders_its_page() {
    let b = Browser::start("deep_link").await;
    let r = async {
        // A fresh browser whose first request is the deep link itself.
        b.goto(&format!("{}#/units", b.base)).await?;
        b.wait_for("unit-form").await?;
        let title = b.client.title().await?;
        ensure(title.starts_with("Units"), format!("document title is {title:?}"))?;
        b.goto(&format!("{}#/settings", b.base)).await?;
        b.wait_for("policy-card").await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn an_unknown_route_shows_the_error_page() {
    let b = Browser::start("unknown_route").await;
    let r = async {
        b.open("#/no/such/page").await?;
        let text = b.text("not-found").await?;
        ensure(text.contains("does not exist"), format!("error page says {text:?}"))?;
        ensure(text.contains("#/no/such/page"), "the error page names the route")?;
        b.open("#/units/999").await?;
        b.wait_for("unit-missing").await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_unit_added_renamed_and_deleted_through_the_ui_is_kept_across_reloads() {
    let b = Browser::start("unit_crud").await;
    let r = async {
        b.open("#/units").await?;
        b.wait_for("units-empty").await?;
        // Validation: an empty name is refused beside the field.
        b.click("unit-add").await?;
        let err = b.text("unit-name-error").await?;
        ensure(err.contains("must not be empty"), format!("error says {err:?}"))?;

        b.type_into("unit-name", "Payments team").await?;
        b.click("unit-add").await?;
        b.wait_for("unit-row").await?;
        b.type_into("unit-name", "Ana Silva").await?;
        b.find("unit-kind").await?.select_by_value("person").await?;
        b.find("unit-parent").await?.select_by_label("Payments team").await?;
        b.click("unit-add").await?;
        eventually("two rows", || async { Ok(b.find_all("unit-row").await?.len() == 2) }).await?;

        // Kept in localStorage and there after a reload.
        b.reload().await?;
        b.wait_for("unit-row").await?;
        let list = b.text("unit-list").await?;
        ensure(list.contains("Payments team") && list.contains("Ana Silva"), format!("after reload: {list:?}"))?;
        ensure(list.contains("reports to Payments team"), "the leader is kept")?;

        // Rename.
        let rows = b.find_all("unit-row").await?;
        rows[0].find(fantoccini::Locator::Css("[data-testid=unit-rename]")).await?.click().await?;
        b.type_into("unit-rename-input", "Payments").await?;
        b.click("unit-rename-save").await?;
        eventually("renamed", || async { Ok(b.text("unit-list").await?.contains("Payments\n") || b.text("unit-list").await?.starts_with("Payments")) }).await?;

        // Delete asks first; cancelling keeps the unit.
        let rows = b.find_all("unit-row").await?;
        rows[1].find(fantoccini::Locator::Css("[data-testid=unit-delete]")).await?.click().await?;
        b.click("unit-delete-cancel").await?;
        ensure(b.find_all("unit-row").await?.len() == 2, "cancel kept the unit")?;
        let rows = b.find_all("unit-row").await?;
        rows[1].find(fantoccini::Locator::Css("[data-testid=unit-delete]")).await?.click().await?;
        b.click("unit-delete-confirm").await?;
        eventually("one row left", || async { Ok(b.find_all("unit-row").await?.len() == 1) }).await?;

        b.reload().await?;
        b.wait_for("unit-row").await?;
        let list = b.text("unit-list").await?;
        ensure(list.contains("Payments") && !list.contains("Ana Silva"), format!("after delete and reload: {list:?}"))?;
        let stored = stored_text(&b, "latitude/ws/default").await?;
        ensure(stored.contains("\"Payments\"") && !stored.contains("Ana Silva"), "localStorage holds the current workspace")?;
        no_console_errors(&b).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_fault_of_the_webassembly_stops_the_app_with_a_message() {
    let b = Browser::start("wasm_fault").await;
    let r = async {
        b.open("#/").await?;
        b.wait_for("overview-empty").await?;
        ensure(!b.exists("panic").await?, "the stop message shows before any fault")?;
        // A real trap, as the engine raises it out of an event: a module whose only
        // function executes `unreachable`, called from a timer. The page's own
        // `WebAssembly` (Firefox runs this script in a sandbox of its own).
        b.js(
            "const bytes = new Uint8Array([0,97,115,109,1,0,0,0, 1,4,1,96,0,0, 3,2,1,0, 7,5,1,1,102,0,0, 10,5,1,3,0,0,11]);
             const wasm = window.wrappedJSObject ? window.wrappedJSObject.WebAssembly : window.WebAssembly;
             const f = new wasm.Instance(new wasm.Module(bytes)).exports.f;
             setTimeout(f, 0);
             return null;",
            vec![],
        )
        .await?;
        b.wait_for("panic").await?;
        let text = b.text("panic").await?;
        ensure(text.contains("Latitude stopped because of an internal error") && text.contains("Your data is safe") && text.contains("RuntimeError"), format!("the stop message reads {text:?}"))?;
        let errors = b.console_errors().await?;
        ensure(errors.iter().any(|e| e.contains("RuntimeError")), format!("the trap is recorded without its kind: {errors:?}"))
    }
    .await;
    b.finish(r).await;
}
