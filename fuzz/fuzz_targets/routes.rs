//! Route derivation with arbitrary prefix sets and limits: lossless aggregation covers
//! exactly the input; summarization covers every input address, and everything else it
//! covers is reported as extra.
#![no_main]

use azure_service_tags::__private::{difference, summarize};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use libfuzzer_sys::fuzz_target;

/// Inclusive ranges covered, merged (IPv4 and IPv6 apart).
fn coverage(nets: &[IpNet]) -> Vec<(bool, u128, u128)> {
    let mut r: Vec<(bool, u128, u128)> = nets
        .iter()
        .map(|n| match n {
            IpNet::V4(n) => (false, u32::from(n.network()).into(), u32::from(n.broadcast()).into()),
            IpNet::V6(n) => (true, n.network().into(), n.broadcast().into()),
        })
        .collect();
    r.sort();
    let mut out: Vec<(bool, u128, u128)> = Vec::new();
    for x in r {
        match out.last_mut() {
            Some(l) if l.0 == x.0 && x.1 <= l.2.saturating_add(1) => l.2 = l.2.max(x.2),
            _ => out.push(x),
        }
    }
    out
}

fuzz_target!(|data: &[u8]| {
    let Some((&limit, rest)) = data.split_first() else { return };
    let mut nets = Vec::new();
    for chunk in rest.chunks_exact(6).take(200) {
        let addr = u32::from_be_bytes([chunk[0], chunk[1], chunk[2], chunk[3]]);
        let len = chunk[4];
        if chunk[5] & 1 == 0 {
            nets.push(IpNet::V4(Ipv4Net::new_assert(addr.into(), len % 33).trunc()));
        } else {
            let a = (u128::from(addr) << 96) | u128::from(chunk[5]);
            nets.push(IpNet::V6(Ipv6Net::new_assert(a.into(), len % 129).trunc()));
        }
    }
    let agg = IpNet::aggregate(&nets);
    assert_eq!(coverage(&agg), coverage(&nets), "aggregation is lossless");
    let sum = summarize(&nets, usize::from(limit));
    let extra = difference(&sum, &agg);
    let mut union = agg.clone();
    union.extend(extra.iter().copied());
    assert_eq!(coverage(&sum), coverage(&union), "summary = input + reported extra");
    for e in &extra {
        assert!(!agg.iter().any(|n| n.contains(e) || e.contains(n)), "extra {e} overlaps the input");
    }
});
