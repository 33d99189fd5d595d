//! The browser's transport (fetch, through gloo-net, with a timeout that aborts the call) and
//! clock (timers and the performance clock).

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use balance_agent::call::Sleep;
use balance_agent::http::{HttpRequest, HttpResponse, Method, Transport, TransportError};
use gloo_timers::callback::Timeout;
use gloo_timers::future::TimeoutFuture;

use crate::browser;

/// Sends requests with `fetch`; a call not answered within `timeout_ms` is aborted.
pub struct Fetch {
    /// How long to wait for an answer, in milliseconds.
    pub timeout_ms: f64,
}

impl Transport for Fetch {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        let timeout_ms = self.timeout_ms.clamp(1.0, u32::MAX as f64) as u32;
        async move {
            let network = |what: String| TransportError::Network(what);
            let controller = web_sys::AbortController::new()
                .map_err(|_| network("the browser cannot make requests here".into()))?;
            let timed_out = Rc::new(Cell::new(false));
            let _timer = {
                let (flag, controller) = (timed_out.clone(), controller.clone());
                Timeout::new(timeout_ms, move || {
                    flag.set(true);
                    controller.abort();
                })
            };
            let signal = controller.signal();
            let init = web_sys::RequestInit::new();
            init.set_method(match request.method {
                Method::Get => "GET",
                Method::Post => "POST",
            });
            init.set_signal(Some(&signal));
            let headers = web_sys::Headers::new()
                .map_err(|_| network("the browser cannot make requests here".into()))?;
            for (name, value) in &request.headers {
                // A GET has no body to describe.
                if request.method == Method::Get && name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                headers
                    .set(name, value)
                    .map_err(|_| network(format!("the header {name} cannot be sent")))?;
            }
            init.set_headers(&headers);
            if request.method == Method::Post {
                init.set_body(&wasm_bindgen::JsValue::from_str(&request.body));
            }
            // A server on this machine or its network, called from a page that is not: the
            // browser asks the person for the permission (Local Network Access), where without
            // the request's address space it refuses the call.
            if let Some(space) = balance_agent::errors::address_space(&request.url) {
                let _ = js_sys::Reflect::set(&init, &"targetAddressSpace".into(), &space.into());
            }
            let failed = |e: gloo_net::Error| {
                if timed_out.get() { TransportError::Timeout } else { network(e.to_string()) }
            };
            let raw =
                web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(|_| {
                    network(format!("{} is not an address a page can call", request.url))
                })?;
            let ready: Result<gloo_net::http::Request, gloo_net::Error> = Ok(raw.into());
            let response = ready.map_err(failed)?.send().await.map_err(failed)?;
            // Only the headers the runner reads (a CORS answer exposes little else).
            let headers = ["retry-after"]
                .into_iter()
                .filter_map(|n| Some((n.to_owned(), response.headers().get(n)?)))
                .collect();
            let status = response.status();
            let body = response.text().await.map_err(failed)?;
            Ok(HttpResponse { status, headers, body })
        }
    }
}

/// Browser timers and the performance clock.
#[derive(Clone, Copy, Default)]
pub struct BrowserClock;

impl Sleep for BrowserClock {
    fn sleep(&self, ms: f64) -> impl Future<Output = ()> {
        // Even a zero wait goes through the event loop, so the page keeps drawing.
        TimeoutFuture::new(ms.clamp(0.0, u32::MAX as f64) as u32)
    }

    fn now_ms(&self) -> f64 {
        browser::now_ms()
    }
}
