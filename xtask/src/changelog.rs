//! A CHANGELOG.md entry for a data release, written from the change reports.

use std::fmt::Write as _;

use azure_service_tags::diff::{ChangeReport, TagChange};
use azure_service_tags::Cloud;

/// The heading CHANGELOG.md starts with; entries follow it, newest first.
pub(crate) const HEADING: &str = "# Changelog\n";

/// The service whose changes every entry calls out.
const CALLED_OUT: &str = "AzureMachineLearning";

/// Names listed in an entry before the rest are only counted.
const LISTED: usize = 25;

/// One cloud whose snapshot a release changes.
pub(crate) struct CloudChange {
    pub(crate) cloud: Cloud,
    pub(crate) report: ChangeReport,
}

/// The entry of release `version` made on `date`.
pub(crate) fn entry(version: &str, date: &str, clouds: &[CloudChange]) -> String {
    let mut o = format!("## {version} ({date})\n\nData release:");
    for (i, c) in clouds.iter().enumerate() {
        let sep = if i == 0 { " " } else { ", " };
        let _ = write!(
            o,
            "{sep}{} {} (changeNumber {})",
            c.cloud.as_str(),
            published(&c.report),
            c.report.newer().change_number
        );
    }
    o.push_str(".\n");
    for c in clouds {
        o.push('\n');
        o.push_str(&cloud_section(c));
    }
    o
}

/// The publication date of the report's new side, or its file name.
fn published(report: &ChangeReport) -> String {
    let new = report.newer();
    new.published
        .map_or_else(|| new.source.to_string(), |d| d.to_string())
}

/// The section of one cloud.
fn cloud_section(c: &CloudChange) -> String {
    let r = &c.report;
    let (added, removed) = r.prefix_counts();
    let mut o = format!(
        "### {}: changeNumber {} → {}\n\n`{}` → `{}`. Tags: {} added, {} removed, {} changed; \
         prefixes: {added} added, {removed} removed. The full report: `data/{}/changes.txt`.\n\n",
        c.cloud.as_str(),
        r.older().change_number,
        r.newer().change_number,
        r.older().source,
        r.newer().source,
        r.added_tags.len(),
        r.removed_tags.len(),
        r.changed.len(),
        c.cloud.short_name()
    );
    let names = |list: &[(String, usize)]| list.iter().map(|(n, _)| n.clone()).collect();
    let _ = writeln!(o, "- Tags added: {}.", listed(names(&r.added_tags)));
    let _ = writeln!(o, "- Tags removed: {}.", listed(names(&r.removed_tags)));
    let _ = writeln!(o, "- Azure Machine Learning: {}.", called_out(r));
    let properties: Vec<String> = r
        .changed
        .iter()
        .flat_map(|t| {
            t.properties
                .iter()
                .filter(|p| p.property != "changeNumber")
                .map(move |p| format!("`{}` {p}", t.name))
        })
        .collect();
    let _ = writeln!(
        o,
        "- Properties changed (changeNumbers aside): {}.",
        listed(properties)
    );
    let udr = |gained: bool| {
        let tags = r
            .changed
            .iter()
            .filter(|t| t.udr_change() == Some(gained))
            .map(|t| t.name.clone())
            .collect();
        listed(tags)
    };
    let _ = writeln!(
        o,
        "- Tags that may now be a route's address prefix (gained `UDR`): {}; that no longer \
         may (lost `UDR`): {}.",
        udr(true),
        udr(false)
    );
    o
}

/// The changes of the called-out service's tags.
fn called_out(r: &ChangeReport) -> String {
    let is_service = |name: &str| {
        name.split('.')
            .next()
            .is_some_and(|s| s.eq_ignore_ascii_case(CALLED_OUT))
    };
    let mut items: Vec<String> = Vec::new();
    items.extend(
        r.added_tags
            .iter()
            .filter(|(n, _)| is_service(n))
            .map(|(n, count)| format!("`{n}` added ({count} prefixes)")),
    );
    items.extend(
        r.removed_tags
            .iter()
            .filter(|(n, _)| is_service(n))
            .map(|(n, count)| format!("`{n}` removed ({count} prefixes)")),
    );
    items.extend(
        r.changed
            .iter()
            .filter(|t| is_service(&t.name))
            .map(tag_summary),
    );
    if items.is_empty() {
        "no change".to_string()
    } else {
        items.join(", ")
    }
}

/// `` `Name` (+A −R prefixes; networkFeatures null -> [NSG]) ``.
fn tag_summary(t: &TagChange) -> String {
    let mut parts = vec![format!("+{} −{} prefixes", t.added.len(), t.removed.len())];
    parts.extend(
        t.properties
            .iter()
            .filter(|p| p.property != "changeNumber")
            .map(ToString::to_string),
    );
    format!("`{}` ({})", t.name, parts.join("; "))
}

/// Items joined by commas (a bare name in backticks), at most `LISTED` of them, the
/// rest counted; "none" for none.
fn listed(items: Vec<String>) -> String {
    let total = items.len();
    let shown: Vec<String> = items
        .into_iter()
        .take(LISTED)
        .map(|i| {
            if i.starts_with('`') {
                i
            } else {
                format!("`{i}`")
            }
        })
        .collect();
    match total {
        0 => "none".to_string(),
        n if n <= LISTED => shown.join(", "),
        n => format!("{} and {} more", shown.join(", "), n - LISTED),
    }
}

/// The most characters of a pull request's body (GitHub takes 65,536).
const BODY_MAX: usize = 60_000;

/// A pull request's body: the entry, then each cloud's full change report, folded,
/// cut where the body would grow past what GitHub takes.
pub(crate) fn pull_request_body(entry: &str, clouds: &[CloudChange]) -> String {
    let mut body = entry.to_string();
    for c in clouds {
        let report = c.report.to_text();
        let section = format!(
            "\n<details><summary>{}: the full change report</summary>\n\n```text\n{report}```\n\n</details>\n",
            c.cloud.as_str()
        );
        if body.len() + section.len() > BODY_MAX {
            body.push_str(&format!(
                "\n{}: the full change report is too long for this page; see `data/{}/changes.txt`.\n",
                c.cloud.as_str(),
                c.cloud.short_name()
            ));
        } else {
            body.push_str(&section);
        }
    }
    body
}

/// CHANGELOG.md with `entry` as its newest entry.
pub(crate) fn prepend(changelog: &str, entry: &str) -> String {
    let rest = changelog.strip_prefix(HEADING).unwrap_or(changelog);
    let rest = rest.trim_start_matches('\n');
    if rest.is_empty() {
        format!("{HEADING}\n{entry}")
    } else {
        format!("{HEADING}\n{entry}\n{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::{entry, prepend, pull_request_body, CloudChange, HEADING};
    use azure_service_tags::{diff::ChangeReport, Cloud, Snapshot};

    fn snapshot(change_number: u32, tags: &str) -> Snapshot {
        let json =
            format!(r#"{{"changeNumber": {change_number}, "cloud": "China", "values": [{tags}]}}"#);
        Snapshot::from_json(json.as_bytes()).unwrap()
    }

    fn tag(name: &str, features: &str, prefixes: &str) -> String {
        format!(
            r#"{{"name": "{name}", "id": "{name}", "properties": {{"changeNumber": 1, "region": "",
               "addressPrefixes": [{prefixes}], "networkFeatures": {features}}}}}"#
        )
    }

    #[test]
    fn an_entry_calls_out_machine_learning_properties_and_udr() {
        let old = snapshot(
            5,
            &[
                tag("AzureMachineLearning", "null", r#""192.0.2.0/28""#),
                tag("GatewayManager", "null", r#""192.0.2.64/28""#),
                tag("Gone", "null", r#""192.0.2.96/28""#),
            ]
            .join(","),
        );
        let new = snapshot(
            7,
            &[
                tag("AzureMachineLearning", "null", r#""192.0.2.16/28""#),
                tag("GatewayManager", r#"["NSG","UDR"]"#, r#""192.0.2.64/28""#),
            ]
            .join(","),
        );
        let change = CloudChange {
            cloud: Cloud::China,
            report: ChangeReport::between(&old, &new),
        };
        let text = entry("0.1.1", "2026-12-01", std::slice::from_ref(&change));
        for line in [
            "## 0.1.1 (2026-12-01)\n",
            "### China: changeNumber 5 → 7\n",
            "Tags: 0 added, 1 removed, 2 changed; prefixes: 1 added, 2 removed.",
            "- Tags removed: `Gone`.\n",
            "- Azure Machine Learning: `AzureMachineLearning` (+1 −1 prefixes).\n",
            "- Properties changed (changeNumbers aside): `GatewayManager` networkFeatures null -> [NSG,UDR].\n",
            "(gained `UDR`): `GatewayManager`; that no longer may (lost `UDR`): none.\n",
        ] {
            assert!(text.contains(line), "missing {line:?} in\n{text}");
        }
        let body = pull_request_body(&text, &[change]);
        assert!(body.starts_with(&text) && body.contains("networkFeatures null -> [NSG,UDR]"));
        let log = prepend(&format!("{HEADING}\n## 0.1.0\n\nFirst.\n"), &text);
        assert!(log.starts_with(&format!("{HEADING}\n## 0.1.1")));
        assert!(log.ends_with("\n## 0.1.0\n\nFirst.\n"));
    }
}
