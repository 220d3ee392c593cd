//! The index file (`azure_service_tags::index_file`) read back by a reader written here
//! from the format's documentation alone, and every answer compared with the crate's:
//! the provenance, the tags containing each interval's bounds and the addresses beside
//! them, each prefix's first and last address, 100,000 random addresses per family, and
//! `service_match` for the services found there and one that is not.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use azure_service_tags::{Cloud, Snapshot, index_file, snapshot_of};

/// What the file says, as a reader outside the crate would hold it.
struct Read {
    version: u16,
    header: (String, u64, String, String, String),
    /// Each tag's name, region, service and role (1 regional, 2 global, 0 neither).
    tags: Vec<(String, String, String, u8)>,
    sets: Vec<Vec<u32>>,
    v4: Vec<(u128, u128, u32)>,
    v6: Vec<(u128, u128, u32)>,
}

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn take(&mut self, n: usize) -> &[u8] {
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }
    fn n(&mut self, width: usize) -> u128 {
        self.take(width)
            .iter()
            .fold(0u128, |v, &b| v << 8 | u128::from(b))
    }
    fn text(&mut self) -> String {
        let len = self.n(2) as usize;
        String::from_utf8(self.take(len).to_vec()).expect("UTF-8")
    }
    fn intervals(&mut self, width: usize) -> Vec<(u128, u128, u32)> {
        (0..self.n(4))
            .map(|_| (self.n(width), self.n(width), self.n(4) as u32))
            .collect()
    }
}

/// CRC-32 bit by bit, as the format names it (IEEE, reflected, init and final xor !0).
fn crc32(bytes: &[u8]) -> u32 {
    let mut c = !0u32;
    for &b in bytes {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                (c >> 1) ^ 0xEDB8_8320
            } else {
                c >> 1
            };
        }
    }
    !c
}

fn read(file: &[u8]) -> Read {
    let (body, check) = file.split_at(file.len() - 4);
    assert_eq!(crc32(body).to_be_bytes(), check, "the check");
    let mut b = Bytes(body);
    assert_eq!(b.take(8), b"AZTAGIDX");
    let version = b.n(2) as u16;
    let header = (b.text(), b.n(8) as u64, b.text(), b.text(), b.text());
    let tags = (0..b.n(4))
        .map(|_| {
            let (name, region) = (b.text(), b.text());
            if version >= 2 {
                let service = b.text();
                (name, region, service, b.n(1) as u8)
            } else {
                // Format 1 has none: derived as the format's documentation says.
                let service = name.split('.').next().unwrap_or("").to_string();
                let role = if !region.is_empty() {
                    1
                } else {
                    u8::from(name == service) * 2
                };
                (name, region, service, role)
            }
        })
        .collect();
    let sets = (0..b.n(4))
        .map(|_| (0..b.n(2)).map(|_| b.n(4) as u32).collect())
        .collect();
    let v4 = b.intervals(4);
    let v6 = b.intervals(16);
    assert!(b.0.is_empty(), "bytes after the IPv6 intervals");
    Read {
        version,
        header,
        tags,
        sets,
        v4,
        v6,
    }
}

impl Read {
    fn set(&self, ip: IpAddr) -> &[u32] {
        let (list, key) = match ip {
            IpAddr::V4(a) => (&self.v4, u128::from(u32::from(a))),
            IpAddr::V6(a) => match a.to_ipv4_mapped() {
                Some(v4) => (&self.v4, u128::from(u32::from(v4))),
                None => (&self.v6, u128::from(a)),
            },
        };
        let i = list.partition_point(|&(first, _, _)| first <= key);
        match i.checked_sub(1).map(|i| list[i]) {
            Some((_, last, set)) if key <= last => &self.sets[set as usize],
            _ => &[],
        }
    }

    fn tags(&self, ip: IpAddr) -> Vec<&str> {
        self.set(ip)
            .iter()
            .map(|&t| self.tags[t as usize].0.as_str())
            .collect()
    }

    /// The documented rule: the service's tag of role 1 first, else of role 2.
    fn service_match(&self, ip: IpAddr, service: &str) -> Option<&str> {
        let set = self.set(ip);
        let of_role = |role: u8| {
            set.iter()
                .map(|&t| &self.tags[t as usize])
                .find(|(_, _, s, r)| *r == role && s.eq_ignore_ascii_case(service))
        };
        of_role(1).or_else(|| of_role(2)).map(|t| t.0.as_str())
    }
}

/// xorshift64*, seeded: the same addresses every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn v4(n: u128) -> IpAddr {
    IpAddr::V4(Ipv4Addr::from(n as u32))
}

fn v6(n: u128) -> IpAddr {
    IpAddr::V6(Ipv6Addr::from(n))
}

/// The addresses each answer is compared on.
fn probes(snap: &Snapshot, file: &Read) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for (list, make, max) in [
        (&file.v4, v4 as fn(u128) -> IpAddr, u128::from(u32::MAX)),
        (&file.v6, v6, u128::MAX),
    ] {
        for &(first, last, _) in list {
            out.extend([first, last].map(make));
            out.extend(first.checked_sub(1).map(make));
            out.extend(last.checked_add(1).filter(|&n| n <= max).map(make));
        }
    }
    for tag in snap.tags() {
        for p in tag.prefixes() {
            out.extend([p.network(), p.broadcast()]);
        }
    }
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    for _ in 0..100_000 {
        out.push(v4(u128::from(random.next() as u32)));
        let high = u128::from(random.next()) << 64 | u128::from(random.next());
        out.push(v6(high));
        // Inside Azure: a random address of a random IPv6 interval's /64.
        if !file.v6.is_empty() {
            let (first, _, _) = file.v6[random.next() as usize % file.v6.len()];
            out.push(v6(first | u128::from(random.next() & 0xFFFF)));
        }
    }
    out.push("::ffff:20.41.0.241".parse().unwrap());
    out
}

/// Every format version the crate writes reads back as the crate answers.
fn compare(snap: &Snapshot) {
    assert_eq!(
        index_file::to_bytes(snap),
        index_file::to_bytes_in(snap, index_file::FORMAT_VERSION).unwrap()
    );
    for version in 1..=index_file::FORMAT_VERSION {
        compare_version(snap, version);
    }
}

fn compare_version(snap: &Snapshot, version: u16) {
    let bytes = index_file::to_bytes_in(snap, version).unwrap();
    let file = read(&bytes);
    assert_eq!(file.version, version);
    let published = snap.published().map(|d| d.to_string()).unwrap_or_default();
    let source = snap.source();
    assert_eq!(
        file.header,
        (
            snap.cloud().as_str().to_string(),
            u64::from(snap.change_number()),
            source.file_name().to_string(),
            source.sha256().to_string(),
            published
        )
    );
    let names: Vec<(String, String)> = snap
        .tags()
        .map(|t| {
            (
                t.name().to_string(),
                t.region().map_or(String::new(), |r| r.name().to_string()),
            )
        })
        .collect();
    let read_names: Vec<(String, String)> = file
        .tags
        .iter()
        .map(|t| (t.0.clone(), t.1.clone()))
        .collect();
    assert_eq!(read_names, names);
    for list in [&file.v4, &file.v6] {
        for pair in list.windows(2) {
            assert!(pair[0].1 < pair[1].0, "sorted and disjoint: {pair:?}");
            let touching = pair[0].1 + 1 == pair[1].0;
            assert!(
                !(touching && pair[0].2 == pair[1].2),
                "adjacent with one set: {pair:?}"
            );
        }
    }
    for ip in probes(snap, &file) {
        let want: Vec<&str> = snap.tags_containing(ip).map(|t| t.name()).collect();
        assert_eq!(file.tags(ip), want, "{ip}");
        let services = want.iter().map(|n| n.split('.').next().unwrap_or(n));
        for service in services.chain(["NoSuchService"]) {
            let want = snap.service_match(ip, service).map(|m| m.tag().name());
            assert_eq!(file.service_match(ip, service), want, "{ip} {service}");
        }
    }
}

#[test]
fn every_compiled_snapshot_reads_back_as_the_crate_answers() {
    for cloud in [Cloud::Public, Cloud::AzureGovernment, Cloud::China] {
        if let Some(snap) = snapshot_of(cloud) {
            compare(snap);
        }
    }
}

#[cfg(feature = "json")]
#[test]
fn a_loaded_snapshot_reads_back_as_the_crate_answers() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ServiceTags_Public_20990105.json"
    );
    let snap = Snapshot::from_path(path).expect("the fixture loads");
    compare(&snap);
}

#[test]
fn a_changed_byte_fails_the_check() {
    let Some(snap) = snapshot_of(Cloud::Public) else {
        return;
    };
    let mut bytes = index_file::to_bytes(snap);
    let middle = bytes.len() / 2;
    bytes[middle] ^= 1;
    let (body, check) = bytes.split_at(bytes.len() - 4);
    assert_ne!(crc32(body).to_be_bytes(), check);
}
