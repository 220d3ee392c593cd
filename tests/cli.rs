//! The `aztags` binary, run for real: each command, each format, each error path and
//! exit code.

use std::process::{Command, Output};

mod common;
use common::{
    aml_eastus2_address, edited_public, pinned_change_number, prefixes_mut, run_with_stdin,
};

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
    let ip = aml_eastus2_address();
    let shown = ip.to_string();
    let tags: Vec<_> = azure_service_tags::public().tags_containing(ip).collect();
    let names: Vec<&str> = tags.iter().map(|t| t.name()).collect();
    let o = aztags(&["lookup", &shown]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(text(&o.stdout), format!("{shown}\t{}\n", names.join(",")));
    let o = aztags(&["lookup", &shown, "192.0.2.1"]);
    assert_eq!(o.status.code(), Some(1), "an IP in no tag is 'not found'");
    assert!(text(&o.stdout).contains("192.0.2.1\t-\n"));
    let o = aztags(&["lookup", "--format", "json", &shown]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["ip"], shown);
    assert_eq!(v["tags"].as_array().unwrap().len(), tags.len());
    for (json, tag) in v["tags"].as_array().unwrap().iter().zip(&tags) {
        assert_eq!(json["name"], tag.name());
        assert_eq!(json["service"], tag.service());
        assert_eq!(json["region"].as_str(), tag.region().map(|r| r.name()));
    }
    assert!(names.contains(&"AzureMachineLearning.EastUS2"));
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

/// Table rows are looked up in batches: across many batches, with blank and bad
/// lines and IPv6 (written back in its canonical form) among them, every row comes out
/// in input order with the library's answer.
#[test]
fn lookup_answers_long_files_in_order() {
    let snap = azure_service_tags::public();
    let mut input = String::new();
    let mut expected = String::new();
    let mut x = 0x9e37_79b9_u32;
    for (i, tag) in snap.tags().enumerate().take(700) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let ip: std::net::IpAddr = match (i % 7, tag.ipv4().next(), tag.ipv6().next()) {
            (0, _, _) => {
                input.push_str(&format!("not-an-ip-{i}\n\n"));
                continue;
            }
            (1, _, Some(p)) => p.network().into(),
            (2, Some(p), _) => p.network().to_ipv6_mapped().into(),
            (_, Some(p), _) => std::net::Ipv4Addr::from(u32::from(p.network()) | (x & 3)).into(),
            _ => std::net::Ipv4Addr::from(x).into(),
        };
        let written = match ip {
            std::net::IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some() => {
                // Written the way the input has it: mapped addresses print in dotted form.
                format!("::ffff:{}", v6.to_ipv4_mapped().unwrap())
            }
            ip => ip.to_string(),
        };
        input.push_str(&format!("{}\n", written.to_uppercase()));
        let names: Vec<&str> = snap.tags_containing(ip).map(|t| t.name()).collect();
        let shown = match ip {
            std::net::IpAddr::V4(_) => written.to_uppercase(),
            ip => ip.to_string(),
        };
        let tags = if names.is_empty() {
            "-".to_string()
        } else {
            names.join(",")
        };
        expected.push_str(&format!("{shown}\t{tags}\n"));
    }
    let o = aztags_stdin(&["lookup", "-"], &input);
    assert_eq!(o.status.code(), Some(2), "bad lines are reported");
    assert_eq!(text(&o.stdout), expected);
    assert_eq!(
        text(&o.stderr)
            .matches("is not an IPv4 or IPv6 address")
            .count(),
        100
    );
}

/// A file of many blocks (the CLI reads 1 MiB at a time and answers the blocks of a
/// round side by side): the rows come out in input order, and each bad line is
/// reported once, in order, with its own line number, also past a line longer than a
/// block and on a last line without a newline.
#[test]
fn lookup_answers_many_blocks_in_order() {
    let snap = azure_service_tags::public();
    let (mut input, mut expected, mut bad) = (String::new(), String::new(), Vec::new());
    let mut x = 0x2545_f491_u32;
    let mut line = 0;
    while input.len() < 7 << 20 {
        line += 1;
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        if x.is_multiple_of(5000) || line == 200_000 {
            // One bad line now and then, one of them longer than a block.
            let junk = if line == 200_000 {
                "x".repeat(3 << 20)
            } else {
                format!("bad{x}")
            };
            input.push_str(&junk);
            input.push('\n');
            bad.push(line);
            continue;
        }
        let ip = std::net::IpAddr::from(std::net::Ipv4Addr::from(x));
        let names: Vec<&str> = snap.tags_containing(ip).map(|t| t.name()).collect();
        let tags = if names.is_empty() {
            "-".to_string()
        } else {
            names.join(",")
        };
        input.push_str(&format!("{ip}\n"));
        expected.push_str(&format!("{ip}\t{tags}\n"));
    }
    input.push_str("not-an-ip");
    bad.push(line + 1);
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("many.txt");
    std::fs::write(&f, &input).unwrap();
    let o = aztags(&["lookup", "--file", f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2), "bad lines are reported");
    assert!(
        text(&o.stdout) == expected,
        "the rows differ from the library's answers"
    );
    let reported: Vec<usize> = text(&o.stderr)
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("aztags: {}:", f.display())))
        .filter_map(|l| l.split(':').next()?.parse().ok())
        .collect();
    assert_eq!(reported, bad);
}

#[test]
fn check_is_scriptable() {
    let ip = aml_eastus2_address().to_string();
    let o = aztags(&["check", "--service", "AzureMachineLearning", &ip]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("in eastus2"));
    let o = aztags(&["check", "--service", "AzureMachineLearning", "8.8.8.8"]);
    assert_eq!(o.status.code(), Some(1));
    let o = aztags(&["check", "--format", "json", &ip]);
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
    let tag = azure_service_tags::public()
        .tag("AzureMachineLearning.EastUS2")
        .unwrap();
    let want: Vec<String> = tag.ipv4().map(|p| p.to_string()).collect();
    assert_eq!(lines, want);
    assert!(lines.iter().all(|l| !l.contains(':')));
    let o = aztags(&["tag", "AzureMachineLearning.EastUS2", "--ipv6"]);
    assert!(text(&o.stdout).lines().all(|l| l.contains(':')));
    let o = aztags(&["tag", "AzureCloud", "--aggregate", "--ipv4"]);
    let all = aztags(&["tag", "AzureCloud", "--ipv4"]);
    assert!(text(&o.stdout).lines().count() < text(&all.stdout).lines().count());
    let o = aztags(&["tag", "--format", "json", "AzureMachineLearning"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let aml = azure_service_tags::public()
        .tag("AzureMachineLearning")
        .unwrap();
    assert_eq!(v["networkFeatures"], common::features_json(aml));
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
    assert!(
        v.as_array()
            .unwrap()
            .iter()
            .all(|t| t["region"] == "eastus2")
    );
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
        assert!(
            out.contains(azure_service_tags::public().source().file_name()),
            "{format} names the snapshot"
        );
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
    // A region where Azure Machine Learning has no tag, found in the data.
    let snap = azure_service_tags::public();
    let bare = snap
        .regions()
        .find(|r| snap.regional_tag("AzureMachineLearning", *r).is_none())
        .unwrap()
        .name();
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
        (&["routes", "--region", bare], bare),
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
    let snap = azure_service_tags::public();
    let (v4, v6) = snap.prefix_counts();
    let number = format!("changeNumber:  {}", snap.change_number());
    assert!(
        out.contains(&number) && out.contains(&format!("{v4} IPv4 + {v6} IPv6")),
        "{out}"
    );
    let published = snap.published().unwrap();
    let age = azure_service_tags::Date::today().days_since_epoch() - published.days_since_epoch();
    // A warning exactly when the snapshot is over 30 days old, on every command but
    // diff, and none with --no-age-warning.
    let stale = age > azure_service_tags::STALE_AFTER_DAYS;
    assert_eq!(text(&o.stderr).contains("days ago"), stale);
    let o = aztags(&["region", "eastus2"]);
    assert_eq!(text(&o.stderr).contains("days ago"), stale);
    let o = aztags(&["--no-age-warning", "info"]);
    assert_eq!(text(&o.stderr), "");
    let o = aztags(&["diff", "embedded", "current"]);
    assert_eq!(text(&o.stderr), "");
    let o = aztags(&["info", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["tags"], snap.tags().len());
    assert_eq!(v["published"], published.to_string());
    assert_eq!(v["ageDays"].as_i64().unwrap(), age);
}

/// A snapshot's official file, exported from the compiled-in one, answers regions,
/// pairs and routes exactly as the compiled-in snapshot does: the region tables of
/// every cloud are compiled in whatever the features (scripts/test-cloud-features.sh
/// checks the same with binaries built with one cloud alone).
#[cfg(all(feature = "government", feature = "china"))]
#[test]
fn a_file_of_any_cloud_answers_as_its_compiled_in_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    for snap in [
        azure_service_tags::public(),
        azure_service_tags::government(),
        azure_service_tags::china(),
    ] {
        let cloud = snap.cloud().short_name();
        let file = dir.path().join(snap.source().file_name());
        std::fs::write(&file, azure_service_tags::official::export_official(snap)).unwrap();
        let file = file.to_str().unwrap();
        // Every region with a pair and the service's tags in it and in its pair.
        let paired = snap.regions().filter(|r| {
            r.paired().is_some_and(|p| {
                [*r, p]
                    .iter()
                    .all(|x| snap.regional_tag("AzureMachineLearning", *x).is_some())
            })
        });
        let mut compared = 0;
        for region in paired.take(3) {
            let name = region.name();
            for args in [vec!["routes", "--region", name], vec!["region", name]] {
                let embedded = aztags(&[vec!["--cloud", cloud], args.clone()].concat());
                let loaded = aztags(&[vec!["--snapshot", file], args.clone()].concat());
                assert_eq!(
                    embedded.status.code(),
                    Some(0),
                    "{}",
                    text(&embedded.stderr)
                );
                assert_eq!(
                    text(&loaded.stdout),
                    text(&embedded.stdout),
                    "{cloud} {args:?}"
                );
                compared += 1;
            }
        }
        assert!(compared > 0, "{cloud}: no region with a pair to compare");
        // --cloud with --snapshot is the cloud the file must be of.
        let o = aztags(&["--cloud", cloud, "--snapshot", file, "info"]);
        assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
        let other = if cloud == "public" { "china" } else { "public" };
        let o = aztags(&["--cloud", other, "--snapshot", file, "info"]);
        assert_eq!(o.status.code(), Some(2));
        let err = text(&o.stderr);
        assert!(
            err.contains(&format!("holds the {} snapshot", snap.cloud())),
            "{err}"
        );
    }
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

/// A newer week of the pinned Public snapshot, written as an official file.
struct Newer {
    path: std::path::PathBuf,
    /// The AzureMachineLearning.EastUS2 prefix it no longer has: one that is a route of
    /// its own in the embedded East US 2 plan.
    removed: String,
    /// The routes of that plan.
    routes: usize,
}

/// The prefix that replaces `Newer::removed`; no Azure tag holds documentation space.
const ADDED: &str = "192.0.2.0/28";

impl Newer {
    fn path(&self) -> &str {
        self.path.to_str().unwrap()
    }

    /// The name of the route the removed prefix had.
    fn removed_route(&self) -> String {
        format!(
            "AzureMachineLearning-eastus2-{}",
            self.removed.replace('/', "_")
        )
    }
}

/// The pinned Public snapshot as an official file one changeNumber and one day later,
/// with one AzureMachineLearning.EastUS2 prefix replaced by `ADDED`.
fn newer_file(dir: &std::path::Path) -> Newer {
    let o = aztags(&["routes", "--region", "eastus2", "--format", "json"]);
    let plan: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let routed: Vec<&str> = plan["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["addressPrefix"].as_str().unwrap())
        .collect();
    let snap = azure_service_tags::public();
    let removed = snap
        .tag("AzureMachineLearning.EastUS2")
        .unwrap()
        .ipv4()
        .map(|p| p.to_string())
        .find(|p| routed.contains(&p.as_str()))
        .unwrap();
    let json = edited_public(pinned_change_number() + 1, |v| {
        let prefixes = prefixes_mut(v, "AzureMachineLearning.EastUS2");
        prefixes.retain(|p| p != removed.as_str());
        prefixes.insert(0, ADDED.into());
    });
    let path = dir.join(format!("ServiceTags_Public_{}.json", next_day().compact()));
    std::fs::write(&path, json).unwrap();
    Newer {
        path,
        removed,
        routes: routed.len(),
    }
}

/// The day after the pinned snapshot's publication.
fn next_day() -> azure_service_tags::Date {
    let published = azure_service_tags::public().published().unwrap();
    azure_service_tags::Date::from_days_since_epoch(published.days_since_epoch() + 1).unwrap()
}

/// `changeNumber OLD -> NEW` for the pinned snapshot and `newer_file`.
fn numbers() -> String {
    format!(
        "{} -> {}",
        pinned_change_number(),
        pinned_change_number() + 1
    )
}

#[test]
fn diff_between_snapshots() {
    let dir = tempfile::tempdir().unwrap();
    let file = newer_file(dir.path());
    let newer = file.path();
    let o = aztags(&["diff", "embedded", newer]);
    assert_eq!(o.status.code(), Some(1), "differences found");
    let out = text(&o.stdout);
    assert!(
        out.contains(&format!("changeNumber {}", numbers())),
        "{out}"
    );
    assert!(
        out.contains("~ tag AzureMachineLearning.EastUS2: 1 added, 1 removed"),
        "{out}"
    );
    assert!(
        out.contains(&format!("  + {ADDED}")) && out.contains(&format!("  - {}", file.removed)),
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
    assert!(text(&o.stdout).contains(&numbers()));
    let o = aztags(&["diff", "embedded", "/nonexistent.json"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("/nonexistent.json"));
}

#[test]
fn a_snapshot_loaded_at_run_time_answers_lookups() {
    let dir = tempfile::tempdir().unwrap();
    let newer = newer_file(dir.path());
    let o = aztags(&["--snapshot", newer.path(), "check", "192.0.2.5"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = aztags(&["check", "192.0.2.5"]);
    assert_eq!(o.status.code(), Some(1), "not in the embedded snapshot");
    let o = aztags(&["--snapshot", newer.path(), "info", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(
        (v["changeNumber"].as_u64(), v["published"].as_str()),
        (
            Some(u64::from(pinned_change_number() + 1)),
            Some(next_day().to_string().as_str())
        )
    );
}

#[test]
fn routes_since_an_older_snapshot() {
    let dir = tempfile::tempdir().unwrap();
    let file = newer_file(dir.path());
    let newer = file.path();
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
    assert!(deletes[0].contains(&format!("'{}'", file.removed_route())));
    assert_eq!(creates.len(), 1, "{out}");
    assert!(creates[0].contains(&format!("--address-prefix='{ADDED}'")));
    // A script that stops at the first real error.
    assert!(
        out.starts_with("#!/bin/sh\n") && out.contains("\nset -eu\n"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "1 to delete, 1 to create, {} unchanged",
            file.routes - 1
        )),
        "{out}"
    );
    let o = since("powershell");
    let out = text(&o.stdout);
    let stop = out.find("$ErrorActionPreference = 'Stop'").unwrap();
    let get = out.find("Get-AzRouteTable").unwrap();
    let remove = out
        .find(&format!("Remove-Route '{}'", file.removed_route()))
        .unwrap();
    let set = out.find("Set-AzRouteTable").unwrap();
    assert!(stop < get && get < remove && remove < set, "{out}");
    let o = since("json");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["delete"][0], file.removed_route());
    assert_eq!(v["create"]["routes"][0]["addressPrefix"], ADDED);
    assert_eq!(v["unchanged"], file.routes - 1);
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
