//! The index's invariants, checked on every table set `build` compiles (at build time
//! for the embedded snapshots, at load time for the rest): the IPv4 levels point where
//! they should and the bitmap's ranks count its bits; the IPv6 intervals start at 0,
//! are sorted, never repeat a set twice in a row, and each is in the slot of its /64
//! block; every set is sorted and names real tags; every tag's runs count its prefixes.

use super::layout::{
    block_base, block_is_mixed, block_mixed, detail_count, detail_octet, slash24_is_list,
    slash24_value, v6_key48_of64, v6_slot48_key, v6_slot48_keys, v6_slot64_key, v6_slot64_starts,
};
use super::{TagRow, V4_BLOCK_WORDS, V6_PRESENT_WORDS, View};

/// Fails with `what` unless `holds`.
macro_rules! ensure {
    ($holds:expr, $($what:tt)+) => {
        if !$holds {
            return Err(format!($($what)+));
        }
    };
}

/// The first invariant that `t` breaks, in words, or `Ok`.
pub fn check(t: View<'_>) -> Result<(), String> {
    check_v4(t)?;
    check_v6(t)?;
    check_sets_and_tags(t)
}

fn check_v4(t: View<'_>) -> Result<(), String> {
    ensure!(
        t.v4_blocks.len() == V4_BLOCK_WORDS,
        "the IPv4 bitmap's length"
    );
    let present: u32 = t.v4_blocks.iter().map(|w| w.count_ones()).sum();
    ensure!(
        present as usize == t.v4_l16.len(),
        "one level-2 entry per /16 block"
    );
    let mut seen = 0u32;
    for (w, &rank) in t.v4_blocks.iter().zip(t.v4_ranks) {
        ensure!(u32::from(rank) == seen, "the rank of bitmap word {w}");
        seen += w.count_ones();
    }
    ensure!(
        t.v4_l24.len().is_multiple_of(256),
        "256 level-3 entries per mixed block"
    );
    let mixed = t.v4_l16.iter().filter(|&&e| block_is_mixed(e));
    for (i, (base, m)) in mixed.map(|&e| (block_base(e), block_mixed(e))).enumerate() {
        ensure!(m == i, "mixed block {i} is numbered {m}");
        let entries = t.v4_l24.get(m * 256..m * 256 + 256).unwrap_or_default();
        for &e in entries.iter().filter(|&&e| slash24_is_list(e)) {
            let start = base + slash24_value(e) as usize;
            let count = t.v4_detail.get(start).map_or(0, |&d| detail_count(d));
            let list = t.v4_detail.get(start..start + count).unwrap_or_default();
            let octets: Vec<u32> = list.iter().map(|&d| detail_octet(d)).collect();
            ensure!(count >= 2 && list.len() == count, "the list at {start}");
            ensure!(octets[0] == 0, "the list at {start} starts at octet 0");
            ensure!(
                octets.is_sorted_by(|a, b| a < b),
                "the list at {start} is sorted"
            );
        }
    }
    Ok(())
}

fn check_v6(t: View<'_>) -> Result<(), String> {
    ensure!(
        t.v6_present.len() == V6_PRESENT_WORDS,
        "the IPv6 bitmap's length"
    );
    ensure!(
        t.v6_keys.is_sorted_by(|a, b| a < b),
        "the /64 keys are sorted"
    );
    let first = (t.v6_keys.first(), t.v6_low.first());
    ensure!(
        first == (Some(&0), Some(&0)),
        "the IPv6 intervals start at ::"
    );
    ensure!(
        t.v6_tail.len() == t.v6_keys.len(),
        "one tail set per /64 key"
    );
    ensure!(
        t.v6_set.windows(2).all(|w| w[0] != w[1]),
        "no set twice in a row"
    );
    ensure!(
        t.v6_low.len() == t.v6_set.len(),
        "one set per IPv6 interval"
    );
    let mut starts = 0;
    for slot in used(t.v6_slots64)? {
        let key = v6_slot64_key(slot).ok_or("a used /64 slot without a key")?;
        let (first, count) = v6_slot64_starts(slot);
        let low = t.v6_low.get(first..first + count).unwrap_or_default();
        ensure!(
            count >= 1 && low.len() == count,
            "the starts of /64 block {key:#x}"
        );
        ensure!(
            low.is_sorted_by(|a, b| a < b),
            "/64 block {key:#x}'s starts are sorted"
        );
        ensure!(
            t.v6_keys.binary_search(&key).is_ok(),
            "/64 block {key:#x} is a key"
        );
        starts += count;
    }
    ensure!(
        starts == t.v6_low.len(),
        "every start is in its block's slot"
    );
    for slot in used(t.v6_slots48)? {
        let key = v6_slot48_key(slot).ok_or("a used /48 slot without a key")?;
        let (first, count) = v6_slot48_keys(slot);
        let keys = t.v6_keys.get(first..first + count).unwrap_or_default();
        ensure!(keys.len() == count, "the keys of /48 block {key:#x}");
        ensure!(
            keys.iter().all(|&k| v6_key48_of64(k) == key),
            "/48 block {key:#x}'s keys"
        );
    }
    Ok(())
}

/// The used slots of a hash table, which is a power of two long and at most 3/4 full.
fn used(slots: &[u128]) -> Result<Vec<u128>, String> {
    let used: Vec<u128> = slots.iter().copied().filter(|&s| s != 0).collect();
    ensure!(slots.len().is_power_of_two(), "a hash table's length");
    ensure!(4 * used.len() <= 3 * slots.len(), "a hash table's load");
    Ok(used)
}

fn check_sets_and_tags(t: View<'_>) -> Result<(), String> {
    ensure!(t.set_end.first() == Some(&0), "set 0 is empty");
    ensure!(
        t.set_end.is_sorted_by(|a, b| a < b),
        "the sets' ends ascend"
    );
    for (s, w) in t.set_end.windows(2).enumerate() {
        let set = t
            .set_tags
            .get(w[0] as usize..w[1] as usize)
            .unwrap_or_default();
        ensure!(set.is_sorted_by(|a, b| a < b), "set {} is sorted", s + 1);
        ensure!(
            set.iter().all(|&i| usize::from(i) < t.tags.len()),
            "set {}'s tags",
            s + 1
        );
    }
    for (i, tag) in t
        .tags
        .iter()
        .map(|&row| TagRow::from_array(row))
        .enumerate()
    {
        ensure!(
            tag.v4_start <= tag.v4_end && tag.v6_start <= tag.v6_end,
            "tag {i}'s prefixes"
        );
        let runs = t.runs.get(tag.runs_start as usize..tag.runs_end as usize);
        let runs: u32 = runs.unwrap_or_default().iter().sum();
        let prefixes = tag.v4_end - tag.v4_start + tag.v6_end - tag.v6_start;
        ensure!(runs == prefixes, "tag {i}'s runs count its prefixes");
    }
    Ok(())
}
