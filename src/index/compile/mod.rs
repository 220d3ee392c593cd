//! The compiler: one algorithm builds the address index (disjoint sorted intervals,
//! each mapped to an interned set of tag indices, in `sets.rs`; for IPv4 compiled into a
//! presence bitmap and direct tables per /16 and /24 in `v4.rs`; for IPv6 a presence
//! bitmap and a hash of /48 blocks in `v6.rs`), the region rows (`regions.rs`) and the
//! tag rows (`tags.rs`) with the name keys, table by table. It must not know how the
//! tables are stored afterwards.

use std::collections::HashMap;
use std::fmt;

use super::layout::{MAX_V6_BLOCK_STARTS, MAX_V6_STARTS};
use super::{Compiled, NONE};
use crate::datafile::{REGION_KEY_MAX, RegionRecord, SnapshotFile, TAG_NAME_MAX};

mod regions;
mod sets;
mod tags;
mod v4;
mod v6;

pub(crate) use sets::sweep;

/// Why parsed records cannot be indexed; each variant names the tag, region or value
/// at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IndexError {
    /// More tags than a tag index holds.
    TooManyTags {
        /// How many tags the snapshot has.
        count: usize,
    },
    /// A region's pair is not in the region table.
    UnknownPairedRegion {
        /// The region.
        region: String,
        /// The pair it names.
        paired: String,
    },
    /// Two regions have one service-tag code.
    SharedRegionCode {
        /// The region that had the code first.
        first: String,
        /// The other region.
        second: String,
        /// The code.
        code: String,
    },
    /// A region's name, display name or code cannot be a lookup key.
    UnusableSpelling {
        /// The region.
        region: String,
        /// The spelling.
        spelling: String,
    },
    /// Two regions answer to one spelling (spellings fold case and spaces).
    SharedSpelling {
        /// The region that had the spelling first.
        first: String,
        /// The other region.
        second: String,
        /// The spelling.
        spelling: String,
    },
    /// A tag's name cannot be a lookup key.
    UnusableTagName {
        /// The tag.
        tag: String,
    },
    /// Two tags have one name, ignoring case.
    SharedTagName {
        /// The second tag of that name.
        tag: String,
    },
    /// A tag's region code is not in the region table.
    UnknownRegionCode {
        /// The tag.
        tag: String,
        /// Its region code.
        code: String,
    },
    /// More distinct sets of tags than a field of the index holds.
    TooManySets {
        /// How many sets were needed.
        count: u32,
        /// How many the field holds.
        limit: u32,
    },
    /// More IPv6 intervals than the IPv6 index holds.
    TooManyV6Intervals {
        /// How many intervals.
        count: usize,
    },
    /// Prefixes cut one IPv6 /64 block into more intervals, or one /48 block into more
    /// /64 blocks with intervals, than a slot can count.
    V6BlockTooDense {
        /// The block's first address.
        block: std::net::Ipv6Addr,
        /// Its prefix length (48 or 64).
        len: u8,
    },
    /// Prefixes cut more /16 blocks, or leave more boundaries, than the IPv4 index holds.
    TooManyV4Boundaries,
    /// Prefixes cut one /16 block into more intervals than its lists can hold.
    BlockTooDense {
        /// The block's first address.
        block: std::net::Ipv4Addr,
    },
    /// The compiled tables break one of the index's invariants (`index/check.rs`): a
    /// defect of the compiler, not of the data.
    Inconsistent {
        /// The invariant, in words.
        what: String,
    },
}

impl fmt::Display for IndexError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use IndexError::*;
        match self {
            TooManyTags { count } => write!(f, "{count} tags: the index holds at most 65534"),
            UnknownPairedRegion { region, paired } => write!(
                f,
                "region {region:?}: paired region {paired:?} is not in the region table"
            ),
            SharedRegionCode {
                first,
                second,
                code,
            } => {
                write!(
                    f,
                    "regions {first:?} and {second:?} both have the code {code:?}"
                )
            }
            UnusableSpelling { region, spelling } => write!(
                f,
                "region {region:?}: spelling {spelling:?} cannot be looked up (not letters, \
                 digits, spaces, or longer than {REGION_KEY_MAX})"
            ),
            SharedSpelling {
                first,
                second,
                spelling,
            } => {
                write!(
                    f,
                    "regions {first:?} and {second:?} both answer to {spelling:?}"
                )
            }
            UnusableTagName { tag } => write!(
                f,
                "tag {tag:?}: the name is not ASCII or longer than {TAG_NAME_MAX} bytes"
            ),
            SharedTagName { tag } => write!(
                f,
                "tag {tag:?}: another tag has the same name (names are case-insensitive)"
            ),
            UnknownRegionCode { tag, code } => write!(
                f,
                "tag {tag:?}: region code {code:?} is not in the region table"
            ),
            TooManySets { count, limit } => write!(
                f,
                "{count} distinct tag sets: the index holds at most {limit}"
            ),
            TooManyV6Intervals { count } => write!(
                f,
                "{count} IPv6 intervals: the index holds at most {MAX_V6_STARTS}"
            ),
            V6BlockTooDense { block, len } => write!(
                f,
                "the IPv6 block {block}/{len} is cut into more than {MAX_V6_BLOCK_STARTS} parts"
            ),
            TooManyV4Boundaries => {
                f.write_str("the IPv4 index holds at most 2048 mixed /16 blocks and 1M boundaries")
            }
            BlockTooDense { block } => {
                write!(f, "more than 32767 boundaries in the /16 block {block}/16")
            }
            Inconsistent { what } => write!(
                f,
                "the compiled index breaks an invariant ({what}): a defect of this crate, please report it with the data"
            ),
        }
    }
}

impl std::error::Error for IndexError {}

/// Interned strings: each distinct string once, in first-use order.
struct Interner {
    blob: String,
    ends: Vec<u32>,
    index: HashMap<String, u32>,
}

impl Interner {
    fn get(&mut self, s: &str) -> u32 {
        if let Some(&i) = self.index.get(s) {
            return i;
        }
        let i = self.ends.len() as u32;
        self.blob.push_str(s);
        self.ends.push(self.blob.len() as u32);
        self.index.insert(s.to_string(), i);
        i
    }
    fn opt(&mut self, s: Option<&str>) -> u32 {
        s.map_or(NONE, |s| self.get(s))
    }
}

/// Builds the tables. Fails, naming the tag or region and the value at fault, on data
/// the index cannot hold: a tag whose region code is not in the region table, a pair
/// that names an unknown region, two regions answering to one spelling, too many tags.
pub fn build(snap: &SnapshotFile, regions: &[RegionRecord]) -> Result<Compiled, IndexError> {
    if snap.tags.len() >= usize::from(u16::MAX) {
        return Err(IndexError::TooManyTags {
            count: snap.tags.len(),
        });
    }
    let mut strings = Interner {
        blob: String::new(),
        ends: Vec::new(),
        index: HashMap::new(),
    };
    let mut t = Compiled::default();
    // Regions first, so tags can point at them.
    let by_code = regions::compile(regions, &mut strings, &mut t)?;
    tags::compile(snap, &by_code, &mut strings, &mut t)?;
    // The address index.
    let mut sets = sets::SetInterner::default();
    let v4 = sets::intervals(snap, false, &mut sets);
    v4::compile(&v4, &mut t)?;
    let v6 = sets::intervals(snap, true, &mut sets);
    v6::compile(&v6, &mut t)?;
    (t.set_end, t.set_tags) = sets.into_columns();
    t.strings = strings.blob;
    t.string_ends = strings.ends;
    super::check::check(t.view()).map_err(|what| IndexError::Inconsistent { what })?;
    Ok(t)
}
