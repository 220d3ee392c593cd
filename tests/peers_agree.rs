//! The benchmark's peers (`tests/peers/`) answer every question as the crate does, on
//! random addresses and on the first and last address of every prefix: a benchmark that
//! times a peer giving other answers would compare nothing.

mod peers;

use std::net::{IpAddr, Ipv4Addr};

use azure_service_tags::{Snapshot, public};
use ipnet::IpNet;
use peers::{Q1Peer, Q1Peers, Q2Peer, Q2Peers, Quiet, all_prefixes};

/// Addresses to ask about: the bounds of every prefix and their neighbours, and random
/// IPv4 addresses (a fixed-seed xorshift).
fn addresses(snap: &Snapshot) -> Vec<IpAddr> {
    let mut out = Vec::new();
    for (p, _) in all_prefixes(snap) {
        let (first, last) = match p {
            IpNet::V4(n) => (
                u128::from(u32::from(n.network())),
                u128::from(u32::from(n.broadcast())),
            ),
            IpNet::V6(n) => (u128::from(n.network()), u128::from(n.broadcast())),
        };
        for a in [first.wrapping_sub(1), first, last, last.wrapping_add(1)] {
            out.push(match p {
                IpNet::V4(_) => IpAddr::V4(Ipv4Addr::from(a as u32)),
                IpNet::V6(_) => IpAddr::V6(a.into()),
            });
        }
    }
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..100_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(IpAddr::V4(Ipv4Addr::from(x as u32)));
    }
    out
}

fn agrees_q1<P: Q1Peer>(peer: &P, snap: &Snapshot, ips: &[IpAddr]) {
    for &ip in ips {
        let mut theirs = Vec::new();
        peer.visit(ip, &mut |v| theirs.extend_from_slice(v));
        theirs.sort_unstable();
        theirs.dedup();
        let ours: Vec<u16> = snap.tags_containing(ip).map(|t| t.index() as u16).collect();
        assert_eq!(theirs, ours, "{} on {ip}", P::NAME);
    }
}

fn agrees_q2<P: Q2Peer>(peer: &P, tag: azure_service_tags::Tag<'_>, ips: &[IpAddr]) {
    for &ip in ips {
        if let IpAddr::V4(a) = ip {
            assert_eq!(peer.contains(a), tag.contains(ip), "{} on {ip}", P::NAME);
        }
    }
}

#[test]
fn every_peer_answers_all_tags_as_the_crate() {
    let snap = public();
    let peers = Q1Peers::new(&all_prefixes(snap), &Quiet);
    let ips = addresses(snap);
    each_q1_peer!(peers, agrees_q1(snap, &ips));
}

#[test]
fn every_peer_answers_one_tag_as_the_crate() {
    let snap = public();
    let tag = snap
        .tag("AzureMachineLearning")
        .expect("the Public cloud has the tag");
    let peers = Q2Peers::new(tag, &Quiet);
    each_q2_peer!(peers, agrees_q2(tag, &addresses(snap)));
}
