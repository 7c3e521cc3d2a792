//! One as-of date everywhere: the sample opens at today, a week back is shown on every
//! page with the date edits are recorded on, a check-in entered then is stored on that
//! date, and a future date is refused with the previous one kept. The to-do list links
//! an overdue check-in to its sweep row and exports a calendar that parses.

use fantoccini::key::Key;

use crate::harness::*;

/// The browser's local date as YYYY-MM-DD.
async fn browser_today(b: &Browser) -> R<String> {
    let v = b.js("const d = new Date(); return d.getFullYear() + '-' + String(d.getMonth() + 1).padStart(2, '0') + '-' + String(d.getDate()).padStart(2, '0');", vec![]).await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

async fn as_of(b: &Browser) -> R<String> {
    let v = b.js("return document.querySelector('[data-testid=as-of]').value;", vec![]).await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// The sample workspace, read once it is stored.
async fn sample_once_stored(b: &Browser) -> R<latitude::core::Workspace> {
    eventually("the sample is stored", || async { Ok(stored_workspace(b).await.is_ok()) }).await?;
    stored_workspace(b).await
}

async fn stored_workspace(b: &Browser) -> R<latitude::core::Workspace> {
    let id = b.js("return (JSON.parse(localStorage.getItem('latitude/index') || '{}').active) || 'default';", vec![]).await?;
    Ok(serde_json::from_str(&stored_text(b, &format!("latitude/ws/{}", id.as_str().unwrap_or("default"))).await?)?)
}

#[tokio::test]
async fn the_sample_opens_at_today() {
    let b = Browser::start("sample-today").await;
    let r = async {
        open_sample(&b).await?;
        let today = browser_today(&b).await?;
        ensure(as_of(&b).await? == today, format!("as of {} on {today}", as_of(&b).await?))?;
        ensure(!b.exists("banner-as-of").await?, "no banner at today")?;
        // Nothing in the sample is dated after today (read once the sample is stored).
        let ws = sample_once_stored(&b).await?;
        let last = ws.last_date().map(latitude::core::format_date).unwrap_or_default();
        ensure(last <= today, format!("the sample has records on {last}, after {today}"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_check_in_entered_a_week_back_is_stored_on_the_displayed_date() {
    let b = Browser::start("sweep-back").await;
    let r = async {
        open_sample(&b).await?;
        b.open("#/check-ins").await?;
        b.wait_for("sweep").await?;
        b.click("as-of-back").await?;
        let shown = as_of(&b).await?;
        ensure(shown != browser_today(&b).await?, "moved a week back")?;
        eventually("the banner says the date", || async {
            Ok(b.exists("banner-as-of").await? && b.text("banner-as-of").await?.contains(&format!("Viewing as of {shown} — edits are recorded on {shown}")))
        })
        .await?;
        eventually("the sweep says the date", || async { Ok(b.text("sweep").await?.contains(&format!("values dated {shown}"))) }).await?;
        let row = b.find("sweep-row").await?;
        let id: u32 = row.attr("data-commitment-id").await?.unwrap_or_default().parse()?;
        // No row shows a reading after the date being entered.
        let metas = b.js("return Array.from(document.querySelectorAll('.sweep__meta')).map(m => m.textContent).join('\\n');", vec![]).await?;
        for line in metas.as_str().unwrap_or("").lines() {
            if let Some(date) = line.split(" on ").nth(1) {
                ensure(date <= shown.as_str(), format!("a row shows a reading on {date}, after {shown}"))?;
            }
        }
        // A value in the commitment's scale (the last reading up to the date, nudged).
        let ws = stored_workspace(&b).await?;
        let c = ws.commitment(latitude::core::CommitmentId(id)).ok_or("the commitment is stored")?;
        let day = latitude::core::parse_date(&shown)?;
        let last = c.checkins().iter().rev().find(|k| k.date <= day).map(|k| k.value.get()).or(c.baseline.map(|v| v.get())).unwrap_or(0.0);
        let typed = format!("{:.2}", last + 0.01);
        let value: f64 = typed.parse()?;
        b.js("document.querySelector('[data-sweep-index=\"0\"]').focus();", vec![]).await?;
        let input = b.client.active_element().await?;
        input.send_keys(&format!("{typed}{}", Key::Enter)).await?;
        // A value already recorded on that day is replaced only after a question.
        if c.checkins().on(day).is_some() {
            let question = b.wait_for("sweep-warning").await?.text().await?;
            ensure(question.contains("replaces") && question.contains(&shown), format!("the question says what is replaced: {question:?}"))?;
            input.send_keys(&Key::Enter.to_string()).await?;
        }
        eventually("saved", || async { Ok(b.text("sweep-saved").await? == "1 saved") }).await?;
        eventually("stored on the displayed date", || async {
            let ws = stored_workspace(&b).await?;
            let c = ws.commitment(latitude::core::CommitmentId(id)).ok_or("the commitment is stored")?;
            Ok(c.checkins().iter().any(|k| latitude::core::format_date(k.date) == shown && k.value.get() == value))
        })
        .await?;
        // Another date is another sweep: the saved row starts empty, the count again.
        b.click("as-of-back").await?;
        eventually("the row starts again", || async {
            let row = b.js("const r = document.querySelector('[data-testid=sweep-row]'); return [r.querySelector('[data-testid=sweep-value]').value, r.querySelector('[data-testid=sweep-save]').textContent, document.querySelector('[data-testid=sweep-saved]').textContent];", vec![]).await?;
            Ok(row == serde_json::json!(["", "Save", ""]))
        })
        .await?;
        // Back to today from the banner, on any page.
        b.open("#/units").await?;
        b.click("banner-as-of-today").await?;
        eventually("the banner goes", || async { Ok(!b.exists("banner-as-of").await?) }).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_future_or_invalid_date_is_refused_and_the_previous_one_kept() {
    let b = Browser::start("as-of-future").await;
    let r = async {
        open_sample(&b).await?;
        let before = as_of(&b).await?;
        let set = |value: &'static str| {
            b.js(
                "const input = document.querySelector('[data-testid=as-of]'); input.value = arguments[0]; input.dispatchEvent(new Event('change', { bubbles: true }));",
                vec![serde_json::json!(value)],
            )
        };
        set("2999-01-01").await?;
        eventually("the error is shown", || async { Ok(b.text("as-of-error").await?.contains("in the future")) }).await?;
        ensure(b.find("org-map").await.is_ok(), "the page still shows the map")?;
        let scores_date = b.js("return document.querySelector('[data-testid=as-of]').value;", vec![]).await?;
        ensure(scores_date.as_str() == Some(before.as_str()), format!("as of {scores_date} after a future date, was {before}"))?;
        ensure(b.find("as-of-forward").await?.attr("disabled").await?.is_some(), "▶ is disabled at today")?;
        // Typed field by field (month, day, then a year to come), the field passes through
        // past dates before the future one: refused, it goes back to the date shown before
        // typing, not to the last date passed.
        b.js(
            "const input = document.querySelector('[data-testid=as-of]'); input.focus();
             const y = new Date().getFullYear();
             for (const v of [`${y - 1}-01-29`, `${y - 1}-01-05`, `${y + 1}-01-05`]) { input.value = v; input.dispatchEvent(new Event('input', { bubbles: true })); input.dispatchEvent(new Event('change', { bubbles: true })); }
             input.blur();",
            vec![],
        )
        .await?;
        eventually("back to the date before typing", || async { Ok(as_of(&b).await? == before && b.text("as-of-error").await?.contains("in the future")) }).await?;
        // While the field has the focus a refused date is left as typed (the rest of the
        // date goes on into the right parts), and the field shows the date in force once left.
        // (WebKit reports a typed date only when the field is left, and its driver's page
        // may not take the focus from a script: there is nothing to check there.)
        let typed = b
            .js(
                "const input = document.querySelector('[data-testid=as-of]'); input.focus();
                 if (document.activeElement !== input) return null;
                 input.value = `${new Date().getFullYear() + 1}-12-29`; input.dispatchEvent(new Event('input', { bubbles: true })); input.dispatchEvent(new Event('change', { bubbles: true }));
                 return input.value;",
                vec![],
            )
            .await?;
        ensure(typed.is_null() || typed.as_str().is_some_and(|v| v.ends_with("-12-29")), format!("left as typed while focused: {typed}"))?;
        b.js("document.querySelector('[data-testid=as-of]').blur();", vec![]).await?;
        eventually("the date in force once left", || async { Ok(as_of(&b).await? == before) }).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// The dates the app has taken since [`log_as_of_dates`]: each goes into the link.
async fn as_of_dates_taken(b: &Browser) -> R<Vec<String>> {
    let v = b.js("return window.__asOfTaken || [];", vec![]).await?;
    Ok(v.as_array().map(|a| a.iter().filter_map(|d| d.as_str().map(str::to_owned)).collect()).unwrap_or_default())
}

/// Records every as-of date the app puts in the link from now on.
async fn log_as_of_dates(b: &Browser) -> R {
    b.js(
        "window.__asOfTaken = [];
         const replace = history.replaceState.bind(history);
         history.replaceState = (state, title, url) => { const m = /asof=(\\d{4}-\\d{2}-\\d{2})/.exec(String(url)); if (m) window.__asOfTaken.push(m[1]); return replace(state, title, url); };",
        vec![],
    )
    .await?;
    Ok(())
}

#[tokio::test]
async fn a_date_typed_by_keyboard_is_taken_once_typing_pauses_not_on_the_way() {
    let b = Browser::start("as-of-typed").await;
    let r = async {
        open_sample(&b).await?;
        let y = browser_today(&b).await?[..4].parse::<i32>()? - 1;
        b.js(
            "const input = document.querySelector('[data-testid=as-of]'); input.value = arguments[0]; input.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![serde_json::json!(format!("{y}-10-15"))],
        )
        .await?;
        eventually("a past date is shown", || async { Ok(b.text("banner-as-of").await.is_ok_and(|t| t.contains(&format!("{y}-10-15")))) }).await?;
        log_as_of_dates(&b).await?;
        // Typing "12" in the month passes through January.
        let focused = b.js("const input = document.querySelector('[data-testid=as-of]'); input.focus(); return document.activeElement === input;", vec![]).await?;
        if focused != serde_json::json!(true) {
            skip("this engine's driver gives the as-of field no focus from a script: nothing is being typed");
            return Ok(());
        }
        if b.engine == Engine::Chromium {
            // The focus is on the month, the first part of the field.
            b.find("as-of").await?.send_keys("12").await?;
        } else {
            b.js(
                "const input = document.querySelector('[data-testid=as-of]');
                 for (const v of arguments[0]) { input.value = v; input.dispatchEvent(new Event('input', { bubbles: true })); input.dispatchEvent(new Event('change', { bubbles: true })); }",
                vec![serde_json::json!([format!("{y}-01-15"), format!("{y}-12-15")])],
            )
            .await?;
        }
        let wanted = format!("{y}-12-15");
        eventually("the date typed is taken while the field keeps the focus", || async { Ok(b.text("banner-as-of").await.is_ok_and(|t| t.contains(&wanted))) }).await?;
        let still_focused = b.js("return document.activeElement === document.querySelector('[data-testid=as-of]');", vec![]).await?;
        ensure(still_focused == serde_json::json!(true), "the field still has the focus")?;
        let taken = as_of_dates_taken(&b).await?;
        ensure(taken == vec![wanted.clone()], format!("only the date typed is taken, not the dates passed on the way: {taken:?}"))?;
        // Enter takes a date at once.
        b.js(
            "const input = document.querySelector('[data-testid=as-of]'); input.value = arguments[0]; input.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![serde_json::json!(format!("{y}-11-15"))],
        )
        .await?;
        if b.engine == Engine::Firefox {
            // Its driver's Enter in a date field did not reach the field's key handler here.
            skip("Firefox: Enter in the as-of field is not checked");
            return Ok(());
        }
        b.find("as-of").await?.send_keys(&Key::Enter.to_string()).await?;
        ensure(b.text("banner-as-of").await?.contains(&format!("{y}-11-15")), "Enter takes the date at once")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// As of a date before a decision's review, the log shows it awaiting review: not its
/// outcome, nor who answered for it, nor "Edit review".
#[tokio::test]
async fn the_decision_log_shows_a_review_only_from_its_date() {
    let b = Browser::start("decisions-as-of").await;
    let r = async {
        open_sample(&b).await?;
        let ws = sample_once_stored(&b).await?;
        let d = ws
            .decisions
            .iter()
            .filter(|d| d.outcome.is_some() && !d.accountable.is_empty())
            .find(|d| d.review_date.is_some_and(|r| r > d.date))
            .ok_or("the sample has a reviewed decision with someone accountable")?;
        let before_review = latitude::core::score::add_days(d.review_date.unwrap(), -1);
        b.click("nav-decisions").await?;
        let row = format!("[data-testid=decision][data-decision-id=\"{}\"]", d.id.0);
        let text = |selector: String| {
            let b = &b;
            async move {
                let v = b
                    .js(
                        "let r = document.querySelector(arguments[0]);
                         if (!r) { const all = document.querySelector('[data-testid=show-all-decisions] button'); if (all) all.click(); r = document.querySelector(arguments[0]); }
                         return r ? r.innerText : null;",
                        vec![serde_json::json!(selector)],
                    )
                    .await?;
                let shown: R<Option<String>> = Ok(v.as_str().map(str::to_owned));
                shown
            }
        };
        eventually("the row shows its review today", || async { Ok(text(row.clone()).await?.is_some_and(|t| t.contains("Accountable:") && t.contains("Edit review"))) }).await?;
        // The decision log has no as-of field of its own: a link carries the date.
        b.open(&format!("#/decisions?asof={}", latitude::core::format_date(before_review))).await?;
        eventually("the day before its review, the row awaits it", || async {
            Ok(text(row.clone()).await?.is_some_and(|t| !t.contains("Accountable:") && !t.contains("Edit review") && !t.contains("outcome ")))
        })
        .await?;
        // Reviewing it then would take the place of the later review: said before saving.
        b.js(&format!("document.querySelector('{} [data-testid=decision-review]').click();", row.replace('\'', "\\'")), vec![]).await?;
        let later = format!("reviewed later, on {}", latitude::core::format_date(d.review_date.unwrap()));
        eventually("the form says a later review would be replaced", || async { Ok(text(format!("{row} [data-testid=decision-review-later]")).await?.is_some_and(|t| t.contains(&later))) }).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_to_do_list_links_an_overdue_check_in_to_its_sweep_row_and_exports_a_calendar() {
    let b = Browser::start("to-do").await;
    let r = async {
        open_sample(&b).await?;
        let count: usize = b.text("todo-count").await?.trim().parse()?;
        ensure(count > 0, "the header counts what is owed")?;
        b.click("nav-to-do").await?;
        b.wait_for("todo-list").await?;
        let items = b.find_all("todo-item").await?.len();
        ensure(items == count, format!("{items} items listed, {count} in the header"))?;
        let href = b.js("const a = document.querySelector('[data-testid=todo-item][data-kind=check-in] [data-testid=todo-link]'); return a ? a.getAttribute('href') : null;", vec![]).await?;
        let href = href.as_str().ok_or("an overdue check-in is listed")?.to_owned();
        let id = href.split("?c=").nth(1).ok_or("the link names the commitment")?.to_owned();
        b.js("document.querySelector('[data-testid=todo-item][data-kind=check-in] [data-testid=todo-link]').click();", vec![]).await?;
        b.wait_for("sweep").await?;
        eventually("the sweep row has the focus", || async {
            let active = b.js("return document.activeElement ? document.activeElement.id : '';", vec![]).await?;
            Ok(active.as_str() == Some(format!("sweep-value-{id}").as_str()))
        })
        .await?;
        // The other kinds open the form that resolves them, with the focus in it: a
        // review owed at the unit page's review form, a vague commitment at the first
        // field it lacks, a decision at its review's outcome.
        let mut followed = Vec::new();
        for (kind, focused) in [
            ("review", "return document.activeElement.id === 'review-verdict';"),
            ("vague", "return !!document.activeElement.closest('[data-testid=commitment-form]') && ['c-baseline', 'c-target', 'c-due', 'c-reviewer'].includes(document.activeElement.id);"),
            ("decision", "return document.activeElement.getAttribute('data-testid') === 'outcome-good' && !!document.activeElement.closest('[data-testid=decision-review-form]');"),
        ] {
            b.open("#/to-do").await?;
            b.wait_for("todo-list").await?;
            let selector = format!("[data-testid=todo-item][data-kind={kind}] [data-testid=todo-link]");
            let listed = b.js("const a = document.querySelector(arguments[0]); if (a) a.click(); return !!a;", vec![serde_json::json!(selector)]).await?;
            if listed.as_bool() != Some(true) {
                continue;
            }
            eventually(&format!("a {kind} item's link puts the focus in its form"), || async { Ok(b.js(focused, vec![]).await?.as_bool() == Some(true)) }).await?;
            followed.push(kind);
        }
        ensure(followed.len() >= 2, format!("the sample owes reviews, decisions or vague commitments: only {followed:?} listed"))?;
        // The calendar file: captured as the page hands it to the browser, then parsed.
        b.open("#/to-do").await?;
        b.wait_for("todo-list").await?;
        b.js(
            "window.__downloads = []; const make = URL.createObjectURL; URL.createObjectURL = function (blob) { blob.text().then(t => window.__downloads.push(t)); return make.call(URL, blob); };
             HTMLAnchorElement.prototype.click = function () { window.__names = (window.__names || []).concat([this.download]); };",
            vec![],
        )
        .await?;
        b.click("todo-export").await?;
        eventually("the file is handed over", || async { Ok(b.js("return window.__downloads.length;", vec![]).await?.as_u64() == Some(1)) }).await?;
        let name = b.js("return window.__names[0];", vec![]).await?;
        ensure(name.as_str().is_some_and(|n| n.ends_with(".ics")), format!("file name {name}"))?;
        let text = b.js("return window.__downloads[0];", vec![]).await?.as_str().unwrap_or_default().to_owned();
        let calendar: icalendar::Calendar = text.parse().map_err(|e| format!("the calendar does not parse: {e}"))?;
        let events: Vec<&icalendar::Event> = calendar.components.iter().filter_map(|c| c.as_event()).collect();
        use icalendar::Component;
        ensure(events.iter().filter(|e| e.get_summary().is_some_and(|s| s.starts_with("Check-in overdue"))).count() >= 1, "the overdue check-in is an event")?;
        ensure(events.iter().any(|e| e.property_value("RRULE").is_some_and(|r| r.starts_with("FREQ=DAILY;INTERVAL="))), "the check-in rhythm recurs")?;
        no_console_errors(&b).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// With nothing owed and nothing ahead, the calendar export is disabled and says why; with
/// items owed it is offered with no such note.
#[tokio::test]
async fn an_empty_to_do_list_offers_no_empty_calendar() {
    let b = Browser::start("to-do-empty").await;
    let r = async {
        b.open("#/to-do").await?;
        b.wait_for("todo-empty").await?;
        let disabled = b.js("return document.querySelector('[data-testid=todo-export]').disabled;", vec![]).await?;
        ensure(disabled.as_bool() == Some(true), "the export is disabled with nothing to export")?;
        let note = b.text("todo-export-note").await?;
        ensure(note.contains("Nothing to put in a calendar"), format!("the reason is given: {note:?}"))?;
        let described = b.js("return document.querySelector('[data-testid=todo-export]').getAttribute('aria-describedby');", vec![]).await?;
        ensure(described.as_str() == Some("todo-export-note"), "the button points to its reason")?;
        open_sample(&b).await?;
        b.open("#/to-do").await?;
        b.wait_for("todo-list").await?;
        let state = b.js("const n = document.querySelector('[data-testid=todo-export-note]'); return [document.querySelector('[data-testid=todo-export]').disabled, n.hidden];", vec![]).await?;
        ensure(state == serde_json::json!([false, true]), format!("with items owed the export is offered and no note shown: {state}"))?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// Map points are links: Enter (or Space) on a focused point opens its unit's page, and
/// each point's label says where it lies against the flags' margins.
#[tokio::test]
async fn a_map_point_opens_its_unit_page_by_keyboard() {
    let b = Browser::start("map-keyboard").await;
    let r = async {
        open_sample(&b).await?;
        // Tab from the chart's region lands on the first point.
        b.js("document.querySelector('[data-testid=org-map] .chart-figure__svg').focus();", vec![]).await?;
        b.client.active_element().await?.send_keys(&Key::Tab.to_string()).await?;
        let focused = b.js("const el = document.activeElement; return el && el.classList.contains('chart__hit') ? el.getAttribute('data-unit') : null;", vec![]).await?;
        let unit = focused.as_str().ok_or("Tab reaches a map point")?.to_owned();
        let label = b.js("return document.activeElement.getAttribute('aria-label');", vec![]).await?;
        ensure(label.as_str().is_some_and(|l| l.contains("gap") && l.contains("Opens the unit page")), format!("label: {label}"))?;
        b.client.active_element().await?.send_keys(&Key::Enter.to_string()).await?;
        eventually("the unit page opens", || async { Ok(b.exists("unit-page").await? && b.js("return location.hash;", vec![]).await?.as_str() == Some(&format!("#/units/{unit}"))) }).await?;
        // Space on another point, back on the overview.
        b.open("#/").await?;
        b.wait_css("[data-testid=org-map] .chart__hit").await?;
        let second = b.js("const el = document.querySelectorAll('[data-testid=org-map] .chart__hit')[1]; el.focus(); return el.getAttribute('data-unit');", vec![]).await?;
        let second = second.as_str().ok_or("a second point")?.to_owned();
        b.client.active_element().await?.send_keys(" ").await?;
        eventually("Space opens it too", || async { Ok(b.js("return location.hash;", vec![]).await?.as_str() == Some(&format!("#/units/{second}"))) }).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

async fn sweep_row_ids(b: &Browser) -> R<Vec<u32>> {
    let v = b.js("return Array.from(document.querySelectorAll('[data-testid=sweep-row]')).map(r => r.getAttribute('data-commitment-id'));", vec![]).await?;
    Ok(v.as_array().map(|a| a.iter().filter_map(|x| x.as_str()?.parse().ok()).collect()).unwrap_or_default())
}

async fn active_sweep_index(b: &Browser) -> R<Option<String>> {
    Ok(b.js("return document.activeElement && document.activeElement.getAttribute('data-sweep-index');", vec![]).await?.as_str().map(str::to_owned))
}

/// Enter on an empty row moves on; a value far outside the commitment's scale is asked
/// about once and saved on the second Enter; Ctrl+Z then takes the save back, and the row
/// and the sweep say so where the user is.
#[tokio::test]
async fn the_sweep_questions_implausible_values_moves_on_from_empty_rows_and_shows_undo() {
    let b = Browser::start("sweep-plausible").await;
    let r = async {
        open_sample(&b).await?;
        b.open("#/check-ins").await?;
        b.wait_for("sweep").await?;
        let ids = sweep_row_ids(&b).await?;
        ensure(ids.len() >= 3, "three open commitments")?;
        b.js("document.querySelector('[data-sweep-index=\"0\"]').focus();", vec![]).await?;
        b.client.active_element().await?.send_keys(&Key::Enter.to_string()).await?;
        eventually("Enter on the empty row moves to the next", || async { Ok(active_sweep_index(&b).await?.as_deref() == Some("1")) }).await?;
        ensure(b.text("sweep-saved").await?.is_empty(), "nothing saved")?;
        let errors = b.js("return Array.from(document.querySelectorAll('.sweep__form .field__error')).map(e => e.textContent).join('');", vec![]).await?;
        ensure(errors.as_str() == Some(""), format!("no error: {errors}"))?;
        // A value a thousand times the commitment's scale.
        let ws = sample_once_stored(&b).await?;
        let c = ws.commitment(latitude::core::CommitmentId(ids[1])).ok_or("row 1's commitment")?;
        let scale = [c.baseline.map(|v| v.get()), c.target.map(|v| v.get())].into_iter().flatten().chain(c.checkins().iter().map(|k| k.value.get())).fold(1.0f64, |m, v| m.max(v.abs()));
        let wild = (scale * 1000.0).round();
        let today = latitude::core::parse_date(&browser_today(&b).await?)?;
        ensure(latitude::core::plausible::implausible(c, wild, today).is_some(), format!("{wild} is implausible for {}", c.title))?;
        let before = c.checkins().len();
        b.client.active_element().await?.send_keys(&format!("{wild}{}", Key::Enter)).await?;
        eventually("the row asks to confirm", || async {
            Ok(b.find_all("sweep-warning").await?.len() > 1
                && b.js("return document.querySelectorAll('[data-testid=sweep-row]')[1].querySelector('[data-testid=sweep-warning]').textContent;", vec![])
                    .await?
                    .as_str()
                    .is_some_and(|t| t.contains("Is that right?")))
        })
        .await?;
        ensure(active_sweep_index(&b).await?.as_deref() == Some("1"), "the focus stays on the questioned row")?;
        ensure(b.text("sweep-saved").await?.is_empty(), "not saved before confirming")?;
        b.client.active_element().await?.send_keys(&Key::Enter.to_string()).await?;
        eventually("the second Enter saves", || async { Ok(b.text("sweep-saved").await? == "1 saved") }).await?;
        eventually("stored", || async {
            let ws = stored_workspace(&b).await?;
            Ok(ws.commitment(latitude::core::CommitmentId(ids[1])).is_some_and(|c| c.checkins().len() == before + 1))
        })
        .await?;
        let row_button = "return document.querySelectorAll('[data-testid=sweep-row]')[1].querySelector('[data-testid=sweep-save]').textContent;";
        ensure(b.js(row_button, vec![]).await?.as_str() == Some("Saved ✓"), "the row says saved")?;
        // The unit's track record reads as on every other page: TR 0.76, not 76 %.
        let result = b.js("return document.querySelectorAll('[data-testid=sweep-row]')[1].querySelector('[data-testid=sweep-result]').textContent;", vec![]).await?;
        let tr = result.as_str().and_then(|t| t.split("unit track record TR ").nth(1)).unwrap_or("");
        ensure(tr.len() == 4 && tr.parse::<f64>().is_ok_and(|v| (0.0..=1.0).contains(&v)), format!("row result: {result}"))?;
        ensure(active_sweep_index(&b).await?.as_deref() == Some("2"), "the focus moved on")?;
        // Ctrl+Z where the user is (the next row's empty field) takes the save back.
        b.client.active_element().await?.send_keys(&format!("{}z", Key::Control)).await?;
        eventually("the row shows the undone state", || async { Ok(b.js(row_button, vec![]).await?.as_str() == Some("Save")) }).await?;
        let status = b.text("sweep-saved").await?;
        ensure(status.contains("Undid check-in for") && !status.contains("1 saved"), format!("status: {status}"))?;
        let result = b.js("return document.querySelectorAll('[data-testid=sweep-row]')[1].querySelector('[data-testid=sweep-result]').textContent;", vec![]).await?;
        ensure(result.as_str().is_some_and(|t| t.contains("Undid check-in for")), format!("row: {result}"))?;
        ensure(active_sweep_index(&b).await?.as_deref() == Some("1"), "the focus returns to the undone row")?;
        let typed = b.js("return document.querySelector('[data-sweep-index=\"1\"]').value;", vec![]).await?;
        ensure(typed.as_str() == Some(""), format!("the undone row starts empty (Enter would save it again): {typed}"))?;
        eventually("the store no longer has it", || async {
            let ws = stored_workspace(&b).await?;
            Ok(ws.commitment(latitude::core::CommitmentId(ids[1])).is_some_and(|c| c.checkins().len() == before))
        })
        .await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// A past view is a link: the as-of date is in the fragment, restored on load, and
/// follows ◀; back at today the link has no date.
#[tokio::test]
async fn the_as_of_date_is_in_the_link_and_restored_on_load() {
    let b = Browser::start("as-of-link").await;
    let r = async {
        open_sample(&b).await?;
        b.open("#/check-ins").await?;
        b.click("as-of-back").await?;
        let shown = as_of(&b).await?;
        eventually("the link carries the date", || async { Ok(b.js("return location.hash;", vec![]).await?.as_str() == Some(&format!("#/check-ins?asof={shown}"))) }).await?;
        // Another page keeps it.
        b.open("#/to-do").await?;
        eventually("the new page's link carries it too", || async { Ok(b.js("return location.hash;", vec![]).await?.as_str() == Some(&format!("#/to-do?asof={shown}"))) }).await?;
        b.reload().await?;
        eventually("restored on load", || async { Ok(b.exists("banner-as-of").await? && b.text("banner-as-of").await?.contains(&format!("Viewing as of {shown}"))) }).await?;
        b.open(&format!("#/check-ins?asof={shown}")).await?;
        eventually("the picker shows it", || async { Ok(b.exists("as-of").await? && as_of(&b).await? == shown) }).await?;
        // A link to another past date, opened in the tab.
        let earlier = latitude::core::format_date(latitude::core::score::add_days(latitude::core::parse_date(&shown)?, -28));
        b.open(&format!("#/check-ins?asof={earlier}")).await?;
        eventually("the linked date is shown", || async { Ok(as_of(&b).await? == earlier) }).await?;
        b.click("as-of-today").await?;
        eventually("today's link has no date", || async { Ok(b.js("return location.hash;", vec![]).await?.as_str() == Some("#/check-ins")) }).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// A link to a future date is not followed in silence: the page says why, in the as-of
/// field's words, keeps the date it shows, and drops the date from the link; on load it
/// opens on today. Another date shown, the word goes.
#[tokio::test]
async fn a_link_to_a_future_date_says_why_it_is_not_shown() {
    let b = Browser::start("as-of-future-link").await;
    let r = async {
        open_sample(&b).await?;
        b.open("#/check-ins").await?;
        b.wait_for("as-of").await?;
        let today = as_of(&b).await?;
        let expected = format!("2999-01-01 is in the future: scores can only be replayed up to today ({today}); still showing {today}.");
        b.open("#/check-ins?asof=2999-01-01").await?;
        eventually("the refusal is shown", || async { Ok(b.exists("banner-as-of-refused").await? && b.text("banner-as-of-refused").await?.contains(&expected)) }).await?;
        ensure(as_of(&b).await? == today, "the date shown is kept")?;
        eventually("the link drops the date", || async { Ok(b.js("return location.hash;", vec![]).await?.as_str() == Some("#/check-ins")) }).await?;
        b.click("banner-as-of-refused-dismiss").await?;
        eventually("dismissed", || async { Ok(!b.exists("banner-as-of-refused").await?) }).await?;

        // Opened from such a link: today, and the same words.
        b.js("history.replaceState(null, '', '#/to-do?asof=2999-01-01');", vec![]).await?;
        b.reload().await?;
        eventually("the refusal is shown on load", || async { Ok(b.exists("banner-as-of-refused").await? && b.text("banner-as-of-refused").await?.contains(&expected)) }).await?;
        ensure(!b.exists("banner-as-of").await?, "today is shown, not a past date")?;
        eventually("the link drops the date", || async { Ok(b.js("return location.hash;", vec![]).await?.as_str() == Some("#/to-do")) }).await?;
        // Another date chosen: the word about the link goes.
        b.click("as-of-back").await?;
        eventually("the refusal goes once another date is shown", || async { Ok(!b.exists("banner-as-of-refused").await?) }).await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// Chooses a verdict in the review form as a select's change does.
async fn choose_verdict(b: &Browser, verdict: &str) -> R {
    b.js("const s = document.querySelector('[data-testid=review-verdict]'); s.value = arguments[0]; s.dispatchEvent(new Event('change', { bubbles: true }));", vec![serde_json::json!(verdict)])
        .await?;
    Ok(())
}

/// The review form's reason is only what is typed: the recommendation's sentence is its
/// placeholder, recorded when the reason is left empty with the recommended verdict;
/// another verdict asks why, and is refused without a reason.
#[tokio::test]
async fn a_review_reason_never_argues_for_another_verdict() {
    let b = Browser::start("review-reason").await;
    let r = async {
        open_sample(&b).await?;
        b.open("#/units/2").await?;
        b.wait_for("review-form").await?;
        let recommended = b.js("return document.querySelector('[data-testid=review-verdict]').value;", vec![]).await?.as_str().unwrap_or_default().to_owned();
        let field = || async {
            let v = b.js("const t = document.querySelector('[data-testid=review-note]'); return [t.value, t.placeholder];", vec![]).await?;
            R::<(String, String)>::Ok(serde_json::from_value(v)?)
        };
        let (value, placeholder) = field().await?;
        let reason = b.text("unit-recommendation").await?;
        let stands_in = placeholder.strip_prefix("Left empty, the recommendation's reason is recorded: ").unwrap_or_default().to_owned();
        ensure(value.is_empty() && !stands_in.is_empty() && reason.contains(&stands_in), format!("an empty field, the recommendation's reason as its placeholder: {value:?} {placeholder:?}"))?;
        let other = if recommended == "expand" { "contract" } else { "expand" };
        choose_verdict(&b, other).await?;
        eventually("the reason asks why", || async { Ok(field().await?.1.contains(&format!("Why {other} instead of the recommended {recommended}?"))) }).await?;
        // Another verdict without a reason is refused, and nothing is recorded.
        let before = sample_once_stored(&b).await?.reviews.len();
        b.click("review-save").await?;
        eventually("refused beside the reason", || async { Ok(b.text("review-note-error").await?.contains(&format!("say why {other} instead of the recommended {recommended}"))) }).await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        ensure(stored_workspace(&b).await?.reviews.len() == before, "nothing recorded without a reason")?;
        // What is typed is the whole reason: nothing to splice into.
        let typed = "Weekly check-in: conversion missed twice";
        let note = b.find("review-note").await?;
        b.click_el(&note).await?;
        note.send_keys(typed).await?;
        eventually("only what was typed", || async { Ok(note.prop("value").await?.as_deref() == Some(typed)) }).await?;
        b.click("review-save").await?;
        eventually("the review is stored with the typed reason", || async {
            let ws = stored_workspace(&b).await?;
            Ok(ws.reviews.len() == before + 1 && ws.reviews.iter().any(|r| r.note == typed))
        })
        .await?;
        eventually("the field is empty again", || async { Ok(field().await?.0.is_empty()) }).await?;
        // The recommended verdict with the reason left empty records the recommendation's.
        choose_verdict(&b, &recommended).await?;
        let stands_in = field().await?.1.strip_prefix("Left empty, the recommendation's reason is recorded: ").unwrap_or_default().to_owned();
        ensure(!stands_in.is_empty(), "the recommendation's reason is the placeholder")?;
        b.click("review-save").await?;
        eventually("recorded with the recommendation's reason", || async {
            let ws = stored_workspace(&b).await?;
            Ok(ws.reviews.len() == before + 2 && ws.reviews.iter().any(|r| r.note == stands_in))
        })
        .await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// A unit's page viewed as of a past date lists only what was recorded by then (grants,
/// reviews, decisions, commitments) and says how many later records it leaves out.
#[tokio::test]
async fn a_unit_page_as_of_a_past_date_lists_only_what_was_known_then() {
    let b = Browser::start("as-of-history").await;
    let r = async {
        open_sample(&b).await?;
        let ws = sample_once_stored(&b).await?;
        // The unit with the most reviews, seen as of its first one.
        let unit = ws.units.iter().max_by_key(|u| ws.reviews.iter().filter(|r| r.unit == u.id).count()).ok_or("a unit")?.id;
        let reviews: Vec<_> = ws.reviews.iter().filter(|r| r.unit == unit).map(|r| r.date).collect();
        ensure(reviews.len() >= 2, "the sample has a unit reviewed more than once")?;
        let day = *reviews.iter().min().ok_or("a review")?;
        let shown = latitude::core::format_date(day);
        let later = reviews.iter().filter(|d| **d > day).count();
        b.open(&format!("#/units/{}?asof={shown}", unit.0)).await?;
        eventually("the page is as of that date", || async { Ok(b.exists("banner-as-of").await? && as_of(&b).await? == shown) }).await?;
        let listed = texts(&b, "[data-testid=review-history] li strong").await?;
        ensure(listed.len() == reviews.len() - later, format!("{} reviews listed as of {shown}: {listed:?}", listed.len()))?;
        ensure(listed.iter().all(|d| d.as_str() <= shown.as_str()), format!("a review after {shown}: {listed:?}"))?;
        let grants = texts(&b, "[data-testid=grant-history] tbody tr td:first-child").await?;
        ensure(grants.iter().all(|d| d.as_str() <= shown.as_str()), format!("a grant after {shown}: {grants:?}"))?;
        let notes = texts(&b, "[data-testid=later-hidden]").await?;
        let expected = format!("{later} review{} dated after {shown} not shown", if later == 1 { "" } else { "s" });
        ensure(notes.iter().any(|n| n.starts_with(&expected)), format!("the page says what it leaves out ({expected:?}): {notes:?}"))?;
        // Back at today everything is listed and nothing is said to be left out.
        b.click("banner-as-of-today").await?;
        eventually("every review listed at today", || async { Ok(texts(&b, "[data-testid=review-history] li strong").await?.len() == reviews.len() && !b.exists("later-hidden").await?) }).await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

/// The trimmed text of every element `selector` matches.
async fn texts(b: &Browser, selector: &str) -> R<Vec<String>> {
    let v = b.js("return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent.trim());", vec![serde_json::json!(selector)]).await?;
    Ok(v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default())
}

/// A workshop's agreed action past its due day is owed on the to-do list, where it is
/// marked done (stored with the day), and Undo brings it back.
#[tokio::test]
async fn a_workshop_action_due_is_owed_until_marked_done_on_the_to_do_list() {
    use latitude::core::{apply, ActionInput, Command, Name, UnitKind, Verdict};
    let b = Browser::start("to-do-action").await;
    let r = async {
        b.open("").await?;
        let today = latitude::core::parse_date(&browser_today(&b).await?)?;
        let mut ws = latitude::core::Workspace::new(Name::new("Actions")?);
        let run = |ws: &mut latitude::core::Workspace, c: Command| apply(ws, &c).map_err(|e| e.to_string());
        let team = run(&mut ws, Command::AddUnit { name: Name::new("Payments")?, kind: UnitKind::Team, parent: None, role: String::new() })?.units.added[0];
        let workshop = run(&mut ws, Command::StartWorkshop { date: today - time::Duration::days(30), title: Some(Name::new("Autumn review")?) })?.workshops.added[0];
        run(&mut ws, Command::SetWorkshopScope { workshop, units: vec![team], areas: vec![] })?;
        let action = ActionInput { text: Name::new("Brief the board")?, owner: Name::new("Bo")?, due: Some(today - time::Duration::days(10)), commitment: None };
        run(&mut ws, Command::AgreeActions { workshop, unit: team, verdict: Verdict::Hold, reviewer: None, note: String::new(), actions: vec![action] })?;
        run(&mut ws, Command::FinishWorkshop { workshop, now_ms: 0 })?;
        let env = serde_json::to_string(&latitude::storage::envelope::Envelope::new(ws, 1, "test", "2026-01-01T00:00:00Z"))?;
        b.seed_workspace(&env, "Actions").await?;
        b.reload().await?;
        b.open("#/to-do").await?;
        b.wait_for("todo-list").await?;
        let item = "[data-testid=todo-item][data-kind=action]";
        let text = b.js(&format!("const i = document.querySelector('{item}'); return i ? i.innerText : null;"), vec![]).await?;
        let text = text.as_str().ok_or("the action is owed")?.to_owned();
        ensure(text.contains("Workshop action due") && text.contains("Bo: “Brief the board” for Payments") && text.contains("(10 days)"), format!("the item says {text:?}"))?;
        let export = b.js("return document.querySelector('[data-testid=todo-export]').disabled;", vec![]).await?;
        ensure(export.as_bool() == Some(false), "the action owed is something to put in a calendar")?;
        b.js(&format!("document.querySelector('{item} [data-testid=todo-action-done]').click();"), vec![]).await?;
        eventually("the action is no longer owed", || async {
            Ok(!b.exists("todo-list").await? || b.js(&format!("return !document.querySelector('{item}');"), vec![]).await?.as_bool() == Some(true))
        })
        .await?;
        let said = b.text("todo-status").await?;
        ensure(said.contains("Marked “Brief the board” done on") && said.contains("Undo"), format!("the status says {said:?}"))?;
        eventually("stored as done today", || async {
            let env = latitude::storage::store::decode_stored(&b.local_storage("latitude/ws/default").await?.unwrap_or_default())?;
            Ok(env.workspace.workshops.first().and_then(|s| s.outcomes.first()).and_then(|o| o.actions.first()).and_then(|a| a.done) == Some(today))
        })
        .await?;
        b.click("undo").await?;
        eventually("Undo brings it back", || async { Ok(b.js(&format!("return !!document.querySelector('{item}');"), vec![]).await?.as_bool() == Some(true)) }).await?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}
