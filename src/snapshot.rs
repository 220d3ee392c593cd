//! The [`Snapshot`] type: one cloud's service tags and regions, and where they came from.
//!
//! This module owns the snapshot's storage and provenance. A snapshot's tables are
//! either `'static` (compiled in by `build.rs`) or owned (built at run time by the very
//! same compiler, [`Snapshot::from_data`]); every lookup reads them through the same
//! code, so the two answer identically. Lookups themselves live in [`crate::lookup`],
//! [`crate::tag`] and [`crate::region`].

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::datafile::{self, Cloud, DataFileError, Date, FileError};
use crate::index::{self, Compiled, IndexError, Tables};

/// Where a snapshot came from: the official file's name and the SHA-256 of its bytes.
///
/// ```
/// let source = azure_service_tags::public().source();
/// assert!(source.file_name().starts_with("ServiceTags_Public_"));
/// assert_eq!(source.sha256().len(), 64);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Source<'a> {
    file_name: &'a str,
    sha256: &'a str,
}

impl<'a> Source<'a> {
    /// The official file's name, e.g. `ServiceTags_Public_20251028.json`.
    ///
    /// ```
    /// assert!(azure_service_tags::public().source().file_name().ends_with(".json"));
    /// ```
    pub fn file_name(&self) -> &'a str {
        self.file_name
    }
    /// SHA-256 of the official file's bytes, as 64 lowercase hex digits.
    ///
    /// ```
    /// let sha = azure_service_tags::public().source().sha256();
    /// assert!(sha.bytes().all(|b| b.is_ascii_hexdigit()));
    /// ```
    pub fn sha256(&self) -> &'a str {
        self.sha256
    }
}

impl fmt::Display for Source<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (sha256 {})", self.file_name, self.sha256)
    }
}

/// Where a snapshot came from: its cloud, the official file's `changeNumber` and name,
/// and the publication date. `Display` writes it on one line (the line the renderings
/// start with); `Serialize` (feature `serde`) writes the `snapshot` object of
/// `aztags routes --format json` and the `old` and `new` objects of a change report.
///
/// ```
/// let p = azure_service_tags::public().provenance();
/// assert!(p.to_string().starts_with(&format!("Public changeNumber {} (ServiceTags_Public_", p.change_number)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Provenance<'a> {
    /// The cloud.
    pub cloud: Cloud,
    /// The official file's top-level `changeNumber`.
    pub change_number: u32,
    /// The official file's name.
    pub source: &'a str,
    /// The publication date, when the file name carries it.
    pub published: Option<Date>,
}

impl fmt::Display for Provenance<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} changeNumber {} ({}, published ",
            self.cloud, self.change_number, self.source
        )?;
        match self.published {
            Some(date) => write!(f, "{date})"),
            None => f.write_str("unknown)"),
        }
    }
}

/// A snapshot's provenance and size, and its age on a given day; see
/// [`Snapshot::summary`]. Serializes (feature `serde`) as `aztags info --format json`
/// prints it.
///
/// ```
/// let today = azure_service_tags::Date::today();
/// let s = azure_service_tags::public().summary(today);
/// println!("{}: {} tags", s.provenance, s.tags);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize),
    serde(rename_all = "camelCase")
)]
pub struct Summary<'a> {
    /// Where the snapshot came from.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub provenance: Provenance<'a>,
    /// The official file's SHA-256, in hex.
    pub sha256: &'a str,
    /// Days from publication to the day asked about.
    pub age_days: Option<i64>,
    /// How many tags.
    pub tags: usize,
    /// How many regions.
    pub regions: usize,
    /// How many IPv4 prefixes, all tags together.
    pub ipv4_prefixes: usize,
    /// How many IPv6 prefixes, all tags together.
    pub ipv6_prefixes: usize,
}

/// Provenance of a snapshot, as stored.
#[derive(Debug)]
pub(crate) struct Info {
    pub(crate) cloud: Cloud,
    pub(crate) change_number: u32,
    pub(crate) source: Cow<'static, str>,
    pub(crate) sha256: Cow<'static, str>,
    pub(crate) published: Option<Date>,
}

/// A name -> index map: `phf` for compiled snapshots, a `HashMap` for loaded ones.
/// Keys are folded (see [`datafile::fold_tag_name`] and [`datafile::fold_region_name`]).
pub(crate) enum NameIndex {
    #[cfg_attr(
        not(any(feature = "public", feature = "government", feature = "china")),
        allow(dead_code)
    )]
    Static(&'static phf::Map<&'static str, u32>),
    Owned(HashMap<Box<str>, u32>),
}

impl NameIndex {
    #[inline]
    pub(crate) fn get(&self, key: &str) -> Option<u32> {
        match self {
            NameIndex::Static(map) => map.get(key).copied(),
            NameIndex::Owned(map) => map.get(key).copied(),
        }
    }

    fn owned(keys: Vec<(String, u32)>) -> NameIndex {
        NameIndex::Owned(
            keys.into_iter()
                .map(|(k, v)| (k.into_boxed_str(), v))
                .collect(),
        )
    }
}

/// The name maps of a snapshot: folded name -> index.
pub(crate) struct Names {
    /// Tag names.
    pub(crate) tags: NameIndex,
    /// `service.code` of regional tags whose name suffix is not the region's code.
    pub(crate) regional: NameIndex,
    /// Region spellings.
    pub(crate) regions: NameIndex,
}

impl Names {
    fn owned(c: Compiled) -> Names {
        Names {
            tags: NameIndex::owned(c.tag_keys),
            regional: NameIndex::owned(c.regional_keys),
            regions: NameIndex::owned(c.region_keys),
        }
    }
}

/// One cloud's service tags and region table, ready for allocation-free lookups.
///
/// Get the compiled-in snapshots with [`crate::public`], [`crate::government`] and
/// [`crate::china`] (each behind its cargo feature), or build one at run time from
/// files in the `data/` format with [`Snapshot::from_data`].
///
/// ```
/// let snap = azure_service_tags::public();
/// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
/// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
/// for tag in snap.tags_containing(ip) {
///     println!("{ip} is in {tag}");
/// }
/// ```
pub struct Snapshot {
    pub(crate) info: Info,
    pub(crate) tables: Tables,
    pub(crate) names: Names,
}

impl fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Snapshot")
            .field("cloud", &self.info.cloud)
            .field("change_number", &self.info.change_number)
            .field("source", &self.info.source)
            .field("tags", &self.tables.tags.len())
            .field("regions", &self.tables.regions.len())
            .finish()
    }
}

/// The age in days past which a snapshot is called stale: Microsoft publishes every
/// week, so a snapshot older than this has most likely missed changes. `aztags` warns
/// past it; the bindings' `info()` reports the age.
///
/// ```
/// assert_eq!(azure_service_tags::STALE_AFTER_DAYS, 30);
/// ```
pub const STALE_AFTER_DAYS: i64 = 30;

/// The error of building a [`Snapshot`] at run time.
///
/// ```
/// use azure_service_tags::{LoadError, Snapshot};
/// let err = Snapshot::from_data("format 1\n", "").unwrap_err();
/// assert!(matches!(err, LoadError::DataFile(_)));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum LoadError {
    /// A file does not follow the `data/` format; says which file, line and value.
    DataFile(DataFileError),
    /// The files parse but cannot be indexed (a tag's region is not in the region
    /// table, two regions share a spelling, ...); says which tag or region.
    Index(IndexError),
    /// A file could not be read.
    Io(FileError),
    /// A directory given as a snapshot lacks one of the data files.
    NotADataDir {
        /// The directory.
        dir: PathBuf,
        /// The file it lacks (`service-tags.txt` or `regions.tsv`).
        missing: &'static str,
    },
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::DataFile(e) => write!(f, "{e}"),
            LoadError::Index(e) => write!(f, "the snapshot cannot be loaded: {e}"),
            LoadError::Io(e) => write!(f, "{e}"),
            LoadError::NotADataDir { dir, missing } => write!(
                f,
                "{} is not a snapshot directory: it has no {missing} (a snapshot directory \
                 holds {} and {} in the data/ format, as the refresh tool writes them)",
                dir.display(),
                datafile::SERVICE_TAGS_FILE,
                datafile::REGIONS_FILE
            ),
        }
    }
}

impl std::error::Error for LoadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            LoadError::DataFile(e) => Some(e),
            LoadError::Index(e) => Some(e),
            LoadError::Io(e) => Some(e),
            LoadError::NotADataDir { .. } => None,
        }
    }
}

impl From<IndexError> for LoadError {
    fn from(e: IndexError) -> Self {
        LoadError::Index(e)
    }
}

impl From<DataFileError> for LoadError {
    fn from(e: DataFileError) -> Self {
        LoadError::DataFile(e)
    }
}

impl From<datafile::ReadError> for LoadError {
    fn from(e: datafile::ReadError) -> Self {
        match e {
            datafile::ReadError::Io(e) => LoadError::Io(e),
            datafile::ReadError::DataFile(e) => LoadError::DataFile(e),
        }
    }
}

impl Snapshot {
    /// Builds a snapshot at run time from the two files of a `data/<cloud>/` directory
    /// (`service-tags.txt` and `regions.tsv`, as text). It is indexed by the same code
    /// as the compiled-in snapshots and answers every lookup the same way.
    ///
    /// ```
    /// use azure_service_tags::Snapshot;
    /// let tags = "format 1\ncloud Public\nchangeNumber 7\nsource test.json\nsha256 \
    ///     0000000000000000000000000000000000000000000000000000000000000000\n\
    ///     tag Demo.WestEurope id=Demo.WestEurope region=westeurope networkFeatures=null\n\
    ///     192.0.2.0/24\n";
    /// let regions = "name\tdisplayName\tcode\tregionId\tgeography\tpaired\n\
    ///     westeurope\tWest Europe\twesteurope\t18\tEurope\t-\n";
    /// let snap = Snapshot::from_data(tags, regions).unwrap();
    /// let tag = snap.tag("demo.westeurope").unwrap();
    /// assert!(tag.contains("192.0.2.9".parse().unwrap()));
    /// assert_eq!(tag.region().unwrap().display_name(), Some("West Europe"));
    /// ```
    pub fn from_data(service_tags: &str, regions: &str) -> Result<Snapshot, LoadError> {
        let snap = datafile::parse_snapshot(service_tags, datafile::SERVICE_TAGS_FILE)?;
        let regions = datafile::parse_regions(regions, datafile::REGIONS_FILE)?;
        Snapshot::from_records(&snap, &regions)
    }

    /// Builds a snapshot at run time from a `data/<cloud>/` directory (its
    /// `service-tags.txt` and `regions.tsv`), as [`Snapshot::from_data`]; errors name
    /// the file.
    ///
    /// ```
    /// let snap = azure_service_tags::Snapshot::from_data_dir("data/public").unwrap();
    /// assert_eq!(snap.change_number(), azure_service_tags::public().change_number());
    /// assert!(azure_service_tags::Snapshot::from_data_dir("no/such/dir").is_err());
    /// // A directory without the data files says what a snapshot directory holds.
    /// let err = azure_service_tags::Snapshot::from_data_dir("src").unwrap_err();
    /// assert!(err.to_string().starts_with("src is not a snapshot directory: it has no service-tags.txt"));
    /// ```
    pub fn from_data_dir(dir: impl AsRef<Path>) -> Result<Snapshot, LoadError> {
        let dir = dir.as_ref();
        let data = datafile::read_data_dir(dir).map_err(|e| match e {
            datafile::ReadError::Io(f)
                if dir.is_dir() && f.source.kind() == std::io::ErrorKind::NotFound =>
            {
                let missing = if f.path.ends_with(datafile::SERVICE_TAGS_FILE) {
                    datafile::SERVICE_TAGS_FILE
                } else {
                    datafile::REGIONS_FILE
                };
                LoadError::NotADataDir {
                    dir: dir.to_path_buf(),
                    missing,
                }
            }
            e => e.into(),
        })?;
        Snapshot::from_records(&data.snapshot, &data.regions)
    }

    /// Builds a snapshot from parsed records (the `refresh` tool and the loaders).
    pub(crate) fn from_records(
        snap: &datafile::SnapshotFile,
        regions: &[datafile::RegionRecord],
    ) -> Result<Snapshot, LoadError> {
        let h = &snap.header;
        let cloud = h.cloud;
        let mut t = index::build(snap, regions)?;
        Ok(Snapshot {
            info: Info {
                cloud,
                change_number: h.change_number,
                source: Cow::Owned(h.source.clone()),
                sha256: Cow::Owned(h.sha256.clone()),
                published: h.published,
            },
            tables: Tables::owned(&mut t),
            names: Names::owned(t),
        })
    }

    /// The cloud this snapshot describes.
    ///
    /// ```
    /// use azure_service_tags::Cloud;
    /// assert_eq!(azure_service_tags::public().cloud(), Cloud::Public);
    /// ```
    pub fn cloud(&self) -> Cloud {
        self.info.cloud
    }

    /// The official file's top-level `changeNumber`: it grows with every publication.
    ///
    /// ```
    /// assert!(azure_service_tags::public().change_number() > 0);
    /// ```
    pub fn change_number(&self) -> u32 {
        self.info.change_number
    }

    /// The official file this snapshot was made from.
    ///
    /// ```
    /// println!("built from {}", azure_service_tags::public().source());
    /// ```
    pub fn source(&self) -> Source<'_> {
        Source {
            file_name: &self.info.source,
            sha256: &self.info.sha256,
        }
    }

    /// The publication date from the official file's name, when it carries one (files
    /// saved from `az network list-service-tags` do not).
    ///
    /// ```
    /// let date = azure_service_tags::public().published().unwrap();
    /// println!("data published on {date}");
    /// ```
    pub fn published(&self) -> Option<Date> {
        self.info.published
    }

    /// Where this snapshot came from.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// assert_eq!(snap.provenance().change_number, snap.change_number());
    /// println!("{}", snap.provenance());
    /// ```
    pub fn provenance(&self) -> Provenance<'_> {
        Provenance {
            cloud: self.info.cloud,
            change_number: self.info.change_number,
            source: &self.info.source,
            published: self.info.published,
        }
    }

    /// The snapshot's provenance and size, as `aztags info` shows them, with its age
    /// on `today` (pass [`Date::today`] for the system clock's).
    ///
    /// ```
    /// use azure_service_tags::Date;
    /// let snap = azure_service_tags::public();
    /// let published = snap.published().unwrap();
    /// let s = snap.summary(published);
    /// assert_eq!(s.age_days, Some(0));
    /// assert!(s.tags > 0 && s.ipv4_prefixes > 0);
    /// ```
    pub fn summary(&self, today: Date) -> Summary<'_> {
        let (ipv4_prefixes, ipv6_prefixes) = self.prefix_counts();
        Summary {
            provenance: self.provenance(),
            sha256: &self.info.sha256,
            age_days: self.age_days(today),
            tags: self.tags().len(),
            regions: self.regions().len(),
            ipv4_prefixes,
            ipv6_prefixes,
        }
    }

    /// Days from the snapshot's publication to `today` (`None` when the publication date
    /// is not known). Over [`STALE_AFTER_DAYS`], answers may be out of date.
    ///
    /// ```
    /// use azure_service_tags::{Date, STALE_AFTER_DAYS};
    /// let snap = azure_service_tags::public();
    /// let published = snap.published().unwrap();
    /// assert_eq!(snap.age_days(published), Some(0));
    /// let later = Date::from_days_since_epoch(published.days_since_epoch() + STALE_AFTER_DAYS + 1).unwrap();
    /// assert!(snap.age_days(later).unwrap() > STALE_AFTER_DAYS);
    /// ```
    pub fn age_days(&self, today: Date) -> Option<i64> {
        self.published()
            .map(|p| today.days_since_epoch() - p.days_since_epoch())
    }

    /// The interned string `i` (`None` for the "no value" marker).
    #[inline]
    pub(crate) fn string(&self, i: u32) -> Option<&str> {
        self.tables.string(i)
    }
}
