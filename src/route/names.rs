//! Route names: valid for Azure, unique within a plan, stable across runs.

use std::collections::BTreeSet;

/// Makes a valid, unique Azure route name from parts: letters, digits, `_`, `.`, `-`
/// only (`:` becomes `-`, `/` becomes `_`), at most 80 characters, starting with a
/// letter or digit and ending with a letter, digit or `_`. Deterministic: the same
/// parts and the same earlier names give the same name.
pub fn route_name(parts: &[&str], used: &mut BTreeSet<String>) -> String {
    let clean = |s: &str| -> String {
        s.chars()
            .map(|c| match c {
                ':' => '-',
                '/' => '_',
                c if c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-') => c,
                _ => '-',
            })
            .collect()
    };
    let mut parts: Vec<String> = parts.iter().map(|p| clean(p)).collect();
    // Shorten the leading parts (service, region) first; the address stays whole.
    let total = |p: &[String]| p.iter().map(String::len).sum::<usize>() + p.len().saturating_sub(1);
    let budget = 72; // room for a "-NN" uniqueness suffix
    let mut i = 0;
    while total(&parts) > budget && i < parts.len() {
        let excess = total(&parts) - budget;
        let keep = parts[i].len().saturating_sub(excess).max(1);
        parts[i].truncate(keep);
        i += 1;
    }
    let mut base = parts.join("-");
    base.truncate(budget);
    let trimmed_start = base
        .trim_start_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    let mut name = trimmed_start.trim_end_matches(['.', '-']).to_string();
    if name.is_empty() {
        name = "route".to_string();
    }
    let mut candidate = name.clone();
    let mut n = 2;
    while used.contains(&candidate) {
        candidate = format!("{name}-{n}");
        n += 1;
    }
    used.insert(candidate.clone());
    candidate
}

/// Whether `name` follows Azure's rules for route names.
///
/// ```
/// use azure_service_tags::route::is_valid_route_name;
/// assert!(is_valid_route_name("aml-eastus2-20.41.0.0_24"));
/// assert!(!is_valid_route_name("aml:eastus2"));
/// assert!(!is_valid_route_name("-aml"));
/// assert!(!is_valid_route_name("aml."));
/// ```
pub fn is_valid_route_name(name: &str) -> bool {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-');
    (1..=80).contains(&name.len())
        && name.chars().all(ok_char)
        && name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric() || c == '_')
}
