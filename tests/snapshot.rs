//! Counts and provenance of the compiled-in snapshots, and a snapshot built at run time
//! from the same files answering exactly like the compiled-in one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use azure_service_tags::{Cloud, Snapshot, public};
use proptest::prelude::*;

const PUBLIC_TAGS: &str = include_str!("../data/public/service-tags.txt");
const PUBLIC_REGIONS: &str = include_str!("../data/public/regions.tsv");

fn loaded() -> &'static Snapshot {
    static SNAP: std::sync::OnceLock<Snapshot> = std::sync::OnceLock::new();
    SNAP.get_or_init(|| Snapshot::from_data(PUBLIC_TAGS, PUBLIC_REGIONS).unwrap())
}

mod common;
mod pinned;

/// The compiled-in snapshot holds exactly what the test's own reading of its `data/`
/// directory holds: the header, every tag with its properties and its prefixes in
/// published order, and every region with its pair.
fn same_as_pinned(snap: &Snapshot, data: &pinned::Pinned) {
    assert_eq!(snap.cloud().as_str(), data.header("cloud").unwrap());
    assert_eq!(snap.change_number(), data.change_number());
    assert_eq!(snap.source().file_name(), data.header("source").unwrap());
    assert_eq!(snap.source().sha256(), data.header("sha256").unwrap());
    assert_eq!(
        snap.published().map(|d| d.to_string()).as_deref(),
        data.header("published")
    );
    assert_eq!(snap.tags().len(), data.tags.len());
    for (tag, want) in snap.tags().zip(&data.tags) {
        assert_eq!(tag.name(), want.name);
        let prefixes: Vec<ipnet::IpNet> = tag.prefixes().collect();
        assert_eq!(prefixes, want.prefixes, "prefixes of {}", want.name);
        assert_eq!(tag.ipv4().len(), want.count(false), "{}", want.name);
        assert_eq!(tag.ipv6().len(), want.count(true), "{}", want.name);
        assert_eq!(tag.id(), want.property("id"), "{}", want.name);
        assert_eq!(tag.region_code(), want.property("region"), "{}", want.name);
        assert_eq!(tag.platform(), want.property("platform"), "{}", want.name);
        assert_eq!(tag.system_service(), want.property("systemService"));
        let number = |key| want.property(key).map(|v| v.parse::<u32>().unwrap());
        assert_eq!(tag.region_id(), number("regionId"), "{}", want.name);
        assert_eq!(tag.change_number(), number("changeNumber"), "{}", want.name);
        let features = match tag.network_features() {
            azure_service_tags::NetworkFeatures::Absent => None,
            azure_service_tags::NetworkFeatures::Null => Some("null".to_string()),
            azure_service_tags::NetworkFeatures::List(l) => {
                Some(format!("[{}]", l.iter().collect::<Vec<_>>().join(",")))
            }
        };
        assert_eq!(features.as_deref(), want.property("networkFeatures"));
        assert!(std::ptr::eq(
            snap.tag(&want.name).unwrap().name(),
            tag.name()
        ));
    }
    let (v4, v6) = data.prefix_counts();
    assert_eq!(snap.prefix_counts(), (v4, v6));
    assert_eq!(snap.regions().len(), data.regions.len());
    for row in &data.regions {
        let region = snap.region(&row[0]).unwrap();
        let known = |v: &str| (v != "-").then(|| v.to_string());
        assert_eq!(region.name(), row[0]);
        assert_eq!(region.display_name().map(str::to_string), known(&row[1]));
        assert_eq!(region.code().map(str::to_string), known(&row[2]));
        assert_eq!(region.region_id().map(|n| n.to_string()), known(&row[3]));
        assert_eq!(region.geography().map(str::to_string), known(&row[4]));
        // A name, '-' (no pair) or '?' (not known).
        let pair = (row[5] != "?").then(|| known(&row[5])).flatten();
        assert_eq!(
            region.paired().map(|r| r.name().to_string()),
            pair,
            "pair of {}",
            row[0]
        );
        assert_eq!(region.pair_known(), row[5] != "?", "pair of {}", row[0]);
    }
}

#[test]
#[allow(deprecated)] // PUBLIC_SNAPSHOT, kept for 0.1 users
fn public_snapshot_is_the_pinned_data() {
    same_as_pinned(public(), pinned::public());
    let data = pinned::public();
    assert_eq!(
        azure_service_tags::PUBLIC_SNAPSHOT,
        format!(
            "{} (changeNumber {})",
            data.header("source").unwrap(),
            data.change_number()
        )
    );
}

#[test]
fn provenance() {
    let snap = public();
    assert_eq!(snap.cloud(), Cloud::Public);
    let name = snap.source().file_name();
    assert!(name.starts_with("ServiceTags_Public_") && name.ends_with(".json"));
    assert_eq!(snap.source().sha256().len(), 64);
    // The publication date is the one in the file's name.
    let date = snap.published().unwrap().compact();
    assert_eq!(name, format!("ServiceTags_Public_{date}.json"));
}

#[cfg(feature = "government")]
#[test]
fn government_snapshot() {
    let snap = azure_service_tags::government();
    assert_eq!(snap.cloud(), Cloud::AzureGovernment);
    same_as_pinned(snap, pinned::government());
    assert_eq!(
        snap.region("usgovarizona")
            .unwrap()
            .paired()
            .unwrap()
            .name(),
        "usgovtexas"
    );
    assert_eq!(
        snap.region("usgovtexas").unwrap().paired().unwrap().name(),
        "usgovvirginia"
    );
    assert!(snap.region("eastus2").is_none());
}

#[cfg(feature = "china")]
#[test]
fn china_snapshot() {
    let snap = azure_service_tags::china();
    assert_eq!(snap.cloud(), Cloud::China);
    same_as_pinned(snap, pinned::china());
    assert_eq!(
        snap.region("chinanorth3").unwrap().paired().unwrap().name(),
        "chinaeast3"
    );
}

#[test]
fn tag_properties_keep_every_published_fact() {
    let snap = public();
    let aml = snap.tag("azuremachinelearning").unwrap();
    assert_eq!(aml.name(), "AzureMachineLearning");
    assert_eq!(aml.id(), Some("AzureMachineLearning"));
    assert_eq!(aml.region_code(), Some(""));
    assert_eq!(aml.region_id(), Some(0));
    assert!(aml.region().is_none());
    assert_eq!(aml.platform(), Some("Azure"));
    assert_eq!(aml.system_service(), Some("AzureMachineLearning"));
    let features: Vec<&str> = match aml.network_features() {
        azure_service_tags::NetworkFeatures::List(l) => l.iter().collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(features, ["API", "NSG", "UDR", "FW"]);
    let fr = snap.tag("AzureMachineLearning.FranceCentral").unwrap();
    assert_eq!(
        fr.network_features(),
        azure_service_tags::NetworkFeatures::Null
    );
    assert_eq!(fr.region_code(), Some("centralfrance"));
    assert_eq!(fr.region().unwrap().name(), "francecentral");
    assert_eq!(
        snap.tag("Storage").unwrap().system_service(),
        Some("AzureStorage")
    );
    // Indices are dense and in published order.
    for (i, tag) in snap.tags().enumerate() {
        assert_eq!(tag.index(), i);
        assert_eq!(snap.tag(tag.name()), Some(tag));
        assert_eq!(snap.tag(&tag.name().to_uppercase()), Some(tag));
    }
}

#[test]
fn service_match_answers_the_common_question() {
    let snap = public();
    let ip = common::aml_eastus2_address();
    let hit = snap.service_match(ip, "AzureMachineLearning").unwrap();
    assert_eq!(hit.tag().name(), "AzureMachineLearning.EastUS2");
    assert_eq!(hit.region().unwrap().name(), "eastus2");
    // The global tag answers too where it holds the address.
    let global = snap.tag("AzureMachineLearning").unwrap();
    assert_eq!(hit.global(), global.contains(ip).then_some(global));
    assert!(snap.service_match(ip, "Storage").is_none());
    assert!(
        snap.service_match(ip, "AzureMachineLearningInference")
            .is_none()
    );
    // Case-insensitive service names; the regional tag first where it holds the address.
    let cloud = snap.tag("AzureCloud.eastus2").unwrap();
    if cloud.contains(ip) {
        assert_eq!(snap.service_match(ip, "azurecloud").unwrap().tag(), cloud);
    }
}

#[test]
fn loaded_snapshot_has_the_same_tags_and_regions() {
    let (a, b) = (public(), loaded());
    assert_eq!(a.cloud(), b.cloud());
    assert_eq!(a.change_number(), b.change_number());
    assert_eq!(a.source(), b.source());
    assert_eq!(a.published(), b.published());
    assert_eq!(a.tags().len(), b.tags().len());
    for (x, y) in a.tags().zip(b.tags()) {
        assert_eq!(x.name(), y.name());
        assert_eq!(x.id(), y.id());
        assert_eq!(x.region().map(|r| r.name()), y.region().map(|r| r.name()));
        assert_eq!(x.region_code(), y.region_code());
        assert_eq!(x.region_id(), y.region_id());
        assert_eq!(x.platform(), y.platform());
        assert_eq!(x.system_service(), y.system_service());
        assert_eq!(x.change_number(), y.change_number());
        assert_eq!(
            format!("{:?}", x.network_features()),
            format!("{:?}", y.network_features())
        );
        assert!(x.prefixes().eq(y.prefixes()), "{}", x.name());
        assert_eq!(b.tag(x.name()).map(|t| t.index()), Some(x.index()));
    }
    for (x, y) in a.regions().zip(b.regions()) {
        assert_eq!(x.name(), y.name());
        assert_eq!(x.display_name(), y.display_name());
        assert_eq!(x.code(), y.code());
        assert_eq!(x.geography(), y.geography());
        assert_eq!(x.paired().map(|p| p.name()), y.paired().map(|p| p.name()));
        for spelling in [Some(x.name()), x.display_name(), x.code()]
            .into_iter()
            .flatten()
        {
            assert_eq!(b.region(spelling).map(|r| r.index()), Some(x.index()));
        }
    }
    assert_eq!(a.regions().len(), b.regions().len());
}

fn same_answer(ip: IpAddr) -> Result<(), TestCaseError> {
    let x: Vec<usize> = public().tags_containing(ip).map(|t| t.index()).collect();
    let y: Vec<usize> = loaded().tags_containing(ip).map(|t| t.index()).collect();
    prop_assert_eq!(x, y, "{}", ip);
    Ok(())
}

proptest! {
    #[test]
    fn loaded_snapshot_answers_like_the_compiled_one_v4(a in any::<u32>()) {
        same_answer(IpAddr::V4(Ipv4Addr::from(a)))?;
    }

    #[test]
    fn loaded_snapshot_answers_like_the_compiled_one_inside_azure(tag in any::<prop::sample::Index>(), pick in any::<usize>(), off in any::<u64>()) {
        let t = public().tags().nth(tag.index(public().tags().len())).unwrap();
        if t.prefixes().len() > 0 {
            let p = t.prefixes().nth(pick % t.prefixes().len()).unwrap();
            let ip = match p {
                ipnet::IpNet::V4(n) => IpAddr::V4(Ipv4Addr::from(u32::from(n.network()) | (off as u32 & !u32::from(n.netmask())))),
                ipnet::IpNet::V6(n) => IpAddr::V6(Ipv6Addr::from(u128::from(n.network()) | (u128::from(off) & !u128::from(n.netmask())))),
            };
            prop_assert!(t.contains(ip));
            same_answer(ip)?;
        }
    }
}

#[cfg(feature = "serde")]
#[test]
fn handles_serialize_with_the_official_field_names() {
    let snap = public();
    let tag =
        serde_json::to_value(snap.tag("AzureMachineLearning.FranceCentral").unwrap()).unwrap();
    assert_eq!(tag["name"], "AzureMachineLearning.FranceCentral");
    assert_eq!(tag["region"], "francecentral");
    assert_eq!(tag["regionCode"], "centralfrance");
    let handle = snap.tag("AzureMachineLearning.FranceCentral").unwrap();
    assert_eq!(tag["regionId"].as_u64(), handle.region_id().map(u64::from));
    assert_eq!(tag["networkFeatures"], common::features_json(handle));
    assert_eq!(
        tag["addressPrefixes"].as_array().unwrap().len(),
        snap.tag("AzureMachineLearning.FranceCentral")
            .unwrap()
            .prefixes()
            .len()
    );
    let handle = snap.tag("AzureMachineLearning").unwrap();
    let global = serde_json::to_value(handle).unwrap();
    assert_eq!(global["networkFeatures"], common::features_json(handle));
    assert_eq!(global["region"], serde_json::Value::Null);
    let region = serde_json::to_value(snap.region("westus3").unwrap()).unwrap();
    assert_eq!(region["paired"], "eastus");
    assert_eq!(region["displayName"], "West US 3");
    assert_eq!(
        serde_json::to_value(Cloud::AzureGovernment).unwrap(),
        "AzureGovernment"
    );
    let published = snap.published().unwrap();
    assert_eq!(
        serde_json::to_value(published).unwrap(),
        published.to_string()
    );
}

#[cfg(feature = "json")]
mod json_loaded {
    use super::common::{edited_public, pinned_change_number, prefixes_mut};
    use super::*;
    use azure_service_tags::TagFilter as Filter;
    use azure_service_tags::diff::diff;
    use azure_service_tags::official::export_official;

    /// The embedded snapshot exported to official JSON and loaded back at run time.
    fn reloaded() -> &'static Snapshot {
        static SNAP: std::sync::OnceLock<Snapshot> = std::sync::OnceLock::new();
        SNAP.get_or_init(|| Snapshot::from_json(export_official(public()).as_bytes()).unwrap())
    }

    fn answers(snap: &Snapshot, ip: IpAddr) -> Vec<usize> {
        snap.tags_containing(ip).map(|t| t.index()).collect()
    }

    #[test]
    fn every_tag_and_region_is_the_same() {
        let (a, b) = (public(), reloaded());
        assert_eq!(a.change_number(), b.change_number());
        assert_eq!(a.tags().len(), b.tags().len());
        for (x, y) in a.tags().zip(b.tags()) {
            assert_eq!(x.name(), y.name());
            assert_eq!(x.region().map(|r| r.name()), y.region().map(|r| r.name()));
            assert_eq!(x.region_code(), y.region_code());
            assert_eq!(x.network_features(), y.network_features());
            assert!(x.prefixes().eq(y.prefixes()));
        }
        assert_eq!(a.regions().len(), b.regions().len());
        for (x, y) in a.regions().zip(b.regions()) {
            assert_eq!(
                (x.name(), x.display_name(), x.code()),
                (y.name(), y.display_name(), y.code())
            );
            assert_eq!(x.paired().map(|p| p.name()), y.paired().map(|p| p.name()));
        }
    }

    #[test]
    fn boundary_addresses_get_the_same_answers() {
        let (a, b) = (public(), reloaded());
        let mut n = 0;
        for tag in a.tags() {
            for p in tag.prefixes() {
                for ip in [p.network(), p.broadcast()] {
                    assert_eq!(answers(a, ip), answers(b, ip), "{ip}");
                    n += 1;
                }
                let (lo, hi) = match p {
                    ipnet::IpNet::V4(n) => (
                        u32::from(n.network())
                            .checked_sub(1)
                            .map(|x| IpAddr::V4(x.into())),
                        u32::from(n.broadcast())
                            .checked_add(1)
                            .map(|x| IpAddr::V4(x.into())),
                    ),
                    ipnet::IpNet::V6(n) => (
                        u128::from(n.network())
                            .checked_sub(1)
                            .map(|x| IpAddr::V6(x.into())),
                        u128::from(n.broadcast())
                            .checked_add(1)
                            .map(|x| IpAddr::V6(x.into())),
                    ),
                };
                for ip in [lo, hi].into_iter().flatten() {
                    assert_eq!(answers(a, ip), answers(b, ip), "{ip}");
                }
            }
        }
        let (v4, v6) = crate::pinned::public().prefix_counts();
        assert_eq!(n, 2 * (v4 + v6));
    }

    proptest! {
        #[test]
        fn random_addresses_get_the_same_answers(a in any::<u32>(), b in any::<u128>()) {
            for ip in [IpAddr::V4(Ipv4Addr::from(a)), IpAddr::V6(Ipv6Addr::from(b))] {
                prop_assert_eq!(answers(public(), ip), answers(reloaded(), ip));
            }
        }
    }

    #[test]
    fn diff_reports_tags_and_prefixes() {
        let mut gone = serde_json::Value::Null;
        let json = edited_public(pinned_change_number(), |v| {
            let prefixes = prefixes_mut(v, "AzureMachineLearning.EastUS2");
            gone = prefixes.remove(0);
            prefixes.push("192.0.2.0/24".into());
            let values = v["values"].as_array_mut().unwrap();
            values.retain(|t| t["name"] != "AzureMachineLearning.FranceSouth");
        });
        let newer = Snapshot::from_json(json.as_bytes()).unwrap();
        let all = diff(public(), &newer, &Filter::default()).unwrap();
        assert_eq!(all.removed_tags.len(), 1);
        assert_eq!(all.removed_tags[0].0, "AzureMachineLearning.FranceSouth");
        assert_eq!(all.changed.len(), 1);
        assert_eq!(
            all.changed[0].added,
            ["192.0.2.0/24".parse::<ipnet::IpNet>().unwrap()]
        );
        assert_eq!(
            all.changed[0].removed[0].to_string(),
            gone.as_str().unwrap()
        );
        assert_eq!(all.newer().change_number, pinned_change_number());
        let text = all.to_text();
        assert!(
            text.contains("- tag AzureMachineLearning.FranceSouth")
                && text.contains("  + 192.0.2.0/24"),
            "{text}"
        );
        let json: serde_json::Value = serde_json::from_str(&all.to_json()).unwrap();
        assert_eq!(
            json["removedTags"][0]["name"],
            "AzureMachineLearning.FranceSouth"
        );
        // Filters.
        let by_region = diff(
            public(),
            &newer,
            &Filter {
                service: None,
                region: Some("East US 2"),
            },
        )
        .unwrap();
        assert_eq!(
            (by_region.changed.len(), by_region.removed_tags.len()),
            (1, 0)
        );
        let by_service = diff(
            public(),
            &newer,
            &Filter {
                service: Some("Storage"),
                region: None,
            },
        )
        .unwrap();
        assert!(by_service.is_empty());
        assert!(
            diff(
                public(),
                &newer,
                &Filter {
                    service: None,
                    region: Some("atlantis")
                }
            )
            .is_err()
        );
    }

    #[test]
    fn load_errors_name_the_problem() {
        let e = Snapshot::from_json(&b"<html>"[..]).unwrap_err().to_string();
        assert!(e.contains("not JSON"), "{e}");
        let e = Snapshot::from_path("/nonexistent/ServiceTags_Public_20250101.json")
            .unwrap_err()
            .to_string();
        assert!(e.contains("/nonexistent/"), "{e}");
        let e = Snapshot::from_json(&br#"{"changeNumber": 1, "cloud": "Mars", "values": []}"#[..])
            .unwrap_err();
        assert!(e.to_string().contains("Mars"));
    }
}

/// Every published property, each time: the data's properties are the table's
/// (`Property::ALL`), `Tag::property` gives each one as the data writes it, and the
/// handle's JSON and the official export carry each one under its name. A property
/// added to the table and forgotten by one of them fails here.
#[cfg(feature = "json")]
#[test]
fn every_published_property_reaches_every_output() {
    use azure_service_tags::{Property, official::export_official};
    let snap = public();
    let data = pinned::public();
    let exported: serde_json::Value = serde_json::from_str(&export_official(snap)).unwrap();
    let officials: Vec<&str> = Property::ALL.iter().map(|p| p.official()).collect();
    for ((tag, pinned), value) in snap
        .tags()
        .zip(&data.tags)
        .zip(exported["values"].as_array().unwrap())
    {
        assert!(
            pinned
                .properties
                .keys()
                .all(|k| officials.contains(&k.as_str())),
            "{}",
            tag.name()
        );
        let json = serde_json::to_value(tag).unwrap();
        for p in Property::ALL {
            let held = tag.property(p);
            assert_eq!(
                held.map(|v| v.to_string()).as_deref(),
                pinned.property(p.official()),
                "{} {p}",
                tag.name()
            );
            let place = if p.in_properties() {
                &value["properties"]
            } else {
                value
            };
            assert_eq!(
                place.get(p.official()).is_some(),
                held.is_some(),
                "{} {p} exported",
                tag.name()
            );
            let expected = held.map_or(serde_json::Value::Null, |v| {
                serde_json::to_value(v).unwrap()
            });
            assert_eq!(
                json.get(p.json()).cloned().unwrap_or_default(),
                expected,
                "{} {p} as JSON",
                tag.name()
            );
            assert_eq!(
                place.get(p.official()).cloned().unwrap_or_default(),
                expected,
                "{} {p} exported",
                tag.name()
            );
        }
    }
}

/// `Snapshot::named`: a cloud in any spelling is the compiled-in snapshot; a file is
/// loaded once and shared, read again when it changes, and its matchers are kept.
#[cfg(feature = "json")]
#[test]
fn a_named_file_is_loaded_once_and_again_when_it_changes() {
    use azure_service_tags::{NamedError, official::export_official};
    assert!(std::ptr::eq(
        &*Snapshot::named("AzureCloud").unwrap(),
        public()
    ));
    let dir = std::env::temp_dir().join(format!("aztags-named-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ServiceTags_Public_20990105.json");
    let json = export_official(public());
    std::fs::write(&path, &json).unwrap();
    let spec = path.to_str().unwrap();
    let first = Snapshot::named(spec).unwrap();
    assert!(first.same(&Snapshot::named(spec).unwrap()));
    let (_, m1) = first.service_matcher("azuremachinelearning").unwrap();
    let (_, m2) = Snapshot::named(spec)
        .unwrap()
        .service_matcher("AzureMachineLearning")
        .unwrap();
    assert!(std::sync::Arc::ptr_eq(&m1, &m2));
    // The next week's file under the same name, written a minute later.
    let next = public().change_number() + 1;
    let changed = json.replacen(
        &format!("\"changeNumber\": {}", public().change_number()),
        &format!("\"changeNumber\": {next}"),
        1,
    );
    std::fs::write(&path, changed).unwrap();
    let later = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let second = Snapshot::named(spec).unwrap();
    assert!(!second.same(&first));
    assert_eq!(second.change_number(), next);
    assert_eq!(
        first.change_number(),
        public().change_number(),
        "the old one lives on"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    let missing = Snapshot::named(spec).unwrap_err();
    assert!(matches!(missing, NamedError::Open { .. }) && missing.to_string().contains(spec));
}
