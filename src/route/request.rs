//! What a plan is asked for: the address families, the mode, the next hop, and the
//! [`RouteRequest`] that holds them with the service, the region and the limit. Each
//! value type has its name, `FromStr` and `Display`; the planning is in `mod.rs`.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

use super::DEFAULT_MAX_ROUTES;

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

    pub(super) fn wants(self, net: &IpNet) -> bool {
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
            Mode::ServiceTag => {
                "One route whose address prefix is a service tag (only tags with the `UDR` network feature; at most 25 such routes per route table)"
            }
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
                    .ok_or(NextHopError::MissingIp);
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
    /// The primary region, in any spelling [`Snapshot::region`](crate::Snapshot::region) accepts.
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
