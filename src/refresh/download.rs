//! Fetching the current official file from Microsoft (feature `refresh`).
//!
//! Microsoft offers no stable URL for the weekly file, and page redesigns have broken
//! scrapers before, so [`download`] tries three ways in order and says which worked:
//! the download's details page, the older confirmation page, then dated guesses for
//! the last 21 days under the cloud's fixed path. Every way is bounded: HTTPS only (a
//! loopback `http://` base is allowed for tests and mirrors), timeouts, a size cap
//! enforced while reading, and at most a few redirects, each checked again.

use std::io::{IsTerminal, Read, Write};
use std::time::Duration;

use super::RefreshError;
use crate::datafile::{Cloud, Date};
use crate::official::parse_official;

/// Where the pages and files are. The defaults are Microsoft's hosts; tests and mirrors
/// point both at another base (`http://127.0.0.1:PORT` is allowed).
///
/// ```
/// use azure_service_tags::refresh::download::Endpoints;
/// assert_eq!(Endpoints::default().pages, "https://www.microsoft.com");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Base of the details and confirmation pages.
    pub pages: String,
    /// Base of the file downloads (links on the pages must start with it).
    pub downloads: String,
}

impl Default for Endpoints {
    fn default() -> Self {
        Endpoints {
            pages: "https://www.microsoft.com".to_string(),
            downloads: "https://download.microsoft.com".to_string(),
        }
    }
}

/// Limits and knobs of a download.
///
/// ```
/// use azure_service_tags::refresh::download::DownloadOptions;
/// let o = DownloadOptions::default();
/// assert_eq!(o.max_bytes, 64 << 20);
/// ```
#[derive(Debug, Clone)]
pub struct DownloadOptions {
    /// Hosts.
    pub endpoints: Endpoints,
    /// Connect and read timeout of each request.
    pub timeout: Duration,
    /// The most bytes a response may have (64 MiB by default).
    pub max_bytes: u64,
    /// The most redirects one request may follow.
    pub max_redirects: u32,
    /// "Today", for the dated guesses (`None`: the system clock's).
    pub today: Option<Date>,
    /// Show a progress bar on standard error (by default: when it is a terminal).
    pub progress: bool,
}

impl Default for DownloadOptions {
    fn default() -> Self {
        DownloadOptions {
            endpoints: Endpoints::default(),
            timeout: Duration::from_secs(30),
            max_bytes: 64 << 20,
            max_redirects: 5,
            today: None,
            progress: std::io::stderr().is_terminal(),
        }
    }
}

/// A downloaded official file.
///
/// ```
/// use azure_service_tags::refresh::download::{download_url, DownloadOptions};
/// use azure_service_tags::Cloud;
/// // Plain HTTP to a real host is refused before anything is sent.
/// let err = download_url("http://example.com/x.json", Cloud::Public, &DownloadOptions::default()).unwrap_err();
/// assert!(err.to_string().contains("only HTTPS"));
/// ```
#[derive(Debug, Clone)]
pub struct Downloaded {
    /// The file's URL.
    pub url: String,
    /// The file's name (`ServiceTags_Public_YYYYMMDD.json`).
    pub file_name: String,
    /// The way that worked (`details page`, `confirmation page`, `dated guess`, `url`).
    pub method: &'static str,
    /// The file's bytes (already checked to be service tags of the cloud).
    pub bytes: Vec<u8>,
    /// What each failed way got, before the one that worked.
    pub failed: Vec<String>,
}

/// Finds the current file of `cloud`: the details page, the confirmation page, then
/// dated guesses for the last 21 days. Fails, listing what every way got, if none
/// yields a file that parses as service tags of `cloud`.
///
/// ```
/// use azure_service_tags::refresh::download::{download, DownloadOptions, Endpoints};
/// use azure_service_tags::Cloud;
/// // Against an unreachable mirror every way fails, and the error lists each.
/// let options = DownloadOptions {
///     endpoints: Endpoints { pages: "http://127.0.0.1:9".into(), downloads: "http://127.0.0.1:9".into() },
///     timeout: std::time::Duration::from_millis(200),
///     progress: false,
///     ..DownloadOptions::default()
/// };
/// let err = download(Cloud::Public, &options).unwrap_err().to_string();
/// assert!(err.contains("details page") && err.contains("dated guesses"));
/// ```
pub fn download(cloud: Cloud, options: &DownloadOptions) -> Result<Downloaded, RefreshError> {
    let e = &options.endpoints;
    let id = cloud.download_id();
    let mut failed = Vec::new();
    for (method, page) in [
        (
            "details page",
            format!("{}/en-us/download/details.aspx?id={id}", e.pages),
        ),
        (
            "confirmation page",
            format!("{}/en-us/download/confirmation.aspx?id={id}", e.pages),
        ),
    ] {
        let html = match fetch(&page, options) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(why) => {
                failed.push(format!("{method} {page}: {why}"));
                continue;
            }
        };
        let Some(url) = find_link(&html, &e.downloads, cloud) else {
            failed.push(format!(
                "{method} {page}: no link to {}/download/.../{}YYYYMMDD.json",
                e.downloads,
                cloud.file_name_prefix()
            ));
            continue;
        };
        match fetch_file(&url, cloud, options) {
            Ok((file_name, bytes)) => {
                return Ok(Downloaded {
                    url,
                    file_name,
                    method,
                    bytes,
                    failed,
                });
            }
            Err(why) => failed.push(format!("{method} link {url}: {why}")),
        }
    }
    let today = options.today.unwrap_or_else(Date::today).days_since_epoch();
    let mut misses = Vec::new();
    for back in 0..21 {
        let Some(date) = Date::from_days_since_epoch(today - back) else {
            break;
        };
        let ymd = date.compact();
        let url = format!(
            "{}/download/{}/{}{ymd}.json",
            e.downloads,
            cloud.download_path(),
            cloud.file_name_prefix()
        );
        match fetch_file(&url, cloud, options) {
            Ok((file_name, bytes)) => {
                failed.push(format!(
                    "dated guesses: {} newer dates missed",
                    misses.len()
                ));
                return Ok(Downloaded {
                    url,
                    file_name,
                    method: "dated guess",
                    bytes,
                    failed,
                });
            }
            Err(why) => misses.push(format!("{ymd}: {why}")),
        }
    }
    failed.push(format!(
        "dated guesses for the last 21 days: {}",
        misses.join("; ")
    ));
    Err(RefreshError::Download { attempts: failed })
}

/// Fetches an explicit URL and checks it is service tags of `cloud`.
///
/// ```
/// use azure_service_tags::refresh::download::{download_url, DownloadOptions};
/// use azure_service_tags::Cloud;
/// let options = DownloadOptions { progress: false, ..DownloadOptions::default() };
/// assert!(download_url("http://127.0.0.1:9/ServiceTags_Public_20250101.json", Cloud::Public, &options).is_err());
/// ```
pub fn download_url(
    url: &str,
    cloud: Cloud,
    options: &DownloadOptions,
) -> Result<Downloaded, RefreshError> {
    match fetch_file(url, cloud, options) {
        Ok((file_name, bytes)) => Ok(Downloaded {
            url: url.to_string(),
            file_name,
            method: "url",
            bytes,
            failed: Vec::new(),
        }),
        Err(why) => Err(RefreshError::Download {
            attempts: vec![format!("{url}: {why}")],
        }),
    }
}

/// Fetches a file and checks it parses as service tags of `cloud`.
fn fetch_file(
    url: &str,
    cloud: Cloud,
    options: &DownloadOptions,
) -> Result<(String, Vec<u8>), String> {
    let bytes = fetch(url, options)?;
    let file_name = url
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("download.json")
        .to_string();
    let parsed = parse_official(&bytes, &file_name).map_err(|e| e.to_string())?;
    if parsed.snapshot.header.cloud != cloud {
        return Err(format!(
            "the file is for cloud {:?}, not {:?}",
            parsed.snapshot.header.cloud.as_str(),
            cloud.as_str()
        ));
    }
    Ok((file_name, bytes))
}

/// Whether a URL may be fetched: HTTPS, or plain HTTP to a loopback address.
fn allowed_url(url: &str) -> Result<(), String> {
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

/// GETs `url`, following at most `max_redirects` redirects (each checked against
/// [`allowed_url`]), and reads at most `max_bytes` bytes.
fn fetch(url: &str, options: &DownloadOptions) -> Result<Vec<u8>, String> {
    let agent = ureq::AgentBuilder::new()
        .timeout_connect(options.timeout)
        .timeout_read(options.timeout)
        .timeout_write(options.timeout)
        .redirects(0)
        .user_agent(concat!("azure-service-tags/", env!("CARGO_PKG_VERSION")))
        .build();
    let mut current = url.to_string();
    for _ in 0..=options.max_redirects {
        allowed_url(&current)?;
        let response = match agent.get(&current).call() {
            Ok(r) => r,
            Err(ureq::Error::Status(code, _)) => return Err(format!("HTTP {code}")),
            Err(ureq::Error::Transport(t)) => return Err(format!("request failed: {t}")),
        };
        let status = response.status();
        if (300..400).contains(&status) {
            let location = response
                .header("location")
                .ok_or_else(|| format!("HTTP {status} without a Location"))?;
            current = join_url(&current, location);
            continue;
        }
        if !(200..300).contains(&status) {
            return Err(format!("HTTP {status}"));
        }
        let declared: Option<u64> = response
            .header("content-length")
            .and_then(|v| v.trim().parse().ok());
        if let Some(n) = declared.filter(|&n| n > options.max_bytes) {
            return Err(format!(
                "the response is {n} bytes, over the {} byte cap",
                options.max_bytes
            ));
        }
        return read_capped(response.into_reader(), declared, options);
    }
    Err(format!("more than {} redirects", options.max_redirects))
}

fn read_capped(
    reader: impl Read,
    declared: Option<u64>,
    options: &DownloadOptions,
) -> Result<Vec<u8>, String> {
    let mut reader = reader.take(options.max_bytes + 1);
    let mut body = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    loop {
        let n = reader.read(&mut chunk).map_err(|e| match declared {
            Some(total) => format!(
                "the body was cut short after {} of {total} bytes ({e})",
                body.len()
            ),
            None => format!("reading the body failed: {e}"),
        })?;
        if n == 0 {
            break;
        }
        body.extend_from_slice(&chunk[..n]);
        if body.len() as u64 > options.max_bytes {
            return Err(format!(
                "the body is over the {} byte cap",
                options.max_bytes
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
        return Err(format!(
            "the body was cut short: {} of {n} bytes",
            body.len()
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

/// The first link in `html` to `<downloads>/download/.../ServiceTags_<Cloud>_YYYYMMDD.json`
/// (case-insensitive).
fn find_link(html: &str, downloads: &str, cloud: Cloud) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let needle = format!(
        "{}/download/",
        downloads.trim_end_matches('/').to_ascii_lowercase()
    );
    let prefix = cloud.file_name_prefix().to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle) {
        let start = from + i;
        let end = lower[start..]
            .find(['"', '\'', '<', '>', ' ', '\t', '\r', '\n', ')'])
            .map_or(lower.len(), |j| start + j);
        let candidate = &lower[start..end];
        let name = candidate.rsplit('/').next().unwrap_or("");
        let ok = name
            .strip_prefix(&prefix)
            .and_then(|rest| rest.strip_suffix(".json"))
            .is_some_and(|d| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()));
        if ok {
            return html.get(start..end).map(str::to_string);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{allowed_url, find_link, join_url};
    use crate::datafile::Cloud;

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
    fn links_to_the_cloud_file_are_found() {
        let html = r#"<a href="https://download.microsoft.com/download/7/1/d/x/ServiceTags_Public_20251110.json">"#;
        let base = "https://download.microsoft.com";
        assert!(
            find_link(html, base, Cloud::Public)
                .unwrap()
                .ends_with("20251110.json")
        );
        assert!(find_link(html, base, Cloud::China).is_none());
        assert!(find_link("<a href=\"x\">", base, Cloud::Public).is_none());
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
