//! `service-tags.txt`: a snapshot's provenance header and its tags, one block each.

use std::collections::HashSet;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::property::{Features, Property, PropertyData, PropertyShape};
use super::{Cloud, DATA_FILE_VERSION, DataFileError, Date, content_lines};

/// One address prefix, as raw integers: network address and prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Prefix {
    /// An IPv4 prefix.
    V4(u32, u8),
    /// An IPv6 prefix.
    V6(u128, u8),
}

impl Prefix {
    /// Parses `a.b.c.d/n` or `x:y::z/n`; host bits must be zero.
    pub fn parse(text: &str) -> Result<Prefix, PrefixError> {
        let err = |kind| PrefixError {
            text: text.to_string(),
            kind,
        };
        let (addr, len) = text
            .split_once('/')
            .ok_or_else(|| err(PrefixProblem::NoLength))?;
        let len: u8 = len.parse().map_err(|_| err(PrefixProblem::BadLength))?;
        if let Ok(a) = addr.parse::<Ipv4Addr>() {
            if len > 32 {
                return Err(err(PrefixProblem::TooLong(32)));
            }
            let a = u32::from(a);
            if len < 32 && a & (u32::MAX >> len) != 0 {
                return Err(err(PrefixProblem::HostBits));
            }
            Ok(Prefix::V4(a, len))
        } else if let Ok(a) = addr.parse::<Ipv6Addr>() {
            if len > 128 {
                return Err(err(PrefixProblem::TooLong(128)));
            }
            let a = u128::from(a);
            if len < 128 && a & (u128::MAX >> len) != 0 {
                return Err(err(PrefixProblem::HostBits));
            }
            Ok(Prefix::V6(a, len))
        } else {
            Err(err(PrefixProblem::NotAnAddress))
        }
    }

    /// The first address and one past the last, widened to `u128` (IPv4 as is).
    /// The end is `None` for a prefix that reaches the top of its address space.
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
    pub fn is_v6(self) -> bool {
        matches!(self, Prefix::V6(..))
    }
}

/// Why text is not a prefix: the text, and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixError {
    /// The text.
    pub text: String,
    /// What is wrong.
    pub kind: PrefixProblem,
}

/// What is wrong with a prefix's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixProblem {
    /// No `/length`.
    NoLength,
    /// The length is not a number.
    BadLength,
    /// Longer than the family's bits (32 or 128).
    TooLong(u8),
    /// Bits set below the length.
    HostBits,
    /// The part before `/` is not an address.
    NotAnAddress,
}

impl fmt::Display for PrefixError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "prefix {:?} ", self.text)?;
        match self.kind {
            PrefixProblem::NoLength => f.write_str("has no '/length'"),
            PrefixProblem::BadLength => f.write_str("has a length that is not a number"),
            PrefixProblem::TooLong(bits) => write!(f, "is longer than {bits} bits"),
            PrefixProblem::HostBits => f.write_str("has host bits set"),
            PrefixProblem::NotAnAddress => {
                f.write_str("does not start with an IPv4 or IPv6 address")
            }
        }
    }
}

impl std::error::Error for PrefixError {}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Prefix::V4(a, len) => write!(f, "{}/{}", Ipv4Addr::from(a), len),
            Prefix::V6(a, len) => write!(f, "{}/{}", Ipv6Addr::from(a), len),
        }
    }
}

/// The header of `service-tags.txt`: where the snapshot came from.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Header {
    /// The `cloud` field of the source file (`Public`, `AzureGovernment` or `China`).
    pub cloud: Cloud,
    /// The source file's top-level `changeNumber`.
    pub change_number: u32,
    /// The source file's name.
    pub source: String,
    /// SHA-256 of the source file's bytes, lowercase hex.
    pub sha256: String,
    /// The publication date from the file name, `YYYY-MM-DD`, when the name carries one.
    pub published: Option<Date>,
}

/// One service tag with every property of the source file.
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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SnapshotFile {
    /// Provenance.
    pub header: Header,
    /// The tags, in published order.
    pub tags: Vec<TagRecord>,
}

/// Parses a `service-tags.txt`; `file` names it in errors.
pub fn parse_snapshot(text: &str, file: &str) -> Result<SnapshotFile, DataFileError> {
    let err = |line: usize, msg: String| DataFileError::new(file, line, msg);
    let mut header = Header::default();
    let mut seen_header: HashSet<&str> = HashSet::new();
    let mut tags: Vec<TagRecord> = Vec::new();
    let mut names: HashSet<String> = HashSet::new();
    for (n, line) in content_lines(text) {
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
                    if value != DATA_FILE_VERSION.to_string() {
                        return Err(err(
                            n,
                            format!(
                                "format {value:?} is not supported (this build reads format {DATA_FILE_VERSION})"
                            ),
                        ));
                    }
                }
                "cloud" => {
                    header.cloud = Cloud::from_official(value).ok_or_else(|| {
                        err(
                            n,
                            format!("cloud {value:?} is not one of Public, AzureGovernment, China"),
                        )
                    })?
                }
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
                    let date = value.parse::<Date>().map_err(|e| err(n, e.to_string()))?;
                    header.published = Some(date)
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
        let property = Property::from_official(key)
            .ok_or_else(|| format!("tag {name:?}: unknown property {key:?}"))?;
        if !seen.insert(property) {
            return Err(format!("tag {name:?}: property {key:?} appears twice"));
        }
        tag.set_property_text(property, value)
            .map_err(|m| format!("tag {name:?}: {m}"))?;
    }
    Ok(tag)
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
pub fn write_snapshot(snap: &SnapshotFile) -> Result<String, String> {
    use fmt::Write as _;
    let h = &snap.header;
    for (what, v) in [("source", &h.source), ("sha256", &h.sha256)] {
        check_word(v, what)?;
    }
    let mut out = String::with_capacity(snap.tags.len() * 200);
    // Writing into a String cannot fail; the `let _` keeps that out of the error path.
    let _ = writeln!(
        out,
        "# Azure service tags snapshot in the azure-service-tags line format.\n\
         # Written by the `refresh-service-tags` tool from the official file named below; do not edit by hand.\n\
         format {DATA_FILE_VERSION}\ncloud {}\nchangeNumber {}\nsource {}\nsha256 {}",
        h.cloud.as_str(),
        h.change_number,
        h.source,
        h.sha256
    );
    if let Some(p) = &h.published {
        let _ = writeln!(out, "published {p}");
    }
    for tag in &snap.tags {
        check_word(&tag.name, "tag name")?;
        let ctx = |m: String| format!("tag {:?}: {m}", tag.name);
        let _ = write!(out, "\ntag {}", tag.name);
        if let Features::List(list) = &tag.network_features {
            for f in list {
                if f.is_empty() {
                    return Err(ctx("networkFeatures has an empty entry".into()));
                }
                check_word(f, "network feature").map_err(ctx)?;
            }
        }
        for p in Property::ALL {
            let Some(value) = tag.property_text(p) else {
                continue;
            };
            if p.shape() == PropertyShape::Text {
                check_word(&value, p.official()).map_err(ctx)?;
            }
            let _ = write!(out, " {p}={value}");
        }
        out.push('\n');
        for p in &tag.prefixes {
            let _ = writeln!(out, "{p}");
        }
    }
    Ok(out)
}

impl TagRecord {
    /// The value of `p`, `None` when the source file did not have it.
    pub fn property(&self, p: Property) -> Option<PropertyData> {
        let text = |v: &Option<String>| v.clone().map(PropertyData::Text);
        let number = |v: Option<u32>| v.map(PropertyData::Number);
        match p {
            Property::Id => text(&self.id),
            Property::ChangeNumber => number(self.change_number),
            Property::Region => text(&self.region),
            Property::RegionId => number(self.region_id),
            Property::Platform => text(&self.platform),
            Property::SystemService => text(&self.system_service),
            Property::NetworkFeatures => match &self.network_features {
                Features::Absent => None,
                features => Some(PropertyData::Features(features.clone())),
            },
        }
    }

    /// Sets `p` to `value`; fails when the value is not of the property's shape.
    pub fn set_property(&mut self, p: Property, value: PropertyData) -> Result<(), String> {
        use PropertyData::{Features as List, Number, Text};
        match (p, value) {
            (Property::Id, Text(v)) => self.id = Some(v),
            (Property::ChangeNumber, Number(n)) => self.change_number = Some(n),
            (Property::Region, Text(v)) => self.region = Some(v),
            (Property::RegionId, Number(n)) => self.region_id = Some(n),
            (Property::Platform, Text(v)) => self.platform = Some(v),
            (Property::SystemService, Text(v)) => self.system_service = Some(v),
            (Property::NetworkFeatures, List(f)) => self.network_features = f,
            (p, value) => return Err(format!("{p} is not {value:?}'s shape")),
        }
        Ok(())
    }

    /// The value of `p` in the `data/` format's text, `None` when absent.
    pub fn property_text(&self, p: Property) -> Option<String> {
        self.property(p).map(|v| v.to_string())
    }

    /// Sets `p` from the `data/` format's text; says what is wrong with `value`.
    pub fn set_property_text(&mut self, p: Property, value: &str) -> Result<(), String> {
        self.set_property(p, PropertyData::parse(p, value)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every property survives a round trip through its text, and a record with every
    /// property set has each one's text.
    #[test]
    fn every_property_round_trips_through_its_text() {
        let values = [
            "Demo",
            "12",
            "eastus2",
            "3",
            "Azure",
            "AzureDemo",
            "[API,NSG]",
        ];
        let mut record = TagRecord::default();
        for (p, v) in Property::ALL.into_iter().zip(values) {
            assert_eq!(record.property_text(p), None, "{p}");
            record.set_property_text(p, v).unwrap();
            assert_eq!(record.property_text(p).as_deref(), Some(v), "{p}");
        }
        assert!(record.set_property_text(Property::RegionId, "x").is_err());
        assert_eq!(Property::REPORTED.len(), Property::ALL.len());
        for p in Property::ALL {
            assert!(Property::REPORTED.contains(&p), "{p} is reported");
            assert_eq!(Property::from_official(p.official()), Some(p));
        }
    }
}
