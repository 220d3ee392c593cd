//! Name resolution: any string as a tag, region, service, cloud, mode, format or next
//! hop gives an answer or an error, never a panic; a found name resolves to itself.
#![no_main]

use azure_service_tags::render::Format;
use azure_service_tags::route::{Mode, NextHop};
use azure_service_tags::{public, Cloud};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let snap = public();
    if let Some(tag) = snap.tag(s) {
        assert!(tag.name().eq_ignore_ascii_case(s));
    }
    if let Some(region) = snap.region(s) {
        assert_eq!(snap.region(region.name()), Some(region));
        let _ = snap.regional_tag(s, region);
    }
    if let Some(e2) = snap.region("eastus2") {
        let _ = snap.regional_tag(s, e2);
    }
    let _ = s.parse::<Cloud>();
    let _ = s.parse::<Mode>();
    let _ = s.parse::<Format>();
    let _ = NextHop::parse(s, None);
    let mut buf = [0u8; 64];
    let _ = azure_service_tags::__private::datafile::fold_region_name(s, &mut buf);
});
