//! The Leptos app: shell, hash routes, pages. Signals live here only; numbers come
//! from `core`, chart markup from `charts`, persistence through `state` and `storage`.
//! The parts that hold no signal — hash routes ([`route`]), undo history ([`history`])
//! when to write ([`save_plan`]) and a workshop step's timer ([`step_timer`]) — compile natively and are tested in `tests/`.

pub mod file_name;
pub mod history;
pub mod route;
pub mod save_plan;
pub mod step_timer;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod couch;
#[cfg(target_arch = "wasm32")]
mod form;
#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod read_only;
#[cfg(target_arch = "wasm32")]
mod shell;
#[cfg(target_arch = "wasm32")]
mod state;
#[cfg(target_arch = "wasm32")]
mod widgets;

/// Installs the panic hook and mounts the app on the page body. Records how long the
/// app took to read, score and render its first view (`latitude:boot`) and until the
/// next frame (`latitude:first-frame`).
///
/// The app mounts in a task of its own, after the one that instantiated the wasm, and
/// charts are drawn in the next animation frame (`widgets::on_resize`): the page stays
/// responsive between these steps instead of blocking for the whole start.
#[cfg(target_arch = "wasm32")]
pub fn start() {
    let start = crate::perf::now();
    browser::install_panic_hook();
    browser::keep_focus_clear_of_header();
    browser::register_service_worker();
    leptos::prelude::set_timeout(
        move || {
            // The page's loading text gives way to the app in the same task: no blank frame.
            if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
                boot.remove();
            }
            leptos::mount::mount_to_body(shell::App);
            browser::follow_sticky_heights();
            crate::perf::record("boot", start, crate::perf::now());
            leptos::prelude::request_animation_frame(move || crate::perf::record("first-frame", start, crate::perf::now()));
        },
        std::time::Duration::ZERO,
    );
}
