//! Microsoft's official "Azure IP Ranges and Service Tags" JSON, in and out (feature
//! `json`).
//!
//! This module owns reading the official file in every real shape (2019 files without
//! `regionId` and `networkFeatures`, `az network list-service-tags` output, a UTF-8
//! BOM), building a cloud's region table from Microsoft's region list and pairs, loading
//! an official file as a [`Snapshot`] at run time ([`Snapshot::from_json`],
//! [`Snapshot::from_path`], [`Snapshot::open`]), and writing a snapshot back as
//! official-shaped JSON ([`export_official`]). Writing `data/` is the `refresh` module's.

use std::fmt;
use std::path::Path;

use serde::Serialize;
use serde::ser::SerializeMap;
use serde_json::Value;

use crate::datafile::Property;
use crate::datafile::{self, FileError};
use crate::snapshot::{LoadError, Snapshot};
use crate::tag::Tag;

pub(crate) mod parse;
pub(crate) mod regions;

pub(crate) use parse::parse_official;
pub use regions::RegionSources;
pub(crate) use regions::build_regions;

/// Why an official file could not be read, parsed or loaded. Every variant names the
/// file and, where there is one, the tag and value at fault.
///
/// ```
/// use azure_service_tags::{official::OfficialError, Snapshot};
/// let err = Snapshot::from_json(&b"<html>"[..]).unwrap_err();
/// assert!(matches!(err, OfficialError::Invalid { .. }));
/// assert!(err.to_string().contains("not JSON"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum OfficialError {
    /// The file is not service-tags JSON, or a value in it is wrong.
    Invalid {
        /// The file.
        file: String,
        /// What is wrong, naming the tag and value.
        message: String,
    },
    /// A file could not be read.
    Io(FileError),
    /// The file parses but its data would not index (see [`LoadError`]).
    Load(LoadError),
}

impl fmt::Display for OfficialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OfficialError::Invalid { file, message } => write!(f, "{file}: {message}"),
            OfficialError::Io(e) => write!(f, "{e}"),
            OfficialError::Load(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for OfficialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OfficialError::Io(e) => Some(e),
            OfficialError::Load(e) => Some(e),
            OfficialError::Invalid { .. } => None,
        }
    }
}

impl From<LoadError> for OfficialError {
    fn from(e: LoadError) -> Self {
        OfficialError::Load(e)
    }
}

/// Parses a JSON file (UTF-8, a byte-order mark allowed); an error names the file and,
/// when `expected` is not empty, what the file should have been.
pub(crate) fn read_json(bytes: &[u8], file: &str, expected: &str) -> Result<Value, OfficialError> {
    let text =
        std::str::from_utf8(bytes).map_err(|e| invalid(file, format!("not UTF-8 text ({e})")))?;
    serde_json::from_str(datafile::strip_bom(text)).map_err(|e| {
        let expected = if expected.is_empty() {
            String::new()
        } else {
            format!("; expected {expected}")
        };
        invalid(file, format!("not JSON ({e}){expected}"))
    })
}

pub(crate) fn invalid(file: &str, message: impl Into<String>) -> OfficialError {
    OfficialError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

impl Snapshot {
    /// Loads an official "Azure IP Ranges and Service Tags" JSON file (or
    /// `az network list-service-tags` output) at run time, for services that cannot wait
    /// for a crate release. It is indexed by the same code as the compiled-in snapshots
    /// and answers every lookup the same way, allocation-free. The region table is the
    /// file's cloud's in the crate's `data/` (compiled in for all three clouds, whatever
    /// the features), extended with any region code the file uses. Feature `json`.
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
    pub fn from_json(mut reader: impl std::io::Read) -> Result<Snapshot, OfficialError> {
        let mut bytes = Vec::new();
        reader
            .read_to_end(&mut bytes)
            .map_err(FileError::of(Path::new("(JSON reader)")))
            .map_err(OfficialError::Io)?;
        load_official(&bytes, "(JSON reader)")
    }

    /// Loads an official JSON file, as [`Snapshot::from_json`]; the file's name is kept
    /// as the source, and its `_YYYYMMDD` suffix as the publication date.
    ///
    /// ```no_run
    /// let snap = azure_service_tags::Snapshot::from_path("ServiceTags_Public_20251111.json").unwrap();
    /// println!("{} tags, changeNumber {}", snap.tags().len(), snap.change_number());
    /// ```
    pub fn from_path(path: impl AsRef<Path>) -> Result<Snapshot, OfficialError> {
        let path = path.as_ref();
        let bytes = std::fs::read(path)
            .map_err(FileError::of(path))
            .map_err(OfficialError::Io)?;
        let name = path.file_name().map_or_else(
            || path.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        load_official(&bytes, &name)
    }

    /// Opens what a user names as a snapshot: a `data/<cloud>/` directory (as
    /// [`Snapshot::from_data_dir`]) or an official JSON file (as [`Snapshot::from_path`]).
    ///
    /// ```
    /// let snap = azure_service_tags::Snapshot::open("data/public").unwrap();
    /// assert_eq!(snap.change_number(), azure_service_tags::public().change_number());
    /// assert!(azure_service_tags::Snapshot::open("no/such/file.json").is_err());
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Snapshot, OfficialError> {
        let path = path.as_ref();
        if path.is_dir() {
            Ok(Snapshot::from_data_dir(path)?)
        } else {
            Snapshot::from_path(path)
        }
    }
}

/// Parses an official file into a snapshot at run time: the region table is the one
/// of the file's cloud in `data/` (compiled in for every cloud, whatever the features),
/// extended with the file's region codes.
pub(crate) fn load_official(bytes: &[u8], file_name: &str) -> Result<Snapshot, OfficialError> {
    let official = parse_official(bytes, file_name)?;
    let snap = official.snapshot;
    let cloud = snap.header.cloud;
    let previous = crate::embedded::region_table(cloud);
    let regions = build_regions(cloud, &snap, &RegionSources::default(), &previous)?;
    Ok(Snapshot::from_records(&snap, &regions)?)
}

/// An official file's top level, as a view of a snapshot.
#[derive(Serialize)]
struct OfficialFile<'a> {
    #[serde(rename = "changeNumber")]
    change_number: u32,
    cloud: &'static str,
    values: Vec<OfficialValue<'a>>,
}

/// One tag as an official file writes it: the name and the properties outside
/// `properties` (`id`), then `properties`; absent properties left out.
struct OfficialValue<'a>(Tag<'a>);

impl Serialize for OfficialValue<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tag = self.0;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("name", tag.name())?;
        for p in Property::ALL.into_iter().filter(|p| !p.in_properties()) {
            if let Some(value) = tag.property(p) {
                map.serialize_entry(p.official(), &value)?;
            }
        }
        map.serialize_entry("properties", &OfficialProperties(tag))?;
        map.end()
    }
}

/// A tag's `properties`, in Microsoft's order: `addressPrefixes` just before
/// `networkFeatures`, which comes last.
struct OfficialProperties<'a>(Tag<'a>);

impl Serialize for OfficialProperties<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let tag = self.0;
        let mut map = s.serialize_map(None)?;
        let (last, inside) = Property::ALL
            .into_iter()
            .filter(|p| p.in_properties())
            .partition::<Vec<_>, _>(|&p| p == Property::NetworkFeatures);
        for p in inside {
            if let Some(value) = tag.property(p) {
                map.serialize_entry(p.official(), &value)?;
            }
        }
        let prefixes: Vec<String> = tag.prefixes().map(|p| p.to_string()).collect();
        map.serialize_entry("addressPrefixes", &prefixes)?;
        for p in last {
            if let Some(value) = tag.property(p) {
                map.serialize_entry(p.official(), &value)?;
            }
        }
        map.end()
    }
}

/// Writes a snapshot back as an official-shaped JSON file: same tags, properties and
/// prefixes, in the same order, with absent properties left out. Exporting the pinned
/// snapshot gives a file semantically identical to the one it was made from.
///
/// ```
/// use azure_service_tags::{official::export_official, Snapshot};
/// let json = export_official(azure_service_tags::public());
/// let back = Snapshot::from_json(json.as_bytes()).unwrap();
/// assert_eq!(back.tags().len(), azure_service_tags::public().tags().len());
/// ```
pub fn export_official(snap: &Snapshot) -> String {
    let file = OfficialFile {
        change_number: snap.change_number(),
        cloud: snap.cloud().as_str(),
        values: snap.tags().map(OfficialValue).collect(),
    };
    crate::serialize::json_line(&file, true)
}

/// Compares two official-shaped files as JSON values (key order aside): `None` when
/// they are the same, else the first difference found.
///
/// ```
/// use azure_service_tags::official::semantic_difference;
/// assert_eq!(semantic_difference(br#"{"a": 1, "b": 2}"#, br#"{"b": 2, "a": 1}"#).unwrap(), None);
/// assert!(semantic_difference(br#"{"a": [1]}"#, br#"{"a": [2]}"#).unwrap().unwrap().contains(".a[0]"));
/// ```
pub fn semantic_difference(a: &[u8], b: &[u8]) -> Result<Option<String>, OfficialError> {
    let (a, b) = (
        read_json(a, "first file", "")?,
        read_json(b, "second file", "")?,
    );
    Ok(first_difference(&a, &b, String::new()))
}

fn first_difference(a: &Value, b: &Value, path: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for key in x.keys().chain(y.keys()) {
                let here = format!("{path}.{key}");
                match (x.get(key), y.get(key)) {
                    (Some(p), Some(q)) => {
                        if let Some(d) = first_difference(p, q, here) {
                            return Some(d);
                        }
                    }
                    (p, q) => return Some(format!("{here}: {p:?} vs {q:?}")),
                }
            }
            None
        }
        (Value::Array(x), Value::Array(y)) => {
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                let name = p
                    .get("name")
                    .and_then(Value::as_str)
                    .map(|n| format!("({n})"))
                    .unwrap_or_default();
                if let Some(d) = first_difference(p, q, format!("{path}[{i}]{name}")) {
                    return Some(d);
                }
            }
            (x.len() != y.len()).then(|| format!("{path}: {} vs {} entries", x.len(), y.len()))
        }
        _ => (a != b).then(|| format!("{path}: {a} vs {b}")),
    }
}
