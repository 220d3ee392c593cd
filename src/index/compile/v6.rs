//! The IPv6 index: a presence bitmap of /16 blocks; a hash table of the /64 blocks in
//! which intervals start, whose slots say where the block's starts are; and beside it
//! a hash table of /48 blocks, whose slots say where their /64 blocks with starts are,
//! for the addresses whose own /64 block has none.

use super::IndexError;
use crate::index::layout::{
    MAX_SETS, MAX_V6_BLOCK_STARTS, MAX_V6_STARTS, V6_USED_PER_4_SLOTS, pack_v6_slot48,
    pack_v6_slot64, v6_first_address, v6_first64_of48, v6_key48, v6_key48_of64, v6_key64,
    v6_present_block,
};
use crate::index::search::v6_slot;
use crate::index::{Compiled, V6_PRESENT_WORDS};

/// The longest run of /48 blocks that one set covers whole which gets slots of its own
/// (a /40 prefix); the addresses of longer runs are answered by a search of every /64
/// key.
const UNIFORM_RUN_MAX: u64 = 256;
/// The most slots such runs get in all, so that no file grows the /48 table by more.
const UNIFORM_BLOCKS_MAX: u64 = 1 << 14;
/// The last /48 block's key.
const KEY48_MAX: u64 = (1 << 48) - 1;

/// One /64 block in which intervals start: its key, and its starts'
/// `first..first + count` in the intervals.
struct Block {
    key: u64,
    first: usize,
    count: usize,
}

/// Compiles the IPv6 intervals into the IPv6 index (see the `v6_*` columns). Fails when
/// a set id, the number of intervals or the intervals of one block do not fit their
/// fields.
pub(super) fn compile(v6: &[(u128, u32)], t: &mut Compiled) -> Result<(), IndexError> {
    if v6.len() > MAX_V6_STARTS {
        return Err(IndexError::TooManyV6Intervals { count: v6.len() });
    }
    t.v6_low = v6.iter().map(|&(s, _)| s as u64).collect();
    t.v6_set = v6
        .iter()
        .map(|&(_, set)| u16::try_from(set))
        .collect::<Result<_, _>>()
        .map_err(|_| IndexError::TooManySets {
            count: v6.iter().map(|&(_, set)| set + 1).max().unwrap_or(0),
            limit: MAX_SETS,
        })?;
    t.v6_present = present(v6);
    let blocks = blocks64(v6)?;
    t.v6_keys = blocks.iter().map(|b| b.key).collect();
    t.v6_tail = blocks
        .iter()
        .map(|b| t.v6_set[b.first + b.count - 1])
        .collect();
    let slots64: Vec<u128> = blocks
        .iter()
        .map(|b| pack_v6_slot64(b.key, b.first, b.count))
        .collect();
    t.v6_slots64 = hash(&slots64, v6_key64);
    t.v6_slots48 = hash(&blocks48(&t.v6_keys, &t.v6_tail)?, v6_key48);
    Ok(())
}

/// The end of interval `i`: the address before the next one starts, or the top.
fn last_address(v6: &[(u128, u32)], i: usize) -> u128 {
    v6.get(i + 1).map_or(u128::MAX, |&(next, _)| next - 1)
}

/// The presence bitmap: the /16 blocks that some interval of a tag meets.
fn present(v6: &[(u128, u32)]) -> Vec<u64> {
    let mut words = vec![0u64; V6_PRESENT_WORDS];
    for (i, &(start, set)) in v6.iter().enumerate() {
        if set == 0 {
            continue;
        }
        let (first, last) = (
            v6_present_block(start),
            v6_present_block(last_address(v6, i)),
        );
        for k in first..=last {
            words[k >> 6] |= 1 << (k & 63);
        }
    }
    words
}

/// The /64 blocks in which intervals start, in address order.
fn blocks64(v6: &[(u128, u32)]) -> Result<Vec<Block>, IndexError> {
    let mut blocks: Vec<Block> = Vec::new();
    for (i, &(start, _)) in v6.iter().enumerate() {
        let key = v6_key64(start);
        match blocks.last_mut() {
            Some(b) if b.key == key => b.count += 1,
            _ => blocks.push(Block {
                key,
                first: i,
                count: 1,
            }),
        }
    }
    match blocks.iter().find(|b| b.count > MAX_V6_BLOCK_STARTS) {
        Some(b) => Err(too_dense(b.key, 64)),
        None => Ok(blocks),
    }
}

/// The `v6_slots48` entries, in address order: each /48 block in which a /64 block of
/// `keys` lies, with those keys, and each block of a short run that one tag set covers
/// whole (from the end of a block with keys to the next), without.
fn blocks48(keys: &[u64], tails: &[u16]) -> Result<Vec<u128>, IndexError> {
    let mut slots = Vec::new();
    let mut uniform_left = UNIFORM_BLOCKS_MAX;
    let mut first = 0;
    while first < keys.len() {
        let key = v6_key48_of64(keys[first]);
        let count = keys[first..]
            .iter()
            .take_while(|&&k| v6_key48_of64(k) == key)
            .count();
        if count > MAX_V6_BLOCK_STARTS {
            return Err(too_dense(v6_first64_of48(key), 48));
        }
        let before = first.checked_sub(1).map_or(0, |i| tails[i]);
        slots.push(pack_v6_slot48(key, first, count, u32::from(before)));
        let last = first + count - 1;
        let end = keys
            .get(last + 1)
            .map_or(KEY48_MAX, |&k| v6_key48_of64(k) - 1);
        let (run, set) = (end - key, tails[last]);
        if set != 0 && run <= UNIFORM_RUN_MAX.min(uniform_left) {
            uniform_left -= run;
            slots.extend((key + 1..=end).map(|k| pack_v6_slot48(k, 0, 0, u32::from(set))));
        }
        first += count;
    }
    Ok(slots)
}

/// The error for the block of length `len` at the /64 key `key64`, with more entries
/// than a slot counts.
fn too_dense(key64: u64, len: u8) -> IndexError {
    IndexError::V6BlockTooDense {
        block: std::net::Ipv6Addr::from(v6_first_address(key64)),
        len,
    }
}

/// A hash table of `entries` under the keys `key` reads from them: a power of two in
/// length with at most `V6_USED_PER_4_SLOTS` entries per four slots, each entry at its
/// key's hash or the next free slot.
fn hash(entries: &[u128], key: fn(u128) -> u64) -> Vec<u128> {
    let len = (entries.len() * 4 / V6_USED_PER_4_SLOTS + 1).next_power_of_two();
    let mut slots = vec![0u128; len];
    for &entry in entries {
        let mut i = v6_slot(key(entry), len);
        while slots[i] != 0 {
            i = (i + 1) & (len - 1);
        }
        slots[i] = entry;
    }
    slots
}
