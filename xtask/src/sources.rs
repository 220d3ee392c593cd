//! Where a release's official files come from: the newest file of each cloud in a
//! directory, or Microsoft's current one.

use std::path::Path;

use azure_service_tags::refresh::download::{download, DownloadOptions};
use azure_service_tags::Cloud;

/// An official file: its name and bytes.
pub(crate) struct Official {
    pub(crate) name: String,
    pub(crate) bytes: Vec<u8>,
}

/// The newest `ServiceTags_<Cloud>_YYYYMMDD.json` of `cloud` in `dir`, by the date in
/// its name.
pub(crate) fn newest_in(dir: &Path, cloud: Cloud) -> Result<Official, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let prefix = format!("ServiceTags_{}_", cloud.as_str());
    let name = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|name| {
            name.strip_prefix(&prefix)
                .and_then(|rest| rest.strip_suffix(".json"))
                .is_some_and(|date| date.len() == 8 && date.bytes().all(|b| b.is_ascii_digit()))
        })
        .max()
        .ok_or_else(|| format!("{}: no {prefix}YYYYMMDD.json here", dir.display()))?;
    let path = dir.join(&name);
    let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(Official { name, bytes })
}

/// `cloud`'s current file from Microsoft, found as the refresh tool finds it.
pub(crate) fn downloaded(cloud: Cloud) -> Result<Official, String> {
    let options = DownloadOptions {
        progress: false,
        ..DownloadOptions::default()
    };
    let got = download(cloud, &options).map_err(|e| e.to_string())?;
    eprintln!("downloaded {} via the {}", got.url, got.method);
    Ok(Official {
        name: got.file_name,
        bytes: got.bytes,
    })
}
