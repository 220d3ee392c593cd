//! The flat tables the lookups read: their schema here (the row structs, the column
//! set declared once, the layout constants), the compiler that builds them from a
//! parsed snapshot and region table in `compile.rs`, and the search helpers the
//! lookups share in `search.rs`.
//!
//! It uses only `std`: `build.rs` includes this module to emit the embedded tables, and
//! the library uses it to build the same tables for a snapshot loaded at run time.

mod compile;
mod search;

pub use compile::build;
#[allow(unused_imports)] // build.rs uses the compiler's helpers only
pub use search::{bit_rank, bitmap_ranks, count_at_most, merge_ranges, v6_slot};

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
