//! `refresh-service-tags`: turns Microsoft's official service-tags file into the pinned snapshot in
//! `data/`, exports a snapshot back to official JSON, and verifies the two agree.
//!
//! ```text
//! refresh-service-tags --cloud public --download
//! refresh-service-tags --cloud public --url https://download.microsoft.com/.../ServiceTags_Public_YYYYMMDD.json
//! refresh-service-tags --cloud public --from ServiceTags_Public_20251028.json \
//!                      [--locations locations-public.json] [--pairs region-pairs.csv]
//! refresh-service-tags --cloud public --export OUT.json
//! refresh-service-tags --cloud public --verify ServiceTags_Public_20251028.json
//! ```

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use std::time::Duration;

use azure_service_tags::official::RegionSources;
use azure_service_tags::refresh::download::{download, download_url, DownloadOptions, Endpoints};
use azure_service_tags::refresh::{
    export_pinned, refresh_from_bytes, verify_pinned, RefreshError, RefreshOptions,
};
use azure_service_tags::{Cloud, FileError};
use clap::{ArgGroup, Parser, ValueEnum};

/// Refresh the pinned Azure service-tags snapshot in data/ from an official file.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
#[command(group(ArgGroup::new("action").required(true).args(["from", "download", "url", "export", "verify"])))]
struct Args {
    /// The cloud: public, government or china.
    #[arg(long, value_parser = parse_cloud)]
    cloud: Cloud,
    /// Read this official ServiceTags_CLOUD_YYYYMMDD.json (or `az network
    /// list-service-tags` output) and write the cloud's snapshot into the data directory.
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// Download the current official file from Microsoft (details page, then the
    /// confirmation page, then dated guesses for the last 21 days).
    #[arg(long, conflicts_with_all = ["from", "url"])]
    download: bool,
    /// Download the official file from this URL (HTTPS).
    #[arg(long, value_name = "URL", conflicts_with = "from")]
    url: Option<String>,
    /// Accept a file that drops more than 10% of the prefixes or a protected tag.
    #[arg(long)]
    force: bool,
    /// Refuse a file that drops a tag whose name starts with this (repeatable).
    #[arg(long, value_name = "PREFIX", default_value = "AzureMachineLearning")]
    protect: Vec<String>,
    /// How to print the change report.
    #[arg(long, value_enum, default_value = "text")]
    format: ReportFormat,
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
    /// Write the pinned snapshot back as official-shaped JSON.
    #[arg(long, value_name = "OUT.json")]
    export: Option<PathBuf>,
    /// Check that the pinned snapshot is semantically identical to this official file.
    #[arg(long, value_name = "FILE")]
    verify: Option<PathBuf>,
    /// With --from: rebuild the region table from this `az account list-locations` output.
    #[arg(long, value_name = "FILE")]
    locations: Option<PathBuf>,
    /// With --from: rebuild region pairs from this region-pairs.csv.
    #[arg(long, value_name = "FILE")]
    pairs: Option<PathBuf>,
    /// With --from: accept a file older (lower changeNumber) than the pinned snapshot.
    #[arg(long)]
    allow_downgrade: bool,
    /// The data directory.
    #[arg(long, value_name = "DIR", default_value = "data")]
    data: PathBuf,
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

fn run(args: Args) -> Result<ExitCode, RefreshError> {
    if let Some((bytes, name)) = fetch(&args)? {
        refresh(&args, &bytes, &name)?;
    }
    if let Some(out) = &args.export {
        let snap = export_pinned(&args.data, args.cloud, out)?;
        println!(
            "exported the {} snapshot ({}, changeNumber {}) to {}",
            args.cloud.short_name(),
            snap.source().file_name(),
            snap.change_number(),
            out.display()
        );
    }
    if let Some(official) = &args.verify {
        return verify(&args, official);
    }
    Ok(ExitCode::SUCCESS)
}

/// The official file to refresh from, and its name: read (`--from`), downloaded
/// (`--download`, `--url`), or none for the other actions.
fn fetch(args: &Args) -> Result<Option<(Vec<u8>, String)>, RefreshError> {
    if let Some(from) = &args.from {
        let name = from
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| from.display().to_string());
        return Ok(Some((read(from)?, name)));
    }
    if !args.download && args.url.is_none() {
        return Ok(None);
    }
    let options = DownloadOptions {
        endpoints: Endpoints {
            pages: args.pages_base.trim_end_matches('/').to_string(),
            downloads: args.downloads_base.trim_end_matches('/').to_string(),
        },
        timeout: Duration::from_secs(args.timeout.max(1)),
        max_bytes: args.max_bytes,
        ..DownloadOptions::default()
    };
    let got = match &args.url {
        Some(url) => download_url(url, args.cloud, &options)?,
        None => download(args.cloud, &options)?,
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
    Ok(Some((got.bytes, got.file_name)))
}

/// Refreshes the cloud's snapshot from `bytes` and prints what it did and the report.
fn refresh(args: &Args, bytes: &[u8], name: &str) -> Result<(), RefreshError> {
    let mut sources = RegionSources::default();
    if let Some(p) = &args.locations {
        sources.locations = Some(read(p)?);
        sources.locations_name = p.display().to_string();
    }
    if let Some(p) = &args.pairs {
        let bytes = read(p)?;
        sources.pairs = Some(String::from_utf8_lossy(&bytes).into_owned());
        sources.pairs_name = p.display().to_string();
    }
    let options = RefreshOptions {
        allow_downgrade: args.allow_downgrade,
        force: args.force,
        protected: args.protect.clone(),
        region_sources: sources,
    };
    let s = refresh_from_bytes(args.cloud, bytes, name, &args.data, &options)?;
    for w in &s.warnings {
        eprintln!("warning: {w}");
    }
    let before = s
        .previous_change_number
        .map_or("none".to_string(), |n| n.to_string());
    let summary = format!(
        "{} snapshot from {name}: {} tags, {} IPv4 + {} IPv6 prefixes, {} regions; changeNumber {before} -> {}",
        args.cloud.short_name(),
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
            args.data.join(args.cloud.short_name()).display()
        ));
    }
    if args.format == ReportFormat::Json {
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

/// `--verify`: exit 0 when the pinned snapshot is the official file's, else 2 naming
/// the first difference.
fn verify(args: &Args, official: &Path) -> Result<ExitCode, RefreshError> {
    match verify_pinned(&args.data, args.cloud, official)? {
        None => println!(
            "the pinned {} snapshot is semantically identical to {}",
            args.cloud.short_name(),
            official.display()
        ),
        Some(diff) => {
            eprintln!(
                "refresh: error: {}: differs from the pinned snapshot at {diff}",
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
        RefreshError::NoSnapshot { .. } => format!("{e}; run refresh --from first"),
        e => e.to_string(),
    }
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("refresh: error: {}", advice(&e));
            ExitCode::from(2)
        }
    }
}
