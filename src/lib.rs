//! Microsoft's "Azure IP Ranges and Service Tags", compiled into the binary.
//!
//! `build.rs` turns a pinned snapshot in `data/` into perfect-hash maps (`phf`) for
//! names and sorted static arrays for the address index, so every lookup is a few
//! memory reads: no parsing at run time, no lazy initialisation, no heap allocation.
//!
//! ```
//! use std::net::IpAddr;
//! let snap = azure_service_tags::public();
//!
//! // Which tags contain an address?
//! let ip: IpAddr = "20.41.0.241".parse().unwrap();
//! for tag in snap.tags_containing(ip) {
//!     println!("{tag} ({:?})", tag.region().map(|r| r.name()));
//! }
//!
//! // Is it an Azure Machine Learning address, and where?
//! let hit = snap.service_match(ip, "AzureMachineLearning").unwrap();
//! println!("{} in {:?}", hit.tag(), hit.region().map(|r| r.display_name()));
//!
//! // A region in any spelling, and its pair.
//! let primary = snap.region("East US 2").unwrap();
//! let secondary = primary.paired().unwrap();
//! assert_eq!(secondary.name(), "centralus");
//!
//! // The prefixes of the service's tag in each region.
//! for region in [primary, secondary] {
//!     let tag = snap.regional_tag("AzureMachineLearning", region).unwrap();
//!     println!("{tag}: {} IPv4 prefixes", tag.ipv4().len());
//! }
//! ```
//!
//! # Freshness
//!
//! Microsoft republishes the tags every week and the addresses change. The data is as
//! fresh as the snapshot: check [`Snapshot::published`] and [`Snapshot::change_number`]
//! (and [`PUBLIC_SNAPSHOT`]). For fresher data, update `data/` with the `refresh` tool
//! (feature `refresh`) and rebuild, or build a snapshot at run time with
//! [`Snapshot::from_data`].
//!
//! # Features
//!
//! `public` (default), `government` and `china` each compile in one cloud's snapshot;
//! features change which data is compiled in, never how lookups behave. `serde` adds
//! `Serialize` to the handle types; `refresh` builds the `refresh` tool and the
//! official-JSON reader and writer ([`refresh`] module).

#![warn(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used)]

pub mod format;
pub mod lookup;
#[cfg(feature = "refresh")]
pub mod refresh;
pub mod region;
#[cfg(feature = "serde")]
mod serialize;
pub mod snapshot;
mod tables;
pub mod tag;

pub use lookup::{ServiceMatch, TagsContaining};
pub use region::{Region, Regions};
pub use snapshot::{Cloud, Date, LoadError, ParseCloudError, Snapshot, Source};
pub use tag::{FeatureList, Ipv4Prefixes, Ipv6Prefixes, NetworkFeatures, Prefixes, Tag, Tags};

/// The generated tables of each compiled-in cloud.
macro_rules! embedded {
    ($feature:literal, $module:ident, $file:literal) => {
        #[cfg(feature = $feature)]
        mod $module {
            use crate::snapshot::{Cloud, Date, Info, NameIndex, Snapshot, Tables};
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
pub fn snapshot_of(cloud: snapshot::Cloud) -> Option<&'static Snapshot> {
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
