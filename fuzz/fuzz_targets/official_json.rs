//! The official-JSON reader and the refresh validation: any bytes give a snapshot or an
//! error, never a panic; a snapshot exports to JSON that loads back the same.
#![no_main]

use azure_service_tags::refresh::{export_official, parse_official};
use azure_service_tags::Snapshot;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse_official(data, "fuzz.json");
    if let Ok(snap) = Snapshot::from_json(data) {
        let json = export_official(&snap);
        let again = Snapshot::from_json(json.as_bytes()).expect("an export loads back");
        assert_eq!(snap.tags().len(), again.tags().len());
        for (a, b) in snap.tags().zip(again.tags()) {
            assert_eq!(a.name(), b.name());
            assert!(a.prefixes().eq(b.prefixes()));
        }
    }
});
