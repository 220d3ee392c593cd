//! `refresh-service-tags`: turns Microsoft's official service-tags file into the pinned snapshot in
//! `data/`, exports a snapshot back to official JSON, and verifies the two agree.
//!
//! ```text
//! refresh-service-tags --cloud public download
//! refresh-service-tags --cloud public download --url https://download.microsoft.com/.../ServiceTags_Public_YYYYMMDD.json
//! refresh-service-tags --cloud public from ServiceTags_Public_20251028.json \
//!                      [--locations locations-public.json] [--pairs region-pairs.csv]
//! refresh-service-tags --cloud public export OUT.json
//! refresh-service-tags --cloud public verify ServiceTags_Public_20251028.json
//! ```

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// No function over 80 lines (clippy.toml) outside tests.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::time::Duration;

use azure_service_tags::official::RegionSources;
use azure_service_tags::refresh::download::{DownloadOptions, Endpoints, download, download_url};
use azure_service_tags::refresh::{
    RefreshError, RefreshOptions, export_pinned, refresh_from_bytes, verify_pinned,
};
use azure_service_tags::{Cloud, FileError};
use clap::{Args, Parser, Subcommand, ValueEnum};

/// Refresh the pinned Azure service-tags snapshot in data/ from an official file.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Cli {
    /// The cloud: public, government or china.
    #[arg(long, global = true, value_parser = parse_cloud, default_value = "public")]
    cloud: Cloud,
    /// The data directory.
    #[arg(long, global = true, value_name = "DIR", default_value = "data")]
    data: PathBuf,
    #[command(subcommand)]
    action: Action,
}

/// What to do with the cloud's snapshot.
#[derive(Subcommand, Debug)]
enum Action {
    /// Read an official ServiceTags_CLOUD_YYYYMMDD.json (or `az network
    /// list-service-tags` output) and write the cloud's snapshot into the data directory.
    From {
        /// The official file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// Rebuild the region table from this `az account list-locations` output.
        #[arg(long, value_name = "FILE")]
        locations: Option<PathBuf>,
        /// Rebuild region pairs from this region-pairs.csv.
        #[arg(long, value_name = "FILE")]
        pairs: Option<PathBuf>,
        #[command(flatten)]
        guards: Guards,
    },
    /// Download the current official file from Microsoft (details page, then the
    /// confirmation page, then dated guesses for the last 21 days), or the file at
    /// `--url`, and write the cloud's snapshot as `from` does.
    Download {
        /// Download the official file from this URL (HTTPS) instead.
        #[arg(long, value_name = "URL")]
        url: Option<String>,
        #[command(flatten)]
        http: Http,
        #[command(flatten)]
        guards: Guards,
    },
    /// Write the pinned snapshot back as official-shaped JSON.
    Export {
        /// Where to write it.
        #[arg(value_name = "OUT.json")]
        out: PathBuf,
    },
    /// Check that the pinned snapshot is semantically identical to an official file.
    Verify {
        /// The official file.
        #[arg(value_name = "FILE")]
        file: PathBuf,
    },
}

/// The refresh guards, and how the change report is printed.
#[derive(Args, Debug)]
struct Guards {
    /// Accept a file that drops more than 10% of the prefixes or a protected tag.
    #[arg(long)]
    force: bool,
    /// Refuse a file that drops a tag whose name starts with this (repeatable).
    #[arg(long, value_name = "PREFIX", default_value = "AzureMachineLearning")]
    protect: Vec<String>,
    /// Accept a file older (lower changeNumber) than the pinned snapshot.
    #[arg(long)]
    allow_downgrade: bool,
    /// How to print the change report.
    #[arg(long, value_enum, default_value = "text")]
    format: ReportFormat,
}

/// How downloads are made.
#[derive(Args, Debug)]
struct Http {
    /// Base URL of the download pages (for mirrors and tests).
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://www.microsoft.com",
        hide = true
    )]
    pages_base: String,
    /// Base URL of the file downloads (for mirrors and tests).
    #[arg(
        long,
        value_name = "URL",
        default_value = "https://download.microsoft.com",
        hide = true
    )]
    downloads_base: String,
    /// Timeout of each HTTP request, in seconds.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    timeout: u64,
    /// The most bytes a download may have.
    #[arg(long, value_name = "BYTES", default_value_t = 64 << 20, hide = true)]
    max_bytes: u64,
    /// How many more times a request is tried after a time-out, a broken connection, a
    /// 5xx answer or a refused certificate (waiting 2 s, then twice as long each time).
    #[arg(long, value_name = "N", default_value_t = 2)]
    retries: u32,
}

/// How the change report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ReportFormat {
    /// Readable text.
    Text,
    /// JSON, alone on standard output.
    Json,
}

fn parse_cloud(s: &str) -> Result<Cloud, String> {
    s.parse::<Cloud>().map_err(|e| e.to_string())
}

fn read(path: &Path) -> Result<Vec<u8>, RefreshError> {
    std::fs::read(path)
        .map_err(FileError::of(path))
        .map_err(RefreshError::Io)
}

fn run(cli: Cli) -> Result<ExitCode, RefreshError> {
    let (cloud, data) = (cli.cloud, cli.data.as_path());
    match cli.action {
        Action::From {
            file,
            locations,
            pairs,
            guards,
        } => {
            let name = file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| file.display().to_string());
            let sources = region_sources(locations.as_deref(), pairs.as_deref())?;
            refresh(cloud, data, &read(&file)?, &name, sources, &guards)?;
        }
        Action::Download { url, http, guards } => {
            let (bytes, name) = fetch(cloud, url.as_deref(), &http)?;
            refresh(
                cloud,
                data,
                &bytes,
                &name,
                RegionSources::default(),
                &guards,
            )?;
        }
        Action::Export { out } => {
            let snap = export_pinned(data, cloud, &out)?;
            println!(
                "exported the {} snapshot ({}, changeNumber {}) to {}",
                cloud.short_name(),
                snap.source().file_name(),
                snap.change_number(),
                out.display()
            );
        }
        Action::Verify { file } => return verify(cloud, data, &file),
    }
    Ok(ExitCode::SUCCESS)
}

/// The region list and pairs to rebuild the region table from, when given.
fn region_sources(
    locations: Option<&Path>,
    pairs: Option<&Path>,
) -> Result<RegionSources, RefreshError> {
    let mut sources = RegionSources::default();
    if let Some(p) = locations {
        sources.locations = Some(read(p)?);
        sources.locations_name = p.display().to_string();
    }
    if let Some(p) = pairs {
        let bytes = read(p)?;
        sources.pairs = Some(String::from_utf8_lossy(&bytes).into_owned());
        sources.pairs_name = p.display().to_string();
    }
    Ok(sources)
}

/// The official file downloaded (from `url`, or found on Microsoft's pages), and its
/// name.
fn fetch(cloud: Cloud, url: Option<&str>, http: &Http) -> Result<(Vec<u8>, String), RefreshError> {
    let options = DownloadOptions {
        endpoints: Endpoints {
            pages: http.pages_base.trim_end_matches('/').to_string(),
            downloads: http.downloads_base.trim_end_matches('/').to_string(),
        },
        timeout: Duration::from_secs(http.timeout.max(1)),
        max_bytes: http.max_bytes,
        retries: http.retries,
        ..DownloadOptions::default()
    };
    let got = match url {
        Some(url) => download_url(url, cloud, &options)?,
        None => download(cloud, &options)?,
    };
    for f in &got.failed {
        eprintln!("note: {f}");
    }
    eprintln!(
        "downloaded {} ({} bytes) via the {}",
        got.url,
        got.bytes.len(),
        got.method
    );
    Ok((got.bytes, got.file_name))
}

/// Refreshes the cloud's snapshot from `bytes` and prints what it did and the report.
fn refresh(
    cloud: Cloud,
    data: &Path,
    bytes: &[u8],
    name: &str,
    region_sources: RegionSources,
    guards: &Guards,
) -> Result<(), RefreshError> {
    let options = RefreshOptions {
        allow_downgrade: guards.allow_downgrade,
        force: guards.force,
        protected: guards.protect.clone(),
        region_sources,
    };
    let s = refresh_from_bytes(cloud, bytes, name, data, &options)?;
    for w in &s.warnings {
        eprintln!("warning: {w}");
    }
    let before = s
        .previous_change_number
        .map_or("none".to_string(), |n| n.to_string());
    let summary = format!(
        "{} snapshot from {name}: {} tags, {} IPv4 + {} IPv6 prefixes, {} regions; changeNumber {before} -> {}",
        cloud.short_name(),
        s.tags,
        s.ipv4,
        s.ipv6,
        s.regions,
        s.change_number
    );
    let mut written: Vec<String> = s
        .written
        .iter()
        .map(|p| format!("wrote {}", p.display()))
        .collect();
    if s.unchanged {
        written.push(format!(
            "unchanged: {} already holds this snapshot; nothing written",
            data.join(cloud.short_name()).display()
        ));
    }
    if guards.format == ReportFormat::Json {
        // Standard output carries the report alone, so it can be piped to a parser.
        eprintln!("{summary}\n{}", written.join("\n"));
        if let Some(report) = &s.report {
            print!("{}", report.to_json());
        }
    } else {
        println!("{summary}\n{}", written.join("\n"));
        if let Some(report) = &s.report {
            print!("{}", report.to_text());
        }
    }
    Ok(())
}

/// `verify`: exit 0 when the pinned snapshot is the official file's, else 2 naming the
/// first difference.
fn verify(cloud: Cloud, data: &Path, official: &Path) -> Result<ExitCode, RefreshError> {
    match verify_pinned(data, cloud, official)? {
        None => println!(
            "the pinned {} snapshot is semantically identical to {}",
            cloud.short_name(),
            official.display()
        ),
        Some(diff) => {
            eprintln!(
                "refresh-service-tags: error: {}: differs from the pinned snapshot at {diff}",
                official.display()
            );
            return Ok(ExitCode::from(2));
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A refresh error with the options that would get past it.
fn advice(e: &RefreshError) -> String {
    match e {
        RefreshError::WrongCloud { .. } => {
            format!("{e}; pass --cloud for the file's cloud or pick the right file")
        }
        RefreshError::Downgrade { .. } => {
            format!("{e} (pass --allow-downgrade to do it anyway)")
        }
        RefreshError::Shrink { .. } | RefreshError::DropsTags { .. } => {
            format!("{e} (pass --force to accept it)")
        }
        RefreshError::NoSnapshot { .. } => {
            format!("{e}; run `refresh-service-tags from FILE` first")
        }
        e => e.to_string(),
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("refresh-service-tags: error: {}", advice(&e));
            ExitCode::from(2)
        }
    }
}
