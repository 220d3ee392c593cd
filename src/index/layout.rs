//! How the packed entries of the index are laid out: each field's width, and the
//! `const fn`s that pack them (the compiler) and unpack them (the reader). No shift or
//! mask of these entries is written anywhere else.

/// Bits of a tag set id wherever one is packed with other fields.
pub const SET_BITS: u32 = 16;
/// How many distinct tag sets the index holds.
pub const MAX_SETS: u32 = 1 << SET_BITS;

/// `v4_l16`: the top bit marks a block one set covers.
const L16_UNIFORM: u32 = 1 << 31;
/// `v4_l16`, mixed block: the low bits number the block among the mixed ones.
pub const L16_MIXED_BITS: u32 = 11;
/// `v4_l16`, mixed block: the bits above say where its lists start in `v4_detail`.
pub const L16_BASE_BITS: u32 = 20;
/// How many /16 blocks prefixes may cut.
pub const MAX_MIXED_BLOCKS: usize = 1 << L16_MIXED_BITS;
/// How long `v4_detail` may grow.
pub const MAX_DETAIL: usize = 1 << L16_BASE_BITS;

/// `v4_l24`: the top bit marks a /24 one set covers.
const L24_UNIFORM: u16 = 1 << 15;
/// The largest value either kind of `v4_l24` entry holds: a set id, or where the /24's
/// list starts counted from its block's base.
pub const L24_VALUE_MAX: u32 = L24_UNIFORM as u32 - 1;

/// `v4_detail`: bits 16..24 hold the octet where the interval starts.
const DETAIL_OCTET_SHIFT: u32 = SET_BITS;
/// `v4_detail`: the first entry of a list holds its length minus one in the top 8 bits.
const DETAIL_COUNT_SHIFT: u32 = 24;

/// What a `v4_l16` entry says about its /16 block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// One tag set covers the whole block.
    Uniform(u32),
    /// Prefixes cut the block: it is mixed block number `mixed` (its 256 entries in
    /// `v4_l24` start at `mixed * 256`), and its lists in `v4_detail` start at `base`.
    Mixed {
        /// Where the block's lists start in `v4_detail`.
        base: usize,
        /// The block's number among the mixed blocks.
        mixed: usize,
    },
}

/// What a `v4_l24` entry says about its /24.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slash24 {
    /// One tag set covers the whole /24.
    Uniform(u32),
    /// Prefixes cut the /24: its list in `v4_detail` starts this far from its block's
    /// base.
    List(usize),
}

/// A `v4_l16` entry for a block one set covers (`set < MAX_SETS`).
pub const fn pack_block_uniform(set: u32) -> u32 {
    L16_UNIFORM | set
}

/// A `v4_l16` entry for a mixed block (`base < MAX_DETAIL`, `mixed < MAX_MIXED_BLOCKS`).
pub const fn pack_block_mixed(base: usize, mixed: usize) -> u32 {
    (base as u32) << L16_MIXED_BITS | mixed as u32
}

/// Reads a `v4_l16` entry.
#[inline]
pub const fn unpack_block(entry: u32) -> Block {
    if entry & L16_UNIFORM != 0 {
        Block::Uniform(entry & !L16_UNIFORM)
    } else {
        Block::Mixed {
            base: (entry >> L16_MIXED_BITS) as usize,
            mixed: (entry & ((1 << L16_MIXED_BITS) - 1)) as usize,
        }
    }
}

/// A `v4_l24` entry for a /24 one set covers (`set <= L24_VALUE_MAX`).
pub const fn pack_slash24_uniform(set: u32) -> u16 {
    L24_UNIFORM | set as u16
}

/// A `v4_l24` entry for a /24 whose list starts `offset` after its block's base
/// (`offset <= L24_VALUE_MAX`).
pub const fn pack_slash24_list(offset: usize) -> u16 {
    offset as u16
}

/// Reads a `v4_l24` entry.
#[inline]
pub const fn unpack_slash24(entry: u16) -> Slash24 {
    if entry & L24_UNIFORM != 0 {
        Slash24::Uniform((entry & !L24_UNIFORM) as u32)
    } else {
        Slash24::List(entry as usize)
    }
}

/// The first `v4_detail` entry of a /24's list: the interval at octet 0, and the list's
/// length (2 to 256).
pub const fn pack_detail_first(count: usize, set: u32) -> u32 {
    ((count - 1) as u32) << DETAIL_COUNT_SHIFT | set
}

/// A later `v4_detail` entry: the interval that starts at `octet`.
pub const fn pack_detail(octet: u8, set: u32) -> u32 {
    (octet as u32) << DETAIL_OCTET_SHIFT | set
}

/// The length of the list a first `v4_detail` entry starts.
#[inline]
pub const fn detail_count(first: u32) -> usize {
    (first >> DETAIL_COUNT_SHIFT) as usize + 1
}

/// The octet where a `v4_detail` entry's interval starts (0 for a list's first).
#[inline]
pub const fn detail_octet(entry: u32) -> u32 {
    (entry >> DETAIL_OCTET_SHIFT) & 0xff
}

/// The tag set of a `v4_detail` entry.
#[inline]
pub const fn detail_set(entry: u32) -> u32 {
    entry & (MAX_SETS - 1)
}

/// `v6_slots`: slots per /64 key, at least (the table's length is a power of two).
pub const V6_SLOTS_PER_KEY: usize = 4;

/// A `v6_slots` entry for block number `group` (`group < u16::MAX`); 0 is an empty slot.
pub const fn pack_v6_slot(group: usize) -> u16 {
    group as u16 + 1
}

/// Reads a `v6_slots` entry: the block number it holds, if any.
#[inline]
pub const fn unpack_v6_slot(entry: u16) -> Option<usize> {
    match entry {
        0 => None,
        e => Some(e as usize - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_unpacks_to_what_was_packed() {
        for set in [0, 1, 12_345, MAX_SETS - 1] {
            assert_eq!(unpack_block(pack_block_uniform(set)), Block::Uniform(set));
            let first = pack_detail_first(256, set);
            assert_eq!(
                (detail_count(first), detail_octet(first), detail_set(first)),
                (256, 0, set)
            );
            let later = pack_detail(255, set);
            assert_eq!((detail_octet(later), detail_set(later)), (255, set));
        }
        for (base, mixed) in [(0, 0), (MAX_DETAIL - 1, MAX_MIXED_BLOCKS - 1), (77, 3)] {
            let entry = pack_block_mixed(base, mixed);
            assert_eq!(unpack_block(entry), Block::Mixed { base, mixed });
        }
        for group in [0, 1, usize::from(u16::MAX) - 1] {
            assert_eq!(unpack_v6_slot(pack_v6_slot(group)), Some(group));
        }
        assert_eq!(unpack_v6_slot(0), None);
        for value in [0, 1, L24_VALUE_MAX] {
            assert_eq!(
                unpack_slash24(pack_slash24_uniform(value)),
                Slash24::Uniform(value)
            );
            let offset = value as usize;
            assert_eq!(
                unpack_slash24(pack_slash24_list(offset)),
                Slash24::List(offset)
            );
        }
    }
}
