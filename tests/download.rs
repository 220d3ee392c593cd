//! Downloads against a server this test starts on 127.0.0.1 (no internet): each way of
//! finding the file, and every faulty response, with `data/` hashed before and after
//! each failure to prove it is left byte-for-byte unchanged.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use azure_service_tags::official::export_official;
use azure_service_tags::public;
use azure_service_tags::refresh::RefreshError;
use azure_service_tags::refresh::download::{
    DATED_GUESS_DAYS, DownloadOptions, Endpoints, download,
};

mod common;
use azure_service_tags::{Cloud, Date};
use common::{edited_public, hash_tree, pinned_change_number, seeded};

/// What the server answers for a path.
#[derive(Clone)]
enum Reply {
    Ok(&'static str, Vec<u8>),
    Status(u16),
    /// Claims `claimed` bytes, sends the body, closes.
    Truncated(Vec<u8>, usize),
    /// Reads the request, then says nothing for this long.
    Stall(Duration),
    Redirect(String),
    /// Each request answered by the next reply, the last one again and again.
    Sequence(Vec<Reply>),
}

struct Server {
    base: String,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    hits: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Serves at most 400 connections, each bounded in time, then stops.
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let hits: Arc<Mutex<Vec<String>>> = Arc::default();
        let (r, h) = (routes.clone(), hits.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().take(400) {
                let Ok(stream) = stream else { continue };
                let (r, h) = (r.clone(), h.clone());
                std::thread::spawn(move || serve(stream, &r, &h));
            }
        });
        Server { base, routes, hits }
    }

    fn set(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }

    fn clear(&self) {
        self.routes.lock().unwrap().clear();
        self.hits.lock().unwrap().clear();
    }
}

fn serve(mut stream: TcpStream, routes: &Mutex<HashMap<String, Reply>>, hits: &Mutex<Vec<String>>) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request = String::new();
    if reader.read_line(&mut request).is_err() {
        return;
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request.split(' ').nth(1).unwrap_or("/").to_string();
    hits.lock().unwrap().push(path.clone());
    let reply = {
        let mut routes = routes.lock().unwrap();
        match routes.get_mut(&path) {
            Some(Reply::Sequence(replies)) if replies.len() > 1 => replies.remove(0),
            Some(Reply::Sequence(replies)) => replies[0].clone(),
            Some(reply) => reply.clone(),
            None => Reply::Status(404),
        }
    };
    let head = |status: u16, len: usize, extra: &str| {
        format!("HTTP/1.1 {status} X\r\nContent-Length: {len}\r\nConnection: close\r\n{extra}\r\n")
    };
    let _ = match reply {
        Reply::Ok(ctype, body) => stream
            .write_all(head(200, body.len(), &format!("Content-Type: {ctype}\r\n")).as_bytes())
            .and_then(|_| stream.write_all(&body)),
        Reply::Status(code) => stream.write_all(head(code, 0, "").as_bytes()),
        Reply::Truncated(body, claimed) => stream
            .write_all(head(200, claimed, "").as_bytes())
            .and_then(|_| stream.write_all(&body)),
        Reply::Stall(d) => {
            std::thread::sleep(d);
            Ok(())
        }
        Reply::Redirect(to) => {
            stream.write_all(head(302, 0, &format!("Location: {to}\r\n")).as_bytes())
        }
        Reply::Sequence(_) => unreachable!("a sequence is answered by its replies"),
    };
}

const DETAILS: &str = "/en-us/download/details.aspx?id=56519";
const CONFIRMATION: &str = "/en-us/download/confirmation.aspx?id=56519";
const FIXED: &str = "/download/7/1/D/71D86715-5596-4529-9B13-DA13A5DE5B63";

/// The pinned Public snapshot, as an official file with a higher changeNumber.
fn newer_file() -> Vec<u8> {
    edited_public(pinned_change_number() + 1, |_| {}).into_bytes()
}

fn refresh(server: &Server, data: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "--cloud",
        "public",
        "--data",
        data.to_str().unwrap(),
        "download",
        "--pages-base",
        &server.base,
        "--downloads-base",
        &server.base,
        "--timeout",
        "1",
        "--retries",
        "0",
    ];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_refresh-service-tags"))
        .args(&args)
        .output()
        .unwrap()
}

fn options(server: &Server, today: i64) -> DownloadOptions {
    DownloadOptions {
        endpoints: Endpoints {
            pages: server.base.clone(),
            downloads: server.base.clone(),
        },
        timeout: Duration::from_secs(1),
        today: Date::from_days_since_epoch(today),
        progress: false,
        retries: 0,
        ..DownloadOptions::default()
    }
}

#[test]
fn the_details_page_link_is_followed() {
    let server = Server::start();
    let (_dir, data) = seeded();
    // Paths are seen in upper and lower case.
    let link = format!(
        "{}/download/7/1/d/71d86715/ServiceTags_Public_20251104.json",
        server.base
    );
    server.set(
        DETAILS,
        Reply::Ok(
            "text/html",
            format!("<html><a href=\"{link}\">Download</a></html>").into_bytes(),
        ),
    );
    server.set(
        "/download/7/1/d/71d86715/ServiceTags_Public_20251104.json",
        Reply::Ok("application/json", newer_file()),
    );
    let o = refresh(&server, &data, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("via the details page (link in the HTML)"),
        "{err}"
    );
    let out = String::from_utf8_lossy(&o.stdout);
    let (old, new) = (pinned_change_number(), pinned_change_number() + 1);
    assert!(
        out.contains(&format!("changeNumber {old} -> {new}")),
        "{out}"
    );
    let tags = std::fs::read_to_string(data.join("public/service-tags.txt")).unwrap();
    assert!(
        tags.contains("source ServiceTags_Public_20251104.json\n")
            && tags.contains("published 2025-11-04")
    );
}

#[test]
fn the_confirmation_page_is_the_second_way() {
    let server = Server::start();
    let (_dir, data) = seeded();
    server.set(DETAILS, Reply::Status(500));
    let link = format!("{}{FIXED}/ServiceTags_Public_20251104.json", server.base);
    server.set(
        CONFIRMATION,
        Reply::Ok(
            "text/html",
            format!("<meta http-equiv=\"refresh\" content=\"0;url={link}\">").into_bytes(),
        ),
    );
    server.set(
        &format!("{FIXED}/ServiceTags_Public_20251104.json"),
        Reply::Ok("application/json", newer_file()),
    );
    let o = refresh(&server, &data, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("via the confirmation page (link in the HTML)") && err.contains("HTTP 500"),
        "{err}"
    );
}

#[test]
fn dated_guesses_are_the_third_way() {
    let server = Server::start();
    server.set(
        DETAILS,
        Reply::Ok("text/html", b"<html>redesigned, no links</html>".to_vec()),
    );
    server.set(CONFIRMATION, Reply::Status(404));
    // 2025-11-04 is day 20,396; "today" is 2025-11-10, six days later.
    server.set(
        &format!("{FIXED}/ServiceTags_Public_20251104.json"),
        Reply::Ok("application/json", newer_file()),
    );
    let got = download(Cloud::Public, &options(&server, 20_402)).unwrap();
    assert_eq!(got.method, "dated guess (upper-case path)");
    assert_eq!(got.file_name, "ServiceTags_Public_20251104.json");
    assert!(got.failed.iter().any(|f| f.contains("no link")));
    let hits = server.hits.lock().unwrap().clone();
    assert!(
        hits.iter()
            .any(|h| h.ends_with("ServiceTags_Public_20251110.json")),
        "newest guess first"
    );
    // More than DATED_GUESS_DAYS back is not tried.
    server.clear();
    server.set(
        &format!("{FIXED}/ServiceTags_Public_20251104.json"),
        Reply::Ok("application/json", newer_file()),
    );
    let err = download(Cloud::Public, &options(&server, 20_396 + DATED_GUESS_DAYS)).unwrap_err();
    let shown = err.to_string();
    assert!(
        shown.contains("details page")
            && shown.contains("confirmation page")
            && shown.contains("dated guesses"),
        "{shown}"
    );
    // The two pages, then each day in both paths.
    let hits = server.hits.lock().unwrap().len();
    assert_eq!(hits as i64, 2 + 2 * DATED_GUESS_DAYS);
}

/// Today's links write the fixed path in lower case: a file 40 days back is found there.
#[test]
fn a_dated_guess_40_days_back_in_the_lower_case_path() {
    let server = Server::start();
    let lower = FIXED.to_ascii_lowercase();
    // 2025-11-04 is day 20,396.
    server.set(
        &format!("{lower}/ServiceTags_Public_20251104.json"),
        Reply::Ok("application/json", newer_file()),
    );
    let got = download(Cloud::Public, &options(&server, 20_396 + 40)).unwrap();
    assert_eq!(got.method, "dated guess (lower-case path)");
    assert!(got.url.contains(&lower), "{}", got.url);
    assert!(
        got.failed
            .last()
            .unwrap()
            .contains("80 newer guesses missed"),
        "{:?}",
        got.failed
    );
}

/// A details page in today's shape: the link sits in the `window.__DLCDetails__` object.
fn details_page(url: &str) -> Vec<u8> {
    format!(
        "<html><head><script>window.__DLCDetails__={{\"dlcDetailsView\":{{\"downloadTitle\":\
         \"Azure IP Ranges and Service Tags – Public Cloud\",\"downloadFile\":[{{\"name\":\
         \"ServiceTags_Public_20251104.json\",\"url\":\"{url}\",\"size\":\"4.1 MB\"}}]}}}};\
         </script></head><body><div id=\"root\"></div></body></html>"
    )
    .into_bytes()
}

#[test]
fn the_details_object_is_read_as_json_escaped_urls_included() {
    let server = Server::start();
    let path =
        "/download/7/1/d/71d86715-5596-4529-9b13-da13a5de5b63/ServiceTags_Public_20251104.json";
    server.set(path, Reply::Ok("application/json", newer_file()));
    let url = format!("{}{path}", server.base);
    for (shape, written) in [
        ("plain", url.clone()),
        ("escaped slashes", url.replace('/', "\\/")),
        ("escaped as \\u002f", url.replace('/', "\\u002f")),
    ] {
        server.set(DETAILS, Reply::Ok("text/html", details_page(&written)));
        let got = download(Cloud::Public, &options(&server, 20_402)).unwrap();
        assert_eq!(
            got.method, "details page (__DLCDetails__ object)",
            "{shape}"
        );
        assert_eq!(got.url, url, "{shape}");
    }
}

#[test]
fn a_page_with_no_link_fails_with_what_each_way_got() {
    let server = Server::start();
    let page = b"<html><script>window.__DLCDetails__={\"dlcDetailsView\":{\"downloadFile\":[]}};</script></html>";
    server.set(DETAILS, Reply::Ok("text/html", page.to_vec()));
    server.set(
        CONFIRMATION,
        Reply::Ok("text/html", b"<html>gone</html>".to_vec()),
    );
    let err = download(Cloud::Public, &options(&server, 20_402))
        .unwrap_err()
        .to_string();
    for way in ["details page", "confirmation page"] {
        assert!(
            err.contains(&format!("{way} {}", server.base)) && err.contains("no link"),
            "{way}: {err}"
        );
    }
    assert!(
        err.contains(&format!("{} x HTTP 404", 2 * DATED_GUESS_DAYS)),
        "{err}"
    );
}

/// A failure that may pass (a 5xx, a dropped connection) is tried again, with backoff;
/// a 404 is not.
#[test]
fn transient_failures_are_retried() {
    let server = Server::start();
    let path = "/f/ServiceTags_Public_20251104.json";
    let url = format!("{}{path}", server.base);
    let mut o = options(&server, 20_402);
    o.retries = 2;
    o.retry_delay = Duration::from_millis(10);
    server.set(
        path,
        Reply::Sequence(vec![
            Reply::Status(503),
            Reply::Stall(Duration::from_secs(2)),
            Reply::Ok("application/json", newer_file()),
        ]),
    );
    let got = azure_service_tags::refresh::download::download_url(&url, Cloud::Public, &o).unwrap();
    assert_eq!(got.bytes, newer_file());
    assert_eq!(server.hits.lock().unwrap().len(), 3, "two retries");
    server.clear();
    server.set(path, Reply::Status(503));
    let err =
        azure_service_tags::refresh::download::download_url(&url, Cloud::Public, &o).unwrap_err();
    assert!(
        err.to_string().contains("HTTP 503 (tried 3 times)"),
        "{err}"
    );
    server.clear();
    server.set(path, Reply::Status(404));
    let err =
        azure_service_tags::refresh::download::download_url(&url, Cloud::Public, &o).unwrap_err();
    assert!(
        err.to_string().contains("HTTP 404") && !err.to_string().contains("tried"),
        "{err}"
    );
    assert_eq!(server.hits.lock().unwrap().len(), 1, "a 404 is not retried");
}

#[test]
fn every_failure_leaves_data_unchanged() {
    let server = Server::start();
    let (_dir, data) = seeded();
    let before = hash_tree(&data);
    let file = "/f/ServiceTags_Public_20251104.json";
    let url = format!("{}{file}", server.base);
    let mut big = newer_file();
    big.extend(std::iter::repeat_n(b' ', 10));
    let wrong_cloud =
        export_official(public()).replacen("\"cloud\": \"Public\"", "\"cloud\": \"China\"", 1);
    let shrunk = {
        let mut v: serde_json::Value = serde_json::from_slice(&newer_file()).unwrap();
        v["values"].as_array_mut().unwrap().truncate(100);
        v.to_string()
    };
    let cases: Vec<(&str, Reply, Vec<&str>, &str)> = vec![
        (
            "truncated",
            Reply::Truncated(newer_file()[..1000].to_vec(), 5000),
            vec![],
            "cut short",
        ),
        (
            "html",
            Reply::Ok(
                "text/html",
                b"<!DOCTYPE html><html>Please wait</html>".to_vec(),
            ),
            vec![],
            "not JSON",
        ),
        ("404", Reply::Status(404), vec![], "HTTP 404"),
        ("500", Reply::Status(500), vec![], "HTTP 500"),
        (
            "stalled",
            Reply::Stall(Duration::from_secs(3)),
            vec![],
            "request failed",
        ),
        (
            "oversize",
            Reply::Ok("application/json", big),
            vec!["--max-bytes", "5000"],
            "cap",
        ),
        (
            "redirect loop",
            Reply::Redirect(file.to_string()),
            vec![],
            "more than 5 redirects",
        ),
        (
            "redirect off loopback",
            Reply::Redirect("http://example.com/x.json".into()),
            vec![],
            "only HTTPS",
        ),
        (
            "wrong cloud",
            Reply::Ok("application/json", wrong_cloud.into_bytes()),
            vec![],
            "\"China\"",
        ),
        (
            "downgrade",
            Reply::Ok(
                "application/json",
                edited_public(pinned_change_number() - 1, |_| {}).into_bytes(),
            ),
            vec![],
            "lower than the pinned",
        ),
        (
            "shrink",
            Reply::Ok("application/json", shrunk.into_bytes()),
            vec![],
            "--force",
        ),
    ];
    for (what, reply, extra, expected) in cases {
        server.set(file, reply);
        let mut args = vec!["--url", url.as_str()];
        args.extend(extra);
        let o = refresh(&server, &data, &args);
        assert_eq!(o.status.code(), Some(2), "{what}");
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(expected), "{what}: {err}");
        assert_eq!(hash_tree(&data), before, "{what} changed data/");
    }
    // Every way failing at once: a loud error naming each attempt.
    server.clear();
    server.set(DETAILS, Reply::Status(503));
    let o = refresh(&server, &data, &[]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("HTTP 503")
            && err.contains("confirmation page")
            && err.contains("dated guesses"),
        "{err}"
    );
    assert_eq!(hash_tree(&data), before);
    // Plain HTTP to a real host is refused before anything is sent.
    let o = refresh(
        &server,
        &data,
        &["--url", "http://download.microsoft.com/x.json"],
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("only HTTPS"));
}

#[test]
fn a_link_that_fails_falls_through_to_the_next_way() {
    let server = Server::start();
    let link = format!(
        "{}/download/x/ServiceTags_Public_20251104.json",
        server.base
    );
    server.set(
        DETAILS,
        Reply::Ok("text/html", format!("<a href='{link}'>").into_bytes()),
    );
    server.set(
        "/download/x/ServiceTags_Public_20251104.json",
        Reply::Status(500),
    );
    server.set(
        &format!("{FIXED}/ServiceTags_Public_20990105.json"),
        Reply::Ok("application/json", newer_file()),
    );
    // "Today" is 2099-01-06 (day 47,122): the guess for the day before answers.
    let got = download(Cloud::Public, &options(&server, 47_122)).unwrap();
    assert_eq!(got.method, "dated guess (upper-case path)");
    assert!(got.failed[0].contains("HTTP 500"), "{:?}", got.failed);
    match download(Cloud::China, &options(&server, 47_122)) {
        Err(RefreshError::Download { attempts }) => assert_eq!(attempts.len(), 3),
        other => panic!("{other:?}"),
    }
}
