//! Mounts the web app; natively, points to the command line instead.

#[cfg(target_arch = "wasm32")]
fn main() {
    latitude::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Latitude's web app runs in the browser: ./scripts/serve. The command line is latitude-cli.");
}
