//! Mounts the web app; natively, points to the command line instead.

// The page runs the wasm on one thread.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

#[cfg(target_arch = "wasm32")]
fn main() {
    latitude::ui::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Latitude's web app runs in the browser: ./scripts/serve. The command line is latitude-cli.");
}
