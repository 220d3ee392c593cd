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
//! summed); Q2 is "is the address inside `AzureMachineLearning`". The peers and their
//! setups are in `tests/peers/`, shared with `tests/peers_agree.rs`, which checks them
//! against the crate; here every peer's answers are checked again on every address
//! before anything is timed, and the memory (live heap bytes) and build time of each
//! structure are printed. Run with `cargo bench --bench lookup`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{
    BenchmarkGroup, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main,
};
use ipnet::IpNet;

use azure_service_tags::{Snapshot, public};

#[path = "../tests/peers/mod.rs"]
mod peers;

use peers::{Build, Q1Peer, Q1Peers, Q2Peer, Q2Peers, all_prefixes};

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

/// Builds each peer's structure, printing its build time and the heap bytes it holds.
struct Measured;

impl Build for Measured {
    fn measured<T>(&self, what: &str, build: impl FnOnce() -> T) -> T {
        measured(what, build)
    }
}

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

/// How many of `ips` pass `f` (monomorphized: no indirect call in the timed loop).
fn count(ips: &[IpAddr], f: impl Fn(IpAddr) -> bool) -> usize {
    ips.iter().filter(|&&ip| f(black_box(ip))).count()
}

fn sum(tags: &[u16]) -> u64 {
    tags.iter().map(|&t| u64::from(t)).sum()
}

/// Our answer, as the sorted tag indices.
fn ours(snap: &Snapshot, ip: IpAddr) -> Vec<u16> {
    snap.tags_containing(ip).map(|t| t.index() as u16).collect()
}

/// The tag indices a Q1 peer gives for `ip`, sorted.
fn q1_answer(peer: &impl Q1Peer, ip: IpAddr) -> Vec<u16> {
    let mut tags = Vec::new();
    peer.visit(ip, &mut |v| tags.extend_from_slice(v));
    tags.sort_unstable();
    tags.dedup();
    tags
}

/// Addresses per call of `tags_containing_each`: a buffer that stays in L1.
const BATCH: usize = 1024;

/// Fails unless the batch lookup answers as one call per address on every address.
fn check_batch(snap: &Snapshot, ips: &[IpAddr]) {
    let mut out = vec![snap.no_tags(); BATCH];
    for chunk in ips.chunks(BATCH) {
        assert_eq!(snap.tags_containing_each(chunk, &mut out), chunk.len());
        for (&ip, answer) in chunk.iter().zip(&out) {
            let batch: Vec<usize> = answer.clone().map(|t| t.index()).collect();
            let one: Vec<usize> = snap.tags_containing(ip).map(|t| t.index()).collect();
            assert_eq!(batch, one, "tags_containing_each on {ip}");
        }
    }
}

/// Fails unless `peer` answers as the crate on every address.
fn check_q1<P: Q1Peer>(peer: &P, snap: &Snapshot, ips: &[IpAddr]) {
    for &ip in ips {
        assert_eq!(q1_answer(peer, ip), ours(snap, ip), "{} on {ip}", P::NAME);
    }
}

/// Times `peer` answering Q1 for every address, the tag indices summed.
fn bench_q1<P: Q1Peer>(peer: &P, g: &mut BenchmarkGroup<'_, WallTime>, ips: &[IpAddr]) {
    g.bench_function(BenchmarkId::from_parameter(P::NAME), |b| {
        b.iter(|| {
            let mut total = 0u64;
            for &ip in ips {
                peer.visit(black_box(ip), &mut |v| total += sum(v));
            }
            total
        })
    });
}

fn group<'a>(c: &'a mut Criterion, name: String, elements: usize) -> BenchmarkGroup<'a, WallTime> {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Elements(elements as u64));
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(3));
    g
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
    let peers = Q1Peers::new(&pairs, &Measured);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mixes = [
        ("a_random_v4", mix_a(&mut rng)),
        ("b_azure_v4", mix_inside(&mut rng, &pairs, false)),
        ("c_azure_v6", mix_inside(&mut rng, &pairs, true)),
    ];
    for (name, ips) in &mixes {
        each_q1_peer!(peers, check_q1(snap, ips));
        let sample = &ips[..64];
        for &ip in sample {
            let naive: Vec<u16> = pairs
                .iter()
                .filter(|(p, _)| p.contains(&ip))
                .map(|&(_, t)| t)
                .collect();
            let mut naive = naive;
            naive.sort_unstable();
            naive.dedup();
            assert_eq!(naive, ours(snap, ip), "naive scan on {ip}");
        }
        let mut g = group(c, format!("q1_all_tags/{name}"), ips.len());
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
        check_batch(snap, ips);
        g.bench_function(
            BenchmarkId::from_parameter("azure-service-tags tags_containing_each"),
            |b| {
                let mut out = vec![snap.no_tags(); BATCH];
                b.iter(|| {
                    let mut total = 0u64;
                    for chunk in ips.chunks(BATCH) {
                        let n = snap.tags_containing_each(black_box(chunk), &mut out);
                        for answer in &out[..n] {
                            total += answer.clone().map(|t| t.index() as u64).sum::<u64>();
                        }
                    }
                    total
                })
            },
        );
        each_q1_peer!(peers, bench_q1(&mut g, ips));
        g.finish();
        // The naive scan, on a small sample: 64 addresses per iteration.
        let mut g = c.benchmark_group(format!("q1_all_tags_sample/{name}"));
        g.throughput(Throughput::Elements(64));
        g.sample_size(10);
        g.bench_function(BenchmarkId::from_parameter("naive-scan"), |b| {
            b.iter(|| {
                sample
                    .iter()
                    .map(|&ip| {
                        pairs
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

fn v4_of(ip: IpAddr) -> Ipv4Addr {
    match ip {
        IpAddr::V4(a) => a,
        IpAddr::V6(_) => unreachable!("the Q2 mixes are IPv4"),
    }
}

/// Fails unless `peer` answers Q2 as `expected` says on every address.
fn check_q2<P: Q2Peer>(peer: &P, ips: &[IpAddr], expected: &[bool]) {
    for (&ip, &want) in ips.iter().zip(expected) {
        assert_eq!(peer.contains(v4_of(ip)), want, "{} on {ip}", P::NAME);
    }
}

/// Times `peer` answering Q2 for every address.
fn bench_q2<P: Q2Peer>(peer: &P, g: &mut BenchmarkGroup<'_, WallTime>, ips: &[IpAddr]) {
    g.bench_function(BenchmarkId::from_parameter(P::NAME), |b| {
        b.iter(|| count(ips, |ip| peer.contains(v4_of(ip))))
    });
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
    let peers = Q2Peers::new(tag, &Measured);
    let matcher = measured("Q2 TagMatcher", || tag.matcher());
    for (name, ips) in &mixes {
        let expected: Vec<bool> = ips
            .iter()
            .map(|ip| aml.iter().any(|p| p.contains(ip)))
            .collect();
        for (&ip, &want) in ips.iter().zip(&expected) {
            assert_eq!(tag.contains(ip), want, "ours on {ip}");
            assert_eq!(matcher.contains(ip), want, "our matcher on {ip}");
        }
        each_q2_peer!(peers, check_q2(ips, &expected));
        let hits = expected.iter().filter(|&&hit| hit).count();
        println!(
            "q2 {name}: {hits} of {} addresses are AzureMachineLearning's",
            ips.len()
        );
        let mut g = group(c, format!("q2_in_tag/{name}"), ips.len());
        g.bench_function(
            BenchmarkId::from_parameter("azure-service-tags TagMatcher"),
            |b| b.iter(|| count(ips, |ip| matcher.contains(ip))),
        );
        g.bench_function(
            BenchmarkId::from_parameter("azure-service-tags Tag::contains"),
            |b| b.iter(|| count(ips, |ip| tag.contains(ip))),
        );
        each_q2_peer!(peers, bench_q2(&mut g, ips));
        g.finish();
    }
}

/// Steps of each pointer chase.
const CHASE_STEPS: usize = 1 << 20;

/// The machine's latency of one dependent read from a working set of each size: a
/// chase through one random cycle over the set's cache lines (each line holds the index
/// of the next), so every read waits for the one before and no prefetcher can guess
/// the next line. The lookups' costs above read in these units: about 1-2 ns a read
/// that stays in L1, the L2 figure for each read of the /24 level and the lists.
fn latency(c: &mut Criterion) {
    const LINE: usize = 64 / std::mem::size_of::<u64>();
    let mut g = c.benchmark_group("latency");
    g.throughput(Throughput::Elements(CHASE_STEPS as u64));
    g.sample_size(10);
    g.warm_up_time(Duration::from_millis(500));
    g.measurement_time(Duration::from_secs(2));
    for kib in [16usize, 256, 1024, 2048, 8192, 65536] {
        let lines = kib * 1024 / 64;
        // Sattolo's shuffle: one cycle through every line.
        let mut order: Vec<usize> = (0..lines).collect();
        let mut rng = Rng(0x2545_f491_4f6c_dd1d ^ kib as u64);
        for i in (1..lines).rev() {
            order.swap(i, (rng.next() % i as u64) as usize);
        }
        let mut next = vec![0u64; lines * LINE];
        for (i, &line) in order.iter().enumerate() {
            next[line * LINE] = (order[(i + 1) % lines] * LINE) as u64;
        }
        g.bench_function(BenchmarkId::new("chase", format!("{kib}KiB")), |b| {
            b.iter(|| {
                let mut at = 0usize;
                for _ in 0..CHASE_STEPS {
                    at = next[at] as usize;
                }
                at
            })
        });
    }
    g.finish();
}

criterion_group!(benches, latency, q1, q2);
criterion_main!(benches);
