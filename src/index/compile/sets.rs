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

/// Splits one address family into disjoint intervals, each with the interned set of
/// tags that cover it: [`sweep`] over the snapshot's prefixes. The result starts at
/// address 0 and covers the whole space (the last interval runs to the top).
pub(super) fn intervals(snap: &SnapshotFile, v6: bool, sets: &mut SetInterner) -> Vec<(u128, u32)> {
    let top = if v6 { u128::MAX } else { u128::from(u32::MAX) };
    let ranges = snap.tags.iter().enumerate().flat_map(|(i, tag)| {
        tag.prefixes
            .iter()
            .filter(move |p| p.is_v6() == v6)
            .map(move |p| {
                let (start, end) = p.range();
                (start, end.map_or(top, |end| end - 1), i as u16)
            })
    });
    let mut out = Vec::new();
    sweep(ranges, top, |first, _, tags| {
        out.push((first, sets.get(tags.to_vec())))
    });
    out
}

/// The one interval sweep, shared by the index and the index file (`index_file.rs`):
/// calls `each(first, last, tags)` for every maximal interval of `0..=top` over which
/// the set of tags whose inclusive `(first, last, tag)` ranges cover it stays the same,
/// in address order, the empty set included; `tags` is sorted and distinct (a tag's
/// overlapping or repeated ranges count once).
pub(crate) fn sweep(
    ranges: impl IntoIterator<Item = (u128, u128, u16)>,
    top: u128,
    mut each: impl FnMut(u128, u128, &[u16]),
) {
    // (address, tag, +1 at a range's start / -1 one past its end)
    let mut events: Vec<(u128, u16, i32)> = Vec::new();
    for (first, last, tag) in ranges {
        events.push((first, tag, 1));
        // A range that runs to the top closes nothing.
        if last < top {
            events.push((last + 1, tag, -1));
        }
    }
    events.sort_unstable();
    // Tag -> number of its ranges covering the current address.
    let mut active: BTreeMap<u16, i32> = BTreeMap::new();
    let (mut start, mut set): (u128, Vec<u16>) = (0, Vec::new());
    let mut k = 0;
    while k < events.len() {
        let point = events[k].0;
        while k < events.len() && events[k].0 == point {
            let (_, tag, delta) = events[k];
            let count = active.entry(tag).or_insert(0);
            *count += delta;
            if *count == 0 {
                active.remove(&tag);
            }
            k += 1;
        }
        if !active.keys().eq(set.iter()) {
            if point > start {
                each(start, point - 1, &set);
            }
            (start, set) = (point, active.keys().copied().collect());
        }
    }
    each(start, top, &set);
}

#[cfg(test)]
mod tests {
    use super::sweep;

    /// Overlapping, nested, repeated and touching ranges, and one to the top.
    #[test]
    fn the_sweep_cuts_at_every_change_of_the_set() {
        let ranges = [
            (2, 5, 0),
            (4, 9, 1),
            (4, 9, 1),
            (10, 12, 1),
            (20, 255, 2),
            (0, 0, 0),
        ];
        let mut got = Vec::new();
        sweep(ranges, 255, |a, b, tags| got.push((a, b, tags.to_vec())));
        let want: Vec<(u128, u128, Vec<u16>)> = vec![
            (0, 0, vec![0]),
            (1, 1, vec![]),
            (2, 3, vec![0]),
            (4, 5, vec![0, 1]),
            (6, 12, vec![1]),
            (13, 19, vec![]),
            (20, 255, vec![2]),
        ];
        assert_eq!(got, want);
    }
}
