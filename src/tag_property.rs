//! A tag's published properties: the named accessors ([`Tag::id`], [`Tag::platform`],
//! ...), [`Tag::property`] for code that goes over every [`Property`], and the values
//! they return ([`PropertyValue`], [`NetworkFeatures`], [`FeatureList`]). The index
//! keeps every property in its `tag_properties` column, laid out by the `Property`
//! table; this module reads a slot by the property's shape.

use std::fmt;

use crate::datafile::{Property, PropertyShape, features_text};
use crate::index::{FEATURES_ABSENT, FEATURES_NULL, NONE};
use crate::tag::Tag;

impl<'a> Tag<'a> {
    /// The tag's `id` (equal to the name in every file seen so far); `None` if the
    /// source file had no `id`.
    ///
    /// ```
    /// let tag = azure_service_tags::public().tag("Storage").unwrap();
    /// assert_eq!(tag.id(), Some("Storage"));
    /// ```
    pub fn id(&self) -> Option<&'a str> {
        self.text(Property::Id)
    }

    /// The `systemService` property (may differ from [`Tag::service`]: `Storage` has
    /// `AzureStorage`); `None` if absent, `Some("")` if published empty.
    ///
    /// ```
    /// let tag = azure_service_tags::public().tag("Storage").unwrap();
    /// assert_eq!(tag.system_service(), Some("AzureStorage"));
    /// ```
    pub fn system_service(&self) -> Option<&'a str> {
        self.text(Property::SystemService)
    }

    /// The `platform` property (`Azure`).
    ///
    /// ```
    /// assert_eq!(azure_service_tags::public().tag("Storage").unwrap().platform(), Some("Azure"));
    /// ```
    pub fn platform(&self) -> Option<&'a str> {
        self.text(Property::Platform)
    }

    /// The `region` property as published: a service-tag region code, which is not
    /// always the ARM name (`centralfrance` for `francecentral`); `Some("")` for global
    /// tags.
    ///
    /// ```
    /// let tag = azure_service_tags::public().tag("AzureMachineLearning.FranceCentral").unwrap();
    /// assert_eq!(tag.region_code(), Some("centralfrance"));
    /// ```
    pub fn region_code(&self) -> Option<&'a str> {
        self.text(Property::Region)
    }

    /// The `regionId` property (`Some(0)` for global tags; `None` in 2019-era files).
    ///
    /// ```
    /// assert_eq!(azure_service_tags::public().tag("AzureCloud").unwrap().region_id(), Some(0));
    /// ```
    pub fn region_id(&self) -> Option<u32> {
        self.number(Property::RegionId)
    }

    /// The tag's own `changeNumber`: it grows when this tag's prefixes change.
    ///
    /// ```
    /// assert!(azure_service_tags::public().tag("AzureCloud").unwrap().change_number().is_some());
    /// ```
    pub fn change_number(&self) -> Option<u32> {
        self.number(Property::ChangeNumber)
    }

    /// The `networkFeatures` property: where the tag may be used (`NSG`, `UDR`, ...).
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let aml = snap.tag("AzureMachineLearning").unwrap();
    /// // A route may use the tag as its address prefix only where UDR is listed.
    /// println!("{aml} in a route: {}", aml.network_features().contains("UDR"));
    /// ```
    pub fn network_features(&self) -> NetworkFeatures<'a> {
        self.features(Property::NetworkFeatures)
    }

    /// The value of one published property, `None` when the source file did not have
    /// it: the same values as the named methods ([`Tag::region_code`] for
    /// [`Property::Region`]), for code that goes over every property.
    ///
    /// ```
    /// use azure_service_tags::{Property, PropertyValue};
    /// let tag = azure_service_tags::public().tag("AzureMachineLearning.EastUS2").unwrap();
    /// assert_eq!(tag.property(Property::Region), tag.region_code().map(PropertyValue::Text));
    /// for p in Property::ALL {
    ///     if let Some(value) = tag.property(p) {
    ///         println!("{p}={value}");
    ///     }
    /// }
    /// ```
    pub fn property(&self, p: Property) -> Option<PropertyValue<'a>> {
        match p.shape() {
            PropertyShape::Text => self.text(p).map(PropertyValue::Text),
            PropertyShape::Number => self.number(p).map(PropertyValue::Number),
            PropertyShape::Features => match self.features(p) {
                NetworkFeatures::Absent => None,
                features => Some(PropertyValue::Features(features)),
            },
        }
    }

    /// Property `p`'s slot in the `tag_properties` column.
    fn slot(&self, p: Property) -> u32 {
        self.snap.tables.tag_properties[self.index as usize][p as usize]
    }

    /// A text property, `None` when absent.
    fn text(&self, p: Property) -> Option<&'a str> {
        self.string(self.slot(p))
    }

    /// A list-of-features property.
    fn features(&self, p: Property) -> NetworkFeatures<'a> {
        match self.slot(p) {
            FEATURES_ABSENT => NetworkFeatures::Absent,
            FEATURES_NULL => NetworkFeatures::Null,
            i => NetworkFeatures::List(FeatureList(self.string(i).unwrap_or_default())),
        }
    }

    /// A number property, `None` when absent.
    fn number(&self, p: Property) -> Option<u32> {
        Some(self.slot(p)).filter(|&v| v != NONE)
    }
}

/// The value of a tag's published property ([`Tag::property`]). `Display` writes it as
/// the `data/` format and the change report do (`networkFeatures` as `null` or
/// `[API,NSG]`).
///
/// ```
/// use azure_service_tags::PropertyValue;
/// assert_eq!(PropertyValue::Number(7).to_string(), "7");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropertyValue<'a> {
    /// A string property.
    Text(&'a str),
    /// A number property.
    Number(u32),
    /// `networkFeatures`: `null` or a list (never [`NetworkFeatures::Absent`]).
    Features(NetworkFeatures<'a>),
}

impl fmt::Display for PropertyValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PropertyValue::Text(text) => f.write_str(text),
            PropertyValue::Number(n) => write!(f, "{n}"),
            PropertyValue::Features(NetworkFeatures::List(list)) => {
                f.write_str(&features_text(Some(list.iter())))
            }
            PropertyValue::Features(_) => f.write_str(&features_text(None::<[&str; 0]>)),
        }
    }
}

/// A tag's `networkFeatures`: absent, `null` and a list are three different facts.
///
/// ```
/// use azure_service_tags::NetworkFeatures;
/// let snap = azure_service_tags::public();
/// match snap.tag("AzureMachineLearning").unwrap().network_features() {
///     NetworkFeatures::List(list) => println!("features: {}", list.iter().collect::<Vec<_>>().join(", ")),
///     NetworkFeatures::Null => println!("published as null"),
///     NetworkFeatures::Absent => println!("not in the file"),
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkFeatures<'a> {
    /// The source file had no `networkFeatures` property (files from 2019).
    Absent,
    /// `"networkFeatures": null`.
    Null,
    /// A list such as `["API","NSG","UDR","FW"]`, in published order.
    List(FeatureList<'a>),
}

impl NetworkFeatures<'_> {
    /// Whether the list holds `feature` (ASCII case-insensitive); false for absent or
    /// `null`.
    ///
    /// ```
    /// let f = azure_service_tags::public().tag("AzureMachineLearning").unwrap().network_features();
    /// assert_eq!(f.contains("udr"), f.contains("UDR"));
    /// ```
    pub fn contains(&self, feature: &str) -> bool {
        match self {
            NetworkFeatures::List(list) => list.iter().any(|f| f.eq_ignore_ascii_case(feature)),
            _ => false,
        }
    }
}

/// The features of a `networkFeatures` list, in published order.
///
/// ```
/// use azure_service_tags::NetworkFeatures;
/// let f = azure_service_tags::public().tag("AzureMachineLearning").unwrap().network_features();
/// if let NetworkFeatures::List(list) = f {
///     assert_eq!(list.iter().count(), list.len());
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureList<'a>(&'a str);

impl<'a> FeatureList<'a> {
    /// The features, e.g. `API`, `NSG`, `UDR`, `FW`.
    ///
    /// ```
    /// # use azure_service_tags::NetworkFeatures;
    /// # let f = azure_service_tags::public().tag("AzureMachineLearning").unwrap().network_features();
    /// if let NetworkFeatures::List(list) = f {
    ///     let names: Vec<&str> = list.iter().collect();
    ///     assert_eq!(names.len(), list.len());
    /// }
    /// ```
    pub fn iter(&self) -> impl Iterator<Item = &'a str> + Clone + 'a {
        self.0.split(',').filter(|f| !f.is_empty())
    }

    /// How many features the list has (0 for `[]`).
    ///
    /// ```
    /// # use azure_service_tags::NetworkFeatures;
    /// # let f = azure_service_tags::public().tag("AzureMachineLearning").unwrap().network_features();
    /// if let NetworkFeatures::List(list) = f {
    ///     assert_eq!(list.len(), list.iter().count());
    /// }
    /// ```
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// True for an empty list `[]`.
    ///
    /// ```
    /// # use azure_service_tags::NetworkFeatures;
    /// # let f = azure_service_tags::public().tag("AzureMachineLearning").unwrap().network_features();
    /// if let NetworkFeatures::List(list) = f {
    ///     assert_eq!(list.is_empty(), list.len() == 0);
    /// }
    /// ```
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
