//! User-defined routes (UDRs) for a service in a region and its paired region.
//!
//! This module owns turning "the routes Azure Machine Learning needs in East US 2"
//! into a [`RoutePlan`]: it resolves the regions (and the pair), finds each region's tag
//! through its service-tag code, aggregates the prefixes without widening them, keeps
//! within the route-table limit (or says what would fit), and names each route validly
//! and stably. It does not render plans: that is [`crate::render`].

use std::collections::BTreeSet;
use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

use crate::region::Region;
use crate::resolve::NotFound;
use crate::snapshot::Snapshot;
use crate::tag::Tag;

pub(crate) mod aggregate;
mod changes;
pub(crate) mod names;

pub(crate) use aggregate::{difference, summarize};
pub use changes::RouteChanges;
pub use names::is_valid_route_name;
pub(crate) use names::route_name;

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

/// Which address families to route.
///
/// ```
/// use azure_service_tags::route::Families;
/// assert_eq!(Families::default(), Families::Ipv4);
/// assert_eq!("both".parse::<Families>().unwrap(), Families::Both);
/// assert_eq!(Families::Ipv6.to_string(), "ipv6");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Families {
    /// IPv4 only (the default: most route tables are IPv4).
    #[default]
    Ipv4,
    /// IPv6 only.
    Ipv6,
    /// Both.
    Both,
}

impl Families {
    /// Every value, in the order the docs list them.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::route::Families::ALL.len(), 3);
    /// ```
    pub const ALL: [Families; 3] = [Families::Ipv4, Families::Ipv6, Families::Both];

    /// The name: `ipv4`, `ipv6` or `both`.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::route::Families::Both.name(), "both");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Families::Ipv4 => "ipv4",
            Families::Ipv6 => "ipv6",
            Families::Both => "both",
        }
    }

    fn wants(self, net: &IpNet) -> bool {
        matches!(
            (self, net),
            (Families::Both, _) | (Families::Ipv4, IpNet::V4(_)) | (Families::Ipv6, IpNet::V6(_))
        )
    }
}

impl fmt::Display for Families {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing [`Families`]: the text is not `ipv4`, `ipv6` or `both`.
///
/// ```
/// let err = "ipv5".parse::<azure_service_tags::route::Families>().unwrap_err();
/// assert!(err.to_string().contains("\"ipv5\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFamiliesError(String);

impl fmt::Display for ParseFamiliesError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "families {:?}: expected \"ipv4\", \"ipv6\" or \"both\"",
            self.0
        )
    }
}

impl std::error::Error for ParseFamiliesError {}

impl FromStr for Families {
    type Err = ParseFamiliesError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Families::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseFamiliesError(s.to_string()))
    }
}

/// How the plan expresses the service's addresses.
///
/// ```
/// use azure_service_tags::route::Mode;
/// assert_eq!("service-tag".parse::<Mode>().unwrap(), Mode::ServiceTag);
/// assert_eq!(Mode::ServiceTag.name(), "service-tag");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// One route per (aggregated) prefix.
    #[default]
    Prefixes,
    /// One route whose address prefix is a service tag (only tags with the `UDR`
    /// network feature; at most 25 such routes per route table).
    ServiceTag,
}

impl Mode {
    /// Every mode.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::route::Mode::ALL.len(), 2);
    /// ```
    pub const ALL: [Mode; 2] = [Mode::Prefixes, Mode::ServiceTag];

    /// The mode's name: `prefixes` or `service-tag`.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::route::Mode::Prefixes.name(), "prefixes");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Mode::Prefixes => "prefixes",
            Mode::ServiceTag => "service-tag",
        }
    }

    /// What the mode does, in one line (as `aztags routes --help` lists it).
    ///
    /// ```
    /// assert!(azure_service_tags::route::Mode::ServiceTag.description().contains("25"));
    /// ```
    pub fn description(self) -> &'static str {
        match self {
            Mode::Prefixes => "One route per (aggregated) prefix",
            Mode::ServiceTag => "One route whose address prefix is a service tag (only tags with the `UDR` network feature; at most 25 such routes per route table)",
        }
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`Mode`]: the text is neither `prefixes` nor `service-tag`.
///
/// ```
/// let err = "routes".parse::<azure_service_tags::route::Mode>().unwrap_err();
/// assert!(err.to_string().contains("\"routes\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseModeError(String);

impl fmt::Display for ParseModeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "mode {:?} is not prefixes or service-tag", self.0)
    }
}

impl std::error::Error for ParseModeError {}

impl FromStr for Mode {
    type Err = ParseModeError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "prefixes" => Ok(Mode::Prefixes),
            "service-tag" | "servicetag" => Ok(Mode::ServiceTag),
            _ => Err(ParseModeError(s.to_string())),
        }
    }
}

/// A route's next hop.
///
/// ```
/// use azure_service_tags::route::NextHop;
/// assert_eq!(NextHop::parse("internet", None).unwrap(), NextHop::Internet);
/// assert!(NextHop::parse("VirtualAppliance", None).is_err()); // needs an IP
/// let nva = NextHop::parse("VirtualAppliance", Some("10.0.0.4".parse().unwrap())).unwrap();
/// assert_eq!(nva.ip(), Some("10.0.0.4".parse().unwrap()));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NextHop {
    /// `Internet` (what Azure Machine Learning's guide asks for).
    #[default]
    Internet,
    /// `VirtualAppliance`, with the appliance's private IP.
    VirtualAppliance(IpAddr),
    /// `VirtualNetworkGateway`.
    VirtualNetworkGateway,
    /// `VnetLocal`.
    VnetLocal,
    /// `None`: drop the traffic.
    None,
}

impl NextHop {
    /// Parses Azure's next-hop type name (any case) and the next-hop IP, which
    /// `VirtualAppliance` requires and the others refuse.
    ///
    /// ```
    /// use azure_service_tags::route::NextHop;
    /// assert_eq!(NextHop::parse("VnetLocal", None).unwrap(), NextHop::VnetLocal);
    /// assert!(NextHop::parse("Internet", Some("10.0.0.4".parse().unwrap())).is_err());
    /// ```
    pub fn parse(kind: &str, ip: Option<IpAddr>) -> Result<NextHop, NextHopError> {
        let hop = match kind.to_ascii_lowercase().as_str() {
            "internet" => NextHop::Internet,
            "virtualappliance" => {
                return ip
                    .map(NextHop::VirtualAppliance)
                    .ok_or(NextHopError::MissingIp)
            }
            "virtualnetworkgateway" => NextHop::VirtualNetworkGateway,
            "vnetlocal" => NextHop::VnetLocal,
            "none" => NextHop::None,
            _ => return Err(NextHopError::UnknownType(kind.to_string())),
        };
        match ip {
            Some(ip) => Err(NextHopError::UnexpectedIp { ip, hop }),
            None => Ok(hop),
        }
    }

    /// Azure's name of the next-hop type.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::route::NextHop::VnetLocal.kind(), "VnetLocal");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            NextHop::Internet => "Internet",
            NextHop::VirtualAppliance(_) => "VirtualAppliance",
            NextHop::VirtualNetworkGateway => "VirtualNetworkGateway",
            NextHop::VnetLocal => "VnetLocal",
            NextHop::None => "None",
        }
    }

    /// The next-hop IP (only for `VirtualAppliance`).
    ///
    /// ```
    /// assert_eq!(azure_service_tags::route::NextHop::Internet.ip(), None);
    /// ```
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            NextHop::VirtualAppliance(ip) => Some(*ip),
            _ => None,
        }
    }
}

/// Azure's name of the next-hop type, and the IP of a `VirtualAppliance`.
///
/// ```
/// use azure_service_tags::route::NextHop;
/// assert_eq!(NextHop::Internet.to_string(), "Internet");
/// assert_eq!(NextHop::VirtualAppliance("10.0.0.4".parse().unwrap()).to_string(), "VirtualAppliance 10.0.0.4");
/// ```
impl fmt::Display for NextHop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.ip() {
            Some(ip) => write!(f, "{} {ip}", self.kind()),
            None => f.write_str(self.kind()),
        }
    }
}

/// Why a next hop cannot be made from a type name and an IP.
///
/// ```
/// use azure_service_tags::route::{NextHop, NextHopError};
/// assert_eq!(NextHop::parse("VirtualAppliance", None), Err(NextHopError::MissingIp));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextHopError {
    /// The type is not one of Azure's next-hop types.
    UnknownType(String),
    /// `VirtualAppliance` without the appliance's IP.
    MissingIp,
    /// An IP given with a type that takes none.
    UnexpectedIp {
        /// The IP given.
        ip: IpAddr,
        /// The next hop it was given with.
        hop: NextHop,
    },
}

impl fmt::Display for NextHopError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NextHopError::UnknownType(kind) => write!(
                f,
                "next hop type {kind:?} is not one of Internet, VirtualAppliance, \
                 VirtualNetworkGateway, VnetLocal, None"
            ),
            NextHopError::MissingIp => {
                f.write_str("next hop type VirtualAppliance needs the appliance's IP")
            }
            NextHopError::UnexpectedIp { ip, hop } => write!(
                f,
                "a next-hop IP ({ip}) goes only with VirtualAppliance, not {}",
                hop.kind()
            ),
        }
    }
}

impl std::error::Error for NextHopError {}

/// What to plan. `RouteRequest::new("AzureMachineLearning", "eastus2")` gives Azure
/// Machine Learning's guide: the service's prefixes in the region and its pair, IPv4,
/// next hop `Internet`, at most 400 routes.
///
/// ```
/// use azure_service_tags::route::RouteRequest;
/// let req = RouteRequest::new("AzureMachineLearning", "East US 2");
/// assert_eq!(req.service, "AzureMachineLearning");
/// assert!(req.include_paired);
/// ```
#[derive(Debug, Clone)]
pub struct RouteRequest<'r> {
    /// The service: a tag name without region suffix (`AzureMachineLearning`, `Storage`).
    pub service: &'r str,
    /// The primary region, in any spelling [`Snapshot::region`] accepts.
    pub region: &'r str,
    /// Also route the paired (secondary) region's addresses.
    pub include_paired: bool,
    /// Address families.
    pub families: Families,
    /// Prefixes or service tags.
    pub mode: Mode,
    /// The next hop of every route.
    pub next_hop: NextHop,
    /// The route table's limit (Azure: 400 by default, up to 1,000 since 2026).
    pub max_routes: usize,
    /// Allow lossy summarization into wider supernets when the plan exceeds the limit.
    pub summarize: bool,
}

impl<'r> RouteRequest<'r> {
    /// The defaults, for `service` in `region` and its pair.
    ///
    /// ```
    /// let req = azure_service_tags::route::RouteRequest::new("Storage", "francecentral");
    /// assert_eq!(req.max_routes, 400);
    /// ```
    pub fn new(service: &'r str, region: &'r str) -> Self {
        RouteRequest {
            service,
            region,
            include_paired: true,
            families: Families::Ipv4,
            mode: Mode::Prefixes,
            next_hop: NextHop::Internet,
            max_routes: DEFAULT_MAX_ROUTES,
            summarize: false,
        }
    }

    /// With or without the paired region's routes.
    ///
    /// ```
    /// let req = azure_service_tags::route::RouteRequest::new("Storage", "eastus2").paired(false);
    /// assert!(!req.include_paired);
    /// ```
    pub fn paired(mut self, include_paired: bool) -> Self {
        self.include_paired = include_paired;
        self
    }

    /// With these address families.
    ///
    /// ```
    /// use azure_service_tags::route::{Families, RouteRequest};
    /// assert_eq!(RouteRequest::new("Storage", "eastus2").families(Families::Both).families, Families::Both);
    /// ```
    pub fn families(mut self, families: Families) -> Self {
        self.families = families;
        self
    }

    /// In this mode.
    ///
    /// ```
    /// use azure_service_tags::route::{Mode, RouteRequest};
    /// assert_eq!(RouteRequest::new("Storage", "eastus2").mode(Mode::ServiceTag).mode, Mode::ServiceTag);
    /// ```
    pub fn mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// With this next hop.
    ///
    /// ```
    /// use azure_service_tags::route::{NextHop, RouteRequest};
    /// let req = RouteRequest::new("Storage", "eastus2").next_hop(NextHop::VnetLocal);
    /// assert_eq!(req.next_hop, NextHop::VnetLocal);
    /// ```
    pub fn next_hop(mut self, next_hop: NextHop) -> Self {
        self.next_hop = next_hop;
        self
    }

    /// Within this many routes.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::route::RouteRequest::new("Storage", "eastus2").max_routes(1000).max_routes, 1000);
    /// ```
    pub fn max_routes(mut self, max_routes: usize) -> Self {
        self.max_routes = max_routes;
        self
    }

    /// Allowing lossy summarization into wider supernets.
    ///
    /// ```
    /// assert!(azure_service_tags::route::RouteRequest::new("Storage", "eastus2").summarize(true).summarize);
    /// ```
    pub fn summarize(mut self, summarize: bool) -> Self {
        self.summarize = summarize;
        self
    }
}

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
        if pair.is_none() {
            notes.push(format!(
                "{} has no paired region: the plan covers {} only",
                primary.name(),
                primary.name()
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
