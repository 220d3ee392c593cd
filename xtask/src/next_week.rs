//! A synthetic next week of the pinned Public snapshot, for rehearsing a release that
//! changes the data: the kinds of change Microsoft's weeks bring, derived from whatever
//! `data/public/` holds, so the rehearsal follows the data.

use std::path::Path;

use azure_service_tags::official::export_official;
use azure_service_tags::{Date, Snapshot};
use serde_json::{json, Value};

use crate::files::{self, root};

/// The service whose regional tag changes every week (the one the project exists for).
const SERVICE: &str = "AzureMachineLearning";

/// Writes `ServiceTags_Public_<published + 7 weeks>.json` into `out`: changeNumber +
/// `weeks`; a regional tag of [`SERVICE`] (East US 2's when there is one) loses one
/// prefix and gains one; a tag is added and one removed; a tag loses `UDR`; CRLF line
/// endings without a final newline, as some of Microsoft's weeks are written. Each
/// `weeks` gives other changes, so week 2 differs from week 1.
pub(crate) fn write(out: &Path, weeks: u32) -> Result<(), String> {
    let weeks = weeks.max(1);
    let snap = Snapshot::from_data_dir(root().join("data/public")).map_err(|e| e.to_string())?;
    let published = snap
        .published()
        .ok_or("data/public has no publication date to count weeks from")?;
    let date = Date::from_days_since_epoch(published.days_since_epoch() + 7 * i64::from(weeks))
        .ok_or("the next week's date is out of range")?;
    let mut file: Value =
        serde_json::from_str(&export_official(&snap)).map_err(|e| e.to_string())?;
    let n = weeks as usize;
    file["changeNumber"] = json!(snap.change_number() + weeks);
    let values = file["values"]
        .as_array_mut()
        .ok_or("the exported file has no values")?;
    let moved = move_a_prefix(values, n)?;
    let removed = remove_a_tag(values, n)?;
    let flipped = drop_udr(values, n)?;
    values.push(new_tag(n));
    let text = serde_json::to_string_pretty(&file)
        .map_err(|e| e.to_string())?
        .replace('\n', "\r\n");
    let path = out.join(format!("ServiceTags_Public_{}.json", date.compact()));
    std::fs::create_dir_all(out).map_err(|e| format!("{}: {e}", out.display()))?;
    files::replace(&[(path.clone(), text)])?;
    println!(
        "{}: changeNumber {}; {moved} lost and gained a prefix, {removed} removed, {flipped} \
         lost UDR, {} added",
        path.display(),
        snap.change_number() + weeks,
        name(&new_tag(n))
    );
    Ok(())
}

/// The tag's name in an official file's value.
fn name(tag: &Value) -> &str {
    tag["name"].as_str().unwrap_or("")
}

/// A regional tag of [`SERVICE`] loses its `n`-th IPv4 prefix and gains one of
/// TEST-NET-3; its changeNumber goes up. Returns its name.
fn move_a_prefix(values: &mut [Value], n: usize) -> Result<String, String> {
    let regional = |t: &Value| name(t).starts_with(&format!("{SERVICE}."));
    let position = values
        .iter()
        .position(|t| name(t) == format!("{SERVICE}.EastUS2"))
        .or_else(|| values.iter().position(regional))
        .ok_or(format!("no {SERVICE}.<region> tag to change"))?;
    let tag = &mut values[position];
    let prefixes = tag["properties"]["addressPrefixes"]
        .as_array_mut()
        .ok_or("a tag without addressPrefixes")?;
    let v4: Vec<usize> = (0..prefixes.len())
        .filter(|&i| !prefixes[i].as_str().unwrap_or(":").contains(':'))
        .collect();
    if let Some(&i) = v4.get((n - 1) % v4.len().max(1)) {
        prefixes.remove(i);
    }
    prefixes.insert(0, json!(format!("203.0.113.{}/28", 16 * (n % 16))));
    let number = tag["properties"]["changeNumber"].as_u64().unwrap_or(0);
    tag["properties"]["changeNumber"] = json!(number + 1);
    Ok(name(tag).to_string())
}

/// Removes the `n`-th small tag (a regional one of at most 4 prefixes) from the end
/// that is not [`SERVICE`]'s, as weeks retire such tags. Returns its name.
fn remove_a_tag(values: &mut Vec<Value>, n: usize) -> Result<String, String> {
    let small = |t: &Value| {
        name(t).contains('.')
            && !name(t).starts_with(SERVICE)
            && t["properties"]["addressPrefixes"]
                .as_array()
                .is_some_and(|p| p.len() <= 4)
    };
    let position = (0..values.len())
        .rev()
        .filter(|&i| small(&values[i]))
        .nth(n - 1)
        .ok_or("no small regional tag to remove")?;
    Ok(name(&values.remove(position)).to_string())
}

/// The `n`-th tag that is not [`SERVICE`]'s and has `UDR` loses it. Returns its name.
fn drop_udr(values: &mut [Value], n: usize) -> Result<String, String> {
    let has_udr = |t: &Value| {
        t["properties"]["networkFeatures"]
            .as_array()
            .is_some_and(|f| f.iter().any(|x| x == "UDR"))
    };
    let tag = values
        .iter_mut()
        .filter(|t| !name(t).starts_with(SERVICE) && has_udr(t))
        .nth(n - 1)
        .ok_or("no tag with UDR to change")?;
    if let Some(features) = tag["properties"]["networkFeatures"].as_array_mut() {
        features.retain(|x| x != "UDR");
    }
    Ok(name(tag).to_string())
}

/// A global tag new in week `n`, with one prefix of TEST-NET-2.
fn new_tag(n: usize) -> Value {
    let name = format!("RehearsalWeek{n}");
    json!({
        "name": name,
        "id": name,
        "properties": {
            "changeNumber": 1,
            "region": "",
            "regionId": 0,
            "platform": "Azure",
            "systemService": "Rehearsal",
            "addressPrefixes": [format!("198.51.100.{}/29", 8 * (n % 32))],
            "networkFeatures": ["API", "NSG", "UDR", "FW"]
        }
    })
}
