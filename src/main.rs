//! Entry point of the browser app: mounts [`balance_lab::App`] on the page body.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(balance_lab::App);
}
