//! The Web Worker's entry point: listens for analysis requests and posts the replies (see the
//! library for the protocol). Built by Trunk as `balance-worker` (`data-type="worker"`).

#[cfg(target_arch = "wasm32")]
fn main() {
    use balance_worker::{Reply, encode, handle};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    let scope: web_sys::DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let post_scope = scope.clone();
    let post = move |reply: Reply| {
        let bytes = js_sys::Uint8Array::from(encode(&reply).as_slice());
        let _ = post_scope.post_message(&bytes);
    };
    let clock_scope = scope.clone();
    let clock = move || clock_scope.performance().map(|p| p.now());
    let mut reply = post.clone();
    let on_message =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let bytes = js_sys::Uint8Array::new(&ev.data()).to_vec();
            handle(&bytes, &mut reply, &clock);
        });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(Reply::Ready);
}

/// Natively there is no worker to run; the library is what native tests use.
#[cfg(not(target_arch = "wasm32"))]
fn main() {}
