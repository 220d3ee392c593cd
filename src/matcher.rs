//! [`TagMatcher`]: a structure of its own, prepared for a few tags, that answers "is
//! this address inside any of them?" faster than the snapshot's index. It is built from
//! the tags' prefixes with the index's block filter and range merge (`index/`), and
//! for a service under the rule of `lookup.rs` (`service_role`).

use std::net::{IpAddr, Ipv6Addr};

use crate::index::{
    V4_BLOCK_WORDS, bit_rank, bitmap_ranks, block_filter, count_at_most, filter_passes,
    merge_ranges,
};
use crate::lookup::service_role;
use crate::snapshot::Snapshot;
use crate::tag::Tag;

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

impl Snapshot {
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
