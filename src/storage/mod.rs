//! Everything that leaves memory: the versioned envelope, migrations, file import and
//! export, and the key–value [`Backend`] over the browser's localStorage. It is the
//! only code that touches localStorage (see `local`, wasm only) and IndexedDB (the
//! crash journal, `journal`, wasm only).

pub mod compact;
pub mod csv;
pub mod envelope;
pub mod file;
#[cfg(target_arch = "wasm32")]
pub mod journal;
#[cfg(target_arch = "wasm32")]
pub mod local;
pub mod locate;
mod record_columns;
pub mod snapshot;
pub mod store;

pub use envelope::{Envelope, SCHEMA};
pub use store::{Backend, LoadOutcome, MemoryBackend, SaveError, StorageError, Store, WorkspaceMeta};
