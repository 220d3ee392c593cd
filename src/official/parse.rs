//! Parsing an official file into the `data/` model, provenance included.

use std::collections::{BTreeMap, HashSet};

use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{OfficialError, invalid, read_json};
use crate::datafile::{
    Cloud, Date, Features, Header, Prefix, Property, PropertyData, PropertyShape, SnapshotFile,
    TagRecord,
};

/// An official file, parsed.
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
pub fn parse_official(bytes: &[u8], file_name: &str) -> Result<Official, OfficialError> {
    let file = file_name;
    let root = read_json(bytes, file, "an \"Azure IP Ranges and Service Tags\" file")?;
    let obj = root
        .as_object()
        .ok_or_else(|| invalid(file, "the top level is not a JSON object"))?;
    let mut warnings = Vec::new();
    let values = obj
        .get("values")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid(file, "no \"values\" array: this is not a service-tags file"))?;
    let cloud = match obj.get("cloud") {
        Some(Value::String(c)) => Cloud::from_official(c).ok_or_else(|| {
            invalid(
                file,
                format!("cloud {c:?} is not one of Public, AzureGovernment, China"),
            )
        })?,
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
) -> Result<TagRecord, OfficialError> {
    let obj = v
        .as_object()
        .ok_or_else(|| invalid(file, format!("values[{i}] is not an object")))?;
    let name = match obj.get("name") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        _ => return Err(invalid(file, format!("values[{i}] has no \"name\" string"))),
    };
    let bad = |m: String| invalid(file, format!("tag {name:?}: {m}"));
    let props = obj
        .get("properties")
        .and_then(Value::as_object)
        .ok_or_else(|| bad("no \"properties\" object".into()))?;
    let known = |key: &str| {
        key == "addressPrefixes"
            || Property::from_official(key).is_some_and(Property::in_properties)
    };
    for key in props.keys().filter(|key| !known(key)) {
        *unknown.entry(key.clone()).or_default() += 1;
    }
    let prefixes = props
        .get("addressPrefixes")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no \"addressPrefixes\" list".into()))?
        .iter()
        .map(|p| match p {
            Value::String(s) => Prefix::parse(s.trim()).map_err(|e| bad(e.to_string())),
            other => Err(bad(format!("address prefix {other} is not a string"))),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut tag = TagRecord {
        name: name.clone(),
        prefixes,
        ..TagRecord::default()
    };
    for p in Property::ALL {
        let value = if p.in_properties() {
            props.get(p.official())
        } else {
            obj.get(p.official())
        };
        set_property(&mut tag, p, value).map_err(bad)?;
    }
    Ok(tag)
}

/// Sets `p` of `tag` from its JSON value, if the file has it; says what is wrong with it.
fn set_property(tag: &mut TagRecord, p: Property, value: Option<&Value>) -> Result<(), String> {
    match (p.shape(), value) {
        (PropertyShape::Features, None) => Ok(()),
        (PropertyShape::Features, Some(Value::Null)) => {
            tag.set_property(p, PropertyData::Features(Features::Null))
        }
        (PropertyShape::Features, Some(Value::Array(items))) => {
            let names = items.iter().map(|f| match f {
                Value::String(s) if !s.is_empty() => Ok(s.clone()),
                other => Err(format!("{p} entry {other} is not a name")),
            });
            let list = Features::List(names.collect::<Result<_, _>>()?);
            tag.set_property(p, PropertyData::Features(list))
        }
        (PropertyShape::Features, Some(other)) => {
            Err(format!("{p} {other} is neither null nor a list"))
        }
        (PropertyShape::Number, value) => match number(value).map_err(|m| format!("{p} {m}"))? {
            Some(n) => tag.set_property(p, PropertyData::Number(n)),
            None => Ok(()),
        },
        (PropertyShape::Text, None) => Ok(()),
        (PropertyShape::Text, Some(Value::String(s))) => {
            tag.set_property(p, PropertyData::Text(s.clone()))
        }
        (PropertyShape::Text, Some(other)) => Err(format!("{p} {other} is not a string")),
    }
}

/// SHA-256 as lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `ServiceTags_Public_20251028.json` -> 2025-10-28.
pub fn date_from_file_name(name: &str) -> Option<Date> {
    let stem = name.rsplit(['/', '\\']).next()?;
    let stem = stem.strip_suffix(".json").unwrap_or(stem);
    Date::from_compact(stem.rsplit('_').next()?)
}
