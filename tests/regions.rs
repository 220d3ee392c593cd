//! Region resolution in every accepted spelling, pairs as published, the odd codes, and
//! regional tags found through codes.

use azure_service_tags::public;

const PUBLIC_REGIONS: &str = include_str!("../data/public/regions.tsv");

/// The rows of the region table, read with the test's own TSV split.
fn rows() -> Vec<Vec<String>> {
    PUBLIC_REGIONS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect()
}

#[test]
fn every_region_resolves_in_every_spelling() {
    let snap = public();
    let rows = rows();
    assert_eq!(rows.len(), snap.regions().len());
    for row in &rows {
        let (name, display, code) = (&row[0], &row[1], &row[2]);
        let mut spellings = vec![name.clone(), name.to_uppercase(), format!("  {name} ")];
        if display != "-" {
            spellings.push(display.clone());
            spellings.push(display.to_lowercase());
            spellings.push(display.replace(' ', ""));
            spellings.push(display.replace(' ', "-"));
            spellings.push(display.to_uppercase().replace(' ', "_"));
        }
        if code != "-" {
            spellings.push(code.clone());
            spellings.push(code.to_uppercase());
        }
        for s in spellings {
            let region = snap
                .region(&s)
                .unwrap_or_else(|| panic!("{s:?} does not resolve"));
            assert_eq!(region.name(), name, "{s:?}");
            assert_eq!(
                region.display_name(),
                (display != "-").then_some(display.as_str())
            );
            assert_eq!(region.code(), (code != "-").then_some(code.as_str()));
        }
    }
}

#[test]
fn odd_codes_resolve_to_arm_names() {
    let snap = public();
    for (code, arm) in [
        ("brazilse", "brazilsoutheast"),
        ("centralfrance", "francecentral"),
        ("southfrance", "francesouth"),
        ("germanywc", "germanywestcentral"),
        ("germanyn", "germanynorth"),
        ("norwaye", "norwayeast"),
        ("norwayw", "norwaywest"),
        ("switzerlandn", "switzerlandnorth"),
        ("switzerlandw", "switzerlandwest"),
        ("chilec", "chilecentral"),
        ("usstagee", "eastusstg"),
        ("usstagec", "southcentralusstg"),
    ] {
        let region = snap.region(code).unwrap_or_else(|| panic!("{code}"));
        assert_eq!(region.name(), arm);
        assert_eq!(region.code(), Some(code));
        assert_eq!(snap.region(arm), Some(region));
    }
}

#[test]
fn regions_known_only_from_service_tags_are_regions() {
    let snap = public();
    for name in [
        "israelnorthwest",
        "malaysiasouth",
        "taiwannorth",
        "southeastus",
        "swedensouth",
    ] {
        let region = snap.region(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(region.code(), Some(name));
        assert!(
            snap.tags().any(|t| t.region() == Some(region)),
            "{name} has tags"
        );
    }
    // Logical regions of the region list are not places to deploy to.
    assert!(snap.region("global").is_none());
    assert!(snap.region("asiapacific").is_none());
}

#[test]
fn pairs_are_kept_as_published() {
    let snap = public();
    let pair = |r: &str| snap.region(r).unwrap().paired().map(|p| p.name());
    assert_eq!(pair("eastus2"), Some("centralus"));
    assert_eq!(pair("centralus"), Some("eastus2"));
    assert_eq!(pair("westus3"), Some("eastus"));
    assert_eq!(pair("eastus"), Some("westus"));
    assert_eq!(pair("brazilsouth"), Some("southcentralus"));
    assert_eq!(pair("southcentralus"), Some("northcentralus"));
    assert_eq!(pair("westindia"), Some("southindia"));
    assert_eq!(pair("southindia"), Some("centralindia"));
    assert_eq!(pair("francecentral"), Some("francesouth"));
    for unpaired in [
        "italynorth",
        "austriaeast",
        "israelcentral",
        "mexicocentral",
        "newzealandnorth",
        "polandcentral",
        "qatarcentral",
        "spaincentral",
    ] {
        assert_eq!(pair(unpaired), None, "{unpaired}");
    }
    // Every row's pair column is what the handle answers: a region, '-' (none) or '?'
    // (not known).
    for row in rows() {
        let expected = (row[5] != "-" && row[5] != "?").then_some(row[5].as_str());
        assert_eq!(pair(&row[0]), expected, "{}", row[0]);
        let known = snap.region(&row[0]).unwrap().pair_known();
        assert_eq!(known, row[5] != "?", "{}", row[0]);
    }
}

#[test]
fn region_fields_match_the_table() {
    let snap = public();
    for row in rows() {
        let r = snap.region(&row[0]).unwrap();
        assert_eq!(
            r.region_id().map(|v| v.to_string()).unwrap_or("-".into()),
            row[3]
        );
        assert_eq!(r.geography().unwrap_or("-"), row[4]);
    }
    let e2 = snap.region("eastus2").unwrap();
    assert_eq!(e2.display_name(), Some("East US 2"));
    assert_eq!(e2.geography(), Some("United States"));
}

#[test]
fn regional_tags_are_found_through_the_region_code() {
    let snap = public();
    let fr = snap.region("francecentral").unwrap();
    let tag = snap.regional_tag("AzureMachineLearning", fr).unwrap();
    assert_eq!(tag.name(), "AzureMachineLearning.FranceCentral");
    assert_eq!(tag.region_code(), Some("centralfrance"));
    let south = fr.paired().unwrap();
    assert_eq!(south.name(), "francesouth");
    assert_eq!(
        snap.regional_tag("AzureMachineLearning", south)
            .unwrap()
            .name(),
        "AzureMachineLearning.FranceSouth"
    );
    assert_eq!(
        snap.regional_tag("AzureCloud", fr).unwrap().name(),
        "AzureCloud.centralfrance"
    );
    let e2 = snap.region("eastus2").unwrap();
    assert_eq!(
        snap.regional_tag("azuremachinelearning", e2)
            .unwrap()
            .name(),
        "AzureMachineLearning.EastUS2"
    );
    // Every service with a tag in a region finds one there: the shortest-named, when a
    // service has several (`Sql.EastUS2` and `Sql.EastUS2Stage`, both in eastus2).
    for tag in snap.tags() {
        if let (Some(region), Some((service, _))) = (tag.region(), tag.name().split_once('.')) {
            let found = snap.regional_tag(service, region).unwrap();
            assert_eq!(found.service(), service);
            assert_eq!(found.region(), Some(region));
            assert!(
                found.name().len() <= tag.name().len(),
                "{} for {}",
                found,
                tag
            );
        }
    }
    assert_eq!(snap.regional_tag("Sql", e2).unwrap().name(), "Sql.EastUS2");
    // A service with no tag in a region, and a dotted service, give None.
    let italy = snap.region("italynorth").unwrap();
    assert!(snap.regional_tag("NoSuchService", italy).is_none());
    assert!(snap.regional_tag("AzureCloud.eastus2", e2).is_none());
}
