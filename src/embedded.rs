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
    ($($(#[$doc:meta])* $name:ident: $ty:ty => $part:ident,)*) => {
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
    use crate::index;
    use std::mem::size_of;

    /// The compiled-in tables keep the index's invariants (`build.rs` checked them
    /// when it compiled them; this checks what the crate holds).
    #[test]
    fn index_tables_are_consistent() {
        for snap in Cloud::ALL.iter().filter_map(|&c| snapshot_of(c)) {
            assert_eq!(index::check(snap.tables.view()), Ok(()), "{}", snap.cloud());
        }
        // And the check sees a broken table: ranks off by one, a set out of order.
        let t = public().tables.view();
        let ranks: Vec<u16> = t.v4_ranks.iter().map(|r| r + 1).collect();
        let broken = index::check(index::View {
            v4_ranks: &ranks,
            ..t
        });
        assert!(broken.is_err_and(|e| e.contains("rank")));
        let mut tags = t.set_tags.to_vec();
        let mut ends = t.set_end.windows(2).map(|w| (w[0] as usize, w[1] as usize));
        let (start, end) = ends.find(|(a, b)| b - a > 1).unwrap();
        tags[start..end].reverse();
        let broken = index::check(index::View {
            set_tags: &tags,
            ..t
        });
        assert!(broken.is_err_and(|e| e.contains("sorted")));
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
        assert_eq!(size_of::<[u32; index::TAG_WIDTH]>(), 48);
        assert_eq!(size_of::<[u32; index::PROPERTY_COUNT]>(), 28);
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
