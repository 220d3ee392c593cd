//! The address space of one family cut into disjoint intervals, each with the interned
//! set of tags that cover it.

use std::collections::{BTreeMap, HashMap};

use crate::datafile::SnapshotFile;

/// Interned sorted sets of tag indices; set 0 is the empty set.
#[derive(Default)]
pub(super) struct SetInterner {
    index: HashMap<Vec<u16>, u32>,
    ends: Vec<u32>,
    tags: Vec<u16>,
}

impl SetInterner {
    fn get(&mut self, set: Vec<u16>) -> u32 {
        if self.ends.is_empty() {
            // Set 0 is the empty set.
            self.ends.push(0);
            self.index.insert(Vec::new(), 0);
        }
        if let Some(&i) = self.index.get(&set) {
            return i;
        }
        let i = self.ends.len() as u32;
        self.tags.extend_from_slice(&set);
        self.ends.push(self.tags.len() as u32);
        self.index.insert(set, i);
        i
    }

    /// The `set_end` and `set_tags` columns.
    pub(super) fn into_columns(self) -> (Vec<u32>, Vec<u16>) {
        (self.ends, self.tags)
    }
}

/// Splits one address family into disjoint intervals, each with the sorted set of tags
/// that cover it; adjacent intervals with the same set are merged. The result starts at
/// address 0 and covers the whole space (the last interval runs to the top).
pub(super) fn intervals(snap: &SnapshotFile, v6: bool, sets: &mut SetInterner) -> Vec<(u128, u32)> {
    // (address, tag, +1 at a prefix's start / -1 one past its end)
    let mut events: Vec<(u128, u16, i32)> = Vec::new();
    for (i, tag) in snap.tags.iter().enumerate() {
        for p in tag.prefixes.iter().filter(|p| p.is_v6() == v6) {
            let (start, end) = p.range();
            events.push((start, i as u16, 1));
            // An end at the top of the address space closes nothing.
            match end {
                Some(end) if v6 || end < 1 << 32 => events.push((end, i as u16, -1)),
                _ => {}
            }
        }
    }
    events.sort_unstable();
    let mut out: Vec<(u128, u32)> = vec![(0, sets.get(Vec::new()))];
    // Tag -> number of its prefixes covering the current address (duplicates count).
    let mut active: BTreeMap<u16, i32> = BTreeMap::new();
    let mut k = 0;
    while k < events.len() {
        let addr = events[k].0;
        while k < events.len() && events[k].0 == addr {
            let (_, tag, delta) = events[k];
            let count = active.entry(tag).or_insert(0);
            *count += delta;
            if *count == 0 {
                active.remove(&tag);
            }
            k += 1;
        }
        let set = sets.get(active.keys().copied().collect());
        match out.last_mut() {
            Some(last) if last.0 == addr => last.1 = set,
            Some(last) if last.1 == set => {}
            _ => out.push((addr, set)),
        }
    }
    // A first interval overwritten at address 0 may now equal nothing before it; merge
    // any neighbours the in-place update made equal.
    out.dedup_by(|b, a| a.1 == b.1);
    out
}
