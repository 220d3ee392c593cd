//! The data/ line format parser that build.rs uses: any text parses or fails cleanly;
//! what parses writes back to text that parses to the same thing; what indexes answers
//! lookups without panicking.
#![no_main]

use azure_service_tags::__private::datafile::{parse_regions, parse_snapshot, write_regions, write_snapshot};
use azure_service_tags::Snapshot;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let (tags, regions) = text.split_once("\n=====\n").unwrap_or((&text, ""));
    let parsed = parse_snapshot(tags, "service-tags.txt");
    if let Ok(snap) = &parsed {
        if let Ok(written) = write_snapshot(snap) {
            assert_eq!(&parse_snapshot(&written, "again").expect("written text parses"), snap);
        }
    }
    let parsed_regions = parse_regions(regions, "regions.tsv");
    if let Ok(rows) = &parsed_regions {
        if let Ok(written) = write_regions(rows) {
            assert_eq!(&parse_regions(&written, "again").expect("written regions parse"), rows);
        }
    }
    if let Ok(snap) = Snapshot::from_data(tags, regions) {
        for tag in snap.tags() {
            for p in tag.prefixes() {
                assert!(tag.contains(p.network()));
                assert!(snap.tags_containing(p.broadcast()).any(|t| t == tag));
            }
        }
        for r in snap.regions() {
            assert_eq!(snap.region(r.name()), Some(r));
        }
    }
});
