//! One bounded GET: HTTPS only (plain HTTP to a loopback address for tests and
//! mirrors), certificates checked by the operating system's trust store and verifier
//! (`rustls-platform-verifier`), timeouts, a size cap enforced while reading, redirects
//! followed by hand and each checked again, and retries with backoff on what may pass
//! (time-outs, broken connections, 5xx answers, certificate failures: in January 2026
//! some of Microsoft's download servers sent incomplete certificate chains, others
//! did not).

use std::io::{Read, Write};

use ureq::tls::{RootCerts, TlsConfig};

use super::DownloadOptions;

/// Why a GET failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Failed {
    /// What happened, for the person reading the error.
    pub(super) why: String,
    /// Whether trying again may succeed, and whether the host answered at all.
    pub(super) kind: FailureKind,
}

/// What kind of failure a GET had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum FailureKind {
    /// The server answered with this status.
    Status(u16),
    /// No answer: the connection, TLS or a time-out failed.
    Transport,
    /// Refused here: a URL that is not allowed, a body over the cap, too many redirects.
    Refused,
}

impl Failed {
    fn new(kind: FailureKind, why: impl Into<String>) -> Self {
        Failed {
            why: why.into(),
            kind,
        }
    }

    /// Whether the same request may succeed when tried again.
    fn transient(&self) -> bool {
        match self.kind {
            FailureKind::Status(code) => code >= 500,
            FailureKind::Transport => true,
            FailureKind::Refused => false,
        }
    }
}

/// An HTTP client with the options' limits, made once per download.
pub(super) struct Client<'o> {
    agent: ureq::Agent,
    options: &'o DownloadOptions,
}

impl<'o> Client<'o> {
    pub(super) fn new(options: &'o DownloadOptions) -> Self {
        let t = Some(options.timeout);
        let agent = ureq::Agent::config_builder()
            .timeout_resolve(t)
            .timeout_connect(t)
            .timeout_send_request(t)
            .timeout_recv_response(t)
            .timeout_per_read(t)
            .timeout_per_write(t)
            .max_redirects(0)
            .http_status_as_error(false)
            .user_agent(concat!("azure-service-tags/", env!("CARGO_PKG_VERSION")))
            .tls_config(
                TlsConfig::builder()
                    .root_certs(RootCerts::PlatformVerifier)
                    .build(),
            )
            .build()
            .into();
        Client { agent, options }
    }

    /// The limits and endpoints it was made with.
    pub(super) fn options(&self) -> &'o DownloadOptions {
        self.options
    }

    /// GETs `url`, trying again after `retry_delay`, twice that, ... up to `retries`
    /// more times when the failure may pass.
    pub(super) fn get(&self, url: &str) -> Result<Vec<u8>, Failed> {
        let mut attempt = 0;
        loop {
            match self.get_once(url) {
                Err(f) if f.transient() && attempt < self.options.retries => {
                    std::thread::sleep(self.options.retry_delay * 2u32.saturating_pow(attempt));
                    attempt += 1;
                }
                Err(mut f) if attempt > 0 => {
                    f.why = format!("{} (tried {} times)", f.why, attempt + 1);
                    return Err(f);
                }
                done => return done,
            }
        }
    }

    /// One GET, following at most `max_redirects` redirects (each checked against
    /// [`allowed_url`]), reading at most `max_bytes` bytes.
    fn get_once(&self, url: &str) -> Result<Vec<u8>, Failed> {
        let options = self.options;
        let mut current = url.to_string();
        for _ in 0..=options.max_redirects {
            allowed_url(&current).map_err(|why| Failed::new(FailureKind::Refused, why))?;
            let response = self
                .agent
                .get(&current)
                .call()
                .map_err(|e| Failed::new(FailureKind::Transport, transport_error(&e)))?;
            let status = response.status().as_u16();
            let header = |name: &str| {
                let value = response.headers().get(name)?;
                value.to_str().ok().map(str::to_string)
            };
            if (300..400).contains(&status) {
                let location = header("location").ok_or_else(|| {
                    Failed::new(
                        FailureKind::Status(status),
                        format!("HTTP {status} without a Location"),
                    )
                })?;
                current = join_url(&current, &location);
                continue;
            }
            if !(200..300).contains(&status) {
                return Err(Failed::new(
                    FailureKind::Status(status),
                    format!("HTTP {status}"),
                ));
            }
            let declared: Option<u64> =
                header("content-length").and_then(|v| v.trim().parse().ok());
            if let Some(n) = declared.filter(|&n| n > options.max_bytes) {
                return Err(Failed::new(
                    FailureKind::Refused,
                    format!(
                        "the response is {n} bytes, over the {} byte cap",
                        options.max_bytes
                    ),
                ));
            }
            let body = response
                .into_body()
                .into_with_config()
                .limit(options.max_bytes.saturating_add(1))
                .reader();
            return read_capped(body, declared, options);
        }
        Err(Failed::new(
            FailureKind::Refused,
            format!("more than {} redirects", options.max_redirects),
        ))
    }
}

/// A transport error as one line: ureq's text, and what a certificate failure means.
fn transport_error(e: &ureq::Error) -> String {
    match e {
        ureq::Error::Rustls(tls) if tls.to_string().contains("certificate") => format!(
            "request failed: the server's certificate was refused ({tls}); some servers send \
             incomplete certificate chains, which the operating system's verifier completes \
             on Windows and macOS but not on Linux"
        ),
        e => format!("request failed: {e}"),
    }
}

/// Whether a URL may be fetched: HTTPS, or plain HTTP to a loopback address.
pub(super) fn allowed_url(url: &str) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    if let Some(rest) = lower.strip_prefix("http://") {
        let host = rest.split(['/', '?', '#']).next().unwrap_or("");
        let host = host.rsplit_once('@').map_or(host, |(_, h)| h);
        let bare = if host.starts_with('[') {
            host.split(']').next().map(|h| h.trim_start_matches('['))
        } else {
            host.split(':').next()
        }
        .unwrap_or("");
        let loopback = bare == "localhost"
            || bare
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if loopback {
            return Ok(());
        }
    }
    Err(format!(
        "refusing {url:?}: only HTTPS (or http:// to a loopback address) is allowed"
    ))
}

fn read_capped(
    reader: impl Read,
    declared: Option<u64>,
    options: &DownloadOptions,
) -> Result<Vec<u8>, Failed> {
    let mut reader = reader.take(options.max_bytes + 1);
    let mut body = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut chunk).map_err(|e| {
            let why = match declared {
                Some(total) => format!(
                    "the body was cut short after {} of {total} bytes ({e})",
                    body.len()
                ),
                None => format!("reading the body failed: {e}"),
            };
            Failed::new(FailureKind::Transport, why)
        })?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
        if body.len() as u64 > options.max_bytes {
            return Err(Failed::new(
                FailureKind::Refused,
                format!("the body is over the {} byte cap", options.max_bytes),
            ));
        }
        if options.progress {
            let total = declared.map_or(String::new(), |t| format!(" of {} KiB", t / 1024));
            let _ = write!(
                std::io::stderr(),
                "\rdownloading: {} KiB{total}   ",
                body.len() / 1024
            );
        }
    }
    if options.progress {
        let _ = writeln!(std::io::stderr());
    }
    if let Some(n) = declared.filter(|&n| n != body.len() as u64) {
        return Err(Failed::new(
            FailureKind::Transport,
            format!("the body was cut short: {} of {n} bytes", body.len()),
        ));
    }
    Ok(body)
}

/// Resolves a redirect's `Location` against the URL that sent it.
fn join_url(base: &str, location: &str) -> String {
    if location.contains("://") {
        return location.to_string();
    }
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_end = base[scheme_end..]
        .find('/')
        .map_or(base.len(), |i| scheme_end + i);
    if location.starts_with('/') {
        format!("{}{location}", &base[..host_end])
    } else {
        let dir_end = base
            .rfind('/')
            .filter(|&i| i >= host_end)
            .unwrap_or(host_end);
        format!("{}/{location}", &base[..dir_end])
    }
}

#[cfg(test)]
mod tests {
    use super::{allowed_url, join_url};

    #[test]
    fn only_https_or_loopback_http_is_fetched() {
        assert!(allowed_url("https://download.microsoft.com/x.json").is_ok());
        assert!(allowed_url("http://127.0.0.1:8080/x.json").is_ok());
        assert!(allowed_url("http://[::1]:8080/x.json").is_ok());
        assert!(allowed_url("http://localhost/x.json").is_ok());
        assert!(allowed_url("http://download.microsoft.com/x.json").is_err());
        assert!(allowed_url("http://127.0.0.1@example.com/x.json").is_err());
        assert!(allowed_url("ftp://127.0.0.1/x.json").is_err());
    }

    #[test]
    fn redirects_resolve_against_the_sender() {
        assert_eq!(join_url("https://a.b/c/d", "/e"), "https://a.b/e");
        assert_eq!(join_url("https://a.b/c/d", "e"), "https://a.b/c/e");
        assert_eq!(
            join_url("https://a.b/c/d", "https://x.y/z"),
            "https://x.y/z"
        );
    }
}
