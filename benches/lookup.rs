//! Lookups against general prefix libraries fed the same prefixes, each in its best setup
//! for the question, in the same run.
//!
//! Inputs are deterministic (a fixed-seed xorshift; no RNG inside the timed loops), built
//! from the embedded Public snapshot, 1,048,576 addresses per mix (16 MiB and more: far
//! past the caches):
//! - mix (a): uniformly random IPv4 addresses (about 1% fall in some tag);
//! - mix (b): a random host inside an IPv4 prefix drawn uniformly over all (prefix, tag)
//!   pairs (all hits);
//! - mix (c): the same for IPv6.
//!
//! Q1 is "all tags containing the address" (every answer consumed: the tag indices are
//! summed). Longest-prefix-match structures (iptrie, poptrie, and prefix-trie and
//! ip_network_table in their second setup) store at each prefix the tags of that prefix
//! and of every prefix covering it ("pushed-down sets"), so one longest match answers.
//! prefix-trie and ip_network_table are also timed as they are, walking every covering
//! prefix. Q2 is "is the address inside `AzureMachineLearning`": the peers hold only that
//! tag's prefixes. Every peer's answers are checked against ours on every address before
//! anything is timed; memory (live heap bytes) and build time of each structure are
//! printed. Run with `cargo bench --bench lookup`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use azure_service_tags::{public, Snapshot};

/// Addresses per mix.
const N: usize = 1 << 20;

/// Live heap bytes, to measure what each structure holds.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size(), Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(new_size, Ordering::Relaxed);
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Builds a structure, printing its build time and the heap bytes it holds.
fn measured<T>(what: &str, build: impl FnOnce() -> T) -> T {
    let before = LIVE.load(Ordering::Relaxed);
    let start = Instant::now();
    let built = build();
    let took = start.elapsed();
    let bytes = LIVE.load(Ordering::Relaxed).saturating_sub(before);
    println!(
        "structure {what}: {:.1} MiB, built in {:.1} ms",
        bytes as f64 / (1 << 20) as f64,
        took.as_secs_f64() * 1e3
    );
    built
}

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

/// Every (prefix, tag) pair of the snapshot.
fn all_prefixes(snap: &Snapshot) -> Vec<(IpNet, u16)> {
    snap.tags()
        .flat_map(|t| t.prefixes().map(move |p| (p, t.index() as u16)))
        .collect()
}

fn mix_a(rng: &mut Rng) -> Vec<IpAddr> {
    (0..N)
        .map(|_| IpAddr::V4(Ipv4Addr::from(rng.next() as u32)))
        .collect()
}

/// A random host inside a prefix drawn uniformly over the (prefix, tag) pairs.
fn mix_inside(rng: &mut Rng, pairs: &[(IpNet, u16)], v6: bool) -> Vec<IpAddr> {
    let pool: Vec<IpNet> = pairs
        .iter()
        .map(|&(p, _)| p)
        .filter(|p| matches!(p, IpNet::V6(_)) == v6)
        .collect();
    (0..N)
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

/// How many of `ips` pass `f` (monomorphized: no indirect call in the timed loop).
fn count(ips: &[IpAddr], f: impl Fn(IpAddr) -> bool) -> usize {
    ips.iter().filter(|&&ip| f(black_box(ip))).count()
}

fn sum(tags: &[u16]) -> u64 {
    tags.iter().map(|&t| u64::from(t)).sum()
}

/// The peers for Q1.
struct Peers {
    cover4: prefix_trie::PrefixMap<Ipv4Net, Vec<u16>>,
    cover6: prefix_trie::PrefixMap<Ipv6Net, Vec<u16>>,
    lpm4: prefix_trie::PrefixMap<Ipv4Net, Box<[u16]>>,
    lpm6: prefix_trie::PrefixMap<Ipv6Net, Box<[u16]>>,
    table: ip_network_table::IpNetworkTable<Vec<u16>>,
    table_lpm: ip_network_table::IpNetworkTable<Box<[u16]>>,
    lc: iptrie::IpLCTrieMap<Box<[u16]>>,
    pop4: poptrie::Poptrie<(u32, u8), Box<[u16]>>,
    pop6: poptrie::Poptrie<(u128, u8), Box<[u16]>>,
    naive: Vec<(IpNet, u16)>,
}

fn network(p: IpNet) -> ip_network::IpNetwork {
    match p {
        IpNet::V4(n) => ip_network::Ipv4Network::new(n.network(), n.prefix_len())
            .map(Into::into)
            .unwrap(),
        IpNet::V6(n) => ip_network::Ipv6Network::new(n.network(), n.prefix_len())
            .map(Into::into)
            .unwrap(),
    }
}

impl Peers {
    fn new(pairs: &[(IpNet, u16)]) -> Peers {
        let own = by_prefix(pairs);
        let pushed = pushed_down(&own);
        let (cover4, cover6) = measured("prefix-trie (every covering prefix)", || {
            let mut v4 = prefix_trie::PrefixMap::new();
            let mut v6 = prefix_trie::PrefixMap::new();
            for (p, tags) in &own {
                match *p {
                    IpNet::V4(n) => v4.insert(n, tags.clone()),
                    IpNet::V6(n) => v6.insert(n, tags.clone()),
                };
            }
            (v4, v6)
        });
        let (lpm4, lpm6) = measured("prefix-trie (pushed-down sets)", || {
            let mut v4 = prefix_trie::PrefixMap::new();
            let mut v6 = prefix_trie::PrefixMap::new();
            for (p, tags) in &pushed {
                match *p {
                    IpNet::V4(n) => v4.insert(n, tags.clone()),
                    IpNet::V6(n) => v6.insert(n, tags.clone()),
                };
            }
            (v4, v6)
        });
        let table = measured("ip_network_table (every covering prefix)", || {
            let mut t = ip_network_table::IpNetworkTable::new();
            for (p, tags) in &own {
                t.insert(network(*p), tags.clone());
            }
            t
        });
        let table_lpm = measured("ip_network_table (pushed-down sets)", || {
            let mut t = ip_network_table::IpNetworkTable::new();
            for (p, tags) in &pushed {
                t.insert(network(*p), tags.clone());
            }
            t
        });
        let lc = measured("iptrie LC-trie (pushed-down sets)", || {
            let mut rt = iptrie::IpRTrieMap::with_roots(Box::from([]), Box::from([]));
            for (p, tags) in &pushed {
                rt.insert(*p, tags.clone());
            }
            rt.compress()
        });
        let (pop4, pop6) = measured("poptrie (pushed-down sets)", || {
            let v4: poptrie::Poptrie<(u32, u8), Box<[u16]>> = pushed
                .iter()
                .filter_map(|(p, tags)| match p {
                    IpNet::V4(n) => Some(((u32::from(n.network()), n.prefix_len()), tags.clone())),
                    IpNet::V6(_) => None,
                })
                .collect();
            let v6: poptrie::Poptrie<(u128, u8), Box<[u16]>> = pushed
                .iter()
                .filter_map(|(p, tags)| match p {
                    IpNet::V6(n) => Some(((u128::from(n.network()), n.prefix_len()), tags.clone())),
                    IpNet::V4(_) => None,
                })
                .collect();
            (v4, v6)
        });
        Peers {
            cover4,
            cover6,
            lpm4,
            lpm6,
            table,
            table_lpm,
            lc,
            pop4,
            pop6,
            naive: pairs.to_vec(),
        }
    }

    fn prefix_trie_cover(&self, ip: IpAddr, f: &mut impl FnMut(&[u16])) {
        match ip {
            IpAddr::V4(a) => self
                .cover4
                .cover(&Ipv4Net::new_assert(a, 32))
                .for_each(|(_, v)| f(v)),
            IpAddr::V6(a) => self
                .cover6
                .cover(&Ipv6Net::new_assert(a, 128))
                .for_each(|(_, v)| f(v)),
        }
    }

    fn prefix_trie_lpm(&self, ip: IpAddr) -> &[u16] {
        match ip {
            IpAddr::V4(a) => self
                .lpm4
                .get_lpm(&Ipv4Net::new_assert(a, 32))
                .map(|(_, v)| v),
            IpAddr::V6(a) => self
                .lpm6
                .get_lpm(&Ipv6Net::new_assert(a, 128))
                .map(|(_, v)| v),
        }
        .map_or(&[], |v| v)
    }

    fn table_cover(&self, ip: IpAddr, f: &mut impl FnMut(&[u16])) {
        match ip {
            IpAddr::V4(a) => self.table.matches_ipv4(a).for_each(|(_, v)| f(v)),
            IpAddr::V6(a) => self.table.matches_ipv6(a).for_each(|(_, v)| f(v)),
        }
    }

    fn table_lpm(&self, ip: IpAddr) -> &[u16] {
        match ip {
            IpAddr::V4(a) => self.table_lpm.longest_match_ipv4(a).map(|(_, v)| v),
            IpAddr::V6(a) => self.table_lpm.longest_match_ipv6(a).map(|(_, v)| v),
        }
        .map_or(&[], |v| v)
    }

    fn iptrie(&self, ip: IpAddr) -> &[u16] {
        self.lc.lookup(&host(ip)).1
    }

    fn poptrie(&self, ip: IpAddr) -> &[u16] {
        match ip {
            IpAddr::V4(a) => self.pop4.lookup(u32::from(a)),
            IpAddr::V6(a) => self.pop6.lookup(u128::from(a)),
        }
        .map_or(&[], |v| v)
    }
}

/// Our answer, as the sorted tag indices.
fn ours(snap: &Snapshot, ip: IpAddr) -> Vec<u16> {
    snap.tags_containing(ip).map(|t| t.index() as u16).collect()
}

fn sorted(mut v: Vec<u16>) -> Vec<u16> {
    v.sort_unstable();
    v.dedup();
    v
}

fn q1(c: &mut Criterion) {
    let snap = public();
    println!(
        "structure azure-service-tags: {:.1} MiB of static tables (the address index: {:.1} MiB), \
         compiled by build.rs",
        azure_service_tags::__private::table_bytes(snap) as f64 / (1 << 20) as f64,
        azure_service_tags::__private::index_bytes(snap) as f64 / (1 << 20) as f64,
    );
    let pairs = all_prefixes(snap);
    let peers = Peers::new(&pairs);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mixes = [
        ("a_random_v4", mix_a(&mut rng)),
        ("b_azure_v4", mix_inside(&mut rng, &pairs, false)),
        ("c_azure_v6", mix_inside(&mut rng, &pairs, true)),
    ];
    for (name, ips) in &mixes {
        for &ip in ips {
            let expected = ours(snap, ip);
            let mut cover = Vec::new();
            peers.prefix_trie_cover(ip, &mut |v| cover.extend_from_slice(v));
            assert_eq!(sorted(cover), expected, "prefix-trie cover on {ip}");
            let mut cover = Vec::new();
            peers.table_cover(ip, &mut |v| cover.extend_from_slice(v));
            assert_eq!(sorted(cover), expected, "ip_network_table on {ip}");
            assert_eq!(
                peers.prefix_trie_lpm(ip),
                expected,
                "prefix-trie lpm on {ip}"
            );
            assert_eq!(
                peers.table_lpm(ip),
                expected,
                "ip_network_table lpm on {ip}"
            );
            assert_eq!(peers.iptrie(ip), expected, "iptrie on {ip}");
            assert_eq!(peers.poptrie(ip), expected, "poptrie on {ip}");
        }
        for &ip in ips.iter().take(64) {
            let naive: Vec<u16> = peers
                .naive
                .iter()
                .filter(|(p, _)| p.contains(&ip))
                .map(|&(_, t)| t)
                .collect();
            assert_eq!(sorted(naive), ours(snap, ip), "naive scan on {ip}");
        }
        let mut g = c.benchmark_group(format!("q1_all_tags/{name}"));
        g.throughput(Throughput::Elements(ips.len() as u64));
        g.sample_size(10);
        g.warm_up_time(Duration::from_millis(500));
        g.measurement_time(Duration::from_secs(3));
        g.bench_function(BenchmarkId::from_parameter("azure-service-tags"), |b| {
            b.iter(|| {
                ips.iter()
                    .map(|&ip| {
                        snap.tags_containing(black_box(ip))
                            .map(|t| t.index() as u64)
                            .sum::<u64>()
                    })
                    .sum::<u64>()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("poptrie"), |b| {
            b.iter(|| {
                ips.iter()
                    .map(|&ip| sum(peers.poptrie(black_box(ip))))
                    .sum::<u64>()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("iptrie"), |b| {
            b.iter(|| {
                ips.iter()
                    .map(|&ip| sum(peers.iptrie(black_box(ip))))
                    .sum::<u64>()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("prefix-trie lpm"), |b| {
            b.iter(|| {
                ips.iter()
                    .map(|&ip| sum(peers.prefix_trie_lpm(black_box(ip))))
                    .sum::<u64>()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("prefix-trie cover"), |b| {
            b.iter(|| {
                let mut total = 0u64;
                for &ip in ips {
                    peers.prefix_trie_cover(black_box(ip), &mut |v| total += sum(v));
                }
                total
            })
        });
        g.bench_function(BenchmarkId::from_parameter("ip_network_table lpm"), |b| {
            b.iter(|| {
                ips.iter()
                    .map(|&ip| sum(peers.table_lpm(black_box(ip))))
                    .sum::<u64>()
            })
        });
        g.bench_function(BenchmarkId::from_parameter("ip_network_table cover"), |b| {
            b.iter(|| {
                let mut total = 0u64;
                for &ip in ips {
                    peers.table_cover(black_box(ip), &mut |v| total += sum(v));
                }
                total
            })
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
                    .map(|&ip| {
                        peers
                            .naive
                            .iter()
                            .filter(|(p, _)| p.contains(&black_box(ip)))
                            .map(|&(_, t)| u64::from(t))
                            .sum::<u64>()
                    })
                    .sum::<u64>()
            })
        });
        g.finish();
    }
}

fn q2(c: &mut Criterion) {
    let snap = public();
    let tag = snap.tag("AzureMachineLearning").unwrap();
    let aml: Vec<IpNet> = tag.prefixes().collect();
    let pairs = all_prefixes(snap);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    // Mix (b) for Q2: inside random Azure prefixes, so some hit the tag and most do not.
    let mixes = [
        ("a_random_v4", mix_a(&mut rng)),
        ("b_azure_v4", mix_inside(&mut rng, &pairs, false)),
    ];
    let v4: Vec<Ipv4Net> = aml
        .iter()
        .filter_map(|p| match p {
            IpNet::V4(n) => Some(*n),
            IpNet::V6(_) => None,
        })
        .collect();
    let trie = measured("Q2 prefix-trie", || {
        let mut t = prefix_trie::PrefixMap::<Ipv4Net, ()>::new();
        for n in &v4 {
            t.insert(*n, ());
        }
        t
    });
    let table = measured("Q2 ip_network_table", || {
        let mut t = ip_network_table::IpNetworkTable::new();
        for n in &v4 {
            t.insert(
                ip_network::Ipv4Network::new(n.network(), n.prefix_len()).unwrap(),
                (),
            );
        }
        t
    });
    let lc = measured("Q2 iptrie", || {
        let mut rt = iptrie::IpRTrieMap::with_roots(false, false);
        for p in &aml {
            rt.insert(*p, true);
        }
        rt.compress()
    });
    let pop = measured("Q2 poptrie", || {
        v4.iter()
            .map(|n| ((u32::from(n.network()), n.prefix_len()), ()))
            .collect::<poptrie::Poptrie<(u32, u8), ()>>()
    });
    let matcher = measured("Q2 TagMatcher", || tag.matcher());
    let v4_of = |ip: IpAddr| match ip {
        IpAddr::V4(a) => a,
        IpAddr::V6(_) => unreachable!(),
    };
    for (name, ips) in &mixes {
        let hits = ips.iter().filter(|&&ip| tag.contains(ip)).count();
        for &ip in ips {
            let expected = aml.iter().any(|p| p.contains(&ip));
            assert_eq!(tag.contains(ip), expected, "ours on {ip}");
            assert_eq!(matcher.contains(ip), expected, "our matcher on {ip}");
            let a = v4_of(ip);
            assert_eq!(
                trie.get_lpm(&Ipv4Net::new_assert(a, 32)).is_some(),
                expected,
                "prefix-trie on {ip}"
            );
            assert_eq!(
                table.longest_match_ipv4(a).is_some(),
                expected,
                "ip_network_table on {ip}"
            );
            assert_eq!(*lc.lookup(&host(ip)).1, expected, "iptrie on {ip}");
            assert_eq!(
                pop.lookup(u32::from(a)).is_some(),
                expected,
                "poptrie on {ip}"
            );
        }
        println!(
            "q2 {name}: {hits} of {} addresses are AzureMachineLearning's",
            ips.len()
        );
        let mut g = c.benchmark_group(format!("q2_in_tag/{name}"));
        g.throughput(Throughput::Elements(ips.len() as u64));
        g.sample_size(10);
        g.warm_up_time(Duration::from_millis(500));
        g.measurement_time(Duration::from_secs(3));
        g.bench_function(
            BenchmarkId::from_parameter("azure-service-tags TagMatcher"),
            |b| b.iter(|| count(ips, |ip| matcher.contains(ip))),
        );
        g.bench_function(
            BenchmarkId::from_parameter("azure-service-tags Tag::contains"),
            |b| b.iter(|| count(ips, |ip| tag.contains(ip))),
        );
        g.bench_function(BenchmarkId::from_parameter("poptrie"), |b| {
            b.iter(|| count(ips, |ip| pop.lookup(u32::from(v4_of(ip))).is_some()))
        });
        g.bench_function(BenchmarkId::from_parameter("iptrie"), |b| {
            b.iter(|| count(ips, |ip| *lc.lookup(&host(ip)).1))
        });
        g.bench_function(BenchmarkId::from_parameter("prefix-trie"), |b| {
            b.iter(|| {
                count(ips, |ip| {
                    trie.get_lpm(&Ipv4Net::new_assert(v4_of(ip), 32)).is_some()
                })
            })
        });
        g.bench_function(BenchmarkId::from_parameter("ip_network_table"), |b| {
            b.iter(|| count(ips, |ip| table.longest_match_ipv4(v4_of(ip)).is_some()))
        });
        g.finish();
    }
}

criterion_group!(benches, q1, q2);
criterion_main!(benches);
