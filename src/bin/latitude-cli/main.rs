//! Latitude's command line: the same core, natively. Scores an exported workspace,
//! explains a unit, generates synthetic workspaces and renders charts to SVG files.
//! It is native only; built for wasm32 it is an empty program.

#[cfg(not(target_arch = "wasm32"))]
mod cli;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
