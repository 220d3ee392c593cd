//! The address index and every table a lookup reads, in one place: the schema here
//! (the row structs, the column set declared once, [`Tables`]), the packed entries'
//! layout in `layout.rs`, the compiler that builds the tables from a parsed snapshot
//! and region table in `compile/` (table by table), the searches in `search.rs` and the
//! reader that answers an address with them in `read.rs`.
//!
//! It uses only `std`: `build.rs` includes this module to emit the embedded tables, and
//! the library uses it to build the same tables for a snapshot loaded at run time.

use std::borrow::Cow;

mod check;
mod compile;
pub mod layout;
mod read;
mod search;

#[allow(unused_imports)] // the embedded snapshots' tests use it
pub use check::check;
pub(crate) use compile::sweep;
pub use compile::{IndexError, build};
#[allow(unused_imports)] // the crate's lookups use them; build.rs does not
pub use search::{
    bit_rank, bitmap_ranks, block_filter, count_at_most, filter_passes, merge_ranges,
};

/// "No value" in a `u32` column.
pub const NONE: u32 = u32::MAX;

/// A region row's `paired` when the pair is not known (`NONE` is: published without
/// one).
pub const PAIR_UNKNOWN: u32 = u32::MAX - 1;
/// `networkFeatures` was absent from the source (as every absent property: `NONE`).
pub const FEATURES_ABSENT: u32 = NONE;
/// The published properties of a tag, one slot each (see `tag_properties`).
pub const PROPERTY_COUNT: usize = crate::datafile::Property::ALL.len();
/// `networkFeatures` was `null` in the source.
pub const FEATURES_NULL: u32 = u32::MAX - 1;
/// Words of the IPv4 presence bitmap: one bit per /16 block.
pub const V4_BLOCK_WORDS: usize = (1 << 16) / 64;
/// Words of the IPv6 presence bitmap: one bit per /16 block.
pub const V6_PRESENT_WORDS: usize = (1 << 16) / 64;

/// Declares a table row once: a struct of named `u32` fields, stored in its column as
/// a plain `[u32; WIDTH]` array (so the generated tables hold integers only), with the
/// conversions both ways.
macro_rules! row {
    ($(#[$meta:meta])* $name:ident, $width:ident { $($(#[$doc:meta])* $field:ident,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub struct $name {
            $($(#[$doc])* pub $field: u32,)*
        }

        /// How many fields a row has: the width of its stored array.
        pub const $width: usize = [$(stringify!($field)),*].len();

        #[allow(dead_code)] // build.rs stores rows and never reads one back
        impl $name {
            /// The row stored as `array`.
            #[inline]
            pub const fn from_array(array: [u32; $width]) -> $name {
                let [$($field),*] = array;
                $name { $($field),* }
            }

            /// The row as it is stored.
            pub const fn to_array(self) -> [u32; $width] {
                [$(self.$field),*]
            }
        }
    };
}

row! {
    /// One tag, as indices into the other tables. String fields index
    /// [`Compiled::strings`].
    TagRow, TAG_WIDTH {
        name,
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
        /// The tag's filter of the /24 blocks its ranges touch:
        /// `v4_tag_filter[filter_start..filter_end]` (none, for a tag with few ranges).
        filter_start,
        filter_end,
    }
}

row! {
    /// One region, as indices into [`Compiled::strings`].
    RegionRow, REGION_WIDTH {
        name,
        display_name,
        code,
        region_id,
        geography,
        /// Index of the paired region, `NONE` (published without one) or `PAIR_UNKNOWN`.
        paired,
    }
}

/// The array columns of the tables, declared once: `$m!` is called with each column's
/// doc, name, element type and [`Part`]. [`Compiled`] holds them as vectors, [`Tables`] as `Cow`
/// slices, and `build.rs` emits one static array each.
macro_rules! columns {
    ($m:ident) => {
        $m! {
            /// Where each interned string ends in `strings`: string `i` is
            /// `strings[string_ends[i - 1]..string_ends[i]]` (from 0 for the first).
            string_ends: u32 => Tags,
            /// The tags, in published order (see [`TagRow`]).
            tags: [u32; TAG_WIDTH] => Tags,
            /// The regions, sorted by ARM name (see [`RegionRow`]).
            regions: [u32; REGION_WIDTH] => Tags,
            /// Each tag's published properties, in `Property::ALL` order: a string
            /// (an index into `strings`) for a text, the value for a number, and for
            /// `networkFeatures` `FEATURES_NULL` or the list joined by ','; `NONE` for a
            /// property the source did not have.
            tag_properties: [u32; PROPERTY_COUNT] => Tags,
            /// Run lengths of each tag's published order (see [`TagRow::runs_start`]).
            runs: u32 => Tags,
            /// IPv4 prefixes: network addresses, tag by tag.
            v4_addr: u32 => Tags,
            /// IPv4 prefixes: lengths.
            v4_len: u8 => Tags,
            /// IPv6 prefixes: network addresses.
            v6_addr: u128 => Tags,
            /// IPv6 prefixes: lengths.
            v6_len: u8 => Tags,
            /// IPv4 level 1, the presence bitmap: bit `k` is set when some address of the
            /// /16 block `k` is in a tag. 8 KiB: it stays in the L1 cache.
            v4_blocks: u64 => Address,
            /// `v4_ranks[w]`: the bits set in `v4_blocks[..w]`, so a set bit's rank is
            /// one popcount away.
            v4_ranks: u16 => Address,
            /// IPv4 level 2, one entry per present /16 block in address order: the set
            /// that covers the block, or where its entries in the next two levels are
            /// (`layout::block_is_mixed`).
            v4_l16: u32 => Address,
            /// IPv4 level 3, 256 entries per mixed /16 block, one per /24: the set that
            /// covers the /24, or where its list starts in `v4_detail`
            /// (`layout::slash24_is_list`). 16 bits an entry keeps the level in L2.
            v4_l24: u16 => Address,
            /// IPv4 level 4: for each interval that starts inside a mixed /24, its first
            /// octet and its set (the list's first entry, at octet 0, also holds the
            /// list's length; see `layout::pack_detail_first`).
            v4_detail: u32 => Address,
            /// First addresses of every tag's merged IPv4 ranges (see
            /// [`TagRow::ranges_start`]), for `Tag::contains`.
            v4_range_start: u32 => Tags,
            /// Last addresses of the same ranges.
            v4_range_end: u32 => Tags,
            /// Each tag's filter of its /24 blocks (see [`TagRow::filter_start`]), a
            /// power of two of words: bit `layout::v4_filter_bit` of an address is
            /// clear when no range of the tag touches its /24 block, so
            /// `Tag::contains` skips the search of the tag's ranges.
            v4_tag_filter: u64 => Tags,
            /// IPv6 level 1, the presence bitmap: bit `k` is set when a tag holds some
            /// address of the /16 block `k` (the top 16 bits). 8 KiB, in L1: addresses
            /// outside Azure stop here.
            v6_present: u64 => Address,
            /// IPv6 level 2, a hash table of the /64 blocks in which intervals start
            /// (`layout::pack_v6_slot64`): each slot holds the key and where the
            /// block's starts are in `v6_low`, and how many. Slot `hash(key)` or the
            /// next used ones hold a key; a power of two in length, at most 3/4 full.
            v6_slots64: u128 => Address,
            /// IPv6 level 2 as well, probed beside `v6_slots64`: a hash table of /48
            /// blocks (`layout::pack_v6_slot48`) for the addresses whose /64 block has
            /// no start. Each /48 block in which intervals start, and each block of a
            /// short run that one tag set covers whole, holds where its /64 keys are
            /// in `v6_keys`, how many, and the set in force at its first address.
            v6_slots48: u128 => Address,
            /// The /64 blocks (the top 64 bits) in which intervals start, sorted.
            v6_keys: u64 => Address,
            /// The set in force at the end of each `v6_keys` block: its last
            /// interval's.
            v6_tail: u16 => Address,
            /// IPv6 level 3: the low 64 bits of each interval's start, in address order
            /// (the top 64 are its block's key).
            v6_low: u64 => Address,
            /// The tag set of each IPv6 interval.
            v6_set: u16 => Address,
            /// Set `s` is `set_tags[set_end[s - 1]..set_end[s]]` (set 0 is empty).
            set_end: u32 => Address,
            /// The tag indices of every set, one set after the other.
            set_tags: u16 => Address,
        }
    };
}
#[allow(unused_imports)] // used by embedded.rs when a cloud's feature is on
pub(crate) use columns;

/// Which lookups read a column: what the byte budgets count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The lookup of an address's tag set (`read.rs`).
    Address,
    /// Everything else: names, tag and region rows, prefixes, each tag's ranges.
    Tags,
}

macro_rules! define_compiled {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $part:ident,)*) => {
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

macro_rules! define_tables {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $part:ident,)*) => {
        /// The tables every lookup reads, the same columns as [`Compiled`]: borrowed
        /// from the compiled-in statics, or owned by a snapshot built at run time.
        #[derive(Debug)]
        pub struct Tables {
            /// Interned strings, one after the other.
            pub strings: Cow<'static, str>,
            $($(#[$doc])* pub $name: Cow<'static, [$ty]>,)*
        }

        #[allow(dead_code)] // build.rs compiles tables and never holds them
        impl Tables {
            /// The columns, borrowed.
            pub fn view(&self) -> View<'_> {
                View { strings: &self.strings, $($name: &self.$name,)* }
            }

            /// Bytes of every table (strings and columns).
            pub fn bytes(&self) -> usize {
                self.view().bytes()
            }

            /// Bytes of the columns an address lookup reads ([`Part::Address`]).
            pub fn index_bytes(&self) -> usize {
                self.view().index_bytes()
            }

            /// Takes ownership of freshly compiled tables.
            pub fn owned(c: &mut Compiled) -> Tables {
                Tables {
                    strings: Cow::Owned(std::mem::take(&mut c.strings)),
                    $($name: Cow::Owned(std::mem::take(&mut c.$name)),)*
                }
            }
        }
    };
}
columns!(define_tables);

macro_rules! define_view {
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $part:ident,)*) => {
        /// Every column borrowed, from [`Compiled`] or [`Tables`]: what the
        /// consistency check (`check.rs`) and the byte counts read.
        #[derive(Debug, Clone, Copy)]
        pub struct View<'a> {
            /// Interned strings, one after the other.
            pub strings: &'a str,
            $($(#[$doc])* pub $name: &'a [$ty],)*
        }

        #[allow(dead_code)] // build.rs checks tables and never counts their bytes
        impl View<'_> {
            /// Each column's name, part and bytes, from the column list.
            pub fn column_bytes(&self) -> Vec<(&'static str, Part, usize)> {
                vec![$((stringify!($name), Part::$part, std::mem::size_of_val(self.$name)),)*]
            }

            /// Bytes of every table (strings and columns).
            pub fn bytes(&self) -> usize {
                self.strings.len() + self.column_bytes().iter().map(|c| c.2).sum::<usize>()
            }

            /// Bytes of the columns an address lookup reads ([`Part::Address`]).
            pub fn index_bytes(&self) -> usize {
                let columns = self.column_bytes().into_iter();
                columns.filter(|c| c.1 == Part::Address).map(|c| c.2).sum()
            }
        }

        impl Compiled {
            /// The columns, borrowed.
            pub fn view(&self) -> View<'_> {
                View { strings: &self.strings, $($name: &self.$name,)* }
            }
        }
    };
}
columns!(define_view);
