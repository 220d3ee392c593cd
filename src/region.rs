//! Azure regions: the [`Region`] handle, its pair, and resolving what users type.
//!
//! A region answers to its ARM name (`francecentral`), its display name
//! (`France Central`), and its service-tag code (`centralfrance`), in any letter case,
//! with or without spaces, hyphens and underscores. Pairs are directional and kept as
//! Microsoft publishes them (`westus3` pairs with `eastus`, `eastus` with `westus`).
//! Nothing here allocates.

use std::fmt;
use std::iter::FusedIterator;

use crate::datafile::{REGION_KEY_MAX, fold_region_name};
use crate::index::{NONE, PAIR_UNKNOWN, RegionRow};
use crate::snapshot::Snapshot;

/// One Azure region of a snapshot's cloud.
///
/// ```
/// let snap = azure_service_tags::public();
/// let r = snap.region("East US 2").unwrap();
/// assert_eq!(r.name(), "eastus2");
/// assert_eq!(r.paired().unwrap().name(), "centralus");
/// ```
#[derive(Clone, Copy)]
pub struct Region<'a> {
    pub(crate) snap: &'a Snapshot,
    pub(crate) index: u32,
}

impl PartialEq for Region<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.snap, other.snap) && self.index == other.index
    }
}

impl Eq for Region<'_> {}

impl std::hash::Hash for Region<'_> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.index.hash(state);
    }
}

impl fmt::Debug for Region<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Region")
            .field("name", &self.name())
            .field("code", &self.code())
            .finish()
    }
}

impl fmt::Display for Region<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl<'a> Region<'a> {
    #[inline]
    fn row(&self) -> RegionRow {
        self.snap.tables.region_row(self.index)
    }

    /// The ARM name, as `az account list-locations` prints it (`francecentral`). For a
    /// region known only from service tags, its service-tag code.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::public().region("centralfrance").unwrap().name(), "francecentral");
    /// ```
    pub fn name(&self) -> &'a str {
        self.snap.string(self.row().name).unwrap_or_default()
    }

    /// The display name (`France Central`), when the region table has one.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::public().region("eastus2").unwrap().display_name(), Some("East US 2"));
    /// ```
    pub fn display_name(&self) -> Option<&'a str> {
        self.snap.string(self.row().display_name)
    }

    /// The code service tags use in their `region` property (`centralfrance`); `None`
    /// for a region no tag of this snapshot mentions.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::public().region("francecentral").unwrap().code(), Some("centralfrance"));
    /// ```
    pub fn code(&self) -> Option<&'a str> {
        self.snap.string(self.row().code)
    }

    /// The service tags' `regionId` for this region, when known.
    ///
    /// ```
    /// assert!(azure_service_tags::public().region("eastus2").unwrap().region_id().is_some());
    /// ```
    pub fn region_id(&self) -> Option<u32> {
        match self.row().region_id {
            NONE => None,
            v => Some(v),
        }
    }

    /// The geography (`United States`, `France`), when known.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::public().region("francecentral").unwrap().geography(), Some("France"));
    /// ```
    pub fn geography(&self) -> Option<&'a str> {
        self.snap.string(self.row().geography)
    }

    /// The paired (secondary) region, as published: pairs are directional, and some
    /// regions have none.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// assert_eq!(snap.region("westus3").unwrap().paired().unwrap().name(), "eastus");
    /// assert_eq!(snap.region("eastus").unwrap().paired().unwrap().name(), "westus");
    /// assert!(snap.region("italynorth").unwrap().paired().is_none());
    /// ```
    pub fn paired(&self) -> Option<Region<'a>> {
        match self.row().paired {
            NONE | PAIR_UNKNOWN => None,
            index => Some(Region {
                snap: self.snap,
                index,
            }),
        }
    }

    /// Whether the region table knows the region's pair (or that it has none): false
    /// for a region newer than the region list the table was built from, known by its
    /// code in the service tags. Then [`Region::paired`] is `None` because the pair is
    /// unknown, not because there is none.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let italy = snap.region("italynorth").unwrap();
    /// assert!(italy.paired().is_none() && italy.pair_known());
    /// assert!(snap.region("eastus2").unwrap().pair_known());
    /// ```
    pub fn pair_known(&self) -> bool {
        self.row().paired != PAIR_UNKNOWN
    }

    /// Dense position in the region table, `0..snapshot.regions().len()`.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let r = snap.region("eastus2").unwrap();
    /// assert_eq!(snap.regions().nth(r.index()), Some(r));
    /// ```
    pub fn index(&self) -> usize {
        self.index as usize
    }
}

impl Snapshot {
    /// The region a user means by `name`: its ARM name (`eastus2`), display name
    /// (`East US 2`), either without spaces (`EastUS2`), or its service-tag code
    /// (`centralfrance`), in any case; spaces, hyphens and underscores are ignored.
    /// Does not allocate.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// for spelling in ["eastus2", "East US 2", "EastUS2", "EAST-US-2"] {
    ///     assert_eq!(snap.region(spelling).unwrap().name(), "eastus2");
    /// }
    /// assert_eq!(snap.region("centralfrance").unwrap().name(), "francecentral");
    /// assert!(snap.region("atlantis").is_none());
    /// ```
    pub fn region(&self, name: &str) -> Option<Region<'_>> {
        let mut buf = [0u8; REGION_KEY_MAX];
        let key = fold_region_name(name, &mut buf)?;
        let index = self.names.regions.get(key)?;
        Some(Region { snap: self, index })
    }

    /// Every region of the snapshot's cloud: those of the published region list and
    /// those that appear only in service tags.
    ///
    /// ```
    /// let snap = azure_service_tags::public();
    /// let unpaired: Vec<_> = snap.regions().filter(|r| r.paired().is_none()).collect();
    /// assert!(unpaired.iter().any(|r| r.name() == "italynorth"));
    /// ```
    pub fn regions(&self) -> Regions<'_> {
        Regions {
            snap: self,
            range: 0..self.tables.regions.len() as u32,
        }
    }
}

/// Iterator over a snapshot's regions; see [`Snapshot::regions`].
///
/// ```
/// let snap = azure_service_tags::public();
/// assert_eq!(snap.regions().len(), snap.regions().count());
/// ```
#[derive(Debug, Clone)]
pub struct Regions<'a> {
    snap: &'a Snapshot,
    range: std::ops::Range<u32>,
}

impl<'a> Iterator for Regions<'a> {
    type Item = Region<'a>;
    fn next(&mut self) -> Option<Region<'a>> {
        let index = self.range.next()?;
        Some(Region {
            snap: self.snap,
            index,
        })
    }
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.range.size_hint()
    }
    fn nth(&mut self, n: usize) -> Option<Region<'a>> {
        let index = self.range.nth(n)?;
        Some(Region {
            snap: self.snap,
            index,
        })
    }
}

impl DoubleEndedIterator for Regions<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        let index = self.range.next_back()?;
        Some(Region {
            snap: self.snap,
            index,
        })
    }
}

impl ExactSizeIterator for Regions<'_> {}
impl FusedIterator for Regions<'_> {}
