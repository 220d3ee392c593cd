//! The pinned snapshots in `data/`, read by a parser of the tests' own: tests compare
//! what the crate compiled in with this reading, so that they follow the data instead of
//! pinning its counts, changeNumbers, dates or file names. It shares no code with the
//! crate's parser (`src/datafile/`), so a build that drops or changes a tag, a prefix or a
//! region disagrees with it.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use ipnet::IpNet;

/// One tag of a `service-tags.txt`: its name, its `key=value` properties as written, and
/// its prefixes in published order.
#[derive(Debug, Clone)]
pub struct PinnedTag {
    pub name: String,
    pub properties: BTreeMap<String, String>,
    pub prefixes: Vec<IpNet>,
}

impl PinnedTag {
    /// A property as written (`None` when the line leaves it out).
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties.get(key).map(String::as_str)
    }

    /// Prefixes of one family.
    pub fn count(&self, v6: bool) -> usize {
        self.prefixes
            .iter()
            .filter(|p| matches!(p, IpNet::V6(_)) == v6)
            .count()
    }
}

/// One cloud's `data/<cloud>/` directory.
#[derive(Debug, Clone)]
pub struct Pinned {
    /// The header's `key value` lines.
    pub header: BTreeMap<String, String>,
    pub tags: Vec<PinnedTag>,
    /// `regions.tsv` rows below its header, each a list of columns.
    pub regions: Vec<Vec<String>>,
}

impl Pinned {
    /// A header value (`cloud`, `changeNumber`, `source`, `sha256`, `published`).
    pub fn header(&self, key: &str) -> Option<&str> {
        self.header.get(key).map(String::as_str)
    }

    /// The top-level changeNumber.
    pub fn change_number(&self) -> u32 {
        self.header("changeNumber").unwrap().parse().unwrap()
    }

    /// IPv4 and IPv6 prefixes over all tags.
    pub fn prefix_counts(&self) -> (usize, usize) {
        let sum = |v6| self.tags.iter().map(|t| t.count(v6)).sum();
        (sum(false), sum(true))
    }

    /// The tag named `name` (exact spelling).
    pub fn tag(&self, name: &str) -> &PinnedTag {
        self.tags.iter().find(|t| t.name == name).unwrap()
    }

    /// The region row whose ARM name is `name`.
    pub fn region(&self, name: &str) -> &[String] {
        self.regions.iter().find(|r| r[0] == name).unwrap()
    }
}

/// Reads the two files of a `data/<cloud>/` directory.
pub fn read(tags_text: &str, regions_text: &str) -> Pinned {
    let mut header = BTreeMap::new();
    let mut tags: Vec<PinnedTag> = Vec::new();
    for line in tags_text.lines().map(|l| l.trim_end_matches('\r')) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(rest) = line.strip_prefix("tag ") {
            let mut words = rest.split(' ');
            let name = words.next().unwrap().to_string();
            let properties = words
                .map(|w| {
                    let (k, v) = w.split_once('=').unwrap();
                    (k.to_string(), v.to_string())
                })
                .collect();
            tags.push(PinnedTag {
                name,
                properties,
                prefixes: Vec::new(),
            });
        } else if let Some(tag) = tags.last_mut() {
            tag.prefixes.push(line.parse().unwrap());
        } else {
            let (k, v) = line.split_once(' ').unwrap();
            header.insert(k.to_string(), v.to_string());
        }
    }
    let regions = regions_text
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .skip(1)
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    Pinned {
        header,
        tags,
        regions,
    }
}

macro_rules! pinned_cloud {
    ($fn:ident, $dir:literal) => {
        /// The pinned snapshot of this cloud, read once.
        pub fn $fn() -> &'static Pinned {
            static DATA: OnceLock<Pinned> = OnceLock::new();
            DATA.get_or_init(|| {
                read(
                    include_str!(concat!("../../data/", $dir, "/service-tags.txt")),
                    include_str!(concat!("../../data/", $dir, "/regions.tsv")),
                )
            })
        }
    };
}

pinned_cloud!(public, "public");
pinned_cloud!(government, "government");
pinned_cloud!(china, "china");
