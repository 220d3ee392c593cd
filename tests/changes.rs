//! The change report misses nothing: prefixes, every published property, tags added and
//! removed, and what a change of the `UDR` feature means for routes; in `aztags diff`
//! (text and JSON, filtered) and in refresh's report. The facts come from two small
//! official files written for this test (`tests/fixtures/`): a week, then the next one
//! published with CRLF line endings and no final newline, as Microsoft publishes some.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use azure_service_tags::refresh::{RefreshOptions, refresh_from_bytes};
use azure_service_tags::{Cloud, Snapshot, diff::ChangeReport};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

const OLD: &str = "ServiceTags_Public_20990105.json";
const NEW: &str = "ServiceTags_Public_20990112.json";

fn diff(extra: &[&str]) -> Output {
    let (old, new) = (fixture(OLD), fixture(NEW));
    let mut args = vec!["diff", old.to_str().unwrap(), new.to_str().unwrap()];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_aztags"))
        .args(&args)
        .output()
        .unwrap()
}

fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap()
}

/// The `changed` entry of the tag named `name`.
fn changed<'v>(v: &'v serde_json::Value, name: &str) -> &'v serde_json::Value {
    v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("{name} not reported: {v}"))
}

#[test]
fn the_fixtures_are_what_this_test_says() {
    let new = std::fs::read(fixture(NEW)).unwrap();
    assert!(new.windows(2).any(|w| w == b"\r\n"), "CRLF line endings");
    assert!(!new.ends_with(b"\n"), "no final newline");
    assert!(!std::fs::read(fixture(OLD)).unwrap().contains(&b'\r'));
}

#[test]
fn every_property_change_is_reported_in_text() {
    let o = diff(&[]);
    assert_eq!(o.status.code(), Some(1), "differences found");
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("changeNumber 10 -> 11"), "{out}");
    assert!(
        out.contains("tags: 1 added, 1 removed, 7 changed; prefixes: 4 added, 3 removed"),
        "{out}"
    );
    for line in [
        "+ tag Demo.New (2 prefixes)",
        "- tag Demo.Gone (1 prefix)",
        "~ tag GatewayManager.EastUS2: 0 added, 0 removed, 1 property changed\n  * networkFeatures null -> [NSG]\n",
        "~ tag Storage.EastUS2: 0 added, 0 removed, 2 properties changed\n  * networkFeatures [API,NSG] -> [API,NSG,UDR]\n  * changeNumber 7 -> 8\n  ! UDR added",
        "  * networkFeatures [API,NSG,UDR] -> [API,NSG]\n  * changeNumber 4 -> 5\n  ! UDR removed",
        "  * region eastus2 -> centralus\n  * regionId 2 -> 1\n",
        "  * platform Azure -> AzureStack\n  * systemService Demo -> DemoService\n  * id Demo.Renamed -> Demo.Renamed2\n",
        "~ tag AzureMachineLearning.EastUS2: 1 added, 1 removed, 1 property changed\n  * changeNumber 1 -> 2\n  + 192.0.2.16/28\n  - 192.0.2.0/28\n",
    ] {
        assert!(out.contains(line), "missing {line:?} in\n{out}");
    }
    // A networkFeatures change without UDR says nothing about routes.
    let gateway = out.split("~ tag GatewayManager.EastUS2").nth(1).unwrap();
    assert!(!gateway.lines().take(3).any(|l| l.contains("UDR")), "{out}");
}

#[test]
fn every_property_change_is_reported_in_json() {
    let v = json(&diff(&["--format", "json"]));
    assert_eq!(v["changed"].as_array().unwrap().len(), 7);
    assert_eq!(
        v["addedTags"],
        serde_json::json!([{"name": "Demo.New", "prefixes": 2}])
    );
    assert_eq!(
        v["removedTags"],
        serde_json::json!([{"name": "Demo.Gone", "prefixes": 1}])
    );
    let gateway = changed(&v, "GatewayManager.EastUS2");
    assert_eq!(
        gateway["properties"],
        serde_json::json!([{"property": "networkFeatures", "old": "null", "new": "[NSG]"}])
    );
    assert_eq!(gateway["udr"], serde_json::Value::Null);
    assert_eq!(gateway["added"], serde_json::json!([]));
    assert_eq!(changed(&v, "Storage.EastUS2")["udr"], "added");
    assert_eq!(changed(&v, "Sql.EastUS2")["udr"], "removed");
    let moved = &changed(&v, "Demo.Moved")["properties"];
    assert_eq!(
        moved[0],
        serde_json::json!({"property": "region", "old": "eastus2", "new": "centralus"})
    );
    assert_eq!(moved[1]["property"], "regionId");
    let renamed: Vec<&str> = changed(&v, "Demo.Renamed")["properties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["property"].as_str().unwrap())
        .collect();
    assert_eq!(renamed, ["platform", "systemService", "id"]);
}

/// The fixtures change every property of the crate's table, so a property the change
/// report forgot would fail here.
#[test]
fn the_fixtures_change_every_published_property() {
    let v = json(&diff(&["--format", "json"]));
    let reported: std::collections::BTreeSet<&str> = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["properties"].as_array().unwrap())
        .map(|p| p["property"].as_str().unwrap())
        .collect();
    let table = azure_service_tags::Property::ALL.map(|p| p.official());
    assert_eq!(reported, table.into_iter().collect());
}

#[test]
fn service_and_region_filter_the_whole_report() {
    let v = json(&diff(&[
        "--service",
        "AzureMachineLearning",
        "--format",
        "json",
    ]));
    let names: Vec<&str> = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["AzureMachineLearning", "AzureMachineLearning.EastUS2"]
    );
    assert_eq!(v["addedTags"], serde_json::json!([]));
    let v = json(&diff(&["--region", "eastus2", "--format", "json"]));
    let mut names: Vec<&str> = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    // Demo.Moved left eastus2: in the old snapshot's selection only, so it is removed.
    assert_eq!(
        names,
        [
            "AzureMachineLearning.EastUS2",
            "GatewayManager.EastUS2",
            "Sql.EastUS2",
            "Storage.EastUS2"
        ]
    );
    assert_eq!(v["removedTags"][0]["name"], "Demo.Moved");
    let o = diff(&["--service", "Demo", "--region", "francecentral"]);
    assert_eq!(o.status.code(), Some(0), "nothing changed there");
}

#[test]
fn crlf_files_without_a_final_newline_read_like_lf_ones() {
    let crlf = std::fs::read(fixture(NEW)).unwrap();
    let lf: Vec<u8> = String::from_utf8(crlf.clone())
        .unwrap()
        .replace("\r\n", "\n")
        .into_bytes();
    let a = Snapshot::from_json(&crlf[..]).unwrap();
    let b = Snapshot::from_json(&lf[..]).unwrap();
    assert!(ChangeReport::between(&a, &b).is_empty());
    assert_eq!(a.tags().len(), 9);
    assert_eq!(a.change_number(), 11);
}

#[test]
fn refresh_reports_property_changes_too() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let options = RefreshOptions::default();
    let read = |name: &str| std::fs::read(fixture(name)).unwrap();
    let first = refresh_from_bytes(Cloud::Public, &read(OLD), OLD, &data, &options).unwrap();
    assert!(first.report.is_none(), "no pinned snapshot to compare with");
    let s = refresh_from_bytes(Cloud::Public, &read(NEW), NEW, &data, &options).unwrap();
    let report = s.report.unwrap();
    let gateway = report
        .changed
        .iter()
        .find(|c| c.name == "GatewayManager.EastUS2")
        .unwrap();
    assert_eq!(
        gateway.properties[0].to_string(),
        "networkFeatures null -> [NSG]"
    );
    let text = std::fs::read_to_string(data.join("public/changes.txt")).unwrap();
    assert!(text.contains("  ! UDR added"), "{text}");
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("public/changes.json")).unwrap()).unwrap();
    assert_eq!(json["changed"].as_array().unwrap().len(), 7);
}

#[test]
fn refreshing_to_the_pinned_snapshot_again_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let options = RefreshOptions::default();
    let read = |name: &str| std::fs::read(fixture(name)).unwrap();
    refresh_from_bytes(Cloud::Public, &read(OLD), OLD, &data, &options).unwrap();
    let s = refresh_from_bytes(Cloud::Public, &read(NEW), NEW, &data, &options).unwrap();
    assert!(!s.unchanged && !s.written.is_empty());
    let report = std::fs::read(data.join("public/changes.txt")).unwrap();
    let again = refresh_from_bytes(Cloud::Public, &read(NEW), NEW, &data, &options).unwrap();
    assert!(again.unchanged && again.written.is_empty() && again.report.is_none());
    // The report of the refresh that changed something is kept.
    assert_eq!(
        std::fs::read(data.join("public/changes.txt")).unwrap(),
        report
    );
}
