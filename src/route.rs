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

use crate::format::fold_region_name;
use crate::region::Region;
use crate::snapshot::Snapshot;
use crate::tag::Tag;

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
    fn wants(self, net: &IpNet) -> bool {
        matches!(
            (self, net),
            (Families::Both, _) | (Families::Ipv4, IpNet::V4(_)) | (Families::Ipv6, IpNet::V6(_))
        )
    }
}

/// How the plan expresses the service's addresses.
///
/// ```
/// use azure_service_tags::route::Mode;
/// assert_eq!("service-tag".parse::<Mode>().unwrap(), Mode::ServiceTag);
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

impl FromStr for Mode {
    type Err = RouteError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "prefixes" => Ok(Mode::Prefixes),
            "service-tag" | "servicetag" => Ok(Mode::ServiceTag),
            _ => Err(RouteError::BadValue(format!(
                "mode {s:?} is not prefixes or service-tag"
            ))),
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
    pub fn parse(kind: &str, ip: Option<IpAddr>) -> Result<NextHop, RouteError> {
        let hop = match kind.to_ascii_lowercase().as_str() {
            "internet" => NextHop::Internet,
            "virtualappliance" => {
                return ip.map(NextHop::VirtualAppliance).ok_or_else(|| {
                    RouteError::BadValue(
                        "next hop type VirtualAppliance needs the appliance's IP (--next-hop-ip)"
                            .into(),
                    )
                })
            }
            "virtualnetworkgateway" => NextHop::VirtualNetworkGateway,
            "vnetlocal" => NextHop::VnetLocal,
            "none" => NextHop::None,
            _ => {
                return Err(RouteError::BadValue(format!(
                    "next hop type {kind:?} is not one of Internet, VirtualAppliance, \
                     VirtualNetworkGateway, VnetLocal, None"
                )))
            }
        };
        match ip {
            Some(ip) => Err(RouteError::BadValue(format!(
                "a next-hop IP ({ip}) goes only with VirtualAppliance, not {}",
                hop.kind()
            ))),
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

/// What to plan. `RouteRequest::new("eastus2")` gives Azure Machine Learning's guide:
/// its prefixes in the region and its pair, IPv4, next hop `Internet`, at most 400.
///
/// ```
/// use azure_service_tags::route::RouteRequest;
/// let req = RouteRequest::new("East US 2");
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
    /// The defaults, for `region`.
    ///
    /// ```
    /// let req = azure_service_tags::route::RouteRequest::new("francecentral");
    /// assert_eq!(req.max_routes, 400);
    /// ```
    pub fn new(region: &'r str) -> Self {
        RouteRequest {
            service: "AzureMachineLearning",
            region,
            include_paired: true,
            families: Families::Ipv4,
            mode: Mode::Prefixes,
            next_hop: NextHop::Internet,
            max_routes: DEFAULT_MAX_ROUTES,
            summarize: false,
        }
    }
}

/// One route of a plan.
///
/// ```
/// use azure_service_tags::route::{plan, RouteRequest};
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("eastus2")).unwrap();
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
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("italynorth")).unwrap();
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
    /// `"<cloud> changeNumber N (<source file>, published YYYY-MM-DD)"`.
    ///
    /// ```
    /// use azure_service_tags::route::{plan, RouteRequest};
    /// let p = plan(azure_service_tags::public(), &RouteRequest::new("eastus2")).unwrap();
    /// assert!(p.provenance().starts_with("Public changeNumber 375"));
    /// ```
    pub fn provenance(&self) -> String {
        let s = self.snapshot;
        format!(
            "{} changeNumber {} ({}, published {})",
            s.cloud(),
            s.change_number(),
            s.source().file_name(),
            s.published()
                .map_or("unknown".to_string(), |d| d.to_string())
        )
    }
}

/// Why a plan cannot be made. Each says what was asked and what would work.
///
/// ```
/// use azure_service_tags::route::{plan, RouteError, RouteRequest};
/// let err = plan(azure_service_tags::public(), &RouteRequest::new("eastuss2")).unwrap_err();
/// assert!(matches!(&err, RouteError::UnknownRegion { closest, .. } if closest.iter().any(|c| c == "eastus2")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RouteError {
    /// No region answers to the name.
    UnknownRegion {
        /// What was asked.
        name: String,
        /// The closest known region names.
        closest: Vec<String>,
    },
    /// No tag has this service.
    UnknownService {
        /// What was asked.
        name: String,
        /// The closest known services.
        closest: Vec<String>,
    },
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
    /// An option's value is wrong.
    BadValue(String),
}

impl fmt::Display for RouteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RouteError::UnknownRegion { name, closest } => {
                write!(f, "unknown region {name:?}")?;
                if !closest.is_empty() {
                    write!(f, "; closest known: {}", closest.join(", "))?;
                }
                Ok(())
            }
            RouteError::UnknownService { name, closest } => {
                write!(
                    f,
                    "unknown service {name:?} (no tag is named {name} or {name}.<region>)"
                )?;
                if !closest.is_empty() {
                    write!(f, "; closest known: {}", closest.join(", "))?;
                }
                Ok(())
            }
            RouteError::NoTagInRegion { service, region } => write!(
                f,
                "the service {service} has no service tag in region {region}; \
                 try --no-paired, another region, or the global tag with --mode service-tag"
            ),
            RouteError::TooManyRoutes { needed, limit } => write!(
                f,
                "{needed} routes are needed after lossless aggregation, more than the limit of \
                 {limit}; use --mode service-tag (one route per tag, where the tags carry UDR), \
                 raise --max-routes (Azure \
                 allows up to 1,000 routes per table since 2026) if your subscription has the \
                 higher limit, or pass --summarize to merge prefixes into wider supernets \
                 (which routes addresses that are not the service's)"
            ),
            RouteError::NotRoutable { tag } => write!(
                f,
                "the service tag {tag} cannot be a route's address prefix: its networkFeatures \
                 do not include UDR; use --mode prefixes"
            ),
            RouteError::BadValue(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for RouteError {}

/// Derives the routes for `req` from `snap`.
///
/// ```
/// use azure_service_tags::route::{plan, RouteRequest};
/// let snap = azure_service_tags::public();
/// let p = plan(snap, &RouteRequest::new("eastus2")).unwrap();
/// assert_eq!(p.secondary.unwrap().name(), "centralus");
/// assert!(p.routes.iter().all(|r| r.next_hop.kind() == "Internet"));
/// ```
pub fn plan<'a>(snap: &'a Snapshot, req: &RouteRequest<'_>) -> Result<RoutePlan<'a>, RouteError> {
    if req.max_routes == 0 {
        return Err(RouteError::BadValue(
            "--max-routes must be at least 1".into(),
        ));
    }
    let primary = snap
        .region(req.region)
        .ok_or_else(|| RouteError::UnknownRegion {
            name: req.region.to_string(),
            // ARM names only: a folded display name is the ARM name.
            closest: closest(req.region, snap.regions().map(|r| r.name())),
        })?;
    let service = resolve_service(snap, req.service)?;
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

/// The canonical spelling of a service (a tag name without region suffix), in any
/// case; an unknown one is an error listing the closest known services.
///
/// ```
/// use azure_service_tags::route::resolve_service;
/// let snap = azure_service_tags::public();
/// assert_eq!(resolve_service(snap, "azuremachinelearning").unwrap(), "AzureMachineLearning");
/// let err = resolve_service(snap, "AzureMachineLerning").unwrap_err().to_string();
/// assert!(err.contains("closest known: AzureMachineLearning"));
/// ```
pub fn resolve_service<'a>(snap: &'a Snapshot, service: &str) -> Result<&'a str, RouteError> {
    let found = snap.tag(service).filter(|t| !t.name().contains('.'));
    if let Some(tag) = found {
        return Ok(tag.service());
    }
    // A service with regional tags only.
    if let Some(tag) = snap
        .tags()
        .find(|t| t.service().eq_ignore_ascii_case(service))
    {
        return Ok(tag.service());
    }
    let services: BTreeSet<&str> = snap.tags().map(|t| t.service()).collect();
    Err(RouteError::UnknownService {
        name: service.to_string(),
        closest: closest(service, services.into_iter()),
    })
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

/// Lossy: merges neighbouring prefixes (same family, in address order) into their
/// smallest common supernet, cheapest first (fewest addresses added), until at most
/// `limit` remain. Lossless aggregation runs after every merge.
///
/// ```
/// use azure_service_tags::route::summarize;
/// let nets: Vec<ipnet::IpNet> = vec!["10.0.0.0/24".parse().unwrap(), "10.0.2.0/24".parse().unwrap()];
/// assert_eq!(summarize(&nets, 1), vec!["10.0.0.0/22".parse::<ipnet::IpNet>().unwrap()]);
/// ```
pub fn summarize(nets: &[IpNet], limit: usize) -> Vec<IpNet> {
    let mut nets = IpNet::aggregate(&nets.to_vec());
    while nets.len() > limit.max(1) {
        let mut best: Option<(u128, usize, IpNet)> = None;
        for i in 0..nets.len() - 1 {
            let Some(sup) = supernet(nets[i], nets[i + 1]) else {
                continue;
            };
            let cost = size(sup)
                .saturating_sub(size(nets[i]))
                .saturating_sub(size(nets[i + 1]));
            if best.is_none_or(|(c, _, _)| cost < c) {
                best = Some((cost, i, sup));
            }
        }
        let Some((_, i, sup)) = best else { break };
        nets[i] = sup;
        nets.remove(i + 1);
        nets = IpNet::aggregate(&nets);
    }
    nets
}

fn size(net: IpNet) -> u128 {
    match net {
        IpNet::V4(n) => 1u128 << (32 - n.prefix_len()),
        IpNet::V6(n) => 1u128
            .checked_shl(128 - u32::from(n.prefix_len()))
            .unwrap_or(u128::MAX),
    }
}

/// The smallest prefix containing both (same family only).
fn supernet(a: IpNet, b: IpNet) -> Option<IpNet> {
    // Both networks as the high bits of a u128, and the family's width.
    let (x, y, bits) = match (a, b) {
        (IpNet::V4(x), IpNet::V4(y)) => (
            u128::from(u32::from(x.network())) << 96,
            u128::from(u32::from(y.network())) << 96,
            32,
        ),
        (IpNet::V6(x), IpNet::V6(y)) => (u128::from(x.network()), u128::from(y.network()), 128),
        _ => return None,
    };
    let common = (x ^ y).leading_zeros().min(bits) as u8;
    let len = common.min(a.prefix_len()).min(b.prefix_len());
    IpNet::new(a.network(), len).ok().map(|n| n.trunc())
}

/// The addresses of `wide` that `narrow` does not cover, as prefixes.
///
/// ```
/// use azure_service_tags::route::difference;
/// let wide: Vec<ipnet::IpNet> = vec!["10.0.0.0/23".parse().unwrap()];
/// let narrow: Vec<ipnet::IpNet> = vec!["10.0.0.0/24".parse().unwrap()];
/// assert_eq!(difference(&wide, &narrow), vec!["10.0.1.0/24".parse::<ipnet::IpNet>().unwrap()]);
/// ```
pub fn difference(wide: &[IpNet], narrow: &[IpNet]) -> Vec<IpNet> {
    let mut out = Vec::new();
    for &w in wide {
        let inside: Vec<IpNet> = narrow.iter().filter(|n| w.contains(*n)).copied().collect();
        subtract(w, &inside, &mut out);
    }
    IpNet::aggregate(&out)
}

fn subtract(w: IpNet, inside: &[IpNet], out: &mut Vec<IpNet>) {
    if inside.is_empty() {
        out.push(w);
        return;
    }
    if inside.iter().any(|n| n.contains(&w)) {
        return;
    }
    // Split in halves and recurse: `w` is not covered whole, so it is wider than a /32
    // or /128 and has halves.
    if let Ok(halves) = w.subnets(w.prefix_len() + 1) {
        for half in halves {
            let parts: Vec<IpNet> = inside
                .iter()
                .filter(|n| half.contains(*n) || n.contains(&half))
                .copied()
                .collect();
            subtract(half, &parts, out);
        }
    }
}

/// Makes a valid, unique Azure route name from parts: letters, digits, `_`, `.`, `-`
/// only (`:` becomes `-`, `/` becomes `_`), at most 80 characters, starting with a
/// letter or digit and ending with a letter, digit or `_`. Deterministic: the same
/// parts and the same earlier names give the same name.
///
/// ```
/// use std::collections::BTreeSet;
/// use azure_service_tags::route::route_name;
/// let mut used = BTreeSet::new();
/// assert_eq!(route_name(&["AzureMachineLearning", "eastus2", "20.41.0.0/24"], &mut used),
///            "AzureMachineLearning-eastus2-20.41.0.0_24");
/// assert_eq!(route_name(&["Aml", "westus", "2603:1030::/48"], &mut used), "Aml-westus-2603-1030--_48");
/// ```
pub fn route_name(parts: &[&str], used: &mut BTreeSet<String>) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                ':' => '-',
                '/' => '_',
                c if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') => c,
                _ => '-',
            })
            .collect()
    };
    let mut parts: Vec<String> = parts.iter().map(|p| clean(p)).collect();
    // Shorten the leading parts (service, region) first; the address stays whole.
    let total = |p: &[String]| p.iter().map(String::len).sum::<usize>() + p.len().saturating_sub(1);
    let budget = 72; // room for a "-NN" uniqueness suffix
    let mut i = 0;
    while total(&parts) > budget && i < parts.len() {
        let excess = total(&parts) - budget;
        let keep = parts[i].len().saturating_sub(excess).max(1);
        parts[i].truncate(keep);
        i += 1;
    }
    let mut base = parts.join("-");
    base.truncate(budget);
    let trimmed_start = base
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    let mut name = trimmed_start.trim_end_matches(['.', '-']).to_string();
    if name.is_empty() {
        name = "route".to_string();
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// Whether `name` follows Azure's rules for route names.
///
/// ```
/// use azure_service_tags::route::is_valid_route_name;
/// assert!(is_valid_route_name("aml-eastus2-20.41.0.0_24"));
/// assert!(!is_valid_route_name("aml:eastus2"));
/// assert!(!is_valid_route_name("-aml"));
/// assert!(!is_valid_route_name("aml."));
/// ```
pub fn is_valid_route_name(name: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    (1..=80).contains(&name.len())
        && name.chars().all(ok_char)
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
}

/// Up to three of `names` closest to `input` (edit distance on folded spellings), for
/// "did you mean" messages.
///
/// ```
/// use azure_service_tags::route::closest;
/// assert_eq!(closest("eastuss2", ["westus", "eastus2", "eastus"].into_iter())[0], "eastus2");
/// ```
pub fn closest<'n>(input: &str, names: impl Iterator<Item = &'n str>) -> Vec<String> {
    let mut buf = [0u8; 64];
    let want = fold_region_name(input, &mut buf)
        .map_or_else(|| input.to_ascii_lowercase(), str::to_string);
    let mut scored: Vec<(usize, String)> = names
        .map(|n| {
            let mut b = [0u8; 64];
            let folded =
                fold_region_name(n, &mut b).map_or_else(|| n.to_ascii_lowercase(), str::to_string);
            (edit_distance(&want, &folded), n.to_string())
        })
        .collect();
    scored.sort();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(3).map(|(_, n)| n).collect()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// What it takes to bring a route table from an old plan to a new one: routes to
/// delete (their names are gone), routes to create (new names, or an existing name with
/// another prefix or next hop), and how many stay as they are.
///
/// ```
/// use azure_service_tags::route::{plan, RouteChanges, RouteRequest};
/// let snap = azure_service_tags::public();
/// let p = plan(snap, &RouteRequest::new("eastus2")).unwrap();
/// let c = RouteChanges::between(&p, &p);
/// assert!(c.delete.is_empty() && c.create.is_empty());
/// assert_eq!(c.unchanged, p.routes.len());
/// ```
#[derive(Debug, Clone)]
pub struct RouteChanges<'o, 'n> {
    /// Routes of the old plan whose names the new plan does not have.
    pub delete: Vec<Route<'o>>,
    /// Routes of the new plan that the old plan lacks or had otherwise.
    pub create: Vec<Route<'n>>,
    /// Routes the same in both.
    pub unchanged: usize,
}

impl<'o, 'n> RouteChanges<'o, 'n> {
    /// Compares two plans route by route name.
    ///
    /// ```
    /// use azure_service_tags::route::{plan, RouteChanges, RouteRequest};
    /// let snap = azure_service_tags::public();
    /// let all = plan(snap, &RouteRequest::new("eastus2")).unwrap();
    /// let mut fewer = all.clone();
    /// fewer.routes.pop();
    /// let c = RouteChanges::between(&fewer, &all);
    /// assert_eq!((c.delete.len(), c.create.len()), (0, 1));
    /// ```
    pub fn between(old: &RoutePlan<'o>, new: &RoutePlan<'n>) -> Self {
        let same = |a: &Route<'o>, b: &Route<'n>| {
            a.address_prefix == b.address_prefix && a.next_hop == b.next_hop
        };
        let delete = old
            .routes
            .iter()
            .filter(|r| !new.routes.iter().any(|n| n.name == r.name))
            .cloned()
            .collect();
        let create: Vec<Route<'n>> = new
            .routes
            .iter()
            .filter(|n| !old.routes.iter().any(|r| r.name == n.name && same(r, n)))
            .cloned()
            .collect();
        let unchanged = new.routes.len() - create.len();
        RouteChanges {
            delete,
            create,
            unchanged,
        }
    }
}
