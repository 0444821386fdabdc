//! Browser glue, the bottom layer: DOM helpers, local storage, files, the
//! escaping markup builder with the app's only HTML sinks, and the
//! windowed list. Knows no app type (no `Editor`, no `Ctx`).

pub mod dom;
pub mod files;
pub mod markup;
pub mod storage;
pub mod vlist;

use leptos::prelude::{Effect, LocalStorage, Memo};

/// Calls `f` when the browser is next idle: after the frame it is making,
/// before a timer would, and at most [`IDLE_WAIT_MS`] later even on a page
/// that stays busy (`requestIdleCallback`, falling back to a timer where
/// there is none; `f` gets the `IdleDeadline`, or nothing from a timer).
fn request_idle(f: &js_sys::Function) {
    request_idle_within(f, IDLE_WAIT_MS);
}

/// [`request_idle`], waiting at most `wait_ms`.
fn request_idle_within(f: &js_sys::Function, wait_ms: u32) {
    let w = leptos::prelude::window();
    let options = web_sys::IdleRequestOptions::new();
    options.set_timeout(wait_ms);
    if w.request_idle_callback_with_options(f, &options).is_err() {
        let _ = w.set_timeout_with_callback(f);
    }
}

/// Runs `f` when the browser is next idle ([`request_idle`]).
pub fn when_idle(f: impl FnOnce() + 'static) {
    use wasm_bindgen::JsCast;
    request_idle(wasm_bindgen::closure::Closure::once_into_js(f).unchecked_ref());
}

/// Milliseconds after a change by which the frames that show it are
/// normally drawn (two frames at 60 Hz, with room for a slow one at
/// 10,000 servers): work that can wait for them starts after that
/// ([`after_frames`]).
pub const FRAMES_MS: u32 = 100;

/// Runs `f` once the frames that show the change being made are drawn
/// ([`FRAMES_MS`]) and the browser is idle. For work a change asks for
/// that the user does not watch for in those frames (a panel's rows, the
/// minimap): the browser's first idle moment comes between the change's
/// first frame and its second, and 5-15 ms of work there at 10,000
/// servers pushed the second back by a frame.
pub fn after_frames(f: impl FnOnce() + 'static) {
    leptos::prelude::set_timeout(
        move || when_idle(f),
        std::time::Duration::from_millis(FRAMES_MS.into()),
    );
}

/// Resolves once the frames that show the change being made are drawn
/// ([`FRAMES_MS`]; see [`after_frames`]); an idle step may follow.
pub async fn frames_drawn() {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        let _ = leptos::prelude::window()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, FRAMES_MS as i32);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(p).await;
}

/// Resolves when the browser is next idle ([`request_idle`]), with the
/// milliseconds the browser expects to stay idle (`None` when it does not
/// say): for long work done in steps that leave the frames to the user.
pub async fn idle() -> Option<f64> {
    idle_within(IDLE_WAIT_MS).await
}

/// [`idle`], waiting at most `wait_ms`: when it resolves by the wait (the
/// browser gave no idle period: busy, or, as headless Chromium does after
/// a few key presses, granting none on a quiet page), it gives `Some(0.0)`.
pub async fn idle_within(wait_ms: u32) -> Option<f64> {
    use wasm_bindgen::JsCast;
    let p = js_sys::Promise::new(&mut |resolve, _| request_idle_within(&resolve, wait_ms));
    let deadline = wasm_bindgen_futures::JsFuture::from(p).await.ok()?;
    let deadline = deadline.dyn_into::<web_sys::IdleDeadline>().ok()?;
    Some(deadline.time_remaining())
}

/// The longest [`idle`] waits, in milliseconds.
pub const IDLE_WAIT_MS: u32 = 500;

/// Runs `f` once, then again whenever a signal it read changes: Leptos'
/// `Effect::new` for an effect that keeps no value between runs.
///
/// Every `Effect::new` with a closure type of its own compiles its own
/// copy of Leptos' effect loop (some 500 bytes of wasm); these closures
/// go through one copy, boxed.
pub fn effect(f: impl FnMut() + 'static) -> Effect<LocalStorage> {
    boxed_effect(Box::new(f))
}

#[inline(never)]
fn boxed_effect(mut f: Box<dyn FnMut()>) -> Effect<LocalStorage> {
    Effect::new(move |_| f())
}

/// Leptos' `Memo::new`, through one compiled copy of the memo's update
/// per value type: every `Memo::new` with a closure type of its own
/// compiles its own.
pub fn memo<T>(f: impl Fn(Option<&T>) -> T + Send + Sync + 'static) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    boxed_memo(Box::new(f))
}

#[inline(never)]
#[allow(clippy::type_complexity)]
fn boxed_memo<T>(f: Box<dyn Fn(Option<&T>) -> T + Send + Sync>) -> Memo<T>
where
    T: PartialEq + Send + Sync + 'static,
{
    Memo::new(f)
}
