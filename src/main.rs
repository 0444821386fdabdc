//! The browser entry point; everything else is in the library.

fn main() {
    // A panic's message goes to the console; the page's crash guard
    // (index.html) then tells the user and offers their drawing.
    std::panic::set_hook(Box::new(|info| leptos::logging::error!("{info}")));
    leptos::mount::mount_to_body(dpm_sketch::App);
}
