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

/// A `v4_l16` entry for a block one set covers (`set < MAX_SETS`).
pub const fn pack_block_uniform(set: u32) -> u32 {
    L16_UNIFORM | set
}

/// A `v4_l16` entry for a mixed block (`base < MAX_DETAIL`, `mixed < MAX_MIXED_BLOCKS`).
pub const fn pack_block_mixed(base: usize, mixed: usize) -> u32 {
    (base as u32) << L16_MIXED_BITS | mixed as u32
}

/// Whether a `v4_l16` entry is a mixed block's: prefixes cut the block, it is mixed
/// block number `block_mixed` (its 256 entries in `v4_l24` start at `mixed * 256`),
/// and its lists in `v4_detail` start at `block_base`; otherwise one tag set,
/// `block_set`, covers it. The accessors read a field without a branch; each means
/// something only for the kind of entry it names.
#[inline]
pub const fn block_is_mixed(entry: u32) -> bool {
    entry & L16_UNIFORM == 0
}

/// A uniform block's set.
#[inline]
pub const fn block_set(entry: u32) -> u32 {
    entry & !L16_UNIFORM
}

/// Where a mixed block's lists start in `v4_detail`.
#[inline]
pub const fn block_base(entry: u32) -> usize {
    (entry >> L16_MIXED_BITS) as usize
}

/// A mixed block's number among the mixed blocks.
#[inline]
pub const fn block_mixed(entry: u32) -> usize {
    (entry & ((1 << L16_MIXED_BITS) - 1)) as usize
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

/// Whether a `v4_l24` entry points at a list (prefixes cut the /24: its list in
/// `v4_detail` starts `slash24_value` after its block's base) or holds the one set,
/// `slash24_value`, that covers the /24. Read without a branch.
#[inline]
pub const fn slash24_is_list(entry: u16) -> bool {
    entry & L24_UNIFORM == 0
}

/// A `v4_l24` entry's value: the set of a uniform /24, the offset of a list.
#[inline]
pub const fn slash24_value(entry: u16) -> u32 {
    (entry & !L24_UNIFORM) as u32
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
#[allow(dead_code)] // the reader compares whole entries (`detail_bound`); the tests read it
#[inline]
pub const fn detail_octet(entry: u32) -> u32 {
    (entry >> DETAIL_OCTET_SHIFT) & 0xff
}

/// The largest `v4_detail` entry after a list's first whose interval starts at or
/// before `octet`: those entries (octet above the set, nothing above the octet) sort
/// like their octets, so a list's entries at or before an octet are counted by one
/// comparison each.
#[inline]
pub const fn detail_bound(octet: u32) -> u32 {
    octet << DETAIL_OCTET_SHIFT | (MAX_SETS - 1)
}

/// The tag set of a `v4_detail` entry.
#[inline]
pub const fn detail_set(entry: u32) -> u32 {
    entry & (MAX_SETS - 1)
}

/// The bit of a block filter of `bits` bits (a power of two, at least 64) that stands
/// for the /24 block of `ip`: the top bits of a multiplicative hash of the block.
#[inline]
pub const fn v4_filter_bit(ip: u32, bits: usize) -> usize {
    ((ip >> 8).wrapping_mul(0x9e37_79b1) >> (32 - bits.trailing_zeros())) as usize
}

/// The IPv6 hash tables have at most this many used slots in four.
pub const V6_USED_PER_4_SLOTS: usize = 3;
/// The most intervals that may start in one IPv6 /64 block, and the most /64 blocks
/// with starts in one /48 block.
pub const MAX_V6_BLOCK_STARTS: usize = u16::MAX as usize;
/// The most intervals, and the most /64 blocks with starts, in all.
pub const MAX_V6_STARTS: usize = u32::MAX as usize;

/// Bit 0 marks a used slot in both hash tables.
const V6_USED: u128 = 1;
/// `v6_slots64`: the /64 key in the top 64 bits, then where the block's starts begin
/// in `v6_low` (32 bits) and how many there are (16 bits).
const V6_64_KEY_SHIFT: u32 = 64;
const V6_64_FIRST_SHIFT: u32 = 32;
const V6_64_COUNT_SHIFT: u32 = 16;
/// `v6_slots48`: the /48 key in the top 48 bits, then where the block's /64 keys begin
/// in `v6_keys` (32 bits), how many there are (16 bits), and the set in force at the
/// block's first address (16 bits).
const V6_48_KEY_SHIFT: u32 = 80;
const V6_48_FIRST_SHIFT: u32 = 48;
const V6_48_COUNT_SHIFT: u32 = 32;
const V6_48_SET_SHIFT: u32 = 16;

/// An address's /64 key.
#[inline]
pub const fn v6_key64(ip: u128) -> u64 {
    (ip >> V6_64_KEY_SHIFT) as u64
}

/// An address's /48 key.
#[inline]
pub const fn v6_key48(ip: u128) -> u64 {
    (ip >> V6_48_KEY_SHIFT) as u64
}

/// The /48 key of the block that holds the /64 block `key64`.
#[inline]
pub const fn v6_key48_of64(key64: u64) -> u64 {
    key64 >> (V6_48_KEY_SHIFT - V6_64_KEY_SHIFT)
}

/// The first /64 key of the /48 block `key48`.
#[inline]
pub const fn v6_first64_of48(key48: u64) -> u64 {
    key48 << (V6_48_KEY_SHIFT - V6_64_KEY_SHIFT)
}

/// The first address of the /64 block `key64`.
#[inline]
pub const fn v6_first_address(key64: u64) -> u128 {
    (key64 as u128) << V6_64_KEY_SHIFT
}

/// An address's /16 block: its bit in `v6_present`.
#[inline]
pub const fn v6_present_block(ip: u128) -> usize {
    (ip >> 112) as usize
}

/// A `v6_slots64` entry: the /64 block `key`, whose `count` starts' low halves are
/// `v6_low[first..]` (`first <= MAX_V6_STARTS`, `1 <= count <= MAX_V6_BLOCK_STARTS`).
pub const fn pack_v6_slot64(key: u64, first: usize, count: usize) -> u128 {
    (key as u128) << V6_64_KEY_SHIFT
        | (first as u128) << V6_64_FIRST_SHIFT
        | (count as u128) << V6_64_COUNT_SHIFT
        | V6_USED
}

/// A `v6_slots48` entry: the /48 block `key`, whose `count` /64 blocks with starts are
/// `v6_keys[first..]`, with `set` in force at its first address (`key < 1 << 48`,
/// `first <= MAX_V6_STARTS`, `count <= MAX_V6_BLOCK_STARTS`, `set < MAX_SETS`). A
/// block that one set covers whole has no /64 keys.
pub const fn pack_v6_slot48(key: u64, first: usize, count: usize, set: u32) -> u128 {
    (key as u128) << V6_48_KEY_SHIFT
        | (first as u128) << V6_48_FIRST_SHIFT
        | (count as u128) << V6_48_COUNT_SHIFT
        | (set as u128) << V6_48_SET_SHIFT
        | V6_USED
}

/// The key of a used `v6_slots64` entry, `None` for an empty slot.
#[inline]
pub const fn v6_slot64_key(slot: u128) -> Option<u64> {
    match slot & V6_USED {
        0 => None,
        _ => Some(v6_key64(slot)),
    }
}

/// The key of a used `v6_slots48` entry, `None` for an empty slot.
#[inline]
pub const fn v6_slot48_key(slot: u128) -> Option<u64> {
    match slot & V6_USED {
        0 => None,
        _ => Some(v6_key48(slot)),
    }
}

/// Where a `v6_slots64` block's starts begin in `v6_low`, and how many there are.
#[inline]
pub const fn v6_slot64_starts(slot: u128) -> (usize, usize) {
    (
        (slot >> V6_64_FIRST_SHIFT) as u32 as usize,
        (slot >> V6_64_COUNT_SHIFT) as u16 as usize,
    )
}

/// Where a `v6_slots48` block's /64 keys begin in `v6_keys`, and how many there are.
#[inline]
pub const fn v6_slot48_keys(slot: u128) -> (usize, usize) {
    (
        (slot >> V6_48_FIRST_SHIFT) as u32 as usize,
        (slot >> V6_48_COUNT_SHIFT) as u16 as usize,
    )
}

/// The set in force at a `v6_slots48` block's first address.
#[inline]
pub const fn v6_slot48_set(slot: u128) -> u16 {
    (slot >> V6_48_SET_SHIFT) as u16
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_unpacks_to_what_was_packed() {
        for set in [0, 1, 12_345, MAX_SETS - 1] {
            let uniform = pack_block_uniform(set);
            assert!(!block_is_mixed(uniform) && block_set(uniform) == set);
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
            assert!(block_is_mixed(entry));
            assert_eq!((block_base(entry), block_mixed(entry)), (base, mixed));
        }
        for (key, first, count, set) in [
            (0, 0, 1, 0),
            (
                (1 << 48) - 1,
                MAX_V6_STARTS,
                MAX_V6_BLOCK_STARTS,
                MAX_SETS - 1,
            ),
            (0x2603_1000_0001, 12_345, 0, 77),
        ] {
            let slot = pack_v6_slot48(key, first, count, set);
            assert_eq!(v6_slot48_key(slot), Some(key));
            assert_eq!(v6_slot48_keys(slot), (first, count));
            assert_eq!(u32::from(v6_slot48_set(slot)), set);
            let key = key << 16 | 0xfedc;
            let slot = pack_v6_slot64(key, first, count.max(1));
            assert_eq!(v6_slot64_key(slot), Some(key));
            assert_eq!(v6_slot64_starts(slot), (first, count.max(1)));
            let ip = u128::from(key) << 64 | 0xffff;
            assert_eq!((v6_key64(ip), v6_key48(ip)), (key, key >> 16));
            assert_eq!(v6_key48_of64(key), key >> 16);
            assert_eq!(v6_first64_of48(key >> 16), key & !0xffff);
            assert_eq!(v6_present_block(ip), (key >> 48) as usize);
            assert_eq!(v6_key64(v6_first_address(key)), key);
        }
        assert_eq!((v6_slot48_key(0), v6_slot64_key(0)), (None, None));
        for value in [0, 1, L24_VALUE_MAX] {
            let uniform = pack_slash24_uniform(value);
            assert!(!slash24_is_list(uniform) && slash24_value(uniform) == value);
            let list = pack_slash24_list(value as usize);
            assert!(slash24_is_list(list) && slash24_value(list) == value);
        }
    }
}
