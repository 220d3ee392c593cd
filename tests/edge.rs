//! Snapshots built at run time from small hand-written data with the awkward cases: the
//! whole address space, the last address, nested and duplicate prefixes, IPv6 listed
//! before IPv4, tags without prefixes. Checked against a linear scan.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use azure_service_tags::{IndexError, LoadError, NetworkFeatures, Snapshot};
use ipnet::IpNet;
use proptest::prelude::*;

const REGIONS: &str = "name\tdisplayName\tcode\tregionId\tgeography\tpaired\n\
    francecentral\tFrance Central\tcentralfrance\t19\tFrance\tfrancesouth\n\
    francesouth\tFrance South\tsouthfrance\t20\tFrance\tfrancecentral\n\
    westus3\tWest US 3\twestus3\t79\tUnited States\teastus\n\
    eastus\tEast US\teastus\t32\tUnited States\twestus\n\
    westus\tWest US\twestus\t37\tUnited States\teastus\n";

const TAGS: &str = "format 1\ncloud Public\nchangeNumber 5\nsource ServiceTags_Public_20240102.json\n\
    sha256 0000000000000000000000000000000000000000000000000000000000000000\npublished 2024-01-02\n\
    tag Everything id=Everything region= networkFeatures=[API,NSG,UDR,FW]\n0.0.0.0/0\n::/0\n\
    tag Top\n255.255.255.255/32\nffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128\n255.255.255.0/24\n\
    tag Mixed.FranceCentral region=centralfrance regionId=19 networkFeatures=null\n\
    2001:db8::/32\n10.0.0.0/8\n2001:db8:1::/48\n10.1.0.0/16\n10.1.0.0/16\n\
    tag Mixed.FranceSouth region=southfrance\n10.1.2.0/24\n\
    tag Nothing networkFeatures=[]\n\
    tag Zero\n0.0.0.0/32\n::/128\n";

fn snap() -> Snapshot {
    Snapshot::from_data(TAGS, REGIONS).unwrap()
}

fn scan(snap: &Snapshot, ip: IpAddr) -> Vec<usize> {
    snap.tags()
        .filter(|t| t.prefixes().any(|p: IpNet| p.contains(&ip)))
        .map(|t| t.index())
        .collect()
}

fn ours(snap: &Snapshot, ip: IpAddr) -> Vec<usize> {
    snap.tags_containing(ip).map(|t| t.index()).collect()
}

#[test]
fn awkward_prefixes_agree_with_a_scan() {
    let snap = snap();
    let mut probes: Vec<IpAddr> = Vec::new();
    for tag in snap.tags() {
        for p in tag.prefixes() {
            probes.push(p.network());
            probes.push(p.broadcast());
            match p {
                IpNet::V4(n) => {
                    let (a, b) = (u32::from(n.network()), u32::from(n.broadcast()));
                    probes.extend(a.checked_sub(1).map(|x| IpAddr::V4(Ipv4Addr::from(x))));
                    probes.extend(b.checked_add(1).map(|x| IpAddr::V4(Ipv4Addr::from(x))));
                }
                IpNet::V6(n) => {
                    let (a, b) = (u128::from(n.network()), u128::from(n.broadcast()));
                    probes.extend(a.checked_sub(1).map(|x| IpAddr::V6(Ipv6Addr::from(x))));
                    probes.extend(b.checked_add(1).map(|x| IpAddr::V6(Ipv6Addr::from(x))));
                }
            }
        }
    }
    assert!(probes.len() > 40);
    for ip in probes {
        assert_eq!(ours(&snap, ip), scan(&snap, ip), "{ip}");
    }
    let all = |s: &str| ours(&snap, s.parse().unwrap());
    assert_eq!(all("255.255.255.255"), [0, 1]);
    assert_eq!(all("0.0.0.0"), [0, 5]);
    assert_eq!(all("10.1.2.3"), [0, 2, 3]);
}

#[test]
fn published_order_survives_interleaving() {
    let snap = snap();
    let tag = snap.tag("mixed.francecentral").unwrap();
    let listed: Vec<String> = tag.prefixes().map(|p| p.to_string()).collect();
    assert_eq!(
        listed,
        [
            "2001:db8::/32",
            "10.0.0.0/8",
            "2001:db8:1::/48",
            "10.1.0.0/16",
            "10.1.0.0/16"
        ]
    );
    assert_eq!(tag.ipv4().len(), 3);
    assert_eq!(tag.ipv6().len(), 2);
    assert_eq!(tag.prefixes().len(), 5);
    assert_eq!(snap.tag("Nothing").unwrap().prefixes().len(), 0);
    assert_eq!(snap.tag("Zero").unwrap().prefixes().count(), 2);
}

#[test]
fn properties_absent_null_and_empty_stay_distinct() {
    let snap = snap();
    assert_eq!(
        snap.tag("Top").unwrap().network_features(),
        NetworkFeatures::Absent
    );
    assert_eq!(
        snap.tag("Mixed.FranceCentral").unwrap().network_features(),
        NetworkFeatures::Null
    );
    match snap.tag("Nothing").unwrap().network_features() {
        NetworkFeatures::List(l) => {
            assert!(l.is_empty());
            assert_eq!(l.iter().count(), 0)
        }
        other => panic!("{other:?}"),
    }
    let top = snap.tag("Top").unwrap();
    assert_eq!(
        (
            top.id(),
            top.region_code(),
            top.region_id(),
            top.change_number()
        ),
        (None, None, None, None)
    );
    assert_eq!(snap.published().unwrap().to_string(), "2024-01-02");
    let fr = snap.region("France Central").unwrap();
    assert_eq!(
        snap.regional_tag("Mixed", fr).unwrap().name(),
        "Mixed.FranceCentral"
    );
    assert_eq!(
        snap.regional_tag("Mixed", fr.paired().unwrap())
            .unwrap()
            .name(),
        "Mixed.FranceSouth"
    );
    assert_eq!(
        snap.region("westus3").unwrap().paired().unwrap().name(),
        "eastus"
    );
    assert_eq!(
        snap.region("eastus").unwrap().paired().unwrap().name(),
        "westus"
    );
}

#[test]
fn data_that_cannot_be_indexed_is_refused_with_the_culprit() {
    let unknown_region = TAGS.replace("region=southfrance", "region=atlantis");
    match Snapshot::from_data(&unknown_region, REGIONS) {
        Err(LoadError::Index(IndexError::UnknownRegionCode { tag, code })) => {
            assert_eq!(
                (tag.as_str(), code.as_str()),
                ("Mixed.FranceSouth", "atlantis")
            )
        }
        other => panic!("{other:?}"),
    }
    let bad_pair = REGIONS.replace("United States\teastus\n", "United States\tnowhere\n");
    match Snapshot::from_data(TAGS, &bad_pair) {
        Err(e @ LoadError::Index(IndexError::UnknownPairedRegion { .. })) => {
            assert!(e.to_string().contains("nowhere"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    let clash = REGIONS.replace("West US\twestus\t37", "East US\twestus\t37");
    match Snapshot::from_data(TAGS, &clash) {
        Err(e @ LoadError::Index(IndexError::SharedSpelling { .. })) => {
            assert!(e.to_string().contains("East US"), "{e}")
        }
        other => panic!("{other:?}"),
    }
    match Snapshot::from_data(&TAGS.replace("cloud Public", "cloud Mars"), REGIONS) {
        Err(e @ LoadError::DataFile(_)) => assert!(e.to_string().contains("Mars"), "{e}"),
        other => panic!("{other:?}"),
    }
    match Snapshot::from_data(&TAGS.replace("10.1.2.0/24", "10.1.2.1/24"), REGIONS) {
        Err(e @ LoadError::DataFile(_)) => {
            assert!(e.to_string().contains("service-tags.txt:"), "{e}")
        }
        other => panic!("{other:?}"),
    }
}

proptest! {
    #[test]
    fn random_addresses_agree_with_a_scan(a in any::<u32>(), b in any::<u128>(), near in 0u32..4096) {
        let snap = snap();
        for ip in [
            IpAddr::V4(Ipv4Addr::from(a)),
            IpAddr::V4(Ipv4Addr::from(0x0a01_0000u32.wrapping_add(near).wrapping_sub(2048))),
            IpAddr::V4(Ipv4Addr::from(u32::MAX - near)),
            IpAddr::V6(Ipv6Addr::from(b)),
            IpAddr::V6(Ipv6Addr::from((0x2001_0db8u128 << 96) + u128::from(near) - 2048)),
        ] {
            prop_assert_eq!(ours(&snap, ip), scan(&snap, ip), "{}", ip);
        }
    }
}

/// A snapshot of tags with random IPv6 prefixes clustered in a few /32s, with lengths
/// that reach each shape of the IPv6 index: runs of /48 blocks one set covers (short
/// ones with slots, long ones without), blocks cut into more intervals than a short
/// list holds, gaps between prefixes inside a present /16.
fn v6_snapshot(prefixes: &[(u8, u32, u128, u8)]) -> Snapshot {
    let mut text = TAGS.split("tag ").next().unwrap_or_default().to_string();
    for tag in 0..4u8 {
        text.push_str(&format!("tag Random{tag}\n"));
        for &(t, cluster, bits, len) in prefixes.iter().filter(|p| p.0 % 4 == tag) {
            let _ = t;
            let base = (0x2603_1000u128 + u128::from(cluster % 3) * 0x10) << 96;
            // A /16 of its own now and then, so some blocks sit far from the others.
            let base = if cluster % 7 == 0 {
                0x2a01_0111u128 << 96
            } else {
                base
            };
            let mask = u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0);
            let net = (base | (bits >> 32)) & mask;
            text.push_str(&format!("{}/{len}\n", Ipv6Addr::from(net)));
        }
    }
    Snapshot::from_data(&text, REGIONS).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn random_ipv6_layouts_agree_with_a_scan(
        prefixes in proptest::collection::vec(
            (any::<u8>(), any::<u32>(), any::<u128>(),
             prop_oneof![36u8..=48, 48u8..=64, 100u8..=128]),
            1..80,
        ),
        randoms in proptest::collection::vec(any::<u128>(), 16),
    ) {
        let snap = v6_snapshot(&prefixes);
        let mut probes: Vec<u128> = Vec::new();
        for tag in snap.tags() {
            for p in tag.prefixes() {
                if let IpNet::V6(n) = p {
                    let (a, b) = (u128::from(n.network()), u128::from(n.broadcast()));
                    probes.extend([a, b, a.wrapping_sub(1), b.wrapping_add(1)]);
                    // Inside, and in the /48 blocks around each end.
                    probes.extend(randoms.iter().map(|r| a + r % (b - a + 1)));
                    probes.extend([a.wrapping_sub(1 << 80), b.wrapping_add(1 << 80)]);
                }
            }
        }
        probes.extend(randoms.iter().map(|r| (0x2603_1000u128 << 96) | r >> 40));
        for ip in probes.into_iter().map(|a| IpAddr::V6(Ipv6Addr::from(a))) {
            prop_assert_eq!(ours(&snap, ip), scan(&snap, ip), "{}", ip);
        }
    }
}
