//! Address lookups: which tags contain an IP, and which service owns it.
//!
//! The index is precomputed and read by `src/index/` (`read.rs`): each address family is
//! cut into disjoint sorted intervals, each mapped to an interned, sorted set of tag
//! indices, and an address's set is a slice of tag indices. This module turns those
//! into tags and answers for a service, and keeps [`TagMatcher`], a structure of its own
//! prepared for a few tags. Nothing here allocates or initialises anything lazily.

use std::iter::FusedIterator;
use std::net::{IpAddr, Ipv6Addr};

use crate::index::{
    V4_BLOCK_WORDS, bit_rank, bitmap_ranks, block_filter, count_at_most, filter_passes,
    merge_ranges,
};
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
            tag: regional.or(global)?,
            global,
        })
    }

    /// The same as [`TagMatcher::for_service`].
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// assert!(snap.service_matcher("AzureMachineLearning").contains(ip));
    /// ```
    #[deprecated(
        since = "0.2.0",
        note = "use `TagMatcher::for_service(snap, service)`: `service_matcher` was one letter from `service_match`"
    )]
    pub fn service_matcher(&self, service: &str) -> TagMatcher {
        TagMatcher::for_service(self, service)
    }
}

/// How a tag counts for a service in [`Snapshot::service_match`].
enum Role {
    /// A tag of the service in one region (`AzureMachineLearning.EastUS2`).
    Regional,
    /// The service's own tag (`AzureMachineLearning`).
    Global,
}

/// The one rule of which tags answer for `service` (any case): its regional tags and
/// its global tag, not its other sub-tags.
fn service_role(tag: Tag<'_>, service: &str) -> Option<Role> {
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

/// Parses address text the way every front end of the crate does (the `aztags lookup`
/// command, the Python bindings): exactly the spellings [`IpAddr`]'s parser accepts, no
/// surrounding whitespace, no IPv6 zone id (`fe80::1%eth0`). IPv4 takes a one-pass fast
/// path; `None` when `text` is not an address.
///
/// ```
/// use azure_service_tags::parse_ip;
/// assert_eq!(parse_ip(b"20.41.0.241"), "20.41.0.241".parse().ok());
/// assert_eq!(parse_ip(b"2603:1030::1"), "2603:1030::1".parse().ok());
/// assert_eq!(parse_ip(b"020.41.0.241"), None);
/// assert_eq!(parse_ip(b"fe80::1%eth0"), None);
/// ```
#[inline]
pub fn parse_ip(text: &[u8]) -> Option<IpAddr> {
    if let Some(ip) = parse_ipv4(text) {
        return Some(IpAddr::V4(ip));
    }
    // Without a dot there is no embedded IPv4 address, and the hex groups say it all.
    if !text.contains(&b'.') {
        return parse_ipv6_groups(text).map(IpAddr::V6);
    }
    std::str::from_utf8(text).ok()?.parse().ok()
}

/// An IPv4 address in dotted-decimal without leading zeros (what `Ipv4Addr`'s parser
/// accepts), or `None`: one pass over the bytes.
#[inline]
fn parse_ipv4(text: &[u8]) -> Option<std::net::Ipv4Addr> {
    if !(7..=15).contains(&text.len()) {
        return None;
    }
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if text.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut value = 0u32;
        while let Some(&b) = text.get(i) {
            if !b.is_ascii_digit() || i - start == 3 {
                break;
            }
            value = value * 10 + u32::from(b - b'0');
            i += 1;
        }
        let digits = i - start;
        if digits == 0 || value > 255 || (digits > 1 && text[start] == b'0') {
            return None;
        }
        *octet = value as u8;
    }
    (i == text.len()).then_some(std::net::Ipv4Addr::from(octets))
}

/// An IPv6 address of hex groups only (no embedded IPv4 address), read by the rules of
/// `Ipv6Addr`'s parser: eight groups of one to four hex digits, or fewer around one
/// `::` that stands for at least one zero group; `None` when `text` is not one.
fn parse_ipv6_groups(text: &[u8]) -> Option<std::net::Ipv6Addr> {
    if text.len() > 39 {
        return None;
    }
    let mut groups = [0u16; 8];
    let (head, at) = hex_groups(text, 0, &mut groups);
    if head < 8 {
        if text.get(at..at + 2) != Some(b"::") {
            return None;
        }
        let mut tail = [0u16; 7];
        let (n, end) = hex_groups(text, at + 2, &mut tail[..7 - head]);
        if end != text.len() {
            return None;
        }
        groups[8 - n..].copy_from_slice(&tail[..n]);
    } else if at != text.len() {
        return None;
    }
    Some(std::net::Ipv6Addr::from(groups))
}

/// Reads `:`-separated groups of one to four hex digits from `text[at..]` into
/// `groups`, as many as fit and are there; returns how many it read and where the last
/// one ended (a `:` not followed by a group is left unread, as `::` is).
fn hex_groups(text: &[u8], mut at: usize, groups: &mut [u16]) -> (usize, usize) {
    for (i, group) in groups.iter_mut().enumerate() {
        let start = if i == 0 { at } else { at + 1 };
        if i > 0 && text.get(at) != Some(&b':') {
            return (i, at);
        }
        let (mut value, mut digits) = (0u16, 0);
        while let Some(d) = text
            .get(start + digits)
            .and_then(|&b| (b as char).to_digit(16))
        {
            if digits == 4 {
                break;
            }
            value = value << 4 | d as u16;
            digits += 1;
        }
        if digits == 0 {
            return (i, at);
        }
        *group = value;
        at = start + digits;
    }
    (groups.len(), at)
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

/// A prepared membership test for one or more tags: "is this address inside any of
/// these tags?" as fast as it gets, for firewalls and log filters that ask it millions
/// of times.
///
/// Building one allocates (a filter of the IPv4 /24 blocks the tags touch, 256 bits a
/// block while that fits 8 KiB and never under 32, an 8 KiB bitmap of their /16
/// blocks, a 2 KiB rank table, a 32-byte bitmap of the touched /24s of each such
/// block, and the tags' merged ranges cut at block boundaries);
/// [`TagMatcher::contains`] then never allocates. For IPv4, the filter's one read turns
/// away most addresses outside the tags, wherever they are (one jump that a stream of
/// Azure addresses predicts, where "is it in one of the tags' /16 blocks" is a guess),
/// two bitmap probes most of the rest, and a branch-free search of the few ranges
/// inside the address's /16 block answers what is left. IPv6 searches the merged
/// ranges.
///
/// ```
/// use azure_service_tags::TagMatcher;
/// let snap = azure_service_tags::public();
/// let global = snap.tag("AzureMachineLearning").unwrap();
/// let aml = global.matcher();
/// // An address of the tag, from the snapshot's data.
/// assert!(aml.contains(global.prefixes().next().unwrap().addr()));
/// assert!(!aml.contains("192.0.2.1".parse().unwrap()));
///
/// // Several tags at once: a service in a region and its pair.
/// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
/// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
/// let e2 = TagMatcher::new(["AzureMachineLearning.EastUS2", "AzureMachineLearning.CentralUS"]
///     .iter()
///     .filter_map(|n| snap.tag(n)));
/// assert!(e2.contains(ip));
/// ```
#[derive(Debug, Clone)]
pub struct TagMatcher {
    /// A filter of the /24 blocks the IPv4 ranges touch (`index::block_filter`, sized
    /// by `matcher_filter_bits`; none past 32,768 blocks): most addresses outside the
    /// tags stop at its one read, which stays in L1 for a service's tags.
    filter: Box<[u64]>,
    /// Bit `k` is set when an IPv4 range touches the /16 block `k`.
    blocks: Box<[u64]>,
    /// `ranks[w]`: how many bits are set in `blocks[..w]`.
    ranks: Box<[u16]>,
    /// For set block number `r` (in address order): bit `j` is set when a range touches
    /// its /24 number `j`.
    subs: Box<[[u64; 4]]>,
    /// Set block number `r` owns `starts[offsets[r]..offsets[r + 1]]` and the same `ends`.
    offsets: Box<[u32]>,
    /// Merged, sorted, inclusive IPv4 ranges, cut at /16 boundaries, as the low 16 bits
    /// of their first and last addresses.
    starts: Box<[u16]>,
    ends: Box<[u16]>,
    /// Merged, sorted, inclusive IPv6 ranges.
    v6_starts: Box<[u128]>,
    v6_ends: Box<[u128]>,
}

/// The bits of a matcher's /24 filter for `blocks` touched blocks: 256 a block (about
/// one block in 256 outside the ranges passes) while that fits 8 KiB, a quarter of a
/// small L1 cache; past that 8 KiB, and never under 32 bits a block (one in 32).
/// Fewer addresses past the filter are fewer mispredicted jumps (BENCHMARKS.md,
/// "Where the time goes").
fn matcher_filter_bits(blocks: usize) -> usize {
    const ROOM: usize = 8 * 1024 * 8;
    (blocks * 256).min(ROOM).max(blocks * 32)
}

/// The most /24 blocks a matcher's filter covers: 32,768 blocks take 128 KiB.
const MATCHER_FILTER_MAX_BLOCKS: usize = 1 << 15;

impl TagMatcher {
    /// A matcher for the union of `tags`.
    ///
    /// ```
    /// use azure_service_tags::TagMatcher;
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let m = TagMatcher::new(snap.tags().filter(|t| t.service() == "AzureMachineLearning"));
    /// assert!(m.contains(ip));
    /// ```
    pub fn new<'a>(tags: impl IntoIterator<Item = Tag<'a>>) -> TagMatcher {
        let mut v4: Vec<(u32, u32)> = Vec::new();
        let mut v6: Vec<(u128, u128)> = Vec::new();
        for tag in tags {
            v4.extend(
                tag.ipv4()
                    .map(|n| (u32::from(n.network()), u32::from(n.broadcast()))),
            );
            v6.extend(
                tag.ipv6()
                    .map(|n| (u128::from(n.network()), u128::from(n.broadcast()))),
            );
        }
        let v4 = merge_ranges(v4, |a| a.checked_add(1));
        let v6 = merge_ranges(v6, |a| a.checked_add(1));
        let mut blocks = vec![0u64; V4_BLOCK_WORDS].into_boxed_slice();
        let mut subs: Vec<[u64; 4]> = Vec::new();
        let mut offsets = vec![0u32];
        let (mut starts, mut ends): (Vec<u16>, Vec<u16>) = (Vec::new(), Vec::new());
        let mut last_block = None;
        for &(start, end) in &v4 {
            for k in (start >> 16)..=(end >> 16) {
                if last_block != Some(k) {
                    if last_block.is_some() {
                        offsets.push(starts.len() as u32);
                    }
                    blocks[(k >> 6) as usize] |= 1 << (k & 63);
                    subs.push([0; 4]);
                    last_block = Some(k);
                }
                let first = if k == start >> 16 { start as u16 } else { 0 };
                let last = if k == end >> 16 { end as u16 } else { u16::MAX };
                starts.push(first);
                ends.push(last);
                if let Some(sub) = subs.last_mut() {
                    for j in (first >> 8)..=(last >> 8) {
                        sub[usize::from(j >> 6)] |= 1 << (j & 63);
                    }
                }
            }
        }
        offsets.push(starts.len() as u32);
        TagMatcher {
            filter: block_filter(&v4, matcher_filter_bits, MATCHER_FILTER_MAX_BLOCKS)
                .unwrap_or_default()
                .into_boxed_slice(),
            ranks: bitmap_ranks(&blocks).into_boxed_slice(),
            blocks,
            subs: subs.into_boxed_slice(),
            offsets: offsets.into_boxed_slice(),
            starts: starts.into_boxed_slice(),
            ends: ends.into_boxed_slice(),
            v6_starts: v6.iter().map(|r| r.0).collect(),
            v6_ends: v6.iter().map(|r| r.1).collect(),
        }
    }

    /// A matcher that answers what `snap.service_match(ip, service).is_some()` answers,
    /// for asking it of many addresses: the union of the service's global tag and its
    /// regional tags. `service` is case-insensitive.
    ///
    /// ```
    /// use azure_service_tags::TagMatcher;
    /// let snap = azure_service_tags::public();
    /// // An address of Azure Machine Learning in East US 2, from the snapshot's data.
    /// let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
    /// let aml = TagMatcher::for_service(snap, "AzureMachineLearning");
    /// assert_eq!(aml.contains(ip), snap.service_match(ip, "AzureMachineLearning").is_some());
    /// assert!(!aml.contains("192.0.2.1".parse().unwrap()));
    /// ```
    pub fn for_service(snap: &Snapshot, service: &str) -> TagMatcher {
        TagMatcher::new(
            snap.tags()
                .filter(|&tag| service_role(tag, service).is_some()),
        )
    }

    /// Whether `ip` is inside one of the tags. IPv4-mapped IPv6 addresses are looked up
    /// as the IPv4 address they carry. Never allocates.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let m = snap.tag("Storage").unwrap().matcher();
    /// let inside = snap.tag("Storage").unwrap().ipv4().next().unwrap().network();
    /// assert!(m.contains(inside.into()));
    /// ```
    #[inline]
    pub fn contains(&self, ip: IpAddr) -> bool {
        match ip {
            IpAddr::V4(a) => self.contains_v4(u32::from(a)),
            IpAddr::V6(a) => self.contains_v6(a),
        }
    }

    /// Whether `a` is inside one of the IPv4 ranges: the filter's one read turns away
    /// most addresses outside them, and only the rest go on.
    #[inline]
    fn contains_v4(&self, a: u32) -> bool {
        filter_passes(&self.filter, a) && self.v4_past_filter(a)
    }

    /// [`TagMatcher::contains_v4`] past the filter: the /16 bitmap, the /24 bits of the
    /// block, a search of the block's ranges.
    #[inline(never)]
    fn v4_past_filter(&self, a: u32) -> bool {
        let Some(rank) = bit_rank(&self.blocks, &self.ranks, (a >> 16) as usize) else {
            return false;
        };
        let j = (a >> 8) & 0xff;
        if self.subs[rank][(j >> 6) as usize] & (1 << (j & 63)) == 0 {
            return false;
        }
        let (lo, hi) = (self.offsets[rank] as usize, self.offsets[rank + 1] as usize);
        let a = a as u16;
        let i = count_at_most(&self.starts[lo..hi], a);
        i > 0 && self.ends[lo + i - 1] >= a
    }

    /// Whether `a` is inside one of the IPv6 ranges (an IPv4-mapped address: the IPv4
    /// ranges).
    #[cold]
    #[inline(never)]
    fn contains_v6(&self, a: Ipv6Addr) -> bool {
        if let Some(v4) = a.to_ipv4_mapped() {
            return self.contains_v4(u32::from(v4));
        }
        let a = u128::from(a);
        let i = count_at_most(&self.v6_starts, a);
        i > 0 && self.v6_ends[i - 1] >= a
    }
}

impl<'a> Tag<'a> {
    /// A prepared [`TagMatcher`] for this tag alone.
    ///
    /// ```
    /// let tag = azure_service_tags::public().tag("AzureMachineLearning").unwrap();
    /// let aml = tag.matcher();
    /// // An address of the tag, from the snapshot's data.
    /// assert!(aml.contains(tag.prefixes().next().unwrap().addr()));
    /// ```
    pub fn matcher(&self) -> TagMatcher {
        TagMatcher::new([*self])
    }
}

#[cfg(test)]
mod tests {
    use super::parse_ipv4;

    /// The fast parser accepts exactly what `Ipv4Addr`'s parser accepts.
    #[test]
    fn the_fast_ipv4_parser_agrees_with_std() {
        let cases = [
            "0.0.0.0",
            "1.2.3.4",
            "255.255.255.255",
            "20.41.0.241",
            "256.1.1.1",
            "1.2.3",
            "1.2.3.4.5",
            "01.2.3.4",
            "1.02.3.4",
            "1.2.3.04",
            "1.2.3.0",
            "1..3.4",
            ".1.2.3",
            "1.2.3.",
            "1234.1.1.1",
            "1.2.3.4 ",
            "a.b.c.d",
            "1.2.3.-4",
            "+1.2.3.4",
            "100.200.250.255",
            "999.0.0.0",
            "1.2.3.4x",
            "12.34.56.789",
            "",
        ];
        for case in cases {
            assert_eq!(parse_ipv4(case.as_bytes()), case.parse().ok(), "{case:?}");
        }
        let mut x = 0x9e37_79b9u32;
        for _ in 0..100_000 {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            let text = std::net::Ipv4Addr::from(x).to_string();
            assert_eq!(parse_ipv4(text.as_bytes()), text.parse().ok(), "{text}");
        }
    }
}
