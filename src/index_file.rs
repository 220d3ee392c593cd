//! The address index as a file for readers outside Rust (the Spark jar's Java reader):
//! every address range with the same tags as one interval, each interval's tag set, the
//! tags' names, regions and services, and the snapshot's provenance. Version 2 of the
//! format, all integers big-endian, every string a `u16` byte length and UTF-8:
//!
//! | field | type |
//! | --- | --- |
//! | magic | the 8 bytes `AZTAGIDX` |
//! | format version | `u16`, [`FORMAT_VERSION`] |
//! | cloud (its official name: `Public`, `AzureGovernment`, `China`), changeNumber, source file, its SHA-256, published | string, `u64`, string, string (64 hex digits), string (`YYYY-MM-DD`, or empty) |
//! | tags | `u32` count, then each tag's name, region (ARM name, empty for none), service and role (`u8`: 1 a regional tag of its service, 2 its service's global tag, 0 neither), in published order |
//! | tag sets | `u32` count, then each set: `u16` count and that many `u32` tag numbers, ascending |
//! | IPv4 intervals | `u32` count, then each: first and last address (`u32`), set number (`u32`) |
//! | IPv6 intervals | `u32` count, then each: first and last address (`u128` as two `u64`, high first), set number (`u32`) |
//! | check | `u32`, the CRC-32 (IEEE) of every byte before it |
//!
//! The intervals of a family are sorted, disjoint and never adjacent with the same set;
//! an address in no interval is in no tag. The tags that answer for a service, as
//! [`Snapshot::service_match`] finds them, are those of the service with role 1 (first)
//! or 2: a reader needs no rule of its own.
//!
//! Version 1 ([`to_bytes_in`] still writes it) has no service or role: a reader derives
//! them as the crate does (the service is the name up to the first `.`; role 1 for a tag
//! with a region, 2 for the tag named as the service).
//!
//! ```
//! let bytes = azure_service_tags::index_file::to_bytes(azure_service_tags::public());
//! assert_eq!(&bytes[..8], b"AZTAGIDX");
//! ```

use std::collections::HashMap;
use std::fs;
use std::io::Write;
use std::path::Path;

use crate::datafile::FileError;
use crate::index::sweep;
use crate::lookup::{Role, own_role};
use crate::snapshot::Snapshot;

/// The version of the format this crate writes.
///
/// ```
/// assert_eq!(azure_service_tags::index_file::FORMAT_VERSION, 2);
/// ```
pub const FORMAT_VERSION: u16 = 2;

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
    write_version(snap, FORMAT_VERSION)
}

/// The index file of `snap` in format `version`: [`FORMAT_VERSION`], or 1 for readers
/// that predate it; `None` for a version this crate does not write.
///
/// ```
/// let snap = azure_service_tags::public();
/// let old = azure_service_tags::index_file::to_bytes_in(snap, 1).unwrap();
/// assert_eq!(old[8..10], 1u16.to_be_bytes());
/// assert!(azure_service_tags::index_file::to_bytes_in(snap, 9).is_none());
/// ```
pub fn to_bytes_in(snap: &Snapshot, version: u16) -> Option<Vec<u8>> {
    (1..=FORMAT_VERSION)
        .contains(&version)
        .then(|| write_version(snap, version))
}

fn write_version(snap: &Snapshot, version: u16) -> Vec<u8> {
    let mut out = Out(Vec::with_capacity(1 << 20));
    header(&mut out, snap, version);
    out.u32(count(snap.tags().len()));
    for tag in snap.tags() {
        out.text(tag.name());
        out.text(tag.region().map_or("", |r| r.name()));
        if version >= 2 {
            out.text(tag.service());
            out.0.push(match own_role(tag) {
                Some(Role::Regional) => 1,
                Some(Role::Global) => 2,
                None => 0,
            });
        }
    }
    let mut sets = Sets::default();
    let v4 = intervals(snap, &mut sets, false);
    let v6 = intervals(snap, &mut sets, true);
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
    write_bytes(&to_bytes(snap), path)
}

/// Writes `bytes` (an index file, from [`to_bytes`] or [`to_bytes_in`]) to `path`,
/// atomically, as [`write()`] does.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("aztags-doc-v1-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let bytes = azure_service_tags::index_file::to_bytes_in(azure_service_tags::public(), 1).unwrap();
/// azure_service_tags::index_file::write_bytes(&bytes, &dir.join("old.aztagidx")).unwrap();
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn write_bytes(bytes: &[u8], path: &Path) -> Result<(), FileError> {
    let name = path
        .file_name()
        .map_or_else(Default::default, |n| n.to_string_lossy());
    let temp = path.with_file_name(format!(".{name}.{}.tmp", std::process::id()));
    let written = fs::File::create(&temp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .map_err(FileError::of(&temp))
        .and_then(|()| fs::rename(&temp, path).map_err(FileError::of(path)));
    if written.is_err() {
        let _ = fs::remove_file(&temp);
    }
    written
}

/// The provenance fields.
fn header(out: &mut Out, snap: &Snapshot, version: u16) {
    out.0.extend_from_slice(&MAGIC);
    out.u16(version);
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

/// The disjoint intervals of one family that some tag covers, each with the number of
/// its tag set: the index's own sweep (`index::sweep`) over the tags' prefixes.
fn intervals(snap: &Snapshot, sets: &mut Sets, v6: bool) -> Vec<(u128, u128, u32)> {
    let top = if v6 { u128::MAX } else { u128::from(u32::MAX) };
    let ranges = snap.tags().flat_map(|tag| {
        // The index holds fewer than 2^16 tags.
        let number = u16::try_from(tag.index()).unwrap_or(u16::MAX);
        let v4 = tag.ipv4().filter(move |_| !v6).map(move |p| {
            let (first, last) = (u32::from(p.network()), u32::from(p.broadcast()));
            (u128::from(first), u128::from(last), number)
        });
        let v6 = tag
            .ipv6()
            .filter(move |_| v6)
            .map(move |p| (u128::from(p.network()), u128::from(p.broadcast()), number));
        v4.chain(v6)
    });
    let mut out = Vec::new();
    sweep(ranges, top, |first, last, tags| {
        if !tags.is_empty() {
            out.push((first, last, sets.number(tags)));
        }
    });
    out
}

/// The distinct tag sets, numbered in the order first seen.
#[derive(Default)]
struct Sets {
    list: Vec<Vec<u32>>,
    numbers: HashMap<Vec<u16>, u32>,
}

impl Sets {
    fn number(&mut self, set: &[u16]) -> u32 {
        if let Some(&n) = self.numbers.get(set) {
            return n;
        }
        let n = count(self.list.len());
        self.list.push(set.iter().map(|&t| u32::from(t)).collect());
        self.numbers.insert(set.to_vec(), n);
        n
    }
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
