//! `refresh`: turns Microsoft's official service-tags file into the pinned snapshot in
//! `data/`, exports a snapshot back to official JSON, and verifies the two agree.
//!
//! ```text
//! refresh --cloud public --from ServiceTags_Public_20251028.json \
//!         [--locations locations-public.json] [--pairs region-pairs.csv]
//! refresh --cloud public --export OUT.json
//! refresh --cloud public --verify ServiceTags_Public_20251028.json
//! ```

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use azure_service_tags::refresh::{
    export_official, load_pinned, refresh_from_bytes, semantic_difference, write_atomically,
    RefreshError, RefreshOptions, RegionSources,
};
use azure_service_tags::Cloud;
use clap::{ArgGroup, Parser};

/// Refresh the pinned Azure service-tags snapshot in data/ from an official file.
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
#[command(group(ArgGroup::new("action").required(true).args(["from", "export", "verify"])))]
struct Args {
    /// The cloud: public, government or china.
    #[arg(long, value_parser = parse_cloud)]
    cloud: Cloud,
    /// Read this official ServiceTags_CLOUD_YYYYMMDD.json (or `az network
    /// list-service-tags` output) and write the cloud's snapshot into the data directory.
    #[arg(long, value_name = "FILE")]
    from: Option<PathBuf>,
    /// Write the pinned snapshot back as official-shaped JSON.
    #[arg(long, value_name = "OUT.json")]
    export: Option<PathBuf>,
    /// Check that the pinned snapshot is semantically identical to this official file.
    #[arg(long, value_name = "FILE")]
    verify: Option<PathBuf>,
    /// With --from: rebuild the region table from this `az account list-locations` output.
    #[arg(long, value_name = "FILE", requires = "from")]
    locations: Option<PathBuf>,
    /// With --from: rebuild region pairs from this region-pairs.csv.
    #[arg(long, value_name = "FILE", requires = "from")]
    pairs: Option<PathBuf>,
    /// With --from: accept a file older (lower changeNumber) than the pinned snapshot.
    #[arg(long, requires = "from")]
    allow_downgrade: bool,
    /// The data directory.
    #[arg(long, value_name = "DIR", default_value = "data")]
    data: PathBuf,
}

fn parse_cloud(s: &str) -> Result<Cloud, String> {
    s.parse::<Cloud>().map_err(|e| e.to_string())
}

fn read(path: &Path) -> Result<Vec<u8>, RefreshError> {
    std::fs::read(path).map_err(|e| RefreshError::Io {
        path: path.to_path_buf(),
        source: e,
    })
}

fn run(args: Args) -> Result<(), RefreshError> {
    if let Some(from) = &args.from {
        let bytes = read(from)?;
        let name = from
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| from.display().to_string());
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
            region_sources: sources,
        };
        let s = refresh_from_bytes(args.cloud, &bytes, &name, &args.data, &options)?;
        for w in &s.warnings {
            eprintln!("warning: {w}");
        }
        let before = s
            .previous_change_number
            .map_or("none".to_string(), |n| n.to_string());
        println!(
            "{} snapshot from {name}: {} tags, {} IPv4 + {} IPv6 prefixes, {} regions; changeNumber {before} -> {}",
            args.cloud.short_name(),
            s.tags,
            s.ipv4,
            s.ipv6,
            s.regions,
            s.change_number
        );
        for path in &s.written {
            println!("wrote {}", path.display());
        }
    }
    if let Some(out) = &args.export {
        let snap = load_pinned(&args.data, args.cloud)?;
        let json = export_official(&snap);
        write_atomically(&[(out.clone(), json.into_bytes())])?;
        println!(
            "exported the {} snapshot ({}, changeNumber {}) to {}",
            args.cloud.short_name(),
            snap.source().file_name(),
            snap.change_number(),
            out.display()
        );
    }
    if let Some(official) = &args.verify {
        let snap = load_pinned(&args.data, args.cloud)?;
        let json = export_official(&snap);
        let original = read(official)?;
        match semantic_difference(json.as_bytes(), &original)? {
            None => println!(
                "the pinned {} snapshot is semantically identical to {}",
                args.cloud.short_name(),
                official.display()
            ),
            Some(diff) => {
                return Err(RefreshError::Invalid {
                    file: official.display().to_string(),
                    message: format!("differs from the pinned snapshot at {diff}"),
                })
            }
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    match run(Args::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("refresh: error: {e}");
            ExitCode::from(2)
        }
    }
}
