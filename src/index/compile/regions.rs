//! The region rows (`regions`) and every spelling a region answers to (`region_keys`).

use std::collections::{BTreeMap, HashMap};

use super::{IndexError, Interner};
use crate::datafile::{Pair, REGION_KEY_MAX, RegionRecord, fold_region_name};
use crate::index::{Compiled, NONE, PAIR_UNKNOWN, RegionRow};

/// The region rows and the region spellings (`t.regions`, `t.region_keys`); returns
/// each service-tag region code's region index.
pub(super) fn compile<'r>(
    regions: &'r [RegionRecord],
    strings: &mut Interner,
    t: &mut Compiled,
) -> Result<HashMap<&'r str, u32>, IndexError> {
    let by_name: HashMap<&str, u32> = regions
        .iter()
        .enumerate()
        .map(|(i, r)| (r.name.as_str(), i as u32))
        .collect();
    let mut by_code: HashMap<&str, u32> = HashMap::new();
    let mut keys: BTreeMap<String, u32> = BTreeMap::new();
    for (i, r) in regions.iter().enumerate() {
        let i = i as u32;
        let paired = match &r.paired {
            Pair::Unpaired => NONE,
            Pair::Unknown => PAIR_UNKNOWN,
            Pair::Region(p) => {
                *by_name
                    .get(p.as_str())
                    .ok_or_else(|| IndexError::UnknownPairedRegion {
                        region: r.name.clone(),
                        paired: p.clone(),
                    })?
            }
        };
        if let Some(code) = &r.code
            && let Some(other) = by_code.insert(code.as_str(), i)
        {
            return Err(IndexError::SharedRegionCode {
                first: regions[other as usize].name.clone(),
                second: r.name.clone(),
                code: code.clone(),
            });
        }
        region_spellings(regions, i, &mut keys)?;
        t.regions.push(
            RegionRow {
                name: strings.get(&r.name),
                display_name: strings.opt(r.display_name.as_deref()),
                code: strings.opt(r.code.as_deref()),
                region_id: r.region_id.unwrap_or(NONE),
                geography: strings.opt(r.geography.as_deref()),
                paired,
            }
            .to_array(),
        );
    }
    t.region_keys = keys.into_iter().collect();
    Ok(by_code)
}

/// Adds the folded spellings of region `i` (ARM name, display name, code) to `keys`;
/// fails when one cannot be looked up or another region answers to it.
fn region_spellings(
    regions: &[RegionRecord],
    i: u32,
    keys: &mut BTreeMap<String, u32>,
) -> Result<(), IndexError> {
    let r = &regions[i as usize];
    let mut buf = [0u8; REGION_KEY_MAX];
    for spelling in [Some(&r.name), r.display_name.as_ref(), r.code.as_ref()]
        .into_iter()
        .flatten()
    {
        let key = fold_region_name(spelling, &mut buf)
            .ok_or_else(|| IndexError::UnusableSpelling {
                region: r.name.clone(),
                spelling: spelling.clone(),
            })?
            .to_string();
        match keys.get(&key) {
            Some(&other) if other != i => {
                return Err(IndexError::SharedSpelling {
                    first: regions[other as usize].name.clone(),
                    second: r.name.clone(),
                    spelling: spelling.clone(),
                });
            }
            _ => {
                keys.insert(key, i);
            }
        }
    }
    Ok(())
}
