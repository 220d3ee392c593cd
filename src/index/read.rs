//! The reader: what the tables say about an address, a row or a string, read the way
//! `layout.rs` says they are packed. Nothing here allocates.

#![allow(dead_code)] // build.rs compiles tables and never reads them

use std::net::IpAddr;

use std::hint::select_unpredictable;

use super::layout::{
    block_base, block_is_mixed, block_mixed, block_set, detail_bound, detail_count, detail_set,
    slash24_is_list, slash24_value, v6_key48, v6_key64, v6_present_block, v6_slot48_key,
    v6_slot48_keys, v6_slot48_set, v6_slot64_key, v6_slot64_starts,
};
use super::search::{bit_rank, count_at_most, count_short, filter_passes, v6_slot};
use super::{RegionRow, Tables, TagRow};

impl Tables {
    /// Tag `i`'s row.
    #[inline]
    pub fn tag_row(&self, i: u32) -> TagRow {
        TagRow::from_array(self.tags[i as usize])
    }

    /// Region `i`'s row.
    #[inline]
    pub fn region_row(&self, i: u32) -> RegionRow {
        RegionRow::from_array(self.regions[i as usize])
    }

    /// The interned string `i` (`None` for the "no value" marker).
    #[inline]
    pub fn string(&self, i: u32) -> Option<&str> {
        let end = *self.string_ends.get(i as usize)? as usize;
        let start = match i {
            0 => 0,
            _ => self.string_ends[i as usize - 1] as usize,
        };
        self.strings.get(start..end)
    }

    /// The sorted tag indices of set `id`.
    #[inline]
    pub fn set(&self, id: usize) -> &[u16] {
        let start = match id {
            0 => 0,
            s => self.set_end[s - 1] as usize,
        };
        &self.set_tags[start..self.set_end[id] as usize]
    }

    /// The sorted tag indices of the set that covers `ip` (IPv4-mapped IPv6 addresses
    /// as the IPv4 address they carry).
    #[inline]
    pub fn set_of(&self, ip: IpAddr) -> &[u16] {
        self.set(self.set_id(ip))
    }

    /// The id of the tag set that covers `ip` (IPv4-mapped IPv6 addresses as the IPv4
    /// address they carry).
    #[inline]
    pub fn set_id(&self, ip: IpAddr) -> usize {
        match ip.to_canonical() {
            IpAddr::V4(v4) => self.v4_set(u32::from(v4)) as usize,
            IpAddr::V6(v6) => usize::from(self.v6_set(u128::from(v6))),
        }
    }

    /// [`Tables::set_id`] for each address of `ips`, into `out` (as far as the shorter
    /// of the two goes). No jump in the loop depends on what a read returns, so the
    /// processor runs the lookups side by side and their cache misses overlap; a
    /// caller that reads each set as soon as it has its id puts the jumps that end the
    /// walk of each answer (its length) between one address's reads and the next's.
    pub fn set_ids_each(&self, ips: &[IpAddr], out: &mut [u32]) {
        for (id, &ip) in out.iter_mut().zip(ips) {
            *id = self.set_id(ip) as u32;
        }
    }

    /// Whether any tag holds an address of the IPv4 address's /16 block: one probe of
    /// the bitmap, which stays in L1.
    #[inline]
    pub fn v4_block_present(&self, ip: u32) -> bool {
        bit_rank(&self.v4_blocks, &self.v4_ranks, (ip >> 16) as usize).is_some()
    }

    /// Whether the tag's block filter lets `ip` through: `false` only when no range of
    /// the tag touches the address's /24 block. A tag without a filter lets every
    /// address through.
    #[inline]
    pub fn v4_filter_passes(&self, row: &TagRow, ip: u32) -> bool {
        filter_passes(
            &self.v4_tag_filter[row.filter_start as usize..row.filter_end as usize],
            ip,
        )
    }

    /// Whether one of a tag's merged IPv4 ranges holds `ip`.
    #[inline]
    pub fn v4_ranges_contain(&self, row: &TagRow, ip: u32) -> bool {
        let (lo, hi) = (row.ranges_start as usize, row.ranges_end as usize);
        let i = count_at_most(&self.v4_range_start[lo..hi], ip);
        i > 0 && self.v4_range_end[lo + i - 1] >= ip
    }

    /// The id of the tag set that covers an IPv4 address: a bitmap probe (in L1) for
    /// the addresses of no tag, then three reads, one per level, and no jump that
    /// depends on what they say.
    ///
    /// Each level is read whatever the level above said (at its entry 0, which stays
    /// in cache, where the level above was uniform), and the answer is picked with
    /// selects: a random Azure address would mispredict "uniform or not" twice. Only
    /// the bitmap's "no tag here" is a jump, which a stream of mostly hits or mostly
    /// misses predicts.
    #[inline]
    pub fn v4_set(&self, ip: u32) -> u32 {
        let Some(rank) = bit_rank(&self.v4_blocks, &self.v4_ranks, (ip >> 16) as usize) else {
            return 0;
        };
        let block = self.v4_l16[rank];
        let mixed = block_is_mixed(block);
        let l24 = block_mixed(block) << 8 | ((ip >> 8) & 0xff) as usize;
        let slash24 = self
            .v4_l24
            .get(select_unpredictable(mixed, l24, 0))
            .map_or(0, |&e| e);
        let listed = mixed & slash24_is_list(slash24);
        let start = block_base(block) + slash24_value(slash24) as usize;
        let (list, count) = self.list_at(select_unpredictable(listed, start, 0));
        // The list's first entry is at octet 0; the later ones at or before the
        // octet follow it.
        let later = count_short(
            list.get(1..).unwrap_or(&[]),
            count.saturating_sub(1),
            detail_bound(ip & 0xff),
        );
        let listed_set = detail_set(list.get(later).map_or(0, |&e| e));
        let set = select_unpredictable(listed, listed_set, slash24_value(slash24));
        select_unpredictable(mixed, set, block_set(block))
    }

    /// `v4_detail` from the list that starts at `start` on, and that list's length
    /// (empty and 0 past the table's end, for a table with no lists).
    #[inline]
    fn list_at(&self, start: usize) -> (&[u32], usize) {
        let count = self.v4_detail.get(start).map_or(0, |&e| detail_count(e));
        (self.v4_detail.get(start..).unwrap_or(&[]), count)
    }

    /// The id of the tag set that covers an IPv6 address, in three dependent reads
    /// past the L1-resident bitmap that turns away addresses outside Azure. The slots
    /// of the address's /64 block and of its /48 block are probed side by side. When
    /// intervals start in the /64 block, its slot says where their low halves are; a
    /// search by selects finds the last one at or before the address, which names the
    /// set (a dense /64 holds tens of starts, where comparing 16 at once and then
    /// searching the rest measured slower). Otherwise the /48 slot says where that
    /// block's /64 keys are; the last key before the address's names the set in force
    /// at its block's end (and none, the set at the /48 block's start). An address in a
    /// /48 block without a slot (a gap between prefixes, a long run of one set)
    /// searches every /64 key.
    #[inline]
    pub fn v6_set(&self, ip: u128) -> u16 {
        let top = v6_present_block(ip);
        let present = self
            .v6_present
            .get(top >> 6)
            .map_or(0, |w| w >> (top & 63) & 1);
        if present == 0 {
            return 0;
        }
        let key = v6_key64(ip);
        let block64 = probe(&self.v6_slots64, key, v6_slot64_key);
        let block48 = probe(&self.v6_slots48, v6_key48(ip), v6_slot48_key);
        if let Some(slot) = block64 {
            let (first, count) = v6_slot64_starts(slot);
            let n = count_at_most(&self.v6_low[first..first + count], ip as u64);
            // None at or before the address means the last interval of the block before.
            return self.v6_set[(first + n).saturating_sub(1)];
        }
        let Some(slot) = block48 else {
            let n = count_at_most(&self.v6_keys, key);
            return self.v6_tail.get(n.wrapping_sub(1)).map_or(0, |&s| s);
        };
        let (first, count) = v6_slot48_keys(slot);
        let n = count_short(self.v6_keys.get(first..).unwrap_or(&[]), count, key);
        let listed = n > 0;
        let tail = self.v6_tail[select_unpredictable(listed, first + n - usize::from(listed), 0)];
        select_unpredictable(listed, tail, v6_slot48_set(slot))
    }
}

/// The used slot of a hash table whose key, as `key_of` reads it, is `key`, if there is
/// one: a probe at the key's hash, then the next used slots.
#[inline]
fn probe(slots: &[u128], key: u64, key_of: fn(u128) -> Option<u64>) -> Option<u128> {
    let mut i = v6_slot(key, slots.len());
    loop {
        let slot = *slots.get(i)?;
        if key_of(slot)? == key {
            return Some(slot);
        }
        i = (i + 1) & (slots.len() - 1);
    }
}
