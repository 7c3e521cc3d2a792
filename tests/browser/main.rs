//! End-to-end tests in headless Chromium against the release build, served from a
//! sub-path on loopback. Run by ./scripts/test (which builds dist/ first).

#[path = "../common/mod.rs"]
mod common;
mod harness;

mod charts;
mod shell;
mod views;
mod storage;
mod capacity;
mod workshop;
mod journeys;
mod share;
mod bench;
