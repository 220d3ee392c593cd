//! User-defined routes (UDRs) for a service in a region and its paired region.
//!
//! This module owns turning "the routes Azure Machine Learning needs in East US 2"
//! into a [`RoutePlan`]: it resolves the regions (and the pair), finds each region's tag
//! through its service-tag code, aggregates the prefixes without widening them, keeps
//! within the route-table limit (or says what would fit), and names each route validly
//! and stably. It does not render plans: that is [`crate::render`].

use std::collections::BTreeSet;
use std::fmt;

use ipnet::IpNet;

use crate::region::Region;
use crate::resolve::NotFound;
use crate::snapshot::Snapshot;
use crate::tag::Tag;

pub(crate) mod aggregate;
mod changes;
pub(crate) mod names;
mod request;

pub(crate) use aggregate::{difference, summarize};
pub use changes::RouteChanges;
pub use names::is_valid_route_name;
pub(crate) use names::route_name;
pub use request::{
    Families, Mode, NextHop, NextHopError, ParseFamiliesError, ParseModeError, RouteRequest,
};

/// Azure's default limit of routes in one route table.
///
/// ```
/// assert_eq!(azure_service_tags::route::DEFAULT_MAX_ROUTES, 400);
/// ```
pub const DEFAULT_MAX_ROUTES: usize = 400;
/// Azure's limit of routes whose address prefix is a service tag, per route table.
///
/// ```
/// assert_eq!(azure_service_tags::route::MAX_SERVICE_TAG_ROUTES, 25);
/// ```
pub const MAX_SERVICE_TAG_ROUTES: usize = 25;

/// One route of a plan.
///
/// ```
/// use azure_service_tags::route::{plan, RouteRequest};
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("AzureMachineLearning", "eastus2")).unwrap();
/// let r = &p.routes[0];
/// assert!(r.tag.contains(r.address_prefix.parse::<ipnet::IpNet>().unwrap().network()));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route<'a> {
    /// A valid, unique, stable route name.
    pub name: String,
    /// The address prefix: a CIDR prefix, or a service tag name in service-tag mode.
    pub address_prefix: String,
    /// The next hop.
    pub next_hop: NextHop,
    /// The tag the route came from.
    pub tag: Tag<'a>,
}

/// A derived set of routes, with where it came from.
///
/// ```
/// use azure_service_tags::route::{plan, RouteRequest};
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("AzureMachineLearning", "italynorth")).unwrap();
/// assert!(p.secondary.is_none()); // no pair: a note says so
/// assert!(p.notes[0].contains("no paired region"));
/// ```
#[derive(Debug, Clone)]
pub struct RoutePlan<'a> {
    /// The snapshot the plan was derived from (for provenance).
    pub snapshot: &'a Snapshot,
    /// The service.
    pub service: String,
    /// The primary region.
    pub primary: Region<'a>,
    /// The paired region, when asked for and the region has one.
    pub secondary: Option<Region<'a>>,
    /// The mode used.
    pub mode: Mode,
    /// Things the user should know (no pair, a fallback to the global tag, ...).
    pub notes: Vec<String>,
    /// The routes, sorted by address within each tag.
    pub routes: Vec<Route<'a>>,
    /// With summarization: the address ranges the routes cover that the service's
    /// prefixes do not. Empty otherwise.
    pub extra_coverage: Vec<IpNet>,
}

impl RoutePlan<'_> {
    /// `"<cloud> changeNumber N (<source file>, published YYYY-MM-DD)"`: the
    /// snapshot's [`Provenance`](crate::Provenance) as text.
    ///
    /// ```
    /// # #![allow(deprecated)]
    /// use azure_service_tags::route::{plan, RouteRequest};
    /// let p = plan(azure_service_tags::public(), &RouteRequest::new("AzureMachineLearning", "eastus2")).unwrap();
    /// assert_eq!(p.provenance(), p.snapshot.provenance().to_string());
    /// ```
    #[deprecated(
        since = "0.2.0",
        note = "use `plan.snapshot.provenance()`, whose `Display` is this text"
    )]
    pub fn provenance(&self) -> String {
        self.snapshot.provenance().to_string()
    }
}

/// Why a plan cannot be made. Each variant states what was asked and what was found.
///
/// ```
/// use azure_service_tags::route::{plan, RouteError, RouteRequest};
/// let req = RouteRequest::new("AzureMachineLearning", "eastuss2");
/// let err = plan(azure_service_tags::public(), &req).unwrap_err();
/// assert!(matches!(&err, RouteError::NotFound(e) if e.closest.iter().any(|c| c == "eastus2")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteError {
    /// No region or service answers to the name.
    NotFound(NotFound),
    /// The service has no tag in the region.
    NoTagInRegion {
        /// The service.
        service: String,
        /// The region's ARM name.
        region: String,
    },
    /// More routes than the limit, after lossless aggregation.
    TooManyRoutes {
        /// Routes needed.
        needed: usize,
        /// The limit asked for.
        limit: usize,
    },
    /// A tag cannot be a route's address prefix: no `UDR` network feature.
    NotRoutable {
        /// The tag.
        tag: String,
    },
    /// The route limit asked for is 0.
    ZeroLimit,
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::NotFound(e) => write!(f, "{e}"),
            RouteError::NoTagInRegion { service, region } => write!(
                f,
                "the service {service} has no service tag in region {region}"
            ),
            RouteError::TooManyRoutes { needed, limit } => write!(
                f,
                "{needed} routes are needed after lossless aggregation, more than the limit of \
                 {limit}"
            ),
            RouteError::NotRoutable { tag } => write!(
                f,
                "the service tag {tag} cannot be a route's address prefix: its networkFeatures \
                 do not include UDR"
            ),
            RouteError::ZeroLimit => f.write_str("the route limit must be at least 1"),
        }
    }
}

impl std::error::Error for RouteError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            RouteError::NotFound(e) => Some(e),
            _ => None,
        }
    }
}

impl From<NotFound> for RouteError {
    fn from(e: NotFound) -> Self {
        RouteError::NotFound(e)
    }
}

/// Derives the routes for `req` from `snap`.
///
/// ```
/// use azure_service_tags::route::{plan, RouteRequest};
/// let snap = azure_service_tags::public();
/// let p = plan(snap, &RouteRequest::new("AzureMachineLearning", "eastus2")).unwrap();
/// assert_eq!(p.secondary.unwrap().name(), "centralus");
/// assert!(p.routes.iter().all(|r| r.next_hop.kind() == "Internet"));
/// ```
pub fn plan<'a>(snap: &'a Snapshot, req: &RouteRequest<'_>) -> Result<RoutePlan<'a>, RouteError> {
    if req.max_routes == 0 {
        return Err(RouteError::ZeroLimit);
    }
    let primary = snap.find_region(req.region)?;
    let service = snap.find_service(req.service)?;
    let mut notes = Vec::new();
    let secondary = if req.include_paired {
        let pair = primary.paired();
        let name = primary.name();
        if pair.is_none() && primary.pair_known() {
            notes.push(format!(
                "{name} has no paired region: the plan covers {name} only"
            ));
        } else if pair.is_none() {
            notes.push(format!(
                "the paired region of {name} is not known to the region table: the plan \
                 covers {name} only"
            ));
        }
        pair
    } else {
        None
    };
    let mut tags = Vec::new();
    for region in std::iter::once(primary).chain(secondary) {
        let tag = snap
            .regional_tag(service, region)
            .ok_or_else(|| RouteError::NoTagInRegion {
                service: service.to_string(),
                region: region.name().to_string(),
            })?;
        tags.push(tag);
    }
    let mut plan = RoutePlan {
        snapshot: snap,
        service: service.to_string(),
        primary,
        secondary,
        mode: req.mode,
        notes,
        routes: Vec::new(),
        extra_coverage: Vec::new(),
    };
    match req.mode {
        Mode::ServiceTag => service_tag_routes(snap, service, &tags, req, &mut plan)?,
        Mode::Prefixes => prefix_routes(&tags, req, &mut plan)?,
    }
    Ok(plan)
}

fn service_tag_routes<'a>(
    snap: &'a Snapshot,
    service: &str,
    tags: &[Tag<'a>],
    req: &RouteRequest<'_>,
    plan: &mut RoutePlan<'a>,
) -> Result<(), RouteError> {
    let mut chosen: Vec<Tag<'a>> = Vec::new();
    for &tag in tags {
        let usable = if tag.network_features().contains("UDR") {
            tag
        } else {
            let global = snap
                .tag(service)
                .filter(|g| g.region().is_none())
                .ok_or_else(|| RouteError::NotRoutable {
                    tag: tag.name().to_string(),
                })?;
            if !global.network_features().contains("UDR") {
                return Err(RouteError::NotRoutable {
                    tag: global.name().to_string(),
                });
            }
            plan.notes.push(format!(
                "{} cannot be used in routes (its networkFeatures do not include UDR); \
                 using the global tag {} instead, which covers the service in every region",
                tag.name(),
                global.name()
            ));
            global
        };
        if !chosen.contains(&usable) {
            chosen.push(usable);
        }
    }
    let limit = req.max_routes.min(MAX_SERVICE_TAG_ROUTES);
    if chosen.len() > limit {
        return Err(RouteError::TooManyRoutes {
            needed: chosen.len(),
            limit,
        });
    }
    let mut names = BTreeSet::new();
    for tag in chosen {
        plan.routes.push(Route {
            name: route_name(&[tag.name()], &mut names),
            address_prefix: tag.name().to_string(),
            next_hop: req.next_hop,
            tag,
        });
    }
    Ok(())
}

fn prefix_routes<'a>(
    tags: &[Tag<'a>],
    req: &RouteRequest<'_>,
    plan: &mut RoutePlan<'a>,
) -> Result<(), RouteError> {
    // Lossless: aggregate each tag's prefixes, then drop what an earlier tag covers.
    let mut per_tag: Vec<(Tag<'a>, Vec<IpNet>)> = Vec::new();
    let mut covered: Vec<IpNet> = Vec::new();
    for &tag in tags {
        let nets: Vec<IpNet> = tag.prefixes().filter(|n| req.families.wants(n)).collect();
        let nets: Vec<IpNet> = IpNet::aggregate(&nets)
            .into_iter()
            .filter(|n| !covered.iter().any(|c| c.contains(n)))
            .collect();
        covered.extend(&nets);
        per_tag.push((tag, nets));
    }
    let needed: usize = per_tag.iter().map(|(_, n)| n.len()).sum();
    if needed > req.max_routes {
        if !req.summarize {
            return Err(RouteError::TooManyRoutes {
                needed,
                limit: req.max_routes,
            });
        }
        let original = IpNet::aggregate(&covered);
        let summary = summarize(&original, req.max_routes);
        plan.extra_coverage = difference(&summary, &original);
        plan.notes.push(format!(
            "summarized {needed} routes into {}: the routes also cover {} address range(s) that \
             are not the service's (listed in the plan)",
            summary.len(),
            plan.extra_coverage.len()
        ));
        // Attribute each supernet to the first tag with a prefix inside it.
        per_tag = per_tag
            .iter()
            .map(|(tag, nets)| {
                let mine: Vec<IpNet> = summary
                    .iter()
                    .filter(|s| {
                        nets.iter().any(|n| s.contains(n))
                            && !per_tag
                                .iter()
                                .take_while(|(t, _)| t != tag)
                                .any(|(_, earlier)| earlier.iter().any(|n| s.contains(n)))
                    })
                    .copied()
                    .collect();
                (*tag, mine)
            })
            .collect();
    }
    let mut names = BTreeSet::new();
    for (tag, nets) in per_tag {
        let region = tag.region().map_or("global", |r| r.name());
        for net in nets {
            let text = net.to_string();
            plan.routes.push(Route {
                name: route_name(&[tag.service(), region, &text], &mut names),
                address_prefix: text,
                next_hop: req.next_hop,
                tag,
            });
        }
    }
    Ok(())
}
