//! What went wrong with a call, in terms a person can act on, and whether retrying can help.

use crate::http::{HttpResponse, TransportError};
use crate::provider::ProviderKind;

/// A failed call, classified.
#[derive(Debug, Clone, PartialEq)]
pub enum ProviderError {
    /// 400 or 422: the request itself is wrong (the provider's message says how).
    BadRequest {
        /// The provider's message.
        message: String,
        /// The request field it names, when it names one (`max_tokens`, `temperature`, ...).
        param: Option<String>,
    },
    /// 401: the key was refused.
    BadKey,
    /// 403: the key may not use this model, or the server refuses this page's origin.
    Forbidden(String),
    /// 404: wrong base URL or model name.
    NotFound(String),
    /// 429: too many requests; wait `retry_after` seconds when the provider says.
    RateLimited {
        /// The provider's `Retry-After`, in seconds.
        retry_after: Option<f64>,
    },
    /// 529 or 503: the provider is overloaded.
    Overloaded,
    /// Another 5xx.
    Server(u16),
    /// Another status.
    Other(u16, String),
    /// No answer in time.
    Timeout,
    /// No connection: server down, wrong URL, or blocked by the browser (CORS).
    Network(String),
    /// An answer that is not what the provider's format promises.
    Unparseable(String),
}

impl ProviderError {
    /// Whether trying again later can succeed.
    pub fn retryable(&self) -> bool {
        matches!(
            self,
            ProviderError::RateLimited { .. }
                | ProviderError::Overloaded
                | ProviderError::Server(_)
                | ProviderError::Timeout
                | ProviderError::Network(_)
        )
    }

    /// From a transport failure.
    pub fn from_transport(e: TransportError) -> ProviderError {
        match e {
            TransportError::Timeout => ProviderError::Timeout,
            TransportError::Network(m) => ProviderError::Network(m),
        }
    }
}

impl std::fmt::Display for ProviderError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ProviderError::BadRequest { message, .. } => {
                write!(f, "the provider refused the request (400): {message}")
            }
            ProviderError::BadKey => {
                f.write_str("the provider refused the API key (401): check it, or paste it again")
            }
            ProviderError::Forbidden(m) => write!(
                f,
                "forbidden (403): the key may not use this model, or the server refuses this \
                 page's origin (Ollama: set OLLAMA_ORIGINS; LM Studio: turn on CORS){}",
                detail(m)
            ),
            ProviderError::NotFound(m) => {
                write!(f, "not found (404): check the base URL and the model name{}", detail(m))
            }
            ProviderError::RateLimited { retry_after: Some(s) } => {
                write!(f, "rate limited (429): the provider asks to wait {s} s")
            }
            ProviderError::RateLimited { retry_after: None } => f.write_str("rate limited (429)"),
            ProviderError::Overloaded => f.write_str("the provider is overloaded (529/503)"),
            ProviderError::Server(s) => write!(f, "the provider failed ({s})"),
            ProviderError::Other(s, m) => write!(f, "unexpected status {s}{}", detail(m)),
            ProviderError::Timeout => f.write_str("no answer in time"),
            ProviderError::Network(m) => write!(f, "no connection{}", detail(informative(m))),
            ProviderError::Unparseable(m) => write!(f, "the answer could not be read: {m}"),
        }
    }
}

impl std::error::Error for ProviderError {}

/// ": message" when there is one.
/// A transport's message, or nothing for the browsers' own words for a failed fetch, which
/// never say why (the page is not told: no network, a refused address and a missing CORS header
/// look the same).
fn informative(m: &str) -> &str {
    const SILENT: [&str; 3] =
        ["Failed to fetch", "NetworkError when attempting to fetch resource", "Load failed"];
    let bare = m.trim().trim_start_matches("TypeError:").trim().trim_end_matches('.');
    if SILENT.contains(&bare) { "" } else { m }
}

fn detail(m: &str) -> String {
    if m.is_empty() { String::new() } else { format!(": {m}") }
}

/// The provider's own message in an error body (`{"error": {"message": ...}}` for all three
/// formats, or `{"error": "..."}` for some compatible servers), cut to 300 characters.
fn message(body: &str) -> String {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    let m = v["error"]["message"].as_str().or_else(|| v["error"].as_str()).unwrap_or("");
    m.chars().take(300).collect()
}

/// The request field a 400 names: OpenAI's `error.param`, Gemini's field violations or
/// `Unknown name "X"`, Anthropic's `field: problem` messages, OpenAI's "Unrecognized request
/// argument supplied: X".
fn param(body: &str, message: &str) -> Option<String> {
    let v: serde_json::Value = serde_json::from_str(body).unwrap_or_default();
    if let Some(p) = v["error"]["param"].as_str().filter(|p| !p.is_empty()) {
        return Some(p.to_owned());
    }
    let violation = v["error"]["details"].as_array().and_then(|details| {
        details
            .iter()
            .find_map(|d| d["fieldViolations"].as_array()?.iter().find_map(|f| f["field"].as_str()))
    });
    if let Some(f) = violation {
        return Some(f.to_owned());
    }
    let quoted = |after: &str| {
        let rest = &message[message.find(after)? + after.len()..];
        let rest = rest.trim_start().trim_start_matches(['"', '\'', '`']);
        let name: String =
            rest.chars().take_while(|c| c.is_ascii_alphanumeric() || "_.[]".contains(*c)).collect();
        (!name.is_empty()).then_some(name)
    };
    if let Some(p) = quoted("Unknown name").or_else(|| quoted("argument supplied:")) {
        return Some(p);
    }
    // Anthropic: "temperature: range: 0..1", "thinking.budget_tokens: ...".
    let head = message.split(':').next().unwrap_or("").trim();
    let looks_like_field = !head.is_empty()
        && head.len() < 60
        && head.chars().all(|c| c.is_ascii_alphanumeric() || "_.".contains(c))
        && head.chars().any(|c| c == '_' || c == '.' || c.is_ascii_lowercase());
    (looks_like_field && message.contains(':')).then(|| head.to_owned())
}

/// The setting in Balance Lab's form and run files that a request field comes from.
pub fn setting_of(param: &str) -> Option<&'static str> {
    let p = param.to_ascii_lowercase().replace('_', "");
    let p = p.rsplit('.').next().unwrap_or("");
    Some(match p {
        "maxtokens" | "maxcompletiontokens" | "maxoutputtokens" => "Max tokens",
        "temperature" => "Temperature",
        "reasoningeffort" | "reasoning" | "thinking" | "thinkingconfig" | "thinkingbudget"
        | "thinkinglevel" | "budgettokens" | "effort" => "Reasoning",
        "n" | "candidatecount" => "Answers per call",
        "logprobs" | "toplogprobs" | "responselogprobs" => "Log-probabilities",
        "model" => "Model",
        "system" | "systeminstruction" => "System prompt",
        _ => return None,
    })
}

/// `Retry-After` in seconds (the delay form; an HTTP date is not used).
fn retry_after(response: &HttpResponse) -> Option<f64> {
    let s: f64 = response.header("retry-after")?.trim().parse().ok()?;
    (s.is_finite() && s >= 0.0).then_some(s)
}

/// Classifies a response whose status is not a success.
pub fn classify(_kind: ProviderKind, response: &HttpResponse) -> ProviderError {
    let m = message(&response.body);
    match response.status {
        400 | 422 => ProviderError::BadRequest { param: param(&response.body, &m), message: m },
        401 => ProviderError::BadKey,
        403 => ProviderError::Forbidden(m),
        404 => ProviderError::NotFound(m),
        429 => ProviderError::RateLimited { retry_after: retry_after(response) },
        503 | 529 => ProviderError::Overloaded,
        s @ 500..=599 => ProviderError::Server(s),
        s => ProviderError::Other(s, m),
    }
}

/// Whether `base_url` points at this machine by a name the page may call (localhost or an IPv4
/// loopback address; the page's Content-Security-Policy cannot name IPv6 literals).
pub fn is_loopback(base_url: &str) -> bool {
    let rest = base_url.trim().split("://").nth(1).unwrap_or("");
    let host = rest.split('/').next().unwrap_or("");
    let host = host
        .rsplit_once(':')
        .map_or(host, |(h, port)| if port.chars().all(|c| c.is_ascii_digit()) { h } else { host });
    host == "localhost" || host.parse::<std::net::Ipv4Addr>().is_ok_and(|ip| ip.is_loopback())
}

/// The address space a browser puts `base_url` in, for Local Network Access (Chrome 142 and
/// later): `loopback` for this machine (localhost, 127.0.0.0/8, [::1]), `local` for the private
/// network (10/8, 172.16/12, 192.168/16, link-local 169.254/16, `.local` names), `None` for the
/// public internet. A page fetches the first two with `targetAddressSpace` set to it, so that
/// the browser asks the person for the permission rather than refusing the call.
pub fn address_space(base_url: &str) -> Option<&'static str> {
    let rest = base_url.trim().split("://").nth(1).unwrap_or("");
    let authority = rest.split('/').next().unwrap_or("");
    let host = match authority.strip_prefix('[') {
        Some(v6) => v6.split(']').next().unwrap_or(""),
        None => authority.rsplit_once(':').map_or(authority, |(h, _)| h),
    };
    if host.eq_ignore_ascii_case("localhost") || host == "::1" {
        return Some("loopback");
    }
    if host.to_ascii_lowercase().ends_with(".local") {
        return Some("local");
    }
    let ip = host.parse::<std::net::Ipv4Addr>().ok()?;
    if ip.is_loopback() {
        Some("loopback")
    } else if ip.is_private() || ip.is_link_local() {
        Some("local")
    } else {
        None
    }
}

/// What to do about `error`, for a call to `config`'s server from a page at `origin` (or, with
/// `None`, from the command line, where CORS and the page's policy play no part): the likely
/// cause and its fix, beyond what the error itself says.
pub fn advice(
    config: &crate::ProviderConfig,
    error: &ProviderError,
    origin: Option<&str>,
) -> Option<String> {
    let base = match config.base_url.trim() {
        "" => config.kind.default_base_url(),
        b => b,
    };
    let local = is_loopback(base);
    let Some(origin) = origin else {
        return match error {
            ProviderError::Network(_) | ProviderError::Timeout => Some(format!(
                "Is the server running at {base}? Check the base URL and the network."
            )),
            ProviderError::Forbidden(_)
            | ProviderError::NotFound(_)
            | ProviderError::BadKey
            | ProviderError::BadRequest { .. } => advice(config, error, Some("")),
            _ => None,
        };
    };
    let local_cors = format!(
        "A local server must allow this page's origin ({origin}): Ollama: start it with \
         OLLAMA_ORIGINS={origin} (or \"*\"); LM Studio: turn on \"Enable CORS\" in the server \
         settings; vLLM: --allowed-origins; llama.cpp's server allows any origin."
    );
    match error {
        ProviderError::Network(_) if base.starts_with("http://") && !local => Some(format!(
            "This page may call only https:// addresses and this machine's own (127.0.0.1, \
             localhost): {base} is neither. Use https, or run the model locally."
        )),
        // A page not on this machine reaching one of its servers needs the person's permission.
        ProviderError::Network(_) if local && !origin.is_empty() && !is_loopback(origin) => {
            Some(format!(
                "Is the server running at {base}? This page ({origin}) is not on this machine, so \
                 the browser asks for the permission to reach apps on this device (Chrome's Local \
                 Network Access, from Chrome 142): allow it when asked, or in the site's settings \
                 (\"Apps on device\" / local network). {local_cors}"
            ))
        }
        ProviderError::Network(_) if local => {
            Some(format!("Is the server running at {base}? {local_cors}"))
        }
        ProviderError::Network(_) if config.kind == ProviderKind::Anthropic => Some(
            "Anthropic accepts calls from a web page only with the \
             anthropic-dangerous-direct-browser-access header, which Balance Lab sends; check \
             the base URL (https://api.anthropic.com/v1) and your network."
                .to_owned(),
        ),
        // The providers' own servers accept calls from web pages: only the network is left.
        ProviderError::Network(_) if base == config.kind.default_base_url() => Some(format!(
            "{base} could not be reached: check this device's network connection (and any \
             firewall or proxy between it and {}).",
            config.kind.label()
        )),
        ProviderError::Network(_) => Some(format!(
            "The server at {base} could not be reached or refused a call from a web page: check \
             the base URL and the network, and that the server allows calls from this page's \
             origin ({origin}) (CORS)."
        )),
        ProviderError::Forbidden(_) if local && !origin.is_empty() => Some(local_cors),
        ProviderError::NotFound(_) => Some(format!(
            "The base URL usually ends in /v1 (Gemini: /v1beta), and the model must exist there: \
             {base}, model {:?}.",
            config.model
        )),
        ProviderError::Forbidden(_) => Some(format!(
            "Check that the key may use the model {:?} (its project's permissions and model \
             access), or choose another Model.",
            config.model
        )),
        ProviderError::BadKey => {
            Some(format!("Paste the key again, and check it is a {} key.", config.kind.label()))
        }
        ProviderError::BadRequest { param: Some(p), .. } => {
            let profile = config.profile();
            Some(match setting_of(p) {
                Some(setting) => format!(
                    "The model {:?} refuses what Balance Lab sent as `{p}`: change {setting} \
                     (Balance Lab treats it as \"{}\").",
                    config.model, profile.family
                ),
                None => format!(
                    "The model {:?} refuses the request field `{p}`: check the settings, and \
                     choose another model if it persists.",
                    config.model
                ),
            })
        }
        ProviderError::BadRequest { param: None, .. } => Some(format!(
            "Change the setting the provider's message names (model {:?}, treated as \"{}\").",
            config.model,
            config.profile().family
        )),
        _ => None,
    }
}
