//! The per-row functions every engine registers (Python's columns, Polars, DuckDB,
//! Spark), as one table: each function's name, whether it takes a service, what it
//! returns and one line of doc; and [`OnBadValue`], the one vocabulary of `errors=`.
//! Each engine loops over [`ROW_FUNCTIONS`] to register its functions and maps
//! [`Returns`] to its own types; `cargo xtask docs` writes the docs' function tables
//! from it. Adding a function is one row here plus each engine's own body.

use std::fmt;
use std::str::FromStr;

/// What a per-row function returns, per address.
///
/// ```
/// use azure_service_tags::row_functions::Returns;
/// assert_eq!(Returns::Tags.to_string(), "the names of the tags");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Returns {
    /// The names of every tag containing the address, in published order (a list of
    /// strings).
    Tags,
    /// Whether the address is the service's (a boolean).
    Owned,
    /// The service's most specific tag containing the address and its region (a struct
    /// of two strings, `tag` and `region`), null where none does.
    TagAndRegion,
}

impl Returns {
    /// The name the bindings use for it (`"tags"`, `"owned"`, `"tag_and_region"`).
    ///
    /// ```
    /// assert_eq!(azure_service_tags::row_functions::Returns::Owned.name(), "owned");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            Returns::Tags => "tags",
            Returns::Owned => "owned",
            Returns::TagAndRegion => "tag_and_region",
        }
    }
}

impl Returns {
    /// Its type in Spark SQL (`array<string>`), as the catalog and the UDFs declare it.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::row_functions::Returns::Owned.spark_type(), "boolean");
    /// ```
    pub const fn spark_type(self) -> &'static str {
        match self {
            Returns::Tags => "array<string>",
            Returns::Owned => "boolean",
            Returns::TagAndRegion => "struct<tag: string, region: string>",
        }
    }

    /// Its type in DuckDB SQL (`VARCHAR[]`).
    ///
    /// ```
    /// assert_eq!(azure_service_tags::row_functions::Returns::Tags.duckdb_type(), "VARCHAR[]");
    /// ```
    pub const fn duckdb_type(self) -> &'static str {
        match self {
            Returns::Tags => "VARCHAR[]",
            Returns::Owned => "BOOLEAN",
            Returns::TagAndRegion => "STRUCT(tag VARCHAR, region VARCHAR)",
        }
    }

    /// Its Arrow type (`list<string>`), as Python's column functions return it.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::row_functions::Returns::Owned.arrow_type(), "bool");
    /// ```
    pub const fn arrow_type(self) -> &'static str {
        match self {
            Returns::Tags => "list<string>",
            Returns::Owned => "bool",
            Returns::TagAndRegion => "struct<tag: string, region: string>",
        }
    }
}

impl fmt::Display for Returns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Returns::Tags => "the names of the tags",
            Returns::Owned => "a boolean",
            Returns::TagAndRegion => "a tag and its region",
        })
    }
}

/// One per-row function: `name(ip)` or `name(ip, service)`.
///
/// ```
/// use azure_service_tags::row_functions::ROW_FUNCTIONS;
/// let f = ROW_FUNCTIONS.iter().find(|f| f.name == "owned_by").unwrap();
/// assert!(f.takes_service);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowFunction {
    /// The name, the same in every engine (with the engine's prefix, `azure_` in SQL,
    /// and `_each` for Python's column functions).
    pub name: &'static str,
    /// Whether a service is its second argument.
    pub takes_service: bool,
    /// What it returns.
    pub returns: Returns,
    /// One line of doc.
    pub doc: &'static str,
    /// Former names still registered, deprecated.
    pub deprecated_names: &'static [&'static str],
}

/// Every per-row function, in the order the docs list them.
///
/// ```
/// let names: Vec<&str> = azure_service_tags::row_functions::ROW_FUNCTIONS.iter().map(|f| f.name).collect();
/// assert_eq!(names, ["tags_containing", "owned_by", "service_match"]);
/// ```
pub const ROW_FUNCTIONS: [RowFunction; 3] = [
    RowFunction {
        name: "tags_containing",
        takes_service: false,
        returns: Returns::Tags,
        doc: "every tag containing the address, in published order",
        deprecated_names: &["tags"],
    },
    RowFunction {
        name: "owned_by",
        takes_service: true,
        returns: Returns::Owned,
        doc: "whether the address is the service's (its global or a regional tag)",
        deprecated_names: &[],
    },
    RowFunction {
        name: "service_match",
        takes_service: true,
        returns: Returns::TagAndRegion,
        doc: "the service's most specific tag containing the address, and its region; null where none does",
        deprecated_names: &[],
    },
];

/// What a per-row function answers for a value that is not an address: `error` fails
/// the call naming the value, `null` answers null. `raise`, Python's former word, is
/// read as `error`.
///
/// ```
/// use azure_service_tags::row_functions::OnBadValue;
/// assert_eq!("NULL".parse::<OnBadValue>(), Ok(OnBadValue::Null));
/// assert_eq!("raise".parse::<OnBadValue>(), Ok(OnBadValue::Error));
/// assert!("ignore".parse::<OnBadValue>().unwrap_err().to_string().contains("'error' or 'null'"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OnBadValue {
    /// Fail, naming the value (the default).
    #[default]
    Error,
    /// Answer null.
    Null,
}

impl OnBadValue {
    /// Its name, `error` or `null`.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::row_functions::OnBadValue::Null.name(), "null");
    /// ```
    pub const fn name(self) -> &'static str {
        match self {
            OnBadValue::Error => "error",
            OnBadValue::Null => "null",
        }
    }
}

impl fmt::Display for OnBadValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// `errors` names neither `error` nor `null`.
///
/// ```
/// let e = "skip".parse::<azure_service_tags::row_functions::OnBadValue>().unwrap_err();
/// assert_eq!(e.to_string(), "errors must be 'error' or 'null', not \"skip\"");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OnBadValueError(pub String);

impl fmt::Display for OnBadValueError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "errors must be 'error' or 'null', not {:?}", self.0)
    }
}

impl std::error::Error for OnBadValueError {}

impl FromStr for OnBadValue {
    type Err = OnBadValueError;

    fn from_str(s: &str) -> Result<OnBadValue, OnBadValueError> {
        match s.to_ascii_lowercase().as_str() {
            "error" | "raise" => Ok(OnBadValue::Error),
            "null" => Ok(OnBadValue::Null),
            _ => Err(OnBadValueError(s.to_string())),
        }
    }
}
