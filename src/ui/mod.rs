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
#[cfg(all(target_arch = "wasm32", feature = "team"))]
mod couch;
#[cfg(target_arch = "wasm32")]
mod form;
#[cfg(target_arch = "wasm32")]
mod pages;
#[cfg(target_arch = "wasm32")]
mod parts;
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
/// The start runs in steps, each a task of its own, so that the page answers input
/// between them instead of blocking for the whole start (the browser compiles each wasm
/// function on its first call, in the task that calls it): the wasm is instantiated; the
/// app's state is read (storage, or the link's data); the app mounts; an embed's view
/// mounts when its part has loaded (`parts::show`); charts are measured and drawn (`widgets::on_resize`).
#[cfg(target_arch = "wasm32")]
pub fn start() {
    use leptos::prelude::{set_timeout, Owner};
    let start = crate::perf::now();
    browser::install_panic_hook();
    browser::keep_focus_clear_of_header();
    set_timeout(
        move || {
            // The effects the state creates run on Leptos's executor, which the mount
            // would start only in the next task.
            let _ = any_spawner::Executor::init_wasm_bindgen();
            // The app's root: the state read here is the context of everything mounted
            // in it. It lives as long as the page.
            let root = Owner::new();
            root.with(shell::provide_state);
            set_timeout(
                move || {
                    root.with(|| {
                        // The page's loading text gives way to the app in the same task: no blank frame.
                        if let Some(boot) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id("boot")) {
                            boot.remove();
                        }
                        leptos::mount::mount_to_body(shell::App);
                    });
                    std::mem::forget(root);
                    browser::follow_sticky_heights();
                    crate::perf::record("boot", start, crate::perf::now());
                    leptos::prelude::request_animation_frame(move || crate::perf::record("first-frame", start, crate::perf::now()));
                },
                std::time::Duration::ZERO,
            );
        },
        std::time::Duration::ZERO,
    );
}
