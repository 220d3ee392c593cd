//! Lookups against general prefix libraries fed the same prefixes, in the same run.
//!
//! Inputs are deterministic (a fixed-seed xorshift; no RNG inside the timed loops), built
//! from the embedded Public snapshot:
//! - mix (a): uniformly random IPv4 addresses (about 1% fall in some tag);
//! - mix (b): IPv4 addresses inside random Azure IPv4 prefixes (all hits);
//! - mix (c): IPv6 addresses inside random Azure IPv6 prefixes.
//!
//! Q1 is "all tags containing the address" (the iterator consumed); Q2 is "is the
//! address inside `AzureMachineLearning`". Every peer's answers are checked against
//! ours before anything is timed. Run with `cargo bench --bench lookup`.

use std::collections::BTreeSet;
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use azure_service_tags::{public, Snapshot};

const BATCH: usize = 4096;

/// xorshift64*: deterministic, fast, good enough for picking addresses.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

fn all_prefixes(snap: &Snapshot) -> Vec<(IpNet, u16)> {
    snap.tags()
        .flat_map(|t| t.prefixes().map(move |p| (p, t.index() as u16)))
        .collect()
}

fn mix_a(rng: &mut Rng) -> Vec<IpAddr> {
    (0..BATCH)
        .map(|_| IpAddr::V4(Ipv4Addr::from(rng.next() as u32)))
        .collect()
}

fn mix_inside(rng: &mut Rng, prefixes: &[(IpNet, u16)], v6: bool) -> Vec<IpAddr> {
    let pool: Vec<IpNet> = prefixes
        .iter()
        .map(|&(p, _)| p)
        .filter(|p| matches!(p, IpNet::V6(_)) == v6)
        .collect();
    (0..BATCH)
        .map(|_| {
            let p = pool[(rng.next() % pool.len() as u64) as usize];
            let r = (u128::from(rng.next()) << 64) | u128::from(rng.next());
            match p {
                IpNet::V4(n) => IpAddr::V4(Ipv4Addr::from(
                    u32::from(n.network()) | (r as u32 & !u32::from(n.netmask())),
                )),
                IpNet::V6(n) => IpAddr::V6(Ipv6Addr::from(
                    u128::from(n.network()) | (r & !u128::from(n.netmask())),
                )),
            }
        })
        .collect()
}

fn host(ip: IpAddr) -> IpNet {
    match ip {
        IpAddr::V4(a) => IpNet::V4(Ipv4Net::new_assert(a, 32)),
        IpAddr::V6(a) => IpNet::V6(Ipv6Net::new_assert(a, 128)),
    }
}

/// The peers, each holding tag-index lists per distinct prefix.
struct Peers {
    trie4: prefix_trie::PrefixMap<Ipv4Net, Vec<u16>>,
    trie6: prefix_trie::PrefixMap<Ipv6Net, Vec<u16>>,
    table: ip_network_table::IpNetworkTable<Vec<u16>>,
    lc: iptrie::IpLCTrieMap<Vec<u16>>,
    naive: Vec<(IpNet, u16)>,
}

impl Peers {
    fn new(prefixes: &[(IpNet, u16)]) -> Peers {
        let mut trie4 = prefix_trie::PrefixMap::new();
        let mut trie6 = prefix_trie::PrefixMap::new();
        let mut table = ip_network_table::IpNetworkTable::new();
        let mut rt = iptrie::IpRTrieMap::with_roots(Vec::new(), Vec::new());
        for &(p, tag) in prefixes {
            let net: ip_network::IpNetwork = match p {
                IpNet::V4(n) => {
                    push(trie4.entry(n).or_default(), tag);
                    ip_network::Ipv4Network::new(n.network(), n.prefix_len())
                        .unwrap()
                        .into()
                }
                IpNet::V6(n) => {
                    push(trie6.entry(n).or_default(), tag);
                    ip_network::Ipv6Network::new(n.network(), n.prefix_len())
                        .unwrap()
                        .into()
                }
            };
            match table.exact_match_mut(net) {
                Some(v) => push(v, tag),
                None => {
                    table.insert(net, vec![tag]);
                }
            }
            match rt.get_mut(&p) {
                Some(v) if p.prefix_len() > 0 => push(v, tag),
                _ => {
                    rt.insert(p, vec![tag]);
                }
            }
        }
        Peers {
            trie4,
            trie6,
            table,
            lc: rt.compress(),
            naive: prefixes.to_vec(),
        }
    }

    fn prefix_trie(&self, ip: IpAddr) -> usize {
        match ip {
            IpAddr::V4(a) => self
                .trie4
                .cover(&Ipv4Net::new_assert(a, 32))
                .map(|(_, v)| v.len())
                .sum(),
            IpAddr::V6(a) => self
                .trie6
                .cover(&Ipv6Net::new_assert(a, 128))
                .map(|(_, v)| v.len())
                .sum(),
        }
    }

    fn prefix_trie_tags(&self, ip: IpAddr) -> BTreeSet<u16> {
        match ip {
            IpAddr::V4(a) => self
                .trie4
                .cover(&Ipv4Net::new_assert(a, 32))
                .flat_map(|(_, v)| v.iter().copied())
                .collect(),
            IpAddr::V6(a) => self
                .trie6
                .cover(&Ipv6Net::new_assert(a, 128))
                .flat_map(|(_, v)| v.iter().copied())
                .collect(),
        }
    }

    fn table(&self, ip: IpAddr) -> usize {
        match ip {
            IpAddr::V4(a) => self.table.matches_ipv4(a).map(|(_, v)| v.len()).sum(),
            IpAddr::V6(a) => self.table.matches_ipv6(a).map(|(_, v)| v.len()).sum(),
        }
    }

    fn table_tags(&self, ip: IpAddr) -> BTreeSet<u16> {
        self.table
            .matches(ip)
            .flat_map(|(_, v)| v.iter().copied())
            .collect()
    }

    /// An LC-trie answers longest-prefix matches; all covering prefixes are found by
    /// asking again for the supernet of each match, up to the root.
    fn lc_walk(&self, ip: IpAddr, mut f: impl FnMut(&[u16])) {
        let mut q = host(ip);
        loop {
            let (p, v) = self.lc.lookup(&q);
            f(v);
            match p.supernet() {
                Some(s) => q = s,
                None => break,
            }
        }
    }

    fn lc(&self, ip: IpAddr) -> usize {
        let mut n = 0;
        self.lc_walk(ip, |v| n += v.len());
        n
    }

    fn lc_tags(&self, ip: IpAddr) -> BTreeSet<u16> {
        let mut s = BTreeSet::new();
        self.lc_walk(ip, |v| s.extend(v.iter().copied()));
        s
    }

    fn naive(&self, ip: IpAddr) -> usize {
        self.naive.iter().filter(|(p, _)| p.contains(&ip)).count()
    }
}

fn push(v: &mut Vec<u16>, tag: u16) {
    if !v.contains(&tag) {
        v.push(tag);
    }
}

fn ours(snap: &Snapshot, ip: IpAddr) -> BTreeSet<u16> {
    snap.tags_containing(ip).map(|t| t.index() as u16).collect()
}

fn q1(c: &mut Criterion) {
    let snap = public();
    let prefixes = all_prefixes(snap);
    let peers = Peers::new(&prefixes);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mixes = [
        ("a_random_v4", mix_a(&mut rng)),
        ("b_azure_v4", mix_inside(&mut rng, &prefixes, false)),
        ("c_azure_v6", mix_inside(&mut rng, &prefixes, true)),
    ];
    for (name, ips) in &mixes {
        for &ip in ips {
            let expected = ours(snap, ip);
            assert_eq!(peers.prefix_trie_tags(ip), expected, "prefix-trie on {ip}");
            assert_eq!(peers.table_tags(ip), expected, "ip_network_table on {ip}");
            assert_eq!(peers.lc_tags(ip), expected, "iptrie on {ip}");
        }
        for &ip in ips.iter().take(64) {
            let naive: BTreeSet<u16> = peers
                .naive
                .iter()
                .filter(|(p, _)| p.contains(&ip))
                .map(|&(_, t)| t)
                .collect();
            assert_eq!(naive, ours(snap, ip), "naive scan on {ip}");
        }
        let mut g = c.benchmark_group(format!("q1_all_tags/{name}"));
        g.throughput(Throughput::Elements(ips.len() as u64));
        g.bench_function(BenchmarkId::from_parameter("azure-service-tags"), |b| {
            b.iter(|| {
                ips.iter()
                    .map(|&ip| {
                        snap.tags_containing(black_box(ip))
                            .map(|t| t.index())
                            .sum::<usize>()
                    })
                    .sum::<usize>()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("prefix-trie"), |b| {
            b.iter(|| {
                ips.iter()
                    .map(|&ip| peers.prefix_trie(black_box(ip)))
                    .sum::<usize>()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("ip_network_table"), |b| {
            b.iter(|| {
                ips.iter()
                    .map(|&ip| peers.table(black_box(ip)))
                    .sum::<usize>()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("iptrie"), |b| {
            b.iter(|| ips.iter().map(|&ip| peers.lc(black_box(ip))).sum::<usize>())
        });
        g.finish();
        // The naive scan, on a small sample: 64 addresses per iteration.
        let mut g = c.benchmark_group(format!("q1_all_tags_sample/{name}"));
        g.throughput(Throughput::Elements(64));
        g.sample_size(10);
        g.bench_function(BenchmarkId::from_parameter("naive-scan"), |b| {
            b.iter(|| {
                ips.iter()
                    .take(64)
                    .map(|&ip| peers.naive(black_box(ip)))
                    .sum::<usize>()
            })
        });
        g.finish();
    }
}

fn q2(c: &mut Criterion) {
    let snap = public();
    let tag = snap.tag("AzureMachineLearning").unwrap();
    let aml: Vec<(IpNet, u16)> = tag.prefixes().map(|p| (p, 0)).collect();
    let all = all_prefixes(snap);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    // Mix (b) for Q2: inside random Azure prefixes, so some hit the tag and most do not.
    let mixes = [
        ("a_random_v4", mix_a(&mut rng)),
        ("b_azure_v4", mix_inside(&mut rng, &all, false)),
    ];
    let mut trie = prefix_trie::PrefixMap::<Ipv4Net, ()>::new();
    let mut table = ip_network_table::IpNetworkTable::new();
    let mut rt = iptrie::IpRTrieMap::with_roots(false, false);
    for &(p, _) in &aml {
        if let IpNet::V4(n) = p {
            trie.insert(n, ());
            table.insert(
                ip_network::Ipv4Network::new(n.network(), n.prefix_len()).unwrap(),
                (),
            );
        }
        rt.insert(p, true);
    }
    let lc = rt.compress();
    let matcher = tag.matcher();
    let v4 = |ip: IpAddr| match ip {
        IpAddr::V4(a) => a,
        IpAddr::V6(_) => unreachable!(),
    };
    for (name, ips) in &mixes {
        let hits = ips.iter().filter(|&&ip| tag.contains(ip)).count();
        for &ip in ips {
            let expected = aml.iter().any(|(p, _)| p.contains(&ip));
            assert_eq!(tag.contains(ip), expected, "ours on {ip}");
            assert_eq!(matcher.contains(ip), expected, "our matcher on {ip}");
            assert_eq!(
                trie.get_lpm(&Ipv4Net::new_assert(v4(ip), 32)).is_some(),
                expected,
                "prefix-trie on {ip}"
            );
            assert_eq!(
                table.longest_match_ipv4(v4(ip)).is_some(),
                expected,
                "ip_network_table on {ip}"
            );
            assert_eq!(*lc.lookup(&host(ip)).1, expected, "iptrie on {ip}");
        }
        println!(
            "q2 {name}: {hits} of {} addresses are AzureMachineLearning's",
            ips.len()
        );
        let mut g = c.benchmark_group(format!("q2_in_tag/{name}"));
        g.throughput(Throughput::Elements(ips.len() as u64));
        g.bench_function(
            BenchmarkId::from_parameter("azure-service-tags TagMatcher"),
            |b| {
                b.iter(|| {
                    ips.iter()
                        .filter(|&&ip| matcher.contains(black_box(ip)))
                        .count()
                })
            },
        );
        g.bench_function(
            BenchmarkId::from_parameter("azure-service-tags Tag::contains"),
            |b| {
                b.iter(|| {
                    ips.iter()
                        .filter(|&&ip| tag.contains(black_box(ip)))
                        .count()
                })
            },
        );
        g.bench_function(BenchmarkId::from_parameter("prefix-trie"), |b| {
            b.iter(|| {
                ips.iter()
                    .filter(|&&ip| {
                        trie.get_lpm(&Ipv4Net::new_assert(v4(black_box(ip)), 32))
                            .is_some()
                    })
                    .count()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("ip_network_table"), |b| {
            b.iter(|| {
                ips.iter()
                    .filter(|&&ip| table.longest_match_ipv4(v4(black_box(ip))).is_some())
                    .count()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("iptrie"), |b| {
            b.iter(|| {
                ips.iter()
                    .filter(|&&ip| *lc.lookup(&host(black_box(ip))).1)
                    .count()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, q1, q2);
criterion_main!(benches);
