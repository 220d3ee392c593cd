//! What changed between two snapshots: tags added and removed, and per tag the
//! prefixes added and removed and every published property that changed
//! (`networkFeatures`, `region`, `regionId`, `platform`, `systemService`, `id`,
//! `changeNumber`), since Microsoft changes properties without bumping a changeNumber.
//!
//! This module owns comparing snapshots and writing the comparison as a change report
//! (text, or JSON with feature `json`). The `refresh` tool writes one next to each new
//! snapshot, and `aztags diff` prints one; both come from [`diff`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use ipnet::IpNet;

use crate::datafile::{Cloud, Date, Property};
use crate::resolve::TagFilter;
use crate::snapshot::{Provenance, Snapshot};
use crate::tag::Tag;

/// One side of a comparison, as the report holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Side {
    cloud: Cloud,
    change_number: u32,
    source: String,
    published: Option<Date>,
}

impl Side {
    fn of(snap: &Snapshot) -> Side {
        let p = snap.provenance();
        Side {
            cloud: p.cloud,
            change_number: p.change_number,
            source: p.source.to_string(),
            published: p.published,
        }
    }

    fn provenance(&self) -> Provenance<'_> {
        Provenance {
            cloud: self.cloud,
            change_number: self.change_number,
            source: &self.source,
            published: self.published,
        }
    }
}

/// A tag's changes: its prefixes and its properties.
///
/// ```
/// use azure_service_tags::diff::TagChange;
/// let c = TagChange {
///     name: "AzureCloud".into(),
///     added: vec!["192.0.2.0/24".parse().unwrap()],
///     removed: vec![],
///     properties: vec![],
/// };
/// assert_eq!(c.added.len(), 1);
/// assert_eq!(c.udr_change(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagChange {
    /// The tag's name.
    pub name: String,
    /// Prefixes in the new snapshot only, sorted.
    pub added: Vec<IpNet>,
    /// Prefixes in the old snapshot only, sorted.
    pub removed: Vec<IpNet>,
    /// Properties whose value changed, in the order of [`PROPERTIES`].
    pub properties: Vec<PropertyChange>,
}

/// The properties a change report compares, by their names in the official files, in
/// the order it lists them ([`Property::REPORTED`]).
///
/// ```
/// assert_eq!(azure_service_tags::diff::PROPERTIES[0], "networkFeatures");
/// ```
pub const PROPERTIES: [&str; Property::ALL.len()] = {
    let mut out = [""; Property::ALL.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = Property::REPORTED[i].official();
        i += 1;
    }
    out
};

/// One property of a tag whose value changed. Values are written as in the `data/`
/// format (`networkFeatures` as `null` or `[API,NSG]`); `None` is a property the file
/// did not have.
///
/// ```
/// use azure_service_tags::diff::PropertyChange;
/// let c = PropertyChange { property: "networkFeatures", old: Some("null".into()), new: Some("[NSG]".into()) };
/// assert_eq!(c.to_string(), "networkFeatures null -> [NSG]");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PropertyChange {
    /// The property's name in the official files (one of [`PROPERTIES`]).
    pub property: &'static str,
    /// The old value.
    pub old: Option<String>,
    /// The new value.
    pub new: Option<String>,
}

impl std::fmt::Display for PropertyChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let show = |v: &Option<String>| v.clone().unwrap_or_else(|| "(absent)".into());
        write!(
            f,
            "{} {} -> {}",
            self.property,
            show(&self.old),
            show(&self.new)
        )
    }
}

impl TagChange {
    /// Whether the tag gained (`Some(true)`) or lost (`Some(false)`) the `UDR` network
    /// feature, which decides whether a route may use the tag itself as its address
    /// prefix; `None` when that did not change.
    ///
    /// ```
    /// use azure_service_tags::diff::{PropertyChange, TagChange};
    /// let c = TagChange {
    ///     name: "Demo".into(), added: vec![], removed: vec![],
    ///     properties: vec![PropertyChange { property: "networkFeatures", old: Some("[NSG,UDR]".into()), new: Some("[NSG]".into()) }],
    /// };
    /// assert_eq!(c.udr_change(), Some(false));
    /// ```
    pub fn udr_change(&self) -> Option<bool> {
        let has_udr = |v: &Option<String>| {
            v.as_deref().is_some_and(|list| {
                list.trim_matches(|c| c == '[' || c == ']')
                    .split(',')
                    .any(|f| f.eq_ignore_ascii_case("UDR"))
            })
        };
        let c = self
            .properties
            .iter()
            .find(|c| c.property == Property::NetworkFeatures.official())?;
        let (old, new) = (has_udr(&c.old), has_udr(&c.new));
        (old != new).then_some(new)
    }
}

/// A tag's published properties, in the order of [`PROPERTIES`].
fn properties_of(tag: Tag<'_>) -> [Option<String>; Property::ALL.len()] {
    Property::REPORTED.map(|p| tag.property(p).map(|v| v.to_string()))
}

/// What `compare` knows of a tag: its prefixes and its properties.
#[derive(PartialEq, Eq)]
struct TagFacts {
    prefixes: BTreeSet<IpNet>,
    properties: [Option<String>; Property::ALL.len()],
}

/// The differences between two snapshots.
///
/// ```
/// use azure_service_tags::diff::ChangeReport;
/// let snap = azure_service_tags::public();
/// assert!(ChangeReport::between(snap, snap).is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeReport {
    old: Side,
    new: Side,
    /// Tags only in the new snapshot, with their prefix counts.
    pub added_tags: Vec<(String, usize)>,
    /// Tags only in the old snapshot, with their prefix counts.
    pub removed_tags: Vec<(String, usize)>,
    /// Tags in both whose prefixes or properties differ.
    pub changed: Vec<TagChange>,
}

/// Why a comparison cannot be made.
///
/// ```
/// use azure_service_tags::{diff::{diff, DiffError}, TagFilter};
/// let snap = azure_service_tags::public();
/// let err = diff(snap, snap, &TagFilter { service: None, region: Some("atlantis") }).unwrap_err();
/// assert_eq!(err, DiffError::UnknownRegion("atlantis".into()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffError {
    /// The region filter names no region of either snapshot.
    UnknownRegion(String),
}

impl std::fmt::Display for DiffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DiffError::UnknownRegion(r) => write!(f, "unknown region {r:?} in both snapshots"),
        }
    }
}

impl std::error::Error for DiffError {}

/// Compares the tags `filter` selects in `old` with those it selects in `new` (tags are
/// matched by name, case-insensitively). A region filter may name a region that only
/// one of the snapshots knows; one that neither knows is an error.
///
/// ```
/// use azure_service_tags::{diff::diff, TagFilter};
/// let snap = azure_service_tags::public();
/// let filter = TagFilter { service: Some("AzureMachineLearning"), region: Some("eastus2") };
/// assert_eq!(diff(snap, snap, &filter).unwrap().changed.len(), 0);
/// ```
pub fn diff(
    old: &Snapshot,
    new: &Snapshot,
    filter: &TagFilter<'_>,
) -> Result<ChangeReport, DiffError> {
    let index = |snap: &Snapshot| snap.select(filter).ok().map(by_name);
    match (index(old), index(new)) {
        (None, None) => Err(DiffError::UnknownRegion(
            filter.region.unwrap_or_default().to_string(),
        )),
        (a, b) => Ok(compare(
            old,
            new,
            &a.unwrap_or_default(),
            &b.unwrap_or_default(),
        )),
    }
}

/// Tags by lowercased name, with their prefixes and properties.
fn by_name<'a>(tags: impl Iterator<Item = Tag<'a>>) -> BTreeMap<String, TagFacts> {
    tags.map(|t| {
        let facts = TagFacts {
            prefixes: t.prefixes().collect(),
            properties: properties_of(t),
        };
        (t.name().to_ascii_lowercase(), facts)
    })
    .collect()
}

/// The properties whose values differ between `before` and `after`.
fn property_changes(before: &TagFacts, after: &TagFacts) -> Vec<PropertyChange> {
    PROPERTIES
        .iter()
        .zip(before.properties.iter().zip(&after.properties))
        .filter(|(_, (old, new))| old != new)
        .map(|(&property, (old, new))| PropertyChange {
            property,
            old: old.clone(),
            new: new.clone(),
        })
        .collect()
}

/// The report on two indexes of tag name -> facts.
fn compare(
    old: &Snapshot,
    new: &Snapshot,
    a: &BTreeMap<String, TagFacts>,
    b: &BTreeMap<String, TagFacts>,
) -> ChangeReport {
    let name_in = |snap: &Snapshot, key: &str| {
        snap.tag(key)
            .map_or(key.to_string(), |t| t.name().to_string())
    };
    let mut report = ChangeReport {
        old: Side::of(old),
        new: Side::of(new),
        added_tags: Vec::new(),
        removed_tags: Vec::new(),
        changed: Vec::new(),
    };
    for (key, after) in b {
        match a.get(key) {
            None => report
                .added_tags
                .push((name_in(new, key), after.prefixes.len())),
            Some(before) if before != after => report.changed.push(TagChange {
                name: name_in(new, key),
                added: after
                    .prefixes
                    .difference(&before.prefixes)
                    .copied()
                    .collect(),
                removed: before
                    .prefixes
                    .difference(&after.prefixes)
                    .copied()
                    .collect(),
                properties: property_changes(before, after),
            }),
            Some(_) => {}
        }
    }
    for (key, before) in a {
        if !b.contains_key(key) {
            report
                .removed_tags
                .push((name_in(old, key), before.prefixes.len()));
        }
    }
    report
}

impl ChangeReport {
    /// Compares every tag of `old` with every tag of `new`.
    ///
    /// ```
    /// use azure_service_tags::diff::ChangeReport;
    /// let snap = azure_service_tags::public();
    /// assert_eq!(ChangeReport::between(snap, snap).prefix_counts(), (0, 0));
    /// ```
    pub fn between(old: &Snapshot, new: &Snapshot) -> ChangeReport {
        compare(old, new, &by_name(old.tags()), &by_name(new.tags()))
    }

    /// The older snapshot.
    ///
    /// ```
    /// use azure_service_tags::diff::ChangeReport;
    /// let snap = azure_service_tags::public();
    /// assert_eq!(ChangeReport::between(snap, snap).older(), snap.provenance());
    /// ```
    pub fn older(&self) -> Provenance<'_> {
        self.old.provenance()
    }

    /// The newer snapshot.
    ///
    /// ```
    /// use azure_service_tags::diff::ChangeReport;
    /// let snap = azure_service_tags::public();
    /// assert_eq!(ChangeReport::between(snap, snap).newer().published, snap.published());
    /// ```
    pub fn newer(&self) -> Provenance<'_> {
        self.new.provenance()
    }

    /// True when nothing changed (changeNumbers aside).
    ///
    /// ```
    /// # use azure_service_tags::diff::ChangeReport;
    /// let snap = azure_service_tags::public();
    /// assert!(ChangeReport::between(snap, snap).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.added_tags.is_empty() && self.removed_tags.is_empty() && self.changed.is_empty()
    }

    /// Prefixes added and removed, over all tags (added and removed tags included).
    ///
    /// ```
    /// # use azure_service_tags::diff::ChangeReport;
    /// let snap = azure_service_tags::public();
    /// assert_eq!(ChangeReport::between(snap, snap).prefix_counts(), (0, 0));
    /// ```
    pub fn prefix_counts(&self) -> (usize, usize) {
        let added = self.changed.iter().map(|c| c.added.len()).sum::<usize>()
            + self.added_tags.iter().map(|(_, n)| n).sum::<usize>();
        let removed = self.changed.iter().map(|c| c.removed.len()).sum::<usize>()
            + self.removed_tags.iter().map(|(_, n)| n).sum::<usize>();
        (added, removed)
    }

    /// A readable report: a summary line, then `+`/`-`/`~` lines per tag, prefix and
    /// property; a change of the `UDR` feature says what it changes for routes.
    ///
    /// ```
    /// # use azure_service_tags::diff::ChangeReport;
    /// let snap = azure_service_tags::public();
    /// let text = ChangeReport::between(snap, snap).to_text();
    /// let n = snap.change_number();
    /// assert!(text.contains(&format!("changeNumber {n} -> {n}")));
    /// ```
    pub fn to_text(&self) -> String {
        let (added, removed) = self.prefix_counts();
        let mut o = String::new();
        let _ = writeln!(
            o,
            "{} changeNumber {} -> {} ({} -> {})",
            self.new.cloud,
            self.old.change_number,
            self.new.change_number,
            self.old.source,
            self.new.source
        );
        let _ = writeln!(
            o,
            "tags: {} added, {} removed, {} changed; prefixes: {added} added, {removed} removed",
            self.added_tags.len(),
            self.removed_tags.len(),
            self.changed.len()
        );
        let prefixes = |n: usize| if n == 1 { "prefix" } else { "prefixes" };
        for (name, n) in &self.added_tags {
            let _ = writeln!(o, "+ tag {name} ({n} {})", prefixes(*n));
        }
        for (name, n) in &self.removed_tags {
            let _ = writeln!(o, "- tag {name} ({n} {})", prefixes(*n));
        }
        for c in &self.changed {
            let _ = writeln!(
                o,
                "~ tag {}: {} added, {} removed{}",
                c.name,
                c.added.len(),
                c.removed.len(),
                match c.properties.len() {
                    0 => String::new(),
                    1 => ", 1 property changed".to_string(),
                    n => format!(", {n} properties changed"),
                }
            );
            for p in &c.properties {
                let _ = writeln!(o, "  * {p}");
            }
            match c.udr_change() {
                Some(true) => {
                    let _ = writeln!(o, "  ! {UDR_GAINED}");
                }
                Some(false) => {
                    let _ = writeln!(o, "  ! {UDR_LOST}");
                }
                None => {}
            }
            for p in &c.added {
                let _ = writeln!(o, "  + {p}");
            }
            for p in &c.removed {
                let _ = writeln!(o, "  - {p}");
            }
        }
        o
    }
}

/// What a report says of a tag that gained the `UDR` feature.
const UDR_GAINED: &str =
    "UDR added: routes in service-tag mode may now use this tag as their address prefix";
/// What a report says of a tag that lost the `UDR` feature.
const UDR_LOST: &str =
    "UDR removed: routes in service-tag mode may no longer use this tag as their address prefix";

/// The JSON shape of a report (feature `serde`): `old` and `new` (`cloud`,
/// `changeNumber`, `source`, `published`), `addedTags` and `removedTags` (`name`,
/// `prefixes`), and `changed` (`name`, `added`, `removed`, `properties` (each
/// `property`, `old`, `new`), `udr`: `"added"`, `"removed"` or `null`).
#[cfg(feature = "serde")]
mod serialize {
    use serde::Serialize;
    use serde::ser::{SerializeStruct, Serializer};

    use super::{ChangeReport, PropertyChange, TagChange};

    /// A tag added or removed, with its prefix count.
    #[derive(Serialize)]
    struct TagCount<'a> {
        name: &'a str,
        prefixes: usize,
    }

    fn counts(list: &[(String, usize)]) -> Vec<TagCount<'_>> {
        list.iter()
            .map(|(name, prefixes)| TagCount {
                name,
                prefixes: *prefixes,
            })
            .collect()
    }

    impl Serialize for TagChange {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let strings = |nets: &[ipnet::IpNet]| -> Vec<String> {
                nets.iter().map(|n| n.to_string()).collect()
            };
            let udr = self
                .udr_change()
                .map(|gained| if gained { "added" } else { "removed" });
            let mut st = s.serialize_struct("TagChange", 5)?;
            st.serialize_field("name", &self.name)?;
            st.serialize_field("added", &strings(&self.added))?;
            st.serialize_field("removed", &strings(&self.removed))?;
            st.serialize_field("properties", &self.properties)?;
            st.serialize_field("udr", &udr)?;
            st.end()
        }
    }

    impl Serialize for PropertyChange {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("PropertyChange", 3)?;
            st.serialize_field("property", self.property)?;
            st.serialize_field("old", &self.old)?;
            st.serialize_field("new", &self.new)?;
            st.end()
        }
    }

    impl Serialize for ChangeReport {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut st = s.serialize_struct("ChangeReport", 5)?;
            st.serialize_field("old", &self.older())?;
            st.serialize_field("new", &self.newer())?;
            st.serialize_field("addedTags", &counts(&self.added_tags))?;
            st.serialize_field("removedTags", &counts(&self.removed_tags))?;
            st.serialize_field("changed", &self.changed)?;
            st.end()
        }
    }
}

#[cfg(feature = "json")]
impl ChangeReport {
    /// The report as one line of JSON (see the `Serialize` implementation for its
    /// fields). Feature `json`.
    ///
    /// ```
    /// use azure_service_tags::diff::ChangeReport;
    /// let snap = azure_service_tags::public();
    /// let json: serde_json::Value = serde_json::from_str(&ChangeReport::between(snap, snap).to_json()).unwrap();
    /// assert_eq!(json["changed"], serde_json::json!([]));
    /// ```
    pub fn to_json(&self) -> String {
        crate::serialize::json_line(self, false)
    }
}
