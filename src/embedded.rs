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

    /// The address index is sorted, its intervals start at 0 and never repeat a set
    /// twice in a row, and every set is sorted and names real tags.
    #[test]
    fn index_tables_are_sorted_and_non_overlapping() {
        for snap in [public()] {
            let t = &snap.tables;
            assert_eq!(t.v4_start[0], 0);
            assert!(t.v4_start.windows(2).all(|w| w[0] < w[1]));
            assert!(t.v4_set.windows(2).all(|w| w[0] != w[1]));
            assert_eq!(t.v4_start.len(), t.v4_set.len());
            assert_eq!(t.v6_start[0], 0);
            assert!(t.v6_start.windows(2).all(|w| w[0] < w[1]));
            assert!(t.v6_set.windows(2).all(|w| w[0] != w[1]));
            assert_eq!(t.v6_start.len(), t.v6_set.len());
            assert_eq!(t.v4_top.len(), tables::V4_TOP_LEN);
            assert!(t.v4_top.windows(2).all(|w| w[0] <= w[1]));
            for (k, &i) in t.v4_top.iter().enumerate().take(1 << 16) {
                let addr = (k as u32) << 16;
                let i = i as usize;
                assert!(t.v4_start[i] <= addr);
                assert!(t.v4_start.get(i + 1).is_none_or(|&next| next > addr));
            }
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
    }

    /// Pins the layout and size of the compiled-in Public tables, so a change that
    /// bloats them is a visible test change.
    #[test]
    fn static_table_sizes() {
        assert_eq!(size_of::<tables::TagCols>(), 60);
        assert_eq!(size_of::<tables::RegionCols>(), 24);
        let t = &public().tables;
        let lens = [
            ("tags", t.tags.len()),
            ("regions", t.regions.len()),
            ("strings", t.string_ends.len()),
            ("string bytes", t.strings.len()),
            ("v4 prefixes", t.v4_addr.len()),
            ("v6 prefixes", t.v6_addr.len()),
            ("v4 intervals", t.v4_start.len()),
            ("v6 intervals", t.v6_start.len()),
            ("tag sets", t.set_end.len()),
            ("tag set entries", t.set_tags.len()),
            ("runs", t.runs.len()),
        ];
        let bytes = t.tags.len() * size_of::<tables::TagCols>()
            + t.regions.len() * size_of::<tables::RegionCols>()
            + t.string_ends.len() * 4
            + t.strings.len()
            + t.runs.len() * 4
            + t.v4_addr.len() * 5
            + t.v6_addr.len() * 17
            + t.v4_start.len() * 8
            + t.v4_top.len() * 4
            + t.v6_start.len() * 20
            + t.set_end.len() * 4
            + t.set_tags.len() * 2;
        // No padding between an IPv6 address and its length: separate arrays.
        assert_eq!(t.v6_addr.len(), t.v6_len.len());
        assert_eq!(
            format!("{lens:?} = {bytes} bytes"),
            "[(\"tags\", 3039), (\"regions\", 72), (\"strings\", 3248), (\"string bytes\", 84850), \
             (\"v4 prefixes\", 68933), (\"v6 prefixes\", 24429), (\"v4 intervals\", 50787), \
             (\"v6 intervals\", 17608), (\"tag sets\", 5615), (\"tag set entries\", 20000), \
             (\"runs\", 5781)] = 2148056 bytes"
        );
    }
}
