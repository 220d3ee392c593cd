//! `regions.tsv`: the region table, tab-separated, one region a line.

use std::collections::HashSet;

use super::{DataFileError, content_lines};

/// The columns of `regions.tsv`, in order.
pub const REGION_COLUMNS: [&str; 6] = [
    "name",
    "displayName",
    "code",
    "regionId",
    "geography",
    "paired",
];

/// One row of `regions.tsv`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RegionRecord {
    /// ARM name, e.g. `francecentral`.
    pub name: String,
    /// Display name, e.g. `France Central`.
    pub display_name: Option<String>,
    /// The code used in service tags' `region` property, e.g. `centralfrance`.
    pub code: Option<String>,
    /// The service tags' `regionId`.
    pub region_id: Option<u32>,
    /// Geography, e.g. `France`.
    pub geography: Option<String>,
    /// The paired (secondary) region, as published (pairs are directional), none, or
    /// not known.
    pub paired: Pair,
}

/// A region's pair, as the region table knows it: `regions.tsv` writes the ARM name, `-`
/// for a region published without a pair, `?` for one whose pair is not known (a region
/// newer than the region list the table was built from, known by its code in the
/// service tags).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Pair {
    /// The ARM name of the paired region.
    Region(String),
    /// Published without a pair.
    Unpaired,
    /// Not known.
    #[default]
    Unknown,
}

impl Pair {
    /// The paired region's ARM name, when there is one.
    pub fn region(&self) -> Option<&str> {
        match self {
            Pair::Region(name) => Some(name),
            _ => None,
        }
    }

    /// The pair a `regions.tsv` cell writes.
    pub fn from_cell(cell: &str) -> Pair {
        match cell {
            "-" => Pair::Unpaired,
            "?" => Pair::Unknown,
            name => Pair::Region(name.to_string()),
        }
    }

    /// The `regions.tsv` cell.
    pub fn cell(&self) -> &str {
        match self {
            Pair::Region(name) => name,
            Pair::Unpaired => "-",
            Pair::Unknown => "?",
        }
    }
}

/// Parses a `regions.tsv`; `file` names it in errors.
pub fn parse_regions(text: &str, file: &str) -> Result<Vec<RegionRecord>, DataFileError> {
    let err = |line: usize, msg: String| DataFileError::new(file, line, msg);
    let mut rows = Vec::new();
    let mut header_seen = false;
    let mut names = HashSet::new();
    for (n, line) in content_lines(text) {
        let cols: Vec<&str> = line.split('\t').collect();
        if !header_seen {
            if cols != REGION_COLUMNS {
                return Err(err(
                    n,
                    format!("the header row is {cols:?}, expected {REGION_COLUMNS:?}"),
                ));
            }
            header_seen = true;
            continue;
        }
        if cols.len() != REGION_COLUMNS.len() {
            return Err(err(
                n,
                format!(
                    "{} columns, expected {}: {line:?}",
                    cols.len(),
                    REGION_COLUMNS.len()
                ),
            ));
        }
        let opt = |v: &str| (v != "-").then(|| v.to_string());
        let name = cols[0];
        if name.is_empty()
            || !name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        {
            return Err(err(
                n,
                format!("region name {name:?} is not lowercase letters and digits"),
            ));
        }
        if !names.insert(name.to_string()) {
            return Err(err(n, format!("region {name:?} appears twice")));
        }
        let region_id = match cols[3] {
            "-" => None,
            v => Some(v.parse().map_err(|_| {
                err(
                    n,
                    format!("region {name:?}: regionId {v:?} is not a number"),
                )
            })?),
        };
        rows.push(RegionRecord {
            name: name.to_string(),
            display_name: opt(cols[1]),
            code: opt(cols[2]),
            region_id,
            geography: opt(cols[4]),
            paired: Pair::from_cell(cols[5]),
        });
    }
    if !header_seen {
        return Err(err(0, "no header row".to_string()));
    }
    Ok(rows)
}

/// Writes a `regions.tsv`. Fails if a value holds a tab or a line break, or is `-`.
pub fn write_regions(rows: &[RegionRecord]) -> Result<String, String> {
    let mut out = String::from(
        "# Azure regions in the azure-service-tags format: tab-separated, '-' for unknown.\n\
         # Written by the `refresh-service-tags` tool; pairs are directional, as published\n\
         # ('-': no pair; '?': the pair is not known).\n",
    );
    out.push_str(&REGION_COLUMNS.join("\t"));
    out.push('\n');
    for r in rows {
        let id = r.region_id.map(|v| v.to_string());
        let cols = [
            Some(r.name.as_str()),
            r.display_name.as_deref(),
            r.code.as_deref(),
            id.as_deref(),
            r.geography.as_deref(),
            r.paired.region(),
        ];
        for (i, c) in cols.iter().enumerate() {
            let v = if i == 5 {
                r.paired.cell()
            } else {
                c.unwrap_or("-")
            };
            if c.is_some()
                && (v == "-" || v == "?" || v.is_empty() || v.contains(['\t', '\n', '\r']))
            {
                return Err(format!(
                    "region {:?}: {} {v:?} cannot be written",
                    r.name, REGION_COLUMNS[i]
                ));
            }
            if i > 0 {
                out.push('\t');
            }
            out.push_str(v);
        }
        out.push('\n');
    }
    Ok(out)
}
