//! The official-JSON reader and the refresh validation: any bytes give a snapshot or an
//! error, never a panic; a snapshot exports to JSON that loads back the same; the checks
//! against the pinned snapshot answer without panicking.
#![no_main]

use std::sync::OnceLock;

use azure_service_tags::__private::datafile::{parse_snapshot, SnapshotFile};
use azure_service_tags::__private::{check_update, parse_official};
use azure_service_tags::official::export_official;
use azure_service_tags::refresh::RefreshOptions;
use azure_service_tags::Snapshot;
use libfuzzer_sys::fuzz_target;

fn pinned() -> &'static SnapshotFile {
    static PINNED: OnceLock<SnapshotFile> = OnceLock::new();
    PINNED.get_or_init(|| {
        parse_snapshot(include_str!("../../data/public/service-tags.txt"), "pinned").expect("the pinned snapshot parses")
    })
}

fuzz_target!(|data: &[u8]| {
    if let Ok(official) = parse_official(data, "fuzz.json") {
        let options = RefreshOptions {
            protected: vec!["AzureMachineLearning".into()],
            ..RefreshOptions::default()
        };
        let _ = check_update(pinned(), &official.snapshot, "fuzz.json", &options);
    }
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
