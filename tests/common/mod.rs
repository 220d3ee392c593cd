//! Helpers shared by the integration tests: a seeded `data/` directory, a hash of a
//! directory tree, an edited copy of the pinned snapshot as an official file, and
//! running a binary with standard input. Each test binary uses some of them.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub const PUBLIC_TAGS: &str = include_str!("../../data/public/service-tags.txt");
pub const PUBLIC_REGIONS: &str = include_str!("../../data/public/regions.tsv");

/// Writes the pinned Public snapshot into `data/public/`.
pub fn seed(data: &Path) {
    std::fs::create_dir_all(data.join("public")).unwrap();
    std::fs::write(data.join("public/service-tags.txt"), PUBLIC_TAGS).unwrap();
    std::fs::write(data.join("public/regions.tsv"), PUBLIC_REGIONS).unwrap();
}

/// A temporary directory holding a seeded `data/`, and the path of that `data/`.
pub fn seeded() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    seed(&data);
    (dir, data)
}

/// A hash of every entry under `dir`: relative names, file bytes, and directories, to
/// prove that nothing changed.
#[cfg(feature = "json")]
pub fn hash_tree(dir: &Path) -> String {
    let mut entries: Vec<String> = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            let name = p.strip_prefix(dir).unwrap().display().to_string();
            if p.is_dir() {
                entries.push(format!("{name}/"));
                stack.push(p);
            } else {
                let bytes = std::fs::read(&p).unwrap();
                entries.push(format!(
                    "{name} {}",
                    azure_service_tags::__private::sha256_hex(&bytes)
                ));
            }
        }
    }
    entries.sort();
    entries.join("\n")
}

/// An address of `AzureMachineLearning.EastUS2` in the compiled-in Public snapshot: the
/// first address of its first IPv4 prefix (taken from the data, so no test pins it).
pub fn aml_eastus2_address() -> std::net::IpAddr {
    let tag = azure_service_tags::public()
        .tag("AzureMachineLearning.EastUS2")
        .expect("AzureMachineLearning.EastUS2 is a protected tag");
    std::net::IpAddr::V4(tag.ipv4().next().expect("an IPv4 prefix").network())
}

/// A tag's `networkFeatures` as the official JSON writes them: a list, or `null`.
pub fn features_json(tag: azure_service_tags::Tag<'_>) -> serde_json::Value {
    match tag.network_features() {
        azure_service_tags::NetworkFeatures::List(list) => {
            serde_json::json!(list.iter().collect::<Vec<_>>())
        }
        _ => serde_json::Value::Null,
    }
}

/// The changeNumber of the pinned Public snapshot (the one `seed` writes).
pub fn pinned_change_number() -> u32 {
    azure_service_tags::public().change_number()
}

/// The pinned Public snapshot as an official JSON file, with `change_number` and `edit`
/// applied.
#[cfg(feature = "json")]
pub fn edited_public(change_number: u32, edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let json = azure_service_tags::official::export_official(azure_service_tags::public());
    let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
    v["changeNumber"] = change_number.into();
    edit(&mut v);
    v.to_string()
}

/// The tag named `name` in an official file's JSON.
pub fn tag_mut<'v>(v: &'v mut serde_json::Value, name: &str) -> &'v mut serde_json::Value {
    v["values"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|t| t["name"] == name)
        .unwrap()
}

/// The address prefixes of the tag named `name` in an official file's JSON.
pub fn prefixes_mut<'v>(
    v: &'v mut serde_json::Value,
    name: &str,
) -> &'v mut Vec<serde_json::Value> {
    tag_mut(v, name)["properties"]["addressPrefixes"]
        .as_array_mut()
        .unwrap()
}

/// Runs `bin` with `args`, feeding `stdin`.
pub fn run_with_stdin(bin: &str, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(bin)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}
