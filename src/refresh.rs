//! From Microsoft's official files to the pinned snapshot in `data/`, and back.
//!
//! This module (feature `json`; the `download` submodule needs feature `refresh`) owns
//! reading the official "Azure IP Ranges and Service Tags" JSON in every real shape
//! (2019 files without `regionId` and `networkFeatures`, `az network
//! list-service-tags` output, a UTF-8 BOM), building a cloud's region table from
//! Microsoft's region list and pairs, guarding and writing `data/` atomically with a
//! change report, and exporting a snapshot back to official-shaped JSON. Lookups never
//! need it: the library's default build does not compile it.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::format::{self, Features, Header, Prefix, RegionRecord, SnapshotFile, TagRecord};
use crate::snapshot::{Cloud, LoadError, Snapshot};
use crate::tag::NetworkFeatures;

#[cfg(feature = "refresh")]
pub mod download;

/// What went wrong while refreshing or exporting. Every variant names the file and,
/// where there is one, the tag and value at fault.
///
/// ```
/// use azure_service_tags::{refresh::refresh_from_bytes, Cloud};
/// let err = refresh_from_bytes(Cloud::Public, b"<html>", "page.html", "data".as_ref(), &Default::default())
///     .unwrap_err();
/// assert!(err.to_string().starts_with("page.html: not JSON"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum RefreshError {
    /// A file could not be read or written.
    Io {
        /// The file.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The file is not service-tags JSON, or a value in it is wrong.
    Invalid {
        /// The file.
        file: String,
        /// What is wrong, naming the tag and value.
        message: String,
    },
    /// The file is for another cloud than the one being refreshed.
    WrongCloud {
        /// The file.
        file: String,
        /// The cloud being refreshed.
        expected: Cloud,
        /// The file's `cloud` field.
        found: String,
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
    /// The new file drops tags that users rely on (`AzureMachineLearning*`).
    DropsTags {
        /// The file.
        file: String,
        /// The tags the file no longer has.
        tags: Vec<String>,
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
            RefreshError::Io { path, source } => write!(f, "{}: {source}", path.display()),
            RefreshError::Invalid { file, message } => write!(f, "{file}: {message}"),
            RefreshError::WrongCloud {
                file,
                expected,
                found,
            } => write!(
                f,
                "{file}: cloud is {found:?}, but the {} snapshot ({:?}) is being refreshed; \
                 pass --cloud for the file's cloud or pick the right file",
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
                 refusing to go back in time (pass --allow-downgrade to do it anyway)"
            ),
            RefreshError::Shrink {
                file,
                pinned,
                found,
            } => write!(
                f,
                "{file}: {found} prefixes, against {pinned} in the pinned snapshot: it drops more \
                 than 10% of them, which looks like a broken file; refusing (pass --force to \
                 accept it)"
            ),
            RefreshError::DropsTags { file, tags } => write!(
                f,
                "{file}: the file no longer has {}; refusing (pass --force to accept it)",
                tags.join(", ")
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

impl std::error::Error for RefreshError {}

impl From<LoadError> for RefreshError {
    fn from(e: LoadError) -> Self {
        RefreshError::Load(e)
    }
}

fn invalid(file: &str, message: impl Into<String>) -> RefreshError {
    RefreshError::Invalid {
        file: file.to_string(),
        message: message.into(),
    }
}

/// An official file, parsed.
///
/// ```
/// use azure_service_tags::refresh::parse_official;
/// let parsed = parse_official(br#"{"changeNumber": 1, "cloud": "China", "values": []}"#, "x.json").unwrap();
/// assert!(parsed.warnings.is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct Official {
    /// The snapshot in the `data/` model, provenance included.
    pub snapshot: SnapshotFile,
    /// Things worth telling the user that do not stop the refresh (for example, that
    /// the file is `az network list-service-tags` output, which omits some tags).
    pub warnings: Vec<String>,
}

/// Parses an official service-tags file. `file_name` is recorded as the snapshot's
/// source, and its `_YYYYMMDD` suffix (if any) as the publication date.
///
/// ```
/// use azure_service_tags::refresh::parse_official;
/// let json = br#"{"changeNumber": 3, "cloud": "Public", "values": [
///   {"name": "Demo", "id": "Demo", "properties": {"changeNumber": 1, "region": "",
///    "platform": "Azure", "systemService": "Demo", "addressPrefixes": ["192.0.2.0/24"]}}]}"#;
/// let parsed = parse_official(json, "ServiceTags_Public_20250101.json").unwrap();
/// assert_eq!(parsed.snapshot.header.published.as_deref(), Some("2025-01-01"));
/// assert!(parsed.snapshot.tags[0].region_id.is_none()); // absent, as in 2019 files
/// ```
pub fn parse_official(bytes: &[u8], file_name: &str) -> Result<Official, RefreshError> {
    let file = file_name;
    let text =
        std::str::from_utf8(bytes).map_err(|e| invalid(file, format!("not UTF-8 text ({e})")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let root: Value = serde_json::from_str(text).map_err(|e| {
        invalid(
            file,
            format!("not JSON ({e}); expected an \"Azure IP Ranges and Service Tags\" file"),
        )
    })?;
    let obj = root
        .as_object()
        .ok_or_else(|| invalid(file, "the top level is not a JSON object"))?;
    let mut warnings = Vec::new();
    let values = obj
        .get("values")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid(file, "no \"values\" array: this is not a service-tags file"))?;
    let cloud = match obj.get("cloud") {
        Some(Value::String(c)) => c.clone(),
        _ => return Err(invalid(file, "no \"cloud\" string at the top level")),
    };
    let change_number = number(obj.get("changeNumber"))
        .map_err(|m| invalid(file, format!("top-level changeNumber {m}")))?
        .ok_or_else(|| invalid(file, "no top-level \"changeNumber\""))?;
    let discovery = obj.contains_key("type")
        || obj.contains_key("nextLink")
        || matches!(obj.get("changeNumber"), Some(Value::String(_)));
    if discovery {
        warnings.push(
            "this looks like `az network list-service-tags` (Discovery API) output: it omits \
             tags that cannot be used in NSG rules, AzureMachineLearning.<region> among them"
                .to_string(),
        );
    }
    if obj.get("nextLink").is_some_and(|v| !v.is_null()) {
        warnings.push("the file has a nextLink: it may be only the first page".to_string());
    }
    let mut tags = Vec::with_capacity(values.len());
    let mut seen = HashSet::new();
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    for (i, v) in values.iter().enumerate() {
        let tag = parse_value(v, i, file, &mut unknown)?;
        if !seen.insert(tag.name.to_ascii_lowercase()) {
            return Err(invalid(file, format!("tag {:?} appears twice", tag.name)));
        }
        tags.push(tag);
    }
    for (key, n) in unknown {
        warnings.push(format!(
            "property {key:?} (on {n} tags) is not part of the snapshot format and was not kept"
        ));
    }
    Ok(Official {
        snapshot: SnapshotFile {
            header: Header {
                cloud,
                change_number,
                source: file_name.to_string(),
                sha256: sha256_hex(bytes),
                published: date_from_file_name(file_name),
            },
            tags,
        },
        warnings,
    })
}

/// A JSON number or a string of digits (the Discovery API writes strings).
fn number(v: Option<&Value>) -> Result<Option<u32>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("{n} is not a whole number below 2^32")),
        Some(Value::String(s)) => s
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| format!("{s:?} is not a number")),
        Some(other) => Err(format!("{other} is not a number")),
    }
}

fn parse_value(
    v: &Value,
    i: usize,
    file: &str,
    unknown: &mut BTreeMap<String, usize>,
) -> Result<TagRecord, RefreshError> {
    let obj = v
        .as_object()
        .ok_or_else(|| invalid(file, format!("values[{i}] is not an object")))?;
    let name = match obj.get("name") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(invalid(file, format!("values[{i}] has no \"name\" string"))),
    };
    let bad = |m: String| invalid(file, format!("tag {name:?}: {m}"));
    let string = |key: &str, v: Option<&Value>| -> Result<Option<String>, RefreshError> {
        match v {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(other) => Err(bad(format!("{key} {other} is not a string"))),
        }
    };
    let id = string("id", obj.get("id"))?;
    let props = obj
        .get("properties")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("no \"properties\" object".into()))?;
    const KNOWN: [&str; 7] = [
        "changeNumber",
        "region",
        "regionId",
        "platform",
        "systemService",
        "addressPrefixes",
        "networkFeatures",
    ];
    for key in props.keys() {
        if !KNOWN.contains(&key.as_str()) {
            *unknown.entry(key.clone()).or_default() += 1;
        }
    }
    let change_number =
        number(props.get("changeNumber")).map_err(|m| bad(format!("changeNumber {m}")))?;
    let region_id = number(props.get("regionId")).map_err(|m| bad(format!("regionId {m}")))?;
    let network_features = match props.get("networkFeatures") {
        None => Features::Absent,
        Some(Value::Null) => Features::Null,
        Some(Value::Array(items)) => Features::List(
            items
                .iter()
                .map(|f| match f {
                    Value::String(s) if !s.is_empty() => Ok(s.clone()),
                    other => Err(bad(format!("networkFeatures entry {other} is not a name"))),
                })
                .collect::<Result<_, _>>()?,
        ),
        Some(other) => {
            return Err(bad(format!(
                "networkFeatures {other} is neither null nor a list"
            )))
        }
    };
    let prefixes = props
        .get("addressPrefixes")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no \"addressPrefixes\" list".into()))?
        .iter()
        .map(|p| match p {
            Value::String(s) => Prefix::parse(s.trim()).map_err(bad),
            other => Err(bad(format!("address prefix {other} is not a string"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(TagRecord {
        name: name.clone(),
        id,
        change_number,
        region: string("region", props.get("region"))?,
        region_id,
        platform: string("platform", props.get("platform"))?,
        system_service: string("systemService", props.get("systemService"))?,
        network_features,
        prefixes,
    })
}

/// SHA-256 as lowercase hex.
///
/// ```
/// assert_eq!(
///     azure_service_tags::refresh::sha256_hex(b""),
///     "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
/// );
/// ```
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `ServiceTags_Public_20251028.json` -> `2025-10-28`.
///
/// ```
/// use azure_service_tags::refresh::date_from_file_name;
/// assert_eq!(date_from_file_name("dl/ServiceTags_China_20260720.json").as_deref(), Some("2026-07-20"));
/// assert_eq!(date_from_file_name("tags.json"), None);
/// ```
pub fn date_from_file_name(name: &str) -> Option<String> {
    let stem = name.rsplit(['/', '\\']).next()?;
    let stem = stem.strip_suffix(".json").unwrap_or(stem);
    let digits = stem.rsplit('_').next()?;
    if digits.len() != 8 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let date = format!("{}-{}-{}", &digits[..4], &digits[4..6], &digits[6..]);
    format::check_date(&date).ok().map(|_| date)
}

/// Microsoft's region list and pairs, the inputs of a region table.
///
/// ```
/// use azure_service_tags::refresh::RegionSources;
/// let sources = RegionSources { pairs: Some("cloud,region,secondary,geography,note\n".into()),
///                               pairs_name: "region-pairs.csv".into(), ..RegionSources::default() };
/// assert!(sources.locations.is_none());
/// ```
#[derive(Debug, Default, Clone)]
pub struct RegionSources {
    /// `az account list-locations` output (Public), as bytes.
    pub locations: Option<Vec<u8>>,
    /// The label of `locations` in errors.
    pub locations_name: String,
    /// `region-pairs.csv`: `cloud,region,secondary,geography,note`.
    pub pairs: Option<String>,
    /// The label of `pairs` in errors.
    pub pairs_name: String,
}

/// The `cloud` column of `region-pairs.csv` for each cloud.
fn pairs_cloud(cloud: Cloud) -> &'static str {
    match cloud {
        Cloud::Public => "Public",
        Cloud::AzureGovernment => "AzureUSGovernment",
        Cloud::China => "AzureChinaCloud",
    }
}

/// Builds a cloud's region table.
///
/// The rows come from `previous` (the pinned table) and, when given, Microsoft's
/// region list (physical regions only) and pairs. Then every region code used by the
/// snapshot's tags is attached to its region: the code itself when it is an ARM name,
/// else the ARM name that the tags' own names use for it
/// (`AzureMachineLearning.FranceCentral` has code `centralfrance`); a code that no
/// known region claims becomes a region of its own (regions that appear only in
/// service tags are still regions). Rows are sorted by ARM name.
///
/// ```
/// use azure_service_tags::refresh::{build_regions, parse_official, RegionSources};
/// use azure_service_tags::Cloud;
/// let json = br#"{"changeNumber": 1, "cloud": "Public", "values": [{"name": "X.FranceCentral",
///   "id": "X.FranceCentral", "properties": {"region": "centralfrance", "addressPrefixes": []}}]}"#;
/// let snap = parse_official(json, "x.json").unwrap().snapshot;
/// let sources = RegionSources {
///     pairs: Some("cloud,region,secondary,geography,note\nPublic,francecentral,francesouth,France,\n".into()),
///     ..RegionSources::default()
/// };
/// let rows = build_regions(Cloud::Public, &snap, &sources, &[]).unwrap();
/// assert_eq!(rows[0].name, "francecentral");
/// assert_eq!(rows[0].code.as_deref(), Some("centralfrance"));
/// ```
pub fn build_regions(
    cloud: Cloud,
    snapshot: &SnapshotFile,
    sources: &RegionSources,
    previous: &[RegionRecord],
) -> Result<Vec<RegionRecord>, RefreshError> {
    let mut rows: BTreeMap<String, RegionRecord> = previous
        .iter()
        .map(|r| (r.name.clone(), r.clone()))
        .collect();
    if let Some(bytes) = &sources.locations {
        read_locations(bytes, &sources.locations_name, &mut rows)?;
    }
    if let Some(text) = &sources.pairs {
        read_pairs(text, &sources.pairs_name, pairs_cloud(cloud), &mut rows)?;
    }
    // Region code -> (regionId, lowercased name suffixes of its tags with counts).
    let mut codes: BTreeMap<&str, (Option<u32>, HashMap<String, usize>)> = BTreeMap::new();
    for tag in &snapshot.tags {
        let Some(code) = tag.region.as_deref().filter(|c| !c.is_empty()) else {
            continue;
        };
        let entry = codes.entry(code).or_default();
        entry.0 = entry.0.or(tag.region_id);
        if let Some((_, suffix)) = tag.name.split_once('.') {
            *entry.1.entry(suffix.to_ascii_lowercase()).or_default() += 1;
        }
    }
    for (code, (region_id, suffixes)) in codes {
        let claimed = rows
            .values()
            .find(|r| r.code.as_deref() == Some(code))
            .map(|r| r.name.clone());
        let name = claimed
            .or_else(|| rows.contains_key(code).then(|| code.to_string()))
            .or_else(|| {
                // The most used suffix that names a known region without a code yet.
                let mut candidates: Vec<(&String, &usize)> = suffixes
                    .iter()
                    .filter(|(s, _)| rows.get(*s).is_some_and(|r| r.code.is_none()))
                    .collect();
                candidates.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                candidates.first().map(|(s, _)| (*s).clone())
            })
            .unwrap_or_else(|| code.to_string());
        let row = rows.entry(name.clone()).or_insert_with(|| RegionRecord {
            name: name.clone(),
            ..RegionRecord::default()
        });
        row.code = Some(code.to_string());
        if region_id.is_some() {
            row.region_id = region_id;
        }
    }
    Ok(rows.into_values().collect())
}

fn read_locations(
    bytes: &[u8],
    file: &str,
    rows: &mut BTreeMap<String, RegionRecord>,
) -> Result<(), RefreshError> {
    let text = std::str::from_utf8(bytes).map_err(|e| invalid(file, format!("not UTF-8 ({e})")))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let list: Value =
        serde_json::from_str(text).map_err(|e| invalid(file, format!("not JSON ({e})")))?;
    let list = list.as_array().ok_or_else(|| {
        invalid(
            file,
            "expected the list that `az account list-locations` prints",
        )
    })?;
    for (i, loc) in list.iter().enumerate() {
        let name = loc
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(file, format!("entry {i} has no \"name\"")))?;
        let meta = loc.get("metadata");
        let physical = meta
            .and_then(|m| m.get("regionType"))
            .and_then(Value::as_str)
            == Some("Physical");
        if !physical {
            continue; // "asia", "global", "eastusstage": not places to deploy to
        }
        let row = rows
            .entry(name.to_string())
            .or_insert_with(|| RegionRecord {
                name: name.to_string(),
                ..RegionRecord::default()
            });
        if let Some(d) = loc.get("displayName").and_then(Value::as_str) {
            row.display_name = Some(d.to_string());
        }
        if let Some(g) = meta
            .and_then(|m| m.get("geography"))
            .and_then(Value::as_str)
        {
            row.geography = Some(g.to_string());
        }
        let paired = meta
            .and_then(|m| m.get("pairedRegion"))
            .and_then(Value::as_array)
            .and_then(|p| p.first())
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str);
        if let Some(p) = paired {
            row.paired = Some(p.to_string());
        }
    }
    Ok(())
}

fn read_pairs(
    text: &str,
    file: &str,
    cloud: &str,
    rows: &mut BTreeMap<String, RegionRecord>,
) -> Result<(), RefreshError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header))
            if header
                .trim_end()
                .starts_with("cloud,region,secondary,geography") => {}
        _ => {
            return Err(invalid(
                file,
                "expected a header row cloud,region,secondary,geography,note",
            ))
        }
    }
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.splitn(5, ',').map(str::trim).collect();
        if cols.len() < 4 {
            return Err(invalid(
                file,
                format!("line {}: {line:?} has fewer than 4 columns", i + 1),
            ));
        }
        if cols[0] != cloud {
            continue;
        }
        let (name, secondary, geography) = (cols[1], cols[2], cols[3]);
        for r in [name, secondary].into_iter().filter(|r| !r.is_empty()) {
            rows.entry(r.to_string()).or_insert_with(|| RegionRecord {
                name: r.to_string(),
                ..RegionRecord::default()
            });
        }
        if let Some(row) = rows.get_mut(name) {
            row.paired = (!secondary.is_empty()).then(|| secondary.to_string());
            if row.geography.is_none() && !geography.is_empty() {
                row.geography = Some(geography.to_string());
            }
        }
    }
    Ok(())
}

/// Writes a snapshot back as an official-shaped JSON file: same tags, properties and
/// prefixes, in the same order, with absent properties left out. Exporting the pinned
/// snapshot gives a file semantically identical to the one it was made from.
///
/// ```
/// let json = azure_service_tags::refresh::export_official(azure_service_tags::public());
/// let back = azure_service_tags::refresh::parse_official(json.as_bytes(), "x.json").unwrap();
/// assert_eq!(back.snapshot.tags.len(), azure_service_tags::public().tags().len());
/// ```
pub fn export_official(snap: &Snapshot) -> String {
    let q = |s: &str| Value::String(s.to_string()).to_string();
    let mut o = String::with_capacity(8 << 20);
    o.push_str(&format!(
        "{{\n  \"changeNumber\": {},\n  \"cloud\": {},\n  \"values\": [",
        snap.change_number(),
        q(snap.cloud().as_str())
    ));
    for (i, tag) in snap.tags().enumerate() {
        o.push_str(if i == 0 { "\n" } else { ",\n" });
        o.push_str(&format!("    {{\n      \"name\": {}", q(tag.name())));
        if let Some(id) = tag.id() {
            o.push_str(&format!(",\n      \"id\": {}", q(id)));
        }
        o.push_str(",\n      \"properties\": {");
        let mut fields: Vec<String> = Vec::new();
        if let Some(v) = tag.change_number() {
            fields.push(format!("\"changeNumber\": {v}"));
        }
        if let Some(v) = tag.region_code() {
            fields.push(format!("\"region\": {}", q(v)));
        }
        if let Some(v) = tag.region_id() {
            fields.push(format!("\"regionId\": {v}"));
        }
        if let Some(v) = tag.platform() {
            fields.push(format!("\"platform\": {}", q(v)));
        }
        if let Some(v) = tag.system_service() {
            fields.push(format!("\"systemService\": {}", q(v)));
        }
        let prefixes: Vec<String> = tag
            .prefixes()
            .map(|p| format!("\n          {}", q(&p.to_string())))
            .collect();
        if prefixes.is_empty() {
            fields.push("\"addressPrefixes\": []".to_string());
        } else {
            fields.push(format!(
                "\"addressPrefixes\": [{}\n        ]",
                prefixes.join(",")
            ));
        }
        match tag.network_features() {
            NetworkFeatures::Absent => {}
            NetworkFeatures::Null => fields.push("\"networkFeatures\": null".to_string()),
            NetworkFeatures::List(list) => {
                let items: Vec<String> = list.iter().map(q).collect();
                fields.push(format!("\"networkFeatures\": [{}]", items.join(", ")));
            }
        }
        for (j, field) in fields.iter().enumerate() {
            o.push_str(if j == 0 { "\n        " } else { ",\n        " });
            o.push_str(field);
        }
        o.push_str("\n      }\n    }");
    }
    o.push_str("\n  ]\n}\n");
    o
}

/// Compares two official-shaped files as JSON values (key order aside): `None` when
/// they are the same, else the first difference found.
///
/// ```
/// use azure_service_tags::refresh::semantic_difference;
/// assert_eq!(semantic_difference(br#"{"a": 1, "b": 2}"#, br#"{"b": 2, "a": 1}"#).unwrap(), None);
/// assert!(semantic_difference(br#"{"a": [1]}"#, br#"{"a": [2]}"#).unwrap().unwrap().contains(".a[0]"));
/// ```
pub fn semantic_difference(a: &[u8], b: &[u8]) -> Result<Option<String>, RefreshError> {
    let parse = |bytes: &[u8], which: &str| -> Result<Value, RefreshError> {
        let text =
            std::str::from_utf8(bytes).map_err(|e| invalid(which, format!("not UTF-8 ({e})")))?;
        serde_json::from_str(text.strip_prefix('\u{feff}').unwrap_or(text))
            .map_err(|e| invalid(which, format!("not JSON ({e})")))
    };
    let (a, b) = (parse(a, "first file")?, parse(b, "second file")?);
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

/// The files of one cloud's snapshot under a data directory.
///
/// ```
/// use azure_service_tags::{refresh::DataPaths, Cloud};
/// let paths = DataPaths::new("data".as_ref(), Cloud::Public);
/// assert!(paths.regions.ends_with("public/regions.tsv"));
/// ```
#[derive(Debug, Clone)]
pub struct DataPaths {
    /// `data/<cloud>/`.
    pub dir: PathBuf,
    /// `data/<cloud>/service-tags.txt`.
    pub service_tags: PathBuf,
    /// `data/<cloud>/regions.tsv`.
    pub regions: PathBuf,
    /// `data/<cloud>/changes.txt`: the change report of the last refresh.
    pub changes_text: PathBuf,
    /// `data/<cloud>/changes.json`: the same report as JSON.
    pub changes_json: PathBuf,
}

impl DataPaths {
    /// The paths of `cloud`'s snapshot under `data_dir`.
    ///
    /// ```
    /// use azure_service_tags::{refresh::DataPaths, Cloud};
    /// let p = DataPaths::new("data".as_ref(), Cloud::China);
    /// assert!(p.service_tags.ends_with("china/service-tags.txt"));
    /// ```
    pub fn new(data_dir: &Path, cloud: Cloud) -> DataPaths {
        let dir = data_dir.join(cloud.short_name());
        DataPaths {
            service_tags: dir.join("service-tags.txt"),
            regions: dir.join("regions.tsv"),
            changes_text: dir.join("changes.txt"),
            changes_json: dir.join("changes.json"),
            dir,
        }
    }

    /// Reads the pinned snapshot, if there is one (`Ok(None)` when the files are missing).
    ///
    /// ```
    /// use azure_service_tags::{refresh::DataPaths, Cloud};
    /// let (snap, regions) = DataPaths::new("data".as_ref(), Cloud::Public).read().unwrap().unwrap();
    /// assert_eq!(snap.header.cloud, "Public");
    /// assert!(!regions.is_empty());
    /// ```
    pub fn read(&self) -> Result<Option<(SnapshotFile, Vec<RegionRecord>)>, RefreshError> {
        let read = |p: &Path| match fs::read_to_string(p) {
            Ok(text) => Ok(Some(text)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(RefreshError::Io {
                path: p.to_path_buf(),
                source: e,
            }),
        };
        let (Some(tags), Some(regions)) = (read(&self.service_tags)?, read(&self.regions)?) else {
            return Ok(None);
        };
        let label = |p: &Path| p.display().to_string();
        let snap = format::parse_snapshot(&tags, &label(&self.service_tags))
            .map_err(|e| RefreshError::Load(LoadError::Format(e)))?;
        let regions = format::parse_regions(&regions, &label(&self.regions))
            .map_err(|e| RefreshError::Load(LoadError::Format(e)))?;
        Ok(Some((snap, regions)))
    }
}

/// Writes every `(path, contents)` pair so that the files are replaced together or not
/// at all: all contents go to temporary files in the target directory first, and only
/// when every one is written and synced are they renamed over the targets. If writing
/// fails, the temporary files are removed and no target is touched; if a rename fails
/// half-way, the targets already replaced are put back from hard-link backups.
///
/// ```
/// use azure_service_tags::refresh::write_atomically;
/// let dir = std::env::temp_dir().join(format!("aztags-doc-{}", std::process::id()));
/// let file = dir.join("hello.txt");
/// write_atomically(&[(file.clone(), b"hello".to_vec())]).unwrap();
/// assert_eq!(std::fs::read(&file).unwrap(), b"hello");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn write_atomically(files: &[(PathBuf, Vec<u8>)]) -> Result<(), RefreshError> {
    let io = |path: &Path, source| RefreshError::Io {
        path: path.to_path_buf(),
        source,
    };
    let pid = std::process::id();
    let sibling = |target: &Path, kind: &str| {
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        target.with_file_name(format!(".{name}.{kind}{pid}"))
    };
    // 1. Every new content to a synced temporary file beside its target.
    let mut temps: Vec<(PathBuf, &Path)> = Vec::new();
    for (target, contents) in files {
        let written = (|| {
            if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
                fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
            }
            let temp = sibling(target, "tmp");
            let mut f = fs::File::create(&temp).map_err(|e| io(&temp, e))?;
            temps.push((temp.clone(), target));
            f.write_all(contents).map_err(|e| io(&temp, e))?;
            f.sync_all().map_err(|e| io(&temp, e))
        })();
        if let Err(e) = written {
            remove_quietly(temps.iter().map(|(t, _)| t.as_path()));
            return Err(e);
        }
    }
    // 2. Keep what each target holds now (a hard link, else a copy), so that a rename
    //    failing half-way can put every earlier target back.
    let mut backups: Vec<Option<PathBuf>> = Vec::new();
    for (_, target) in &temps {
        if !target.exists() {
            backups.push(None);
            continue;
        }
        let backup = sibling(target, "bak");
        let _ = fs::remove_file(&backup);
        let saved =
            fs::hard_link(target, &backup).or_else(|_| fs::copy(target, &backup).map(|_| ()));
        backups.push(Some(backup));
        if let Err(e) = saved {
            remove_quietly(temps.iter().map(|(t, _)| t.as_path()));
            remove_quietly(backups.iter().flatten().map(PathBuf::as_path));
            return Err(io(target, e));
        }
    }
    // 3. Rename each temporary file over its target; on failure, undo.
    for (i, (temp, target)) in temps.iter().enumerate() {
        if let Err(e) = fs::rename(temp, target) {
            for ((_, earlier), backup) in temps[..i].iter().zip(&backups).rev() {
                let _ = match backup {
                    Some(b) => fs::rename(b, earlier),
                    None => fs::remove_file(earlier),
                };
            }
            remove_quietly(temps.iter().map(|(t, _)| t.as_path()));
            remove_quietly(backups.iter().flatten().map(PathBuf::as_path));
            return Err(io(target, e));
        }
    }
    remove_quietly(backups.iter().flatten().map(PathBuf::as_path));
    // Make the renames durable where the platform allows it.
    if let Some(dir) = temps.first().and_then(|(t, _)| t.parent()) {
        if let Ok(d) = fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Removes files that may or may not exist (clean-up after a failure).
fn remove_quietly<'p>(paths: impl IntoIterator<Item = &'p Path>) {
    for p in paths {
        let _ = fs::remove_file(p);
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
    /// The files written.
    pub written: Vec<PathBuf>,
    /// What changed against the pinned snapshot (`None` when there was none).
    pub report: Option<crate::diff::ChangeReport>,
}

/// Options of [`refresh_from_bytes`].
///
/// ```
/// use azure_service_tags::refresh::RefreshOptions;
/// let options = RefreshOptions { allow_downgrade: true, ..RefreshOptions::default() };
/// assert!(options.region_sources.pairs.is_none());
/// ```
#[derive(Debug, Clone, Default)]
pub struct RefreshOptions {
    /// Accept a file whose changeNumber is lower than the pinned one.
    pub allow_downgrade: bool,
    /// Accept a file that drops more than 10% of the prefixes or an
    /// `AzureMachineLearning*` tag.
    pub force: bool,
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
    if snap.header.cloud != cloud.as_str() {
        return Err(RefreshError::WrongCloud {
            file: file_name.to_string(),
            expected: cloud,
            found: snap.header.cloud.clone(),
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
    let tags_text = format::write_snapshot(&snap).map_err(|m| invalid(file_name, m))?;
    let regions_text = format::write_regions(&regions).map_err(|m| invalid(file_name, m))?;
    // Read back what would be written and index it exactly as build.rs will: what
    // passes here cannot break the next build.
    let label = |p: &Path| format!("{} (as it would be written)", p.display());
    let written = format::parse_snapshot(&tags_text, &label(&paths.service_tags))
        .map_err(LoadError::Format)?;
    let written_regions =
        format::parse_regions(&regions_text, &label(&paths.regions)).map_err(LoadError::Format)?;
    let new_snapshot = Snapshot::from_records(&written, &written_regions)?;
    let mut files = vec![
        (paths.service_tags.clone(), tags_text.into_bytes()),
        (paths.regions.clone(), regions_text.into_bytes()),
    ];
    let report = match &pinned {
        None => None,
        Some((old, old_regions)) => {
            let old_snapshot = Snapshot::from_records(old, old_regions)?;
            let report = crate::diff::diff(&old_snapshot, &new_snapshot, &Default::default())
                .map_err(|e| invalid(file_name, e.to_string()))?;
            files.push((paths.changes_text.clone(), report.to_text().into_bytes()));
            files.push((paths.changes_json.clone(), report.to_json().into_bytes()));
            Some(report)
        }
    };
    write_atomically(&files)?;
    let (ipv4, ipv6) = snap
        .tags
        .iter()
        .flat_map(|t| &t.prefixes)
        .fold(
            (0, 0),
            |(a, b), p| {
                if p.is_v6() {
                    (a, b + 1)
                } else {
                    (a + 1, b)
                }
            },
        );
    Ok(RefreshSummary {
        tags: snap.tags.len(),
        ipv4,
        ipv6,
        regions: regions.len(),
        previous_change_number,
        change_number: snap.header.change_number,
        warnings: official.warnings,
        written: files.into_iter().map(|(p, _)| p).collect(),
        report,
    })
}

/// The checks a new file must pass against the pinned snapshot before anything is
/// written: its changeNumber is not lower (unless `allow_downgrade`), and it drops
/// neither more than 10% of the prefixes nor any `AzureMachineLearning*` tag (unless
/// `force`): such a file is more likely broken than real.
///
/// ```
/// use azure_service_tags::format::SnapshotFile;
/// use azure_service_tags::refresh::{check_update, RefreshError, RefreshOptions};
/// let mut old = SnapshotFile::default();
/// old.header.change_number = 375;
/// let mut new = old.clone();
/// new.header.change_number = 374;
/// let err = check_update(&old, &new, "new.json", &RefreshOptions::default()).unwrap_err();
/// assert!(matches!(err, RefreshError::Downgrade { pinned: 375, found: 374, .. }));
/// ```
pub fn check_update(
    old: &SnapshotFile,
    new: &SnapshotFile,
    file: &str,
    options: &RefreshOptions,
) -> Result<(), RefreshError> {
    if new.header.change_number < old.header.change_number && !options.allow_downgrade {
        return Err(RefreshError::Downgrade {
            file: file.to_string(),
            pinned: old.header.change_number,
            found: new.header.change_number,
        });
    }
    if options.force {
        return Ok(());
    }
    let count = |s: &SnapshotFile| s.tags.iter().map(|t| t.prefixes.len()).sum::<usize>();
    let (pinned, found) = (count(old), count(new));
    if found * 10 < pinned * 9 {
        return Err(RefreshError::Shrink {
            file: file.to_string(),
            pinned,
            found,
        });
    }
    let names: HashSet<String> = new
        .tags
        .iter()
        .map(|t| t.name.to_ascii_lowercase())
        .collect();
    let dropped: Vec<String> = old
        .tags
        .iter()
        .filter(|t| {
            t.name
                .to_ascii_lowercase()
                .starts_with("azuremachinelearning")
        })
        .filter(|t| !names.contains(&t.name.to_ascii_lowercase()))
        .map(|t| t.name.clone())
        .collect();
    if !dropped.is_empty() {
        return Err(RefreshError::DropsTags {
            file: file.to_string(),
            tags: dropped,
        });
    }
    Ok(())
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
    let (snap, regions) = paths.read()?.ok_or_else(|| {
        invalid(
            &paths.dir.display().to_string(),
            "no snapshot here (service-tags.txt and regions.tsv); run refresh --from first",
        )
    })?;
    Ok(Snapshot::from_records(&snap, &regions)?)
}

/// Parses an official file into a snapshot at run time: the region table is the
/// compiled-in one of the file's cloud, if any, extended with the file's region codes.
pub(crate) fn load_official(bytes: &[u8], file_name: &str) -> Result<Snapshot, RefreshError> {
    let official = parse_official(bytes, file_name)?;
    let snap = official.snapshot;
    let cloud = Cloud::from_official(&snap.header.cloud)
        .ok_or_else(|| RefreshError::Load(LoadError::UnknownCloud(snap.header.cloud.clone())))?;
    let previous = crate::snapshot_of(cloud)
        .map(Snapshot::region_records)
        .unwrap_or_default();
    let regions = build_regions(cloud, &snap, &RegionSources::default(), &previous)?;
    Ok(Snapshot::from_records(&snap, &regions)?)
}
