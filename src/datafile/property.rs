//! A tag's published properties, as one table: each property's names and the shape of
//! its value. The `data/` format's parser and writer, Microsoft's JSON in and out, the
//! change report, the handles' JSON and the Python `Tag` all loop over [`Property::ALL`],
//! and the index keeps every property in one column by this table, so a new property
//! is one row here, one field of `TagRecord` and the arms the compiler then asks for.

use std::fmt;

/// One published property of a tag (the name and the prefixes are not properties).
///
/// ```
/// use azure_service_tags::Property;
/// assert_eq!(Property::SystemService.official(), "systemService");
/// assert_eq!(Property::from_official("regionId"), Some(Property::RegionId));
/// assert_eq!(Property::ALL.len(), 7);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Property {
    /// `id`, beside the name in Microsoft's files.
    Id,
    /// `properties.changeNumber`: the tag's own change number.
    ChangeNumber,
    /// `properties.region`: the data's region code (`""` for a global tag).
    Region,
    /// `properties.regionId`.
    RegionId,
    /// `properties.platform`.
    Platform,
    /// `properties.systemService`.
    SystemService,
    /// `properties.networkFeatures`: where the tag may be used, `null`, or absent.
    NetworkFeatures,
}

/// The shape of a property's value.
///
/// ```
/// use azure_service_tags::{Property, PropertyShape};
/// assert_eq!(Property::RegionId.shape(), PropertyShape::Number);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyShape {
    /// A string.
    Text,
    /// A non-negative integer.
    Number,
    /// `null` or a list of names.
    Features,
}

/// Every fact about one property, in one place.
struct Facts {
    /// The name in Microsoft's files and in the `data/` format.
    official: &'static str,
    /// The name of the [`crate::Tag`] method, the Python attribute and the DuckDB column.
    method: &'static str,
    /// The key in the handles' JSON (`aztags tag --format json`).
    json: &'static str,
    shape: PropertyShape,
    /// Inside the official files' `properties` object (else beside `name`).
    in_properties: bool,
    /// Where a change report lists it: most consequential first.
    reported: usize,
}

/// The rows, in [`Property`] order, which is the order of the `data/` format's words.
#[rustfmt::skip]
const FACTS: [Facts; 7] = {
    use PropertyShape::{Features, Number, Text};
    [
        Facts { official: "id",              method: "id",               json: "id",              shape: Text,     in_properties: false, reported: 5 },
        Facts { official: "changeNumber",    method: "change_number",    json: "changeNumber",    shape: Number,   in_properties: true,  reported: 6 },
        Facts { official: "region",          method: "region_code",      json: "regionCode",      shape: Text,     in_properties: true,  reported: 1 },
        Facts { official: "regionId",        method: "region_id",        json: "regionId",        shape: Number,   in_properties: true,  reported: 2 },
        Facts { official: "platform",        method: "platform",         json: "platform",        shape: Text,     in_properties: true,  reported: 3 },
        Facts { official: "systemService",   method: "system_service",   json: "systemService",   shape: Text,     in_properties: true,  reported: 4 },
        Facts { official: "networkFeatures", method: "network_features", json: "networkFeatures", shape: Features, in_properties: true,  reported: 0 },
    ]
};

impl Property {
    /// Every property, in the `data/` format's order.
    ///
    /// ```
    /// use azure_service_tags::Property;
    /// assert_eq!(Property::ALL[0], Property::Id);
    /// ```
    pub const ALL: [Property; 7] = [
        Property::Id,
        Property::ChangeNumber,
        Property::Region,
        Property::RegionId,
        Property::Platform,
        Property::SystemService,
        Property::NetworkFeatures,
    ];

    /// Every property in the order a change report lists them: `networkFeatures`
    /// first (it decides whether a route may use the tag), `id` and `changeNumber` last.
    ///
    /// ```
    /// use azure_service_tags::Property;
    /// assert_eq!(Property::REPORTED[0], Property::NetworkFeatures);
    /// ```
    pub const REPORTED: [Property; 7] = {
        let mut out = [Property::Id; 7];
        let mut i = 0;
        while i < 7 {
            out[FACTS[i].reported] = Property::ALL[i];
            i += 1;
        }
        out
    };

    const fn facts(self) -> &'static Facts {
        &FACTS[self as usize]
    }

    /// The name in Microsoft's files and in the `data/` format (`systemService`).
    ///
    /// ```
    /// assert_eq!(azure_service_tags::Property::ChangeNumber.official(), "changeNumber");
    /// ```
    pub const fn official(self) -> &'static str {
        self.facts().official
    }

    /// The name of the [`crate::Tag`] method that returns it, also the Python attribute
    /// (`region_code`: the tag's `region` method returns the region itself).
    ///
    /// ```
    /// assert_eq!(azure_service_tags::Property::Region.method(), "region_code");
    /// ```
    pub const fn method(self) -> &'static str {
        self.facts().method
    }

    /// The key in the JSON of a [`crate::Tag`] (`regionCode`).
    ///
    /// ```
    /// assert_eq!(azure_service_tags::Property::Region.json(), "regionCode");
    /// ```
    pub const fn json(self) -> &'static str {
        self.facts().json
    }

    /// The shape of its value.
    ///
    /// ```
    /// use azure_service_tags::{Property, PropertyShape};
    /// assert_eq!(Property::NetworkFeatures.shape(), PropertyShape::Features);
    /// ```
    pub const fn shape(self) -> PropertyShape {
        self.facts().shape
    }

    /// Whether Microsoft's files hold it inside `properties` (all but `id`).
    ///
    /// ```
    /// assert!(!azure_service_tags::Property::Id.in_properties());
    /// ```
    pub const fn in_properties(self) -> bool {
        self.facts().in_properties
    }

    /// The property named `name` in Microsoft's files, exactly.
    ///
    /// ```
    /// use azure_service_tags::Property;
    /// assert_eq!(Property::from_official("platform"), Some(Property::Platform));
    /// assert_eq!(Property::from_official("Platform"), None);
    /// ```
    pub fn from_official(name: &str) -> Option<Property> {
        Property::ALL.into_iter().find(|p| p.official() == name)
    }
}

impl fmt::Display for Property {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.official())
    }
}

/// A tag's `networkFeatures`: missing, `null` and a list are three different facts.
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

/// A property's value as a `TagRecord` holds it; `Display` writes the `data/` format's
/// text (`networkFeatures` as `null` or `[API,NSG]`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PropertyData {
    /// A [`PropertyShape::Text`] value.
    Text(String),
    /// A [`PropertyShape::Number`] value.
    Number(u32),
    /// A [`PropertyShape::Features`] value.
    Features(Features),
}

impl PropertyData {
    /// Reads `p`'s value from the `data/` format's text, by the property's shape.
    pub fn parse(p: Property, text: &str) -> Result<PropertyData, String> {
        match p.shape() {
            PropertyShape::Text => Ok(PropertyData::Text(text.to_string())),
            PropertyShape::Number => text
                .parse()
                .map(PropertyData::Number)
                .map_err(|_| format!("{p} {text:?} is not a number")),
            PropertyShape::Features => parse_features(text).map(PropertyData::Features),
        }
    }
}

impl fmt::Display for PropertyData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PropertyData::Text(text) => f.write_str(text),
            PropertyData::Number(n) => write!(f, "{n}"),
            PropertyData::Features(Features::List(list)) => {
                f.write_str(&features_text(Some(list.iter().map(String::as_str))))
            }
            PropertyData::Features(_) => f.write_str(&features_text(None::<[&str; 0]>)),
        }
    }
}

/// The one text form of a `networkFeatures` value, in the `data/` format and the
/// change report: `null`, or the names in brackets joined by `,` (`[API,NSG]`).
pub fn features_text<'a>(list: Option<impl IntoIterator<Item = &'a str>>) -> String {
    match list {
        None => "null".to_string(),
        Some(names) => format!("[{}]", names.into_iter().collect::<Vec<_>>().join(",")),
    }
}

/// Reads [`features_text`]'s form back.
pub fn parse_features(value: &str) -> Result<Features, String> {
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
