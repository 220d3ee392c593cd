//! Address lookups: which tags contain an IP, and which service owns it.
//!
//! The index is precomputed and read by `src/index/` (`read.rs`): each address family is
//! cut into disjoint sorted intervals, each mapped to an interned, sorted set of tag
//! indices, and an address's set is a slice of tag indices. This module turns those
//! into tags and answers for a service, under the one rule of which tags answer for a
//! service (`service_role`). Nothing here allocates or initialises anything lazily.

use std::iter::FusedIterator;
use std::net::IpAddr;

use crate::region::Region;
use crate::snapshot::Snapshot;
use crate::tag::Tag;

impl Snapshot {
    /// Every tag with a prefix that contains `ip`, in published order. The iterator
    /// knows its length and allocates nothing. IPv4-mapped IPv6 addresses
    /// (`::ffff:a.b.c.d`) are looked up as the IPv4 address they carry.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let names: Vec<&str> = snap
    ///     .tags_containing(ip)
    ///     .map(|t| t.name())
    ///     .collect();
    /// assert!(names.contains(&"AzureMachineLearning.EastUS2"));
    /// assert_eq!(snap.tags_containing("192.0.2.1".parse().unwrap()).len(), 0);
    /// ```
    #[inline]
    pub fn tags_containing(&self, ip: IpAddr) -> TagsContaining<'_> {
        self.tag_set(self.tables.set_id(ip) as u32)
    }

    /// [`Snapshot::tags_containing`] for many addresses at once, into a buffer the
    /// caller owns: `out[i]` becomes the tags containing `ips[i]`, for as many
    /// addresses as both slices hold (the returned count). Allocates nothing, and is
    /// faster than one call per address: the addresses are looked up in groups whose
    /// reads of the index overlap.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let ips: Vec<std::net::IpAddr> =
    ///     vec![ip, "192.0.2.1".parse().unwrap()];
    /// let mut out = vec![snap.no_tags(); ips.len()];
    /// assert_eq!(snap.tags_containing_each(&ips, &mut out), 2);
    /// assert!(out[0].clone().any(|t| t.name() == "AzureMachineLearning.EastUS2"));
    /// assert_eq!(out[1].len(), 0);
    /// ```
    pub fn tags_containing_each<'s>(
        &'s self,
        ips: &[IpAddr],
        out: &mut [TagsContaining<'s>],
    ) -> usize {
        const GROUP: usize = 256;
        let mut ids = [0u32; GROUP];
        for (ips, out) in ips.chunks(GROUP).zip(out.chunks_mut(GROUP)) {
            self.tables.set_ids_each(ips, &mut ids);
            for (answer, &id) in out.iter_mut().zip(&ids) {
                *answer = self.tag_set(id);
            }
        }
        ips.len().min(out.len())
    }

    /// No tags: the answer for an address in none, and a value to fill a buffer for
    /// [`Snapshot::tags_containing_each`] with.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// assert_eq!(snap.no_tags().len(), 0);
    /// ```
    pub fn no_tags(&self) -> TagsContaining<'_> {
        TagsContaining {
            snap: self,
            set_id: 0,
            indices: [].iter(),
        }
    }

    /// The tags of set `id` of the index (an id that `tables.set_id` returned).
    #[inline]
    fn tag_set(&self, id: u32) -> TagsContaining<'_> {
        TagsContaining {
            snap: self,
            set_id: id,
            indices: self.tables.set(id as usize).iter(),
        }
    }

    /// Answers "is `ip` an address of `service`, and in which region?" in one call.
    /// `service` is a tag name without a region suffix (`AzureMachineLearning`,
    /// `Storage`, `AzureCloud`), in any case. Returns `None` when no tag of the service
    /// contains `ip`.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let hit = snap.service_match(ip, "AzureMachineLearning").unwrap();
    /// println!("{ip} belongs to {} in {:?}", hit.tag(), hit.region().map(|r| r.name()));
    /// assert!(snap.service_match("192.0.2.1".parse().unwrap(), "AzureMachineLearning").is_none());
    /// ```
    pub fn service_match(&self, ip: IpAddr, service: &str) -> Option<ServiceMatch<'_>> {
        let mut global = None;
        let mut regional = None;
        for tag in self.tags_containing(ip) {
            match service_role(tag, service) {
                Some(Role::Regional) => regional = regional.or(Some(tag)),
                Some(Role::Global) => global = global.or(Some(tag)),
                None => {}
            }
        }
        Some(ServiceMatch {
            ip,
            tag: regional.or(global)?,
            global,
        })
    }
}

/// How a tag counts for a service in [`Snapshot::service_match`].
pub(crate) enum Role {
    /// A tag of the service in one region (`AzureMachineLearning.EastUS2`).
    Regional,
    /// The service's own tag (`AzureMachineLearning`).
    Global,
}

/// How `tag` answers for its own service, if it does (the index file stores it).
pub(crate) fn own_role(tag: Tag<'_>) -> Option<Role> {
    service_role(tag, tag.service())
}

/// The one rule of which tags answer for `service` (any case): its regional tags and
/// its global tag, not its other sub-tags.
pub(crate) fn service_role(tag: Tag<'_>, service: &str) -> Option<Role> {
    if !tag.service().eq_ignore_ascii_case(service) {
        None
    } else if tag.region().is_some() {
        Some(Role::Regional)
    } else if tag.name().len() == tag.service().len() {
        Some(Role::Global)
    } else {
        None
    }
}

/// The answer of [`Snapshot::service_match`]: the most specific tag of the service that
/// contains the address, and the service's global tag if that contains it too.
///
/// ```
/// let snap = azure_service_tags::public();
/// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
/// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
/// let hit = snap.service_match(ip, "azuremachinelearning").unwrap();
/// assert_eq!(hit.tag().service(), "AzureMachineLearning");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceMatch<'a> {
    ip: IpAddr,
    tag: Tag<'a>,
    global: Option<Tag<'a>>,
}

impl<'a> ServiceMatch<'a> {
    /// The most specific tag: the regional tag when one contains the address, else the
    /// service's global tag.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let hit = snap.service_match(ip, "AzureMachineLearning").unwrap();
    /// assert!(hit.tag().name().starts_with("AzureMachineLearning"));
    /// ```
    pub fn tag(&self) -> Tag<'a> {
        self.tag
    }

    /// The service's global tag (`AzureMachineLearning`), when it contains the address.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let hit = snap.service_match(ip, "AzureMachineLearning").unwrap();
    /// if let Some(global) = hit.global() {
    ///     assert_eq!(global.name(), "AzureMachineLearning");
    /// }
    /// ```
    pub fn global(&self) -> Option<Tag<'a>> {
        self.global
    }

    /// The prefix of [`ServiceMatch::tag`] that contains the address, its most
    /// specific one.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let hit = snap.service_match(ip, "AzureMachineLearning").unwrap();
    /// assert!(hit.prefix().contains(&ip));
    /// ```
    pub fn prefix(&self) -> ipnet::IpNet {
        // The tag contains the address: that is how it was chosen.
        self.tag
            .prefix_containing(self.ip)
            .unwrap_or_else(|| ipnet::IpNet::from(self.ip))
    }

    /// The region of the most specific tag; `None` when only the global tag matched.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let hit = snap.service_match(ip, "AzureMachineLearning").unwrap();
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
/// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
/// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
/// let tags = snap.tags_containing(ip);
/// assert!(tags.len() >= 1);
/// ```
#[derive(Debug, Clone)]
pub struct TagsContaining<'a> {
    snap: &'a Snapshot,
    set_id: u32,
    indices: std::slice::Iter<'a, u16>,
}

impl TagsContaining<'_> {
    /// Which of the snapshot's distinct answers this is: the index keeps each set of
    /// tags that some address is in once, and two answers of one snapshot have the
    /// same id exactly when they hold the same tags (the id stays what it was as the
    /// iterator advances). Id 0 is the empty answer. An id is a small number, below
    /// the count of distinct sets, so a caller that writes the same answers many times
    /// can keep each one's rendering in a table indexed by it.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let a = snap.tags_containing(ip);
    /// let b = snap.tags_containing("20.41.0.242".parse().unwrap()); // any other address
    /// assert_eq!(a.set_id() == b.set_id(), a.clone().eq(b.clone()));
    /// assert_eq!(snap.tags_containing("192.0.2.1".parse().unwrap()).set_id(), 0);
    /// ```
    pub fn set_id(&self) -> u32 {
        self.set_id
    }
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
