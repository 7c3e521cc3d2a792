//! Storage glue: the backend the app's [`Store`](crate::storage::store::Store) writes
//! to — localStorage when the browser allows it (each workspace written is journaled
//! in IndexedDB too: [`super::journal`]), memory otherwise.

use crate::storage::store::{Backend, MemoryBackend, StorageError};

/// localStorage when it works, memory otherwise.
pub enum AnyBackend {
    #[cfg(target_arch = "wasm32")]
    Local(crate::storage::local::LocalBackend),
    Memory(MemoryBackend),
}

impl AnyBackend {
    /// localStorage if this browser lets the page use it (and whether it does).
    pub fn open() -> (AnyBackend, bool) {
        #[cfg(target_arch = "wasm32")]
        if let Some(b) = crate::storage::local::LocalBackend::open() {
            return (AnyBackend::Local(b), true);
        }
        (AnyBackend::Memory(MemoryBackend::default()), false)
    }
}

impl Backend for AnyBackend {
    fn get(&self, key: &str) -> Result<Option<String>, StorageError> {
        match self {
            #[cfg(target_arch = "wasm32")]
            AnyBackend::Local(b) => b.get(key),
            AnyBackend::Memory(b) => b.get(key),
        }
    }
    fn set(&mut self, key: &str, value: &str) -> Result<(), StorageError> {
        match self {
            #[cfg(target_arch = "wasm32")]
            AnyBackend::Local(b) => {
                b.set(key, value)?;
                crate::storage::journal::record(key, Some(value));
                Ok(())
            }
            AnyBackend::Memory(b) => b.set(key, value),
        }
    }
    fn remove(&mut self, key: &str) -> Result<(), StorageError> {
        match self {
            #[cfg(target_arch = "wasm32")]
            AnyBackend::Local(b) => {
                b.remove(key)?;
                crate::storage::journal::record(key, None);
                Ok(())
            }
            AnyBackend::Memory(b) => b.remove(key),
        }
    }
    fn keys(&self, prefix: &str) -> Result<Vec<String>, StorageError> {
        match self {
            #[cfg(target_arch = "wasm32")]
            AnyBackend::Local(b) => b.keys(prefix),
            AnyBackend::Memory(b) => b.keys(prefix),
        }
    }
}
