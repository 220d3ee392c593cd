//! `cargo xtask speed`: the README's speed table from one run of the lookup benchmark
//! (`cargo bench --bench lookup`), written between `<!-- speed:table -->` and
//! `<!-- /speed -->` with the machine and the date. Each row is the crate's time per
//! address beside the fastest peer's in the same run (criterion's mean, read from
//! `target/criterion/**/new/{benchmark,estimates}.json`), and their ratio.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::files::{self, root};

const OPEN: &str = "<!-- speed:table -->";
const CLOSE: &str = "<!-- /speed -->";

/// One row: the benchmark group, the crate's functions in it (shown `a / b`), and what
/// the row asks.
const ROWS: [(&str, &[&str], &str); 5] = [
    (
        "q1_all_tags/a_random_v4",
        &["azure-service-tags"],
        "all tags containing a random IPv4 address",
    ),
    (
        "q1_all_tags/b_azure_v4",
        &[
            "azure-service-tags",
            "azure-service-tags tags_containing_each",
        ],
        "all tags containing an Azure IPv4 address (one / `tags_containing_each`)",
    ),
    (
        "q1_all_tags/c_azure_v6",
        &[
            "azure-service-tags",
            "azure-service-tags tags_containing_each",
        ],
        "all tags containing an Azure IPv6 address (one / `tags_containing_each`)",
    ),
    (
        "q2_in_tag/a_random_v4",
        &[
            "azure-service-tags TagMatcher",
            "azure-service-tags Tag::contains",
        ],
        "in `AzureMachineLearning`? (random IPv4, `TagMatcher` / `Tag::contains`)",
    ),
    (
        "q2_in_tag/b_azure_v4",
        &[
            "azure-service-tags TagMatcher",
            "azure-service-tags Tag::contains",
        ],
        "in `AzureMachineLearning`? (Azure IPv4, `TagMatcher` / `Tag::contains`)",
    ),
];

/// Runs the benchmark (unless `reuse`: the last run's results) and rewrites the table.
pub(crate) fn run(reuse: bool) -> Result<(), String> {
    let root = root();
    if !reuse {
        let status = Command::new(env!("CARGO"))
            .args([
                "bench",
                "--bench",
                "lookup",
                "--",
                // Criterion takes one filter, a regular expression.
                "^(q1_all_tags|q2_in_tag)/",
            ])
            .current_dir(&root)
            .status()
            .map_err(|e| format!("cargo bench: {e}"))?;
        if !status.success() {
            return Err(format!("cargo bench --bench lookup: {status}"));
        }
    }
    let results = read_results(&root.join("target/criterion"))?;
    let table = table(&results, &machine(), &today())?;
    let path = root.join("README.md");
    let text = files::read(&path)?;
    let (Some(start), Some(end)) = (text.find(OPEN), text.find(CLOSE)) else {
        return Err(format!("README.md has no {OPEN} … {CLOSE} markers"));
    };
    let new = format!("{}{OPEN}\n{table}{}", &text[..start], &text[end..]);
    files::replace(&[(path, new)])?;
    println!("updated README.md's speed table");
    Ok(())
}

/// Every benchmark's `full_id` and nanoseconds per address.
fn read_results(dir: &Path) -> Result<Vec<(String, f64)>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let entries = std::fs::read_dir(&d).map_err(|e| format!("{}: {e}", d.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() && path.file_name().is_some_and(|n| n != "report") {
                stack.push(path.clone());
            }
            if path.ends_with("new/benchmark.json") {
                out.push(result(&path)?);
            }
        }
    }
    Ok(out)
}

/// One benchmark's id and nanoseconds per address (its mean over its elements).
fn result(benchmark: &Path) -> Result<(String, f64), String> {
    let json = |p: &Path| -> Result<Value, String> {
        serde_json::from_str(&files::read(p)?).map_err(|e| format!("{}: {e}", p.display()))
    };
    let b = json(benchmark)?;
    let e = json(&benchmark.with_file_name("estimates.json"))?;
    let id = b["full_id"].as_str().unwrap_or_default().to_string();
    let elements = b["throughput"]["Elements"].as_f64().unwrap_or(1.0);
    let mean = e["mean"]["point_estimate"]
        .as_f64()
        .ok_or_else(|| format!("{}: no mean", benchmark.display()))?;
    Ok((id, mean / elements))
}

/// The table, with the machine and the date.
fn table(results: &[(String, f64)], machine: &str, date: &str) -> Result<String, String> {
    let mut o = format!(
        "On {machine}, {date}:\n\n\
         | query | azure-service-tags | fastest peer | ratio |\n| --- | ---: | ---: | ---: |\n"
    );
    for (group, ours, query) in ROWS {
        fn in_group<'a>(id: &'a str, group: &str) -> Option<&'a str> {
            id.strip_prefix(group)?.strip_prefix('/')
        }
        let time = |name: &str| {
            results
                .iter()
                .find(|(id, _)| in_group(id, group) == Some(name))
                .map(|r| r.1)
                .ok_or_else(|| format!("no result for {group}/{name}: run the benchmark"))
        };
        let ours: Vec<f64> = ours.iter().map(|n| time(n)).collect::<Result<_, _>>()?;
        let peer = results
            .iter()
            .filter_map(|(id, t)| Some((in_group(id, group)?, *t)))
            .filter(|(name, _)| !name.starts_with("azure-service-tags"))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .ok_or_else(|| format!("no peer ran in {group}"))?;
        let join =
            |f: &dyn Fn(f64) -> String| ours.iter().map(|&t| f(t)).collect::<Vec<_>>().join(" / ");
        o.push_str(&format!(
            "| {query} | {} ns | {} ns ({}) | {} |\n",
            join(&|t| format!("{t:.1}")),
            format_args!("{:.1}", peer.1),
            peer.0,
            join(&|t| format!("{:.1}x", peer.1 / t)),
        ));
    }
    o.push('\n');
    Ok(o)
}

/// The processor's name, as Linux reports it.
fn machine() -> String {
    let info = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = info.lines().find_map(|l| {
        l.strip_prefix("model name")?
            .split_once(':')
            .map(|(_, m)| m.trim())
    });
    model.unwrap_or("an unnamed processor").to_string()
}

/// Today, `YYYY-MM-DD` (UTC).
fn today() -> String {
    azure_service_tags::Date::today().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table takes the fastest peer of each group and the ratio per function.
    #[test]
    fn each_row_has_the_fastest_peer_and_the_ratios() {
        let mut results = Vec::new();
        for (group, ours, _) in ROWS {
            for (i, name) in ours.iter().enumerate() {
                results.push((format!("{group}/{name}"), 2.0 + i as f64));
            }
            results.push((format!("{group}/poptrie"), 10.0));
            results.push((format!("{group}/iptrie"), 8.0));
        }
        let t = table(&results, "a test machine", "2026-12-07").unwrap();
        assert!(t.starts_with("On a test machine, 2026-12-07:"));
        assert!(
            t.contains("| 2.0 / 3.0 ns | 8.0 ns (iptrie) | 4.0x / 2.7x |"),
            "{t}"
        );
        results.retain(|(id, _)| !id.ends_with("iptrie") && !id.ends_with("poptrie"));
        assert!(table(&results, "m", "d").unwrap_err().contains("no peer"));
    }
}
