//! Fetching the current official file from Microsoft (feature `refresh`).
//!
//! Microsoft offers no stable URL for the weekly file, and page redesigns have broken
//! scrapers before, so [`download`] tries several ways in order and says which worked:
//! the download's details page, then the older confirmation page (on each, the link in
//! the page's `__DLCDetails__` object, read as JSON, else written in the HTML:
//! `pages.rs`), then dated guesses for the last [`DATED_GUESS_DAYS`] days under the
//! cloud's fixed path, as today's links write it (lower case) and as it was first
//! published (upper case). Every request is bounded and retried when the failure may
//! pass (`http.rs`).

use std::io::IsTerminal;
use std::time::Duration;

use super::RefreshError;
use crate::datafile::{Cloud, Date};
use crate::official::parse_official;

mod http;
mod pages;

use http::{Client, Failed, FailureKind};
use pages::{Found, find_link};

/// How many days back the dated guesses go: more than the longest gap seen between two
/// files (23 days for Public, 46 for US Government and China).
pub const DATED_GUESS_DAYS: i64 = 49;

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
    /// How many more times a request is tried when its failure may pass (a time-out, a
    /// broken connection, a 5xx answer, a refused certificate).
    pub retries: u32,
    /// The wait before the first retry; each next one waits twice as long.
    pub retry_delay: Duration,
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
            retries: 2,
            retry_delay: Duration::from_secs(2),
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
    /// The way that worked: `details page` or `confirmation page` (each `(__DLCDetails__
    /// object)` or `(link in the HTML)`), `dated guess (lower-case path)` or `(upper-case
    /// path)`, or `url`.
    pub method: &'static str,
    /// The file's bytes (already checked to be service tags of the cloud).
    pub bytes: Vec<u8>,
    /// What each failed way got, before the one that worked.
    pub failed: Vec<String>,
}

/// Finds the current file of `cloud`: the details page, the confirmation page, then
/// dated guesses for the last [`DATED_GUESS_DAYS`] days. Fails, listing what every way
/// got, if none yields a file that parses as service tags of `cloud`.
///
/// ```
/// use azure_service_tags::refresh::download::{download, DownloadOptions, Endpoints};
/// use azure_service_tags::Cloud;
/// // Against an unreachable mirror every way fails, and the error lists each.
/// let options = DownloadOptions {
///     endpoints: Endpoints { pages: "http://127.0.0.1:9".into(), downloads: "http://127.0.0.1:9".into() },
///     timeout: std::time::Duration::from_millis(200),
///     progress: false,
///     retries: 0,
///     ..DownloadOptions::default()
/// };
/// let err = download(Cloud::Public, &options).unwrap_err().to_string();
/// assert!(err.contains("details page") && err.contains("dated guesses"));
/// ```
pub fn download(cloud: Cloud, options: &DownloadOptions) -> Result<Downloaded, RefreshError> {
    let client = Client::new(options);
    let mut failed = Vec::new();
    for page in [Page::Details, Page::Confirmation] {
        match from_page(&client, page, cloud) {
            Ok((url, method, file_name, bytes)) => {
                return Ok(Downloaded {
                    url,
                    file_name,
                    method,
                    bytes,
                    failed,
                });
            }
            Err(why) => failed.push(why),
        }
    }
    match dated_guess(&client, cloud) {
        Ok((url, method, file_name, bytes, misses)) => {
            failed.push(format!("dated guesses: {misses} newer guesses missed"));
            Ok(Downloaded {
                url,
                file_name,
                method,
                bytes,
                failed,
            })
        }
        Err(why) => {
            failed.push(why);
            Err(RefreshError::Download { attempts: failed })
        }
    }
}

/// A page of Microsoft's download center that links to the current file.
#[derive(Debug, Clone, Copy)]
enum Page {
    Details,
    Confirmation,
}

impl Page {
    fn url(self, pages: &str, id: u32) -> String {
        let name = match self {
            Page::Details => "details",
            Page::Confirmation => "confirmation",
        };
        format!("{pages}/en-us/download/{name}.aspx?id={id}")
    }

    /// The way's name, with how the link was found.
    fn method(self, found: Found) -> &'static str {
        match (self, found) {
            (Page::Details, Found::DetailsObject) => "details page (__DLCDetails__ object)",
            (Page::Details, Found::Literal) => "details page (link in the HTML)",
            (Page::Confirmation, Found::DetailsObject) => {
                "confirmation page (__DLCDetails__ object)"
            }
            (Page::Confirmation, Found::Literal) => "confirmation page (link in the HTML)",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Page::Details => "details page",
            Page::Confirmation => "confirmation page",
        }
    }
}

/// What a way found: the file's URL, the way's name, the file's name and bytes.
type Got = (String, &'static str, String, Vec<u8>);

/// The file that `page` links to; the error says what the page gave.
fn from_page(client: &Client<'_>, page: Page, cloud: Cloud) -> Result<Got, String> {
    let e = &client.options().endpoints;
    let at = page.url(&e.pages, cloud.download_id());
    let name = page.name();
    let html = match client.get(&at) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(f) => return Err(format!("{name} {at}: {}", f.why)),
    };
    let Some((url, found)) = find_link(&html, &e.downloads, cloud) else {
        return Err(format!(
            "{name} {at}: no link to {}/download/.../{}YYYYMMDD.json, neither in a \
             __DLCDetails__ object nor in the HTML",
            e.downloads,
            cloud.file_name_prefix()
        ));
    };
    let (file_name, bytes) =
        fetch_file(client, &url, cloud).map_err(|f| format!("{name} link {url}: {}", f.why))?;
    Ok((url, page.method(found), file_name, bytes))
}

/// The newest file under the cloud's fixed path in the last [`DATED_GUESS_DAYS`] days,
/// each day in the lower-case path, then the upper-case one; with how many guesses
/// missed before it. Stops early when the host does not answer at all.
fn dated_guess(
    client: &Client<'_>,
    cloud: Cloud,
) -> Result<(String, &'static str, String, Vec<u8>, usize), String> {
    let options = client.options();
    let today = options.today.unwrap_or_else(Date::today).days_since_epoch();
    let fixed = cloud.download_path();
    let paths = [
        (fixed.to_ascii_lowercase(), "dated guess (lower-case path)"),
        (fixed.to_string(), "dated guess (upper-case path)"),
    ];
    let mut misses = Vec::new();
    for back in 0..DATED_GUESS_DAYS {
        let Some(date) = Date::from_days_since_epoch(today - back) else {
            break;
        };
        let ymd = date.compact();
        for (path, method) in &paths {
            let url = format!(
                "{}/download/{path}/{}{ymd}.json",
                options.endpoints.downloads,
                cloud.file_name_prefix()
            );
            match fetch_file(client, &url, cloud) {
                Ok((file_name, bytes)) => return Ok((url, method, file_name, bytes, misses.len())),
                Err(f) if f.kind == FailureKind::Transport => {
                    misses.push(format!("{ymd}: {}", f.why));
                    return Err(format!(
                        "dated guesses stopped after {} of {} (the host does not answer): {}",
                        misses.len(),
                        2 * DATED_GUESS_DAYS,
                        misses.join("; ")
                    ));
                }
                Err(f) => misses.push(format!("{ymd}: {}", f.why)),
            }
        }
    }
    Err(format!(
        "dated guesses for the last {DATED_GUESS_DAYS} days, in both paths: {}",
        summarize_misses(&misses)
    ))
}

/// Misses of the dated guesses, counted by reason (`98 x HTTP 404`).
fn summarize_misses(misses: &[String]) -> String {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for m in misses {
        let why = m.split_once(": ").map_or(m.as_str(), |(_, w)| w);
        match counts.iter_mut().find(|(w, _)| *w == why) {
            Some((_, n)) => *n += 1,
            None => counts.push((why, 1)),
        }
    }
    counts
        .iter()
        .map(|(why, n)| format!("{n} x {why}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Fetches an explicit URL and checks it is service tags of `cloud`.
///
/// ```
/// use azure_service_tags::refresh::download::{download_url, DownloadOptions};
/// use azure_service_tags::Cloud;
/// let options = DownloadOptions { progress: false, retries: 0, ..DownloadOptions::default() };
/// assert!(download_url("http://127.0.0.1:9/ServiceTags_Public_20250101.json", Cloud::Public, &options).is_err());
/// ```
pub fn download_url(
    url: &str,
    cloud: Cloud,
    options: &DownloadOptions,
) -> Result<Downloaded, RefreshError> {
    match fetch_file(&Client::new(options), url, cloud) {
        Ok((file_name, bytes)) => Ok(Downloaded {
            url: url.to_string(),
            file_name,
            method: "url",
            bytes,
            failed: Vec::new(),
        }),
        Err(f) => Err(RefreshError::Download {
            attempts: vec![format!("{url}: {}", f.why)],
        }),
    }
}

/// Fetches a file and checks it parses as service tags of `cloud`.
fn fetch_file(client: &Client<'_>, url: &str, cloud: Cloud) -> Result<(String, Vec<u8>), Failed> {
    let bytes = client.get(url)?;
    let file_name = url
        .rsplit('/')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("download.json")
        .to_string();
    let refused = |why: String| Failed {
        why,
        kind: FailureKind::Refused,
    };
    let parsed = parse_official(&bytes, &file_name).map_err(|e| refused(e.to_string()))?;
    if parsed.snapshot.header.cloud != cloud {
        return Err(refused(format!(
            "the file is for cloud {:?}, not {:?}",
            parsed.snapshot.header.cloud.as_str(),
            cloud.as_str()
        )));
    }
    Ok((file_name, bytes))
}
