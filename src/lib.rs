//! Microsoft's "Azure IP Ranges and Service Tags", compiled into the binary.
//!
//! `build.rs` turns a pinned snapshot in `data/` into perfect-hash maps (`phf`) for
//! names and sorted static arrays for the address index, so every lookup is a few
//! memory reads: no parsing at run time, no lazy initialisation, no heap allocation.
//!
//! ```
//! let snap = azure_service_tags::public();
//! // An address of Azure Machine Learning in East US 2, from the snapshot's data.
//! let ip = snap.tag("AzureMachineLearning.EastUS2").unwrap().prefixes().next().unwrap().addr();
//!
//! // Which tags contain an address?
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
//! # What is where
//!
//! - [`Snapshot`]: one cloud's tags and regions, compiled in ([`public`], [`government`],
//!   [`china`]) or built at run time; [`Tag`], [`Region`] and the lookups on them
//!   ([`Snapshot::tags_containing`], [`Snapshot::service_match`], [`TagMatcher`] for
//!   asking one question millions of times), and [`Snapshot::find_tag`] and friends for
//!   names with "did you mean" suggestions;
//! - [`route`] and [`render`]: user-defined routes for a service in a region and its
//!   pair, rendered for the Azure CLI, PowerShell, ARM, Bicep, Terraform, JSON and CSV;
//! - [`diff`]: what changed between two snapshots;
//! - `official` (feature `json`): Microsoft's official JSON in and out, and the run-time
//!   loaders `Snapshot::from_json`, `from_path` and `open`;
//! - `refresh` (feature `refresh`): turning a newer official file into the pinned
//!   snapshot in `data/`, and downloading it from Microsoft.
//!
//! ARCHITECTURE.md in the repository describes the layers.
//!
#![warn(missing_docs)]
#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
// No function over 80 lines (clippy.toml) outside tests.
#![cfg_attr(not(test), warn(clippy::too_many_lines))]
#![forbid(unsafe_code)]

// The layers, bottom up: datafile -> index -> snapshot, tag, region, lookup, resolve ->
// route, diff -> render -> official -> refresh (see ARCHITECTURE.md).
mod address;
mod datafile;
mod index;

mod embedded;
mod lookup;
mod matcher;
mod region;
mod resolve;
#[cfg(feature = "serde")]
mod serialize;
mod snapshot;
mod tag;
mod tag_property;

pub mod diff;
pub mod index_file;
pub mod route;
pub mod row_functions;

pub mod render;

#[cfg(feature = "json")]
pub mod official;
#[cfg(feature = "json")]
mod snapshot_ref;

#[cfg(feature = "refresh")]
pub mod refresh;

pub use datafile::{
    Cloud, DataFileError, Date, FileError, ParseCloudError, ParseDateError, Property, PropertyShape,
};
pub use embedded::snapshot_of;
#[cfg(feature = "china")]
#[allow(deprecated)] // the *_SNAPSHOT constants, kept for 0.1 users
pub use embedded::{CHINA_SNAPSHOT, china};
#[cfg(feature = "government")]
#[allow(deprecated)] // the *_SNAPSHOT constants, kept for 0.1 users
pub use embedded::{GOVERNMENT_SNAPSHOT, government};
#[cfg(feature = "public")]
#[allow(deprecated)] // the *_SNAPSHOT constants, kept for 0.1 users
pub use embedded::{PUBLIC_SNAPSHOT, public};

/// The former name of [`DataFileError`].
#[deprecated(
    since = "0.2.0",
    note = "renamed `DataFileError`: `format` now means only a rendering"
)]
pub type FormatError = DataFileError;
pub use address::{AddressError, parse_ip, parse_ip_trimmed};
pub use index::IndexError;
pub use lookup::{ServiceMatch, TagsContaining};
pub use matcher::TagMatcher;
pub use region::{Region, Regions};
pub use resolve::{NameKind, NotFound, TagFilter};
pub use snapshot::{LoadError, Provenance, STALE_AFTER_DAYS, Snapshot, Source, Summary};
#[cfg(feature = "json")]
pub use snapshot_ref::{NamedError, SnapshotRef};
pub use tag::{Ipv4Prefixes, Ipv6Prefixes, Prefixes, Tag, Tags};
pub use tag_property::{FeatureList, NetworkFeatures, PropertyValue};

/// Internals that the crate's own tests, benchmarks and fuzz targets exercise directly.
/// Not part of the API: anything here may change in any release.
#[doc(hidden)]
pub mod __private {
    /// The `data/` line format.
    pub mod datafile {
        pub use crate::datafile::*;
    }
    #[cfg(feature = "json")]
    pub use crate::official::parse::{Official, date_from_file_name, parse_official, sha256_hex};
    #[cfg(feature = "json")]
    pub use crate::official::regions::build_regions;
    #[cfg(feature = "refresh")]
    pub use crate::refresh::atomic::write_atomically;
    #[cfg(feature = "refresh")]
    pub use crate::refresh::checks::check_update;
    pub use crate::route::aggregate::{difference, summarize};
    pub use crate::route::names::route_name;

    /// Bytes of a snapshot's tables (strings and columns).
    pub fn table_bytes(snap: &crate::Snapshot) -> usize {
        snap.tables.bytes()
    }

    /// Bytes of the tables an address lookup reads.
    pub fn index_bytes(snap: &crate::Snapshot) -> usize {
        snap.tables.index_bytes()
    }

    /// The shape of the address index, for the figures in the docs: the IPv4 /16 blocks
    /// that hold any tag, and the IPv6 /64 blocks where intervals start.
    pub fn index_shape(snap: &crate::Snapshot) -> (usize, usize) {
        let t = &snap.tables;
        let v4 = t.v4_blocks.iter().map(|w| w.count_ones() as usize).sum();
        (v4, t.v6_keys.len())
    }
}

/// The README's Rust examples, compiled and run as doctests.
#[cfg(all(doctest, feature = "public"))]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
