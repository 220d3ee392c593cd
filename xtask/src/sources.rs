//! Where a release's official files come from: the newest file of each cloud in a
//! directory, or Microsoft's current one.

use std::path::Path;

use azure_service_tags::refresh::download::{download, DownloadOptions, Endpoints};
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

/// `cloud`'s current file from Microsoft (or from `mirror`, a server laid out as
/// Microsoft's pages and downloads are), found as the refresh tool finds it.
pub(crate) fn downloaded(cloud: Cloud, mirror: Option<&str>) -> Result<Official, String> {
    let mut options = DownloadOptions {
        progress: false,
        ..DownloadOptions::default()
    };
    if let Some(base) = mirror {
        let base = base.trim_end_matches('/').to_string();
        options.endpoints = Endpoints {
            pages: base.clone(),
            downloads: base,
        };
    }
    let got = download(cloud, &options).map_err(|e| e.to_string())?;
    eprintln!("downloaded {} via the {}", got.url, got.method);
    Ok(Official {
        name: got.file_name,
        bytes: got.bytes,
    })
}

#[cfg(test)]
mod tests {
    use super::newest_in;
    use azure_service_tags::Cloud;

    #[test]
    fn the_newest_file_of_the_cloud_is_taken_by_the_date_in_its_name() {
        let dir = std::env::temp_dir().join(format!("xtask-sources-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for name in [
            "ServiceTags_Public_20251028.json",
            "ServiceTags_Public_20251103.json",
            "ServiceTags_Public_2025110.json",
            "ServiceTags_Public_20251104.json.part",
            "ServiceTags_China_20261005.json",
        ] {
            std::fs::write(dir.join(name), name).unwrap();
        }
        let public = newest_in(&dir, Cloud::Public).unwrap();
        assert_eq!(public.name, "ServiceTags_Public_20251103.json");
        assert_eq!(public.bytes, b"ServiceTags_Public_20251103.json");
        assert_eq!(
            newest_in(&dir, Cloud::China).unwrap().name,
            "ServiceTags_China_20261005.json"
        );
        let err = newest_in(&dir, Cloud::AzureGovernment).err().unwrap();
        assert!(
            err.contains("no ServiceTags_AzureGovernment_YYYYMMDD.json here"),
            "{err}"
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
