//! The compiled-in snapshots, one cloud per cargo feature: `build.rs` generates each
//! cloud's data from `data/` (constants, one array per column, the name maps), and this
//! module assembles the `Snapshot` that borrows them, in ordinary Rust. Every cloud's
//! region table is compiled in whatever the cloud features (`region_table`, with the
//! feature `json`): a snapshot loaded from an official file answers regions and pairs
//! from it.

use crate::datafile::{Cloud, Date};
use crate::snapshot::Snapshot;

/// Every cloud's region table as `build.rs` emits it: one array per cloud, named as its
/// short name in capitals.
#[cfg(feature = "json")]
#[allow(clippy::all, clippy::pedantic)]
mod region_tables {
    /// A row of `regions.tsv`: name, display name, code, regionId, geography, and the
    /// pair's cell (a name, `-` or `?`).
    pub(super) type RegionRow = (
        &'static str,
        Option<&'static str>,
        Option<&'static str>,
        Option<u32>,
        Option<&'static str>,
        &'static str,
    );
    include!(concat!(env!("OUT_DIR"), "/regions.rs"));
}

/// The region table of `cloud` in `data/` (compiled in for every cloud, whatever the
/// cloud features), as records.
#[cfg(feature = "json")]
pub(crate) fn region_table(cloud: Cloud) -> Vec<crate::datafile::RegionRecord> {
    use crate::datafile::{Pair, RegionRecord};
    let rows: &[region_tables::RegionRow] = match cloud {
        Cloud::Public => &region_tables::PUBLIC,
        Cloud::AzureGovernment => &region_tables::GOVERNMENT,
        Cloud::China => &region_tables::CHINA,
    };
    let owned = |v: Option<&str>| v.map(str::to_string);
    rows.iter()
        .map(
            |&(name, display_name, code, region_id, geography, paired)| RegionRecord {
                name: name.to_string(),
                display_name: owned(display_name),
                code: owned(code),
                region_id,
                geography: owned(geography),
                paired: Pair::from_cell(paired),
            },
        )
        .collect()
}

/// The `SNAPSHOT` static of a cloud's module: its provenance, every column (the list is
/// `index::columns!`) and the name maps, borrowed from the module's `data`.
#[allow(unused_macros)] // no cloud's feature may be on
macro_rules! embedded_snapshot {
    ($($(#[$doc:meta])* $name:ident: $ty:ty,)*) => {
        pub(super) static SNAPSHOT: Snapshot = Snapshot {
            info: Info {
                cloud: CLOUD,
                change_number: data::CHANGE_NUMBER,
                source: Cow::Borrowed(data::SOURCE),
                sha256: Cow::Borrowed(data::SHA256),
                published: crate::embedded::published(data::PUBLISHED),
            },
            tables: Tables {
                strings: Cow::Borrowed(data::strings),
                $($name: Cow::Borrowed(&data::$name),)*
            },
            names: Names {
                tags: NameIndex::Static(&data::tag_keys),
                regional: NameIndex::Static(&data::regional_keys),
                regions: NameIndex::Static(&data::region_keys),
            },
        };
    };
}

/// A compiled-in cloud: its generated data, fenced from lints (it is integers and
/// strings only), and its snapshot.
macro_rules! embedded {
    ($feature:literal, $module:ident, $file:literal, $cloud:expr) => {
        #[cfg(feature = $feature)]
        mod $module {
            use crate::datafile::Cloud;
            use crate::index::Tables;
            use crate::snapshot::{Info, NameIndex, Names, Snapshot};
            use std::borrow::Cow;

            #[allow(non_upper_case_globals, dead_code, clippy::all, clippy::pedantic)]
            pub(super) mod data {
                include!(concat!(env!("OUT_DIR"), "/", $file));
            }

            const CLOUD: Cloud = $cloud;
            crate::index::columns!(embedded_snapshot);
        }
    };
}

embedded!("public", embedded_public, "public.rs", Cloud::Public);
embedded!(
    "government",
    embedded_government,
    "government.rs",
    Cloud::AzureGovernment
);
embedded!("china", embedded_china, "china.rs", Cloud::China);

/// The publication date the generated data carries (`build.rs` has checked it).
#[allow(dead_code)] // no cloud's feature may be on
const fn published(date: Option<(u16, u8, u8)>) -> Option<Date> {
    match date {
        Some((year, month, day)) => Date::new(year, month, day),
        None => None,
    }
}

/// The compiled-in snapshot of the Azure Public cloud (feature `public`, on by default).
///
/// ```
/// let snap = azure_service_tags::public();
/// assert_eq!(snap.cloud(), azure_service_tags::Cloud::Public);
/// ```
#[cfg(feature = "public")]
pub fn public() -> &'static Snapshot {
    &embedded_public::SNAPSHOT
}

/// The compiled-in snapshot of Azure US Government (feature `government`).
///
/// ```
/// # #[cfg(feature = "government")] {
/// let snap = azure_service_tags::government();
/// assert_eq!(snap.cloud(), azure_service_tags::Cloud::AzureGovernment);
/// # }
/// ```
#[cfg(feature = "government")]
pub fn government() -> &'static Snapshot {
    &embedded_government::SNAPSHOT
}

/// The compiled-in snapshot of Azure China (feature `china`).
///
/// ```
/// # #[cfg(feature = "china")] {
/// let snap = azure_service_tags::china();
/// assert_eq!(snap.cloud(), azure_service_tags::Cloud::China);
/// # }
/// ```
#[cfg(feature = "china")]
pub fn china() -> &'static Snapshot {
    &embedded_china::SNAPSHOT
}

/// The compiled-in snapshot of `cloud`, if its feature is on.
///
/// ```
/// use azure_service_tags::{snapshot_of, Cloud};
/// assert!(snapshot_of(Cloud::Public).is_some());
/// ```
pub fn snapshot_of(cloud: Cloud) -> Option<&'static Snapshot> {
    match cloud {
        #[cfg(feature = "public")]
        Cloud::Public => Some(public()),
        #[cfg(feature = "government")]
        Cloud::AzureGovernment => Some(government()),
        #[cfg(feature = "china")]
        Cloud::China => Some(china()),
        #[allow(unreachable_patterns)]
        _ => None,
    }
}

/// Which Public snapshot is compiled in: `"<source file> (changeNumber N)"`. Use
/// `public().provenance()`, which says it with the cloud and the date.
///
/// ```
/// # #![allow(deprecated)]
/// assert!(azure_service_tags::PUBLIC_SNAPSHOT.starts_with("ServiceTags_Public_"));
/// ```
#[cfg(feature = "public")]
#[deprecated(since = "0.2.0", note = "use `public().provenance()`")]
pub const PUBLIC_SNAPSHOT: &str = embedded_public::data::SNAPSHOT_ID;

/// Which US Government snapshot is compiled in: `"<source file> (changeNumber N)"`. Use
/// `government().provenance()`, which says it with the cloud and the date.
///
/// ```
/// # #![allow(deprecated)]
/// # #[cfg(feature = "government")]
/// assert!(azure_service_tags::GOVERNMENT_SNAPSHOT.starts_with("ServiceTags_AzureGovernment_"));
/// ```
#[cfg(feature = "government")]
#[deprecated(since = "0.2.0", note = "use `government().provenance()`")]
pub const GOVERNMENT_SNAPSHOT: &str = embedded_government::data::SNAPSHOT_ID;

/// Which China snapshot is compiled in: `"<source file> (changeNumber N)"`. Use
/// `china().provenance()`, which says it with the cloud and the date.
///
/// ```
/// # #![allow(deprecated)]
/// # #[cfg(feature = "china")]
/// assert!(azure_service_tags::CHINA_SNAPSHOT.starts_with("ServiceTags_China_"));
/// ```
#[cfg(feature = "china")]
#[deprecated(since = "0.2.0", note = "use `china().provenance()`")]
pub const CHINA_SNAPSHOT: &str = embedded_china::data::SNAPSHOT_ID;

#[cfg(all(test, feature = "public"))]
mod tests {
    use super::*;
    use crate::index::layout::{
        block_base, block_is_mixed, block_mixed, detail_count, detail_octet, slash24_is_list,
        slash24_value, v6_key48_of64, v6_slot48_key, v6_slot48_keys, v6_slot64_key,
        v6_slot64_starts,
    };
    use crate::index::{self, TagRow};
    use std::mem::size_of;

    /// The address index is consistent: the IPv4 levels point where they should and
    /// the bitmap's ranks count its bits; the IPv6 intervals start at 0, are sorted,
    /// never repeat a set twice in a row, and each is in the slot of its /64 block; every
    /// set is sorted and names real tags.
    #[test]
    fn index_tables_are_consistent() {
        let t = &public().tables;
        assert_eq!(t.v4_blocks.len(), index::V4_BLOCK_WORDS);
        let present: u32 = t.v4_blocks.iter().map(|w| w.count_ones()).sum();
        assert_eq!(present as usize, t.v4_l16.len());
        let mut seen = 0u32;
        for (w, &rank) in t.v4_blocks.iter().zip(t.v4_ranks.iter()) {
            assert_eq!(u32::from(rank), seen);
            seen += w.count_ones();
        }
        assert_eq!(t.v4_l24.len() % 256, 0);
        let mixed = t
            .v4_l16
            .iter()
            .filter(|&&e| block_is_mixed(e))
            .map(|&e| (block_base(e), block_mixed(e)));
        for (i, (base, m)) in mixed.enumerate() {
            assert_eq!(m, i, "mixed blocks are numbered in order");
            for &e in &t.v4_l24[m * 256..m * 256 + 256] {
                if !slash24_is_list(e) {
                    continue;
                }
                let start = base + slash24_value(e) as usize;
                let count = detail_count(t.v4_detail[start]);
                let octets: Vec<u32> = t.v4_detail[start..start + count]
                    .iter()
                    .map(|&d| detail_octet(d))
                    .collect();
                assert!(count >= 2 && octets[0] == 0);
                assert!(octets.windows(2).all(|w| w[0] < w[1]));
            }
        }
        assert_eq!(t.v6_present.len(), index::V6_PRESENT_WORDS);
        assert!(t.v6_keys.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(
            (t.v6_keys[0], t.v6_low[0]),
            (0, 0),
            "the intervals start at ::"
        );
        assert_eq!(t.v6_tail.len(), t.v6_keys.len());
        assert!(t.v6_set.windows(2).all(|w| w[0] != w[1]));
        assert_eq!(t.v6_low.len(), t.v6_set.len());
        let used = |slots: &[u128]| -> Vec<u128> {
            assert!(slots.len().is_power_of_two());
            let used: Vec<u128> = slots.iter().copied().filter(|&s| s != 0).collect();
            assert!(4 * used.len() <= 3 * slots.len());
            used
        };
        let mut starts = 0;
        for slot in used(&t.v6_slots64) {
            let key = v6_slot64_key(slot).expect("a used slot has a key");
            let (first, count) = v6_slot64_starts(slot);
            assert!(
                count >= 1
                    && t.v6_low[first..first + count]
                        .windows(2)
                        .all(|w| w[0] < w[1])
            );
            assert!(t.v6_keys.binary_search(&key).is_ok());
            starts += count;
        }
        assert_eq!(starts, t.v6_low.len(), "every start is in its block's slot");
        for slot in used(&t.v6_slots48) {
            let key = v6_slot48_key(slot).expect("a used slot has a key");
            let (first, count) = v6_slot48_keys(slot);
            assert!(
                t.v6_keys[first..first + count]
                    .iter()
                    .all(|&k| v6_key48_of64(k) == key)
            );
        }
        assert_eq!(t.set_end[0], 0);
        assert!(t.set_end.windows(2).all(|w| w[0] < w[1]));
        for s in 1..t.set_end.len() {
            let set = &t.set_tags[t.set_end[s - 1] as usize..t.set_end[s] as usize];
            assert!(set.windows(2).all(|w| w[0] < w[1]), "set {s} is sorted");
            assert!(set.iter().all(|&i| usize::from(i) < t.tags.len()));
        }
        for tag in t.tags.iter().map(|&row| TagRow::from_array(row)) {
            assert!(tag.v4_start <= tag.v4_end && tag.v6_start <= tag.v6_end);
            let runs: u32 = t.runs[tag.runs_start as usize..tag.runs_end as usize]
                .iter()
                .sum();
            assert_eq!(runs, tag.v4_end - tag.v4_start + tag.v6_end - tag.v6_start);
        }
    }

    /// Each cloud's module holds the data of its own cloud (`build.rs` checks the
    /// header against the directory; this checks the directory against the module).
    #[test]
    fn each_module_holds_its_own_clouds_data() {
        assert_eq!(embedded_public::data::CLOUD, Cloud::Public.as_str());
        #[cfg(feature = "government")]
        assert_eq!(
            embedded_government::data::CLOUD,
            Cloud::AzureGovernment.as_str()
        );
        #[cfg(feature = "china")]
        assert_eq!(embedded_china::data::CLOUD, Cloud::China.as_str());
    }

    /// Holds the compiled-in Public tables to a budget that follows the data: 4 MB in
    /// all, at most 30 bytes per prefix for every table and 12 for the address index
    /// (ratios, not sizes of one week's data), so a change that bloats them fails here.
    #[test]
    fn static_table_budget() {
        assert_eq!(size_of::<[u32; index::TAG_WIDTH]>(), 76);
        assert_eq!(size_of::<[u32; index::REGION_WIDTH]>(), 24);
        let snap = public();
        let (all, index) = (snap.tables.bytes(), snap.tables.index_bytes());
        let (v4, v6) = snap.prefix_counts();
        let prefixes = v4 + v6;
        assert!(all <= 4_000_000, "{all} bytes");
        assert!(all <= 30 * prefixes, "{all} bytes for {prefixes} prefixes");
        assert!(
            index <= 12 * prefixes,
            "{index} bytes for {prefixes} prefixes"
        );
    }
}
