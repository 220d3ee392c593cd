//! The address index as a file for readers outside Rust (the Spark jar's Java reader):
//! every address range with the same tags as one interval, each interval's tag set, the
//! tags' names and regions, and the snapshot's provenance. Version 1 of the format, all
//! integers big-endian, every string a `u16` byte length and UTF-8:
//!
//! | field | type |
//! | --- | --- |
//! | magic | the 8 bytes `AZTAGIDX` |
//! | format version | `u16`, [`FORMAT_VERSION`] |
//! | cloud (its official name: `Public`, `AzureGovernment`, `China`), changeNumber, source file, its SHA-256, published | string, `u64`, string, string (64 hex digits), string (`YYYY-MM-DD`, or empty) |
//! | tags | `u32` count, then each tag's name and region (ARM name, empty for none), in published order |
//! | tag sets | `u32` count, then each set: `u16` count and that many `u32` tag numbers, ascending |
//! | IPv4 intervals | `u32` count, then each: first and last address (`u32`), set number (`u32`) |
//! | IPv6 intervals | `u32` count, then each: first and last address (`u128` as two `u64`, high first), set number (`u32`) |
//! | check | `u32`, the CRC-32 (IEEE) of every byte before it |
//!
//! The intervals of a family are sorted, disjoint and never adjacent with the same set;
//! an address in no interval is in no tag. A tag's service is its name up to the first
//! `.`; the tags that answer for a service are its regional tags (those with a region)
//! and its global tag (named as the service), the rule of [`Snapshot::service_match`].
//!
//! ```
//! let bytes = azure_service_tags::index_file::to_bytes(azure_service_tags::public());
//! assert_eq!(&bytes[..8], b"AZTAGIDX");
//! ```

use std::collections::{BTreeSet, HashMap};
use std::fs;
use std::io::Write;
use std::path::Path;

use crate::datafile::FileError;
use crate::snapshot::Snapshot;

/// The version of the format this crate writes.
///
/// ```
/// assert_eq!(azure_service_tags::index_file::FORMAT_VERSION, 1);
/// ```
pub const FORMAT_VERSION: u16 = 1;

/// The file's first bytes.
///
/// ```
/// assert_eq!(azure_service_tags::index_file::MAGIC, *b"AZTAGIDX");
/// ```
pub const MAGIC: [u8; 8] = *b"AZTAGIDX";

/// The index file of `snap`, whole.
///
/// ```
/// let snap = azure_service_tags::public();
/// let bytes = azure_service_tags::index_file::to_bytes(snap);
/// assert_eq!(bytes[8..10], azure_service_tags::index_file::FORMAT_VERSION.to_be_bytes());
/// ```
pub fn to_bytes(snap: &Snapshot) -> Vec<u8> {
    let mut out = Out(Vec::with_capacity(1 << 20));
    header(&mut out, snap);
    out.u32(count(snap.tags().len()));
    for tag in snap.tags() {
        out.text(tag.name());
        out.text(tag.region().map_or("", |r| r.name()));
    }
    let mut sets = Sets::default();
    let v4 = intervals(&mut sets, ranges(snap, Family::V4));
    let v6 = intervals(&mut sets, ranges(snap, Family::V6));
    out.u32(count(sets.list.len()));
    for set in &sets.list {
        out.u16(u16::try_from(set.len()).unwrap_or(u16::MAX));
        set.iter().for_each(|&t| out.u32(t));
    }
    out.u32(count(v4.len()));
    for &(first, last, set) in &v4 {
        // An IPv4 interval's bounds are below 2^32.
        out.u32(u32::try_from(first).unwrap_or(u32::MAX));
        out.u32(u32::try_from(last).unwrap_or(u32::MAX));
        out.u32(set);
    }
    out.u32(count(v6.len()));
    for &(first, last, set) in &v6 {
        out.0.extend_from_slice(&first.to_be_bytes());
        out.0.extend_from_slice(&last.to_be_bytes());
        out.u32(set);
    }
    let check = crc32(&out.0);
    out.u32(check);
    out.0
}

/// Writes the index file of `snap` to `path`, atomically: the bytes go to a new file
/// beside it, which then replaces `path`, so a reader sees the old file or the new one,
/// never part of one.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("aztags-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("public.aztagidx");
/// azure_service_tags::index_file::write(azure_service_tags::public(), &path).unwrap();
/// assert_eq!(std::fs::read(&path).unwrap()[..8], *b"AZTAGIDX");
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn write(snap: &Snapshot, path: &Path) -> Result<(), FileError> {
    let bytes = to_bytes(snap);
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = fs::File::create(&temp)
        .and_then(|mut f| f.write_all(&bytes).and_then(|()| f.sync_all()))
        .map_err(FileError::of(&temp))
        .and_then(|()| fs::rename(&temp, path).map_err(FileError::of(path)));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// The provenance fields.
fn header(out: &mut Out, snap: &Snapshot) {
    out.0.extend_from_slice(&MAGIC);
    out.u16(FORMAT_VERSION);
    out.text(snap.cloud().as_str());
    out.0
        .extend_from_slice(&u64::from(snap.change_number()).to_be_bytes());
    out.text(snap.source().file_name());
    out.text(snap.source().sha256());
    out.text(&snap.published().map(|d| d.to_string()).unwrap_or_default());
}

/// A count as the format stores it (the largest snapshot has a few hundred thousand of
/// anything).
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The bytes written so far.
struct Out(Vec<u8>);

impl Out {
    fn u16(&mut self, v: u16) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }

    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_be_bytes());
    }

    /// A string of at most 65,535 bytes (names and file names are far shorter).
    fn text(&mut self, s: &str) {
        let bytes = &s.as_bytes()[..s.len().min(usize::from(u16::MAX))];
        self.u16(u16::try_from(bytes.len()).unwrap_or(u16::MAX));
        self.0.extend_from_slice(bytes);
    }
}

#[derive(Clone, Copy)]
enum Family {
    V4,
    V6,
}

/// Every prefix of one family as (first, last, tag number).
fn ranges(snap: &Snapshot, family: Family) -> Vec<(u128, u128, u32)> {
    let mut out = Vec::new();
    for tag in snap.tags() {
        let number = count(tag.index());
        match family {
            Family::V4 => out.extend(tag.ipv4().map(|p| {
                (
                    u128::from(u32::from(p.network())),
                    u128::from(u32::from(p.broadcast())),
                    number,
                )
            })),
            Family::V6 => out.extend(
                tag.ipv6()
                    .map(|p| (u128::from(p.network()), u128::from(p.broadcast()), number)),
            ),
        }
    }
    out
}

/// The distinct tag sets, numbered in the order first seen.
#[derive(Default)]
struct Sets {
    list: Vec<Vec<u32>>,
    numbers: HashMap<Vec<u32>, u32>,
}

impl Sets {
    fn number(&mut self, set: Vec<u32>) -> u32 {
        if let Some(&n) = self.numbers.get(&set) {
            return n;
        }
        let n = count(self.list.len());
        self.list.push(set.clone());
        self.numbers.insert(set, n);
        n
    }
}

/// The disjoint intervals that `prefixes` cover, each with the number of its tag set:
/// a sweep over the points where a prefix starts or ends.
fn intervals(sets: &mut Sets, prefixes: Vec<(u128, u128, u32)>) -> Vec<(u128, u128, u32)> {
    // (point, tag, +1 at a start, -1 after an end)
    let mut events: Vec<(u128, u32, i32)> = Vec::with_capacity(prefixes.len() * 2);
    for (first, last, tag) in prefixes {
        events.push((first, tag, 1));
        if let Some(after) = last.checked_add(1) {
            events.push((after, tag, -1));
        }
    }
    events.sort_unstable();
    let mut depth: HashMap<u32, i32> = HashMap::new();
    let mut active: BTreeSet<u32> = BTreeSet::new();
    let mut out: Vec<(u128, u128, Vec<u32>)> = Vec::new();
    let mut i = 0;
    while i < events.len() {
        let point = events[i].0;
        while i < events.len() && events[i].0 == point {
            let (_, tag, step) = events[i];
            let d = depth.entry(tag).or_insert(0);
            *d += step;
            if *d > 0 {
                active.insert(tag);
            } else {
                active.remove(&tag);
            }
            i += 1;
        }
        let end = events.get(i).map_or(u128::MAX, |e| e.0 - 1);
        if active.is_empty() {
            continue;
        }
        let set: Vec<u32> = active.iter().copied().collect();
        match out.last_mut() {
            Some(last) if last.1.checked_add(1) == Some(point) && last.2 == set => last.1 = end,
            _ => out.push((point, end, set)),
        }
    }
    out.into_iter()
        .map(|(first, last, set)| (first, last, sets.number(set)))
        .collect()
}

/// CRC-32 (IEEE 802.3, reflected, as zlib and `java.util.zip.CRC32` compute it).
fn crc32(bytes: &[u8]) -> u32 {
    const TABLE: [u32; 256] = {
        let mut table = [0u32; 256];
        let mut n = 0;
        while n < 256 {
            let mut c = n as u32;
            let mut k = 0;
            while k < 8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
                k += 1;
            }
            table[n] = c;
            n += 1;
        }
        table
    };
    !bytes.iter().fold(!0u32, |c, &b| {
        TABLE[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8)
    })
}

#[cfg(test)]
mod tests {
    use super::crc32;

    #[test]
    fn crc32_is_zlibs() {
        assert_eq!(crc32(b""), 0);
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}
