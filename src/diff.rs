//! What changed between two snapshots: tags added and removed, and per tag the
//! prefixes added and removed.
//!
//! This module owns comparing snapshots and rendering the comparison as a change report
//! (text or JSON). The `refresh` tool writes one next to each new snapshot, and
//! `aztags diff` prints one; both come from [`diff`].

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use ipnet::IpNet;

use crate::render::json_string;
use crate::snapshot::Snapshot;
use crate::tag::Tag;

/// Which tags to compare. Both filters are case-insensitive; a region may be spelled in
/// any way [`Snapshot::region`] accepts.
///
/// ```
/// let f = azure_service_tags::diff::Filter { service: Some("AzureMachineLearning"), region: None };
/// assert!(f.region.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct Filter<'f> {
    /// Only tags of this service (`AzureMachineLearning` matches the global tag and its
    /// regional tags).
    pub service: Option<&'f str>,
    /// Only tags scoped to this region.
    pub region: Option<&'f str>,
}

/// One side of a comparison.
///
/// ```
/// use azure_service_tags::diff::{diff, Filter};
/// let snap = azure_service_tags::public();
/// let report = diff(snap, snap, &Filter::default()).unwrap();
/// assert_eq!(report.old.cloud, "Public");
/// assert_eq!(report.new.published.as_deref(), Some("2025-10-28"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    /// The cloud (`Public`, ...).
    pub cloud: String,
    /// The top-level changeNumber.
    pub change_number: u32,
    /// The source file.
    pub source: String,
    /// The publication date, `YYYY-MM-DD`.
    pub published: Option<String>,
}

impl Side {
    fn of(snap: &Snapshot) -> Side {
        Side {
            cloud: snap.cloud().to_string(),
            change_number: snap.change_number(),
            source: snap.source().file_name().to_string(),
            published: snap.published().map(|d| d.to_string()),
        }
    }
}

/// A tag's prefix changes.
///
/// ```
/// use azure_service_tags::diff::TagChange;
/// let c = TagChange { name: "AzureCloud".into(), added: vec!["192.0.2.0/24".parse().unwrap()], removed: vec![] };
/// assert_eq!(c.added.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagChange {
    /// The tag's name.
    pub name: String,
    /// Prefixes in the new snapshot only, sorted.
    pub added: Vec<IpNet>,
    /// Prefixes in the old snapshot only, sorted.
    pub removed: Vec<IpNet>,
}

/// The differences between two snapshots.
///
/// ```
/// use azure_service_tags::diff::{diff, Filter};
/// let snap = azure_service_tags::public();
/// let report = diff(snap, snap, &Filter::default()).unwrap();
/// assert!(report.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChangeReport {
    /// The older snapshot.
    pub old: Side,
    /// The newer snapshot.
    pub new: Side,
    /// Tags only in the new snapshot, with their prefix counts.
    pub added_tags: Vec<(String, usize)>,
    /// Tags only in the old snapshot, with their prefix counts.
    pub removed_tags: Vec<(String, usize)>,
    /// Tags in both whose prefixes differ.
    pub changed: Vec<TagChange>,
}

/// Why a comparison cannot be made.
///
/// ```
/// use azure_service_tags::diff::{diff, DiffError, Filter};
/// let snap = azure_service_tags::public();
/// let err = diff(snap, snap, &Filter { service: None, region: Some("atlantis") }).unwrap_err();
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

/// Compares `old` with `new` (tags are matched by name, case-insensitively).
///
/// ```
/// use azure_service_tags::diff::{diff, Filter};
/// let snap = azure_service_tags::public();
/// let filter = Filter { service: Some("AzureMachineLearning"), region: Some("eastus2") };
/// assert_eq!(diff(snap, snap, &filter).unwrap().changed.len(), 0);
/// ```
pub fn diff(
    old: &Snapshot,
    new: &Snapshot,
    filter: &Filter<'_>,
) -> Result<ChangeReport, DiffError> {
    let region = |snap: &Snapshot| {
        filter
            .region
            .and_then(|r| snap.region(r))
            .map(|r| r.name().to_string())
    };
    let (old_region, new_region) = (region(old), region(new));
    if let (Some(r), None, None) = (filter.region, &old_region, &new_region) {
        return Err(DiffError::UnknownRegion(r.to_string()));
    }
    let keep = |tag: &Tag<'_>, region: &Option<String>| {
        filter
            .service
            .is_none_or(|s| tag.service().eq_ignore_ascii_case(s))
            && (filter.region.is_none()
                || region
                    .as_deref()
                    .is_some_and(|r| tag.region().is_some_and(|t| t.name() == r)))
    };
    let index =
        |snap: &'_ Snapshot, region: &Option<String>| -> BTreeMap<String, BTreeSet<IpNet>> {
            snap.tags()
                .filter(|t| keep(t, region))
                .map(|t| (t.name().to_ascii_lowercase(), t.prefixes().collect()))
                .collect()
        };
    let (a, b) = (index(old, &old_region), index(new, &new_region));
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
    for (key, prefixes) in &b {
        match a.get(key) {
            None => report.added_tags.push((name_in(new, key), prefixes.len())),
            Some(before) if before != prefixes => report.changed.push(TagChange {
                name: name_in(new, key),
                added: prefixes.difference(before).copied().collect(),
                removed: before.difference(prefixes).copied().collect(),
            }),
            Some(_) => {}
        }
    }
    for (key, prefixes) in &a {
        if !b.contains_key(key) {
            report
                .removed_tags
                .push((name_in(old, key), prefixes.len()));
        }
    }
    Ok(report)
}

impl ChangeReport {
    /// True when nothing changed (changeNumbers aside).
    ///
    /// ```
    /// # use azure_service_tags::diff::{diff, Filter};
    /// let snap = azure_service_tags::public();
    /// assert!(diff(snap, snap, &Filter::default()).unwrap().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.added_tags.is_empty() && self.removed_tags.is_empty() && self.changed.is_empty()
    }

    /// Prefixes added and removed, over all tags (added and removed tags included).
    ///
    /// ```
    /// # use azure_service_tags::diff::{diff, Filter};
    /// let snap = azure_service_tags::public();
    /// assert_eq!(diff(snap, snap, &Filter::default()).unwrap().prefix_counts(), (0, 0));
    /// ```
    pub fn prefix_counts(&self) -> (usize, usize) {
        let added = self.changed.iter().map(|c| c.added.len()).sum::<usize>()
            + self.added_tags.iter().map(|(_, n)| n).sum::<usize>();
        let removed = self.changed.iter().map(|c| c.removed.len()).sum::<usize>()
            + self.removed_tags.iter().map(|(_, n)| n).sum::<usize>();
        (added, removed)
    }

    /// A readable report: a summary line, then `+`/`-`/`~` lines per tag and prefix.
    ///
    /// ```
    /// # use azure_service_tags::diff::{diff, Filter};
    /// let snap = azure_service_tags::public();
    /// let text = diff(snap, snap, &Filter::default()).unwrap().to_text();
    /// assert!(text.contains("changeNumber 375 -> 375"));
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
        for (name, n) in &self.added_tags {
            let _ = writeln!(o, "+ tag {name} ({n} prefixes)");
        }
        for (name, n) in &self.removed_tags {
            let _ = writeln!(o, "- tag {name} ({n} prefixes)");
        }
        for c in &self.changed {
            let _ = writeln!(
                o,
                "~ tag {}: {} added, {} removed",
                c.name,
                c.added.len(),
                c.removed.len()
            );
            for p in &c.added {
                let _ = writeln!(o, "  + {p}");
            }
            for p in &c.removed {
                let _ = writeln!(o, "  - {p}");
            }
        }
        o
    }

    /// The report as JSON: `old` and `new` (`cloud`, `changeNumber`, `source`,
    /// `published`), `addedTags` and `removedTags` (`name`, `prefixes`), and `changed`
    /// (`name`, `added`, `removed`).
    ///
    /// ```
    /// # use azure_service_tags::diff::{diff, Filter};
    /// let snap = azure_service_tags::public();
    /// assert!(diff(snap, snap, &Filter::default()).unwrap().to_json().contains("\"changed\": []"));
    /// ```
    pub fn to_json(&self) -> String {
        let side = |s: &Side| {
            format!(
                "{{\"cloud\": {}, \"changeNumber\": {}, \"source\": {}, \"published\": {}}}",
                json_string(&s.cloud),
                s.change_number,
                json_string(&s.source),
                s.published
                    .as_deref()
                    .map_or("null".to_string(), json_string)
            )
        };
        let tags = |list: &[(String, usize)]| {
            let items: Vec<String> = list
                .iter()
                .map(|(n, c)| format!("{{\"name\": {}, \"prefixes\": {c}}}", json_string(n)))
                .collect();
            format!("[{}]", items.join(", "))
        };
        let nets = |list: &[IpNet]| {
            let items: Vec<String> = list.iter().map(|p| json_string(&p.to_string())).collect();
            format!("[{}]", items.join(", "))
        };
        let changed: Vec<String> = self
            .changed
            .iter()
            .map(|c| {
                format!(
                    "{{\"name\": {}, \"added\": {}, \"removed\": {}}}",
                    json_string(&c.name),
                    nets(&c.added),
                    nets(&c.removed)
                )
            })
            .collect();
        format!(
            "{{\"old\": {}, \"new\": {}, \"addedTags\": {}, \"removedTags\": {}, \"changed\": [{}]}}\n",
            side(&self.old),
            side(&self.new),
            tags(&self.added_tags),
            tags(&self.removed_tags),
            changed.join(", ")
        )
    }
}
