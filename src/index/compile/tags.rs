//! The tag rows (`tags`) with their prefixes, published order and merged IPv4 ranges,
//! and the tag name keys (`tag_keys`, `regional_keys`).

use std::collections::{BTreeMap, HashMap};

use super::{IndexError, Interner};
use crate::datafile::{
    Features, Prefix, Property, PropertyData, SnapshotFile, TAG_NAME_MAX, TagRecord, fold_tag_name,
};
use crate::index::search::{block_filter, merge_ranges};
use crate::index::{Compiled, FEATURES_NULL, NONE, TagRow};

/// A tag with at least this many merged IPv4 ranges has a filter of its /24 blocks.
const V4_FILTER_MIN_RANGES: usize = 64;
/// Bits of a tag's block filter per /24 block the tag touches (rounded up to a power
/// of two): about one block in ten outside the tag passes it.
const V4_FILTER_BITS_PER_BLOCK: usize = 8;
/// A tag whose ranges touch more /24 blocks than this has no filter.
const V4_FILTER_MAX_BLOCKS: usize = 2048;

/// The tag rows with their prefixes and merged IPv4 ranges, in published order, and
/// the tag name keys (`t.tags`, `t.tag_keys`, `t.regional_keys` and the prefix columns).
pub(super) fn compile(
    snap: &SnapshotFile,
    by_code: &HashMap<&str, u32>,
    strings: &mut Interner,
    t: &mut Compiled,
) -> Result<(), IndexError> {
    let mut tag_keys: BTreeMap<String, u32> = BTreeMap::new();
    let mut regional: BTreeMap<String, u32> = BTreeMap::new();
    let mut name_buf = [0u8; TAG_NAME_MAX];
    for (i, tag) in snap.tags.iter().enumerate() {
        let i = i as u32;
        let key = fold_tag_name(&tag.name, &mut name_buf)
            .ok_or_else(|| IndexError::UnusableTagName {
                tag: tag.name.clone(),
            })?
            .to_string();
        if tag_keys.insert(key, i).is_some() {
            return Err(IndexError::SharedTagName {
                tag: tag.name.clone(),
            });
        }
        let region = match tag.region.as_deref() {
            None | Some("") => NONE,
            Some(code) => *by_code
                .get(code)
                .ok_or_else(|| IndexError::UnknownRegionCode {
                    tag: tag.name.clone(),
                    code: code.to_string(),
                })?,
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
        let properties = Property::ALL.map(|p| property_slot(strings, tag, p));
        t.tag_properties.push(properties);
        let row = TagRow {
            name: strings.get(&tag.name),
            region,
            ..push_prefixes(&tag.prefixes, t)
        };
        t.tags.push(row.to_array());
    }
    // A regional key is only needed where the real name differs from it.
    regional.retain(|k, _| !tag_keys.contains_key(k));
    t.tag_keys = tag_keys.into_iter().collect();
    t.regional_keys = regional.into_iter().collect();
    Ok(())
}

/// The slot of property `p` of `tag` in `tag_properties`.
fn property_slot(strings: &mut Interner, tag: &TagRecord, p: Property) -> u32 {
    match tag.property(p) {
        None => NONE,
        Some(PropertyData::Text(text)) => strings.get(&text),
        Some(PropertyData::Number(n)) => n,
        Some(PropertyData::Features(Features::List(list))) => strings.get(&list.join(",")),
        Some(PropertyData::Features(_)) => FEATURES_NULL,
    }
}

/// Appends a tag's prefixes (by family, with the runs that keep their published order)
/// and its merged IPv4 ranges; returns a row whose prefix, run and range bounds are
/// set (its other fields are `NONE`).
fn push_prefixes(prefixes: &[Prefix], t: &mut Compiled) -> TagRow {
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
    let ranges = merge_ranges(v4, |a| a.checked_add(1));
    let filter_start = t.v4_tag_filter.len() as u32;
    if ranges.len() >= V4_FILTER_MIN_RANGES {
        let filter = block_filter(
            &ranges,
            |blocks| blocks * V4_FILTER_BITS_PER_BLOCK,
            V4_FILTER_MAX_BLOCKS,
        );
        t.v4_tag_filter.extend(filter.unwrap_or_default());
    }
    for (start, end) in ranges {
        t.v4_range_start.push(start);
        t.v4_range_end.push(end);
    }
    TagRow {
        name: NONE,
        region: NONE,
        v4_start,
        v4_end: t.v4_addr.len() as u32,
        v6_start,
        v6_end: t.v6_addr.len() as u32,
        runs_start,
        runs_end: t.runs.len() as u32,
        ranges_start,
        ranges_end: t.v4_range_start.len() as u32,
        filter_start,
        filter_end: t.v4_tag_filter.len() as u32,
    }
}
