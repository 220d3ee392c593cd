//! Address lookups: which tags contain an IP, and which service owns it.
//!
//! The index is precomputed (see `src/tables.rs`): each address family is cut into
//! disjoint sorted intervals, each mapped to an interned, sorted set of tag indices.
//! An IPv4 lookup reads a 65,537-entry first-level index on the top 16 bits, then
//! binary-searches the few intervals of that block; IPv6 binary-searches its intervals.
//! Then the set is a slice. Nothing here allocates or initialises anything lazily.

use std::iter::FusedIterator;
use std::net::IpAddr;

use crate::region::Region;
use crate::snapshot::Snapshot;
use crate::tag::Tag;

impl Snapshot {
    /// The sorted tag indices of the set that covers `ip`.
    #[inline]
    pub(crate) fn set_of(&self, ip: IpAddr) -> &[u16] {
        let t = &self.tables;
        let set = match ip.to_canonical() {
            IpAddr::V4(v4) => {
                let ip = u32::from(v4);
                let block = (ip >> 16) as usize;
                let lo = t.v4_top[block] as usize;
                let hi = t.v4_top[block + 1] as usize;
                let i = lo + t.v4_start[lo + 1..=hi].partition_point(|&s| s <= ip);
                t.v4_set[i]
            }
            IpAddr::V6(v6) => {
                let ip = u128::from(v6);
                // The first interval starts at 0, so the point is at least 1.
                let i = t.v6_start.partition_point(|&s| s <= ip).saturating_sub(1);
                t.v6_set[i]
            }
        } as usize;
        let start = match set {
            0 => 0,
            s => t.set_end[s - 1] as usize,
        };
        &t.set_tags[start..t.set_end[set] as usize]
    }

    /// Every tag with a prefix that contains `ip`, in published order. The iterator
    /// knows its length and allocates nothing. IPv4-mapped IPv6 addresses
    /// (`::ffff:a.b.c.d`) are looked up as the IPv4 address they carry.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let names: Vec<&str> = snap
    ///     .tags_containing("20.41.0.241".parse().unwrap())
    ///     .map(|t| t.name())
    ///     .collect();
    /// assert!(names.contains(&"AzureMachineLearning"));
    /// assert_eq!(snap.tags_containing("192.0.2.1".parse().unwrap()).len(), 0);
    /// ```
    #[inline]
    pub fn tags_containing(&self, ip: IpAddr) -> TagsContaining<'_> {
        TagsContaining {
            snap: self,
            indices: self.set_of(ip).iter(),
        }
    }

    /// Answers "is `ip` an address of `service`, and in which region?" in one call.
    /// `service` is a tag name without a region suffix (`AzureMachineLearning`,
    /// `Storage`, `AzureCloud`), in any case. Returns `None` when no tag of the service
    /// contains `ip`.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let ip = "20.41.0.241".parse().unwrap();
    /// let hit = snap.service_match(ip, "AzureMachineLearning").unwrap();
    /// println!("{ip} belongs to {} in {:?}", hit.tag(), hit.region().map(|r| r.name()));
    /// assert!(snap.service_match("192.0.2.1".parse().unwrap(), "AzureMachineLearning").is_none());
    /// ```
    pub fn service_match(&self, ip: IpAddr, service: &str) -> Option<ServiceMatch<'_>> {
        let mut global = None;
        let mut regional = None;
        for tag in self.tags_containing(ip) {
            if !tag.service().eq_ignore_ascii_case(service) {
                continue;
            }
            if tag.region().is_some() {
                regional = regional.or(Some(tag));
            } else if tag.name().len() == tag.service().len() {
                global = global.or(Some(tag));
            }
        }
        Some(ServiceMatch {
            tag: regional.or(global)?,
            global,
        })
    }
}

/// The answer of [`Snapshot::service_match`]: the most specific tag of the service that
/// contains the address, and the service's global tag if that contains it too.
///
/// ```
/// let snap = azure_service_tags::public();
/// let hit = snap.service_match("20.41.0.241".parse().unwrap(), "azuremachinelearning").unwrap();
/// assert_eq!(hit.tag().service(), "AzureMachineLearning");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceMatch<'a> {
    tag: Tag<'a>,
    global: Option<Tag<'a>>,
}

impl<'a> ServiceMatch<'a> {
    /// The most specific tag: the regional tag when one contains the address, else the
    /// service's global tag.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let hit = snap.service_match("20.41.0.241".parse().unwrap(), "AzureMachineLearning").unwrap();
    /// assert!(hit.tag().name().starts_with("AzureMachineLearning"));
    /// ```
    pub fn tag(&self) -> Tag<'a> {
        self.tag
    }

    /// The service's global tag (`AzureMachineLearning`), when it contains the address.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let hit = snap.service_match("20.41.0.241".parse().unwrap(), "AzureMachineLearning").unwrap();
    /// assert_eq!(hit.global().unwrap().name(), "AzureMachineLearning");
    /// ```
    pub fn global(&self) -> Option<Tag<'a>> {
        self.global
    }

    /// The region of the most specific tag; `None` when only the global tag matched.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let hit = snap.service_match("20.41.0.241".parse().unwrap(), "AzureMachineLearning").unwrap();
    /// if let Some(region) = hit.region() {
    ///     println!("in {}", region.name());
    /// }
    /// ```
    pub fn region(&self) -> Option<Region<'a>> {
        self.tag.region()
    }
}

/// Iterator over the tags that contain an address; see [`Snapshot::tags_containing`].
///
/// ```
/// let snap = azure_service_tags::public();
/// let tags = snap.tags_containing("20.41.0.241".parse().unwrap());
/// assert!(tags.len() >= 2);
/// ```
#[derive(Debug, Clone)]
pub struct TagsContaining<'a> {
    snap: &'a Snapshot,
    indices: std::slice::Iter<'a, u16>,
}

impl<'a> Iterator for TagsContaining<'a> {
    type Item = Tag<'a>;
    #[inline]
    fn next(&mut self) -> Option<Tag<'a>> {
        let &index = self.indices.next()?;
        Some(Tag {
            snap: self.snap,
            index: u32::from(index),
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.indices.size_hint()
    }
}

impl DoubleEndedIterator for TagsContaining<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let &index = self.indices.next_back()?;
        Some(Tag {
            snap: self.snap,
            index: u32::from(index),
        })
    }
}

impl ExactSizeIterator for TagsContaining<'_> {}
impl FusedIterator for TagsContaining<'_> {}
