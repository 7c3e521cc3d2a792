//! Latitude: the autonomy you can grant is proportional to the rigor of the
//! accountability system that measures what people deliver.
//!
//! - [`core`]: the domain and the scoring law, pure.
//! - [`charts`]: scores in, SVG strings out.
//! - [`embed`]: the org map or scoreboard alone, for a wiki's frame (the embed page's own
//!   small WebAssembly, and the app's embed route).
//! - [`storage`]: the envelope, encodings and the only code that touches browser storage.
//! - [`sync`]: team workspaces — records as CouchDB documents and the replication state machine, pure.
//! - [`ui`]: the Leptos app (wasm only, but for its plain parts: routes, undo history,
//!   save decisions).

pub mod charts;
pub mod core;
pub mod embed;
pub mod perf;
pub mod storage;
pub mod sync;
pub mod ui;
