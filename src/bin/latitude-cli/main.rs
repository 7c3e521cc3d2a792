//! Latitude's command line: the same core, natively. Scores an exported workspace,
//! explains a unit, generates synthetic workspaces, renders charts to SVG files and sets up
//! a team's CouchDB database for a shared workspace.
//! It is native only; built for wasm32 it is an empty program.

#[cfg(not(target_arch = "wasm32"))]
mod cli;
#[cfg(not(target_arch = "wasm32"))]
mod couch;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
