//! The general prefix libraries the lookup benchmark runs against, each in its best setup
//! for the question, behind one adapter each. Shared by `benches/lookup.rs` (which times
//! them) and `tests/peers_agree.rs` (which checks that every one answers as the crate does), as
//! unicode-ident's benchmarks share its test tables.
//!
//! Q1 is "all tags containing the address". Longest-prefix-match structures (iptrie,
//! poptrie, and prefix-trie and ip_network_table in their second setup) store at each
//! prefix the tags of that prefix and of every prefix covering it ("pushed-down sets"),
//! so one longest match answers; prefix-trie and ip_network_table are also used as they
//! are, walking every covering prefix. Q2 is "is the address inside one tag": the peers
//! hold only that tag's IPv4 prefixes.

#![allow(dead_code)] // each user takes what it needs

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use azure_service_tags::{Snapshot, Tag};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// How a structure's build is observed: the benchmark prints its time and heap bytes,
/// the test does nothing.
pub trait Build {
    /// Builds `what` with `build`.
    fn measured<T>(&self, what: &str, build: impl FnOnce() -> T) -> T;
}

/// Builds without observing.
pub struct Quiet;

impl Build for Quiet {
    fn measured<T>(&self, _what: &str, build: impl FnOnce() -> T) -> T {
        build()
    }
}

/// A Q1 peer: hands every tag set that answers for `ip` to `f`. Generic, so a timed
/// loop over one peer has no indirect call.
pub trait Q1Peer {
    /// The name the benchmark reports.
    const NAME: &'static str;
    /// Calls `f` with each tag set that holds for `ip` (one for a longest match).
    fn visit(&self, ip: IpAddr, f: &mut impl FnMut(&[u16]));
}

/// A Q2 peer: whether an IPv4 address is inside the tag.
pub trait Q2Peer {
    /// The name the benchmark reports.
    const NAME: &'static str;
    /// Whether `ip` is inside the tag.
    fn contains(&self, ip: Ipv4Addr) -> bool;
}

/// Every (prefix, tag) pair of the snapshot.
pub fn all_prefixes(snap: &Snapshot) -> Vec<(IpNet, u16)> {
    snap.tags()
        .flat_map(|t| t.prefixes().map(move |p| (p, t.index() as u16)))
        .collect()
}

/// The host prefix of an address.
pub fn host(ip: IpAddr) -> IpNet {
    match ip {
        IpAddr::V4(a) => IpNet::V4(Ipv4Net::new_assert(a, 32)),
        IpAddr::V6(a) => IpNet::V6(Ipv6Net::new_assert(a, 128)),
    }
}

/// Each distinct prefix with the sorted tags that publish it.
fn by_prefix(pairs: &[(IpNet, u16)]) -> BTreeMap<IpNet, Vec<u16>> {
    let mut map: BTreeMap<IpNet, Vec<u16>> = BTreeMap::new();
    for &(p, tag) in pairs {
        let tags = map.entry(p.trunc()).or_default();
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    for tags in map.values_mut() {
        tags.sort_unstable();
    }
    map
}

/// Each distinct prefix with the sorted tags of that prefix and of every prefix that
/// covers it: what one longest-prefix match must return to answer Q1.
fn pushed_down(own: &BTreeMap<IpNet, Vec<u16>>) -> Vec<(IpNet, Box<[u16]>)> {
    // In (address, length) order a prefix comes after every prefix that covers it; the
    // stack holds the chain of prefixes covering the current one.
    let mut out: Vec<(IpNet, Box<[u16]>)> = Vec::with_capacity(own.len());
    let mut stack: Vec<usize> = Vec::new();
    for (&p, tags) in own {
        while let Some(&top) = stack.last() {
            if out[top].0.contains(&p) {
                break;
            }
            stack.pop();
        }
        let mut set: Vec<u16> = tags.clone();
        if let Some(&top) = stack.last() {
            set.extend_from_slice(&out[top].1);
        }
        set.sort_unstable();
        set.dedup();
        stack.push(out.len());
        out.push((p, set.into_boxed_slice()));
    }
    out
}

fn network(p: IpNet) -> ip_network::IpNetwork {
    let made = match p {
        IpNet::V4(n) => ip_network::Ipv4Network::new(n.network(), n.prefix_len()).map(Into::into),
        IpNet::V6(n) => ip_network::Ipv6Network::new(n.network(), n.prefix_len()).map(Into::into),
    };
    made.expect("an ipnet prefix is a valid ip_network prefix")
}

/// prefix-trie, every covering prefix walked.
pub struct PrefixTrieCover {
    v4: prefix_trie::PrefixMap<Ipv4Net, Vec<u16>>,
    v6: prefix_trie::PrefixMap<Ipv6Net, Vec<u16>>,
}

/// prefix-trie over the pushed-down sets, one longest match.
pub struct PrefixTrieLpm {
    v4: prefix_trie::PrefixMap<Ipv4Net, Box<[u16]>>,
    v6: prefix_trie::PrefixMap<Ipv6Net, Box<[u16]>>,
}

/// ip_network_table, every covering prefix walked.
pub struct TableCover(ip_network_table::IpNetworkTable<Vec<u16>>);

/// ip_network_table over the pushed-down sets, one longest match.
pub struct TableLpm(ip_network_table::IpNetworkTable<Box<[u16]>>);

/// iptrie's compressed LC-trie over the pushed-down sets.
pub struct Iptrie(iptrie::IpLCTrieMap<Box<[u16]>>);

/// poptrie over the pushed-down sets.
pub struct Poptrie {
    v4: poptrie::Poptrie<(u32, u8), Box<[u16]>>,
    v6: poptrie::Poptrie<(u128, u8), Box<[u16]>>,
}

/// prefix-trie maps of each family holding `entries`.
#[allow(clippy::type_complexity)]
fn trie_maps<V: Clone>(
    entries: &[(IpNet, V)],
) -> (
    prefix_trie::PrefixMap<Ipv4Net, V>,
    prefix_trie::PrefixMap<Ipv6Net, V>,
) {
    let (mut v4, mut v6) = (prefix_trie::PrefixMap::new(), prefix_trie::PrefixMap::new());
    for (p, value) in entries {
        match *p {
            IpNet::V4(n) => _ = v4.insert(n, value.clone()),
            IpNet::V6(n) => _ = v6.insert(n, value.clone()),
        }
    }
    (v4, v6)
}

/// Every Q1 peer, built from the same (prefix, tag) pairs.
pub struct Q1Peers {
    pub poptrie: Poptrie,
    pub iptrie: Iptrie,
    pub prefix_trie_lpm: PrefixTrieLpm,
    pub prefix_trie_cover: PrefixTrieCover,
    pub table_lpm: TableLpm,
    pub table_cover: TableCover,
}

impl Q1Peers {
    pub fn new(pairs: &[(IpNet, u16)], b: &impl Build) -> Q1Peers {
        let own: Vec<(IpNet, Vec<u16>)> = by_prefix(pairs).into_iter().collect();
        let pushed = pushed_down(&by_prefix(pairs));
        let (v4, v6) = b.measured("prefix-trie (every covering prefix)", || trie_maps(&own));
        let prefix_trie_cover = PrefixTrieCover { v4, v6 };
        let (v4, v6) = b.measured("prefix-trie (pushed-down sets)", || trie_maps(&pushed));
        let prefix_trie_lpm = PrefixTrieLpm { v4, v6 };
        let table_cover =
            TableCover(b.measured("ip_network_table (every covering prefix)", || {
                let mut t = ip_network_table::IpNetworkTable::new();
                own.iter()
                    .for_each(|(p, tags)| _ = t.insert(network(*p), tags.clone()));
                t
            }));
        let table_lpm = TableLpm(b.measured("ip_network_table (pushed-down sets)", || {
            let mut t = ip_network_table::IpNetworkTable::new();
            pushed
                .iter()
                .for_each(|(p, tags)| _ = t.insert(network(*p), tags.clone()));
            t
        }));
        let iptrie = Iptrie(b.measured("iptrie LC-trie (pushed-down sets)", || {
            let mut rt = iptrie::IpRTrieMap::with_roots(Box::from([]), Box::from([]));
            pushed
                .iter()
                .for_each(|(p, tags)| _ = rt.insert(*p, tags.clone()));
            rt.compress()
        }));
        let poptrie = b.measured("poptrie (pushed-down sets)", || Poptrie {
            v4: pushed
                .iter()
                .filter_map(|(p, tags)| match p {
                    IpNet::V4(n) => Some(((u32::from(n.network()), n.prefix_len()), tags.clone())),
                    IpNet::V6(_) => None,
                })
                .collect(),
            v6: pushed
                .iter()
                .filter_map(|(p, tags)| match p {
                    IpNet::V6(n) => Some(((u128::from(n.network()), n.prefix_len()), tags.clone())),
                    IpNet::V4(_) => None,
                })
                .collect(),
        });
        Q1Peers {
            poptrie,
            iptrie,
            prefix_trie_lpm,
            prefix_trie_cover,
            table_lpm,
            table_cover,
        }
    }
}

/// Calls `$f(peer, $args...)` for every Q1 peer of `$peers`, each peer its own
/// monomorphized call.
#[macro_export]
macro_rules! each_q1_peer {
    ($peers:expr, $f:ident($($arg:expr),*)) => {{
        let p = &$peers;
        $f(&p.poptrie $(, $arg)*);
        $f(&p.iptrie $(, $arg)*);
        $f(&p.prefix_trie_lpm $(, $arg)*);
        $f(&p.prefix_trie_cover $(, $arg)*);
        $f(&p.table_lpm $(, $arg)*);
        $f(&p.table_cover $(, $arg)*);
    }};
}

impl Q1Peer for PrefixTrieCover {
    const NAME: &'static str = "prefix-trie cover";
    #[inline]
    fn visit(&self, ip: IpAddr, f: &mut impl FnMut(&[u16])) {
        match ip {
            IpAddr::V4(a) => self
                .v4
                .cover(&Ipv4Net::new_assert(a, 32))
                .for_each(|(_, v)| f(v)),
            IpAddr::V6(a) => self
                .v6
                .cover(&Ipv6Net::new_assert(a, 128))
                .for_each(|(_, v)| f(v)),
        }
    }
}

impl Q1Peer for PrefixTrieLpm {
    const NAME: &'static str = "prefix-trie lpm";
    #[inline]
    fn visit(&self, ip: IpAddr, f: &mut impl FnMut(&[u16])) {
        let found = match ip {
            IpAddr::V4(a) => self.v4.get_lpm(&Ipv4Net::new_assert(a, 32)).map(|(_, v)| v),
            IpAddr::V6(a) => self
                .v6
                .get_lpm(&Ipv6Net::new_assert(a, 128))
                .map(|(_, v)| v),
        };
        f(found.map_or(&[], |v| v));
    }
}

impl Q1Peer for TableCover {
    const NAME: &'static str = "ip_network_table cover";
    #[inline]
    fn visit(&self, ip: IpAddr, f: &mut impl FnMut(&[u16])) {
        match ip {
            IpAddr::V4(a) => self.0.matches_ipv4(a).for_each(|(_, v)| f(v)),
            IpAddr::V6(a) => self.0.matches_ipv6(a).for_each(|(_, v)| f(v)),
        }
    }
}

impl Q1Peer for TableLpm {
    const NAME: &'static str = "ip_network_table lpm";
    #[inline]
    fn visit(&self, ip: IpAddr, f: &mut impl FnMut(&[u16])) {
        let found = match ip {
            IpAddr::V4(a) => self.0.longest_match_ipv4(a).map(|(_, v)| v),
            IpAddr::V6(a) => self.0.longest_match_ipv6(a).map(|(_, v)| v),
        };
        f(found.map_or(&[], |v| v));
    }
}

impl Q1Peer for Iptrie {
    const NAME: &'static str = "iptrie";
    #[inline]
    fn visit(&self, ip: IpAddr, f: &mut impl FnMut(&[u16])) {
        f(self.0.lookup(&host(ip)).1);
    }
}

impl Q1Peer for Poptrie {
    const NAME: &'static str = "poptrie";
    #[inline]
    fn visit(&self, ip: IpAddr, f: &mut impl FnMut(&[u16])) {
        let found = match ip {
            IpAddr::V4(a) => self.v4.lookup(u32::from(a)),
            IpAddr::V6(a) => self.v6.lookup(u128::from(a)),
        };
        f(found.map_or(&[], |v| v));
    }
}

/// Every Q2 peer, holding one tag's IPv4 prefixes.
pub struct Q2Peers {
    pub poptrie: Q2Poptrie,
    pub iptrie: Q2Iptrie,
    pub prefix_trie: Q2PrefixTrie,
    pub table: Q2Table,
}

impl Q2Peers {
    pub fn new(tag: Tag<'_>, b: &impl Build) -> Q2Peers {
        let v4: Vec<Ipv4Net> = tag.ipv4().collect();
        Q2Peers {
            prefix_trie: Q2PrefixTrie(
                b.measured("Q2 prefix-trie", || v4.iter().map(|n| (*n, ())).collect()),
            ),
            table: Q2Table(b.measured("Q2 ip_network_table", || {
                let mut t = ip_network_table::IpNetworkTable::new();
                v4.iter()
                    .for_each(|n| _ = t.insert(network(IpNet::V4(*n)), ()));
                t
            })),
            iptrie: Q2Iptrie(b.measured("Q2 iptrie", || {
                let mut rt = iptrie::IpRTrieMap::with_roots(false, false);
                tag.prefixes().for_each(|p| _ = rt.insert(p, true));
                rt.compress()
            })),
            poptrie: Q2Poptrie(b.measured("Q2 poptrie", || {
                v4.iter()
                    .map(|n| ((u32::from(n.network()), n.prefix_len()), ()))
                    .collect()
            })),
        }
    }
}

/// Calls `$f(peer, $args...)` for every Q2 peer of `$peers`.
#[macro_export]
macro_rules! each_q2_peer {
    ($peers:expr, $f:ident($($arg:expr),*)) => {{
        let p = &$peers;
        $f(&p.poptrie $(, $arg)*);
        $f(&p.iptrie $(, $arg)*);
        $f(&p.prefix_trie $(, $arg)*);
        $f(&p.table $(, $arg)*);
    }};
}

/// poptrie holding the tag's prefixes.
pub struct Q2Poptrie(poptrie::Poptrie<(u32, u8), ()>);
/// iptrie holding the tag's prefixes.
pub struct Q2Iptrie(iptrie::IpLCTrieMap<bool>);
/// prefix-trie holding the tag's prefixes.
pub struct Q2PrefixTrie(prefix_trie::PrefixMap<Ipv4Net, ()>);
/// ip_network_table holding the tag's prefixes.
pub struct Q2Table(ip_network_table::IpNetworkTable<()>);

impl Q2Peer for Q2Poptrie {
    const NAME: &'static str = "poptrie";
    #[inline]
    fn contains(&self, ip: Ipv4Addr) -> bool {
        self.0.lookup(u32::from(ip)).is_some()
    }
}

impl Q2Peer for Q2Iptrie {
    const NAME: &'static str = "iptrie";
    #[inline]
    fn contains(&self, ip: Ipv4Addr) -> bool {
        *self.0.lookup(&host(IpAddr::V4(ip))).1
    }
}

impl Q2Peer for Q2PrefixTrie {
    const NAME: &'static str = "prefix-trie";
    #[inline]
    fn contains(&self, ip: Ipv4Addr) -> bool {
        self.0.get_lpm(&Ipv4Net::new_assert(ip, 32)).is_some()
    }
}

impl Q2Peer for Q2Table {
    const NAME: &'static str = "ip_network_table";
    #[inline]
    fn contains(&self, ip: Ipv4Addr) -> bool {
        self.0.longest_match_ipv4(ip).is_some()
    }
}
