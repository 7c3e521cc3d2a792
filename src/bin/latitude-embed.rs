//! The embed page's WebAssembly (`embed.html`, written by `scripts/build`): the org map
//! or the scoreboard of a map or scoreboard link, for a wiki's frame, without the app
//! around it (`latitude::embed`). It holds no storage, no scoring and no Leptos, so a
//! frame downloads a fraction of the app.

#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };

#[cfg(target_arch = "wasm32")]
fn main() {
    latitude::embed::start_page();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("The embed page runs in the browser: ./scripts/build writes dist/embed.html.");
}
