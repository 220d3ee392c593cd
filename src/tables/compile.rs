//! The compiler: one algorithm builds the address index (disjoint sorted intervals,
//! each mapped to an interned set of tag indices; for IPv4 compiled into a presence
//! bitmap and direct tables per /16 and /24, see the `v4_*` columns; for IPv6 a hash of
//! the /64 blocks where intervals start) and the name keys, table by table. It must not
//! know how the tables are stored afterwards.

use std::collections::{BTreeMap, HashMap};

use super::search::{bitmap_ranks, merge_ranges, v6_slot};
use super::{
    Compiled, RegionCols, TagCols, FEATURES_ABSENT, FEATURES_NULL, NONE, UNIFORM, UNIFORM24,
    V4_BLOCK_WORDS,
};
use crate::format::{
    fold_region_name, fold_tag_name, Features, Prefix, RegionRecord, SnapshotFile, REGION_KEY_MAX,
    TAG_NAME_MAX,
};

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
