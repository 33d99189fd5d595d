//! `mock-llm`: serves the OpenAI-compatible, Anthropic and Gemini endpoints on 127.0.0.1 from the
//! simulated word-task LLM, with faults injected as the flags say, printing every request.

use std::net::{Ipv4Addr, SocketAddr};

use clap::Parser;
use mock_llm::{Faults, MockServer};

/// A local stand-in for LLM providers, for tests and for trying Balance Lab's runner.
#[derive(Parser)]
#[command(name = "mock-llm", version, about)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    port: u16,
    /// Seed of the simulated LLM's answers.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Require this API key (Bearer, x-api-key or x-goog-api-key, as each API carries it).
    #[arg(long, default_value = "")]
    key: String,
    /// Answer every k-th request with 429 and Retry-After.
    #[arg(long, default_value_t = 0)]
    rate_limit_every: u64,
    /// The Retry-After of a 429, in seconds.
    #[arg(long, default_value_t = 1.0)]
    retry_after: f64,
    /// Answer every k-th request with 500.
    #[arg(long, default_value_t = 0)]
    error_500_every: u64,
    /// Answer every k-th request with 529 (overloaded).
    #[arg(long, default_value_t = 0)]
    overloaded_every: u64,
    /// Answer every k-th request with a body that is not JSON.
    #[arg(long, default_value_t = 0)]
    malformed_every: u64,
    /// Never answer every k-th request.
    #[arg(long, default_value_t = 0)]
    hang_every: u64,
    /// Wrap every k-th answer in HTML.
    #[arg(long, default_value_t = 0)]
    html_every: u64,
    /// Wait this many milliseconds before each answer.
    #[arg(long, default_value_t = 0)]
    slow_ms: u64,
    /// Leave out the CORS headers.
    #[arg(long)]
    no_cors: bool,
    /// Do not print each request.
    #[arg(long)]
    quiet: bool,
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let a = Args::parse();
    let faults = Faults {
        rate_limit_every: a.rate_limit_every,
        retry_after_s: a.retry_after,
        error_500_every: a.error_500_every,
        overloaded_every: a.overloaded_every,
        malformed_every: a.malformed_every,
        hang_every: a.hang_every,
        html_every: a.html_every,
        slow_ms: a.slow_ms,
        no_cors: a.no_cors,
        key: a.key,
    };
    let addr = SocketAddr::from((Ipv4Addr::LOCALHOST, a.port));
    let server = MockServer::start(addr, faults, a.seed, !a.quiet).await?;
    let base = format!("http://{}", server.addr());
    println!("mock-llm listening on {base}");
    println!("  OpenAI-compatible base URL: {base}/v1");
    println!("  Anthropic base URL:         {base}/v1");
    println!("  Gemini base URL:            {base}/v1beta");
    println!("  request log: GET {base}/_mock/log; faults: GET/POST {base}/_mock/faults");
    tokio::signal::ctrl_c().await
}
