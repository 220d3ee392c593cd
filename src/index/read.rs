//! The reader: what the tables say about an address, a row or a string, read the way
//! `layout.rs` says they are packed. Nothing here allocates.

#![allow(dead_code)] // build.rs compiles tables and never reads them

use std::net::IpAddr;

use super::layout::{
    detail_count, detail_octet, detail_set, unpack_block, unpack_slash24, unpack_v6_slot, Block,
    Slash24,
};
use super::search::{bit_rank, count_at_most, v6_slot};
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
        self.set(match ip.to_canonical() {
            IpAddr::V4(v4) => self.v4_set(u32::from(v4)),
            IpAddr::V6(v6) => u32::from(self.v6_set(u128::from(v6))),
        } as usize)
    }

    /// Whether any tag holds an address of the IPv4 address's /16 block: one probe of
    /// the bitmap, which stays in L1.
    #[inline]
    pub fn v4_block_present(&self, ip: u32) -> bool {
        bit_rank(&self.v4_blocks, &self.v4_ranks, (ip >> 16) as usize).is_some()
    }

    /// Whether one of a tag's merged IPv4 ranges holds `ip`.
    #[inline]
    pub fn v4_ranges_contain(&self, row: &TagRow, ip: u32) -> bool {
        let (lo, hi) = (row.ranges_start as usize, row.ranges_end as usize);
        let i = count_at_most(&self.v4_range_start[lo..hi], ip);
        i > 0 && self.v4_range_end[lo + i - 1] >= ip
    }

    /// The id of the tag set that covers an IPv4 address: a bitmap probe (in L1) for
    /// the addresses of no tag, then at most three direct reads.
    #[inline]
    pub fn v4_set(&self, ip: u32) -> u32 {
        let Some(rank) = bit_rank(&self.v4_blocks, &self.v4_ranks, (ip >> 16) as usize) else {
            return 0;
        };
        let (base, mixed) = match unpack_block(self.v4_l16[rank]) {
            Block::Uniform(set) => return set,
            Block::Mixed { base, mixed } => (base, mixed),
        };
        let start = match unpack_slash24(self.v4_l24[mixed << 8 | ((ip >> 8) & 0xff) as usize]) {
            Slash24::Uniform(set) => return set,
            Slash24::List(offset) => base + offset,
        };
        let detail = &self.v4_detail[start..start + detail_count(self.v4_detail[start])];
        let octet = ip & 0xff;
        // The last boundary at or before the octet (the first is at octet 0), counted
        // without a branch per entry.
        let before = detail.iter().filter(|&&d| detail_octet(d) <= octet).count();
        detail_set(detail[before.saturating_sub(1)])
    }

    /// The id of the tag set that covers an IPv6 address: a hash probe for the
    /// address's /64 block; in a block where intervals start, a short search of their
    /// low halves; elsewhere, the last interval of the block before.
    #[inline]
    pub fn v6_set(&self, ip: u128) -> u16 {
        let (key, low) = ((ip >> 64) as u64, ip as u64);
        let last = match self.v6_group(key) {
            Some(g) => {
                let lo = self.v6_groups[g] as usize;
                let lows = &self.v6_low[lo..self.v6_groups[g + 1] as usize];
                let inside = if lows.len() <= 8 {
                    lows.iter().filter(|&&s| s <= low).count()
                } else {
                    count_at_most(lows, low)
                };
                // None inside means the last interval of the block before.
                (lo + inside).saturating_sub(1)
            }
            None => {
                // Block 0 holds the interval that starts at address 0.
                let g = count_at_most(&self.v6_keys, key).saturating_sub(1);
                self.v6_groups[g + 1] as usize - 1
            }
        };
        self.v6_set[last]
    }

    /// The number of the /64 block `key` among those where intervals start, if it is
    /// one: a probe of the hash table, then the next slots.
    #[inline]
    fn v6_group(&self, key: u64) -> Option<usize> {
        let mask = self.v6_slots.len() - 1;
        let mut slot = v6_slot(key, self.v6_slots.len());
        loop {
            let g = unpack_v6_slot(self.v6_slots[slot])?;
            if self.v6_keys[g] == key {
                return Some(g);
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Bytes of the tables an address lookup reads.
    pub fn index_bytes(&self) -> usize {
        fn bytes<T>(s: &[T]) -> usize {
            std::mem::size_of_val(s)
        }
        bytes(&self.v4_blocks)
            + bytes(&self.v4_ranks)
            + bytes(&self.v4_l16)
            + bytes(&self.v4_l24)
            + bytes(&self.v4_detail)
            + bytes(&self.v6_keys)
            + bytes(&self.v6_slots)
            + bytes(&self.v6_groups)
            + bytes(&self.v6_low)
            + bytes(&self.v6_set)
            + bytes(&self.set_end)
            + bytes(&self.set_tags)
    }
}
