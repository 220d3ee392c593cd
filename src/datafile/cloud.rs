//! The Azure clouds and every name and id each one has.

use std::fmt;
use std::str::FromStr;

/// An Azure cloud: each publishes its own service tags.
///
/// ```
/// use azure_service_tags::Cloud;
/// let cloud: Cloud = "government".parse().unwrap();
/// assert_eq!(cloud, Cloud::AzureGovernment);
/// assert_eq!(cloud.as_str(), "AzureGovernment"); // the official files' `cloud` field
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Cloud {
    /// Azure Public (`Public` in the files); the default wherever a cloud may be left out.
    #[default]
    Public,
    /// Azure US Government (`AzureGovernment`).
    AzureGovernment,
    /// Azure operated by 21Vianet (`China`).
    China,
}

/// Every fact about one cloud, in one place.
struct Facts {
    /// The official files' `cloud` field.
    official: &'static str,
    /// The short name: command lines, `data/` directories and cargo features.
    short: &'static str,
    /// The `cloud` column of Microsoft's region-pairs table.
    pairs_table: &'static str,
    /// Other spellings accepted when parsing (lowercase): ARM cloud names and the like.
    aliases: &'static [&'static str],
    /// The id of the cloud's page in Microsoft's download center.
    download_id: u32,
    /// The fixed path under which the cloud's weekly files are published.
    download_path: &'static str,
}

const PUBLIC: Facts = Facts {
    official: "Public",
    short: "public",
    pairs_table: "Public",
    aliases: &["azurecloud", "azurepublic"],
    download_id: 56519,
    download_path: "7/1/D/71D86715-5596-4529-9B13-DA13A5DE5B63",
};

const GOVERNMENT: Facts = Facts {
    official: "AzureGovernment",
    short: "government",
    pairs_table: "AzureUSGovernment",
    aliases: &["gov", "usgov", "azuregovernment", "azureusgovernment"],
    download_id: 57063,
    download_path: "6/4/D/64DB03BF-895B-4173-A8B1-BA4AD5D4DF22",
};

const CHINA: Facts = Facts {
    official: "China",
    short: "china",
    pairs_table: "AzureChinaCloud",
    aliases: &["azurechina", "azurechinacloud"],
    download_id: 57062,
    download_path: "9/D/0/9D03B7E2-4B80-4BF3-9B91-DA8C7D3EE9F9",
};

impl Cloud {
    /// Every cloud, in a fixed order.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::Cloud::ALL.len(), 3);
    /// ```
    pub const ALL: [Cloud; 3] = [Cloud::Public, Cloud::AzureGovernment, Cloud::China];

    fn facts(self) -> &'static Facts {
        match self {
            Cloud::Public => &PUBLIC,
            Cloud::AzureGovernment => &GOVERNMENT,
            Cloud::China => &CHINA,
        }
    }

    /// The value of the official files' `cloud` field.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::Cloud::China.as_str(), "China");
    /// ```
    pub fn as_str(self) -> &'static str {
        self.facts().official
    }

    /// The short name used on command lines, for `data/` directories and for the
    /// cargo feature that compiles the cloud's snapshot in.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::Cloud::AzureGovernment.short_name(), "government");
    /// ```
    pub fn short_name(self) -> &'static str {
        self.facts().short
    }

    /// The cloud whose official `cloud` field is `field` (exact spelling).
    ///
    /// ```
    /// use azure_service_tags::Cloud;
    /// assert_eq!(Cloud::from_official("AzureGovernment"), Some(Cloud::AzureGovernment));
    /// assert_eq!(Cloud::from_official("government"), None);
    /// ```
    pub fn from_official(field: &str) -> Option<Cloud> {
        Cloud::ALL.into_iter().find(|c| c.as_str() == field)
    }

    /// The `cloud` column of Microsoft's region-pairs table.
    #[cfg_attr(not(feature = "json"), allow(dead_code))]
    pub(crate) fn pairs_table_name(self) -> &'static str {
        self.facts().pairs_table
    }

    /// The id of the cloud's page in Microsoft's download center.
    #[cfg_attr(not(feature = "refresh"), allow(dead_code))]
    pub(crate) fn download_id(self) -> u32 {
        self.facts().download_id
    }

    /// The fixed path under which the cloud's weekly files are published, as first
    /// published (upper case; today's links write it in lower case).
    #[cfg_attr(not(feature = "refresh"), allow(dead_code))]
    pub(crate) fn download_path(self) -> &'static str {
        self.facts().download_path
    }

    /// The official file name of the cloud's file of a day: `ServiceTags_<cloud>_`.
    #[cfg_attr(not(feature = "refresh"), allow(dead_code))]
    pub(crate) fn file_name_prefix(self) -> String {
        format!("ServiceTags_{}_", self.as_str())
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error of parsing a [`Cloud`] from text.
///
/// ```
/// let err = "mars".parse::<azure_service_tags::Cloud>().unwrap_err();
/// assert!(err.to_string().contains("\"mars\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseCloudError(String);

impl fmt::Display for ParseCloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown cloud {:?}: expected public, government or china",
            self.0
        )
    }
}

impl std::error::Error for ParseCloudError {}

impl FromStr for Cloud {
    type Err = ParseCloudError;

    /// Accepts the short names (`public`, `government`, `china`), the official field
    /// values and the ARM cloud names (`AzureCloud`, `AzureUSGovernment`,
    /// `AzureChinaCloud`), in any case.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let want = s.trim().to_ascii_lowercase();
        Cloud::ALL
            .into_iter()
            .find(|c| {
                let f = c.facts();
                f.short == want || f.aliases.contains(&want.as_str())
            })
            .ok_or_else(|| ParseCloudError(s.to_string()))
    }
}
