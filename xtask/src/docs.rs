//! The figures in the docs that come from `data/`, between markers:
//! `<!-- gen:NAME -->` … `<!-- /gen -->`. Each figure is produced here from the pinned
//! snapshots (loaded from `data/` with the crate's own loader) or by running `aztags`
//! built from them; none is typed by hand. `--check` fails when a file differs.

use std::path::Path;
use std::process::Command;

use azure_service_tags::__private::{index_shape, table_bytes};
use azure_service_tags::row_functions::ROW_FUNCTIONS;
use azure_service_tags::{Cloud, Snapshot};

use crate::files::{self, root};

/// The files that may hold figures.
const DOCS: [&str; 9] = [
    "README.md",
    "docs/cli.md",
    "docs/duckdb.md",
    "docs/spark.md",
    "docs/maintainers.md",
    "BENCHMARKS.md",
    "TESTING.md",
    "ARCHITECTURE.md",
    "python/README.md",
];

const OPEN: &str = "<!-- gen:";
const CLOSE: &str = "<!-- /gen -->";

/// Regenerates every figure (or, with `check`, fails naming those that differ).
pub(crate) fn run(check: bool) -> Result<(), String> {
    let root = root();
    let figures = Figures::new(&root)?;
    let mut updated = Vec::new();
    let mut stale = Vec::new();
    for doc in DOCS {
        let path = root.join(doc);
        let text = files::read(&path)?;
        let (new, names) = fill(&text, &figures, doc)?;
        if new != text {
            stale.push(format!("{doc} ({})", names.join(", ")));
            updated.push((path, new));
        }
    }
    if check {
        return if stale.is_empty() {
            println!("the docs' figures agree with data/");
            Ok(())
        } else {
            Err(format!(
                "figures differ from data/ in {}; run `cargo xtask docs`",
                stale.join("; ")
            ))
        };
    }
    for path in files::replace(&updated)? {
        println!("updated {}", path.display());
    }
    Ok(())
}

/// `text` with every marked figure replaced, and the names of those that changed.
fn fill(text: &str, figures: &Figures, doc: &str) -> Result<(String, Vec<String>), String> {
    let mut out = String::with_capacity(text.len());
    let mut changed = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(OPEN) {
        let after = &rest[open + OPEN.len()..];
        let end = after
            .find("-->")
            .ok_or_else(|| format!("{doc}: unterminated {OPEN} marker"))?;
        let name = after[..end].trim();
        let body = &after[end + 3..];
        let close = body
            .find(CLOSE)
            .ok_or_else(|| format!("{doc}: figure {name:?} has no {CLOSE}"))?;
        let figure = figures
            .get(name)
            .ok_or_else(|| format!("{doc}: no figure named {name:?}"))?;
        if body[..close] != figure {
            changed.push(name.to_string());
        }
        out.push_str(&rest[..open + OPEN.len() + end + 3]);
        out.push_str(&figure);
        out.push_str(CLOSE);
        rest = &body[close + CLOSE.len()..];
    }
    out.push_str(rest);
    Ok((out, changed))
}

/// Every figure, computed once.
struct Figures {
    named: Vec<(&'static str, String)>,
}

impl Figures {
    fn new(root: &Path) -> Result<Figures, String> {
        let data = root.join("data");
        let load = |cloud: Cloud| {
            let dir = data.join(cloud.short_name());
            Snapshot::from_data_dir(&dir).map_err(|e| e.to_string())
        };
        let snapshots = Cloud::ALL.map(load);
        let [Ok(public), Ok(government), Ok(china)] = snapshots else {
            return Err(snapshots
                .into_iter()
                .filter_map(Result::err)
                .collect::<Vec<_>>()
                .join("\n"));
        };
        let (v4_blocks, v6_blocks) = index_shape(&public);
        let bytes = table_bytes(&public);
        let aztags = Aztags::build(root)?;
        let named = vec![
            ("snapshots", snapshot_table(&[&public, &government, &china])),
            ("dependency-line", dependency_line(root)?),
            ("main-job", code_block(&main_job(&aztags)?)),
            ("cli-examples", code_block(&cli_examples(&aztags)?)),
            ("diff-example", code_block(&diff_example(root, &aztags)?)),
            ("public-table-bytes", format!("{} bytes", thousands(bytes))),
            ("public-table-mb", format!("{:.1} MB", bytes as f64 / 1e6)),
            ("v4-bitmap-stop", percent(65_536 - v4_blocks, 65_536)),
            ("v6-blocks", thousands(v6_blocks)),
            ("duckdb-functions", function_table(Engine::DuckDb)),
            ("spark-functions", function_table(Engine::Spark)),
            ("python-functions", function_table(Engine::Python)),
        ];
        Ok(Figures { named })
    }

    fn get(&self, name: &str) -> Option<String> {
        self.named
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, f)| f.clone())
    }
}

/// An engine whose docs list the per-row functions.
#[derive(Clone, Copy)]
enum Engine {
    DuckDb,
    Spark,
    Python,
}

/// An engine's table of the crate's per-row functions (`row_functions::ROW_FUNCTIONS`):
/// each as that engine calls it, its type there, and its doc.
fn function_table(engine: Engine) -> String {
    let mut o = String::from("\n| function | answer per address |\n| --- | --- |\n");
    for f in ROW_FUNCTIONS {
        let call = |name: &str| match (engine, f.takes_service) {
            (Engine::DuckDb, false) => format!("`azure_{name}(ip [, snapshot])`"),
            (Engine::DuckDb, true) => format!("`azure_{name}(ip, service [, snapshot])`"),
            (Engine::Spark, false) => format!("`azure.{name}(ip)`"),
            (Engine::Spark, true) => format!("`azure.{name}(ip, service)`"),
            (Engine::Python, false) => format!("`azure_service_tags.{name}_each(ips)`"),
            (Engine::Python, true) => format!("`azure_service_tags.{name}_each(ips, service)`"),
        };
        // Python's former names are of its one-address API, not of these.
        let old: Vec<String> = match engine {
            Engine::Python => Vec::new(),
            _ => f.deprecated_names.iter().map(|n| call(n)).collect(),
        };
        let also = match old.is_empty() {
            true => String::new(),
            false => format!(" (also {}, deprecated)", old.join(", ")),
        };
        let returns = match engine {
            Engine::DuckDb => f.returns.duckdb_type(),
            Engine::Spark => f.returns.spark_type(),
            Engine::Python => f.returns.arrow_type(),
        };
        o.push_str(&format!(
            "| {}{also} | `{returns}`: {} |\n",
            call(f.name),
            f.doc
        ));
    }
    o.push('\n');
    o
}

/// The README's table of the pinned snapshots.
fn snapshot_table(snapshots: &[&Snapshot]) -> String {
    let mut o = String::from(
        "\n| cloud | feature | source | changeNumber | tags | prefixes |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for snap in snapshots {
        let cloud = snap.cloud();
        let (v4, v6) = snap.prefix_counts();
        let feature = match cloud {
            Cloud::Public => "`public` (default)".to_string(),
            other => format!("`{}`", other.short_name()),
        };
        o.push_str(&format!(
            "| {} | {feature} | {} | {} | {} | {} IPv4 + {} IPv6 |\n",
            cloud,
            snap.source().file_name(),
            snap.change_number(),
            thousands(snap.tags().len()),
            thousands(v4),
            thousands(v6)
        ));
    }
    // A blank line ends the table before the closing marker.
    o.push('\n');
    o
}

/// The README's dependency line: the crate at the workspace's `MAJOR.MINOR` (data
/// releases bump the patch).
fn dependency_line(root: &Path) -> Result<String, String> {
    let path = root.join("Cargo.toml");
    let [major, minor, _] = crate::version::workspace_version(&files::read(&path)?, &path)?;
    Ok(format!(
        "\n```toml\n[dependencies]\nazure-service-tags = \"{major}.{minor}\"\n```\n"
    ))
}

/// The main job's output, shortened: its comments and header, two routes, the last.
fn main_job(aztags: &Aztags) -> Result<String, String> {
    let out = aztags.run(&["routes", "--region", "eastus2"])?;
    let lines: Vec<&str> = out.lines().collect();
    let head = lines.iter().take_while(|l| l.starts_with('#')).count() + 1;
    let mut shown: Vec<&str> = lines.iter().take(head + 2).copied().collect();
    if lines.len() > head + 3 {
        shown.push("...");
    }
    if lines.len() > head + 2 {
        shown.extend(lines.last().copied());
    }
    Ok(shown.join("\n"))
}

/// The README's examples of `aztags check` and of an az CLI rendering.
fn cli_examples(aztags: &Aztags) -> Result<String, String> {
    let check = ["check", "--service", "AzureMachineLearning", "20.41.0.241"];
    let routes = [
        "routes",
        "--region",
        "francecentral",
        "--format",
        "az-cli",
        "-g",
        "rg-ml",
        "--route-table",
        "rt-ml",
    ];
    let mut o = format!("$ aztags {}\n{}", check.join(" "), aztags.run(&check)?);
    let script = aztags.run(&routes)?;
    o.push_str(&format!("$ aztags {}\n", routes.join(" ")));
    let head = script.lines().take_while(|l| l.starts_with('#')).count() + 1;
    for line in script.lines().take(head) {
        o.push_str(line);
        o.push('\n');
    }
    o.push_str("...");
    Ok(o)
}

/// `aztags diff` between the two fixture weeks of the tests (tests/fixtures), its
/// summary and the first tags' changes.
fn diff_example(root: &Path, aztags: &Aztags) -> Result<String, String> {
    let args = [
        "diff",
        "ServiceTags_Public_20990105.json",
        "ServiceTags_Public_20990112.json",
        "--region",
        "eastus2",
    ];
    let out = aztags.run_in(&root.join("tests/fixtures"), &args)?;
    let mut o = format!("$ aztags {}\n", args.join(" "));
    for line in out.lines().take(9) {
        o.push_str(line);
        o.push('\n');
    }
    o.push_str("...");
    Ok(o)
}

/// A fenced text block standing on its own lines between the markers.
fn code_block(text: &str) -> String {
    format!("\n```text\n{text}\n```\n")
}

/// `n` with commas between thousands.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut o = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            o.push(',');
        }
        o.push(c);
    }
    o
}

/// `part / whole` as a percentage with two decimals.
fn percent(part: usize, whole: usize) -> String {
    format!("{:.2}%", part as f64 * 100.0 / whole as f64)
}

/// The `aztags` binary, built from the current `data/` with every cloud.
struct Aztags {
    binary: std::path::PathBuf,
}

impl Aztags {
    fn build(root: &Path) -> Result<Aztags, String> {
        let args = [
            "build",
            "--quiet",
            "--release",
            "--features",
            "cli,government,china",
            "--bin",
            "aztags",
        ];
        files::cargo(&args, &[])?;
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| root.join("target"), std::path::PathBuf::from);
        Ok(Aztags {
            binary: target.join("release/aztags"),
        })
    }

    /// Standard output of `aztags ARGS` (exit 0 or 1: found or not).
    fn run(&self, args: &[&str]) -> Result<String, String> {
        self.run_in(Path::new("."), args)
    }

    /// Standard output of `aztags ARGS` run in `dir`.
    fn run_in(&self, dir: &Path, args: &[&str]) -> Result<String, String> {
        let out = Command::new(&self.binary)
            .arg("--no-age-warning")
            .args(args)
            .current_dir(dir)
            .output()
            .map_err(|e| format!("{}: {e}", self.binary.display()))?;
        match out.status.code() {
            Some(0 | 1) => String::from_utf8(out.stdout).map_err(|e| e.to_string()),
            _ => Err(format!(
                "aztags {}: {}",
                args.join(" "),
                String::from_utf8_lossy(&out.stderr)
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{fill, thousands, Figures};

    #[test]
    fn figures_are_replaced_between_their_markers_only() {
        let figures = Figures {
            named: vec![("n", "42".to_string())],
        };
        let text = "a <!-- gen:n -->7<!-- /gen --> b <!-- gen:n -->42<!-- /gen -->";
        let (new, changed) = fill(text, &figures, "doc").unwrap();
        assert_eq!(
            new,
            "a <!-- gen:n -->42<!-- /gen --> b <!-- gen:n -->42<!-- /gen -->"
        );
        assert_eq!(changed, ["n"]);
        assert!(fill("<!-- gen:x -->1<!-- /gen -->", &figures, "doc")
            .unwrap_err()
            .contains("no figure named \"x\""));
        assert!(fill("<!-- gen:n -->1", &figures, "doc")
            .unwrap_err()
            .contains("no <!-- /gen -->"));
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
    }
}
