//! The browser's localStorage as a [`Backend`], through gloo-storage. gloo's raw
//! accessor panics where storage is disabled (sandboxed frames, some private modes),
//! so availability is probed first and every call is guarded.

use gloo_storage::{LocalStorage, Storage};
use wasm_bindgen::{JsCast, JsValue};

use super::store::{Backend, StorageError};

/// localStorage, known to be reachable.
pub struct LocalBackend {
    _private: (),
}

impl LocalBackend {
    /// `None` where localStorage cannot be used at all. A store that is merely full
    /// still opens: what it holds must be readable.
    pub fn open() -> Option<LocalBackend> {
        let window = web_sys::window()?;
        // Reading the property itself throws in sandboxed frames.
        let storage = window.local_storage().ok().flatten()?;
        storage.get_item(super::store::INDEX_KEY).ok()?;
        // Some browsers expose it but refuse every write (storage disabled).
        let probe = "latitude/probe";
        match storage.set_item(probe, "1") {
            Ok(()) => {
                let _ = storage.remove_item(probe);
            }
            Err(e) if classify(&e) == StorageError::Quota => {}
            Err(_) => return None,
        }
        Some(LocalBackend { _private: () })
    }
}

/// A setting of this browser rather than of a workspace (presenter mode on a projector's
/// laptop): `None` when unset or where storage cannot be used.
pub fn device_setting(key: &str) -> Option<String> {
    LocalBackend::open()?.get(key).ok().flatten()
}

/// Sets (`Some`) or clears (`None`) a setting of this browser; nothing where storage
/// cannot be used.
pub fn set_device_setting(key: &str, value: Option<&str>) {
    if let Some(mut b) = LocalBackend::open() {
        let _ = match value {
            Some(v) => b.set(key, v),
            None => b.remove(key),
        };
    }
}

/// Recognises the three shapes browsers give a full store.
pub fn classify(err: &JsValue) -> StorageError {
    if let Some(e) = err.dyn_ref::<web_sys::DomException>() {
        let name = e.name();
        let code = e.code();
        if name == "QuotaExceededError" || name == "NS_ERROR_DOM_QUOTA_REACHED" || code == 22 || code == 1014 {
            return StorageError::Quota;
        }
        return StorageError::Other(format!("{name}: {}", e.message()));
    }
    StorageError::Other(format!("{err:?}"))
}

impl Backend for LocalBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        LocalStorage::raw().get_item(key).map_err(|e| classify(&e))
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        LocalStorage::raw().set_item(key, value).map_err(|e| classify(&e))
    }
    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        LocalStorage::raw().remove_item(key).map_err(|e| classify(&e))
    }
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        let storage = LocalStorage::raw();
        let n = storage.length().map_err(|e| classify(&e))?;
        let mut keys = Vec::new();
        for i in 0..n {
            if let Some(k) = storage.key(i).map_err(|e| classify(&e))? {
                if k.starts_with(prefix) {
                    keys.push(k);
                }
            }
        }
        Ok(keys)
    }
}

/// Characters stored under Latitude's keys, and in total for the origin.
pub fn usage() -> (usize, usize) {
    let storage = LocalStorage::raw();
    let n = storage.length().unwrap_or(0);
    let (mut ours, mut all) = (0, 0);
    for i in 0..n {
        if let Ok(Some(k)) = storage.key(i) {
            let len = k.len() + storage.get_item(&k).ok().flatten().map(|v| v.encode_utf16().count()).unwrap_or(0);
            all += len;
            if k.starts_with(super::store::PREFIX) {
                ours += len;
            }
        }
    }
    (ours, all)
}
