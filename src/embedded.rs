//! The compiled-in snapshots: the tables `build.rs` generates from `data/`, one cloud
//! per cargo feature.

use crate::format::Cloud;
use crate::snapshot::Snapshot;

/// The generated tables of each compiled-in cloud.
macro_rules! embedded {
    ($feature:literal, $module:ident, $file:literal) => {
        #[cfg(feature = $feature)]
        mod $module {
            use crate::format::{Cloud, Date};
            use crate::snapshot::{Info, NameIndex, Snapshot, Tables};
            use crate::tables::{RegionCols, TagCols};
            use std::borrow::Cow;
            include!(concat!(env!("OUT_DIR"), "/", $file));
        }
    };
}

embedded!("public", embedded_public, "public.rs");
embedded!("government", embedded_government, "government.rs");
embedded!("china", embedded_china, "china.rs");

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

/// Which Public snapshot is compiled in: `"<source file> (changeNumber N)"`.
///
/// ```
/// assert!(azure_service_tags::PUBLIC_SNAPSHOT.starts_with("ServiceTags_Public_"));
/// ```
#[cfg(feature = "public")]
pub const PUBLIC_SNAPSHOT: &str = embedded_public::SNAPSHOT_ID;

/// Which US Government snapshot is compiled in: `"<source file> (changeNumber N)"`.
///
/// ```
/// # #[cfg(feature = "government")]
/// assert!(azure_service_tags::GOVERNMENT_SNAPSHOT.starts_with("ServiceTags_AzureGovernment_"));
/// ```
#[cfg(feature = "government")]
pub const GOVERNMENT_SNAPSHOT: &str = embedded_government::SNAPSHOT_ID;

/// Which China snapshot is compiled in: `"<source file> (changeNumber N)"`.
///
/// ```
/// # #[cfg(feature = "china")]
/// assert!(azure_service_tags::CHINA_SNAPSHOT.starts_with("ServiceTags_China_"));
/// ```
#[cfg(feature = "china")]
pub const CHINA_SNAPSHOT: &str = embedded_china::SNAPSHOT_ID;

#[cfg(all(test, feature = "public"))]
mod tests {
    use super::*;
    use crate::tables;
    use std::mem::size_of;

    /// The address index is consistent: the IPv4 levels point where they should and
    /// the bitmap's ranks count its bits; the IPv6 intervals start at 0, are sorted,
    /// never repeat a set twice in a row, and are grouped by their /64 block; every
    /// set is sorted and names real tags.
    #[test]
    fn index_tables_are_consistent() {
        let t = &public().tables;
        assert_eq!(t.v4_blocks.len(), tables::V4_BLOCK_WORDS);
        let present: u32 = t.v4_blocks.iter().map(|w| w.count_ones()).sum();
        assert_eq!(present as usize, t.v4_l16.len());
        let mut seen = 0u32;
        for (w, &rank) in t.v4_blocks.iter().zip(t.v4_ranks.iter()) {
            assert_eq!(u32::from(rank), seen);
            seen += w.count_ones();
        }
        assert_eq!(t.v4_l24.len() % 256, 0);
        let mixed = t.v4_l16.iter().filter(|&&e| e & tables::UNIFORM == 0);
        assert!(mixed.enumerate().all(|(i, &e)| (e & 0x7ff) as usize == i));
        for &l16 in t.v4_l16.iter().filter(|&&e| e & tables::UNIFORM == 0) {
            let m = (l16 & 0x7ff) as usize;
            for &e in &t.v4_l24[m * 256..m * 256 + 256] {
                if e & tables::UNIFORM24 != 0 {
                    continue;
                }
                let start = (l16 >> 11) as usize + usize::from(e);
                let count = (t.v4_detail[start] >> 24) as usize + 1;
                let octets: Vec<u32> = t.v4_detail[start..start + count]
                    .iter()
                    .map(|d| (d >> 16) & 0xff)
                    .collect();
                assert!(count >= 2 && octets[0] == 0);
                assert!(octets.windows(2).all(|w| w[0] < w[1]));
            }
        }
        let starts: Vec<u128> = t
            .v6_keys
            .iter()
            .enumerate()
            .flat_map(|(g, &key)| {
                let group = t.v6_groups[g] as usize..t.v6_groups[g + 1] as usize;
                assert!(!group.is_empty());
                t.v6_low[group]
                    .iter()
                    .map(move |&low| u128::from(key) << 64 | u128::from(low))
            })
            .collect();
        assert_eq!(starts.len(), t.v6_low.len());
        assert_eq!(starts[0], 0);
        assert!(starts.windows(2).all(|w| w[0] < w[1]));
        assert!(t.v6_set.windows(2).all(|w| w[0] != w[1]));
        assert_eq!(starts.len(), t.v6_set.len());
        assert_eq!(t.v6_groups.len(), t.v6_keys.len() + 1);
        assert!(t.v6_slots.len().is_power_of_two() && t.v6_slots.len() >= 4 * t.v6_keys.len());
        let filled = t.v6_slots.iter().filter(|&&s| s != 0).count();
        assert_eq!(filled, t.v6_keys.len());
        assert_eq!(t.set_end[0], 0);
        assert!(t.set_end.windows(2).all(|w| w[0] < w[1]));
        for s in 1..t.set_end.len() {
            let set = &t.set_tags[t.set_end[s - 1] as usize..t.set_end[s] as usize];
            assert!(set.windows(2).all(|w| w[0] < w[1]), "set {s} is sorted");
            assert!(set.iter().all(|&i| usize::from(i) < t.tags.len()));
        }
        for tag in t.tags.iter() {
            assert!(tag.v4_start <= tag.v4_end && tag.v6_start <= tag.v6_end);
            let runs: u32 = t.runs[tag.runs_start as usize..tag.runs_end as usize]
                .iter()
                .sum();
            assert_eq!(runs, tag.v4_end - tag.v4_start + tag.v6_end - tag.v6_start);
        }
    }

    /// Holds the compiled-in Public tables to a budget that follows the data: 4 MB in
    /// all, at most 30 bytes per prefix for every table and 12 for the address index
    /// (ratios, not sizes of one week's data), so a change that bloats them fails here.
    #[test]
    fn static_table_budget() {
        assert_eq!(size_of::<tables::TagCols>(), 68);
        assert_eq!(size_of::<tables::RegionCols>(), 24);
        let snap = public();
        let (all, index) = (snap.tables.bytes(), snap.index_bytes());
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
