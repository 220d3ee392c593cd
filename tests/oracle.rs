//! The lookups against independent oracles built straight from the project's data
//! files with `ipnet`: a linear scan over every prefix (random addresses), and a
//! hash map per prefix length (every prefix's first and last address and the addresses
//! just outside). Neither shares code with the crate's interval index.

use std::collections::{BTreeSet, HashMap};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use azure_service_tags::{Snapshot, TagMatcher, public};
use ipnet::IpNet;
use proptest::prelude::*;

mod pinned;

/// (tag name, prefixes), from the tests' own reading of `data/public/`, once.
fn oracle_data() -> &'static [(String, Vec<IpNet>)] {
    static DATA: std::sync::OnceLock<Vec<(String, Vec<IpNet>)>> = std::sync::OnceLock::new();
    DATA.get_or_init(|| {
        pinned::public()
            .tags
            .iter()
            .map(|t| (t.name.clone(), t.prefixes.clone()))
            .collect()
    })
}

fn scan(data: &[(String, Vec<IpNet>)], ip: IpAddr) -> BTreeSet<String> {
    data.iter()
        .filter(|(_, prefixes)| prefixes.iter().any(|p| p.contains(&ip)))
        .map(|(name, _)| name.clone())
        .collect()
}

fn ours(snap: &Snapshot, ip: IpAddr) -> BTreeSet<String> {
    let found: Vec<String> = snap
        .tags_containing(ip)
        .map(|t| t.name().to_string())
        .collect();
    let set: BTreeSet<String> = found.iter().cloned().collect();
    assert_eq!(set.len(), found.len(), "{ip}: a tag is listed twice");
    set
}

/// Prefixes keyed by (length, network) for exact, per-length lookups.
struct ByLength {
    v4: HashMap<(u8, u32), Vec<usize>>,
    v6: HashMap<(u8, u128), Vec<usize>>,
}

impl ByLength {
    fn new(data: &[(String, Vec<IpNet>)]) -> Self {
        let mut v4: HashMap<(u8, u32), Vec<usize>> = HashMap::new();
        let mut v6: HashMap<(u8, u128), Vec<usize>> = HashMap::new();
        for (i, (_, prefixes)) in data.iter().enumerate() {
            for p in prefixes {
                match p {
                    IpNet::V4(n) => v4
                        .entry((n.prefix_len(), n.network().into()))
                        .or_default()
                        .push(i),
                    IpNet::V6(n) => v6
                        .entry((n.prefix_len(), n.network().into()))
                        .or_default()
                        .push(i),
                }
            }
        }
        ByLength { v4, v6 }
    }

    fn tags(&self, data: &[(String, Vec<IpNet>)], ip: IpAddr) -> BTreeSet<String> {
        let mut hits: Vec<usize> = Vec::new();
        match ip {
            IpAddr::V4(a) => {
                let a = u32::from(a);
                for len in 0..=32u8 {
                    let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
                    hits.extend(self.v4.get(&(len, a & mask)).into_iter().flatten().copied());
                }
            }
            IpAddr::V6(a) => {
                let a = u128::from(a);
                for len in 0..=128u8 {
                    let mask = if len == 0 {
                        0
                    } else {
                        u128::MAX << (128 - len)
                    };
                    hits.extend(self.v6.get(&(len, a & mask)).into_iter().flatten().copied());
                }
            }
        }
        hits.into_iter().map(|i| data[i].0.clone()).collect()
    }
}

#[test]
fn every_prefix_boundary_agrees_with_the_oracle() {
    let data = oracle_data();
    let oracle = ByLength::new(data);
    let snap = public();
    let mut checked = 0usize;
    for (_, prefixes) in data {
        for p in prefixes {
            let (first, last): (IpAddr, IpAddr) = (p.network(), p.broadcast());
            let mut probes = vec![first, last];
            match (first, last) {
                (IpAddr::V4(f), IpAddr::V4(l)) => {
                    let (f, l) = (u32::from(f), u32::from(l));
                    probes.extend(f.checked_sub(1).map(|a| IpAddr::V4(Ipv4Addr::from(a))));
                    probes.extend(l.checked_add(1).map(|a| IpAddr::V4(Ipv4Addr::from(a))));
                }
                (IpAddr::V6(f), IpAddr::V6(l)) => {
                    let (f, l) = (u128::from(f), u128::from(l));
                    probes.extend(f.checked_sub(1).map(|a| IpAddr::V6(Ipv6Addr::from(a))));
                    probes.extend(l.checked_add(1).map(|a| IpAddr::V6(Ipv6Addr::from(a))));
                }
                _ => unreachable!(),
            }
            for ip in probes {
                let expected = oracle.tags(data, ip);
                assert_eq!(ours(snap, ip), expected, "tags containing {ip}");
                checked += 1;
            }
        }
    }
    // Every prefix of the test's own reading, four probes each.
    let prefixes: usize = data.iter().map(|(_, p)| p.len()).sum();
    assert_eq!(checked, 4 * prefixes);
    assert_eq!(prefixes, snap.prefix_counts().0 + snap.prefix_counts().1);
    // The edges of both address spaces.
    for ip in [
        "0.0.0.0",
        "255.255.255.255",
        "::",
        "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
    ] {
        let ip: IpAddr = ip.parse().unwrap();
        assert_eq!(ours(snap, ip), oracle.tags(data, ip), "{ip}");
    }
}

/// The batch lookup answers every boundary address as the oracle does: the first and
/// last address of every prefix and the addresses beside them, in chunks of an odd size
/// (the last one shorter), with IPv4 and IPv6 interleaved as the data lists them, and
/// into a buffer shorter than the input.
#[test]
fn the_batch_lookup_agrees_with_the_oracle() {
    let data = oracle_data();
    let oracle = ByLength::new(data);
    let snap = public();
    let mut probes: Vec<IpAddr> = Vec::new();
    for p in data.iter().flat_map(|(_, p)| p) {
        let (first, last) = (p.network(), p.broadcast());
        probes.extend([first, last]);
        match (first, last) {
            (IpAddr::V4(f), IpAddr::V4(l)) => probes.extend(
                [u32::from(f).checked_sub(1), u32::from(l).checked_add(1)]
                    .into_iter()
                    .flatten()
                    .map(|a| IpAddr::V4(Ipv4Addr::from(a))),
            ),
            (IpAddr::V6(f), IpAddr::V6(l)) => probes.extend(
                [u128::from(f).checked_sub(1), u128::from(l).checked_add(1)]
                    .into_iter()
                    .flatten()
                    .map(|a| IpAddr::V6(Ipv6Addr::from(a))),
            ),
            _ => unreachable!(),
        }
    }
    let mut out = vec![snap.no_tags(); 333];
    for chunk in probes.chunks(333) {
        assert_eq!(snap.tags_containing_each(chunk, &mut out), chunk.len());
        for (&ip, found) in chunk.iter().zip(&out) {
            let names: BTreeSet<String> = found.clone().map(|t| t.name().to_string()).collect();
            assert_eq!(names, oracle.tags(data, ip), "tags_containing_each on {ip}");
        }
    }
    // A shorter buffer answers as many addresses as it holds.
    let mut short = vec![snap.no_tags(); 5];
    assert_eq!(snap.tags_containing_each(&probes[..9], &mut short), 5);
    for (&ip, found) in probes.iter().zip(&short) {
        let names: BTreeSet<String> = found.clone().map(|t| t.name().to_string()).collect();
        assert_eq!(names, oracle.tags(data, ip), "{ip}");
    }
}

#[test]
fn tag_contains_agrees_with_tags_containing() {
    let data = oracle_data();
    let snap = public();
    // The first address of every tenth prefix, against every tag that lists it and
    // the tags around it.
    for (i, (_, prefixes)) in data.iter().enumerate() {
        for p in prefixes.iter().step_by(10) {
            let ip = p.network();
            let containing: BTreeSet<usize> = snap.tags_containing(ip).map(|t| t.index()).collect();
            for j in [i.saturating_sub(1), i, (i + 1) % data.len()] {
                let tag = snap.tags().nth(j).unwrap();
                assert_eq!(
                    tag.contains(ip),
                    containing.contains(&j),
                    "{} contains {ip}",
                    tag.name()
                );
            }
        }
    }
}

/// An address inside one of the data's prefixes, picked by two random numbers.
fn inside(data: &[(String, Vec<IpNet>)], pick: usize, offset: u128, v6: bool) -> IpAddr {
    let all: Vec<&IpNet> = data
        .iter()
        .flat_map(|(_, p)| p)
        .filter(|p| matches!(p, IpNet::V6(_)) == v6)
        .collect();
    match *all[pick % all.len()] {
        IpNet::V4(n) => {
            let size = 1u64 << (32 - n.prefix_len());
            IpAddr::V4(Ipv4Addr::from(
                u32::from(n.network()) + (offset % u128::from(size)) as u32,
            ))
        }
        IpNet::V6(n) => {
            let host_bits = 128 - u32::from(n.prefix_len());
            let off = if host_bits == 128 {
                offset
            } else {
                offset % (1u128 << host_bits)
            };
            IpAddr::V6(Ipv6Addr::from(u128::from(n.network()) + off))
        }
    }
}

/// The edges of IPv6 text: how many groups `::` may stand beside, digits per group,
/// colons in a row, hex case.
#[test]
fn parse_ip_agrees_with_std_on_ipv6_edges() {
    for text in [
        "::",
        ":::",
        "::1",
        "1::",
        ":1::",
        "1:::2",
        "1::2::3",
        "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7::",
        "::1:2:3:4:5:6:7",
        "1::2:3:4:5:6:7:8",
        "::1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7:8::",
        "1:2:3:4::5:6:7:8",
        "1:2:3:4::5:6:7",
        "12345::",
        "::12345",
        "fFfF::Ab",
        "0000:0000::0000",
        "1:2:3:4:5:6:7:",
        ":1:2:3:4:5:6:7",
        "1:2:3:4:5:6:7:8 ",
        "1::%1",
        "1::g",
        "",
    ] {
        assert_eq!(
            azure_service_tags::parse_ip(text.as_bytes()),
            text.parse::<IpAddr>().ok(),
            "{text:?}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn random_ipv4_agrees_with_a_linear_scan(a in any::<u32>()) {
        let data = oracle_data();
        let ip = IpAddr::V4(Ipv4Addr::from(a));
        prop_assert_eq!(ours(public(), ip), scan(data, ip));
    }

    #[test]
    fn random_ipv6_agrees_with_a_linear_scan(a in any::<u128>()) {
        let data = oracle_data();
        let ip = IpAddr::V6(Ipv6Addr::from(a));
        prop_assert_eq!(ours(public(), ip), scan(data, ip));
    }

    #[test]
    fn addresses_inside_azure_prefixes_agree_with_a_linear_scan(
        pick in any::<usize>(), offset in any::<u128>(), v6 in any::<bool>()
    ) {
        let data = oracle_data();
        let ip = inside(data, pick, offset, v6);
        let expected = scan(data, ip);
        prop_assert!(!expected.is_empty());
        prop_assert_eq!(ours(public(), ip), expected);
    }

    #[test]
    fn the_matched_prefix_is_the_longest_of_the_tag_that_contains_the_address(
        pick in any::<usize>(), offset in any::<u128>(), v6 in any::<bool>()
    ) {
        let data = oracle_data();
        let ip = inside(data, pick, offset, v6);
        for tag in public().tags_containing(ip) {
            let (_, prefixes) = &data[tag.index()];
            let longest = prefixes.iter().filter(|p| p.contains(&ip)).max_by_key(|p| p.prefix_len());
            let matched = tag.prefix_containing(ip);
            prop_assert_eq!(matched.as_ref(), longest, "{} at {}", tag.name(), ip);
        }
        prop_assert_eq!(public().tag(&data[pick % data.len()].0).unwrap().prefix_containing(ip).is_some(),
            data[pick % data.len()].1.iter().any(|p| p.contains(&ip)));
    }

    #[test]
    fn tag_matchers_agree_with_a_scan_of_their_tags(
        tags in proptest::collection::vec(any::<prop::sample::Index>(), 1..4), pick in any::<usize>(), offset in any::<u128>(),
        v6 in any::<bool>(), random in any::<u32>()
    ) {
        let data = oracle_data();
        let snap = public();
        let tags: Vec<usize> = tags.iter().map(|i| i.index(data.len())).collect();
        let chosen: Vec<_> = tags.iter().map(|&i| snap.tags().nth(i).unwrap()).collect();
        let matcher = azure_service_tags::TagMatcher::new(chosen.iter().copied());
        for ip in [inside(data, pick, offset, v6), IpAddr::V4(Ipv4Addr::from(random))] {
            let expected = tags.iter().any(|&i| data[i].1.iter().any(|p| p.contains(&ip)));
            prop_assert_eq!(matcher.contains(ip), expected, "{}", ip);
            // An IPv4-mapped IPv6 address answers as the IPv4 address it carries.
            let mapped = match ip {
                IpAddr::V4(v4) => IpAddr::V6(v4.to_ipv6_mapped()),
                v6 => v6,
            };
            prop_assert_eq!(matcher.contains(mapped), expected, "{}", mapped);
            for (&i, tag) in tags.iter().zip(&chosen) {
                let inside = data[i].1.iter().any(|p| p.contains(&ip));
                prop_assert_eq!(tag.contains(ip), inside, "{} contains {}", tag.name(), ip);
                prop_assert_eq!(tag.contains(mapped), inside, "{} contains {}", tag.name(), mapped);
            }
        }
    }

    /// A service's matcher answers as a scan does for the tags that count for the
    /// service (its global tag and the tags with a region), and as `service_match`.
    #[test]
    fn service_matchers_agree_with_a_scan_and_with_service_match(
        service in prop::sample::select(vec!["AzureMachineLearning", "Storage", "AzureCloud", "Sql", "azuremonitor"]),
        pick in any::<usize>(), offset in any::<u128>(), v6 in any::<bool>(), random in any::<u32>()
    ) {
        let data = oracle_data();
        let snap = public();
        let matcher = TagMatcher::for_service(snap, service);
        for ip in [inside(data, pick, offset, v6), IpAddr::V4(Ipv4Addr::from(random))] {
            let expected = data.iter().any(|(name, prefixes)| {
                let counts = name.eq_ignore_ascii_case(service)
                    || name.split_once('.').is_some_and(|(svc, _)| {
                        svc.eq_ignore_ascii_case(service)
                            && snap.tag(name).and_then(|t| t.region()).is_some()
                    });
                counts && prefixes.iter().any(|p| p.contains(&ip))
            });
            prop_assert_eq!(matcher.contains(ip), expected, "{} {}", service, ip);
            prop_assert_eq!(snap.service_match(ip, service).is_some(), expected, "{} {}", service, ip);
        }
    }

    /// `parse_ip` accepts exactly what `IpAddr`'s parser accepts.
    #[test]
    fn parse_ip_agrees_with_std(a in any::<u32>(), b in any::<u128>(), junk in "[0-9a-f.:%x ]{0,20}") {
        for text in [Ipv4Addr::from(a).to_string(), Ipv6Addr::from(b).to_string(), junk] {
            prop_assert_eq!(azure_service_tags::parse_ip(text.as_bytes()), text.parse::<IpAddr>().ok(), "{:?}", text);
        }
    }

    /// Near-IPv6 text (groups of zero to five hex digits, one to three colons between
    /// them, an address with one byte changed): `parse_ip`'s IPv6 path accepts exactly
    /// what `IpAddr`'s parser does.
    #[test]
    fn parse_ip_agrees_with_std_on_ipv6_shapes(
        groups in "(([0-9a-fA-F]{0,5}):{1,3}){0,9}[0-9a-fA-F]{0,5}",
        b in any::<u128>(),
        zeros in any::<u8>(),
        at in any::<usize>(),
        byte in prop::sample::select(b":0aF.g%".to_vec()),
        remove in any::<bool>(),
    ) {
        // Zero groups, so that `::` is common.
        let ip = (0..8).fold(b, |ip, g| if zeros >> g & 1 == 1 { ip & !(0xffff << (16 * g)) } else { ip });
        let mut edited = Ipv6Addr::from(ip).to_string().into_bytes();
        let at = at % (edited.len() + 1);
        if remove && at < edited.len() { edited.remove(at); } else { edited.insert(at, byte); }
        let edited = String::from_utf8(edited).unwrap();
        for text in [groups, Ipv6Addr::from(ip).to_string(), edited] {
            prop_assert_eq!(azure_service_tags::parse_ip(text.as_bytes()), text.parse::<IpAddr>().ok(), "{:?}", text);
        }
    }

    #[test]
    fn ipv4_mapped_ipv6_is_looked_up_as_ipv4(a in any::<u32>()) {
        let v4 = Ipv4Addr::from(a);
        let mapped = IpAddr::V6(v4.to_ipv6_mapped());
        prop_assert_eq!(ours(public(), mapped), ours(public(), IpAddr::V4(v4)));
    }
}
