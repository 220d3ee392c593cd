//! The four IPv4 levels: the /16 presence bitmap and its ranks, an entry per present
//! /16 block, 256 entries per mixed block and the short lists of the mixed /24s, packed
//! as `layout` says.

use super::IndexError;
use crate::index::layout::{
    L24_VALUE_MAX, MAX_DETAIL, MAX_MIXED_BLOCKS, MAX_SETS, pack_block_mixed, pack_block_uniform,
    pack_detail, pack_detail_first, pack_slash24_list, pack_slash24_uniform,
};
use crate::index::search::bitmap_ranks;
use crate::index::{Compiled, V4_BLOCK_WORDS};

/// The index range in `intervals` of the intervals that meet `[lo, lo + size)`,
/// searching forward from `from`.
fn meeting(intervals: &[(u128, u32)], lo: u128, size: u128, from: usize) -> (usize, usize) {
    let mut first = from;
    while first + 1 < intervals.len() && intervals[first + 1].0 <= lo {
        first += 1;
    }
    let mut last = first;
    while last + 1 < intervals.len() && intervals[last + 1].0 < lo + size {
        last += 1;
    }
    (first, last)
}

/// `set`, if it fits a field that holds set ids below `limit`.
fn fits(set: u32, limit: u32) -> Result<u32, IndexError> {
    if set < limit {
        Ok(set)
    } else {
        Err(IndexError::TooManySets {
            count: set + 1,
            limit,
        })
    }
}

/// Compiles the IPv4 intervals into the four levels of the IPv4 index (see the
/// `v4_*` columns). Fails when a set id or a count does not fit its field.
pub(super) fn compile(intervals: &[(u128, u32)], t: &mut Compiled) -> Result<(), IndexError> {
    t.v4_blocks = vec![0; V4_BLOCK_WORDS];
    let mut cursor = 0;
    for block in 0..1u32 << 16 {
        let lo = u128::from(block) << 16;
        let (first, last) = meeting(intervals, lo, 1 << 16, cursor);
        cursor = first;
        let set = intervals[first].1;
        if first == last && set == 0 {
            continue;
        }
        t.v4_blocks[(block >> 6) as usize] |= 1 << (block & 63);
        if first == last {
            t.v4_l16.push(pack_block_uniform(fits(set, MAX_SETS)?));
        } else {
            mixed_block(&intervals[first..=last], block, t)?;
        }
    }
    t.v4_ranks = bitmap_ranks(&t.v4_blocks);
    Ok(())
}

/// The entries of a /16 block that prefixes cut: its `v4_l16` entry, its 256 `v4_l24`
/// entries and the lists of its mixed /24s. `intervals` are those that meet the block.
fn mixed_block(intervals: &[(u128, u32)], block: u32, t: &mut Compiled) -> Result<(), IndexError> {
    let (mixed, base) = (t.v4_l24.len() / 256, t.v4_detail.len());
    if mixed >= MAX_MIXED_BLOCKS || base >= MAX_DETAIL {
        return Err(IndexError::TooManyV4Boundaries);
    }
    t.v4_l16.push(pack_block_mixed(base, mixed));
    let lo = u128::from(block) << 16;
    let mut inner = 0;
    for slash24 in 0..256u32 {
        let (f, l) = meeting(intervals, lo + (u128::from(slash24) << 8), 1 << 8, inner);
        inner = f;
        if f == l {
            let set = fits(intervals[f].1, L24_VALUE_MAX + 1)?;
            t.v4_l24.push(pack_slash24_uniform(set));
            continue;
        }
        let offset = t.v4_detail.len() - base;
        if offset > L24_VALUE_MAX as usize {
            return Err(IndexError::BlockTooDense {
                block: std::net::Ipv4Addr::from(block << 16),
            });
        }
        t.v4_l24.push(pack_slash24_list(offset));
        for (k, &(begin, set)) in intervals[f..=l].iter().enumerate() {
            let set = fits(set, MAX_SETS)?;
            t.v4_detail.push(match k {
                0 => pack_detail_first(l - f + 1, set),
                _ => pack_detail(begin as u8, set),
            });
        }
    }
    Ok(())
}
