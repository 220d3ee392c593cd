//! The data release: every cloud's new file is checked against its pinned snapshot in
//! a scratch copy first, so that one refused file changes nothing at all; then the
//! snapshots are refreshed, and only when one changed the version, the CHANGELOG, the
//! golden renderings, the docs and the tests follow.

use std::path::Path;

use azure_service_tags::__private::datafile::{REGIONS_FILE, SERVICE_TAGS_FILE};
use azure_service_tags::refresh::{
    refresh_from_bytes, RefreshError, RefreshOptions, RefreshSummary,
};
use azure_service_tags::{Cloud, Date};

use crate::changelog::{self, CloudChange};
use crate::files::{self, root};
use crate::sources::{self, Official};
use crate::{docs, version, ReleaseArgs};

/// Tags a release refuses to drop unless forced (as the refresh tool does).
const PROTECTED: &str = "AzureMachineLearning";

/// What a release did.
pub(crate) enum Outcome {
    /// `data/` already held the files' snapshots: nothing was written.
    Nothing,
    /// A release of this version.
    Released { version: String },
}

/// Runs a release as `args` asks.
pub(crate) fn run(args: &ReleaseArgs) -> Result<Outcome, String> {
    let root = root();
    let data = root.join("data");
    let clouds = clouds(&args.clouds)?;
    let files = clouds
        .iter()
        .map(|&cloud| Ok((cloud, fetch(args, cloud)?)))
        .collect::<Result<Vec<_>, String>>()?;
    let options = RefreshOptions {
        allow_downgrade: args.allow_downgrade,
        force: args.force,
        protected: vec![PROTECTED.to_string()],
        ..RefreshOptions::default()
    };
    check_all(&data, &files, &options)?;
    let mut changes = Vec::new();
    for (cloud, file) in &files {
        let summary = refresh_from_bytes(*cloud, &file.bytes, &file.name, &data, &options)
            .map_err(|e| e.to_string())?;
        say(*cloud, file, &summary);
        if let Some(report) = summary.report.filter(|_| !summary.unchanged) {
            changes.push(CloudChange {
                cloud: *cloud,
                report,
            });
        }
    }
    if changes.is_empty() {
        docs::run(false)?;
        println!("nothing to release: data/ already holds these snapshots");
        return Ok(Outcome::Nothing);
    }
    let (version, entry) = bump_and_log(&root, &changes)?;
    // The fuzz targets' own lock file names the crate's version too.
    files::cargo(
        &[
            "update",
            "--quiet",
            "-p",
            "azure-service-tags",
            "--manifest-path",
            "fuzz/Cargo.toml",
        ],
        &[],
    )?;
    if let Some(notes) = &args.notes {
        let body = changelog::pull_request_body(&entry, &changes);
        files::make_parent(notes)?;
        files::replace(&[(notes.clone(), body)])?;
    }
    files::cargo(
        &["test", "--all-features", "--test", "route"],
        &[("UPDATE_GOLDEN", "1")],
    )?;
    docs::run(false)?;
    if !args.no_test {
        files::cargo(&["test", "--all-features"], &[])?;
    }
    print!("{entry}");
    Ok(Outcome::Released { version })
}

/// The clouds named (all three when none is).
fn clouds(names: &[String]) -> Result<Vec<Cloud>, String> {
    if names.is_empty() {
        return Ok(Cloud::ALL.to_vec());
    }
    names
        .iter()
        .map(|n| n.parse::<Cloud>().map_err(|e| e.to_string()))
        .collect()
}

/// The new official file of `cloud`.
fn fetch(args: &ReleaseArgs, cloud: Cloud) -> Result<Official, String> {
    match &args.from {
        Some(dir) => sources::newest_in(dir, cloud),
        None => sources::downloaded(cloud, args.mirror.as_deref()),
    }
}

/// Refreshes a scratch copy of `data/` with every file, so that a file the guards
/// refuse is found before anything is written.
fn check_all(
    data: &Path,
    files: &[(Cloud, Official)],
    options: &RefreshOptions,
) -> Result<(), String> {
    let scratch = std::env::temp_dir().join(format!("xtask-release-{}", std::process::id()));
    let result = (|| {
        for (cloud, file) in files {
            let dir = cloud.short_name();
            std::fs::create_dir_all(scratch.join(dir)).map_err(|e| e.to_string())?;
            for name in [SERVICE_TAGS_FILE, REGIONS_FILE] {
                let from = data.join(dir).join(name);
                if from.exists() {
                    std::fs::copy(&from, scratch.join(dir).join(name))
                        .map_err(|e| format!("{}: {e}", from.display()))?;
                }
            }
            refresh_from_bytes(*cloud, &file.bytes, &file.name, &scratch, options).map_err(
                |e| {
                    format!(
                    "{e}{}\nnothing was changed: data/, the docs, CHANGELOG.md and the version \
                     are as they were",
                    advice(&e)
                )
                },
            )?;
        }
        Ok(())
    })();
    let _ = std::fs::remove_dir_all(&scratch);
    result
}

/// The option that would get past a refusal, if one would.
fn advice(e: &RefreshError) -> &'static str {
    match e {
        RefreshError::Downgrade { .. } => " (pass --allow-downgrade to release it anyway)",
        RefreshError::Shrink { .. } | RefreshError::DropsTags { .. } => {
            " (pass --force to release it anyway)"
        }
        _ => "",
    }
}

/// One line on what the refresh of `cloud` did.
fn say(cloud: Cloud, file: &Official, s: &RefreshSummary) {
    let before = s
        .previous_change_number
        .map_or("none".to_string(), |n| n.to_string());
    let what = if s.unchanged {
        "unchanged"
    } else {
        "refreshed"
    };
    println!(
        "{}: {what} from {} (changeNumber {before} -> {}; {} tags, {} IPv4 + {} IPv6 prefixes)",
        cloud.short_name(),
        file.name,
        s.change_number,
        s.tags,
        s.ipv4,
        s.ipv6
    );
}

/// Bumps the shared patch version and writes the CHANGELOG entry; returns the new
/// version and the entry.
fn bump_and_log(root: &Path, changes: &[CloudChange]) -> Result<(String, String), String> {
    let manifest_path = root.join("Cargo.toml");
    let (new_version, manifest) =
        version::bump_patch(&files::read(&manifest_path)?, &manifest_path)?;
    let changelog_path = root.join("CHANGELOG.md");
    let old_log = match std::fs::read_to_string(&changelog_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => changelog::HEADING.to_string(),
        Err(e) => return Err(format!("{}: {e}", changelog_path.display())),
    };
    let entry = changelog::entry(&new_version, &Date::today().to_string(), changes);
    files::replace(&[
        (manifest_path, manifest),
        (changelog_path, changelog::prepend(&old_log, &entry)),
    ])?;
    println!("version {new_version}; CHANGELOG.md entry written");
    Ok((new_version, entry))
}
