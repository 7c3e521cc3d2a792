//! The crash journal (wasm only): every write of a workspace, or of the list of
//! workspaces, to localStorage is also put in IndexedDB. A browser stores localStorage writes to disk in batches, as seldom as once a
//! minute after many writes (Chromium), so a crash or a killed browser can lose the last
//! minute of edits. IndexedDB stores each transaction as it completes. At start, a
//! journaled value of a later revision than the one in localStorage is put back, and the
//! list where none is stored ([`Store::restore_journal`](super::store::Store::restore_journal)),
//! and the open workspace taken from it, with a word that says so (`ui::state`).
//!
//! Best effort: where IndexedDB cannot be opened (some private modes), nothing is
//! journaled and the app works as before.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbRequest, IdbTransactionMode};

use super::store::{workspace_id, INDEX_KEY};

const DATABASE: &str = "latitude-journal";
const WRITES: &str = "writes";

thread_local! {
    /// The database, opened once per page (a rejected promise where it cannot be).
    static OPENED: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// A request's result, once it succeeds.
fn result_of(request: &IdbRequest) -> JsFuture {
    let request = request.clone();
    JsFuture::from(js_sys::Promise::new(&mut |resolve, reject| {
        let done = request.clone();
        let success = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failure = Closure::once_into_js(move || {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(success.unchecked_ref()));
        request.set_onerror(Some(failure.unchecked_ref()));
    }))
}

fn open() -> js_sys::Promise {
    let refused = || js_sys::Promise::reject(&JsValue::NULL);
    let Some(factory) = web_sys::window().and_then(|w| w.indexed_db().ok().flatten()) else { return refused() };
    let Ok(request) = factory.open_with_u32(DATABASE, 1) else { return refused() };
    let created = request.clone();
    let upgrade = Closure::once_into_js(move || {
        if let Ok(db) = created.result().and_then(|d| d.dyn_into::<IdbDatabase>()) {
            let _ = db.create_object_store(WRITES);
        }
    });
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    let opened = result_of(&request);
    wasm_bindgen_futures::future_to_promise(opened)
}

async fn database() -> Option<IdbDatabase> {
    let opened = OPENED.with(|o| o.borrow_mut().get_or_insert_with(open).clone());
    JsFuture::from(opened).await.ok().and_then(|db| db.dyn_into().ok())
}

/// Journals a write of localStorage key `key` (`None`: its removal), if it holds a
/// workspace or the list of workspaces. The writes are put in the order they were made.
pub fn record(key: &str, value: Option<&str>) {
    if workspace_id(key).is_none() && key != INDEX_KEY {
        return;
    }
    let (key, value) = (JsValue::from_str(key), value.map(JsValue::from_str));
    wasm_bindgen_futures::spawn_local(async move {
        let Some(db) = database().await else { return };
        let Ok(writes) = db.transaction_with_str_and_mode(WRITES, IdbTransactionMode::Readwrite).and_then(|t| t.object_store(WRITES)) else { return };
        let _ = match value {
            Some(value) => writes.put_with_key(&value, &key),
            None => writes.delete(&key),
        };
    });
}

/// Starts reading every journaled key and value at once: called before the page writes
/// anything, its reading is the journal's first transaction, so it sees what was
/// journaled before this start (a start that repairs the list of workspaces writes it,
/// and journals it, before a later reading would run). [`read`] awaits it.
pub fn start_reading() -> JsFuture {
    JsFuture::from(wasm_bindgen_futures::future_to_promise(async {
        let out = js_sys::Array::new();
        for (k, v) in entries().await {
            out.push(&js_sys::Array::of2(&JsValue::from_str(&k), &JsValue::from_str(&v)));
        }
        Ok(out.into())
    }))
}

/// What a reading begun by [`start_reading`] found.
pub async fn read(started: JsFuture) -> Vec<(String, String)> {
    let Ok(found) = started.await else { return Vec::new() };
    js_sys::Array::from(&found)
        .iter()
        .filter_map(|pair| {
            let pair = js_sys::Array::from(&pair);
            Some((pair.get(0).as_string()?, pair.get(1).as_string()?))
        })
        .collect()
}

/// Every journaled key and value.
pub async fn entries() -> Vec<(String, String)> {
    let Some(db) = database().await else { return Vec::new() };
    let Ok(writes) = db.transaction_with_str(WRITES).and_then(|t| t.object_store(WRITES)) else { return Vec::new() };
    let (Ok(keys), Ok(values)) = (writes.get_all_keys(), writes.get_all()) else { return Vec::new() };
    let (Ok(keys), Ok(values)) = (result_of(&keys).await, result_of(&values).await) else { return Vec::new() };
    let (keys, values) = (js_sys::Array::from(&keys), js_sys::Array::from(&values));
    keys.iter().zip(values.iter()).filter_map(|(k, v)| Some((k.as_string()?, v.as_string()?))).collect()
}
