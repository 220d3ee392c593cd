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
use std::str::FromStr;

use crate::format::{self, FormatError};
use crate::tables::{self, RegionCols, TagCols};

/// An Azure cloud: each publishes its own service tags.
///
/// ```
/// use azure_service_tags::Cloud;
/// let cloud: Cloud = "government".parse().unwrap();
/// assert_eq!(cloud, Cloud::AzureGovernment);
/// assert_eq!(cloud.as_str(), "AzureGovernment"); // the official files' `cloud` field
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Cloud {
    /// Azure Public (`Public` in the files; download id 56519).
    Public,
    /// Azure US Government (`AzureGovernment`; download id 57063).
    AzureGovernment,
    /// Azure operated by 21Vianet (`China`; download id 57062).
    China,
}

impl Cloud {
    /// Every cloud, in a fixed order.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::Cloud::ALL.len(), 3);
    /// ```
    pub const ALL: [Cloud; 3] = [Cloud::Public, Cloud::AzureGovernment, Cloud::China];

    /// The value of the official files' `cloud` field.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::Cloud::China.as_str(), "China");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Cloud::Public => "Public",
            Cloud::AzureGovernment => "AzureGovernment",
            Cloud::China => "China",
        }
    }

    /// The short name used on command lines and for `data/` directories.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::Cloud::AzureGovernment.short_name(), "government");
    /// ```
    pub fn short_name(self) -> &'static str {
        match self {
            Cloud::Public => "public",
            Cloud::AzureGovernment => "government",
            Cloud::China => "china",
        }
    }

    /// The cloud whose official `cloud` field is `field` (exact spelling).
    ///
    /// ```
    /// use azure_service_tags::Cloud;
    /// assert_eq!(Cloud::from_official("AzureGovernment"), Some(Cloud::AzureGovernment));
    /// assert_eq!(Cloud::from_official("government"), None);
    /// ```
    pub fn from_official(field: &str) -> Option<Cloud> {
        Cloud::ALL.into_iter().find(|c| c.as_str() == field)
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Cloud`] from text.
///
/// ```
/// let err = "mars".parse::<azure_service_tags::Cloud>().unwrap_err();
/// assert!(err.to_string().contains("\"mars\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseCloudError(String);

impl fmt::Display for ParseCloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown cloud {:?}: expected public, government or china",
            self.0
        )
    }
}

impl std::error::Error for ParseCloudError {}

impl FromStr for Cloud {
    type Err = ParseCloudError;

    /// Accepts the short names (`public`, `government`, `china`), the official field
    /// values and the ARM cloud names (`AzureCloud`, `AzureUSGovernment`,
    /// `AzureChinaCloud`), in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "public" | "azurecloud" | "azurepublic" => Ok(Cloud::Public),
            "government" | "gov" | "usgov" | "azuregovernment" | "azureusgovernment" => {
                Ok(Cloud::AzureGovernment)
            }
            "china" | "azurechina" | "azurechinacloud" => Ok(Cloud::China),
            _ => Err(ParseCloudError(s.to_string())),
        }
    }
}

/// A calendar date, as carried by an official file's name (`ServiceTags_Public_20251028`).
///
/// ```
/// let date = azure_service_tags::public().published().unwrap();
/// assert_eq!(date.to_string().len(), 10); // YYYY-MM-DD
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    pub(crate) year: u16,
    pub(crate) month: u8,
    pub(crate) day: u8,
}

impl Date {
    /// The year.
    ///
    /// ```
    /// assert!(azure_service_tags::public().published().unwrap().year() >= 2025);
    /// ```
    pub fn year(self) -> u16 {
        self.year
    }
    /// The month, 1 to 12.
    ///
    /// ```
    /// assert!((1..=12).contains(&azure_service_tags::public().published().unwrap().month()));
    /// ```
    pub fn month(self) -> u8 {
        self.month
    }
    /// The day of the month, 1 to 31.
    ///
    /// ```
    /// assert!((1..=31).contains(&azure_service_tags::public().published().unwrap().day()));
    /// ```
    pub fn day(self) -> u8 {
        self.day
    }
}

impl Date {
    /// The date `days` days after 1970-01-01 (negative: before); `None` outside the
    /// years 0 to 65535.
    ///
    /// ```
    /// use azure_service_tags::Date;
    /// assert_eq!(Date::from_days_since_epoch(20_389).unwrap().to_string(), "2025-10-28");
    /// assert_eq!(Date::from_days_since_epoch(0).unwrap().to_string(), "1970-01-01");
    /// ```
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        // Howard Hinnant's civil_from_days.
        let z = days.checked_add(719_468)?;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = u16::try_from(yoe + era * 400 + i64::from(month <= 2)).ok()?;
        Some(Date { year, month, day })
    }

    /// Days since 1970-01-01 (the inverse of [`Date::from_days_since_epoch`]).
    ///
    /// ```
    /// let date = azure_service_tags::public().published().unwrap();
    /// assert_eq!(azure_service_tags::Date::from_days_since_epoch(date.days_since_epoch()), Some(date));
    /// ```
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let (m, d) = (i64::from(self.month), i64::from(self.day));
        let y = i64::from(self.year) - i64::from(m <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let doy = (153 * ((m + 9) % 12) + 2) / 5 + d - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// Today's date (UTC) by the system clock.
    ///
    /// ```
    /// assert!(azure_service_tags::Date::today().year() >= 2025);
    /// ```
    pub fn today() -> Date {
        let days = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| (d.as_secs() / 86_400) as i64);
        Date::from_days_since_epoch(days).unwrap_or(Date {
            year: 1970,
            month: 1,
            day: 1,
        })
    }

    /// `YYYYMMDD`, as official file names carry it.
    ///
    /// ```
    /// let date = azure_service_tags::Date::from_days_since_epoch(20_389).unwrap();
    /// assert_eq!(date.compact(), "20251028");
    /// ```
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

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

/// Provenance of a snapshot.
#[derive(Debug)]
pub(crate) struct Info {
    pub(crate) cloud: Cloud,
    pub(crate) change_number: u32,
    pub(crate) source: Cow<'static, str>,
    pub(crate) sha256: Cow<'static, str>,
    pub(crate) published: Option<Date>,
}

/// A name -> index map: `phf` for compiled snapshots, a `HashMap` for loaded ones.
/// Keys are folded (see [`format::fold_tag_name`] and [`format::fold_region_name`]).
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

/// The tables every lookup reads (see `src/tables.rs` for what each one holds).
pub(crate) struct Tables {
    pub(crate) strings: Cow<'static, str>,
    pub(crate) string_ends: Cow<'static, [u32]>,
    pub(crate) tags: Cow<'static, [TagCols]>,
    pub(crate) regions: Cow<'static, [RegionCols]>,
    pub(crate) runs: Cow<'static, [u32]>,
    pub(crate) v4_addr: Cow<'static, [u32]>,
    pub(crate) v4_len: Cow<'static, [u8]>,
    pub(crate) v6_addr: Cow<'static, [u128]>,
    pub(crate) v6_len: Cow<'static, [u8]>,
    pub(crate) v4_start: Cow<'static, [u32]>,
    pub(crate) v4_set: Cow<'static, [u32]>,
    pub(crate) v4_top: Cow<'static, [u32]>,
    pub(crate) v6_start: Cow<'static, [u128]>,
    pub(crate) v6_set: Cow<'static, [u32]>,
    pub(crate) set_end: Cow<'static, [u32]>,
    pub(crate) set_tags: Cow<'static, [u16]>,
    pub(crate) tag_index: NameIndex,
    pub(crate) regional_index: NameIndex,
    pub(crate) region_index: NameIndex,
}

/// One cloud's service tags and region table, ready for allocation-free lookups.
///
/// Get the compiled-in snapshots with [`crate::public`], [`crate::government`] and
/// [`crate::china`] (each behind its cargo feature), or build one at run time from
/// files in the `data/` format with [`Snapshot::from_data`].
///
/// ```
/// use std::net::IpAddr;
/// let snap = azure_service_tags::public();
/// let ip: IpAddr = "20.41.0.241".parse().unwrap();
/// for tag in snap.tags_containing(ip) {
///     println!("{ip} is in {tag}");
/// }
/// ```
pub struct Snapshot {
    pub(crate) info: Info,
    pub(crate) tables: Tables,
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

/// The error of building a [`Snapshot`] at run time.
///
/// ```
/// use azure_service_tags::{LoadError, Snapshot};
/// let err = Snapshot::from_data("format 1\n", "").unwrap_err();
/// assert!(matches!(err, LoadError::Format(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum LoadError {
    /// A file does not follow the `data/` format; says which file, line and value.
    Format(FormatError),
    /// The `cloud` line is not a known cloud.
    UnknownCloud(String),
    /// The files parse but cannot be indexed (a tag's region is not in the region
    /// table, two regions share a spelling, ...), or a JSON file is not service tags;
    /// says which file, tag or region.
    Invalid(String),
    /// A file could not be read; says which.
    Io(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Format(e) => write!(f, "{e}"),
            LoadError::UnknownCloud(c) => write!(
                f,
                "cloud {c:?} is not one of Public, AzureGovernment, China"
            ),
            LoadError::Invalid(m) => write!(f, "the snapshot cannot be loaded: {m}"),
            LoadError::Io(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<FormatError> for LoadError {
    fn from(e: FormatError) -> Self {
        LoadError::Format(e)
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
        Snapshot::from_texts((service_tags, "service-tags.txt"), (regions, "regions.tsv"))
    }

    /// Parses and indexes the two texts; the labels name them in errors.
    fn from_texts(tags: (&str, &str), regions: (&str, &str)) -> Result<Snapshot, LoadError> {
        let snap = format::parse_snapshot(tags.0, tags.1)?;
        let regions = format::parse_regions(regions.0, regions.1)?;
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
    /// ```
    pub fn from_data_dir(dir: impl AsRef<std::path::Path>) -> Result<Snapshot, LoadError> {
        let dir = dir.as_ref();
        let read = |name: &str| {
            let path = dir.join(name);
            std::fs::read_to_string(&path)
                .map(|text| (path.display().to_string(), text))
                .map_err(|e| LoadError::Io(format!("{}: {e}", path.display())))
        };
        let (tags_path, tags) = read("service-tags.txt")?;
        let (regions_path, regions) = read("regions.tsv")?;
        Snapshot::from_texts((&tags, &tags_path), (&regions, &regions_path))
    }

    /// Builds a snapshot from parsed records (the `refresh` tool and the loaders).
    pub(crate) fn from_records(
        snap: &format::SnapshotFile,
        regions: &[format::RegionRecord],
    ) -> Result<Snapshot, LoadError> {
        let h = &snap.header;
        let cloud = Cloud::from_official(&h.cloud)
            .ok_or_else(|| LoadError::UnknownCloud(h.cloud.clone()))?;
        let published = match &h.published {
            None => None,
            Some(p) => {
                let (year, month, day) = format::check_date(p).map_err(LoadError::Invalid)?;
                Some(Date { year, month, day })
            }
        };
        let t = tables::build(snap, regions).map_err(LoadError::Invalid)?;
        Ok(Snapshot {
            info: Info {
                cloud,
                change_number: h.change_number,
                source: Cow::Owned(h.source.clone()),
                sha256: Cow::Owned(h.sha256.clone()),
                published,
            },
            tables: Tables {
                strings: Cow::Owned(t.strings),
                string_ends: Cow::Owned(t.string_ends),
                tags: Cow::Owned(t.tags),
                regions: Cow::Owned(t.regions),
                runs: Cow::Owned(t.runs),
                v4_addr: Cow::Owned(t.v4_addr),
                v4_len: Cow::Owned(t.v4_len),
                v6_addr: Cow::Owned(t.v6_addr),
                v6_len: Cow::Owned(t.v6_len),
                v4_start: Cow::Owned(t.v4_start),
                v4_set: Cow::Owned(t.v4_set),
                v4_top: Cow::Owned(t.v4_top),
                v6_start: Cow::Owned(t.v6_start),
                v6_set: Cow::Owned(t.v6_set),
                set_end: Cow::Owned(t.set_end),
                set_tags: Cow::Owned(t.set_tags),
                tag_index: NameIndex::owned(t.tag_keys),
                regional_index: NameIndex::owned(t.regional_keys),
                region_index: NameIndex::owned(t.region_keys),
            },
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

    /// The interned string `i` (`None` for the "no value" marker).
    #[inline]
    pub(crate) fn string(&self, i: u32) -> Option<&str> {
        let ends = &self.tables.string_ends;
        let end = *ends.get(i as usize)? as usize;
        let start = match i {
            0 => 0,
            _ => ends[i as usize - 1] as usize,
        };
        self.tables.strings.get(start..end)
    }
}

#[cfg(feature = "json")]
impl Snapshot {
    /// Loads an official "Azure IP Ranges and Service Tags" JSON file (or
    /// `az network list-service-tags` output) at run time, for services that cannot wait
    /// for a crate release. It is indexed by the same code as the compiled-in snapshots
    /// and answers every lookup the same way, allocation-free. The region table is the
    /// compiled-in one of the file's cloud (when its feature is on), extended with any
    /// region code the file uses. Feature `json`.
    ///
    /// ```
    /// use azure_service_tags::Snapshot;
    /// let json = br#"{"changeNumber": 9, "cloud": "Public", "values": [{"name": "Demo.EastUS2",
    ///   "id": "Demo.EastUS2", "properties": {"region": "eastus2", "addressPrefixes": ["192.0.2.0/24"]}}]}"#;
    /// let snap = Snapshot::from_json(&json[..]).unwrap();
    /// let tag = snap.tag("demo.eastus2").unwrap();
    /// assert!(tag.contains("192.0.2.7".parse().unwrap()));
    /// assert_eq!(tag.region().unwrap().paired().unwrap().name(), "centralus");
    /// ```
    pub fn from_json(mut reader: impl std::io::Read) -> Result<Snapshot, LoadError> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(|e| LoadError::Io(format!("cannot read the JSON: {e}")))?;
        crate::refresh::load_official(&bytes, "(JSON reader)").map_err(LoadError::from_refresh)
    }

    /// Loads an official JSON file, as [`Snapshot::from_json`]; the file's name is kept
    /// as the source, and its `_YYYYMMDD` suffix as the publication date.
    ///
    /// ```no_run
    /// let snap = azure_service_tags::Snapshot::from_path("ServiceTags_Public_20251111.json").unwrap();
    /// println!("{} tags, changeNumber {}", snap.tags().len(), snap.change_number());
    /// ```
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Snapshot, LoadError> {
        let path = path.as_ref();
        let bytes =
            std::fs::read(path).map_err(|e| LoadError::Io(format!("{}: {e}", path.display())))?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        crate::refresh::load_official(&bytes, &name).map_err(LoadError::from_refresh)
    }

    /// The region table as records (for building another snapshot of the same cloud).
    pub(crate) fn region_records(&self) -> Vec<format::RegionRecord> {
        self.regions()
            .map(|r| format::RegionRecord {
                name: r.name().to_string(),
                display_name: r.display_name().map(str::to_string),
                code: r.code().map(str::to_string),
                region_id: r.region_id(),
                geography: r.geography().map(str::to_string),
                paired: r.paired().map(|p| p.name().to_string()),
            })
            .collect()
    }
}

#[cfg(feature = "json")]
impl LoadError {
    fn from_refresh(e: crate::refresh::RefreshError) -> LoadError {
        match e {
            crate::refresh::RefreshError::Load(l) => l,
            other => LoadError::Invalid(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Date;

    #[test]
    fn day_counts_and_dates_round_trip() {
        let mut previous: Option<Date> = None;
        for days in (-719_528..200_000).step_by(7) {
            let date = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(date.days_since_epoch(), days, "{date}");
            assert!((1..=12).contains(&date.month) && (1..=31).contains(&date.day));
            assert!(previous.is_none_or(|p| p < date));
            previous = Some(date);
        }
        assert_eq!(Date::from_days_since_epoch(-719_529), None, "before year 0");
        assert_eq!(Date::from_days_since_epoch(i64::MAX), None);
        assert_eq!(
            Date::from_days_since_epoch(11_016).unwrap().to_string(),
            "2000-02-29"
        );
    }
}
