//! The `aztags` binary, run for real: each command, each format, each error path and
//! exit code.

use std::process::{Command, Output};

mod common;
use common::{edited_public, prefixes_mut, run_with_stdin};

fn aztags(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_aztags"))
        .args(args)
        .output()
        .unwrap()
}

fn aztags_stdin(args: &[&str], input: &str) -> Output {
    run_with_stdin(env!("CARGO_BIN_EXE_aztags"), args, input.as_bytes())
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn lookup_prints_the_tags_of_each_ip() {
    let o = aztags(&["lookup", "20.41.0.241"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        text(&o.stdout),
        "20.41.0.241\tAzureMachineLearning,AzureMachineLearning.EastUS2,AzureCloud.eastus2,AzureCloud\n"
    );
    let o = aztags(&["lookup", "20.41.0.241", "192.0.2.1"]);
    assert_eq!(o.status.code(), Some(1), "an IP in no tag is 'not found'");
    assert!(text(&o.stdout).contains("192.0.2.1\t-\n"));
    let o = aztags(&["lookup", "--format", "json", "20.41.0.241"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ip"], "20.41.0.241");
    assert_eq!(v["tags"][1]["name"], "AzureMachineLearning.EastUS2");
    assert_eq!(v["tags"][1]["region"], "eastus2");
    assert_eq!(v["tags"][1]["service"], "AzureMachineLearning");
}

#[test]
fn lookup_streams_stdin_and_files() {
    let o = aztags_stdin(&["lookup", "-"], "20.41.0.241\n\n2603:1030:f05::1\n");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).lines().count(), 2);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("ips.txt");
    std::fs::write(&f, "20.41.0.241\nnot-an-ip\n").unwrap();
    let o = aztags(&["lookup", "--file", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("ips.txt:2") && err.contains("\"not-an-ip\""),
        "{err}"
    );
    assert_eq!(
        text(&o.stdout).lines().count(),
        1,
        "good lines are still answered"
    );
    let o = aztags(&[
        "lookup",
        "--file",
        dir.path().join("missing").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("missing"));
    let o = aztags(&["lookup"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn check_is_scriptable() {
    let o = aztags(&["check", "--service", "AzureMachineLearning", "20.41.0.241"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("in eastus2"));
    let o = aztags(&["check", "--service", "AzureMachineLearning", "8.8.8.8"]);
    assert_eq!(o.status.code(), Some(1));
    let o = aztags(&["check", "--format", "json", "20.41.0.241"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["owned"].as_bool(), v["region"].as_str()),
        (Some(true), Some("eastus2"))
    );
    let o = aztags(&["check", "--service", "NoSuchService", "8.8.8.8"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("NoSuchService"));
    let o = aztags(&["check", "300.1.1.1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("\"300.1.1.1\""));
}

#[test]
fn tag_and_tags() {
    let o = aztags(&["tag", "azuremachinelearning.eastus2", "--ipv4"]);
    assert_eq!(o.status.code(), Some(0));
    let lines: Vec<String> = text(&o.stdout).lines().map(str::to_string).collect();
    assert_eq!(lines.len(), 8);
    assert!(lines.iter().all(|l| !l.contains(':')));
    let o = aztags(&["tag", "AzureMachineLearning.EastUS2", "--ipv6"]);
    assert!(text(&o.stdout).lines().all(|l| l.contains(':')));
    let o = aztags(&["tag", "AzureCloud", "--aggregate", "--ipv4"]);
    let all = aztags(&["tag", "AzureCloud", "--ipv4"]);
    assert!(text(&o.stdout).lines().count() < text(&all.stdout).lines().count());
    let o = aztags(&["tag", "--format", "json", "AzureMachineLearning"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["networkFeatures"],
        serde_json::json!(["API", "NSG", "UDR", "FW"])
    );
    let o = aztags(&["tag", "NoSuchTag"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("\"NoSuchTag\""));
    let o = aztags(&[
        "tags",
        "--service",
        "AzureMachineLearning",
        "--region",
        "centralfrance",
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).starts_with("AzureMachineLearning.FranceCentral"));
    let o = aztags(&["tags", "--format", "json", "--region", "East US 2"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(v
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["region"] == "eastus2"));
    let o = aztags(&["tags", "--region", "atlantis"]);
    assert_eq!(o.status.code(), Some(2));
    let o = aztags(&["tags", "--service", "NoSuchService"]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn region_shows_names_code_and_pair() {
    let o = aztags(&["region", "West US 3"]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    assert!(
        out.contains("name:         westus3") && out.contains("paired:       eastus"),
        "{out}"
    );
    let o = aztags(&["region", "--format", "json", "centralfrance"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["name"], "francecentral");
    assert_eq!(v["code"], "centralfrance");
    let o = aztags(&["region", "nowhere"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("\"nowhere\""));
}

#[test]
fn routes_in_every_format() {
    let o = aztags(&["routes", "--region", "eastus2"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    assert!(out.contains("secondary centralus") && out.contains("AzureMachineLearning.CentralUS"));
    for format in [
        "az-cli",
        "powershell",
        "arm",
        "bicep",
        "terraform",
        "json",
        "csv",
    ] {
        let o = aztags(&[
            "routes",
            "--region",
            "eastus2",
            "--format",
            format,
            "-g",
            "rg1",
            "--route-table",
            "rt1",
        ]);
        assert_eq!(o.status.code(), Some(0), "{format}");
        let out = text(&o.stdout);
        assert!(out.contains("375"), "{format} names the snapshot");
        assert!(
            out.contains("rt1") || format == "json" || format == "csv",
            "{format}"
        );
    }
    let o = aztags(&[
        "routes",
        "--region",
        "eastus2",
        "--next-hop-type",
        "VirtualAppliance",
        "--next-hop-ip",
        "10.0.0.4",
        "--format",
        "az-cli",
    ]);
    assert!(text(&o.stdout).contains("--next-hop-ip-address='10.0.0.4'"));
    let o = aztags(&[
        "routes",
        "--region",
        "eastus2",
        "--mode",
        "service-tag",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["routes"][0]["addressPrefix"], "AzureMachineLearning");
    let o = aztags(&[
        "routes",
        "--region",
        "francecentral",
        "--all-families",
        "--no-paired",
        "--format",
        "csv",
    ]);
    let out = text(&o.stdout);
    assert!(out.contains(':') && !out.contains("francesouth"));
}

#[test]
fn routes_errors() {
    let cases: [(&[&str], &str); 6] = [
        (&["routes", "--region", "atlantis"], "\"atlantis\""),
        (
            &["routes", "--region", "eastus2", "--service", "Nope"],
            "\"Nope\"",
        ),
        (
            &["routes", "--region", "eastus", "--service", "AzureCloud"],
            "--summarize",
        ),
        (
            &[
                "routes",
                "--region",
                "eastus2",
                "--next-hop-type",
                "VirtualAppliance",
            ],
            "--next-hop-ip",
        ),
        (
            &["routes", "--region", "eastus2", "--format", "yaml"],
            "'yaml'",
        ),
        (&["routes", "--region", "denmarkeast"], "denmarkeast"),
    ];
    for (args, expected) in cases {
        let o = aztags(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = text(&o.stderr);
        assert!(err.contains(expected), "{args:?}: {err}");
    }
    let o = aztags(&["routes"]);
    assert_eq!(o.status.code(), Some(2), "clap usage errors exit 2");
    // Over the limit: the options that get past it are named.
    let o = aztags(&["routes", "--region", "eastus", "--service", "AzureCloud"]);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(
        err.contains("--max-routes") && err.contains("--summarize") && err.contains("--mode"),
        "{err}"
    );
}

#[test]
fn info_reports_provenance_and_age() {
    let o = aztags(&["info"]);
    assert_eq!(o.status.code(), Some(0));
    let out = text(&o.stdout);
    assert!(
        out.contains("changeNumber:  375") && out.contains("68933 IPv4 + 24429 IPv6"),
        "{out}"
    );
    // The pinned snapshot is from 2025-10-28: well over 30 days old.
    assert!(text(&o.stderr).contains("days old"));
    let o = aztags(&["info", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["tags"], 3039);
    assert_eq!(v["published"], "2025-10-28");
    assert!(v["ageDays"].as_i64().unwrap() > 30);
}

#[cfg(feature = "government")]
#[test]
fn other_clouds() {
    let o = aztags(&["--cloud", "government", "region", "usgovarizona"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("usgovtexas"));
    let o = aztags(&["--cloud", "mars", "info"]);
    assert_eq!(o.status.code(), Some(2));
}

/// The pinned Public snapshot as an official file with one AzureMachineLearning.EastUS2
/// prefix replaced and changeNumber 376.
fn newer_file(dir: &std::path::Path) -> std::path::PathBuf {
    let json = edited_public(376, |v| {
        let prefixes = prefixes_mut(v, "AzureMachineLearning.EastUS2");
        assert_eq!(prefixes.remove(0), "20.41.0.240/28");
        prefixes.insert(0, "20.41.1.0/28".into());
    });
    let path = dir.join("ServiceTags_Public_20251104.json");
    std::fs::write(&path, json).unwrap();
    path
}

#[test]
fn diff_between_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let newer = newer_file(dir.path());
    let newer = newer.to_str().unwrap();
    let o = aztags(&["diff", "embedded", newer]);
    assert_eq!(o.status.code(), Some(1), "differences found");
    let out = text(&o.stdout);
    assert!(out.contains("changeNumber 375 -> 376"), "{out}");
    assert!(
        out.contains("~ tag AzureMachineLearning.EastUS2: 1 added, 1 removed"),
        "{out}"
    );
    assert!(
        out.contains("  + 20.41.1.0/28") && out.contains("  - 20.41.0.240/28"),
        "{out}"
    );
    let o = aztags(&["diff", "embedded", newer, "--service", "Storage"]);
    assert_eq!(o.status.code(), Some(0), "no differences for Storage");
    let o = aztags(&[
        "diff",
        "embedded",
        newer,
        "--region",
        "centralus",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["changed"].as_array().unwrap().len(), 0);
    // A data/ directory works too, and `current` is the snapshot in use.
    let o = aztags(&[
        "--snapshot",
        newer,
        "diff",
        concat!(env!("CARGO_MANIFEST_DIR"), "/data/public"),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stdout).contains("375 -> 376"));
    let o = aztags(&["diff", "embedded", "/nonexistent.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("/nonexistent.json"));
}

#[test]
fn a_snapshot_loaded_at_run_time_answers_lookups() {
    let dir = tempfile::tempdir().unwrap();
    let newer = newer_file(dir.path());
    let o = aztags(&["--snapshot", newer.to_str().unwrap(), "check", "20.41.1.5"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = aztags(&["check", "20.41.1.5"]);
    assert_eq!(o.status.code(), Some(1), "not in the embedded snapshot");
    let o = aztags(&[
        "--snapshot",
        newer.to_str().unwrap(),
        "info",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["changeNumber"].as_u64(), v["published"].as_str()),
        (Some(376), Some("2025-11-04"))
    );
}

#[test]
fn routes_since_an_older_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let newer = newer_file(dir.path());
    let newer = newer.to_str().unwrap();
    // The table was made from the embedded snapshot; the newer one is current.
    let since = |format: &str| {
        aztags(&[
            "--snapshot",
            newer,
            "routes",
            "--region",
            "eastus2",
            "--since",
            "embedded",
            "--format",
            format,
        ])
    };
    let o = since("az-cli");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let out = text(&o.stdout);
    let deletes: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("delete_route "))
        .collect();
    let creates: Vec<&str> = out.lines().filter(|l| l.contains("route create")).collect();
    assert_eq!(deletes.len(), 1, "{out}");
    assert!(deletes[0].contains("'AzureMachineLearning-eastus2-20.41.0.240_28'"));
    assert_eq!(creates.len(), 1, "{out}");
    assert!(creates[0].contains("--address-prefix='20.41.1.0/28'"));
    // A script that stops at the first real error.
    assert!(
        out.starts_with("#!/bin/sh\n") && out.contains("\nset -eu\n"),
        "{out}"
    );
    assert!(
        out.contains("1 to delete, 1 to create, 14 unchanged"),
        "{out}"
    );
    let o = since("powershell");
    let out = text(&o.stdout);
    let stop = out.find("$ErrorActionPreference = 'Stop'").unwrap();
    let get = out.find("Get-AzRouteTable").unwrap();
    let remove = out
        .find("Remove-Route 'AzureMachineLearning-eastus2-20.41.0.240_28'")
        .unwrap();
    let set = out.find("Set-AzRouteTable").unwrap();
    assert!(stop < get && get < remove && remove < set, "{out}");
    let o = since("json");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        v["delete"][0],
        "AzureMachineLearning-eastus2-20.41.0.240_28"
    );
    assert_eq!(v["create"]["routes"][0]["addressPrefix"], "20.41.1.0/28");
    assert_eq!(v["unchanged"], 14);
    // Nothing changed: nothing to do.
    let o = aztags(&[
        "routes", "--region", "eastus2", "--since", "embedded", "--format", "az-cli",
    ]);
    assert!(!text(&o.stdout).contains("route "));
    let o = aztags(&[
        "routes", "--region", "eastus2", "--since", "embedded", "--format", "bicep",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--since renders as az-cli, powershell or json"));
}

#[test]
fn empty_arguments_are_bad_input() {
    for args in [&["lookup", ""][..], &["lookup", "20.41.0.241", "  "][..]] {
        let o = aztags(args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?}");
        assert!(text(&o.stderr).contains("is empty"), "{args:?}");
    }
    // Blank lines of a stream are still skipped.
    let o = common::run_with_stdin(
        env!("CARGO_BIN_EXE_aztags"),
        &["lookup", "-"],
        b"\n  \n20.41.0.241\n",
    );
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o.stdout).lines().count(), 1);
}

#[test]
fn templates_declare_the_whole_table_only_when_asked() {
    for format in ["arm", "bicep"] {
        let routes = aztags(&["routes", "--region", "eastus2", "--format", format]);
        let table = aztags(&[
            "routes",
            "--region",
            "eastus2",
            "--format",
            format,
            "--whole-table",
        ]);
        let (routes, table) = (text(&routes.stdout), text(&table.stdout));
        assert!(routes.contains("routeTables/routes"), "{format}: {routes}");
        assert!(!routes.contains("deletes every other route"), "{format}");
        assert!(!table.contains("routeTables/routes"), "{format}: {table}");
        assert!(table.contains("deletes every other route"), "{format}");
    }
}
