//! Route plans against an independent scan of the data, the limits and fallbacks, name
//! rules, lossless aggregation and summarization, and golden renderings.

use std::collections::BTreeSet;
use std::net::IpAddr;

use azure_service_tags::__private::{difference, route_name, summarize};
use azure_service_tags::public;
use azure_service_tags::render::{Format, Target, render};
use azure_service_tags::route::{
    Families, Mode, NextHop, NextHopError, RouteError, RouteRequest, is_valid_route_name, plan,
};
use ipnet::IpNet;
use proptest::prelude::*;

const PUBLIC_TAGS: &str = include_str!("../data/public/service-tags.txt");

/// The prefixes of a tag, read straight from the data file.
fn scan_prefixes(tag: &str) -> Vec<IpNet> {
    let mut inside = false;
    let mut out = Vec::new();
    for line in PUBLIC_TAGS.lines() {
        if let Some(rest) = line.strip_prefix("tag ") {
            inside = rest.split(' ').next() == Some(tag);
        } else if inside && !line.is_empty() {
            out.push(line.parse().unwrap());
        }
    }
    assert!(!out.is_empty(), "{tag} has prefixes");
    out
}

/// The set of addresses covered, as merged [start, end] ranges (IPv4 and IPv6 apart).
fn coverage(nets: &[IpNet]) -> Vec<(bool, u128, u128)> {
    let mut ranges: Vec<(bool, u128, u128)> = nets
        .iter()
        .map(|n| match n {
            IpNet::V4(n) => (
                false,
                u32::from(n.network()).into(),
                u32::from(n.broadcast()).into(),
            ),
            IpNet::V6(n) => (true, n.network().into(), n.broadcast().into()),
        })
        .collect();
    ranges.sort();
    let mut merged: Vec<(bool, u128, u128)> = Vec::new();
    for r in ranges {
        match merged.last_mut() {
            Some(last) if last.0 == r.0 && r.1 <= last.2.saturating_add(1) => {
                last.2 = last.2.max(r.2)
            }
            _ => merged.push(r),
        }
    }
    merged
}

fn routed(p: &azure_service_tags::route::RoutePlan<'_>) -> Vec<IpNet> {
    p.routes
        .iter()
        .map(|r| r.address_prefix.parse().unwrap())
        .collect()
}

#[test]
fn east_us_2_routes_cover_exactly_the_scanned_prefixes() {
    let p = plan(
        public(),
        &RouteRequest::new("AzureMachineLearning", "eastus2"),
    )
    .unwrap();
    assert_eq!(p.primary.name(), "eastus2");
    assert_eq!(p.secondary.unwrap().name(), "centralus");
    let mut expected = scan_prefixes("AzureMachineLearning.EastUS2");
    expected.extend(scan_prefixes("AzureMachineLearning.CentralUS"));
    expected.retain(|n| matches!(n, IpNet::V4(_)));
    assert_eq!(coverage(&routed(&p)), coverage(&expected));
    assert!(p.routes.iter().all(|r| r.next_hop == NextHop::Internet));
    assert!(p.extra_coverage.is_empty() && p.notes.is_empty());
    let tags: BTreeSet<&str> = p.routes.iter().map(|r| r.tag.name()).collect();
    assert_eq!(
        tags,
        BTreeSet::from([
            "AzureMachineLearning.CentralUS",
            "AzureMachineLearning.EastUS2"
        ])
    );
}

#[test]
fn france_central_finds_its_tags_through_region_codes() {
    let mut req = RouteRequest::new("AzureMachineLearning", "France Central");
    req.families = Families::Both;
    let p = plan(public(), &req).unwrap();
    assert_eq!(p.secondary.unwrap().name(), "francesouth");
    let mut expected = scan_prefixes("AzureMachineLearning.FranceCentral");
    expected.extend(scan_prefixes("AzureMachineLearning.FranceSouth"));
    assert_eq!(coverage(&routed(&p)), coverage(&expected));
    assert!(p.routes.iter().any(|r| r.address_prefix.contains(':')));
    let names: BTreeSet<&str> = p.routes.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names.len(), p.routes.len());
    assert!(
        p.routes.iter().all(|r| is_valid_route_name(&r.name)),
        "IPv6 names are valid"
    );
    req.families = Families::Ipv6;
    let p = plan(public(), &req).unwrap();
    assert!(p.routes.iter().all(|r| r.address_prefix.contains(':')));
}

#[test]
fn unpaired_regions_get_a_note_not_an_error() {
    let mut req = RouteRequest::new("AzureMachineLearning", "italynorth");
    req.service = "Storage";
    let p = plan(public(), &req).unwrap();
    assert!(p.secondary.is_none());
    assert!(
        p.notes[0].contains("italynorth has no paired region"),
        "{:?}",
        p.notes
    );
    req.include_paired = false;
    assert!(plan(public(), &req).unwrap().notes.is_empty());
}

#[test]
fn service_tag_mode_falls_back_to_the_global_tag() {
    let mut req = RouteRequest::new("AzureMachineLearning", "eastus2");
    req.mode = Mode::ServiceTag;
    let p = plan(public(), &req).unwrap();
    assert_eq!(p.routes.len(), 1);
    assert_eq!(p.routes[0].address_prefix, "AzureMachineLearning");
    assert_eq!(p.notes.len(), 2);
    assert!(p.notes[0].contains("AzureMachineLearning.EastUS2") && p.notes[0].contains("UDR"));
    // Regional tags with UDR are used as they are.
    req.service = "Storage";
    let p = plan(public(), &req).unwrap();
    let used: Vec<&str> = p.routes.iter().map(|r| r.address_prefix.as_str()).collect();
    assert_eq!(used, ["Storage.EastUS2", "Storage.CentralUS"]);
    // AzureCloud has no UDR anywhere.
    req.service = "AzureCloud";
    match plan(public(), &req) {
        Err(RouteError::NotRoutable { tag }) => assert_eq!(tag, "AzureCloud"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn plans_over_the_limit_say_what_fits() {
    let mut req = RouteRequest::new("AzureMachineLearning", "eastus");
    req.service = "AzureCloud";
    let err = plan(public(), &req).unwrap_err();
    let RouteError::TooManyRoutes { needed, limit } = err.clone() else {
        panic!("{err:?}")
    };
    assert_eq!(limit, 400);
    assert!(needed > 400);
    // The library states the facts; `aztags` adds which options get past the limit
    // (tests/cli.rs).
    let shown = err.to_string();
    assert!(shown.contains(&needed.to_string()) && shown.contains(&limit.to_string()));
    req.max_routes = needed;
    assert_eq!(plan(public(), &req).unwrap().routes.len(), needed);
    // Lossy summarization only on request, and it reports what it added.
    req.max_routes = 400;
    req.summarize = true;
    let p = plan(public(), &req).unwrap();
    assert!(p.routes.len() <= 400);
    assert!(!p.extra_coverage.is_empty());
    let mut original = scan_prefixes("AzureCloud.eastus");
    original.extend(scan_prefixes("AzureCloud.westus"));
    original.retain(|n| matches!(n, IpNet::V4(_)));
    let mut union = original.clone();
    union.extend(p.extra_coverage.iter().copied());
    assert_eq!(
        coverage(&routed(&p)),
        coverage(&union),
        "routes = service + reported extra"
    );
    assert!(p.notes.iter().any(|n| n.contains("summarized")));
}

#[test]
fn errors_name_the_input_and_the_closest_names() {
    // No region is spelled so (a name the data cannot come to hold).
    let mut req = RouteRequest::new("AzureMachineLearning", "east us 99");
    let e = plan(public(), &req).unwrap_err().to_string();
    assert!(
        e.contains("\"east us 99\"") && e.contains("closest known"),
        "{e}"
    );
    req.region = "eastus2";
    req.service = "AzureMachineLerning";
    let e = plan(public(), &req).unwrap_err().to_string();
    assert!(e.contains("AzureMachineLearning"), "{e}");
    // A region where the service has no tag, found in the data.
    let snap = public();
    let bare = snap
        .regions()
        .find(|r| snap.regional_tag("AzureMachineLearning", *r).is_none())
        .unwrap();
    req.service = "AzureMachineLearning";
    req.region = bare.name();
    let e = plan(snap, &req).unwrap_err().to_string();
    assert!(
        e.contains("AzureMachineLearning") && e.contains(bare.name()),
        "{e}"
    );
    req.region = "eastus2";
    req.max_routes = 0;
    assert!(plan(public(), &req).is_err());
    // `aztags` adds the option that supplies the IP (tests/cli.rs).
    assert_eq!(
        NextHop::parse("VirtualAppliance", None),
        Err(NextHopError::MissingIp)
    );
    assert!(NextHop::parse("Internet", Some("10.0.0.1".parse().unwrap())).is_err());
    assert!(
        NextHop::parse("Teleport", None)
            .unwrap_err()
            .to_string()
            .contains("Teleport")
    );
}

fn golden(name: &str, text: &str) {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == text,
        "{name} differs from {path} (UPDATE_GOLDEN=1 rewrites it):\n{text}"
    );
}

#[test]
fn renderings_match_their_golden_files() {
    let mut req = RouteRequest::new("AzureMachineLearning", "eastus2");
    req.next_hop = NextHop::VirtualAppliance("10.0.0.4".parse::<IpAddr>().unwrap());
    let p = plan(public(), &req).unwrap();
    let target = Target {
        resource_group: "rg-ml".into(),
        route_table: "rt-ml's".into(),
        ..Target::default()
    };
    for &format in Format::ALL {
        let text = render(&p, format, &target);
        assert!(
            text.contains(public().source().file_name()),
            "{} names the snapshot",
            format.name()
        );
        golden(&format!("eastus2-nva.{}", format.name()), &text);
    }
    let p = plan(
        public(),
        &RouteRequest::new("AzureMachineLearning", "eastus2"),
    )
    .unwrap();
    golden(
        "eastus2.az-cli",
        &render(&p, Format::AzCli, &Target::default()),
    );
    // Odd but possible names reach every tool as they are (tests/renderings reads these
    // back with the tools' own parsers).
    let odd = Target {
        resource_group: "-rg it's".into(),
        route_table: "[rt] \u{2018}x\u{2019} ${y}\n%{z}\\".into(),
        ..Target::default()
    };
    let p = plan(
        public(),
        &RouteRequest::new("AzureMachineLearning", "italynorth"),
    )
    .unwrap();
    for &format in Format::ALL {
        golden(
            &format!("italynorth-odd.{}", format.name()),
            &render(&p, format, &odd),
        );
    }
}

#[cfg(feature = "json")]
#[test]
fn json_and_arm_parse_back_to_the_plan() {
    let mut req = RouteRequest::new("AzureMachineLearning", "francecentral");
    req.families = Families::Both;
    let p = plan(public(), &req).unwrap();
    let v: serde_json::Value =
        serde_json::from_str(&render(&p, Format::Json, &Target::default())).unwrap();
    assert_eq!(v["snapshot"]["changeNumber"], public().change_number());
    assert_eq!(v["primary"], "francecentral");
    assert_eq!(v["secondary"], "francesouth");
    let routes = v["routes"].as_array().unwrap();
    assert_eq!(routes.len(), p.routes.len());
    for (r, j) in p.routes.iter().zip(routes) {
        assert_eq!(j["name"], r.name.as_str());
        assert_eq!(j["addressPrefix"], r.address_prefix.as_str());
        assert_eq!(j["nextHopType"], "Internet");
        assert_eq!(j["tag"], r.tag.name());
    }
    // By default only routes, as children of the existing table.
    let arm: serde_json::Value =
        serde_json::from_str(&render(&p, Format::Arm, &Target::default())).unwrap();
    let res = &arm["resources"][0];
    assert_eq!(res["type"], "Microsoft.Network/routeTables/routes");
    assert_eq!(arm["resources"].as_array().unwrap().len(), 1);
    let routes = arm["variables"]["routes"].as_array().unwrap();
    assert_eq!(routes.len(), p.routes.len());
    for (r, j) in p.routes.iter().zip(routes) {
        assert_eq!(j["name"], r.name.as_str());
        assert_eq!(j["properties"]["addressPrefix"], r.address_prefix.as_str());
    }
    assert!(
        arm["metadata"]["snapshot"]
            .as_str()
            .unwrap()
            .contains(&format!("changeNumber {}", public().change_number()))
    );
    // The whole table only when asked, and then the template says what it replaces.
    let whole = Target {
        whole_table: true,
        ..Target::default()
    };
    let arm: serde_json::Value = serde_json::from_str(&render(&p, Format::Arm, &whole)).unwrap();
    let res = &arm["resources"][0];
    assert_eq!(res["type"], "Microsoft.Network/routeTables");
    assert_eq!(
        res["properties"]["routes"].as_array().unwrap().len(),
        p.routes.len()
    );
    assert!(
        arm["metadata"]["deployment"]
            .as_str()
            .unwrap()
            .contains("deletes every other route")
    );
}

#[test]
fn shell_values_are_quoted() {
    let p = plan(
        public(),
        &RouteRequest::new("AzureMachineLearning", "eastus2"),
    )
    .unwrap();
    let target = Target {
        resource_group: "rg; rm -rf /".into(),
        route_table: "it's".into(),
        ..Target::default()
    };
    let az = render(&p, Format::AzCli, &target);
    assert!(
        az.contains("--resource-group='rg; rm -rf /' --route-table-name='it'\\''s'"),
        "{az}"
    );
    let ps = render(&p, Format::PowerShell, &target);
    assert!(ps.contains("-Name 'it''s'"), "{ps}");
    let tf = render(
        &p,
        Format::Terraform,
        &Target {
            resource_group: "${x}".into(),
            route_table: "rt".into(),
            ..Target::default()
        },
    );
    assert!(tf.contains("default = \"$${x}\""), "{tf}");
    let bicep = render(
        &p,
        Format::Bicep,
        &Target {
            resource_group: "rg".into(),
            route_table: "it's ${x}".into(),
            ..Target::default()
        },
    );
    assert!(
        bicep.contains("param routeTableName string = 'it\\'s \\${x}'"),
        "{bicep}"
    );
}

proptest! {
    #[test]
    fn route_names_are_valid_and_unique(parts in proptest::collection::vec("[ -~]{0,60}", 1..4), n in 1usize..20) {
        let mut used = BTreeSet::new();
        let refs: Vec<&str> = parts.iter().map(String::as_str).collect();
        for _ in 0..n {
            let name = route_name(&refs, &mut used);
            prop_assert!(is_valid_route_name(&name), "{:?} from {:?}", name, parts);
        }
        prop_assert_eq!(used.len(), n);
    }

    #[test]
    fn aggregation_is_lossless_and_summaries_report_their_extra(
        raw in proptest::collection::vec((any::<u32>(), 8u8..=32), 1..60), limit in 1usize..20
    ) {
        let nets: Vec<IpNet> = raw.iter().map(|&(a, l)| IpNet::V4(ipnet::Ipv4Net::new(a.into(), l).unwrap().trunc())).collect();
        let agg = IpNet::aggregate(&nets);
        prop_assert_eq!(coverage(&agg), coverage(&nets));
        let sum = summarize(&nets, limit);
        prop_assert!(sum.len() <= limit.max(1));
        let extra = difference(&sum, &agg);
        let mut union = agg.clone();
        union.extend(extra.iter().copied());
        prop_assert_eq!(coverage(&sum), coverage(&union));
        // The extra ranges are disjoint from the input.
        for e in &extra {
            prop_assert!(!agg.iter().any(|n| n.contains(e) || e.contains(n)));
        }
    }
}

/// JSON and ARM are renderings of feature `json`.
#[cfg(feature = "json")]
mod json_renderings {
    use super::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Any plan the crate derives renders to JSON and ARM that parse back to the same
        /// routes.
        #[test]
        fn rendered_json_and_arm_parse_back_to_the_plan(
            region in 0usize..72, service in 0usize..4, families in 0usize..3, nva in any::<Option<[u8; 4]>>(),
            paired in any::<bool>(), service_tag in any::<bool>()
        ) {
            let snap = public();
            let region = snap.regions().nth(region % snap.regions().len()).unwrap();
            let mut req = RouteRequest::new("AzureMachineLearning", region.name());
            req.service = ["AzureMachineLearning", "Storage", "BatchNodeManagement", "AzureMonitor"][service];
            req.families = [Families::Ipv4, Families::Ipv6, Families::Both][families];
            req.include_paired = paired;
            req.mode = if service_tag { Mode::ServiceTag } else { Mode::Prefixes };
            req.max_routes = 1000;
            req.next_hop = match nva {
                Some(b) => NextHop::VirtualAppliance(IpAddr::from(b)),
                None => NextHop::Internet,
            };
            let Ok(p) = plan(snap, &req) else { return Ok(()) };
            let json: serde_json::Value = serde_json::from_str(&render(&p, Format::Json, &Target::default())).unwrap();
            let routes = json["routes"].as_array().unwrap();
            prop_assert_eq!(routes.len(), p.routes.len());
            for (r, j) in p.routes.iter().zip(routes) {
                prop_assert_eq!(j["name"].as_str(), Some(r.name.as_str()));
                prop_assert_eq!(j["addressPrefix"].as_str(), Some(r.address_prefix.as_str()));
                prop_assert_eq!(j["nextHopType"].as_str(), Some(r.next_hop.kind()));
                prop_assert_eq!(j["nextHopIpAddress"].as_str().map(str::to_string), r.next_hop.ip().map(|i| i.to_string()));
                prop_assert_eq!(j["tag"].as_str(), Some(r.tag.name()));
                prop_assert!(is_valid_route_name(&r.name));
            }
            let arm: serde_json::Value = serde_json::from_str(&render(&p, Format::Arm, &Target::default())).unwrap();
            // One variable per batch of at most 800 routes (ARM's copy limit).
            let arm_routes: Vec<&serde_json::Value> = arm["variables"]
                .as_object()
                .unwrap()
                .values()
                .flat_map(|batch| batch.as_array().unwrap())
                .collect();
            prop_assert_eq!(arm_routes.len(), p.routes.len());
            for (r, j) in p.routes.iter().zip(arm_routes) {
                prop_assert_eq!(j["name"].as_str(), Some(r.name.as_str()));
                prop_assert_eq!(j["properties"]["addressPrefix"].as_str(), Some(r.address_prefix.as_str()));
                prop_assert_eq!(j["properties"]["nextHopType"].as_str(), Some(r.next_hop.kind()));
            }
        }
    }
}
