//! The shared bottom layer: the `data/` line format and the facts every layer above
//! needs about clouds, dates, file names and name folding.
//!
//! This module uses only `std`, because `build.rs` includes it (`#[path =
//! "src/datafile/mod.rs"]`): the build script, the library and the `refresh` tool share
//! one parser, so what `refresh` writes is exactly what the build accepts.
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

use std::fmt;
use std::path::{Path, PathBuf};

mod cloud;
mod date;
mod property;
mod regions_file;
mod tags_file;

pub use cloud::{Cloud, ParseCloudError};
pub use date::{Date, ParseDateError};
pub use property::{Features, Property, PropertyData, PropertyShape, features_text};
pub use regions_file::{Pair, REGION_COLUMNS, RegionRecord, parse_regions, write_regions};
pub use tags_file::{
    Header, Prefix, PrefixError, PrefixProblem, SnapshotFile, TagRecord, parse_snapshot,
    write_snapshot,
};

/// The snapshot file of a cloud's data directory.
pub const SERVICE_TAGS_FILE: &str = "service-tags.txt";
/// The region table of a cloud's data directory.
pub const REGIONS_FILE: &str = "regions.tsv";
/// The change report of the last refresh, as text.
pub const CHANGES_TEXT_FILE: &str = "changes.txt";
/// The change report of the last refresh, as JSON.
pub const CHANGES_JSON_FILE: &str = "changes.json";

/// Room for the longest folded region spelling (validated when tables are built).
pub const REGION_KEY_MAX: usize = 64;
/// Room for the longest tag name (validated when tables are built).
pub const TAG_NAME_MAX: usize = 256;

/// The text without a leading UTF-8 byte-order mark (files saved by Windows tools).
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The lines of a `data/` file that hold something, with their 1-based numbers: a
/// byte-order mark, line ends (`\n` or `\r\n`), blank lines and `#` comments are
/// passed over.
pub fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    strip_bom(text)
        .lines()
        .enumerate()
        .map(|(i, raw)| (i + 1, raw.trim_end_matches('\r')))
        .filter(|(_, line)| !line.trim().is_empty() && !line.starts_with('#'))
}

/// The bytes without a leading UTF-8 byte-order mark.
pub fn strip_bom_bytes(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
}

/// A cloud's data directory (`data/<cloud>/`), parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataDir {
    /// `service-tags.txt`.
    pub snapshot: SnapshotFile,
    /// `regions.tsv`.
    pub regions: Vec<RegionRecord>,
}

/// A file that could not be read or written: which file, and the operating system's
/// error. Every error type of the crate that touches files holds one.
///
/// ```
/// use azure_service_tags::{FileError, LoadError, Snapshot};
/// let Err(LoadError::Io(e)) = Snapshot::from_data_dir("no/such/dir") else { panic!() };
/// assert!(e.path.ends_with("service-tags.txt"));
/// assert!(e.to_string().starts_with(&e.path.display().to_string()));
/// ```
#[derive(Debug)]
pub struct FileError {
    /// The file.
    pub path: PathBuf,
    /// The operating system's error.
    pub source: std::io::Error,
}

impl FileError {
    /// The error of `path`, for `map_err`: `fs::read(p).map_err(FileError::of(p))`.
    pub fn of(path: &Path) -> impl FnOnce(std::io::Error) -> FileError + '_ {
        move |source| FileError {
            path: path.to_path_buf(),
            source,
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path.display(), self.source)
    }
}

impl std::error::Error for FileError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Why a data directory could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// A file could not be read.
    Io(FileError),
    /// A file does not follow the format.
    DataFile(DataFileError),
}

impl ReadError {
    /// True when a file of the directory does not exist.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ReadError::Io(e) if e.source.kind() == std::io::ErrorKind::NotFound)
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "cannot read {e}"),
            ReadError::DataFile(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for ReadError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ReadError::Io(e) => Some(e),
            ReadError::DataFile(e) => Some(e),
        }
    }
}

/// Reads and parses the two files of a data directory; errors name the file (and line).
pub fn read_data_dir(dir: &Path) -> Result<DataDir, ReadError> {
    let read = |name: &str| {
        let path = dir.join(name);
        let text = std::fs::read_to_string(&path).map_err(FileError::of(&path));
        Ok((path.display().to_string(), text.map_err(ReadError::Io)?))
    };
    let (tags_label, tags) = read(SERVICE_TAGS_FILE)?;
    let (regions_label, regions) = read(REGIONS_FILE)?;
    Ok(DataDir {
        snapshot: parse_snapshot(&tags, &tags_label).map_err(ReadError::DataFile)?,
        regions: parse_regions(&regions, &regions_label).map_err(ReadError::DataFile)?,
    })
}

/// The version written in the `format` header line.
pub const DATA_FILE_VERSION: u32 = 1;

/// An error in a `data/` file: which file, which line (1-based, 0 when the error is
/// about the file as a whole) and what is wrong with which value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFileError {
    /// The file's name as the caller gave it.
    pub file: String,
    /// The 1-based line number, or 0 for the file as a whole.
    pub line: usize,
    /// What is wrong, naming the value at fault.
    pub message: String,
}

impl DataFileError {
    fn new(file: &str, line: usize, message: impl Into<String>) -> Self {
        DataFileError {
            file: file.to_string(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for DataFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file, self.message)
        } else {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        }
    }
}

impl std::error::Error for DataFileError {}

/// Folds a region spelling to the key the region index uses: ASCII letters and digits,
/// lowercased, with spaces, hyphens and underscores dropped (`"East US 2"`, `"east-us-2"`
/// and `"EastUS2"` all give `eastus2`). Writes into `buf`, so it never allocates; `None`
/// when the input has other characters or does not fit.
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

    const HEADER: &str = "format 1\ncloud Public\nchangeNumber 9\nsource ServiceTags_Public_20250101.json\n\
        sha256 00000000000000000000000000000000000000000000000000000000000000aa\n";

    fn sample() -> SnapshotFile {
        SnapshotFile {
            header: Header {
                cloud: Cloud::Public,
                change_number: 9,
                source: "ServiceTags_Public_20250101.json".into(),
                sha256: "ab".repeat(32),
                published: Date::new(2025, 1, 1),
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

    fn error(body: &str) -> DataFileError {
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
        assert!(
            error("tag A\n10.0.0.0/33\n")
                .message
                .contains("longer than 32")
        );
        assert!(
            error("tag A\n2001:db8::/129\n")
                .message
                .contains("longer than 128")
        );
        assert!(error("tag A\nfoo/8\n").message.contains("\"foo/8\""));
        assert!(error("tag A\n10.0.0.0\n").message.contains("no '/length'"));
        assert!(
            error("tag A\ntag a\n")
                .message
                .contains("duplicate tag name \"a\"")
        );
        assert!(
            error("tag A colour=red\n")
                .message
                .contains("unknown property \"colour\"")
        );
        assert!(error("tag A id=A id=B\n").message.contains("appears twice"));
        assert!(
            error("tag A regionId=x\n")
                .message
                .contains("regionId \"x\"")
        );
        assert!(
            error("tag A networkFeatures=NSG\n")
                .message
                .contains("neither null")
        );
        assert!(
            error("tag A networkFeatures=[NSG,]\n")
                .message
                .contains("empty entry")
        );
        let e = parse_snapshot("format 2\n", "f").unwrap_err();
        assert!(e.message.contains("format \"2\" is not supported"));
        let e = parse_snapshot("format 1\ncloud Public\n", "f").unwrap_err();
        assert!(e.message.contains("no \"changeNumber\""));
        let e = parse_snapshot("format 1\nsha256 xyz\n", "f").unwrap_err();
        assert!(e.message.contains("sha256 \"xyz\""));
        let e = parse_snapshot("format 1\npublished 2025-13-01\n", "f").unwrap_err();
        assert!(e.message.contains("2025-13-01"));
        let e = parse_snapshot("format 1\npublished 2025-02-31\n", "f").unwrap_err();
        assert!(e.message.contains("2025-02-31") && e.line == 2, "{e}");
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
                paired: Pair::Region("francesouth".into()),
            },
            RegionRecord {
                name: "francesouth".into(),
                ..RegionRecord::default()
            },
            RegionRecord {
                name: "italynorth".into(),
                paired: Pair::Unpaired,
                ..RegionRecord::default()
            },
        ];
        let text = write_regions(&rows).unwrap();
        assert!(text.contains("\nfrancesouth\t-\t-\t-\t-\t?\n"), "{text}");
        assert!(text.contains("\nitalynorth\t-\t-\t-\t-\t-\n"), "{text}");
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
