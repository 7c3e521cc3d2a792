//! A facilitator runs the whole workshop: participants, poker rounds with private votes
//! and a reveal (named and anonymous), leaving and reloading in the middle, last
//! quarter's results, the map, agreed actions and the summary (printed and as Markdown);
//! presenter mode at projector sizes; the step timers.

use base64::Engine;

use crate::harness::*;
use serde_json::json;

/// The open workspace as stored in the browser.
async fn stored_workspace(b: &Browser) -> R<latitude::core::Workspace> {
    let id = b.js("return (JSON.parse(localStorage.getItem('latitude/index') || '{}').active) || 'default';", vec![]).await?;
    let key = format!("latitude/ws/{}", id.as_str().unwrap_or("default"));
    Ok(serde_json::from_str(&stored_text(b, &key).await?)?)
}

async fn step_is(b: &Browser, n: usize) -> R {
    eventually(&format!("step {n}"), || async { Ok(b.text("workshop-step-title").await?.starts_with(&format!("{n}."))) }).await
}

/// "Next step →" asks first, with `question` in what it says; staying keeps step `step`.
async fn leaving_is_asked(b: &Browser, question: &str, step: usize) -> R {
    b.click("workshop-next").await?;
    let asked = b.wait_for("workshop-unrecorded").await?.text().await?;
    ensure(asked.contains(question), format!("the question: {asked:?}"))?;
    b.click("workshop-unrecorded-cancel").await?;
    eventually("the question closes", || async { Ok(!b.exists("workshop-unrecorded").await?) }).await?;
    step_is(b, step).await
}

async fn value_of(b: &Browser, testid: &str) -> R<String> {
    Ok(b.find(testid).await?.prop("value").await?.unwrap_or_default())
}

/// What the round's pickers and the focus show: the values of its selects and inputs,
/// and the focused element's test id.
async fn picker_state(b: &Browser) -> R<(Vec<String>, String)> {
    let v = b
        .js(
            "const r = document.querySelector('[data-testid=poker-vote-form]'); \
             const vals = r ? [...r.querySelectorAll('select, input')].map(e => e.value) : []; \
             const a = document.activeElement; \
             return [vals, (a && a.getAttribute('data-testid')) || ''];",
            vec![],
        )
        .await?;
    let vals = v[0].as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default();
    Ok((vals, v[1].as_str().unwrap_or("").to_owned()))
}

/// One private vote: who, then their level card, which casts at once; at no point does
/// the page hold the chosen level, and the picker is empty afterwards.
async fn vote(b: &Browser, who: &str, level: &str) -> R {
    let before = stored_workspace(b).await?.workshops.iter().flat_map(|s| s.rounds.iter()).map(|r| r.votes.len()).sum::<usize>();
    b.find("poker-who").await?.select_by_value(who).await?;
    let (vals, _) = picker_state(b).await?;
    ensure(vals == [who.to_owned()], format!("only who votes is chosen before the vote: {vals:?}"))?;
    b.click(&format!("poker-cast-{level}")).await?;
    eventually(&format!("{who}'s vote is counted"), || async { Ok(b.text("poker-cards").await?.contains(who)) }).await?;
    let (vals, focused) = picker_state(b).await?;
    ensure(vals.iter().all(String::is_empty), format!("the picker is cleared after {who}'s vote: {vals:?}"))?;
    ensure(!focused.starts_with("poker-cast"), format!("the focus does not rest on the card chosen: {focused:?}"))?;
    eventually(&format!("{who}'s vote is recorded"), || async { Ok(stored_workspace(b).await?.workshops.iter().flat_map(|s| s.rounds.iter()).map(|r| r.votes.len()).sum::<usize>() == before + 1) })
        .await?;
    let cards = b.text("poker-cards").await?;
    ensure(!["Tell", "Sell", "Consult", "Agree", "Advise", "Inquire", "Delegate"].iter().any(|l| cards.contains(l)), format!("no level shows before the reveal: {cards:?}"))
}

/// Reveals a round some have not voted in: the question names them, nothing is shown
/// before the answer, and "Reveal anyway" reveals.
async fn reveal_before_all(b: &Browser, waiting: &[&str]) -> R {
    b.click("poker-reveal").await?;
    let question = b.wait_for("poker-early-reveal").await?.text().await?;
    ensure(waiting.iter().all(|w| question.contains(w)) && question.contains("not voted yet"), format!("the question names who has not voted: {question:?}"))?;
    ensure(!b.exists("poker-result").await?, "nothing is revealed before the answer")?;
    // The question takes the focus, on its gentler answer, so that it is in view and the
    // keyboard answers it (at 1280×720 in presenter mode it opened below the fold).
    eventually("the question has the focus", || async {
        Ok(b.js("return document.activeElement && document.activeElement.getAttribute('data-testid');", vec![]).await? == "poker-early-reveal-cancel")
    })
    .await?;
    b.click("poker-early-reveal-confirm").await?;
    b.wait_for("poker-result").await?;
    // The reveal button is gone: the focus is on what it revealed.
    eventually("the result has the focus", || async { Ok(b.js("return document.activeElement && document.activeElement.getAttribute('data-testid');", vec![]).await? == "poker-result") }).await?;
    Ok(())
}

/// The decision area a round is opened in: one named anew, or one chosen by its name.
enum Area<'a> {
    New(&'a str),
    Existing(&'a str),
}

/// Opens a poker round for a unit (chosen by its name) and waits for the vote form.
async fn open_round(b: &Browser, unit: &str, area: Area<'_>) -> R {
    b.find("poker-unit").await?.select_by_label(unit).await?;
    match area {
        Area::New(name) => {
            // A workspace with no areas yet asks for the first one's name alone.
            if b.exists("poker-area").await? {
                b.find("poker-area").await?.select_by_value("new").await?;
            }
            // Nothing of an earlier round's form is left in it.
            let left = b.find("poker-new-area").await?.prop("value").await?.unwrap_or_default();
            ensure(left.is_empty(), format!("the new area's name starts empty, not {left:?}"))?;
            b.type_into("poker-new-area", name).await?;
        }
        Area::Existing(name) => b.find("poker-area").await?.select_by_label(name).await?,
    }
    b.click("poker-open").await?;
    b.wait_for("poker-vote-form").await?;
    Ok(())
}

/// A blank workspace, a workshop with four participants and three units, at step 3.
async fn set_up(b: &Browser) -> R {
    b.open("#/workshop").await?;
    b.wait_for("workshop-sessions-card").await?;
    b.click("workshop-blank").await?;
    step_is(b, 1).await?;
    b.type_into("workshop-participants", "Ana, Bo, Chen").await?;
    b.click("workshop-participants-save").await?;
    eventually("participants", || async { Ok(b.text("workshop-participant-list").await?.contains("Chen")) }).await?;
    // A name typed and the field left for the next step, without "Save": kept.
    b.type_into("workshop-participants", "Ana, Bo, Chen, Dee").await?;
    b.click("workshop-next").await?;
    step_is(b, 2).await?;
    eventually("the names typed are kept", || async { Ok(stored_workspace(b).await?.workshops.first().map(|s| s.participants.len()) == Some(4)) }).await?;
    for (name, kind, leader) in [("Platform", "team", None), ("Payments", "team", Some("Platform")), ("Rita Osei", "person", Some("Platform"))] {
        b.type_into("workshop-team-name", name).await?;
        b.find("workshop-team-kind").await?.select_by_value(kind).await?;
        if let Some(l) = leader {
            b.find("workshop-team-leader").await?.select_by_label(l).await?;
        }
        b.click("workshop-team-add").await?;
        eventually(name, || async { Ok(b.text("workshop-teams").await?.contains(name)) }).await?;
    }
    let teams = b.text("workshop-teams").await?;
    ensure(teams.contains("Rita Osei (person)") && teams.contains("Payments (team)"), format!("a unit is a team or a person: {teams:?}"))?;
    // Adding a unit in the room is one step: Undo would take back the unit and its place
    // in the workshop together.
    let undo = b.js("return document.querySelector('[data-testid=undo]').title;", vec![]).await?;
    ensure(undo.as_str() == Some("Undo: Added Rita Osei to the workshop (Ctrl+Z)"), format!("the last step is the addition: {undo}"))?;
    b.click("workshop-next").await?;
    step_is(b, 3).await
}

#[tokio::test]
async fn a_facilitator_runs_the_whole_workshop() {
    let b = Browser::start("workshop").await;
    let r = async {
        set_up(&b).await?;
        // Round 1, revealed with names: Payments in a new area.
        open_round(&b, "Payments", Area::New("Release")).await?;
        ensure(b.text("poker-current").await?.contains("no grant in this area yet"), "the round says what the unit holds now")?;
        vote(&b, "Ana", "3").await?;
        vote(&b, "Bo", "4").await?;
        ensure(b.text("poker-count").await? == "2 of 4 have voted", "who has voted is counted")?;

        // Leave for the Units page, reload, come back: same step, same votes.
        b.open("#/units").await?;
        b.wait_for("page").await?;
        b.reload().await?;
        b.open("#/workshop").await?;
        step_is(&b, 3).await?;
        eventually("the votes survive", || async { Ok(b.text("poker-count").await? == "2 of 4 have voted") }).await?;
        let cards = b.text("poker-cards").await?;
        ensure(cards.contains("Ana") && cards.contains("Bo"), format!("who voted: {cards:?}"))?;

        vote(&b, "Chen", "5").await?;
        vote(&b, "Dee", "6").await?;
        b.click("poker-reveal").await?;
        let result = b.wait_for("poker-result").await?.text().await?;
        ensure(result.contains("Spread: 3 to 6 (3 levels apart). Median between 4 and 5."), format!("result {result:?}"))?;
        ensure(!result.contains("Ask"), format!("no vote is two levels from the median: {result:?}"))?;
        ensure(b.text("poker-cards").await?.contains("6 Inquire"), "revealed cards show the levels")?;
        ensure(value_of(&b, "poker-agreed").await? == "4", "the agreed level starts from the median")?;
        ensure(value_of(&b, "poker-rung").await? == "2", "without a grant the scope starts at 2")?;
        let between = b.text("poker-between").await?;
        ensure(between.contains("between 4 and 5") && between.contains("4 Agree") && between.contains("5 Advise"), format!("both sides of the median are offered: {between:?}"))?;
        b.click("poker-take-high").await?;
        eventually("the higher side is taken", || async { Ok(value_of(&b, "poker-agreed").await? == "5") }).await?;
        b.click("poker-take-low").await?;
        eventually("the lower side is taken", || async { Ok(value_of(&b, "poker-agreed").await? == "4") }).await?;
        b.find("poker-rung").await?.select_by_value("3").await?;
        b.click("poker-record").await?;
        eventually("recorded", || async { Ok(b.text("poker-status").await?.contains("Recorded for Payments in Release: level 4 Agree at scope 3 System")) }).await?;

        // Round 2, revealed without names.
        b.click("poker-privacy-anonymous").await?;
        open_round(&b, "Platform", Area::Existing("Release")).await?;
        vote(&b, "Ana", "2").await?;
        vote(&b, "Bo", "2").await?;
        vote(&b, "Chen", "6").await?;
        reveal_before_all(&b, &["Dee"]).await?;
        let round = b.wait_for("poker-round").await?.text().await?;
        ensure(!["Ana", "Bo", "Chen", "Dee"].iter().any(|n| round.contains(n)), format!("an anonymous reveal shows no names: {round:?}"))?;
        ensure(round.contains("Ask whoever voted 6"), format!("outliers without names: {round:?}"))?;
        // Leaving the step before the level is recorded is asked first.
        leaving_is_asked(&b, "Platform · Release are revealed, but no level is recorded", 3).await?;
        b.find("poker-agreed").await?.select_by_value("2").await?;
        b.click("poker-record").await?;
        eventually("recorded", || async { Ok(b.text("poker-status").await?.contains("Recorded for Platform in Release: level 2")) }).await?;
        // Names for the next rounds: the votes the room saw without names stay so (the
        // summary below shows them without names).
        b.click("poker-privacy-named").await?;
        eventually("the setting is stored", || async { Ok(stored_workspace(&b).await?.workshops.first().map(|s| s.privacy) == Some(latitude::core::workshop::VotePrivacy::Named)) }).await?;

        // A later round for the same unit and area shows the earlier one; it can be dropped.
        open_round(&b, "Payments", Area::Existing("Release")).await?;
        // On a level card, → moves to the next card; the workshop stays at this step.
        b.find("poker-who").await?.select_by_value("Ana").await?;
        b.js("document.querySelector('[data-testid=poker-cast-3]').focus();", vec![]).await?;
        b.client.active_element().await?.send_keys(&fantoccini::key::Key::Right.to_string()).await?;
        let focused = b.js("return document.activeElement.getAttribute('data-testid');", vec![]).await?;
        ensure(focused.as_str() == Some("poker-cast-4"), format!("→ moves along the cards: {focused}"))?;
        step_is(&b, 3).await?;
        let history = b.wait_for("poker-history").await?.text().await?;
        ensure(history.contains("median between 4 and 5, agreed 4"), format!("earlier rounds: {history:?}"))?;
        // A round revealed (one vote of four) can be dropped too.
        b.click("poker-cast-4").await?;
        reveal_before_all(&b, &["Bo", "Chen", "Dee"]).await?;
        b.click("poker-discard").await?;
        b.wait_for("poker-open-form").await?;
        eventually("the round is gone", || async { Ok(stored_workspace(&b).await?.workshops.first().map(|s| s.rounds.len()) == Some(2)) }).await?;
        // A new area for the next round starts empty: the first round's "Release" is not in it.
        b.find("poker-area").await?.select_by_value("new").await?;
        ensure(b.find("poker-new-area").await?.prop("value").await?.unwrap_or_default().is_empty(), "the new area's name starts empty")?;

        b.click("workshop-next").await?;
        step_is(&b, 4).await?;
        // A blank workspace has no commitments: step 4 says so, and a commitment is added
        // for a unit here, due in the period, without leaving the workshop.
        ensure(b.exists("results-none").await?, "the step says nothing falls due")?;
        let adds = b.js("return [...document.querySelectorAll('[data-testid=results-unit-add]')].map(a => a.innerText);", vec![]).await?;
        ensure(adds.as_array().map(Vec::len) == Some(3) && adds.as_array().is_some_and(|a| a.iter().any(|t| t == "Add a commitment for Payments")), format!("a way to add one for each unit: {adds}"))?;
        let payments = "[data-testid=results-unit][data-unit='2']";
        b.js(&format!("document.querySelector(\"{payments} [data-testid=results-unit-add]\").click();"), vec![]).await?;
        b.wait_for("commitment-form").await?;
        let (from, to) = (value_of(&b, "results-from").await?, value_of(&b, "results-to").await?);
        ensure(value_of(&b, "c-start").await? == from && value_of(&b, "c-due").await? == to, "the new commitment runs over the period")?;
        b.type_into("c-title", "Release frequency").await?;
        b.type_into("c-baseline", "2").await?;
        // The page is reloaded mid-form: the form is open again with what was typed.
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        b.reload().await?;
        b.wait_for("commitment-form").await?;
        ensure(value_of(&b, "c-title").await? == "Release frequency" && value_of(&b, "c-baseline").await? == "2", "what was typed in the new commitment survives a reload")?;
        ensure(value_of(&b, "c-due").await? == to, "its due day is still the period's last")?;
        b.type_into("c-target", "6").await?;
        b.click("c-save").await?;
        eventually("its row is in the grid, with the focus", || async {
            Ok(b.js(&format!("const r = document.querySelector(\"{payments} [data-testid=results-value]\"); return !!r && document.activeElement === r && !document.querySelector('[data-testid=commitment-form]');"), vec![]).await?.as_bool() == Some(true))
        })
        .await?;
        let said = b.js(&format!("return document.querySelector(\"{payments} [data-testid=results-unit-added]\").innerText;"), vec![]).await?;
        ensure(said.as_str() == Some("Added “Release frequency”: type its result in the row above."), format!("what was added is said: {said}"))?;
        ensure(!b.exists("results-none").await?, "something falls due now")?;
        b.client.active_element().await?.send_keys(&format!("5{}", fantoccini::key::Key::Enter)).await?;
        eventually("its result is recorded on the due day", || async {
            let ws = stored_workspace(&b).await?;
            Ok(ws.commitments.iter().find(|c| c.title.to_string() == "Release frequency").is_some_and(|c| c.owner.0 == 2 && c.checkins().iter().any(|k| k.value.get() == 5.0 && latitude::core::format_date(k.date) == to)))
        })
        .await?;
        step_is(&b, 4).await?;
        b.click("workshop-next").await?;
        step_is(&b, 5).await?;
        b.wait_css("[data-testid=workshop-map] svg [data-scope]").await?;
        let ringed = b.js("return document.querySelectorAll('[data-testid=workshop-map] svg [data-scope]').length;", vec![]).await?;
        ensure(ringed.as_u64() == Some(3), format!("the units in scope are ringed: {ringed}"))?;
        // A blank workspace's units sit at supported autonomy 0: the step says why.
        let zero = b.text("workshop-map-zero").await?;
        ensure(zero.contains("100 × rigor × track record") && zero.contains("Payments") && zero.contains("Rita Osei"), format!("why the units sit at 0: {zero:?}"))?;
        b.click("workshop-next").await?;
        step_is(&b, 6).await?;

        // Agree Payments' actions; a double click records once.
        let unit = "[data-testid=workshop-unit-actions][data-unit='2']";
        b.js(&format!("const u = document.querySelector(\"{unit}\"); const set = (t, v) => {{ const el = u.querySelector(`[data-testid=${{t}}]`); el.value = v; el.dispatchEvent(new Event(el.tagName === 'SELECT' ? 'change' : 'input', {{ bubbles: true }})); }};
             set('workshop-verdict', 'contract'); set('workshop-verdict-note', 'Metrics before more autonomy'); set('workshop-action-text', 'Add release metrics'); set('workshop-action-owner', 'Bo');"), vec![]).await?;
        // What is typed and not agreed yet survives a reload (the facilitator left the
        // page), a second action's row too.
        b.js(&format!("const u = document.querySelector(\"{unit}\"); u.querySelector('[data-testid=workshop-action-more]').click();"), vec![]).await?;
        // The new row is where the facilitator types next.
        eventually("the new row has the focus", || async { Ok(b.js("return document.activeElement.id;", vec![]).await?.as_str() == Some("action-2-1")) }).await?;
        b.js(&format!("const el = document.querySelectorAll(\"{unit} [data-testid=workshop-action-text]\")[1]; el.value = 'Brief the board'; el.dispatchEvent(new Event('input', {{ bubbles: true }}));"), vec![]).await?;
        let typed = format!("const u = document.querySelector(\"{unit}\"); return u ? [u.querySelector('[data-testid=workshop-verdict]').value, [...u.querySelectorAll('[data-testid=workshop-action-text]')].map(e => e.value), u.querySelector('[data-testid=workshop-action-owner]').value] : null;");
        let before = b.js(&typed, vec![]).await?;
        ensure(before == json!(["contract", ["Add release metrics", "Brief the board"], "Bo"]), format!("typed before the reload: {before}"))?;
        b.reload().await?;
        step_is(&b, 6).await?;
        eventually("what was typed is back after the reload", || async { Ok(b.js(&typed, vec![]).await? == before) }).await?;
        // Actions are taken out again: the rows after one move up, the focus stays in
        // the form, and a reload keeps what is left.
        b.js(&format!("const u = document.querySelector(\"{unit}\"); u.querySelector('[data-testid=workshop-action-more]').click();"), vec![]).await?;
        b.js(&format!("const el = document.querySelectorAll(\"{unit} [data-testid=workshop-action-text]\")[2]; el.value = 'Drop me too'; el.dispatchEvent(new Event('input', {{ bubbles: true }}));"), vec![]).await?;
        let texts = format!("return [...document.querySelectorAll(\"{unit} [data-testid=workshop-action-text]\")].map(e => e.value);");
        let remove = format!("document.querySelectorAll(\"{unit} [data-testid=workshop-action-remove]\")[1].click();");
        b.js(&remove, vec![]).await?;
        eventually("the row after the one removed moves up", || async { Ok(b.js(&texts, vec![]).await? == json!(["Add release metrics", "Drop me too"])) }).await?;
        let said = b.js(&format!("return document.querySelector(\"{unit} [data-testid=workshop-action-status]\").innerText;"), vec![]).await?;
        ensure(said.as_str() == Some("Removed action 2 of Payments (“Brief the board”)."), format!("the removal is said: {said}"))?;
        eventually("the focus is on the row in its place", || async { Ok(b.js("return document.activeElement.id;", vec![]).await?.as_str() == Some("action-2-1")) }).await?;
        b.js(&remove, vec![]).await?;
        eventually("the last row is gone", || async { Ok(b.js(&texts, vec![]).await? == json!(["Add release metrics"])) }).await?;
        b.reload().await?;
        step_is(&b, 6).await?;
        eventually("a reload keeps the one action left", || async { Ok(b.js(&texts, vec![]).await? == json!(["Add release metrics"])) }).await?;
        // Owners are offered from the participants and the units.
        let owners = b.js(&format!("return [...document.querySelectorAll(\"{unit} [data-testid=workshop-owner-options] option\")].map(o => o.value);"), vec![]).await?;
        let owners: Vec<&str> = owners.as_array().map(|a| a.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
        ensure(["Ana", "Dee", "Payments", "Rita Osei"].iter().all(|n| owners.contains(n)), format!("owners offered: {owners:?}"))?;
        // The fields take no more than the core keeps (a name's 120 characters, a note's 2,000).
        let limits = b.js(&format!("return ['workshop-action-text', 'workshop-action-owner', 'workshop-verdict-note'].map(t => document.querySelector(\"{unit} [data-testid=\" + t + \"]\").maxLength);"), vec![]).await?;
        ensure(limits == json!([120, 120, 2000]), format!("the fields' limits: {limits}"))?;
        // Without a due date the action is refused, in words.
        b.js(&format!("document.querySelector(\"{unit} [data-testid=workshop-record-review]\").click();"), vec![]).await?;
        let err = b.js(&format!("return document.querySelector(\"{unit} [data-testid=workshop-action-error]\").innerText;"), vec![]).await?;
        ensure(err.as_str() == Some("Give “Add release metrics” a due date."), format!("a missing due date is named: {err}"))?;
        // The field refused is marked and has the focus, its message read with it.
        eventually("the due date field has the focus", || async {
            let due = b.js(&format!("const el = document.querySelector(\"{unit} [data-testid=workshop-action-due]\"); const said = document.getElementById(el.getAttribute('aria-describedby')); return [document.activeElement === el, el.getAttribute('aria-invalid'), said && said.innerText];"), vec![]).await?;
            Ok(due == json!([true, "true", "Give “Add release metrics” a due date."]))
        })
        .await?;
        ensure(stored_workspace(&b).await?.workshops.first().map(|s| s.outcomes.len()) == Some(0), "nothing is recorded without a due date")?;
        b.js(&format!("const el = document.querySelector(\"{unit} [data-testid=workshop-action-due]\"); el.value = '2027-01-15'; el.dispatchEvent(new Event('input', {{ bubbles: true }}));"), vec![]).await?;
        ensure(b.js(&format!("return !!document.querySelector(\"{unit} [data-testid=workshop-recommendation]\");"), vec![]).await?.as_bool() == Some(true), "a recommendation before the agreement")?;
        b.js(&format!("const btn = document.querySelector(\"{unit} [data-testid=workshop-record-review]\"); btn.click(); btn.click();"), vec![]).await?;
        eventually("agreed", || async { Ok(b.js(&format!("const a = document.querySelector(\"{unit} [data-testid=workshop-agreed]\"); return a ? a.innerText : '';"), vec![]).await?.as_str().unwrap_or("").contains("Add release metrics — Bo, due 2027-01-15")) }).await?;
        // The form is gone: the focus is on what was agreed, in that unit.
        eventually("the agreement has the focus", || async { Ok(b.js(&format!("return document.activeElement === document.querySelector(\"{unit} [data-testid=workshop-agreed]\");"), vec![]).await?.as_bool() == Some(true)) }).await?;
        eventually("stored once", || async {
            let ws = stored_workspace(&b).await?;
            let outcomes = ws.workshops.first().map(|s| s.outcomes.len()).unwrap_or(0);
            Ok(outcomes == 1 && ws.reviews.iter().filter(|r| r.unit.0 == 2).count() == 1)
        })
        .await?;
        // The recommendation, computed from the review just recorded, no longer shows
        // beside the agreement it would contradict.
        ensure(b.js(&format!("return !!document.querySelector(\"{unit} [data-testid=workshop-recommendation]\");"), vec![]).await?.as_bool() == Some(false), "no recommendation after the agreement")?;

        // Finishing names the units in scope still without a verdict, and those with
        // actions typed and not agreed, and may go on anyway.
        b.js(
            "const u = [...document.querySelectorAll('[data-testid=workshop-unit-actions]')].find(u => u.querySelector('h3').innerText === 'Platform');
             const el = u.querySelector('[data-testid=workshop-action-text]'); el.value = 'Typed, not agreed'; el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![],
        )
        .await?;
        b.click("workshop-finish").await?;
        let pending = b.wait_for("workshop-finish-pending").await?.text().await?;
        ensure(pending.contains("2 units in scope have no agreed verdict yet: Platform, Rita Osei"), format!("the units without a verdict: {pending:?}"))?;
        ensure(pending.contains("The actions typed for Platform are not recorded"), format!("the actions typed and not agreed: {pending:?}"))?;
        b.click("workshop-finish-pending-cancel").await?;
        eventually("not finished", || async { Ok(!b.exists("workshop-finish-pending").await? && b.exists("workshop-actions").await?) }).await?;
        b.click("workshop-finish").await?;
        b.click("workshop-finish-pending-confirm").await?;
        let summary = b.wait_for("workshop-summary").await?.text().await?;
        ensure(summary.contains("Ana, Bo, Chen, Dee"), format!("participants in the summary: {summary:?}"))?;
        let levels = b.text("workshop-summary-levels").await?;
        ensure(levels.contains("level 4 Agree at scope 3 System") && levels.contains("level 2"), format!("levels {levels:?}"))?;
        ensure(b.text("workshop-summary-actions").await?.contains("Add release metrics"), "actions with owners")?;
        let md = value_of(&b, "workshop-markdown").await?;
        ensure(md.contains("level 4 Agree at scope 3 System") && md.contains("level 2 Sell at scope 2"), format!("the Markdown has every agreed level: {md}"))?;
        ensure(md.contains("Ana 3, Bo 4") && md.contains("| 2, 2, 6 (3 of 4 voted) |"), format!("the first round with names, the second without and marked partial: {md}"))?;
        ensure(levels.contains("2, 2, 6 (3 of 4 voted)"), format!("the screen marks the partial vote too: {levels:?}"))?;
        // Step 4's result is in the summary, and the map colours Payments by the verdict
        // agreed, as the table says.
        let results = b.text("workshop-summary-results").await?;
        ensure(results.contains("Release frequency") && results.contains(&format!("5 on {to}")), format!("the results in the summary: {results:?}"))?;
        let point = b.js("const p = document.querySelector('[data-testid=workshop-summary-map] [data-unit=\"2\"]'); return p && p.getAttribute('aria-label');", vec![]).await?;
        ensure(point.as_str().is_some_and(|l| l.contains(", contract")), format!("the map says the verdict agreed: {point}"))?;
        ensure(md.contains("| Payments | Release frequency | 2 → 6 | 5 on "), format!("the Markdown has the results: {md}"))?;
        let verdicts = b.text("workshop-summary-actions").await?;
        ensure(verdicts.contains("contract: Metrics before more autonomy"), format!("the verdict's note is on screen: {verdicts:?}"))?;
        // The summary in presenter mode keeps a way out on screen.
        key(&b, "f").await?;
        let presenting = || async { Ok::<bool, Box<dyn std::error::Error + Send + Sync>>(b.find("workshop").await?.attr("class").await?.unwrap_or_default().contains("workshop--presenter")) };
        eventually("presenter mode", || async { presenting().await }).await?;
        b.click("presenter-toggle").await?;
        eventually("out of presenter mode", || async { Ok(!presenting().await?) }).await?;
        // A reload on the day of the workshop comes back to its summary, not to the list.
        b.reload().await?;
        b.open("#/workshop").await?;
        b.wait_for("workshop-summary").await?;
        // The summary's map is the workshop's day's, whatever As of the other pages show.
        let labels = || async { b.js("return [...document.querySelectorAll('[data-testid=workshop-summary-map] .chart__hit')].map(h => h.getAttribute('aria-label'));", vec![]).await };
        let on_the_day = labels().await?;
        ensure(on_the_day.as_array().is_some_and(|a| !a.is_empty()), "the summary has its map")?;
        let day = b.text("workshop-summary-map-heading").await?;
        ensure(day.starts_with("The map on "), format!("the map's heading names its day: {day:?}"))?;
        b.open("#/workshop?asof=2026-01-05").await?;
        eventually("the banner says the workshop keeps its day", || async { Ok(b.text("banner-as-of").await.is_ok_and(|t| t.contains("A workshop shows the scores of its own day"))) }).await?;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        ensure(labels().await? == on_the_day && b.text("workshop-summary-map-heading").await? == day, "the summary's map is unchanged by another As of")?;
        b.click("banner-as-of-today").await?;
        eventually("back to today", || async { Ok(!b.exists("banner-as-of").await?) }).await?;

        // The summary leaves as a picture and as Markdown, under safe file names.
        b.click("workshop-summary-svg").await?;
        eventually("the picture", || async { Ok(b.text("workshop-summary-status").await?.contains("Downloaded latitude-workshop-of-")) }).await?;
        ensure(b.text("workshop-summary-status").await?.ends_with(".svg."), "an SVG file")?;
        b.click("workshop-markdown-download").await?;
        eventually("the Markdown file", || async { Ok(b.text("workshop-summary-status").await?.ends_with(".md.")) }).await?;

        // The list shows the workshop as finished.
        b.click("workshop-all").await?;
        let listing = b.text("workshop-sessions").await?;
        ensure(listing.contains("Workshop of") && listing.contains("finished"), format!("listing {listing:?}"))?;
        b.click("workshop-delete").await?;
        b.click("workshop-delete-confirm").await?;
        b.wait_for("workshop-none").await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn leaving_step_one_by_a_click_from_script_keeps_the_names_typed() {
    let b = Browser::start("workshop_scripted_click").await;
    let r = async {
        b.open("#/workshop").await?;
        b.wait_for("workshop-sessions-card").await?;
        b.click("workshop-blank").await?;
        step_is(&b, 1).await?;
        // Typed, the field still focused, and the next step chosen by a click that does
        // not move the focus first (as assistive tools and scripts click): the field is
        // removed with its change unsaved.
        b.type_into("workshop-participants", "Ana, Bo, Chen").await?;
        b.js("document.querySelector('[data-testid=workshop-participants]').focus(); document.querySelector('[data-testid=workshop-next]').click();", vec![]).await?;
        step_is(&b, 2).await?;
        eventually("the names typed are kept", || async { Ok(stored_workspace(&b).await?.workshops.first().map(|s| s.participants.len()) == Some(3)) }).await?;
        // Twelve names, one per line, wrap onto more rows than three: the first click on
        // "Next step →" still lands (saving them as the box is left moves nothing).
        b.click("workshop-goto-1").await?;
        step_is(&b, 1).await?;
        let twelve: Vec<String> = (1..=12).map(|n| format!("Participant number {n}")).collect();
        // (Set by script: WebKit's driver types no line breaks into a text area.)
        b.js(
            "const el = document.querySelector('[data-testid=workshop-participants]'); el.focus(); el.value = arguments[0]; el.dispatchEvent(new Event('input', { bubbles: true }));",
            vec![json!(twelve.join("\n"))],
        )
        .await?;
        // Typed and not saved yet, the names come back after a reload.
        b.reload().await?;
        step_is(&b, 1).await?;
        ensure(b.find("workshop-participants").await?.prop("value").await?.unwrap_or_default() == twelve.join("\n"), "the names typed are kept across a reload")?;
        b.find("workshop-participants").await?.send_keys(" ").await?;
        b.click("workshop-next").await?;
        step_is(&b, 2).await?;
        eventually("twelve names saved", || async { Ok(stored_workspace(&b).await?.workshops.first().map(|s| s.participants.len()) == Some(12)) }).await?;
        ensure(!b.exists("panic").await?, "no internal error")?;
        no_console_errors(&b).await
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_results_grid_records_in_the_period_and_leaves_the_as_of_alone() {
    let b = Browser::start("workshop-results").await;
    let r = async {
        open_sample(&b).await?;
        b.open("#/").await?;
        let as_of = value_of(&b, "as-of").await?;
        b.open("#/workshop").await?;
        b.click("workshop-start").await?;
        step_is(&b, 1).await?;
        b.click("workshop-goto-2").await?;
        step_is(&b, 2).await?;
        // Every unit in scope.
        b.js("document.querySelectorAll('[data-testid^=workshop-scope-]').forEach(c => { if (!c.checked) c.click(); });", vec![]).await?;
        b.click("workshop-goto-4").await?;
        step_is(&b, 4).await?;
        let (from, to) = (value_of(&b, "results-from").await?, value_of(&b, "results-to").await?);
        let rows = b.find_all("results-row").await?;
        ensure(!rows.is_empty(), "commitments due last quarter are in the grid")?;
        let id = rows[0].attr("data-commitment-id").await?.unwrap_or_default();
        // A value in the commitment's scale: halfway from its baseline to its target.
        eventually("the sample is stored", || async { Ok(stored_workspace(&b).await.is_ok()) }).await?;
        let ws = stored_workspace(&b).await?;
        let c = ws.commitments.iter().find(|c| c.id.0.to_string() == id).ok_or("the commitment")?;
        let (low, high) = (c.baseline.map_or(0.0, |v| v.get()), c.target.map_or(10.0, |v| v.get()));
        let value = (low + high) / 2.0;
        let cell = b.find_all("results-value").await?;
        // With the evidence for it, which counts towards rigor.
        b.find_all("results-evidence").await?[0].send_keys("https://example.org/q3-report").await?;
        cell[0].send_keys(&format!("{value}\u{E007}")).await?;
        // A value already recorded on that day is replaced only after a question.
        if b.find_all("results-warning").await?[0].is_displayed().await? {
            ensure(b.find_all("results-warning").await?[0].text().await?.contains("replaces"), "the question says what is replaced")?;
            cell[0].send_keys("\u{E007}").await?;
        }
        eventually("recorded", || async { Ok(b.find_all("results-status").await?[0].text().await?.starts_with(&format!("Recorded {value} on"))) }).await?;
        ensure(b.find_all("results-row").await?[0].text().await?.contains(&format!("{value} on")), "the row shows the value recorded")?;
        // Another value for the same day asks before it replaces this one; Enter again records it.
        let again = value + (high - low).abs() / 10.0 + 0.5;
        // (A value recorded empties its row, evidence too: the evidence goes with the new value.)
        ensure(b.find_all("results-evidence").await?[0].prop("value").await?.unwrap_or_default().is_empty(), "the row starts empty once recorded")?;
        b.find_all("results-evidence").await?[0].send_keys("https://example.org/q3-report").await?;
        cell[0].clear().await?;
        cell[0].send_keys(&format!("{again}\u{E007}")).await?;
        let question = b.find_all("results-warning").await?[0].text().await?;
        ensure(question.contains(&format!("replaces {value} recorded on")), format!("the question: {question:?}"))?;
        ensure(b.find_all("results-save").await?[0].text().await? == "Record anyway", "the button says what a second Enter does")?;
        ensure(stored_workspace(&b).await?.commitments.iter().any(|c| c.id.0.to_string() == id && c.checkins().iter().any(|k| k.value.get() == value)), "nothing replaced before the answer")?;
        cell[0].send_keys("\u{E007}").await?;
        eventually("replaced", || async { Ok(b.find_all("results-status").await?[0].text().await?.starts_with(&format!("Recorded {again} on"))) }).await?;
        eventually("the row shows the evidence recorded", || async { Ok(b.find_all("results-row").await?[0].text().await?.contains("evidence: https://example.org/q3-report")) }).await?;
        let value = again;
        // Enter moved to the next cell, as in the sweep.
        if cell.len() > 1 {
            let focused = b.js("return document.activeElement && document.activeElement.getAttribute('data-results-index');", vec![]).await?;
            ensure(focused.as_str() == Some("2"), format!("the next cell has the focus: {focused}"))?;
        }
        let stored = || async {
            let ws = stored_workspace(&b).await?;
            let c = ws.commitments.iter().find(|c| c.id.0.to_string() == id).ok_or("the commitment")?;
            R::Ok(c.checkins().iter().find(|k| k.value.get() == value && k.evidence == "https://example.org/q3-report").map(|k| latitude::core::format_date(k.date)))
        };
        eventually("the check-in is stored", || async { Ok(stored().await?.is_some()) }).await?;
        let date = stored().await?.unwrap_or_default();
        ensure(from.as_str() <= date.as_str() && date.as_str() <= to.as_str(), format!("{date} lies in {from} to {to}"))?;
        // A result typed and not recorded is asked about before the step is left, as
        // revealed votes are in step 3: staying keeps it, leaving anyway drops it.
        cell[0].clear().await?;
        cell[0].send_keys(&format!("{}", value + 1.0)).await?;
        // Typed and not recorded, it survives a reload (the facilitator left the page).
        b.reload().await?;
        step_is(&b, 4).await?;
        eventually("the value typed is back", || async { Ok(b.find_all("results-value").await?[0].prop("value").await?.unwrap_or_default() == format!("{}", value + 1.0)) }).await?;
        leaving_is_asked(&b, "A result typed in this step is not recorded", 4).await?;
        ensure(b.find_all("results-value").await?[0].prop("value").await?.unwrap_or_default() == format!("{}", value + 1.0), "the value typed stays")?;
        b.click("workshop-next").await?;
        b.click("workshop-unrecorded-confirm").await?;
        step_is(&b, 5).await?;
        ensure(stored().await?.is_some(), "the recorded value is still the one stored")?;
        // Left without recording, it is dropped: step 4 starts empty.
        b.click("workshop-goto-4").await?;
        step_is(&b, 4).await?;
        ensure(b.find_all("results-value").await?[0].prop("value").await?.unwrap_or_default().is_empty(), "the value left unrecorded is gone")?;
        b.open("#/").await?;
        ensure(value_of(&b, "as-of").await? == as_of, "the as-of date is unchanged")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn the_summary_prints_on_a4_and_letter() {
    chromium_only!("emulates print media through the DevTools protocol");
    let b = Browser::start("workshop-print").await;
    let r = async {
        set_up(&b).await?;
        open_round(&b, "Payments", Area::New("Hiring")).await?;
        vote(&b, "Ana", "5").await?;
        vote(&b, "Dee", "5").await?;
        reveal_before_all(&b, &["Bo", "Chen"]).await?;
        b.click("poker-record").await?;
        eventually("recorded", || async { Ok(b.text("poker-status").await?.contains("Recorded")) }).await?;
        b.click("workshop-goto-6").await?;
        b.click("workshop-finish").await?;
        b.click("workshop-finish-pending-confirm").await?;
        b.wait_for("workshop-summary").await?;
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        b.cdp("Emulation.setEmulatedMedia", json!({"media": "print"})).await?;
        // A4 and Letter at 96 CSS px per inch, less the page margins.
        for (name, w, h) in [("a4", 794 - 91, 1123 - 106), ("letter", 816 - 91, 1056 - 106)] {
            set_viewport(&b, w, h).await?;
            b.full_screenshot(&dir.join(format!("workshop-summary-print-{name}.png"))).await?;
            let hidden = b.js("return ['.shell__header', '[data-testid=workshop-print]', '.workshop__session-bar'].map(s => { const el = document.querySelector(s); return !el || getComputedStyle(el).display === 'none' || el.offsetParent === null; });", vec![]).await?;
            ensure(hidden.as_array().is_some_and(|a| a.iter().all(|v| v.as_bool() == Some(true))), format!("{name}: the chrome and the buttons do not print {hidden}"))?;
            let wide = b.js("const s = document.querySelector('[data-testid=workshop-summary]'); return [s.scrollWidth, s.clientWidth];", vec![]).await?;
            ensure(wide[0].as_f64() <= wide[1].as_f64(), format!("{name}: nothing is cut at the side {wide}"))?;
        }
        // Printed on each paper size (the page's own margins), the summary takes one page.
        for (name, w, h) in [("A4", 8.27, 11.69), ("Letter", 8.5, 11.0)] {
            let pdf = b.cdp("Page.printToPDF", json!({"paperWidth": w, "paperHeight": h, "preferCSSPageSize": true, "printBackground": false})).await?;
            let bytes = base64::engine::general_purpose::STANDARD.decode(pdf["data"].as_str().ok_or("no PDF data")?)?;
            let text = String::from_utf8_lossy(&bytes);
            let pages = text.matches("/Type /Page").count() - text.matches("/Type /Pages").count();
            ensure(pages == 1, format!("{name}: the summary prints on {pages} pages"))?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

/// Sets the page's viewport (not the window) to `w`×`h` CSS pixels.
async fn set_viewport(b: &Browser, w: u32, h: u32) -> R {
    b.client.set_window_size(w, h).await?;
    let inner = b.js("return [window.innerWidth, window.innerHeight];", vec![]).await?;
    let (iw, ih) = (inner[0].as_u64().unwrap_or(u64::from(w)) as u32, inner[1].as_u64().unwrap_or(u64::from(h)) as u32);
    if (iw, ih) != (w, h) {
        b.client.set_window_size(w + w.saturating_sub(iw), h + h.saturating_sub(ih)).await?;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    Ok(())
}

async fn key(b: &Browser, key: &str) -> R {
    b.js(&format!("document.activeElement && document.activeElement.blur(); window.dispatchEvent(new KeyboardEvent('keydown', {{key: {key:?}, bubbles: true}}));"), vec![]).await?;
    Ok(())
}

#[tokio::test]
async fn presenter_mode_is_large_keyboard_driven_and_timed() {
    let b = Browser::start("presenter").await;
    let r = async {
        b.open("#/workshop").await?;
        b.click("workshop-start").await?;
        step_is(&b, 1).await?;
        b.click("presenter-toggle").await?;
        let class = b.find("workshop").await?.attr("class").await?.unwrap_or_default();
        ensure(class.contains("workshop--presenter"), format!("class {class:?}"))?;
        let size = b.js("return parseFloat(getComputedStyle(document.querySelector('[data-testid=workshop]')).fontSize);", vec![]).await?;
        ensure(size.as_f64().unwrap_or(0.0) >= 20.0, format!("font size {size}"))?;
        // Full screen where the browser grants it, else the app's chrome is hidden.
        let shown = b.js("return document.fullscreenElement !== null || getComputedStyle(document.querySelector('.shell__header')).display === 'none';", vec![]).await?;
        ensure(shown.as_bool() == Some(true), "full screen, or the header and navigation hidden")?;
        // A reload in the middle of the session comes back presenting (the chrome hidden:
        // only a click or a key may ask for full screen again).
        b.reload().await?;
        step_is(&b, 1).await?;
        let class = b.find("workshop").await?.attr("class").await?.unwrap_or_default();
        ensure(class.contains("workshop--presenter"), format!("presenter mode after a reload: {class:?}"))?;
        let hidden = b.js("return getComputedStyle(document.querySelector('.shell__header')).display === 'none';", vec![]).await?;
        ensure(hidden.as_bool() == Some(true), "the header stays hidden after a reload")?;
        key(&b, "ArrowRight").await?;
        eventually("step 2 by keyboard", || async { Ok(b.text("workshop-step-title").await?.starts_with("2.")) }).await?;
        key(&b, "ArrowLeft").await?;
        eventually("back to step 1", || async { Ok(b.text("workshop-step-title").await?.starts_with("1.")) }).await?;
        ensure(b.text("workshop-clock").await? == "10:00", "each step has its time")?;
        key(&b, "t").await?;
        eventually("the timer runs", || async { Ok(b.text("workshop-clock").await? != "10:00") }).await?;
        // The clock follows the step: on step 2 its own timer runs, from its full time,
        // and back on step 1 that one runs on from where it was paused.
        key(&b, "ArrowRight").await?;
        eventually("step 2", || async { Ok(b.text("workshop-step-title").await?.starts_with("2.")) }).await?;
        eventually("step 2's timer runs", || async { Ok(b.text("workshop-clock").await?.starts_with("09:") && b.text("timer-toggle").await? == "Pause") }).await?;
        key(&b, "ArrowLeft").await?;
        eventually("step 1's timer runs again", || async { Ok(b.text("workshop-clock").await?.starts_with("09:") && b.text("timer-toggle").await? == "Pause") }).await?;
        // A shortcut typed in a field is text, not a shortcut.
        key(&b, "ArrowRight").await?;
        step_is(&b, 2).await?;
        b.type_into("workshop-team-name", "rt?f").await?;
        b.js("document.querySelector('[data-testid=workshop-team-name]').dispatchEvent(new KeyboardEvent('keydown', {key: 'ArrowRight', bubbles: true}));", vec![]).await?;
        ensure(b.text("workshop-step-title").await?.starts_with("2."), "typing moves no step")?;
        ensure(!b.exists("shortcuts-overlay").await?, "typing ? opens no help")?;
        // The help overlay lists the shortcuts.
        key(&b, "?").await?;
        let help = b.wait_for("shortcuts-overlay").await?.text().await?;
        ensure(help.contains("Reveal the votes") && help.contains("Start or pause the timer"), format!("help {help:?}"))?;
        let violations = axe_violations(&b).await?;
        ensure(violations.is_empty(), format!("help overlay: {violations:?}"))?;
        key(&b, "Escape").await?;
        eventually("help closed", || async { Ok(!b.exists("shortcuts-overlay").await?) }).await?;
        // Undo's words show above the presenter's layer, not under it.
        b.click("workshop-team-add").await?;
        eventually("the unit added", || async { Ok(b.text("workshop-teams").await?.contains("rt?f")) }).await?;
        b.js("document.activeElement && document.activeElement.blur(); window.dispatchEvent(new KeyboardEvent('keydown', {key: 'z', ctrlKey: true, bubbles: true}));", vec![]).await?;
        // Inside the presenter's layer (which full screen shows alone), on top.
        eventually("Undo's words shown on top", || async {
            let on_top = b.js("const s = document.querySelector('[data-testid=workshop-history-said]'); if (!s) return false; const r = s.getBoundingClientRect(); const at = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return s.textContent.startsWith('Undone') && s.contains(at) && document.querySelector('[data-testid=workshop]').contains(s);", vec![]).await?;
            Ok(on_top.as_bool() == Some(true))
        })
        .await?;
        let live = b.js("return document.querySelector('[data-testid=history-said]').textContent;", vec![]).await?;
        ensure(live.as_str().is_some_and(|t| t.starts_with("Undone")), "the page's live region says it too")?;
        // The list of workshops, reached in presenter mode (its header is hidden there),
        // keeps a button that leaves it.
        b.js("document.querySelector('[data-testid=workshop-all]').click();", vec![]).await?;
        b.wait_for("workshop-start").await?;
        b.click("presenter-toggle").await?;
        eventually("presenter mode left from the list", || async {
            let class = b.find("workshop").await?.attr("class").await?.unwrap_or_default();
            Ok(!class.contains("workshop--presenter"))
        })
        .await?;
        let shown = b.js("return getComputedStyle(document.querySelector('.shell__header')).display !== 'none';", vec![]).await?;
        ensure(shown.as_bool() == Some(true), "the header is back")?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn timers_show_the_overrun_take_a_new_budget_and_resume_after_a_reload() {
    let b = Browser::start("timers").await;
    let r = async {
        b.open("#/workshop").await?;
        b.click("workshop-start").await?;
        step_is(&b, 1).await?;
        b.click("timer-edit").await?;
        b.type_into("timer-budget", "0:02").await?;
        b.click("timer-budget-save").await?;
        eventually("new budget", || async { Ok(b.text("workshop-clock").await? == "00:02") }).await?;
        b.click("timer-toggle").await?;
        eventually("the overrun is shown", || async { Ok(b.text("workshop-clock").await?.starts_with("+0:0")) }).await?;
        let over = b.find("workshop-clock").await?.attr("class").await?.unwrap_or_default();
        ensure(over.contains("workshop__clock--over"), format!("overrun in the warning colour: {over:?}"))?;
        // The running timer is stored with its start: a reload resumes it, still running.
        b.reload().await?;
        b.open("#/workshop").await?;
        step_is(&b, 1).await?;
        let before = b.text("workshop-clock").await?;
        ensure(before.starts_with("+0:"), format!("still overrunning after a reload: {before:?}"))?;
        ensure(b.text("timer-toggle").await? == "Pause", "still running after a reload")?;
        eventually("it keeps counting", || async { Ok(b.text("workshop-clock").await? != before) }).await?;
        // The time editor belongs to its step: opened on step 1, it is closed on step 4.
        b.click("timer-edit").await?;
        b.wait_for("timer-budget-form").await?;
        b.click("workshop-goto-4").await?;
        step_is(&b, 4).await?;
        eventually("the editor closes on another step", || async { Ok(!b.exists("timer-budget-form").await?) }).await?;
        ensure(b.find("timer-edit").await?.attr("aria-expanded").await?.as_deref() == Some("false"), "the Time… button says it is closed")?;
        // The clock follows the step: step 1's timer paused where it was left, step 4's
        // runs. The whole workshop's time counts every step's (70 minutes and 2 seconds
        // given: step 1 has 2 seconds).
        ensure(b.text("timer-toggle").await? == "Pause", "step 4's timer runs")?;
        eventually("only the step shown runs, as stored", || async {
            let stored = stored_workspace(&b).await?;
            Ok(stored.workshops.first().map(|s| s.timers.map(|t| t.is_running())) == Some([false, false, false, true, false, false]))
        })
        .await?;
        ensure(b.text("workshop-total").await? == "All steps: 0 of 70 min", format!("the whole workshop's time: {:?}", b.text("workshop-total").await?))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn presenter_mode_fits_projectors_at_every_step() {
    let b = Browser::start("presenter-sizes").await;
    let r = async {
        let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        b.open("#/workshop").await?;
        b.click("workshop-sample").await?;
        step_is(&b, 1).await?;
        b.click("workshop-goto-2").await?;
        step_is(&b, 2).await?;
        b.js("document.querySelectorAll('[data-testid^=workshop-scope-]').forEach((c, i) => { if (i < 4 && !c.checked) c.click(); });", vec![]).await?;
        // Headless browsers show full screen at their virtual screen's size, not the
        // window's: the sizes are checked with the fallback (the chrome hidden, the
        // workshop filling the window), which lays out the same.
        b.js("Object.defineProperty(document, 'fullscreenEnabled', { get: () => false });", vec![]).await?;
        for (w, h) in [(1280u32, 720u32), (1920, 1080)] {
            set_viewport(&b, w, h).await?;
            if b.find("presenter-toggle").await?.attr("aria-pressed").await?.as_deref() != Some("true") {
                b.click("presenter-toggle").await?;
            }
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            let chrome = b.js("return [document.fullscreenElement !== null, getComputedStyle(document.querySelector('.shell__header')).display];", vec![]).await?;
            ensure(chrome[0].as_bool() == Some(true) || chrome[1].as_str() == Some("none"), format!("{w}×{h}: full screen or the chrome hidden {chrome}"))?;
            for step in 1..=6 {
                b.click(&format!("workshop-goto-{step}")).await?;
                // On the map step the title is only for screen readers (WebKit's driver
                // reads no text from it), so its text content is read.
                eventually("the step", || async {
                    let title = b.js("return document.querySelector('[data-testid=workshop-step-title]').textContent;", vec![]).await?;
                    Ok(title.as_str().unwrap_or("").trim().starts_with(&format!("{step}.")))
                })
                .await?;
                tokio::time::sleep(std::time::Duration::from_millis(300)).await;
                b.screenshot(&dir.join(format!("workshop-presenter-{w}x{h}-step{step}.png"))).await?;
                // Nothing is cut off sideways.
                let wide = b.js("const el = document.querySelector('[data-testid=workshop]'); return [el.scrollWidth, el.clientWidth];", vec![]).await?;
                ensure(wide[0].as_f64() <= wide[1].as_f64(), format!("{w}×{h} step {step}: content wider than the screen {wide}"))?;
                let violations = axe_violations(&b).await?;
                ensure(violations.is_empty(), format!("{w}×{h} step {step}: {violations:?}"))?;
            }
            // The revealed map fits the screen and its smallest text is projector-sized.
            b.click("workshop-goto-5").await?;
            b.wait_for("workshop-map").await?;
            tokio::time::sleep(std::time::Duration::from_millis(400)).await;
            let m = b
                .js(
                    "const svg = document.querySelector('[data-testid=workshop-map] svg');
                     const r = svg.getBoundingClientRect();
                     const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() && t.getBoundingClientRect().width > 0);
                     const fitted = Math.min(r.width / svg.viewBox.baseVal.width, r.height / svg.viewBox.baseVal.height);
                     const sizes = texts.map(t => parseFloat(getComputedStyle(t).fontSize) * fitted);
                     return [Math.min(...sizes), r.bottom, window.innerHeight, r.right, window.innerWidth, texts.length];",
                    vec![],
                )
                .await?;
            let (smallest, bottom, height) = (m[0].as_f64().unwrap_or(0.0), m[1].as_f64().unwrap_or(f64::MAX), m[2].as_f64().unwrap_or(0.0));
            ensure(m[5].as_u64().unwrap_or(0) > 5, format!("the map has text {m}"))?;
            ensure(smallest >= 18.0, format!("{w}×{h}: the map's smallest text is {smallest:.1} px"))?;
            ensure(bottom <= height + 0.5 && m[3].as_f64() <= m[4].as_f64(), format!("{w}×{h}: the map fits the screen {m}"))?;
            // …and takes the screen's height, the step's chrome out of its way.
            let tall = b.js("return document.querySelector('[data-testid=workshop-map] svg').getBoundingClientRect().height / window.innerHeight;", vec![]).await?;
            ensure(tall.as_f64().unwrap_or(0.0) >= 0.8, format!("{w}×{h}: the map takes {tall} of the screen's height"))?;
            let clock = b.find("workshop-clock").await?.text().await?;
            ensure(!clock.is_empty(), "the timer stays on the map step")?;
            // …clear of the map's text (its title is centred at the top).
            let covered = b
                .js(
                    "const head = document.querySelector('.workshop__stage--map .workshop__head').getBoundingClientRect();
                     const meets = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
                     return [...document.querySelectorAll('[data-testid=workshop-map] svg text')].filter(t => t.textContent.trim() && meets(head, t.getBoundingClientRect())).map(t => t.textContent);",
                    vec![],
                )
                .await?;
            ensure(covered.as_array().is_some_and(Vec::is_empty), format!("{w}×{h}: the timer covers the map's {covered}"))?;
        }
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn a_round_starts_from_the_current_grant_and_asks_before_narrowing_it() {
    let b = Browser::start("workshop-narrow").await;
    let r = async {
        set_up(&b).await?;
        open_round(&b, "Payments", Area::New("Release")).await?;
        vote(&b, "Ana", "5").await?;
        vote(&b, "Bo", "5").await?;
        reveal_before_all(&b, &["Chen", "Dee"]).await?;
        b.wait_for("poker-result").await?;
        ensure(!b.exists("poker-between").await?, "an exact median needs no choice")?;
        b.find("poker-rung").await?.select_by_value("4").await?;
        b.click("poker-record").await?;
        eventually("recorded", || async { Ok(b.text("poker-status").await?.contains("Recorded for Payments in Release: level 5")) }).await?;

        // A second round on the same area starts from what Payments holds now.
        open_round(&b, "Payments", Area::Existing("Release")).await?;
        let current = b.text("poker-current").await?;
        ensure(current.contains("Held now: level 5 Advise at scope 4 Product, since "), format!("the round shows the current grant: {current:?}"))?;
        vote(&b, "Ana", "3").await?;
        // A voter at the keyboard casts with a digit: no card is pointed at.
        b.find("poker-who").await?.select_by_value("Bo").await?;
        b.js("document.querySelector('[data-testid=poker-who]').dispatchEvent(new KeyboardEvent('keydown', {key: '3', bubbles: true}));", vec![]).await?;
        eventually("Bo's key vote is counted", || async { Ok(b.text("poker-count").await? == "2 of 4 have voted") }).await?;
        let (vals, _) = picker_state(&b).await?;
        ensure(vals.iter().all(String::is_empty), format!("the picker is cleared after a key vote: {vals:?}"))?;
        reveal_before_all(&b, &["Chen", "Dee"]).await?;
        b.wait_for("poker-result").await?;
        ensure(b.text("poker-cards").await?.matches("3 Consult").count() == 2, "the key cast level 3")?;
        ensure(value_of(&b, "poker-rung").await? == "4", "the scope starts from the current one")?;
        ensure(value_of(&b, "poker-agreed").await? == "3", "the level starts from the median")?;
        let grants = |ws: latitude::core::Workspace| ws.grants.len();
        // A blank workspace: the first round's grant is the only one.
        let before = 1;
        eventually("the first grant is stored", || async { Ok(grants(stored_workspace(&b).await?) == before) }).await?;
        b.click("poker-record").await?;
        let ask = b.wait_for("poker-narrow").await?.text().await?;
        ensure(ask.contains("This narrows Payments's autonomy in Release from") && ask.contains("record anyway?"), format!("a lower grant asks first: {ask:?}"))?;
        ensure(grants(stored_workspace(&b).await?) == before, "nothing is recorded before the confirmation")?;
        // Changing the values withdraws the question; asked again for the new ones.
        b.find("poker-agreed").await?.select_by_value("2").await?;
        eventually("the question about level 3 goes", || async { Ok(!b.exists("poker-narrow").await?) }).await?;
        b.find("poker-agreed").await?.select_by_value("3").await?;
        b.click("poker-record").await?;
        b.wait_for("poker-narrow").await?;
        b.click("poker-narrow-cancel").await?;
        eventually("the question goes", || async { Ok(!b.exists("poker-narrow").await?) }).await?;
        ensure(grants(stored_workspace(&b).await?) == before, "keeping choosing records nothing")?;
        // The same level at the current scope still narrows (level 3 < 5); confirmed, it is recorded.
        b.click("poker-record").await?;
        b.wait_for("poker-narrow").await?;
        b.click("poker-narrow-confirm").await?;
        eventually("recorded anyway", || async { Ok(b.text("poker-status").await?.contains("Recorded for Payments in Release: level 3")) }).await?;
        eventually("the confirmed grant is recorded once", || async { Ok(grants(stored_workspace(&b).await?) == before + 1) }).await?;
        // Undo takes the grant back, and the sentence saying it was recorded with it.
        b.js("document.activeElement && document.activeElement.blur();", vec![]).await?;
        b.click("undo").await?;
        eventually("the grant and its sentence go", || async { Ok(grants(stored_workspace(&b).await?) == before && b.text("poker-status").await?.is_empty()) }).await?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}

#[tokio::test]
async fn in_an_existing_workspace_the_units_to_discuss_are_ticked_and_only_they_are_offered() {
    let b = Browser::start("workshop-scope").await;
    let r = async {
        load_sample(&b).await?;
        b.open("#/workshop").await?;
        b.click("workshop-start").await?;
        step_is(&b, 1).await?;
        b.click("workshop-goto-2").await?;
        step_is(&b, 2).await?;
        b.wait_for("workshop-scope-hint").await?;
        let ticked = b.js("return [...document.querySelectorAll('[data-testid=workshop-teams] input[type=checkbox]')].map(c => c.checked);", vec![]).await?;
        let ticked: Vec<bool> = ticked.as_array().map(|a| a.iter().filter_map(|v| v.as_bool()).collect()).unwrap_or_default();
        ensure(ticked.len() > 2 && ticked.iter().all(|t| !t), format!("no unit of the workspace is ticked at first: {ticked:?}"))?;
        // The second and third units: their check box and their name (the label reads " Name (team)").
        let picked = b.js("return [...document.querySelectorAll('[data-testid=workshop-teams] label')].slice(1, 3).map(l => [l.querySelector('input').getAttribute('data-testid'), l.innerText.trim().replace(/ \\((team|person)\\)$/, '')]);", vec![]).await?;
        let picked: Vec<(String, String)> = picked.as_array().map(|a| a.iter().map(|p| (p[0].as_str().unwrap_or("").to_owned(), p[1].as_str().unwrap_or("").to_owned())).collect()).unwrap_or_default();
        ensure(picked.len() == 2, format!("two units to tick: {picked:?}"))?;
        for (testid, _) in &picked {
            b.click(testid).await?;
        }
        eventually("the hint goes once units are ticked", || async { Ok(!b.exists("workshop-scope-hint").await?) }).await?;
        b.click("workshop-goto-3").await?;
        step_is(&b, 3).await?;
        let offered = b.js("return [...document.querySelectorAll('[data-testid=poker-unit] option')].map(o => o.innerText);", vec![]).await?;
        let offered: Vec<&str> = offered.as_array().map(|a| a.iter().filter_map(|v| v.as_str()).collect()).unwrap_or_default();
        ensure(offered == [picked[0].1.as_str(), picked[1].1.as_str()], format!("only the units in scope are offered: {offered:?} (ticked {picked:?})"))?;
        Ok(())
    }
    .await;
    b.finish(r).await;
}
