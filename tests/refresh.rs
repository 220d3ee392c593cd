//! The refresh tool: every real shape of the official file is accepted, every bad one
//! is refused with the file, tag and value named and `data/` left byte-for-byte as it
//! was, and the pinned snapshot exports back to the file it came from.

use std::process::Command;

use azure_service_tags::__private::datafile::{
    Features, Pair, parse_regions, parse_snapshot, write_snapshot,
};
use azure_service_tags::__private::{build_regions, parse_official};
use azure_service_tags::official::{RegionSources, export_official};
use azure_service_tags::refresh::{RefreshError, RefreshOptions, refresh_from_bytes};
use azure_service_tags::{Cloud, NetworkFeatures, Snapshot, public};

mod common;
use common::{
    PUBLIC_REGIONS, PUBLIC_TAGS, edited_public, hash_tree, pinned_change_number, prefixes_mut,
    seeded,
};

/// The pinned Public snapshot as an official file whose changeNumber is `ahead` past the
/// pinned one (negative: older), with `edit` applied.
fn newer_public(ahead: i64, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let number = i64::from(pinned_change_number()) + ahead;
    edited_public(u32::try_from(number).unwrap(), edit)
}

/// The changeNumber `n` past the pinned one.
fn ahead(n: u32) -> u32 {
    pinned_change_number() + n
}

/// AzureCloud's first prefix in the pinned snapshot, which `typical_week` removes.
fn first_azure_cloud_prefix() -> String {
    public()
        .tag("AzureCloud")
        .unwrap()
        .prefixes()
        .next()
        .unwrap()
        .to_string()
}

fn official(change_number: &str, cloud: &str, values: &str) -> String {
    format!(r#"{{"changeNumber": {change_number}, "cloud": "{cloud}", "values": [{values}]}}"#)
}

const GOOD_TAG: &str = r#"{"name": "Demo.FranceCentral", "id": "Demo.FranceCentral", "properties": {
    "changeNumber": 2, "region": "centralfrance", "regionId": 19, "platform": "Azure",
    "systemService": "Demo", "addressPrefixes": ["192.0.2.0/24", "2001:db8::/32"],
    "networkFeatures": null}}"#;

#[test]
fn the_pinned_public_snapshot_exports_back_to_its_source() {
    let json = export_official(public());
    let back = parse_official(json.as_bytes(), public().source().file_name()).unwrap();
    let pinned = parse_snapshot(PUBLIC_TAGS, "service-tags.txt").unwrap();
    assert_eq!(back.snapshot.tags, pinned.tags);
    assert_eq!(
        back.snapshot.header.change_number,
        pinned.header.change_number
    );
    assert_eq!(
        back.snapshot.header.cloud,
        azure_service_tags::Cloud::Public
    );
    // data/ is a fixed point of the writer: same facts, same bytes.
    let mut rewritten = back.snapshot.clone();
    rewritten.header = pinned.header.clone();
    assert_eq!(write_snapshot(&rewritten).unwrap(), PUBLIC_TAGS);
}

#[test]
fn a_2019_file_without_region_id_and_network_features_is_accepted() {
    let json = official(
        "51",
        "Public",
        r#"{"name": "Old", "id": "Old", "properties": {"changeNumber": 1, "region": "",
            "platform": "Azure", "systemService": "", "addressPrefixes": ["13.64.0.0/11"]}},
           {"name": "Old.WestUS", "id": "Old.WestUS", "properties": {"changeNumber": 1,
            "region": "westus", "platform": "Azure", "systemService": "",
            "addressPrefixes": ["13.64.0.0/16"]}}"#,
    );
    let dir = tempfile::tempdir().unwrap();
    let summary = refresh_from_bytes(
        Cloud::Public,
        json.as_bytes(),
        "ServiceTags_Public_20190612.json",
        dir.path(),
        &RefreshOptions::default(),
    )
    .unwrap();
    assert_eq!((summary.tags, summary.ipv4, summary.ipv6), (2, 2, 0));
    assert_eq!(summary.previous_change_number, None);
    let tags = std::fs::read_to_string(dir.path().join("public/service-tags.txt")).unwrap();
    let regions = std::fs::read_to_string(dir.path().join("public/regions.tsv")).unwrap();
    assert!(tags.contains("published 2019-06-12"));
    let snap = Snapshot::from_data(&tags, &regions).unwrap();
    let old = snap.tag("old.westus").unwrap();
    assert_eq!(old.region_id(), None);
    assert_eq!(old.network_features(), NetworkFeatures::Absent);
    assert_eq!(old.region().unwrap().name(), "westus");
    let exported = export_official(&snap);
    assert!(!exported.contains("regionId") && !exported.contains("networkFeatures"));
    assert!(
        azure_service_tags::official::semantic_difference(exported.as_bytes(), json.as_bytes())
            .unwrap()
            .is_none()
    );
}

#[test]
fn discovery_api_output_with_a_bom_is_accepted_with_a_warning() {
    let json = format!(
        "\u{feff}{}",
        r#"{"changeNumber": "9001", "cloud": "Public", "id": "/subscriptions/x/providers/Microsoft.Network/serviceTags/Public",
            "name": "Public", "type": "Microsoft.Network/serviceTags", "values": [
            {"name": "Demo", "id": "Demo", "serviceTagChangeNumber": "9", "properties": {"changeNumber": "3",
             "region": "", "regionId": 0, "platform": "Azure", "systemService": "Demo", "state": "GA",
             "addressPrefixes": ["192.0.2.0/24"], "networkFeatures": ["API", "NSG"]}}]}"#
    );
    let parsed = parse_official(json.as_bytes(), "tags.json").unwrap();
    assert_eq!(parsed.snapshot.header.change_number, 9001);
    assert_eq!(parsed.snapshot.header.published, None);
    assert_eq!(parsed.snapshot.tags[0].change_number, Some(3));
    assert_eq!(
        parsed.snapshot.tags[0].network_features,
        Features::List(vec!["API".into(), "NSG".into()])
    );
    let warnings = parsed.warnings.join("\n");
    assert!(warnings.contains("list-service-tags"), "{warnings}");
    assert!(warnings.contains("AzureMachineLearning"), "{warnings}");
    assert!(warnings.contains("\"state\""), "{warnings}");
}

#[test]
fn bad_files_are_refused_and_data_is_left_untouched() {
    let (_dir, data) = seeded();
    let before = hash_tree(&data);
    let newer_number = ahead(25).to_string();
    let newer = |values: &str| official(&newer_number, "Public", values);
    let (older, pinned) = (
        (pinned_change_number() - 1).to_string(),
        pinned_change_number().to_string(),
    );
    let cases: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "wrong cloud",
            official("400", "AzureGovernment", GOOD_TAG).into_bytes(),
            vec!["\"AzureGovernment\"", "public"],
        ),
        (
            "duplicate",
            newer(&format!(
                "{GOOD_TAG},{}",
                GOOD_TAG.replace("Demo.FranceCentral\", \"id", "demo.francecentral\", \"id")
            ))
            .into_bytes(),
            vec!["demo.francecentral", "twice"],
        ),
        (
            "host bits",
            newer(&GOOD_TAG.replace("192.0.2.0/24", "192.0.2.1/24")).into_bytes(),
            vec!["Demo.FranceCentral", "192.0.2.1/24", "host bits"],
        ),
        (
            "not a prefix",
            newer(&GOOD_TAG.replace("192.0.2.0/24", "192.0.2.0")).into_bytes(),
            vec!["Demo.FranceCentral", "\"192.0.2.0\""],
        ),
        (
            "prefix not a string",
            newer(&GOOD_TAG.replace("\"192.0.2.0/24\"", "17")).into_bytes(),
            vec!["Demo.FranceCentral", "17"],
        ),
        (
            "bad features",
            newer(&GOOD_TAG.replace("\"networkFeatures\": null", "\"networkFeatures\": \"UDR\""))
                .into_bytes(),
            vec!["Demo.FranceCentral", "networkFeatures"],
        ),
        (
            "bad change number",
            official("\"soon\"", "Public", GOOD_TAG).into_bytes(),
            vec!["changeNumber", "soon"],
        ),
        (
            "html",
            b"<!DOCTYPE html><html><body>Download</body></html>".to_vec(),
            vec!["not JSON"],
        ),
        (
            "other json",
            br#"{"hello": "world"}"#.to_vec(),
            vec!["values"],
        ),
        (
            "truncated",
            newer(GOOD_TAG).as_bytes()[..100].to_vec(),
            vec!["not JSON"],
        ),
        ("not utf-8", vec![0xff, 0xfe, b'{', b'}'], vec!["UTF-8"]),
        ("empty", Vec::new(), vec!["not JSON"]),
        (
            "downgrade",
            official(&older, "Public", GOOD_TAG).into_bytes(),
            vec![
                older.as_str(),
                pinned.as_str(),
                "refusing to go back in time",
            ],
        ),
        (
            "unknown region",
            newer(&GOOD_TAG.replace("centralfrance", "mars central")).into_bytes(),
            vec!["mars central"],
        ),
    ];
    // The size guards have their own test; here they would hide the real error.
    let force = RefreshOptions {
        force: true,
        ..RefreshOptions::default()
    };
    for (what, bytes, expected) in cases {
        let err =
            refresh_from_bytes(Cloud::Public, &bytes, "input.json", &data, &force).expect_err(what);
        let shown = err.to_string();
        assert!(
            shown.contains("input.json") || matches!(err, RefreshError::Load(_)),
            "{what}: {shown}"
        );
        for e in expected {
            assert!(
                shown.contains(e),
                "{what}: {shown:?} does not mention {e:?}"
            );
        }
        assert_eq!(hash_tree(&data), before, "{what} changed data/");
    }
}

/// A plausible week: AzureCloud loses its first prefix, and a tag is added.
fn typical_week(v: &mut serde_json::Value) {
    let removed = prefixes_mut(v, "AzureCloud").remove(0);
    assert_eq!(removed, first_azure_cloud_prefix().as_str());
    v["values"]
        .as_array_mut()
        .unwrap()
        .push(serde_json::from_str(GOOD_TAG).unwrap());
}

#[test]
fn a_newer_file_replaces_the_snapshot_and_downgrades_need_consent() {
    let (_dir, data) = seeded();
    let json = newer_public(5, typical_week);
    let s = refresh_from_bytes(
        Cloud::Public,
        json.as_bytes(),
        "ServiceTags_Public_20251111.json",
        &data,
        &RefreshOptions::default(),
    )
    .unwrap();
    assert_eq!(
        (s.previous_change_number, s.change_number),
        (Some(pinned_change_number()), ahead(5))
    );
    let report = s.report.unwrap();
    assert_eq!(report.added_tags, [("Demo.FranceCentral".to_string(), 2)]);
    assert_eq!(report.changed.len(), 1);
    assert_eq!(report.changed[0].name, "AzureCloud");
    let first = first_azure_cloud_prefix();
    assert_eq!(
        report.changed[0].removed,
        [first.parse::<ipnet::IpNet>().unwrap()]
    );
    let text = std::fs::read_to_string(data.join("public/changes.txt")).unwrap();
    let numbers = format!("changeNumber {} -> {}", pinned_change_number(), ahead(5));
    assert!(
        text.contains(&numbers) && text.contains(&format!("  - {first}")),
        "{text}"
    );
    let json_report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.join("public/changes.json")).unwrap()).unwrap();
    assert_eq!(json_report["changed"][0]["removed"][0], first.as_str());
    assert_eq!(json_report["new"]["published"], "2025-11-11");
    let regions = std::fs::read_to_string(data.join("public/regions.tsv")).unwrap();
    // The pinned region table is kept when no sources are given.
    assert_eq!(
        parse_regions(&regions, "r").unwrap(),
        parse_regions(PUBLIC_REGIONS, "r").unwrap()
    );
    let older = newer_public(4, typical_week);
    assert!(matches!(
        refresh_from_bytes(
            Cloud::Public,
            older.as_bytes(),
            "o.json",
            &data,
            &RefreshOptions::default()
        ),
        Err(RefreshError::Downgrade { pinned, found, .. }) if (pinned, found) == (ahead(5), ahead(4))
    ));
    let allow = RefreshOptions {
        allow_downgrade: true,
        ..RefreshOptions::default()
    };
    assert_eq!(
        refresh_from_bytes(Cloud::Public, older.as_bytes(), "o.json", &data, &allow)
            .unwrap()
            .change_number,
        ahead(4)
    );
    // No temporary files are left behind.
    let names: Vec<String> = std::fs::read_dir(data.join("public"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 4, "{names:?}");
}

#[test]
fn shrinking_files_and_dropped_ml_tags_need_force() {
    let (_dir, data) = seeded();
    let before = hash_tree(&data);
    // A file with a fifth of AzureCloud's prefixes gone: over 10% of all prefixes.
    let all_prefixes = public().prefix_counts().0 + public().prefix_counts().1;
    let shrunk = newer_public(15, |v| {
        let values = v["values"].as_array_mut().unwrap();
        let cloud = values
            .iter_mut()
            .find(|t| t["name"] == "AzureCloud")
            .unwrap();
        cloud["properties"]["addressPrefixes"] = serde_json::json!([]);
        for t in values
            .iter_mut()
            .filter(|t| t["name"].as_str().unwrap().starts_with("AzureCloud."))
        {
            t["properties"]["addressPrefixes"] = serde_json::json!([]);
        }
    });
    let err = refresh_from_bytes(
        Cloud::Public,
        shrunk.as_bytes(),
        "shrunk.json",
        &data,
        &RefreshOptions::default(),
    )
    .unwrap_err();
    assert!(
        matches!(err, RefreshError::Shrink { pinned, .. } if pinned == all_prefixes),
        "{err}"
    );
    assert!(err.to_string().contains("refusing"));
    let dropped = newer_public(15, |v| {
        let values = v["values"].as_array_mut().unwrap();
        values.retain(|t| t["name"] != "AzureMachineLearning.FranceSouth");
    });
    let protect_ml = RefreshOptions {
        protected: vec!["AzureMachineLearning".into()],
        ..RefreshOptions::default()
    };
    let err = refresh_from_bytes(
        Cloud::Public,
        dropped.as_bytes(),
        "dropped.json",
        &data,
        &protect_ml,
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("AzureMachineLearning.FranceSouth"),
        "{err}"
    );
    assert_eq!(hash_tree(&data), before);
    let force = RefreshOptions {
        force: true,
        ..RefreshOptions::default()
    };
    let s = refresh_from_bytes(
        Cloud::Public,
        dropped.as_bytes(),
        "dropped.json",
        &data,
        &force,
    )
    .unwrap();
    assert_eq!(
        s.report.unwrap().removed_tags[0].0,
        "AzureMachineLearning.FranceSouth"
    );
}

#[test]
fn region_table_from_microsofts_lists() {
    let locations = br#"[
      {"name": "global", "displayName": "Global", "metadata": {"regionType": "Logical"}},
      {"name": "francecentral", "displayName": "France Central", "metadata": {"regionType": "Physical",
       "geography": "France", "pairedRegion": [{"name": "francesouth"}]}},
      {"name": "francesouth", "displayName": "France South", "metadata": {"regionType": "Physical",
       "geography": "France", "pairedRegion": [{"name": "francecentral"}]}},
      {"name": "italynorth", "displayName": "Italy North", "metadata": {"regionType": "Physical", "geography": "Italy"}}
    ]"#;
    let pairs = "cloud,region,secondary,geography,note\n\
        Public,francecentral,francesouth,France,\n\
        Public,francesouth,francecentral,France,access restricted\n\
        Public,westus3,eastus,United States,one direction only\n\
        Public,eastus,westus,United States,\n\
        Public,westus,eastus,United States,\n\
        AzureChinaCloud,chinanorth,chinaeast,China,\n";
    let tags = official(
        "1",
        "Public",
        &[
            GOOD_TAG.to_string(),
            GOOD_TAG.replace("Demo.FranceCentral", "AzureCloud.centralfrance"),
            GOOD_TAG
                .replace("Demo.FranceCentral", "Demo.FranceSouth")
                .replace(
                    "\"centralfrance\", \"regionId\": 19",
                    "\"southfrance\", \"regionId\": 20",
                ),
            GOOD_TAG
                .replace("Demo.FranceCentral", "Demo.TaiwanNorth")
                .replace(
                    "\"centralfrance\", \"regionId\": 19",
                    "\"taiwannorth\", \"regionId\": 8",
                ),
        ]
        .join(","),
    );
    let snap = parse_official(tags.as_bytes(), "t.json").unwrap().snapshot;
    let sources = RegionSources {
        locations: Some(locations.to_vec()),
        locations_name: "locations.json".into(),
        pairs: Some(pairs.into()),
        pairs_name: "pairs.csv".into(),
    };
    let rows = build_regions(Cloud::Public, &snap, &sources, &[]).unwrap();
    let names: Vec<&str> = rows.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "eastus",
            "francecentral",
            "francesouth",
            "italynorth",
            "taiwannorth",
            "westus",
            "westus3"
        ]
    );
    let row = |n: &str| rows.iter().find(|r| r.name == n).unwrap();
    assert_eq!(row("francecentral").code.as_deref(), Some("centralfrance"));
    assert_eq!(row("francecentral").region_id, Some(19));
    assert_eq!(row("francesouth").code.as_deref(), Some("southfrance"));
    assert_eq!(row("taiwannorth").display_name, None);
    assert_eq!(row("westus3").paired.region(), Some("eastus"));
    assert_eq!(row("eastus").paired.region(), Some("westus"));
    // Listed without a pair: none; known only by its code: not known.
    assert_eq!(row("italynorth").paired, Pair::Unpaired);
    assert_eq!(row("taiwannorth").paired, Pair::Unknown);
    assert_eq!(row("westus3").geography.as_deref(), Some("United States"));
    let bad = RegionSources {
        pairs: Some("region,secondary\n".into()),
        pairs_name: "pairs.csv".into(),
        ..RegionSources::default()
    };
    let e = build_regions(Cloud::Public, &snap, &bad, &[])
        .unwrap_err()
        .to_string();
    assert!(e.contains("pairs.csv") && e.contains("header"), "{e}");
    let bad = RegionSources {
        locations: Some(b"{}".to_vec()),
        locations_name: "loc.json".into(),
        ..RegionSources::default()
    };
    let e = build_regions(Cloud::Public, &snap, &bad, &[])
        .unwrap_err()
        .to_string();
    assert!(e.contains("loc.json"), "{e}");
}

fn refresh_cli(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_refresh-service-tags"))
        .args(args)
        .output()
        .unwrap()
}

#[test]
fn the_refresh_command_line() {
    let (dir, data) = seeded();
    let data_arg = data.to_str().unwrap();
    let public = |args: &[&str]| {
        let mut all = vec!["--cloud", "public", "--data", data_arg];
        all.extend_from_slice(args);
        refresh_cli(&all)
    };
    // Export the pinned snapshot, then verify it against the export.
    let out = dir.path().join("export.json");
    let o = public(&["export", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let pinned = format!("changeNumber {}", pinned_change_number());
    assert!(String::from_utf8_lossy(&o.stdout).contains(&pinned));
    let o = public(&["verify", out.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("semantically identical"));
    // A changed file fails verification, saying where.
    let first_tag = azure_service_tags::public().tags().next().unwrap();
    let first_prefix = first_tag.prefixes().next().unwrap();
    let changed = std::fs::read_to_string(&out).unwrap().replacen(
        &format!("\"{first_prefix}\""),
        "\"192.0.2.0/30\"",
        1,
    );
    let changed_path = dir.path().join("changed.json");
    std::fs::write(&changed_path, changed).unwrap();
    let o = public(&["verify", changed_path.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains(first_tag.name()) && err.contains("192.0.2.0/30"),
        "{err}"
    );
    // Refresh from a newer file.
    let newer = dir.path().join("ServiceTags_Public_20251201.json");
    std::fs::write(&newer, newer_public(15, typical_week)).unwrap();
    let o = public(&["from", newer.to_str().unwrap()]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let stdout = String::from_utf8_lossy(&o.stdout);
    let (v4, v6) = azure_service_tags::public().prefix_counts();
    // typical_week adds a tag with one prefix of each family and drops one IPv4 prefix.
    let counts = format!(
        "{} tags, {v4} IPv4 + {} IPv6 prefixes",
        azure_service_tags::public().tags().len() + 1,
        v6 + 1
    );
    assert!(
        stdout.contains(&counts)
            && stdout.contains(&format!("{} -> {}", pinned_change_number(), ahead(15)))
            && stdout.contains("~ tag AzureCloud: 0 added, 1 removed"),
        "{stdout}"
    );
    // A bad file: exit 2, the file named, nothing written.
    let before = hash_tree(&data);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "<html>").unwrap();
    let o = public(&["from", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("bad.json"));
    assert_eq!(hash_tree(&data), before);
    // Usage errors.
    let o = refresh_cli(&["--cloud", "mars", "export", "x.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("mars"));
    let o = refresh_cli(&[
        "--cloud",
        "public",
        "--data",
        dir.path().join("nowhere").to_str().unwrap(),
        "export",
        "x.json",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no snapshot here"));
}

#[test]
fn the_change_report_as_json_is_alone_on_stdout() {
    let (dir, data) = seeded();
    let newer = dir.path().join("ServiceTags_Public_20251201.json");
    std::fs::write(&newer, newer_public(15, typical_week)).unwrap();
    let o = refresh_cli(&[
        "--cloud",
        "public",
        "--data",
        data.to_str().unwrap(),
        "from",
        newer.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["new"]["changeNumber"], ahead(15));
    assert_eq!(v["addedTags"][0]["name"], "Demo.FranceCentral");
    assert!(String::from_utf8_lossy(&o.stderr).contains("wrote"));
}

#[test]
fn the_command_line_names_the_options_that_get_past_a_guard() {
    let (dir, data) = seeded();
    let before = hash_tree(&data);
    let from = |name: &str, json: String, extra: &[&str]| {
        let path = dir.path().join(name);
        std::fs::write(&path, json).unwrap();
        let mut args = vec!["--cloud", "public", "--data", data.to_str().unwrap()];
        args.extend_from_slice(&["from", path.to_str().unwrap()]);
        args.extend_from_slice(extra);
        refresh_cli(&args)
    };
    let older = from("older.json", newer_public(-1, |_| {}), &[]);
    assert_eq!(older.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&older.stderr).contains("--allow-downgrade"));
    let drop_fr = |v: &mut serde_json::Value| {
        let values = v["values"].as_array_mut().unwrap();
        values.retain(|t| t["name"] != "AzureMachineLearning.FranceSouth");
    };
    // The tool protects Azure Machine Learning's tags by default.
    let dropped = from("dropped.json", newer_public(15, drop_fr), &[]);
    assert_eq!(dropped.status.code(), Some(2));
    let err = String::from_utf8_lossy(&dropped.stderr);
    assert!(
        err.contains("AzureMachineLearning.FranceSouth") && err.contains("--force"),
        "{err}"
    );
    assert_eq!(hash_tree(&data), before);
    // Protecting another service instead lets the same file through.
    let other = from(
        "other.json",
        newer_public(15, drop_fr),
        &["--protect", "Storage"],
    );
    assert!(
        other.status.success(),
        "{}",
        String::from_utf8_lossy(&other.stderr)
    );
}
