//! End-to-end tests against the release build, served from a sub-path on loopback, in
//! the engine `LATITUDE_ENGINE` names (Chromium by default; Firefox, WebKit). Run by
//! ./scripts/test (which builds dist/ first) in all three.

#[path = "../common/mod.rs"]
mod common;
mod harness;

mod bench;
mod capacity;
mod charts;
mod embed;
mod engines;
mod first_steps;
mod forms;
mod journeys;
mod parts;
mod share;
mod shell;
mod storage;
mod team;
mod verdicts;
mod views;
mod workshop;
mod workspaces;
