//! End-to-end tests in headless Chromium against the release build, served from a
//! sub-path on loopback. Run by ./scripts/test (which builds dist/ first).

#[path = "../common/mod.rs"]
mod common;
mod harness;

mod bench;
mod capacity;
mod charts;
mod journeys;
mod share;
mod shell;
mod storage;
mod verdicts;
mod views;
mod workshop;
