//! The IPv6 index: the intervals' starts grouped by /64 block, under a hash table of
//! the blocks.

use super::IndexError;
use crate::index::layout::{pack_v6_slot, MAX_SETS, V6_SLOTS_PER_KEY};
use crate::index::search::v6_slot;
use crate::index::Compiled;

/// Compiles the IPv6 intervals into the IPv6 index: the low halves of their starts and
/// their sets, grouped by /64 block, and a hash table of the blocks. Fails when a set id
/// or the block count does not fit its field.
pub(super) fn compile(v6: &[(u128, u32)], t: &mut Compiled) -> Result<(), IndexError> {
    t.v6_low = v6.iter().map(|&(s, _)| s as u64).collect();
    t.v6_set = v6
        .iter()
        .map(|&(_, set)| u16::try_from(set))
        .collect::<Result<_, _>>()
        .map_err(|_| IndexError::TooManySets {
            count: v6.iter().map(|&(_, set)| set + 1).max().unwrap_or(0),
            limit: MAX_SETS,
        })?;
    for (i, &(start, _)) in v6.iter().enumerate() {
        let key = (start >> 64) as u64;
        if t.v6_keys.last() != Some(&key) {
            t.v6_keys.push(key);
            t.v6_groups.push(i as u32);
        }
    }
    t.v6_groups.push(v6.len() as u32);
    if t.v6_keys.len() >= usize::from(u16::MAX) {
        return Err(IndexError::TooManyV6Blocks {
            count: t.v6_keys.len(),
        });
    }
    t.v6_slots = vec![0; (t.v6_keys.len() * V6_SLOTS_PER_KEY).next_power_of_two()];
    let mask = t.v6_slots.len() - 1;
    for (g, &key) in t.v6_keys.iter().enumerate() {
        let mut slot = v6_slot(key, t.v6_slots.len());
        while t.v6_slots[slot] != 0 {
            slot = (slot + 1) & mask;
        }
        t.v6_slots[slot] = pack_v6_slot(g);
    }
    Ok(())
}
