//! Aggregating prefixes into routes: lossy summarization under a limit, and what a
//! summary covers beyond the original prefixes.

use ipnet::IpNet;

/// Lossy: merges neighbouring prefixes (same family, in address order) into their
/// smallest common supernet, cheapest first (fewest addresses added), until at most
/// `limit` remain. Lossless aggregation runs after every merge.
pub fn summarize(nets: &[IpNet], limit: usize) -> Vec<IpNet> {
    let mut nets = IpNet::aggregate(&nets.to_vec());
    while nets.len() > limit.max(1) {
        let mut best: Option<(u128, usize, IpNet)> = None;
        for i in 0..nets.len() - 1 {
            let Some(sup) = supernet(nets[i], nets[i + 1]) else {
                continue;
            };
            let cost = size(sup)
                .saturating_sub(size(nets[i]))
                .saturating_sub(size(nets[i + 1]));
            if best.is_none_or(|(c, _, _)| cost < c) {
                best = Some((cost, i, sup));
            }
        }
        let Some((_, i, sup)) = best else { break };
        nets[i] = sup;
        nets.remove(i + 1);
        nets = IpNet::aggregate(&nets);
    }
    nets
}

fn size(net: IpNet) -> u128 {
    match net {
        IpNet::V4(n) => 1u128 << (32 - n.prefix_len()),
        IpNet::V6(n) => 1u128
            .checked_shl(128 - u32::from(n.prefix_len()))
            .unwrap_or(u128::MAX),
    }
}

/// The smallest prefix containing both (same family only).
fn supernet(a: IpNet, b: IpNet) -> Option<IpNet> {
    // Both networks as the high bits of a u128, and the family's width.
    let (x, y, bits) = match (a, b) {
        (IpNet::V4(x), IpNet::V4(y)) => (
            u128::from(u32::from(x.network())) << 96,
            u128::from(u32::from(y.network())) << 96,
            32,
        ),
        (IpNet::V6(x), IpNet::V6(y)) => (u128::from(x.network()), u128::from(y.network()), 128),
        _ => return None,
    };
    let common = (x ^ y).leading_zeros().min(bits) as u8;
    let len = common.min(a.prefix_len()).min(b.prefix_len());
    IpNet::new(a.network(), len).ok().map(|n| n.trunc())
}

/// The addresses of `wide` that `narrow` does not cover, as prefixes.
pub fn difference(wide: &[IpNet], narrow: &[IpNet]) -> Vec<IpNet> {
    let mut out = Vec::new();
    for &w in wide {
        let inside: Vec<IpNet> = narrow.iter().filter(|n| w.contains(*n)).copied().collect();
        subtract(w, &inside, &mut out);
    }
    IpNet::aggregate(&out)
}

fn subtract(w: IpNet, inside: &[IpNet], out: &mut Vec<IpNet>) {
    if inside.is_empty() {
        out.push(w);
        return;
    }
    if inside.iter().any(|n| n.contains(&w)) {
        return;
    }
    // Split in halves and recurse: `w` is not covered whole, so it is wider than a /32
    // or /128 and has halves.
    if let Ok(halves) = w.subnets(w.prefix_len() + 1) {
        for half in halves {
            let parts: Vec<IpNet> = inside
                .iter()
                .filter(|n| half.contains(*n) || n.contains(&half))
                .copied()
                .collect();
            subtract(half, &parts, out);
        }
    }
}
