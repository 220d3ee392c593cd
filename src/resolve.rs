//! Resolving what users type: tag, region and service names with "did you mean"
//! suggestions, and filters over a snapshot's tags.
//!
//! The plain lookups ([`Snapshot::tag`], [`Snapshot::region`]) answer `Option` and never
//! allocate; the `find_*` functions here answer a [`NotFound`] that carries the closest
//! known names, for messages a user can act on.

use std::collections::BTreeSet;
use std::fmt;

use crate::datafile::{REGION_KEY_MAX, fold_region_name};
use crate::region::Region;
use crate::snapshot::Snapshot;
use crate::tag::Tag;

/// What kind of name was not found.
///
/// ```
/// use azure_service_tags::NameKind;
/// assert_eq!(NameKind::Region.to_string(), "region");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// A service tag's name.
    Tag,
    /// A region, in any spelling.
    Region,
    /// A service: a tag name without region suffix.
    Service,
}

impl fmt::Display for NameKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            NameKind::Tag => "tag",
            NameKind::Region => "region",
            NameKind::Service => "service",
        })
    }
}

/// A name that no tag, region or service of the snapshot answers to, with the closest
/// names it does know.
///
/// ```
/// let err = azure_service_tags::public().find_region("eastuss2").unwrap_err();
/// assert_eq!(err.closest[0], "eastus2");
/// assert!(err.to_string().starts_with("unknown region \"eastuss2\"; closest known: eastus2"));
/// // Nothing is close to an empty name.
/// assert_eq!(azure_service_tags::public().find_region("").unwrap_err().to_string(), "the region name is empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    /// What was looked for.
    pub kind: NameKind,
    /// The name as given.
    pub name: String,
    /// Up to three known names closest to it.
    pub closest: Vec<String>,
}

impl fmt::Display for NotFound {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = &self.name;
        if name.trim().is_empty() {
            return write!(f, "the {} name is empty", self.kind);
        }
        write!(f, "unknown {} {name:?}", self.kind)?;
        if self.kind == NameKind::Service {
            write!(f, " (no tag is named {name} or {name}.<region>)")?;
        }
        if !self.closest.is_empty() {
            write!(f, "; closest known: {}", self.closest.join(", "))?;
        }
        Ok(())
    }
}

impl std::error::Error for NotFound {}

impl Snapshot {
    /// The tag named `name` (any case), or an error naming the closest tags.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// assert_eq!(snap.find_tag("azurecloud").unwrap().name(), "AzureCloud");
    /// assert!(snap.find_tag("AzureClod").unwrap_err().closest.contains(&"AzureCloud".to_string()));
    /// ```
    pub fn find_tag(&self, name: &str) -> Result<Tag<'_>, NotFound> {
        self.tag(name).ok_or_else(|| NotFound {
            kind: NameKind::Tag,
            name: name.to_string(),
            closest: closest(name, self.tags().map(|t| t.name())),
        })
    }

    /// The region a user means by `name` (see [`Snapshot::region`]), or an error naming
    /// the closest ARM names.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// assert_eq!(snap.find_region("East US 2").unwrap().name(), "eastus2");
    /// assert!(snap.find_region("atlantis").is_err());
    /// ```
    pub fn find_region(&self, name: &str) -> Result<Region<'_>, NotFound> {
        self.region(name).ok_or_else(|| NotFound {
            kind: NameKind::Region,
            name: name.to_string(),
            // ARM names only: a folded display name is the ARM name.
            closest: closest(name, self.regions().map(|r| r.name())),
        })
    }

    /// The canonical spelling of a service (a tag name without region suffix), in any
    /// case; an unknown one is an error naming the closest known services.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// assert_eq!(snap.find_service("azuremachinelearning").unwrap(), "AzureMachineLearning");
    /// let err = snap.find_service("AzureMachineLerning").unwrap_err().to_string();
    /// assert!(err.contains("closest known: AzureMachineLearning"));
    /// ```
    pub fn find_service(&self, service: &str) -> Result<&str, NotFound> {
        let found = self.tag(service).filter(|t| !t.name().contains('.'));
        if let Some(tag) = found {
            return Ok(tag.service());
        }
        // A service with regional tags only.
        if let Some(tag) = self
            .tags()
            .find(|t| t.service().eq_ignore_ascii_case(service))
        {
            return Ok(tag.service());
        }
        let services: BTreeSet<&str> = self.tags().map(|t| t.service()).collect();
        Err(NotFound {
            kind: NameKind::Service,
            name: service.to_string(),
            closest: closest(service, services.into_iter()),
        })
    }

    /// The tags `filter` selects, in published order. A region the snapshot does not
    /// know is an error (naming the closest regions).
    ///
    /// ```
    /// use azure_service_tags::TagFilter;
    /// let snap = azure_service_tags::public();
    /// let filter = TagFilter { service: Some("AzureMachineLearning"), region: Some("East US 2") };
    /// let names: Vec<&str> = snap.select(&filter).unwrap().map(|t| t.name()).collect();
    /// assert_eq!(names, ["AzureMachineLearning.EastUS2"]);
    /// ```
    pub fn select<'s, 'f>(
        &'s self,
        filter: &TagFilter<'f>,
    ) -> Result<impl Iterator<Item = Tag<'s>> + use<'s, 'f>, NotFound> {
        let region = filter.region.map(|r| self.find_region(r)).transpose()?;
        let service = filter.service;
        Ok(self.tags().filter(move |t| {
            service.is_none_or(|s| t.service().eq_ignore_ascii_case(s))
                && region.is_none_or(|r| t.region() == Some(r))
        }))
    }
}

/// Which tags to select. Both parts are case-insensitive; a region may be spelled in any
/// way [`Snapshot::region`] accepts.
///
/// ```
/// let f = azure_service_tags::TagFilter { service: Some("AzureMachineLearning"), region: None };
/// assert!(f.region.is_none());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TagFilter<'f> {
    /// Only tags of this service (`AzureMachineLearning` selects the global tag and its
    /// regional tags).
    pub service: Option<&'f str>,
    /// Only tags scoped to this region.
    pub region: Option<&'f str>,
}

/// Up to three of `names` closest to `input` (edit distance on folded spellings), for
/// "did you mean" messages.
pub(crate) fn closest<'n>(input: &str, names: impl Iterator<Item = &'n str>) -> Vec<String> {
    let fold = |s: &str| {
        let mut buf = [0u8; REGION_KEY_MAX];
        fold_region_name(s, &mut buf).map_or_else(|| s.to_ascii_lowercase(), str::to_string)
    };
    let want = fold(input);
    if want.trim().is_empty() {
        // Every name is equally far from nothing: none is worth suggesting.
        return Vec::new();
    }
    let mut scored: Vec<(usize, String)> = names
        .map(|n| (edit_distance(&want, &fold(n)), n.to_string()))
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn closest_names_come_first() {
        let names = ["westus", "eastus2", "eastus"];
        assert_eq!(closest("eastuss2", names.into_iter())[0], "eastus2");
        assert_eq!(closest("East US 2", names.into_iter())[0], "eastus2");
        assert!(closest("x", std::iter::empty()).is_empty());
        assert!(closest("", names.into_iter()).is_empty());
        assert!(closest("  ", names.into_iter()).is_empty());
    }
}
