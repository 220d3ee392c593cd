//! From Microsoft's official files to the pinned snapshot in `data/` (feature
//! `refresh`).
//!
//! This module owns the refresh workflow: the checks a new file must pass against the
//! pinned snapshot, writing `data/<cloud>/` atomically with a change report, exporting
//! and verifying the pinned snapshot, and ([`download`]) fetching the current file from
//! Microsoft. Reading and writing the official JSON itself is [`crate::official`]'s.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::datafile::{self, Cloud, FileError, RegionRecord, SnapshotFile};
use crate::diff::ChangeReport;
use crate::official::{
    OfficialError, RegionSources, build_regions, export_official, parse_official,
    semantic_difference,
};
use crate::snapshot::{LoadError, Snapshot};

pub(crate) mod atomic;
pub(crate) mod checks;
pub mod download;

pub(crate) use atomic::write_atomically;
use checks::check_update;

/// What went wrong while refreshing, exporting or verifying. Every variant names the
/// file and, where there is one, the tag and value at fault.
///
/// ```
/// use azure_service_tags::{refresh::{refresh_from_bytes, RefreshError}, Cloud};
/// let err = refresh_from_bytes(Cloud::Public, b"<html>", "page.html", "data".as_ref(), &Default::default())
///     .unwrap_err();
/// assert!(matches!(err, RefreshError::Official(_)));
/// assert!(err.to_string().starts_with("page.html: not JSON"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum RefreshError {
    /// A file could not be read or written.
    Io(FileError),
    /// The file is not service-tags JSON, or a value in it is wrong.
    Official(OfficialError),
    /// The file is for another cloud than the one being refreshed.
    WrongCloud {
        /// The file.
        file: String,
        /// The cloud being refreshed.
        expected: Cloud,
        /// The file's `cloud` field.
        found: Cloud,
    },
    /// The new file is older than the pinned snapshot.
    Downgrade {
        /// The file.
        file: String,
        /// The pinned snapshot's changeNumber.
        pinned: u32,
        /// The file's changeNumber.
        found: u32,
    },
    /// The new file drops more than 10% of the pinned prefixes.
    Shrink {
        /// The file.
        file: String,
        /// Prefixes in the pinned snapshot.
        pinned: usize,
        /// Prefixes in the file.
        found: usize,
    },
    /// The new file drops protected tags (see [`RefreshOptions::protected`]).
    DropsTags {
        /// The file.
        file: String,
        /// The tags the file no longer has.
        tags: Vec<String>,
    },
    /// A value of the file cannot be written in the `data/` format.
    Unwritable {
        /// The file.
        file: String,
        /// Which tag or region, and which value.
        message: String,
    },
    /// There is no pinned snapshot in the data directory.
    NoSnapshot {
        /// The cloud's data directory.
        dir: PathBuf,
    },
    /// Every way of downloading the file failed; says what each got.
    Download {
        /// One line per way tried.
        attempts: Vec<String>,
    },
    /// The data would not index (see [`LoadError`]).
    Load(LoadError),
}

impl fmt::Display for RefreshError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RefreshError::Io(e) => write!(f, "{e}"),
            RefreshError::Official(e) => write!(f, "{e}"),
            RefreshError::WrongCloud {
                file,
                expected,
                found,
            } => write!(
                f,
                "{file}: cloud is {:?}, but the {} snapshot ({:?}) is being refreshed",
                found.as_str(),
                expected.short_name(),
                expected.as_str()
            ),
            RefreshError::Downgrade {
                file,
                pinned,
                found,
            } => write!(
                f,
                "{file}: changeNumber {found} is lower than the pinned snapshot's {pinned}; \
                 refusing to go back in time"
            ),
            RefreshError::Shrink {
                file,
                pinned,
                found,
            } => write!(
                f,
                "{file}: {found} prefixes, against {pinned} in the pinned snapshot: it drops more \
                 than 10% of them, which looks like a broken file; refusing"
            ),
            RefreshError::DropsTags { file, tags } => write!(
                f,
                "{file}: the file no longer has {}; refusing",
                tags.join(", ")
            ),
            RefreshError::Unwritable { file, message } => write!(f, "{file}: {message}"),
            RefreshError::NoSnapshot { dir } => write!(
                f,
                "{}: no snapshot here ({} and {})",
                dir.display(),
                datafile::SERVICE_TAGS_FILE,
                datafile::REGIONS_FILE
            ),
            RefreshError::Download { attempts } => {
                write!(
                    f,
                    "could not download the service tags; data/ is unchanged. Tried:"
                )?;
                for a in attempts {
                    write!(f, "\n  - {a}")?;
                }
                Ok(())
            }
            RefreshError::Load(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for RefreshError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RefreshError::Io(e) => Some(e),
            RefreshError::Official(e) => Some(e),
            RefreshError::Load(e) => Some(e),
            _ => None,
        }
    }
}

impl From<LoadError> for RefreshError {
    fn from(e: LoadError) -> Self {
        RefreshError::Load(e)
    }
}

impl From<OfficialError> for RefreshError {
    fn from(e: OfficialError) -> Self {
        match e {
            OfficialError::Load(e) => RefreshError::Load(e),
            OfficialError::Io(e) => RefreshError::Io(e),
            e => RefreshError::Official(e),
        }
    }
}

/// The files of one cloud's snapshot under a data directory.
#[derive(Debug, Clone)]
pub(crate) struct DataPaths {
    /// `data/<cloud>/`.
    pub(crate) dir: PathBuf,
    /// `data/<cloud>/service-tags.txt`.
    pub(crate) service_tags: PathBuf,
    /// `data/<cloud>/regions.tsv`.
    pub(crate) regions: PathBuf,
    /// `data/<cloud>/changes.txt`: the change report of the last refresh.
    pub(crate) changes_text: PathBuf,
    /// `data/<cloud>/changes.json`: the same report as JSON.
    pub(crate) changes_json: PathBuf,
}

impl DataPaths {
    /// The paths of `cloud`'s snapshot under `data_dir`.
    pub(crate) fn new(data_dir: &Path, cloud: Cloud) -> DataPaths {
        let dir = data_dir.join(cloud.short_name());
        DataPaths {
            service_tags: dir.join(datafile::SERVICE_TAGS_FILE),
            regions: dir.join(datafile::REGIONS_FILE),
            changes_text: dir.join(datafile::CHANGES_TEXT_FILE),
            changes_json: dir.join(datafile::CHANGES_JSON_FILE),
            dir,
        }
    }

    /// Reads the pinned snapshot, if there is one (`Ok(None)` when a file is missing).
    pub(crate) fn read(&self) -> Result<Option<(SnapshotFile, Vec<RegionRecord>)>, RefreshError> {
        match datafile::read_data_dir(&self.dir) {
            Ok(d) => Ok(Some((d.snapshot, d.regions))),
            Err(e) if e.is_not_found() => Ok(None),
            Err(e) => Err(LoadError::from(e).into()),
        }
    }
}

/// What a refresh from a file did.
///
/// ```
/// use azure_service_tags::{refresh::refresh_from_bytes, Cloud};
/// let dir = std::env::temp_dir().join(format!("aztags-sum-{}", std::process::id()));
/// let json = br#"{"changeNumber": 1, "cloud": "China", "values": []}"#;
/// let s = refresh_from_bytes(Cloud::China, json, "x.json", &dir, &Default::default()).unwrap();
/// assert_eq!((s.tags, s.change_number, s.previous_change_number), (0, 1, None));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct RefreshSummary {
    /// Tags written.
    pub tags: usize,
    /// IPv4 prefixes written.
    pub ipv4: usize,
    /// IPv6 prefixes written.
    pub ipv6: usize,
    /// Regions in the region table.
    pub regions: usize,
    /// The pinned changeNumber before, if there was a snapshot.
    pub previous_change_number: Option<u32>,
    /// The new changeNumber.
    pub change_number: u32,
    /// Warnings from parsing.
    pub warnings: Vec<String>,
    /// The files written (none when the snapshot was already this one).
    pub written: Vec<PathBuf>,
    /// True when `data/` already held exactly this snapshot: nothing was written, and
    /// the change report of the last refresh was kept.
    pub unchanged: bool,
    /// What changed against the pinned snapshot (`None` when there was none).
    pub report: Option<ChangeReport>,
}

/// Options of [`refresh_from_bytes`].
///
/// ```
/// use azure_service_tags::refresh::RefreshOptions;
/// let options = RefreshOptions {
///     allow_downgrade: true,
///     protected: vec!["AzureMachineLearning".into()],
///     ..RefreshOptions::default()
/// };
/// assert!(options.region_sources.pairs.is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct RefreshOptions {
    /// Accept a file whose changeNumber is lower than the pinned one.
    pub allow_downgrade: bool,
    /// Accept a file that drops more than 10% of the prefixes or a protected tag.
    pub force: bool,
    /// Protected tags: a new file that drops a tag whose name starts with one of these
    /// (case-insensitive) is refused unless `force`. Empty by default; the `refresh`
    /// tool protects `AzureMachineLearning`.
    pub protected: Vec<String>,
    /// Region list and pairs; without them the pinned region table is kept and
    /// extended with the new file's region codes.
    pub region_sources: RegionSources,
}

/// Turns an official file into `cloud`'s pinned snapshot under `data_dir`: parses,
/// checks the cloud and the changeNumber, builds the region table, indexes the result
/// with the same compiler `build.rs` uses (so the next build cannot fail on it), and
/// only then writes both files atomically.
///
/// ```
/// use azure_service_tags::{refresh::refresh_from_bytes, Cloud, Snapshot};
/// let dir = std::env::temp_dir().join(format!("aztags-ref-{}", std::process::id()));
/// let json = br#"{"changeNumber": 2, "cloud": "Public", "values": [{"name": "Demo", "id": "Demo",
///   "properties": {"region": "", "addressPrefixes": ["192.0.2.0/24"], "networkFeatures": null}}]}"#;
/// refresh_from_bytes(Cloud::Public, json, "ServiceTags_Public_20250101.json", &dir, &Default::default()).unwrap();
/// let tags = std::fs::read_to_string(dir.join("public/service-tags.txt")).unwrap();
/// assert!(tags.contains("tag Demo id=Demo region= networkFeatures=null\n192.0.2.0/24\n"));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn refresh_from_bytes(
    cloud: Cloud,
    bytes: &[u8],
    file_name: &str,
    data_dir: &Path,
    options: &RefreshOptions,
) -> Result<RefreshSummary, RefreshError> {
    let official = parse_official(bytes, file_name)?;
    let snap = official.snapshot;
    if snap.header.cloud != cloud {
        return Err(RefreshError::WrongCloud {
            file: file_name.to_string(),
            expected: cloud,
            found: snap.header.cloud,
        });
    }
    let paths = DataPaths::new(data_dir, cloud);
    let pinned = paths.read()?;
    let previous_change_number = pinned.as_ref().map(|(s, _)| s.header.change_number);
    if let Some((old, _)) = &pinned {
        check_update(old, &snap, file_name, options)?;
    }
    let previous_regions = pinned.as_ref().map(|(_, r)| r.clone()).unwrap_or_default();
    let regions = build_regions(cloud, &snap, &options.region_sources, &previous_regions)?;
    let unwritable = |message| RefreshError::Unwritable {
        file: file_name.to_string(),
        message,
    };
    let tags_text = datafile::write_snapshot(&snap).map_err(unwritable)?;
    let regions_text = datafile::write_regions(&regions).map_err(unwritable)?;
    // Read back what would be written and index it exactly as build.rs will: what
    // passes here cannot break the next build.
    let label = |p: &Path| format!("{} (as it would be written)", p.display());
    let written = datafile::parse_snapshot(&tags_text, &label(&paths.service_tags))
        .map_err(LoadError::DataFile)?;
    let written_regions = datafile::parse_regions(&regions_text, &label(&paths.regions))
        .map_err(LoadError::DataFile)?;
    let new_snapshot = Snapshot::from_records(&written, &written_regions)?;
    let mut files = vec![
        (paths.service_tags.clone(), tags_text.into_bytes()),
        (paths.regions.clone(), regions_text.into_bytes()),
    ];
    // The pinned files, as read above, already hold exactly what would be written.
    let unchanged = pinned
        .as_ref()
        .is_some_and(|(old, old_regions)| *old == written && *old_regions == written_regions);
    let report = match &pinned {
        None => None,
        Some(_) if unchanged => None,
        Some((old, old_regions)) => {
            let old_snapshot = Snapshot::from_records(old, old_regions)?;
            let report = ChangeReport::between(&old_snapshot, &new_snapshot);
            files.push((paths.changes_text.clone(), report.to_text().into_bytes()));
            files.push((paths.changes_json.clone(), report.to_json().into_bytes()));
            Some(report)
        }
    };
    if unchanged {
        files.clear();
    } else {
        write_atomically(&files)?;
    }
    let (ipv4, ipv6) = new_snapshot.prefix_counts();
    Ok(RefreshSummary {
        tags: snap.tags.len(),
        ipv4,
        ipv6,
        regions: regions.len(),
        previous_change_number,
        change_number: snap.header.change_number,
        warnings: official.warnings,
        written: files.into_iter().map(|(p, _)| p).collect(),
        unchanged,
        report,
    })
}

/// Loads `cloud`'s pinned snapshot from the files under `data_dir` (not the compiled-in
/// one), for export and comparison.
///
/// ```
/// use azure_service_tags::{refresh::load_pinned, Cloud};
/// let snap = load_pinned("data".as_ref(), Cloud::Public).unwrap();
/// assert_eq!(snap.tags().len(), azure_service_tags::public().tags().len());
/// ```
pub fn load_pinned(data_dir: &Path, cloud: Cloud) -> Result<Snapshot, RefreshError> {
    let paths = DataPaths::new(data_dir, cloud);
    let (snap, regions) = paths
        .read()?
        .ok_or(RefreshError::NoSnapshot { dir: paths.dir })?;
    Ok(Snapshot::from_records(&snap, &regions)?)
}

/// Writes `cloud`'s pinned snapshot under `data_dir` back as an official-shaped JSON
/// file at `out` (replaced atomically), and returns the snapshot.
///
/// ```
/// use azure_service_tags::{refresh::export_pinned, Cloud};
/// let out = std::env::temp_dir().join(format!("aztags-export-{}.json", std::process::id()));
/// let snap = export_pinned("data".as_ref(), Cloud::Public, &out).unwrap();
/// assert_eq!(snap.change_number(), azure_service_tags::public().change_number());
/// # std::fs::remove_file(&out).unwrap();
/// ```
pub fn export_pinned(data_dir: &Path, cloud: Cloud, out: &Path) -> Result<Snapshot, RefreshError> {
    let snap = load_pinned(data_dir, cloud)?;
    let json = export_official(&snap);
    write_atomically(&[(out.to_path_buf(), json.into_bytes())])?;
    Ok(snap)
}

/// Checks that `cloud`'s pinned snapshot under `data_dir` is semantically identical to
/// the official file `official`: `None` when it is, else the first difference found.
///
/// ```no_run
/// use azure_service_tags::{refresh::verify_pinned, Cloud};
/// let difference = verify_pinned("data".as_ref(), Cloud::Public,
///                                "ServiceTags_Public_20251028.json".as_ref()).unwrap();
/// assert!(difference.is_none());
/// ```
pub fn verify_pinned(
    data_dir: &Path,
    cloud: Cloud,
    official: &Path,
) -> Result<Option<String>, RefreshError> {
    let snap = load_pinned(data_dir, cloud)?;
    let json = export_official(&snap);
    let original = std::fs::read(official)
        .map_err(FileError::of(official))
        .map_err(RefreshError::Io)?;
    Ok(semantic_difference(json.as_bytes(), &original)?)
}
