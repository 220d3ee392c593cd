//! A cloud's region table from Microsoft's region list and pairs, and from the region
//! codes its service tags use.

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use super::{OfficialError, invalid, read_json};
use crate::datafile::{Cloud, Pair, RegionRecord, SnapshotFile};

/// Microsoft's region list and pairs, the inputs of a region table.
///
/// ```
/// use azure_service_tags::official::RegionSources;
/// let sources = RegionSources { pairs: Some("cloud,region,secondary,geography,note\n".into()),
///                               pairs_name: "region-pairs.csv".into(), ..RegionSources::default() };
/// assert!(sources.locations.is_none());
/// ```
#[derive(Debug, Default, Clone)]
pub struct RegionSources {
    /// `az account list-locations` output (Public), as bytes.
    pub locations: Option<Vec<u8>>,
    /// The label of `locations` in errors.
    pub locations_name: String,
    /// `region-pairs.csv`: `cloud,region,secondary,geography,note`.
    pub pairs: Option<String>,
    /// The label of `pairs` in errors.
    pub pairs_name: String,
}

/// Builds a cloud's region table.
///
/// The rows come from `previous` (the pinned table) and, when given, Microsoft's
/// region list (physical regions only) and pairs. Then every region code used by the
/// snapshot's tags is attached to its region: the code itself when it is an ARM name,
/// else the ARM name that the tags' own names use for it
/// (`AzureMachineLearning.FranceCentral` has code `centralfrance`); a code that no
/// known region claims becomes a region of its own (regions that appear only in
/// service tags are still regions). Rows are sorted by ARM name.
pub fn build_regions(
    cloud: Cloud,
    snapshot: &SnapshotFile,
    sources: &RegionSources,
    previous: &[RegionRecord],
) -> Result<Vec<RegionRecord>, OfficialError> {
    let mut rows: BTreeMap<String, RegionRecord> = previous
        .iter()
        .map(|r| (r.name.clone(), r.clone()))
        .collect();
    if let Some(bytes) = &sources.locations {
        read_locations(bytes, &sources.locations_name, &mut rows)?;
    }
    if let Some(text) = &sources.pairs {
        read_pairs(
            text,
            &sources.pairs_name,
            cloud.pairs_table_name(),
            &mut rows,
        )?;
    }
    // Region code -> (regionId, lowercased name suffixes of its tags with counts).
    let mut codes: BTreeMap<&str, (Option<u32>, HashMap<String, usize>)> = BTreeMap::new();
    for tag in &snapshot.tags {
        let Some(code) = tag.region.as_deref().filter(|c| !c.is_empty()) else {
            continue;
        };
        let entry = codes.entry(code).or_default();
        entry.0 = entry.0.or(tag.region_id);
        if let Some((_, suffix)) = tag.name.split_once('.') {
            *entry.1.entry(suffix.to_ascii_lowercase()).or_default() += 1;
        }
    }
    for (code, (region_id, suffixes)) in codes {
        let claimed = rows
            .values()
            .find(|r| r.code.as_deref() == Some(code))
            .map(|r| r.name.clone());
        let name = claimed
            .or_else(|| rows.contains_key(code).then(|| code.to_string()))
            .or_else(|| {
                // The most used suffix that names a known region without a code yet.
                let mut candidates: Vec<(&String, &usize)> = suffixes
                    .iter()
                    .filter(|(s, _)| rows.get(*s).is_some_and(|r| r.code.is_none()))
                    .collect();
                candidates.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
                candidates.first().map(|(s, _)| (*s).clone())
            })
            .unwrap_or_else(|| code.to_string());
        let row = rows.entry(name.clone()).or_insert_with(|| RegionRecord {
            name: name.clone(),
            ..RegionRecord::default()
        });
        row.code = Some(code.to_string());
        if region_id.is_some() {
            row.region_id = region_id;
        }
    }
    Ok(rows.into_values().collect())
}

fn read_locations(
    bytes: &[u8],
    file: &str,
    rows: &mut BTreeMap<String, RegionRecord>,
) -> Result<(), OfficialError> {
    let list = read_json(bytes, file, "")?;
    let list = list.as_array().ok_or_else(|| {
        invalid(
            file,
            "expected the list that `az account list-locations` prints",
        )
    })?;
    for (i, loc) in list.iter().enumerate() {
        let name = loc
            .get("name")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(file, format!("entry {i} has no \"name\"")))?;
        let meta = loc.get("metadata");
        let physical = meta
            .and_then(|m| m.get("regionType"))
            .and_then(Value::as_str)
            == Some("Physical");
        if !physical {
            continue; // "asia", "global", "eastusstage": not places to deploy to
        }
        let row = rows
            .entry(name.to_string())
            .or_insert_with(|| RegionRecord {
                name: name.to_string(),
                ..RegionRecord::default()
            });
        if let Some(d) = loc.get("displayName").and_then(Value::as_str) {
            row.display_name = Some(d.to_string());
        }
        if let Some(g) = meta
            .and_then(|m| m.get("geography"))
            .and_then(Value::as_str)
        {
            row.geography = Some(g.to_string());
        }
        let paired = meta
            .and_then(|m| m.get("pairedRegion"))
            .and_then(Value::as_array)
            .and_then(|p| p.first())
            .and_then(|p| p.get("name"))
            .and_then(Value::as_str);
        match paired {
            Some(p) => row.paired = Pair::Region(p.to_string()),
            // Listed without a pair: none, unless the pairs table says otherwise.
            None if row.paired == Pair::Unknown => row.paired = Pair::Unpaired,
            None => {}
        }
    }
    Ok(())
}

fn read_pairs(
    text: &str,
    file: &str,
    cloud: &str,
    rows: &mut BTreeMap<String, RegionRecord>,
) -> Result<(), OfficialError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, header))
            if header
                .trim_end()
                .starts_with("cloud,region,secondary,geography") => {}
        _ => {
            return Err(invalid(
                file,
                "expected a header row cloud,region,secondary,geography,note",
            ));
        }
    }
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.splitn(5, ',').map(str::trim).collect();
        if cols.len() < 4 {
            return Err(invalid(
                file,
                format!("line {}: {line:?} has fewer than 4 columns", i + 1),
            ));
        }
        if cols[0] != cloud {
            continue;
        }
        let (name, secondary, geography) = (cols[1], cols[2], cols[3]);
        for r in [name, secondary].into_iter().filter(|r| !r.is_empty()) {
            rows.entry(r.to_string()).or_insert_with(|| RegionRecord {
                name: r.to_string(),
                ..RegionRecord::default()
            });
        }
        if let Some(row) = rows.get_mut(name) {
            row.paired = if secondary.is_empty() {
                Pair::Unpaired
            } else {
                Pair::Region(secondary.to_string())
            };
            if row.geography.is_none() && !geography.is_empty() {
                row.geography = Some(geography.to_string());
            }
        }
    }
    Ok(())
}
