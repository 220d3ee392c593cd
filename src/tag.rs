//! The [`Tag`] handle and what hangs off it: its name, service and region, its
//! prefixes and whether it contains an address; its published properties are in
//! `tag_property.rs`.
//!
//! A `Tag` is a `Copy` handle (a snapshot reference and an index); every accessor reads
//! the snapshot's tables and nothing here allocates. Name resolution lives in
//! [`Snapshot::tag`]; address lookups in [`crate::lookup`].

use std::fmt;
use std::iter::FusedIterator;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use crate::datafile::{TAG_NAME_MAX, fold_tag_name};
use crate::index::{NONE, TagRow};
use crate::region::Region;
use crate::snapshot::Snapshot;

/// One service tag of a snapshot.
///
/// ```
/// let snap = azure_service_tags::public();
/// let tag = snap.tag("AzureMachineLearning.EastUS2").unwrap();
/// assert_eq!(tag.service(), "AzureMachineLearning");
/// assert_eq!(tag.region().unwrap().name(), "eastus2");
/// assert!(tag.ipv4().len() > 0);
/// ```
#[derive(Clone, Copy)]
pub struct Tag<'a> {
    pub(crate) snap: &'a Snapshot,
    pub(crate) index: u32,
}

impl PartialEq for Tag<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.snap, other.snap) && self.index == other.index
    }
}

impl Eq for Tag<'_> {}

impl std::hash::Hash for Tag<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.index.hash(state);
    }
}

impl fmt::Debug for Tag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tag")
            .field("name", &self.name())
            .field("index", &self.index)
            .finish()
    }
}

impl fmt::Display for Tag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl<'a> Tag<'a> {
    #[inline]
    fn row(&self) -> TagRow {
        self.snap.tables.tag_row(self.index)
    }

    #[inline]
    pub(crate) fn string(&self, i: u32) -> Option<&'a str> {
        self.snap.string(i)
    }

    /// The tag's name as published, e.g. `AzureMachineLearning.FranceCentral`.
    ///
    /// ```
    /// let tag = azure_service_tags::public().tag("azurecloud").unwrap();
    /// assert_eq!(tag.name(), "AzureCloud"); // canonical spelling, whatever was typed
    /// ```
    pub fn name(&self) -> &'a str {
        self.string(self.row().name).unwrap_or_default()
    }

    /// Dense position in published order, `0..snapshot.tags().len()`: use it to index
    /// arrays and bitsets.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let tag = snap.tag("Storage").unwrap();
    /// assert_eq!(snap.tags().nth(tag.index()), Some(tag));
    /// ```
    pub fn index(&self) -> usize {
        self.index as usize
    }

    /// The service: the part of the name before the first `.`
    /// (`AzureMachineLearning` for `AzureMachineLearning.EastUS2`).
    ///
    /// ```
    /// let tag = azure_service_tags::public().tag("Storage.WestEurope").unwrap();
    /// assert_eq!(tag.service(), "Storage");
    /// ```
    pub fn service(&self) -> &'a str {
        let name = self.name();
        name.split_once('.').map_or(name, |(service, _)| service)
    }

    /// The region this tag is scoped to, `None` for global tags.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let tag = snap.tag("AzureMachineLearning.FranceCentral").unwrap();
    /// assert_eq!(tag.region().unwrap().name(), "francecentral");
    /// assert!(snap.tag("AzureMachineLearning").unwrap().region().is_none());
    /// ```
    pub fn region(&self) -> Option<Region<'a>> {
        match self.row().region {
            NONE => None,
            index => Some(Region {
                snap: self.snap,
                index,
            }),
        }
    }

    /// The tag's IPv4 prefixes, in published order.
    ///
    /// ```
    /// let tag = azure_service_tags::public().tag("AzureMachineLearning").unwrap();
    /// let first = tag.ipv4().next().unwrap();
    /// assert!(tag.contains(first.network().into()));
    /// ```
    pub fn ipv4(&self) -> Ipv4Prefixes<'a> {
        let c = self.row();
        let t = &self.snap.tables;
        let range = c.v4_start as usize..c.v4_end as usize;
        Ipv4Prefixes {
            addr: t.v4_addr[range.clone()].iter(),
            len: t.v4_len[range].iter(),
        }
    }

    /// The tag's IPv6 prefixes, in published order.
    ///
    /// ```
    /// let tag = azure_service_tags::public().tag("AzureMachineLearning").unwrap();
    /// assert!(tag.ipv6().all(|p| tag.contains(p.network().into())));
    /// ```
    pub fn ipv6(&self) -> Ipv6Prefixes<'a> {
        let c = self.row();
        let t = &self.snap.tables;
        let range = c.v6_start as usize..c.v6_end as usize;
        Ipv6Prefixes {
            addr: t.v6_addr[range.clone()].iter(),
            len: t.v6_len[range].iter(),
        }
    }

    /// All the tag's prefixes, IPv4 and IPv6, in the order the source file lists them.
    ///
    /// ```
    /// let tag = azure_service_tags::public().tag("AzureMachineLearning").unwrap();
    /// assert_eq!(tag.prefixes().len(), tag.ipv4().len() + tag.ipv6().len());
    /// ```
    pub fn prefixes(&self) -> Prefixes<'a> {
        let c = self.row();
        Prefixes {
            v4: self.ipv4(),
            v6: self.ipv6(),
            runs: self.snap.tables.runs[c.runs_start as usize..c.runs_end as usize].iter(),
            in_v6: true,
            left_in_run: 0,
        }
    }

    /// Whether `ip` is inside one of the tag's prefixes, without a scan of them: for
    /// IPv4, a probe of the snapshot's bitmap of occupied /16 blocks, then of the tag's
    /// filter of the /24 blocks its ranges touch (for a tag of 64 merged ranges or
    /// more), and only past both a branch-free search of the tag's merged ranges (all
    /// compiled with the snapshot); for IPv6, the address index. IPv4-mapped IPv6 addresses (`::ffff:a.b.c.d`) are looked up as
    /// the IPv4 address they carry. For one question asked millions of times, a
    /// [`Tag::matcher`] is faster still.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let tag = snap.tag("AzureMachineLearning").unwrap();
    /// // An address of the tag, from the snapshot's data.
    /// let ip = tag.prefixes().next().unwrap().addr();
    /// assert!(tag.contains(ip));
    /// assert!(!tag.contains("192.0.2.1".parse().unwrap()));
    /// ```
    #[inline]
    pub fn contains(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(a) => self.contains_v4(u32::from(a)),
            IpAddr::V6(a) => self.contains_v6(a),
        }
    }

    /// The most specific of the tag's prefixes that contains `ip` (an IPv4-mapped IPv6
    /// address: the IPv4 prefix), or `None` when none does: the answer to "which prefix
    /// matched". A scan of the tag's prefixes of the address's family, after the
    /// [`Tag::contains`] test; allocation-free.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let tag = snap.tag("AzureMachineLearning").unwrap();
    /// let first = tag.prefixes().next().unwrap();
    /// let hit = tag.prefix_containing(first.addr()).unwrap();
    /// assert!(hit.contains(&first.addr()) && hit.prefix_len() >= first.prefix_len());
    /// assert_eq!(tag.prefix_containing("192.0.2.1".parse().unwrap()), None);
    /// ```
    pub fn prefix_containing(&self, ip: IpAddr) -> Option<IpNet> {
        if !self.contains(ip) {
            return None;
        }
        let v4 = match ip {
            IpAddr::V4(a) => Some(a),
            IpAddr::V6(a) => a.to_ipv4_mapped(),
        };
        match (v4, ip) {
            (Some(a), _) => self
                .ipv4()
                .filter(|n| n.contains(&a))
                .max_by_key(Ipv4Net::prefix_len)
                .map(IpNet::V4),
            (None, IpAddr::V6(a)) => self
                .ipv6()
                .filter(|n| n.contains(&a))
                .max_by_key(Ipv6Net::prefix_len)
                .map(IpNet::V6),
            (None, IpAddr::V4(_)) => None,
        }
    }

    /// [`Tag::contains`] for an IPv4 address: inlined, with nothing of the IPv6 path
    /// between the loads of a caller's loop.
    #[inline]
    fn contains_v4(&self, a: u32) -> bool {
        let t = &self.snap.tables;
        let row = self.row();
        t.v4_block_present(a) && t.v4_filter_passes(&row, a) && t.v4_ranges_contain(&row, a)
    }

    /// [`Tag::contains`] for an IPv6 address (an IPv4-mapped one: the IPv4 path).
    #[cold]
    #[inline(never)]
    fn contains_v6(&self, a: Ipv6Addr) -> bool {
        match a.to_ipv4_mapped() {
            Some(v4) => self.contains_v4(u32::from(v4)),
            None => {
                let set = self.snap.tables.set_of(IpAddr::V6(a));
                set.binary_search(&(self.index as u16)).is_ok()
            }
        }
    }
}

impl Snapshot {
    /// The tag named `name`, in any letter case (`azuremachinelearning.eastus2` finds
    /// `AzureMachineLearning.EastUS2`). Does not allocate.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// assert_eq!(snap.tag("azuremachinelearning.eastus2").unwrap().name(), "AzureMachineLearning.EastUS2");
    /// assert!(snap.tag("NoSuchTag").is_none());
    /// ```
    pub fn tag(&self, name: &str) -> Option<Tag<'_>> {
        let mut buf = [0u8; TAG_NAME_MAX];
        let key = fold_tag_name(name, &mut buf)?;
        let index = self.names.tags.get(key)?;
        Some(Tag { snap: self, index })
    }

    /// Every tag, in published order.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let udr = snap.tags().filter(|t| t.network_features().contains("UDR")).count();
    /// assert!(udr > 0 && udr < snap.tags().len());
    /// ```
    pub fn tags(&self) -> Tags<'_> {
        Tags {
            snap: self,
            range: 0..self.tables.tags.len() as u32,
        }
    }

    /// How many IPv4 and IPv6 prefixes the snapshot's tags hold, all together (a prefix
    /// that two tags share counts twice).
    ///
    /// ```
    /// let (ipv4, ipv6) = azure_service_tags::public().prefix_counts();
    /// assert!(ipv4 > 0 && ipv6 > 0);
    /// ```
    pub fn prefix_counts(&self) -> (usize, usize) {
        let t = &self.tables;
        (t.v4_addr.len(), t.v6_addr.len())
    }

    /// The tag of `service` scoped to `region`, found through the region's service-tag
    /// code rather than by guessing the name's suffix: `AzureMachineLearning` in
    /// `francecentral` is `AzureMachineLearning.FranceCentral` (code `centralfrance`),
    /// `AzureCloud` there is `AzureCloud.centralfrance`. `service` is case-insensitive.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let fr = snap.region("France Central").unwrap();
    /// assert_eq!(snap.regional_tag("AzureCloud", fr).unwrap().name(), "AzureCloud.centralfrance");
    /// assert_eq!(snap.regional_tag("azuremachinelearning", fr).unwrap().name(),
    ///            "AzureMachineLearning.FranceCentral");
    /// ```
    pub fn regional_tag(&self, service: &str, region: Region<'_>) -> Option<Tag<'_>> {
        if !std::ptr::eq(region.snap, self) || service.contains('.') {
            return None;
        }
        let code = region.code()?;
        let mut buf = [0u8; TAG_NAME_MAX];
        let (s, c) = (service.len(), code.len());
        if s + 1 + c > buf.len() || !service.is_ascii() {
            return None;
        }
        buf[..s].copy_from_slice(service.as_bytes());
        buf[s] = b'.';
        buf[s + 1..s + 1 + c].copy_from_slice(code.as_bytes());
        let key = &mut buf[..s + 1 + c];
        key.make_ascii_lowercase();
        let key = std::str::from_utf8(key).ok()?;
        let names = &self.names;
        let index = names.tags.get(key).or_else(|| names.regional.get(key))?;
        let tag = Tag { snap: self, index };
        (tag.row().region == region.index).then_some(tag)
    }
}

/// Iterator over a snapshot's tags, in published order; see [`Snapshot::tags`].
///
/// ```
/// let snap = azure_service_tags::public();
/// assert_eq!(snap.tags().next().unwrap().index(), 0);
/// assert_eq!(snap.tags().next_back().unwrap().index(), snap.tags().len() - 1);
/// ```
#[derive(Debug, Clone)]
pub struct Tags<'a> {
    snap: &'a Snapshot,
    range: std::ops::Range<u32>,
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;
    fn next(&mut self) -> Option<Tag<'a>> {
        let index = self.range.next()?;
        Some(Tag {
            snap: self.snap,
            index,
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
    fn nth(&mut self, n: usize) -> Option<Tag<'a>> {
        let index = self.range.nth(n)?;
        Some(Tag {
            snap: self.snap,
            index,
        })
    }
}

impl DoubleEndedIterator for Tags<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let index = self.range.next_back()?;
        Some(Tag {
            snap: self.snap,
            index,
        })
    }
}

impl ExactSizeIterator for Tags<'_> {}
impl FusedIterator for Tags<'_> {}

/// Iterator over a tag's IPv4 prefixes; see [`Tag::ipv4`].
///
/// ```
/// let tag = azure_service_tags::public().tag("AzureMachineLearning").unwrap();
/// let widest = tag.ipv4().map(|p| p.prefix_len()).min().unwrap();
/// assert!(widest <= 32);
/// ```
#[derive(Debug, Clone)]
pub struct Ipv4Prefixes<'a> {
    addr: std::slice::Iter<'a, u32>,
    len: std::slice::Iter<'a, u8>,
}

/// Data is validated when the snapshot is built: lengths are at most 32 (IPv4) and 128.
fn v4_net(addr: u32, len: u8) -> Ipv4Net {
    Ipv4Net::new_assert(Ipv4Addr::from(addr), len)
}

fn v6_net(addr: u128, len: u8) -> Ipv6Net {
    Ipv6Net::new_assert(Ipv6Addr::from(addr), len)
}

impl Iterator for Ipv4Prefixes<'_> {
    type Item = Ipv4Net;
    fn next(&mut self) -> Option<Ipv4Net> {
        Some(v4_net(*self.addr.next()?, *self.len.next()?))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.addr.size_hint()
    }
}

impl DoubleEndedIterator for Ipv4Prefixes<'_> {
    fn next_back(&mut self) -> Option<Ipv4Net> {
        Some(v4_net(*self.addr.next_back()?, *self.len.next_back()?))
    }
}

impl ExactSizeIterator for Ipv4Prefixes<'_> {}
impl FusedIterator for Ipv4Prefixes<'_> {}

/// Iterator over a tag's IPv6 prefixes; see [`Tag::ipv6`].
///
/// ```
/// let tag = azure_service_tags::public().tag("AzureCloud").unwrap();
/// assert!(tag.ipv6().len() > 0);
/// ```
#[derive(Debug, Clone)]
pub struct Ipv6Prefixes<'a> {
    addr: std::slice::Iter<'a, u128>,
    len: std::slice::Iter<'a, u8>,
}

impl Iterator for Ipv6Prefixes<'_> {
    type Item = Ipv6Net;
    fn next(&mut self) -> Option<Ipv6Net> {
        Some(v6_net(*self.addr.next()?, *self.len.next()?))
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.addr.size_hint()
    }
}

impl DoubleEndedIterator for Ipv6Prefixes<'_> {
    fn next_back(&mut self) -> Option<Ipv6Net> {
        Some(v6_net(*self.addr.next_back()?, *self.len.next_back()?))
    }
}

impl ExactSizeIterator for Ipv6Prefixes<'_> {}
impl FusedIterator for Ipv6Prefixes<'_> {}

/// Iterator over all a tag's prefixes in published order; see [`Tag::prefixes`].
///
/// ```
/// let tag = azure_service_tags::public().tag("Storage.WestEurope").unwrap();
/// let all: Vec<ipnet::IpNet> = tag.prefixes().collect();
/// assert_eq!(all.len(), tag.prefixes().len());
/// ```
#[derive(Debug, Clone)]
pub struct Prefixes<'a> {
    v4: Ipv4Prefixes<'a>,
    v6: Ipv6Prefixes<'a>,
    /// Run lengths, alternately IPv4 and IPv6, starting with IPv4.
    runs: std::slice::Iter<'a, u32>,
    in_v6: bool,
    left_in_run: u32,
}

impl Iterator for Prefixes<'_> {
    type Item = IpNet;
    fn next(&mut self) -> Option<IpNet> {
        while self.left_in_run == 0 {
            self.left_in_run = *self.runs.next()?;
            self.in_v6 = !self.in_v6;
        }
        self.left_in_run -= 1;
        if self.in_v6 {
            self.v6.next().map(IpNet::V6)
        } else {
            self.v4.next().map(IpNet::V4)
        }
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.v4.len() + self.v6.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for Prefixes<'_> {}
impl FusedIterator for Prefixes<'_> {}
