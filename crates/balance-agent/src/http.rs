//! The HTTP exchange with a provider, independent of how it is carried.

use std::future::Future;

/// The HTTP method of a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A read (model lists).
    Get,
    /// A call with a JSON body.
    Post,
}

/// A request to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// GET or POST.
    pub method: Method,
    /// The full URL (never holding a key).
    pub url: String,
    /// Header names and values (an API key travels here, to its provider only).
    pub headers: Vec<(String, String)>,
    /// The JSON body of a POST (empty for a GET).
    pub body: String,
}

impl HttpRequest {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// A response as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Header names and values.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl HttpResponse {
    /// The value of header `name` (case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// Why no response arrived.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TransportError {
    /// Nothing came back in time.
    Timeout,
    /// The connection failed or the browser refused it (CORS, mixed content, offline): the
    /// browser does not say which.
    Network(String),
}

/// Sends requests: gloo-net in the browser, reqwest natively, a fake in tests.
pub trait Transport {
    /// Sends `request` and waits for the response.
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
}
