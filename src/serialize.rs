//! `serde::Serialize` for the public handle types (feature `serde`), and their JSON text
//! (feature `json`).
//!
//! Field names follow the official files (`changeNumber`, `regionId`,
//! `systemService`, `networkFeatures`, `addressPrefixes`) and are stable.

use serde::Serialize;
use serde::ser::{SerializeSeq, SerializeStruct, Serializer};

use crate::datafile::{Cloud, Date, Property};

/// A value as JSON with a final newline, compact or pretty. The crate serializes only
/// strings, numbers, options, sequences and string-keyed maps, which cannot fail.
#[cfg(feature = "json")]
pub(crate) fn json_line(value: &impl Serialize, pretty: bool) -> String {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    let mut text = text.unwrap_or_default();
    text.push('\n');
    text
}
use crate::region::Region;
#[cfg(feature = "json")]
use crate::snapshot::Summary;
use crate::tag::Tag;
use crate::tag_property::{FeatureList, NetworkFeatures, PropertyValue};

impl Serialize for Cloud {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl Serialize for FeatureList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

/// `null` for both absent and `null`; a list otherwise. (A tag serializes an absent
/// list by leaving the field out.)
impl Serialize for NetworkFeatures<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            NetworkFeatures::List(list) => list.serialize(s),
            _ => s.serialize_none(),
        }
    }
}

impl Serialize for Region<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Region", 7)?;
        st.serialize_field("name", self.name())?;
        st.serialize_field("displayName", &self.display_name())?;
        st.serialize_field("code", &self.code())?;
        st.serialize_field("regionId", &self.region_id())?;
        st.serialize_field("geography", &self.geography())?;
        st.serialize_field("paired", &self.paired().map(|r| r.name()))?;
        st.serialize_field("pairKnown", &self.pair_known())?;
        st.end()
    }
}

struct PrefixList<'a>(Tag<'a>);

impl Serialize for PrefixList<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let prefixes = self.0.prefixes();
        let mut seq = s.serialize_seq(Some(prefixes.len()))?;
        for p in prefixes {
            seq.serialize_element(&p.to_string())?;
        }
        seq.end()
    }
}

impl Serialize for PropertyValue<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            PropertyValue::Text(text) => s.serialize_str(text),
            PropertyValue::Number(n) => s.serialize_u32(*n),
            PropertyValue::Features(features) => features.serialize(s),
        }
    }
}

/// The name, service and region, every property under its [`Property::json`] key
/// (`null` when absent, but an absent `networkFeatures` is left out), the prefixes.
impl Serialize for Tag<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Tag", 4 + Property::ALL.len())?;
        st.serialize_field("name", self.name())?;
        st.serialize_field("service", self.service())?;
        st.serialize_field("region", &self.region().map(|r| r.name()))?;
        for p in Property::ALL {
            match self.property(p) {
                None if p == Property::NetworkFeatures => st.skip_field(p.json())?,
                value => st.serialize_field(p.json(), &value)?,
            }
        }
        st.serialize_field("addressPrefixes", &PrefixList(*self))?;
        st.end()
    }
}

#[cfg(feature = "json")]
impl Summary<'_> {
    /// The JSON `aztags info --format json` prints, with a final newline. Feature
    /// `json`.
    ///
    /// ```
    /// let s = azure_service_tags::public().summary(azure_service_tags::Date::today());
    /// let json: serde_json::Value = serde_json::from_str(&s.to_json()).unwrap();
    /// assert_eq!(json["cloud"], "Public");
    /// ```
    pub fn to_json(&self) -> String {
        json_line(self, false)
    }
}
