//! The file's link on Microsoft's download pages: first the page's
//! `window.__DLCDetails__ = {…}` object read as JSON (so an escaped URL such as
//! `https:\/\/download.microsoft.com\/…` is read as it is meant), then a literal
//! search of the HTML, which found the link before the pages carried that object.

use serde_json::Value;

use crate::datafile::Cloud;

/// How a link was found on a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Found {
    /// In the `downloadFile` list of the page's `__DLCDetails__` object.
    DetailsObject,
    /// As literal text in the HTML.
    Literal,
}

/// The link to the cloud's file on `html`, and how it was found: a link under
/// `<downloads>/download/` whose file name is `ServiceTags_<Cloud>_YYYYMMDD.json` (any
/// case).
pub(super) fn find_link(html: &str, downloads: &str, cloud: Cloud) -> Option<(String, Found)> {
    if let Some(url) = details_object_link(html, downloads, cloud) {
        return Some((url, Found::DetailsObject));
    }
    literal_link(html, downloads, cloud).map(|url| (url, Found::Literal))
}

/// The marker of the object that Microsoft's download pages describe the download with.
const DETAILS_MARKER: &str = "__DLCDetails__";

/// The first `downloadFile[].url` of the page's `__DLCDetails__` object that is the
/// cloud's file.
fn details_object_link(html: &str, downloads: &str, cloud: Cloud) -> Option<String> {
    let after = &html[html.find(DETAILS_MARKER)? + DETAILS_MARKER.len()..];
    let object = after.trim_start().strip_prefix('=')?.trim_start();
    // One JSON value, whatever follows it (`;</script>`).
    let details = serde_json::Deserializer::from_str(object)
        .into_iter::<Value>()
        .next()?
        .ok()?;
    let mut urls = Vec::new();
    download_file_urls(&details, &mut urls);
    urls.into_iter()
        .find(|url| is_cloud_file(url, downloads, cloud))
        .map(str::to_string)
}

/// Every `url` of every `downloadFile` list in `value`, wherever it sits.
fn download_file_urls<'v>(value: &'v Value, urls: &mut Vec<&'v str>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "downloadFile" {
                    let files = v.as_array().map(Vec::as_slice).unwrap_or_default();
                    urls.extend(files.iter().filter_map(|f| f.get("url")?.as_str()));
                } else {
                    download_file_urls(v, urls);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| download_file_urls(v, urls)),
        _ => {}
    }
}

/// Whether `url` is under `<downloads>/download/` and names a file of the cloud.
fn is_cloud_file(url: &str, downloads: &str, cloud: Cloud) -> bool {
    let lower = url.to_ascii_lowercase();
    let base = format!(
        "{}/download/",
        downloads.trim_end_matches('/').to_ascii_lowercase()
    );
    lower.starts_with(&base) && is_cloud_file_name(lower.rsplit('/').next().unwrap_or(""), cloud)
}

/// Whether `name` (lower case) is `servicetags_<cloud>_YYYYMMDD.json`.
fn is_cloud_file_name(name: &str, cloud: Cloud) -> bool {
    let prefix = cloud.file_name_prefix().to_ascii_lowercase();
    name.strip_prefix(&prefix)
        .and_then(|rest| rest.strip_suffix(".json"))
        .is_some_and(|d| d.len() == 8 && d.bytes().all(|b| b.is_ascii_digit()))
}

/// The first link to the cloud's file written out in `html`.
fn literal_link(html: &str, downloads: &str, cloud: Cloud) -> Option<String> {
    let lower = html.to_ascii_lowercase();
    let needle = format!(
        "{}/download/",
        downloads.trim_end_matches('/').to_ascii_lowercase()
    );
    let mut from = 0;
    while let Some(i) = lower[from..].find(&needle) {
        let start = from + i;
        let end = lower[start..]
            .find(['"', '\'', '<', '>', ' ', '\t', '\r', '\n', ')', '\\'])
            .map_or(lower.len(), |j| start + j);
        if is_cloud_file_name(lower[start..end].rsplit('/').next().unwrap_or(""), cloud) {
            return html.get(start..end).map(str::to_string);
        }
        from = end;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::{Found, find_link};
    use crate::datafile::Cloud;

    const BASE: &str = "https://download.microsoft.com";

    #[test]
    fn links_are_found_in_the_details_object_first_then_in_the_html() {
        let page = r#"<a href="https://download.microsoft.com/download/7/1/d/x/ServiceTags_Public_20251110.json">"#;
        let (url, how) = find_link(page, BASE, Cloud::Public).unwrap();
        assert!(url.ends_with("20251110.json") && how == Found::Literal);
        assert!(find_link(page, BASE, Cloud::China).is_none());
        assert!(find_link("<a href=\"x\">", BASE, Cloud::Public).is_none());
        // Escaped slashes inside the object: read as JSON, the URL is whole.
        let page = r#"<script>window.__DLCDetails__={"dlcDetailsView":{"downloadFile":[
            {"name":"ServiceTags_Public_20990105.json","url":"https:\/\/download.microsoft.com\/download\/7\/1\/d\/x\/ServiceTags_Public_20990105.json"}]}};</script>"#;
        let (url, how) = find_link(page, BASE, Cloud::Public).unwrap();
        assert_eq!(
            (url.as_str(), how),
            (
                "https://download.microsoft.com/download/7/1/d/x/ServiceTags_Public_20990105.json",
                Found::DetailsObject
            )
        );
        // A link to another host, in the object or the HTML, is not taken.
        let elsewhere = page.replace("download.microsoft.com", "example.com");
        assert!(find_link(&elsewhere, BASE, Cloud::Public).is_none());
        // A broken object falls back to the HTML.
        let broken = r#"window.__DLCDetails__={"downloadFile": [ <a href="https://download.microsoft.com/download/a/ServiceTags_Public_20990105.json">"#;
        assert_eq!(
            find_link(broken, BASE, Cloud::Public).unwrap().1,
            Found::Literal
        );
    }
}
