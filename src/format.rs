//! The `data/` line format: the pinned snapshot as the project stores it.
//!
//! This module owns reading and writing the two files a cloud's snapshot is made of,
//! and nothing else. It uses only `std`, because `build.rs` includes this very file
//! (`#[path = "src/format.rs"]`): the build script, the library and the `refresh` tool
//! share one parser, so what `refresh` writes is exactly what the build accepts.
//!
//! # `service-tags.txt`
//!
//! ```text
//! # comment lines and blank lines are ignored
//! format 1
//! cloud Public
//! changeNumber 375
//! source ServiceTags_Public_20251028.json
//! sha256 0123…(64 hex digits)
//! published 2025-10-28
//!
//! tag ActionGroup id=ActionGroup changeNumber=53 region= regionId=0 platform=Azure systemService=ActionGroup networkFeatures=[API,NSG,UDR,FW]
//! 4.145.74.52/30
//! 2603:1000:4:402::178/125
//! ```
//!
//! A header of `key value` lines comes first (`published` may be missing), then one
//! block per tag, in published order: a `tag NAME` line with the tag's properties as
//! `key=value` words, then its prefixes one per line, in published order. A property the
//! source file did not have is left out of the line; `networkFeatures` is `null`, or a
//! list in brackets (`[]` is an empty list, which is a different fact from `null`).
//! Values never contain white space.
//!
//! # `regions.tsv`
//!
//! Tab-separated, with a header row `name displayName code regionId geography paired`;
//! `-` stands for a value that is not known.
//!
//! ```
//! # use azure_service_tags::format::parse_regions;
//! let text = "name\tdisplayName\tcode\tregionId\tgeography\tpaired\n\
//!             francecentral\tFrance Central\tcentralfrance\t19\tFrance\tfrancesouth\n";
//! let regions = parse_regions(text, "regions.tsv").unwrap();
//! assert_eq!(regions[0].code.as_deref(), Some("centralfrance"));
//! ```

use std::collections::HashSet;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

/// The version written in the `format` header line.
///
/// ```
/// use azure_service_tags::format::FORMAT_VERSION;
/// assert_eq!(FORMAT_VERSION, 1);
/// ```
pub const FORMAT_VERSION: u32 = 1;

/// The columns of `regions.tsv`, in order.
///
/// ```
/// use azure_service_tags::format::REGION_COLUMNS;
/// assert_eq!(REGION_COLUMNS[2], "code");
/// ```
pub const REGION_COLUMNS: [&str; 6] = [
    "name",
    "displayName",
    "code",
    "regionId",
    "geography",
    "paired",
];

/// An error in a `data/` file: which file, which line (1-based, 0 when the error is
/// about the file as a whole) and what is wrong with which value.
///
/// ```
/// use azure_service_tags::format::parse_regions;
/// let err = parse_regions("name\tcode\n", "regions.tsv").unwrap_err();
/// assert_eq!((err.file.as_str(), err.line), ("regions.tsv", 1));
/// assert!(err.to_string().starts_with("regions.tsv:1: "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatError {
    /// The file's name as the caller gave it.
    pub file: String,
    /// The 1-based line number, or 0 for the file as a whole.
    pub line: usize,
    /// What is wrong, naming the value at fault.
    pub message: String,
}

impl FormatError {
    fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        FormatError {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for FormatError {}

/// One address prefix, as raw integers: network address and prefix length.
///
/// ```
/// use azure_service_tags::format::Prefix;
/// let p = Prefix::parse("2603:1000::/40").unwrap();
/// assert!(p.is_v6());
/// assert_eq!(p.to_string(), "2603:1000::/40");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prefix {
    /// An IPv4 prefix.
    V4(u32, u8),
    /// An IPv6 prefix.
    V6(u128, u8),
}

impl Prefix {
    /// Parses `a.b.c.d/n` or `x:y::z/n`; host bits must be zero.
    ///
    /// ```
    /// # use azure_service_tags::format::Prefix;
    /// assert_eq!(Prefix::parse("10.0.0.0/8"), Ok(Prefix::V4(0x0a00_0000, 8)));
    /// assert!(Prefix::parse("10.0.0.1/8").unwrap_err().contains("host bits"));
    /// ```
    pub fn parse(text: &str) -> Result<Prefix, String> {
        let (addr, len) = text
            .split_once('/')
            .ok_or_else(|| format!("prefix {text:?} has no '/length'"))?;
        let len: u8 = len
            .parse()
            .map_err(|_| format!("prefix {text:?} has a length that is not a number"))?;
        if let Ok(a) = addr.parse::<Ipv4Addr>() {
            if len > 32 {
                return Err(format!("prefix {text:?} is longer than 32 bits"));
            }
            let a = u32::from(a);
            if len < 32 && a & (u32::MAX >> len) != 0 {
                return Err(format!("prefix {text:?} has host bits set"));
            }
            Ok(Prefix::V4(a, len))
        } else if let Ok(a) = addr.parse::<Ipv6Addr>() {
            if len > 128 {
                return Err(format!("prefix {text:?} is longer than 128 bits"));
            }
            let a = u128::from(a);
            if len < 128 && a & (u128::MAX >> len) != 0 {
                return Err(format!("prefix {text:?} has host bits set"));
            }
            Ok(Prefix::V6(a, len))
        } else {
            Err(format!(
                "prefix {text:?} does not start with an IPv4 or IPv6 address"
            ))
        }
    }

    /// The first address and one past the last, widened to `u128` (IPv4 as is).
    /// The end is `None` for a prefix that reaches the top of its address space.
    ///
    /// ```
    /// use azure_service_tags::format::Prefix;
    /// assert_eq!(Prefix::V4(0x0a00_0000, 8).range(), (0x0a00_0000, Some(0x0b00_0000)));
    /// assert_eq!(Prefix::V6(0, 0).range(), (0, None));
    /// ```
    pub fn range(self) -> (u128, Option<u128>) {
        match self {
            Prefix::V4(a, len) => {
                let size = 1u128 << (32 - u32::from(len));
                (u128::from(a), Some(u128::from(a) + size))
            }
            Prefix::V6(a, len) => {
                if len == 0 {
                    (0, None)
                } else {
                    let size = 1u128 << (128 - u32::from(len));
                    (a, a.checked_add(size))
                }
            }
        }
    }

    /// True for IPv6.
    ///
    /// ```
    /// use azure_service_tags::format::Prefix;
    /// assert!(!Prefix::V4(0, 0).is_v6());
    /// ```
    pub fn is_v6(self) -> bool {
        matches!(self, Prefix::V6(..))
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Prefix::V4(a, len) => write!(f, "{}/{}", Ipv4Addr::from(a), len),
            Prefix::V6(a, len) => write!(f, "{}/{}", Ipv6Addr::from(a), len),
        }
    }
}

/// A tag's `networkFeatures`: missing, `null` and a list are three different facts.
///
/// ```
/// use azure_service_tags::format::Features;
/// assert_ne!(Features::Null, Features::List(vec![]));
/// assert_eq!(Features::default(), Features::Absent);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Features {
    /// The property is not in the file (files from 2019).
    #[default]
    Absent,
    /// The property is `null`.
    Null,
    /// The property is a list, in published order.
    List(Vec<String>),
}

/// The header of `service-tags.txt`: where the snapshot came from.
///
/// ```
/// use azure_service_tags::format::Header;
/// let h = Header { cloud: "Public".into(), change_number: 375, ..Header::default() };
/// assert!(h.published.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// The `cloud` field of the source file: `Public`, `AzureGovernment` or `China`.
    pub cloud: String,
    /// The source file's top-level `changeNumber`.
    pub change_number: u32,
    /// The source file's name.
    pub source: String,
    /// SHA-256 of the source file's bytes, lowercase hex.
    pub sha256: String,
    /// The publication date from the file name, `YYYY-MM-DD`, when the name carries one.
    pub published: Option<String>,
}

/// One service tag with every property of the source file.
///
/// ```
/// use azure_service_tags::format::{Prefix, TagRecord};
/// let tag = TagRecord { name: "Demo".into(), prefixes: vec![Prefix::V4(0xc000_0200, 24)], ..TagRecord::default() };
/// assert!(tag.region_id.is_none()); // absent, not 0
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TagRecord {
    /// `name`.
    pub name: String,
    /// `id`.
    pub id: Option<String>,
    /// `properties.changeNumber`.
    pub change_number: Option<u32>,
    /// `properties.region` (`""` for global tags).
    pub region: Option<String>,
    /// `properties.regionId`.
    pub region_id: Option<u32>,
    /// `properties.platform`.
    pub platform: Option<String>,
    /// `properties.systemService`.
    pub system_service: Option<String>,
    /// `properties.networkFeatures`.
    pub network_features: Features,
    /// `properties.addressPrefixes`, in published order.
    pub prefixes: Vec<Prefix>,
}

/// A whole `service-tags.txt`.
///
/// ```
/// use azure_service_tags::format::SnapshotFile;
/// assert!(SnapshotFile::default().tags.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SnapshotFile {
    /// Provenance.
    pub header: Header,
    /// The tags, in published order.
    pub tags: Vec<TagRecord>,
}

/// One row of `regions.tsv`.
///
/// ```
/// use azure_service_tags::format::RegionRecord;
/// let r = RegionRecord { name: "westus3".into(), paired: Some("eastus".into()), ..RegionRecord::default() };
/// assert!(r.display_name.is_none());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegionRecord {
    /// ARM name, e.g. `francecentral`.
    pub name: String,
    /// Display name, e.g. `France Central`.
    pub display_name: Option<String>,
    /// The code used in service tags' `region` property, e.g. `centralfrance`.
    pub code: Option<String>,
    /// The service tags' `regionId`.
    pub region_id: Option<u32>,
    /// Geography, e.g. `France`.
    pub geography: Option<String>,
    /// ARM name of the paired (secondary) region, as published: pairs are directional.
    pub paired: Option<String>,
}

const TAG_KEYS: [&str; 7] = [
    "id",
    "changeNumber",
    "region",
    "regionId",
    "platform",
    "systemService",
    "networkFeatures",
];

/// Parses a `service-tags.txt`; `file` names it in errors.
///
/// ```
/// # use azure_service_tags::format::parse_snapshot;
/// let sha = "0".repeat(64);
/// let text = format!("format 1\ncloud Public\nchangeNumber 1\nsource x.json\nsha256 {sha}\n\
///                     tag A id=A networkFeatures=null\n10.0.0.0/8\n");
/// let snap = parse_snapshot(&text, "service-tags.txt").unwrap();
/// assert_eq!(snap.tags[0].prefixes.len(), 1);
/// ```
pub fn parse_snapshot(text: &str, file: &str) -> Result<SnapshotFile, FormatError> {
    let err = |line: usize, msg: String| FormatError::new(file, line, msg);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut header = Header::default();
    let mut seen_header: HashSet<&str> = HashSet::new();
    let mut tags: Vec<TagRecord> = Vec::new();
    let mut names: HashSet<String> = HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("tag ") {
            let tag = parse_tag_line(rest).map_err(|m| err(n, m))?;
            if !names.insert(tag.name.to_ascii_lowercase()) {
                return Err(err(n, format!("duplicate tag name {:?}", tag.name)));
            }
            tags.push(tag);
        } else if let Some(tag) = tags.last_mut() {
            let prefix = Prefix::parse(line.trim())
                .map_err(|m| err(n, format!("in tag {:?}: {m}", tag.name)))?;
            tag.prefixes.push(prefix);
        } else {
            let (key, value) = line
                .split_once(' ')
                .ok_or_else(|| err(n, format!("header line {line:?} is not 'key value'")))?;
            let value = value.trim();
            if !seen_header.insert(key) {
                return Err(err(n, format!("header key {key:?} appears twice")));
            }
            match key {
                "format" => {
                    if value != FORMAT_VERSION.to_string() {
                        return Err(err(n, format!("format {value:?} is not supported (this build reads format {FORMAT_VERSION})")));
                    }
                }
                "cloud" => header.cloud = value.to_string(),
                "changeNumber" => {
                    header.change_number = value
                        .parse()
                        .map_err(|_| err(n, format!("changeNumber {value:?} is not a number")))?
                }
                "source" => header.source = value.to_string(),
                "sha256" => {
                    if value.len() != 64 || !value.bytes().all(|b| b.is_ascii_hexdigit()) {
                        return Err(err(n, format!("sha256 {value:?} is not 64 hex digits")));
                    }
                    header.sha256 = value.to_ascii_lowercase()
                }
                "published" => {
                    check_date(value).map_err(|m| err(n, m))?;
                    header.published = Some(value.to_string())
                }
                _ => return Err(err(n, format!("unknown header key {key:?}"))),
            }
        }
    }
    for key in ["format", "cloud", "changeNumber", "source", "sha256"] {
        if !seen_header.contains(key) {
            return Err(err(0, format!("the header has no {key:?} line")));
        }
    }
    Ok(SnapshotFile { header, tags })
}

/// Checks a `YYYY-MM-DD` date.
///
/// ```
/// use azure_service_tags::format::check_date;
/// assert_eq!(check_date("2025-10-28"), Ok((2025, 10, 28)));
/// assert!(check_date("28/10/2025").is_err());
/// ```
pub fn check_date(value: &str) -> Result<(u16, u8, u8), String> {
    let bad = || format!("date {value:?} is not YYYY-MM-DD");
    let mut parts = value.splitn(3, '-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let y: u16 = y.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    let d: u8 = d.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok((y, m, d))
}

fn parse_tag_line(rest: &str) -> Result<TagRecord, String> {
    let mut words = rest.split_whitespace();
    let name = words.next().ok_or("a 'tag' line has no name")?;
    check_word(name, "tag name")?;
    let mut tag = TagRecord {
        name: name.to_string(),
        ..TagRecord::default()
    };
    let mut seen = HashSet::new();
    for word in words {
        let (key, value) = word
            .split_once('=')
            .ok_or_else(|| format!("tag {name:?}: {word:?} is not key=value"))?;
        if !TAG_KEYS.contains(&key) {
            return Err(format!("tag {name:?}: unknown property {key:?}"));
        }
        if !seen.insert(key) {
            return Err(format!("tag {name:?}: property {key:?} appears twice"));
        }
        let number = |v: &str| {
            v.parse::<u32>()
                .map_err(|_| format!("tag {name:?}: {key} {v:?} is not a number"))
        };
        match key {
            "id" => tag.id = Some(value.to_string()),
            "changeNumber" => tag.change_number = Some(number(value)?),
            "region" => tag.region = Some(value.to_string()),
            "regionId" => tag.region_id = Some(number(value)?),
            "platform" => tag.platform = Some(value.to_string()),
            "systemService" => tag.system_service = Some(value.to_string()),
            _ => {
                tag.network_features =
                    parse_features(value).map_err(|m| format!("tag {name:?}: {m}"))?
            }
        }
    }
    Ok(tag)
}

fn parse_features(value: &str) -> Result<Features, String> {
    if value == "null" {
        return Ok(Features::Null);
    }
    let inner = value
        .strip_prefix('[')
        .and_then(|v| v.strip_suffix(']'))
        .ok_or_else(|| format!("networkFeatures {value:?} is neither null nor [A,B,...]"))?;
    if inner.is_empty() {
        return Ok(Features::List(Vec::new()));
    }
    let list: Vec<String> = inner.split(',').map(str::to_string).collect();
    if list.iter().any(|f| f.is_empty()) {
        return Err(format!("networkFeatures {value:?} has an empty entry"));
    }
    Ok(Features::List(list))
}

/// A value may be written into a line only if it has no white space and none of the
/// characters the format uses as separators.
fn check_word(value: &str, what: &str) -> Result<(), String> {
    if value
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '=' | ',' | '[' | ']'))
    {
        return Err(format!(
            "{what} {value:?} contains white space or one of = , [ ]"
        ));
    }
    Ok(())
}

/// Writes a `service-tags.txt`. Fails, naming the tag and value, if a value cannot be
/// written without ambiguity (white space, separators).
///
/// ```
/// use azure_service_tags::format::{parse_snapshot, write_snapshot, Header, SnapshotFile, TagRecord};
/// let snap = SnapshotFile {
///     header: Header { cloud: "Public".into(), change_number: 1, source: "x.json".into(),
///                      sha256: "0".repeat(64), published: None },
///     tags: vec![TagRecord { name: "Demo".into(), ..TagRecord::default() }],
/// };
/// let text = write_snapshot(&snap).unwrap();
/// assert_eq!(parse_snapshot(&text, "t").unwrap(), snap);
/// ```
pub fn write_snapshot(snap: &SnapshotFile) -> Result<String, String> {
    use fmt::Write as _;
    let h = &snap.header;
    for (what, v) in [
        ("cloud", &h.cloud),
        ("source", &h.source),
        ("sha256", &h.sha256),
    ] {
        check_word(v, what)?;
    }
    let mut out = String::with_capacity(snap.tags.len() * 200);
    // Writing into a String cannot fail; the `let _` keeps that out of the error path.
    let _ = writeln!(
        out,
        "# Azure service tags snapshot in the azure-service-tags line format.\n\
         # Written by the `refresh` tool from the official file named below; do not edit by hand.\n\
         format {FORMAT_VERSION}\ncloud {}\nchangeNumber {}\nsource {}\nsha256 {}",
        h.cloud, h.change_number, h.source, h.sha256
    );
    if let Some(p) = &h.published {
        check_date(p)?;
        let _ = writeln!(out, "published {p}");
    }
    for tag in &snap.tags {
        check_word(&tag.name, "tag name")?;
        let ctx = |m: String| format!("tag {:?}: {m}", tag.name);
        let _ = write!(out, "\ntag {}", tag.name);
        if let Some(v) = &tag.id {
            check_word(v, "id").map_err(ctx)?;
            let _ = write!(out, " id={v}");
        }
        if let Some(v) = tag.change_number {
            let _ = write!(out, " changeNumber={v}");
        }
        if let Some(v) = &tag.region {
            check_word(v, "region").map_err(ctx)?;
            let _ = write!(out, " region={v}");
        }
        if let Some(v) = tag.region_id {
            let _ = write!(out, " regionId={v}");
        }
        if let Some(v) = &tag.platform {
            check_word(v, "platform").map_err(ctx)?;
            let _ = write!(out, " platform={v}");
        }
        if let Some(v) = &tag.system_service {
            check_word(v, "systemService").map_err(ctx)?;
            let _ = write!(out, " systemService={v}");
        }
        match &tag.network_features {
            Features::Absent => {}
            Features::Null => out.push_str(" networkFeatures=null"),
            Features::List(list) => {
                for f in list {
                    if f.is_empty() {
                        return Err(ctx("networkFeatures has an empty entry".into()));
                    }
                    check_word(f, "network feature").map_err(ctx)?;
                }
                let _ = write!(out, " networkFeatures=[{}]", list.join(","));
            }
        }
        out.push('\n');
        for p in &tag.prefixes {
            let _ = writeln!(out, "{p}");
        }
    }
    Ok(out)
}

/// Parses a `regions.tsv`; `file` names it in errors.
///
/// ```
/// use azure_service_tags::format::parse_regions;
/// let text = "name\tdisplayName\tcode\tregionId\tgeography\tpaired\nitalynorth\tItaly North\titalynorth\t93\tItaly\t-\n";
/// assert!(parse_regions(text, "regions.tsv").unwrap()[0].paired.is_none());
/// ```
pub fn parse_regions(text: &str, file: &str) -> Result<Vec<RegionRecord>, FormatError> {
    let err = |line: usize, msg: String| FormatError::new(file, line, msg);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut header_seen = false;
    let mut names = HashSet::new();
    for (i, raw) in text.lines().enumerate() {
        let n = i + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        if !header_seen {
            if cols != REGION_COLUMNS {
                return Err(err(
                    n,
                    format!("the header row is {cols:?}, expected {REGION_COLUMNS:?}"),
                ));
            }
            header_seen = true;
            continue;
        }
        if cols.len() != REGION_COLUMNS.len() {
            return Err(err(
                n,
                format!(
                    "{} columns, expected {}: {line:?}",
                    cols.len(),
                    REGION_COLUMNS.len()
                ),
            ));
        }
        let opt = |v: &str| (v != "-").then(|| v.to_string());
        let name = cols[0];
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Err(err(
                n,
                format!("region name {name:?} is not lowercase letters and digits"),
            ));
        }
        if !names.insert(name.to_string()) {
            return Err(err(n, format!("region {name:?} appears twice")));
        }
        let region_id = match cols[3] {
            "-" => None,
            v => Some(v.parse().map_err(|_| {
                err(
                    n,
                    format!("region {name:?}: regionId {v:?} is not a number"),
                )
            })?),
        };
        rows.push(RegionRecord {
            name: name.to_string(),
            display_name: opt(cols[1]),
            code: opt(cols[2]),
            region_id,
            geography: opt(cols[4]),
            paired: opt(cols[5]),
        });
    }
    if !header_seen {
        return Err(err(0, "no header row".to_string()));
    }
    Ok(rows)
}

/// Writes a `regions.tsv`. Fails if a value holds a tab or a line break, or is `-`.
///
/// ```
/// use azure_service_tags::format::{parse_regions, write_regions, RegionRecord};
/// let rows = vec![RegionRecord { name: "eastus".into(), paired: Some("westus".into()), ..RegionRecord::default() }];
/// assert_eq!(parse_regions(&write_regions(&rows).unwrap(), "r").unwrap(), rows);
/// ```
pub fn write_regions(rows: &[RegionRecord]) -> Result<String, String> {
    let mut out = String::from(
        "# Azure regions in the azure-service-tags format: tab-separated, '-' for unknown.\n\
         # Written by the `refresh` tool; pairs are directional, as published.\n",
    );
    out.push_str(&REGION_COLUMNS.join("\t"));
    out.push('\n');
    for r in rows {
        let id = r.region_id.map(|v| v.to_string());
        let cols = [
            Some(r.name.as_str()),
            r.display_name.as_deref(),
            r.code.as_deref(),
            id.as_deref(),
            r.geography.as_deref(),
            r.paired.as_deref(),
        ];
        for (i, c) in cols.iter().enumerate() {
            let v = c.unwrap_or("-");
            if c.is_some() && (v == "-" || v.is_empty() || v.contains(['\t', '\n', '\r'])) {
                return Err(format!(
                    "region {:?}: {} {v:?} cannot be written",
                    r.name, REGION_COLUMNS[i]
                ));
            }
            if i > 0 {
                out.push('\t');
            }
            out.push_str(v);
        }
        out.push('\n');
    }
    Ok(out)
}

/// Folds a region spelling to the key the region index uses: ASCII letters and digits,
/// lowercased, with spaces, hyphens and underscores dropped (`"East US 2"`, `"east-us-2"`
/// and `"EastUS2"` all give `eastus2`). Writes into `buf`, so it never allocates; `None`
/// when the input has other characters or does not fit.
///
/// ```
/// # use azure_service_tags::format::fold_region_name;
/// let mut buf = [0u8; 64];
/// assert_eq!(fold_region_name("East US 2", &mut buf), Some("eastus2"));
/// assert_eq!(fold_region_name("east/us", &mut buf), None);
/// ```
pub fn fold_region_name<'b>(input: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    let mut len = 0;
    for b in input.trim().bytes() {
        match b {
            b' ' | b'-' | b'_' => continue,
            b if b.is_ascii_alphanumeric() => {
                *buf.get_mut(len)? = b.to_ascii_lowercase();
                len += 1;
            }
            _ => return None,
        }
    }
    if len == 0 {
        return None;
    }
    std::str::from_utf8(&buf[..len]).ok()
}

/// Lowercases an ASCII name into `buf` without allocating; `None` when it does not fit or
/// is not ASCII (no tag name is).
///
/// ```
/// # use azure_service_tags::format::fold_tag_name;
/// let mut buf = [0u8; 128];
/// assert_eq!(fold_tag_name("AzureCloud.EastUS2", &mut buf), Some("azurecloud.eastus2"));
/// ```
pub fn fold_tag_name<'b>(input: &str, buf: &'b mut [u8]) -> Option<&'b str> {
    let bytes = input.as_bytes();
    if !input.is_ascii() || bytes.len() > buf.len() {
        return None;
    }
    let out = &mut buf[..bytes.len()];
    out.copy_from_slice(bytes);
    out.make_ascii_lowercase();
    std::str::from_utf8(out).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str =
        "format 1\ncloud Public\nchangeNumber 9\nsource ServiceTags_Public_20250101.json\n\
        sha256 00000000000000000000000000000000000000000000000000000000000000aa\n";

    fn sample() -> SnapshotFile {
        SnapshotFile {
            header: Header {
                cloud: "Public".into(),
                change_number: 9,
                source: "ServiceTags_Public_20250101.json".into(),
                sha256: "ab".repeat(32),
                published: Some("2025-01-01".into()),
            },
            tags: vec![
                TagRecord {
                    name: "Old".into(),
                    id: Some("Old".into()),
                    change_number: Some(1),
                    region: Some(String::new()),
                    prefixes: vec![Prefix::V4(0x0a00_0000, 8)],
                    ..TagRecord::default()
                },
                TagRecord {
                    name: "Null.WestEurope".into(),
                    region: Some("westeurope".into()),
                    region_id: Some(18),
                    network_features: Features::Null,
                    prefixes: vec![
                        Prefix::V6(1 << 127, 1),
                        Prefix::V4(0, 0),
                        Prefix::V6(0, 128),
                    ],
                    ..TagRecord::default()
                },
                TagRecord {
                    name: "Empty".into(),
                    network_features: Features::List(vec![]),
                    ..TagRecord::default()
                },
                TagRecord {
                    name: "Full".into(),
                    platform: Some("Azure".into()),
                    system_service: Some(String::new()),
                    network_features: Features::List(vec!["NSG".into(), "API".into()]),
                    ..TagRecord::default()
                },
            ],
        }
    }

    #[test]
    fn write_then_parse_gives_back_every_fact() {
        let snap = sample();
        let text = write_snapshot(&snap).unwrap();
        assert_eq!(parse_snapshot(&text, "t").unwrap(), snap);
        // Deterministic: the same input gives the same bytes.
        assert_eq!(
            write_snapshot(&parse_snapshot(&text, "t").unwrap()).unwrap(),
            text
        );
        // Absent, null and empty features are written differently.
        assert!(text.contains("tag Old id=Old changeNumber=1 region=\n"));
        assert!(text.contains("networkFeatures=null"));
        assert!(text.contains("tag Empty networkFeatures=[]\n"));
        assert!(text.contains("networkFeatures=[NSG,API]"));
    }

    fn error(body: &str) -> FormatError {
        parse_snapshot(&format!("{HEADER}{body}"), "data/public/service-tags.txt").unwrap_err()
    }

    #[test]
    fn errors_name_the_file_line_tag_and_value() {
        let e = error("tag A id=A\n10.0.0.1/8\n");
        assert_eq!(e.line, 7);
        assert_eq!(e.file, "data/public/service-tags.txt");
        let shown = e.to_string();
        assert!(
            shown.starts_with("data/public/service-tags.txt:7:"),
            "{shown}"
        );
        assert!(
            shown.contains("\"A\"") && shown.contains("10.0.0.1/8") && shown.contains("host bits")
        );
        assert!(error("tag A\n10.0.0.0/33\n")
            .message
            .contains("longer than 32"));
        assert!(error("tag A\n2001:db8::/129\n")
            .message
            .contains("longer than 128"));
        assert!(error("tag A\nfoo/8\n").message.contains("\"foo/8\""));
        assert!(error("tag A\n10.0.0.0\n").message.contains("no '/length'"));
        assert!(error("tag A\ntag a\n")
            .message
            .contains("duplicate tag name \"a\""));
        assert!(error("tag A colour=red\n")
            .message
            .contains("unknown property \"colour\""));
        assert!(error("tag A id=A id=B\n").message.contains("appears twice"));
        assert!(error("tag A regionId=x\n")
            .message
            .contains("regionId \"x\""));
        assert!(error("tag A networkFeatures=NSG\n")
            .message
            .contains("neither null"));
        assert!(error("tag A networkFeatures=[NSG,]\n")
            .message
            .contains("empty entry"));
        let e = parse_snapshot("format 2\n", "f").unwrap_err();
        assert!(e.message.contains("format \"2\" is not supported"));
        let e = parse_snapshot("format 1\ncloud Public\n", "f").unwrap_err();
        assert!(e.message.contains("no \"changeNumber\""));
        let e = parse_snapshot("format 1\nsha256 xyz\n", "f").unwrap_err();
        assert!(e.message.contains("sha256 \"xyz\""));
        let e = parse_snapshot("format 1\npublished 2025-13-01\n", "f").unwrap_err();
        assert!(e.message.contains("2025-13-01"));
    }

    #[test]
    fn values_that_cannot_be_written_are_refused() {
        let mut snap = sample();
        snap.tags[0].platform = Some("Azure Stack".into());
        let e = write_snapshot(&snap).unwrap_err();
        assert!(e.contains("\"Old\"") && e.contains("Azure Stack"), "{e}");
        let mut snap = sample();
        snap.tags[1].network_features = Features::List(vec!["A,B".into()]);
        assert!(write_snapshot(&snap).is_err());
    }

    #[test]
    fn regions_round_trip_and_errors() {
        let rows = vec![
            RegionRecord {
                name: "francecentral".into(),
                display_name: Some("France Central".into()),
                code: Some("centralfrance".into()),
                region_id: Some(19),
                geography: Some("France".into()),
                paired: Some("francesouth".into()),
            },
            RegionRecord {
                name: "francesouth".into(),
                ..RegionRecord::default()
            },
        ];
        let text = write_regions(&rows).unwrap();
        assert_eq!(parse_regions(&text, "r").unwrap(), rows);
        let e = parse_regions("name\tcode\n", "r.tsv").unwrap_err();
        assert!(e.to_string().starts_with("r.tsv:1:"), "{e}");
        let head = REGION_COLUMNS.join("\t");
        let e = parse_regions(&format!("{head}\nx\t-\n"), "r").unwrap_err();
        assert!(e.message.contains("2 columns"));
        let e = parse_regions(&format!("{head}\nEast US\t-\t-\t-\t-\t-\n"), "r").unwrap_err();
        assert!(e.message.contains("\"East US\""));
        let e = parse_regions(&format!("{head}\nx\t-\t-\tq\t-\t-\n"), "r").unwrap_err();
        assert!(e.message.contains("regionId \"q\""));
        let e = parse_regions(
            &format!("{head}\nx\t-\t-\t-\t-\t-\nx\t-\t-\t-\t-\t-\n"),
            "r",
        )
        .unwrap_err();
        assert_eq!(e.line, 3);
        assert!(parse_regions("", "r").is_err());
        let bad = [RegionRecord {
            name: "x".into(),
            display_name: Some("-".into()),
            ..RegionRecord::default()
        }];
        assert!(write_regions(&bad).is_err());
    }

    #[test]
    fn folding() {
        let mut buf = [0u8; 8];
        assert_eq!(fold_region_name(" West-US_3 ", &mut buf), Some("westus3"));
        assert_eq!(fold_region_name("", &mut buf), None);
        assert_eq!(fold_region_name("   ", &mut buf), None);
        assert_eq!(fold_region_name("Überall", &mut buf), None);
        assert_eq!(fold_region_name("far too long", &mut buf), None);
        let mut buf = [0u8; 4];
        assert_eq!(fold_tag_name("AbC", &mut buf), Some("abc"));
        assert_eq!(fold_tag_name("AbCdE", &mut buf), None);
        assert_eq!(fold_tag_name("é", &mut buf), None);
    }

    #[test]
    fn prefix_ranges() {
        assert_eq!(Prefix::V4(0, 0).range(), (0, Some(1 << 32)));
        assert_eq!(
            Prefix::V4(u32::MAX, 32).range(),
            (u128::from(u32::MAX), Some(1 << 32))
        );
        assert_eq!(Prefix::V6(0, 0).range(), (0, None));
        assert_eq!(Prefix::V6(u128::MAX, 128).range(), (u128::MAX, None));
        assert_eq!(Prefix::parse("::/0"), Ok(Prefix::V6(0, 0)));
        assert_eq!(
            Prefix::V6(0x2001_0db8 << 96, 32).to_string(),
            "2001:db8::/32"
        );
    }
}
