//! Compiles a parsed snapshot and region table into the flat tables the lookups read.
//!
//! This module owns the one algorithm that builds the address index (disjoint sorted
//! intervals, each mapped to an interned set of tag indices; for IPv4 compiled into a
//! presence bitmap and direct tables per /16 and /24, see the `v4_*` columns) and the
//! name keys. It uses only `std`: `build.rs`
//! includes this file to emit the embedded tables, and the library uses it to build
//! the same tables for a snapshot loaded at run time. It must not know how the tables
//! are stored afterwards.

use std::collections::{BTreeMap, HashMap};

use crate::format::{
    fold_region_name, fold_tag_name, Features, Prefix, RegionRecord, SnapshotFile, REGION_KEY_MAX,
    TAG_NAME_MAX,
};

/// "No value" in a `u32` column.
pub const NONE: u32 = u32::MAX;
/// `networkFeatures` was absent from the source.
pub const FEATURES_ABSENT: u32 = u32::MAX;
/// `networkFeatures` was `null` in the source.
pub const FEATURES_NULL: u32 = u32::MAX - 1;
/// Words of the IPv4 presence bitmap: one bit per /16 block.
pub const V4_BLOCK_WORDS: usize = (1 << 16) / 64;
/// In `v4_l16`: the entry is a tag set id, the same for the whole /16 block.
pub const UNIFORM: u32 = 1 << 31;
/// In `v4_l24`: the entry is a tag set id, the same for the whole /24.
pub const UNIFORM24: u16 = 1 << 15;

/// Declares the per-field struct of a table row once: the struct itself and how
/// `build.rs` writes one as a Rust literal.
macro_rules! row {
    ($(#[$meta:meta])* $name:ident { $($(#[$doc:meta])* $field:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name {
            $($(#[$doc])* pub $field: u32,)*
        }

        impl Literal for $name {
            fn write_literal(&self, out: &mut String) {
                out.push_str(concat!(stringify!($name), "{"));
                $(
                    out.push_str(concat!(stringify!($field), ":"));
                    self.$field.write_literal(out);
                    out.push(',');
                )*
                out.push('}');
            }
        }
    };
}

row! {
    /// One tag, as indices into the other tables. String fields index
    /// [`Compiled::strings`].
    TagCols {
        name,
        id,
        region_code,
        region_id,
        platform,
        system_service,
        change_number,
        /// `FEATURES_ABSENT`, `FEATURES_NULL`, or a string holding the list joined by ','.
        features,
        /// Index into the region table, or `NONE`.
        region,
        /// The tag's IPv4 prefixes are `v4_addr[v4_start..v4_end]`.
        v4_start,
        v4_end,
        /// Likewise for IPv6.
        v6_start,
        v6_end,
        /// Published order: `runs[runs_start..runs_end]` are run lengths, alternately IPv4
        /// and IPv6, starting with IPv4 (a first run may be 0).
        runs_start,
        runs_end,
        /// The tag's IPv4 prefixes merged into sorted, disjoint, inclusive ranges:
        /// `v4_range_start[ranges_start..ranges_end]` and the same `v4_range_end`.
        ranges_start,
        ranges_end,
    }
}

row! {
    /// One region, as indices into [`Compiled::strings`].
    RegionCols {
        name,
        display_name,
        code,
        region_id,
        geography,
        /// Index of the paired region, or `NONE`.
        paired,
    }
}

/// A value `build.rs` can write into the generated source as a Rust literal.
#[allow(dead_code)] // called by build.rs only
pub trait Literal {
    /// Appends the literal to `out`.
    fn write_literal(&self, out: &mut String);
}

macro_rules! integer_literal {
    ($($t:ty),*) => {$(
        impl Literal for $t {
            fn write_literal(&self, out: &mut String) {
                use std::fmt::Write as _;
                let _ = write!(out, "{self}");
            }
        }
    )*};
}
integer_literal!(u8, u16, u32, u64, u128);

/// The array columns of the tables, declared once: `$m!` is called with each column's
/// doc, name and element type. [`Compiled`] holds them as vectors, the library's
/// `Tables` as `Cow` slices, and `build.rs` emits one static array each.
macro_rules! columns {
    ($m:ident) => {
        $m! {
            /// Where each interned string ends in `strings`: string `i` is
            /// `strings[string_ends[i - 1]..string_ends[i]]` (from 0 for the first).
            string_ends: u32,
            /// The tags, in published order.
            tags: TagCols,
            /// The regions, sorted by ARM name.
            regions: RegionCols,
            /// Run lengths of each tag's published order (see [`TagCols::runs_start`]).
            runs: u32,
            /// IPv4 prefixes: network addresses, tag by tag.
            v4_addr: u32,
            /// IPv4 prefixes: lengths.
            v4_len: u8,
            /// IPv6 prefixes: network addresses.
            v6_addr: u128,
            /// IPv6 prefixes: lengths.
            v6_len: u8,
            /// IPv4 level 1, the presence bitmap: bit `k` is set when some address of the
            /// /16 block `k` is in a tag. 8 KiB: it stays in the L1 cache.
            v4_blocks: u64,
            /// `v4_ranks[w]`: the bits set in `v4_blocks[..w]`, so a set bit's rank is
            /// one popcount away.
            v4_ranks: u16,
            /// IPv4 level 2, one entry per present /16 block in address order:
            /// `UNIFORM | set` when one set covers the block; else `base << 11 | m`: the
            /// block is mixed block number `m`, and its lists in `v4_detail` start at
            /// `base`.
            v4_l16: u32,
            /// IPv4 level 3, 256 entries per mixed /16 block, one per /24:
            /// `UNIFORM24 | set`, or where the /24's list starts in `v4_detail`, counted
            /// from the block's `base`. 16 bits an entry keeps the level in L2.
            v4_l24: u16,
            /// IPv4 level 4: `octet << 16 | set` for each interval that starts inside a
            /// mixed /24 (the first at octet 0, with the list's length minus one in its
            /// top 8 bits).
            v4_detail: u32,
            /// First addresses of every tag's merged IPv4 ranges (see
            /// [`TagCols::ranges_start`]), for `Tag::contains`.
            v4_range_start: u32,
            /// Last addresses of the same ranges.
            v4_range_end: u32,
            /// IPv6: the /64 blocks (the top 64 bits) in which intervals start, sorted.
            v6_keys: u64,
            /// IPv6 level 1, a hash table of `v6_keys`: slot `hash(key)` (then the next
            /// ones) holds `g + 1` for `v6_keys[g] == key`; 0 is an empty slot. A power
            /// of two in length, a quarter full at most.
            v6_slots: u16,
            /// The intervals starting in block `v6_keys[g]` are numbers
            /// `v6_groups[g]..v6_groups[g + 1]`.
            v6_groups: u32,
            /// IPv6 level 2: the low 64 bits of each interval's start, in address order
            /// (the top 64 are its block's key).
            v6_low: u64,
            /// The tag set of each IPv6 interval.
            v6_set: u16,
            /// Set `s` is `set_tags[set_end[s - 1]..set_end[s]]` (set 0 is empty).
            set_end: u32,
            /// The tag indices of every set, one set after the other.
            set_tags: u16,
        }
    };
}
pub(crate) use columns;

macro_rules! define_compiled {
    ($($(#[$doc:meta])* $name:ident: $ty:ty,)*) => {
        /// Everything a snapshot's lookups read, as plain vectors of integers.
        #[derive(Debug, Clone, Default)]
        pub struct Compiled {
            /// Interned strings, in first-use order, one after the other.
            pub strings: String,
            $($(#[$doc])* pub $name: Vec<$ty>,)*
            /// Lowercased tag name -> tag index.
            pub tag_keys: Vec<(String, u32)>,
            /// Lowercased `service.code` -> regional tag index, for tags whose name
            /// suffix is not the region's code (e.g. `azuremachinelearning.centralfrance`).
            pub regional_keys: Vec<(String, u32)>,
            /// Folded region spelling (ARM name, display name, code) -> region index.
            pub region_keys: Vec<(String, u32)>,
        }
    };
}
columns!(define_compiled);

struct Interner {
    blob: String,
    ends: Vec<u32>,
    index: HashMap<String, u32>,
}

impl Interner {
    fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.ends.len() as u32;
        self.blob.push_str(s);
        self.ends.push(self.blob.len() as u32);
        self.index.insert(s.to_string(), i);
        i
    }
    fn opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.get(s))
    }
}

/// Builds the tables. Fails, naming the tag or region and the value at fault, on data
/// the index cannot hold: a tag whose region code is not in the region table, a pair
/// that names an unknown region, two regions answering to one spelling, too many tags.
pub fn build(snap: &SnapshotFile, regions: &[RegionRecord]) -> Result<Compiled, String> {
    if snap.tags.len() >= usize::from(u16::MAX) {
        return Err(format!(
            "{} tags: the index holds at most 65534",
            snap.tags.len()
        ));
    }
    let mut strings = Interner {
        blob: String::new(),
        ends: Vec::new(),
        index: HashMap::new(),
    };
    let mut t = Compiled::default();
    // Regions first, so tags can point at them.
    let by_code = compile_regions(regions, &mut strings, &mut t)?;
    compile_tags(snap, &by_code, &mut strings, &mut t)?;
    // The address index.
    let mut sets = SetInterner::default();
    let v4 = intervals(snap, false, &mut sets);
    v4_levels(&v4, &mut t)?;
    let v6 = intervals(snap, true, &mut sets);
    v6_levels(&v6, &mut t)?;
    t.set_end = sets.ends;
    t.set_tags = sets.tags;
    t.strings = strings.blob;
    t.string_ends = strings.ends;
    Ok(t)
}

/// The region rows and the region spellings (`t.regions`, `t.region_keys`); returns
/// each service-tag region code's region index.
fn compile_regions<'r>(
    regions: &'r [RegionRecord],
    strings: &mut Interner,
    t: &mut Compiled,
) -> Result<HashMap<&'r str, u32>, String> {
    let by_name: HashMap<&str, u32> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i as u32))
        .collect();
    let mut by_code: HashMap<&str, u32> = HashMap::new();
    let mut keys: BTreeMap<String, u32> = BTreeMap::new();
    for (i, r) in regions.iter().enumerate() {
        let i = i as u32;
        let paired = match &r.paired {
            None => NONE,
            Some(p) => *by_name.get(p.as_str()).ok_or_else(|| {
                format!(
                    "region {:?}: paired region {p:?} is not in the region table",
                    r.name
                )
            })?,
        };
        if let Some(code) = &r.code {
            if let Some(other) = by_code.insert(code.as_str(), i) {
                return Err(format!(
                    "regions {:?} and {:?} both have the code {code:?}",
                    regions[other as usize].name, r.name
                ));
            }
        }
        region_spellings(regions, i, &mut keys)?;
        t.regions.push(RegionCols {
            name: strings.get(&r.name),
            display_name: strings.opt(r.display_name.as_deref()),
            code: strings.opt(r.code.as_deref()),
            region_id: r.region_id.unwrap_or(NONE),
            geography: strings.opt(r.geography.as_deref()),
            paired,
        });
    }
    t.region_keys = keys.into_iter().collect();
    Ok(by_code)
}

/// Adds the folded spellings of region `i` (ARM name, display name, code) to `keys`;
/// fails when one cannot be looked up or another region answers to it.
fn region_spellings(
    regions: &[RegionRecord],
    i: u32,
    keys: &mut BTreeMap<String, u32>,
) -> Result<(), String> {
    let r = &regions[i as usize];
    let mut buf = [0u8; REGION_KEY_MAX];
    for spelling in [Some(&r.name), r.display_name.as_ref(), r.code.as_ref()]
        .into_iter()
        .flatten()
    {
        let key = fold_region_name(spelling, &mut buf)
            .ok_or_else(|| format!("region {:?}: spelling {spelling:?} cannot be looked up (not letters, digits, spaces, or longer than {REGION_KEY_MAX})", r.name))?
            .to_string();
        match keys.get(&key) {
            Some(&other) if other != i => {
                return Err(format!(
                    "regions {:?} and {:?} both answer to {spelling:?}",
                    regions[other as usize].name, r.name
                ))
            }
            _ => {
                keys.insert(key, i);
            }
        }
    }
    Ok(())
}

/// The tag rows with their prefixes and merged IPv4 ranges, in published order, and
/// the tag name keys (`t.tags`, `t.tag_keys`, `t.regional_keys` and the prefix columns).
fn compile_tags(
    snap: &SnapshotFile,
    by_code: &HashMap<&str, u32>,
    strings: &mut Interner,
    t: &mut Compiled,
) -> Result<(), String> {
    let mut tag_keys: BTreeMap<String, u32> = BTreeMap::new();
    let mut regional: BTreeMap<String, u32> = BTreeMap::new();
    let mut name_buf = [0u8; TAG_NAME_MAX];
    for (i, tag) in snap.tags.iter().enumerate() {
        let i = i as u32;
        let ctx = |m: String| format!("tag {:?}: {m}", tag.name);
        let key = fold_tag_name(&tag.name, &mut name_buf)
            .ok_or_else(|| {
                ctx(format!(
                    "the name is not ASCII or longer than {TAG_NAME_MAX} bytes"
                ))
            })?
            .to_string();
        if tag_keys.insert(key, i).is_some() {
            return Err(ctx(
                "another tag has the same name (names are case-insensitive)".into(),
            ));
        }
        let region = match tag.region.as_deref() {
            None | Some("") => NONE,
            Some(code) => *by_code
                .get(code)
                .ok_or_else(|| ctx(format!("region code {code:?} is not in the region table")))?,
        };
        if let (Some((service, _)), Some(code)) = (tag.name.split_once('.'), tag.region.as_deref())
        {
            // A service may have several tags in one region (`Sql.EastUS2` and
            // `Sql.EastUS2Stage`): the key goes to the shortest name.
            if !code.is_empty() {
                let key = format!("{}.{}", service.to_ascii_lowercase(), code);
                let shorter = |j: &u32| tag.name.len() < snap.tags[*j as usize].name.len();
                if regional.get(&key).is_none_or(shorter) {
                    regional.insert(key, i);
                }
            }
        }
        let features = match &tag.network_features {
            Features::Absent => FEATURES_ABSENT,
            Features::Null => FEATURES_NULL,
            Features::List(list) => strings.get(&list.join(",")),
        };
        let row = TagCols {
            name: strings.get(&tag.name),
            id: strings.opt(tag.id.as_deref()),
            region_code: strings.opt(tag.region.as_deref()),
            region_id: tag.region_id.unwrap_or(NONE),
            platform: strings.opt(tag.platform.as_deref()),
            system_service: strings.opt(tag.system_service.as_deref()),
            change_number: tag.change_number.unwrap_or(NONE),
            features,
            region,
            ..push_prefixes(&tag.prefixes, t)
        };
        t.tags.push(row);
    }
    // A regional key is only needed where the real name differs from it.
    regional.retain(|k, _| !tag_keys.contains_key(k));
    t.tag_keys = tag_keys.into_iter().collect();
    t.regional_keys = regional.into_iter().collect();
    Ok(())
}

/// Appends a tag's prefixes (by family, with the runs that keep their published order)
/// and its merged IPv4 ranges; returns a row whose prefix, run and range bounds are
/// set (its other fields are `NONE`).
fn push_prefixes(prefixes: &[Prefix], t: &mut Compiled) -> TagCols {
    let (v4_start, v6_start, runs_start) = (
        t.v4_addr.len() as u32,
        t.v6_addr.len() as u32,
        t.runs.len() as u32,
    );
    let mut run_v6 = false;
    let mut run_len = 0u32;
    for p in prefixes {
        if p.is_v6() != run_v6 {
            t.runs.push(run_len);
            run_v6 = !run_v6;
            run_len = 0;
        }
        run_len += 1;
        match *p {
            Prefix::V4(a, l) => {
                t.v4_addr.push(a);
                t.v4_len.push(l);
            }
            Prefix::V6(a, l) => {
                t.v6_addr.push(a);
                t.v6_len.push(l);
            }
        }
    }
    if run_len > 0 || !run_v6 {
        t.runs.push(run_len);
    }
    let ranges_start = t.v4_range_start.len() as u32;
    let v4: Vec<(u32, u32)> = prefixes
        .iter()
        .filter(|p| !p.is_v6())
        .map(|p| {
            let (start, end) = p.range();
            // An IPv4 range always ends within 2^32.
            (start as u32, end.map_or(u32::MAX, |e| (e - 1) as u32))
        })
        .collect();
    for (start, end) in merge_ranges(v4, |a| a.checked_add(1)) {
        t.v4_range_start.push(start);
        t.v4_range_end.push(end);
    }
    TagCols {
        name: NONE,
        id: NONE,
        region_code: NONE,
        region_id: NONE,
        platform: NONE,
        system_service: NONE,
        change_number: NONE,
        features: NONE,
        region: NONE,
        v4_start,
        v4_end: t.v4_addr.len() as u32,
        v6_start,
        v6_end: t.v6_addr.len() as u32,
        runs_start,
        runs_end: t.runs.len() as u32,
        ranges_start,
        ranges_end: t.v4_range_start.len() as u32,
    }
}

/// Compiles the IPv6 intervals into the IPv6 index: the low halves of their starts and
/// their sets, grouped by /64 block, and a hash table of the blocks. Fails when a set id
/// or the block count does not fit its field.
fn v6_levels(v6: &[(u128, u32)], t: &mut Compiled) -> Result<(), String> {
    t.v6_low = v6.iter().map(|&(s, _)| s as u64).collect();
    t.v6_set = v6
        .iter()
        .map(|&(_, set)| u16::try_from(set))
        .collect::<Result<_, _>>()
        .map_err(|_| "more than 65536 distinct tag sets: the IPv6 index holds fewer".to_string())?;
    for (i, &(start, _)) in v6.iter().enumerate() {
        let key = (start >> 64) as u64;
        if t.v6_keys.last() != Some(&key) {
            t.v6_keys.push(key);
            t.v6_groups.push(i as u32);
        }
    }
    t.v6_groups.push(v6.len() as u32);
    if t.v6_keys.len() >= usize::from(u16::MAX) {
        return Err(format!(
            "IPv6 intervals start in {} /64 blocks: the index holds at most 65534",
            t.v6_keys.len()
        ));
    }
    t.v6_slots = vec![0; (t.v6_keys.len() * 4).next_power_of_two()];
    let mask = t.v6_slots.len() - 1;
    for (g, &key) in t.v6_keys.iter().enumerate() {
        let mut slot = v6_slot(key, t.v6_slots.len());
        while t.v6_slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        t.v6_slots[slot] = g as u16 + 1;
    }
    Ok(())
}

/// Compiles the IPv4 intervals into the four levels of the IPv4 index (see the
/// `v4_*` columns). Fails when a set id or a count does not fit its field.
fn v4_levels(intervals: &[(u128, u32)], t: &mut Compiled) -> Result<(), String> {
    t.v4_blocks = vec![0; V4_BLOCK_WORDS];
    // The intervals that meet [lo, lo + size): their index range in `intervals`.
    let meeting = |lo: u128, size: u128, from: usize| -> (usize, usize) {
        let mut first = from;
        while first + 1 < intervals.len() && intervals[first + 1].0 <= lo {
            first += 1;
        }
        let mut last = first;
        while last + 1 < intervals.len() && intervals[last + 1].0 < lo + size {
            last += 1;
        }
        (first, last)
    };
    let fits = |set: u32| {
        if set >= 1 << 16 {
            Err(format!(
                "{set} distinct tag sets: the IPv4 index holds at most 65536"
            ))
        } else {
            Ok(set)
        }
    };
    let mut cursor = 0;
    for block in 0..1u32 << 16 {
        let lo = u128::from(block) << 16;
        let (first, last) = meeting(lo, 1 << 16, cursor);
        cursor = first;
        if first == last {
            let set = intervals[first].1;
            if set != 0 {
                t.v4_blocks[(block >> 6) as usize] |= 1 << (block & 63);
                t.v4_l16.push(UNIFORM | fits(set)?);
            }
            continue;
        }
        t.v4_blocks[(block >> 6) as usize] |= 1 << (block & 63);
        let (mixed, base) = (t.v4_l24.len() / 256, t.v4_detail.len());
        if mixed >= 1 << 11 || base >= 1 << 20 {
            return Err(
                "the IPv4 index holds at most 2048 mixed /16 blocks and 1M boundaries".into(),
            );
        }
        t.v4_l16.push((base as u32) << 11 | mixed as u32);
        let mut inner = first;
        for slash24 in 0..256u32 {
            let lo24 = lo + (u128::from(slash24) << 8);
            let (f, l) = meeting(lo24, 1 << 8, inner);
            inner = f;
            if f == l {
                let set = fits(intervals[f].1)?;
                if set >= u32::from(UNIFORM24) {
                    return Err(format!(
                        "{set} distinct tag sets: the IPv4 index holds at most 32768"
                    ));
                }
                t.v4_l24.push(UNIFORM24 | set as u16);
                continue;
            }
            let offset = t.v4_detail.len() - base;
            if offset >= usize::from(UNIFORM24) {
                return Err("more than 32767 boundaries in one /16 block".into());
            }
            t.v4_l24.push(offset as u16);
            let count = (l - f + 1) as u32;
            for (k, &(begin, set)) in intervals[f..=l].iter().enumerate() {
                let head = if k == 0 {
                    (count - 1) << 24
                } else {
                    ((begin & 0xff) as u32) << 16
                };
                t.v4_detail.push(head | fits(set)?);
            }
        }
    }
    t.v4_ranks = bitmap_ranks(&t.v4_blocks);
    Ok(())
}

/// Sorts inclusive ranges and merges the overlapping and adjacent ones; `next` is the
/// address after an end (`None` at the top of the space).
pub fn merge_ranges<T: Copy + Ord>(
    mut ranges: Vec<(T, T)>,
    next: impl Fn(T) -> Option<T>,
) -> Vec<(T, T)> {
    ranges.sort_unstable();
    let mut out: Vec<(T, T)> = Vec::with_capacity(ranges.len());
    for (start, end) in ranges {
        match out.last_mut() {
            Some(last) if next(last.1).is_none_or(|n| start <= n) => last.1 = last.1.max(end),
            _ => out.push((start, end)),
        }
    }
    out
}

/// The rank table of a bitmap: entry `w` counts the bits set in `words[..w]`. At most
/// 65536 - 64 bits come before the last of 1024 words, so every rank fits a `u16`.
pub fn bitmap_ranks(words: &[u64]) -> Vec<u16> {
    let mut seen = 0u32;
    words
        .iter()
        .map(|w| {
            let rank = seen as u16;
            seen += w.count_ones();
            rank
        })
        .collect()
}

/// Whether bit `k` of a bitmap is set, and if so how many set bits come before it:
/// one word, one rank and one popcount.
#[inline]
pub fn bit_rank(words: &[u64], ranks: &[u16], k: usize) -> Option<usize> {
    let word = words[k >> 6];
    let bit = 1u64 << (k & 63);
    (word & bit != 0).then(|| usize::from(ranks[k >> 6]) + (word & (bit - 1)).count_ones() as usize)
}

/// The first slot to probe for a /64 key in a table of `len` slots (a power of two):
/// the top bits of a Fibonacci hash.
#[inline]
pub fn v6_slot(key: u64, len: usize) -> usize {
    let bits = len.trailing_zeros();
    if bits == 0 {
        return 0;
    }
    (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize
}

/// How many of the sorted `keys` are at most `x`: a binary search whose steps are
/// selects, not branches, so a random `x` costs no mispredicted jumps.
#[inline]
pub fn count_at_most<T: Copy + Ord>(keys: &[T], x: T) -> usize {
    if keys.is_empty() {
        return 0;
    }
    // The last key at most `x`, if any, is in `keys[base..base + len]`; `base` only
    // moves onto keys at most `x`.
    let mut base = 0;
    let mut len = keys.len();
    while len > 1 {
        let half = len / 2;
        base = if keys[base + half] <= x {
            base + half
        } else {
            base
        };
        len -= half;
    }
    base + usize::from(keys[base] <= x)
}

#[derive(Default)]
struct SetInterner {
    index: HashMap<Vec<u16>, u32>,
    ends: Vec<u32>,
    tags: Vec<u16>,
}

impl SetInterner {
    fn get(&mut self, set: Vec<u16>) -> u32 {
        if self.ends.is_empty() {
            // Set 0 is the empty set.
            self.ends.push(0);
            self.index.insert(Vec::new(), 0);
        }
        if let Some(&i) = self.index.get(&set) {
            return i;
        }
        let i = self.ends.len() as u32;
        self.tags.extend_from_slice(&set);
        self.ends.push(self.tags.len() as u32);
        self.index.insert(set, i);
        i
    }
}

/// Splits one address family into disjoint intervals, each with the sorted set of tags
/// that cover it; adjacent intervals with the same set are merged. The result starts at
/// address 0 and covers the whole space (the last interval runs to the top).
fn intervals(snap: &SnapshotFile, v6: bool, sets: &mut SetInterner) -> Vec<(u128, u32)> {
    // (address, tag, +1 at a prefix's start / -1 one past its end)
    let mut events: Vec<(u128, u16, i32)> = Vec::new();
    for (i, tag) in snap.tags.iter().enumerate() {
        for p in tag.prefixes.iter().filter(|p| p.is_v6() == v6) {
            let (start, end) = p.range();
            events.push((start, i as u16, 1));
            // An end at the top of the address space closes nothing.
            match end {
                Some(end) if v6 || end < 1 << 32 => events.push((end, i as u16, -1)),
                _ => {}
            }
        }
    }
    events.sort_unstable();
    let mut out: Vec<(u128, u32)> = vec![(0, sets.get(Vec::new()))];
    // Tag -> number of its prefixes covering the current address (duplicates count).
    let mut active: BTreeMap<u16, i32> = BTreeMap::new();
    let mut k = 0;
    while k < events.len() {
        let addr = events[k].0;
        while k < events.len() && events[k].0 == addr {
            let (_, tag, delta) = events[k];
            let count = active.entry(tag).or_insert(0);
            *count += delta;
            if *count == 0 {
                active.remove(&tag);
            }
            k += 1;
        }
        let set = sets.get(active.keys().copied().collect());
        match out.last_mut() {
            Some(last) if last.0 == addr => last.1 = set,
            Some(last) if last.1 == set => {}
            _ => out.push((addr, set)),
        }
    }
    // A first interval overwritten at address 0 may now equal nothing before it; merge
    // any neighbours the in-place update made equal.
    out.dedup_by(|b, a| a.1 == b.1);
    out
}

#[cfg(test)]
mod tests {
    use super::count_at_most;

    #[test]
    fn branchless_search_counts_like_partition_point() {
        for n in 0..40u32 {
            let keys: Vec<u32> = (0..n).map(|i| i * 3 + 1).collect();
            for x in 0..n * 3 + 3 {
                assert_eq!(
                    count_at_most(&keys, x),
                    keys.partition_point(|&k| k <= x),
                    "{n} keys, x = {x}"
                );
            }
        }
    }
}
