//! IP and prefix parsing on the CLI paths (`parse_ip` accepts what `IpAddr`'s parser
//! does), and lookups of whatever parses: every tag returned really contains the
//! address, and `Tag::contains` and `TagMatcher` agree.
#![no_main]

use std::net::IpAddr;

use azure_service_tags::__private::datafile::Prefix;
use azure_service_tags::{parse_ip, public};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let _ = Prefix::parse(s);
    let _ = s.parse::<ipnet::IpNet>();
    assert_eq!(parse_ip(s.as_bytes()), s.parse::<IpAddr>().ok(), "{s:?}");
    let Ok(ip) = s.trim().parse::<IpAddr>() else { return };
    let snap = public();
    let canonical = ip.to_canonical();
    for tag in snap.tags_containing(ip) {
        assert!(tag.prefixes().any(|p| p.contains(&canonical)), "{} does not contain {ip}", tag.name());
        assert!(tag.contains(ip));
    }
    let aml = snap.tag("AzureMachineLearning").expect("the tag exists");
    assert_eq!(aml.matcher().contains(ip), aml.contains(ip));
});
