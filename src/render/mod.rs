//! Renders a [`RoutePlan`] for the tools users deploy with.
//!
//! Formats: a readable table, Azure CLI commands, Azure PowerShell, Bicep, Terraform
//! (`azurerm_route` resources), CSV, and with feature `json` an ARM template and JSON.
//! Every rendering names the snapshot it came from (cloud, changeNumber, file, date),
//! and every value that reaches a shell or a template is quoted for it (`quote`).
//! Deployable renderings add routes to an existing route table and leave its other
//! routes alone; only [`Target::whole_table`] declares the table itself. This module
//! only formats text: it derives nothing. JSON is written by `serde_json`, never by hand.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use crate::route::{RouteChanges, RoutePlan};

mod iac;
#[cfg(feature = "json")]
mod json;
mod quote;
mod shell;

/// The `Microsoft.Network` API version of the ARM and Bicep renderings: the one the
/// Azure CLI 2.91 uses for routes.
const NETWORK_API_VERSION: &str = "2025-07-01";

/// The most resources one ARM copy loop (or Bicep `for`) may create.
const ARM_COPY_LIMIT: usize = 800;

/// The most resources one ARM template may declare, copies included (a Bicep file
/// compiles to one template). A plan of more routes is deployed by nested deployments,
/// each a template of its own holding one batch.
const ARM_RESOURCE_LIMIT: usize = 800;

/// The `Microsoft.Resources` API version of those nested deployments.
const DEPLOYMENTS_API_VERSION: &str = "2024-03-01";

/// Whether a plan of `routes` routes needs nested deployments (see
/// [`ARM_RESOURCE_LIMIT`]).
fn needs_nested_deployments(routes: usize) -> bool {
    routes > ARM_RESOURCE_LIMIT
}

/// What an ARM or Bicep rendering says when it splits a plan into `batches` nested
/// deployments.
fn nested_deployments_note(routes: usize, batches: usize) -> String {
    format!(
        "{routes} routes are more than the {ARM_RESOURCE_LIMIT} resources one deployment may \
         hold: {batches} nested deployments of at most {ARM_COPY_LIMIT} routes each create \
         them, one after the other."
    )
}

/// The routes in copy-loop batches of at most [`ARM_COPY_LIMIT`] (one batch, maybe
/// empty, for a plan with none), each with its name suffix: none for a single batch,
/// else `1`, `2`, ... ARM and Bicep name their loops `routes<suffix>`.
fn copy_batches<T>(routes: &[T]) -> Vec<(String, &[T])> {
    let batches: Vec<&[T]> = if routes.is_empty() {
        vec![routes]
    } else {
        routes.chunks(ARM_COPY_LIMIT).collect()
    };
    let single = batches.len() == 1;
    batches
        .into_iter()
        .enumerate()
        .map(|(i, b)| {
            (
                if single {
                    String::new()
                } else {
                    (i + 1).to_string()
                },
                b,
            )
        })
        .collect()
}

/// An output format.
///
/// ```
/// use azure_service_tags::render::Format;
/// assert_eq!("az-cli".parse::<Format>().unwrap(), Format::AzCli);
/// assert!(Format::ALL.contains(&Format::Terraform));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// A readable table: one route a line, with the plan's provenance and notes.
    Table,
    /// `az network route-table route create ...` commands (POSIX shell).
    AzCli,
    /// `Add-AzRouteConfig` + `Set-AzRouteTable`.
    PowerShell,
    /// An ARM deployment template (feature `json`) with the routes as children of an
    /// existing route table.
    #[cfg(feature = "json")]
    Arm,
    /// A Bicep file with the routes as children of an existing route table.
    Bicep,
    /// Terraform `azurerm_route` resources in an existing route table.
    Terraform,
    /// The plan as JSON, with stable field names (feature `json`).
    #[cfg(feature = "json")]
    Json,
    /// One row per route.
    Csv,
}

impl Format {
    /// Every format compiled in.
    ///
    /// ```
    /// assert!(azure_service_tags::render::Format::ALL.iter().any(|f| f.name() == "terraform"));
    /// ```
    pub const ALL: &'static [Format] = &[
        Format::Table,
        Format::AzCli,
        Format::PowerShell,
        #[cfg(feature = "json")]
        Format::Arm,
        Format::Bicep,
        Format::Terraform,
        #[cfg(feature = "json")]
        Format::Json,
        Format::Csv,
    ];

    /// The format's name, as command lines spell it.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::render::Format::PowerShell.name(), "powershell");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::AzCli => "az-cli",
            Format::PowerShell => "powershell",
            #[cfg(feature = "json")]
            Format::Arm => "arm",
            Format::Bicep => "bicep",
            Format::Terraform => "terraform",
            #[cfg(feature = "json")]
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }

    /// What the format gives, in one line (as `aztags routes --help` lists it).
    ///
    /// ```
    /// assert!(azure_service_tags::render::Format::Bicep.description().contains("Bicep"));
    /// ```
    pub fn description(self) -> &'static str {
        match self {
            Format::Table => {
                "A readable table: one route a line, with the plan's provenance and notes"
            }
            Format::AzCli => "`az network route-table route create ...` commands (POSIX shell)",
            Format::PowerShell => "`Add-AzRouteConfig` + `Set-AzRouteTable`",
            #[cfg(feature = "json")]
            Format::Arm => {
                "An ARM deployment template (feature `json`) with the routes as children of an existing route table"
            }
            Format::Bicep => "A Bicep file with the routes as children of an existing route table",
            Format::Terraform => "Terraform `azurerm_route` resources in an existing route table",
            #[cfg(feature = "json")]
            Format::Json => "The plan as JSON, with stable field names (feature `json`)",
            Format::Csv => "One row per route",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error of parsing a [`Format`]: no format has that name.
///
/// ```
/// let err = "yaml".parse::<azure_service_tags::render::Format>().unwrap_err();
/// assert!(err.to_string().contains("\"yaml\""));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseFormatError(String);

impl fmt::Display for ParseFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
        write!(f, "format {:?} is not one of {}", self.0, names.join(", "))
    }
}

impl std::error::Error for ParseFormatError {}

impl FromStr for Format {
    type Err = ParseFormatError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| ParseFormatError(s.to_string()))
    }
}

/// Why route changes cannot be rendered.
///
/// ```
/// use azure_service_tags::render::{render_changes, Format, RenderError, Target};
/// use azure_service_tags::route::{plan, RouteRequest};
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("AzureMachineLearning", "eastus2")).unwrap();
/// let err = render_changes(&p, &p, Format::Bicep, &Target::default()).unwrap_err();
/// assert_eq!(err, RenderError::NoChangeScript(Format::Bicep));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum RenderError {
    /// The format declares routes; it has no form for deleting some: change scripts are
    /// written for the Azure CLI, PowerShell and JSON.
    NoChangeScript(Format),
}

impl fmt::Display for RenderError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RenderError::NoChangeScript(format) => write!(
                f,
                "route changes render as az-cli, powershell or json, not {}",
                format.name()
            ),
        }
    }
}

impl std::error::Error for RenderError {}

/// Where the routes go, and how a template declares them.
///
/// ```
/// use azure_service_tags::render::Target;
/// let t = Target::default();
/// assert_eq!((t.resource_group.as_str(), t.route_table.as_str()), ("my-resource-group", "my-route-table"));
/// assert!(!t.whole_table);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The resource group.
    pub resource_group: String,
    /// The route table, which must exist (unless `whole_table`).
    pub route_table: String,
    /// ARM and Bicep: declare the route table itself, with exactly the plan's routes.
    /// Deploying that replaces the table's routes and settings, deleting every route it
    /// has that the plan lacks. Off by default: the templates then declare only the
    /// routes, as children of the existing table.
    pub whole_table: bool,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            resource_group: "my-resource-group".to_string(),
            route_table: "my-route-table".to_string(),
            whole_table: false,
        }
    }
}

/// Renders `plan` in `format`.
///
/// ```
/// use azure_service_tags::render::{render, Format, Target};
/// use azure_service_tags::route::{plan, RouteRequest};
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("AzureMachineLearning", "eastus2")).unwrap();
/// let text = render(&p, Format::AzCli, &Target::default());
/// assert!(text.contains("az network route-table route create --resource-group='my-resource-group'"));
/// let snapshot = azure_service_tags::public();
/// assert!(text.contains(&format!("changeNumber {}", snapshot.change_number())));
/// ```
pub fn render(plan: &RoutePlan<'_>, format: Format, target: &Target) -> String {
    match format {
        Format::Table => table(plan),
        Format::AzCli => shell::az_cli(plan, target),
        Format::PowerShell => shell::powershell(plan, target, &[], None),
        #[cfg(feature = "json")]
        Format::Arm => json::arm(plan, target),
        Format::Bicep => iac::bicep(plan, target),
        Format::Terraform => iac::terraform(plan, target),
        #[cfg(feature = "json")]
        Format::Json => json::plan(plan),
        Format::Csv => csv(plan),
    }
}

/// A one-line description of the plan, for comments.
fn title(plan: &RoutePlan<'_>) -> String {
    let regions = match plan.secondary {
        Some(s) => format!("{} and its paired region {}", plan.primary.name(), s.name()),
        None => plan.primary.name().to_string(),
    };
    format!(
        "{} routes for {} in {regions}",
        plan.routes.len(),
        plan.service
    )
}

/// Comment lines (title, snapshot, notes) behind `marker`.
fn header(plan: &RoutePlan<'_>, marker: &str) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "{marker} {}", title(plan));
    let _ = writeln!(o, "{marker} Snapshot: {}", plan.snapshot.provenance());
    let _ = writeln!(
        o,
        "{marker} Generated by azure-service-tags; service IPs change weekly: regenerate from a fresh snapshot."
    );
    for note in &plan.notes {
        let _ = writeln!(o, "{marker} Note: {note}");
    }
    if !plan.extra_coverage.is_empty() {
        let extra: Vec<String> = plan.extra_coverage.iter().map(|n| n.to_string()).collect();
        let _ = writeln!(
            o,
            "{marker} Also covered (not the service's): {}",
            extra.join(" ")
        );
    }
    o
}

/// A readable table: provenance and notes as `#` lines, then a header row and one row a
/// route, in aligned columns.
fn table(plan: &RoutePlan<'_>) -> String {
    let mut o = format!(
        "# {}\n# primary {}, secondary {}\n",
        plan.snapshot.provenance(),
        plan.primary.name(),
        plan.secondary.map_or("none", |r| r.name())
    );
    for note in &plan.notes {
        let _ = writeln!(o, "# note: {note}");
    }
    if !plan.extra_coverage.is_empty() {
        let extra: Vec<String> = plan.extra_coverage.iter().map(|n| n.to_string()).collect();
        let _ = writeln!(o, "# also covered (not the service's): {}", extra.join(" "));
    }
    let mut rows: Vec<[String; 5]> = vec![[
        "NAME".into(),
        "ADDRESS PREFIX".into(),
        "NEXT HOP TYPE".into(),
        "NEXT HOP IP".into(),
        "TAG".into(),
    ]];
    for r in &plan.routes {
        rows.push([
            r.name.clone(),
            r.address_prefix.clone(),
            r.next_hop.kind().to_string(),
            r.next_hop.ip().map_or("-".to_string(), |ip| ip.to_string()),
            r.tag.name().to_string(),
        ]);
    }
    let mut widths = [0usize; 5];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                let _ = write!(line, "{cell:<w$}  ");
            }
        }
        o.push_str(line.trim_end());
        o.push('\n');
    }
    o
}

fn csv(plan: &RoutePlan<'_>) -> String {
    let mut o =
        String::from("name,addressPrefix,nextHopType,nextHopIpAddress,tag,region,snapshot\n");
    let snapshot = plan.snapshot.provenance().to_string();
    for r in &plan.routes {
        let row = [
            r.name.clone(),
            r.address_prefix.clone(),
            r.next_hop.kind().to_string(),
            r.next_hop.ip().map(|ip| ip.to_string()).unwrap_or_default(),
            r.tag.name().to_string(),
            r.tag
                .region()
                .map(|r| r.name().to_string())
                .unwrap_or_default(),
            snapshot.clone(),
        ];
        let fields: Vec<String> = row.iter().map(|f| quote::csv(f)).collect();
        o.push_str(&fields.join(","));
        o.push('\n');
    }
    o
}

/// Renders what brings a route table made from `old` to `new`: deletes for routes that
/// no longer belong, creates for new and changed ones, nothing for the unchanged.
/// Formats: Azure CLI and PowerShell scripts that stop at the first real error and can
/// be run again (a route already gone is skipped, an existing one updated), and
/// (feature `json`) JSON.
///
/// ```
/// use azure_service_tags::render::{render_changes, Format, Target};
/// use azure_service_tags::route::{plan, RouteRequest};
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("AzureMachineLearning", "eastus2")).unwrap();
/// let text = render_changes(&p, &p, Format::AzCli, &Target::default()).unwrap();
/// assert!(text.contains("set -eu"));
/// assert!(!text.contains("route create") && !text.contains("delete_route"));
/// ```
pub fn render_changes(
    old: &RoutePlan<'_>,
    new: &RoutePlan<'_>,
    format: Format,
    target: &Target,
) -> Result<String, RenderError> {
    let changes = RouteChanges::between(old, new);
    let creates = RoutePlan {
        routes: changes.create.clone(),
        ..new.clone()
    };
    let summary = format!(
        "Route changes since {}: {} to delete, {} to create, {} unchanged",
        old.snapshot.provenance(),
        changes.delete.len(),
        changes.create.len(),
        changes.unchanged
    );
    match format {
        Format::AzCli => Ok(shell::az_cli_changes(
            &summary,
            &creates,
            &changes.delete,
            target,
        )),
        Format::PowerShell => Ok(shell::powershell(
            &creates,
            target,
            &changes.delete,
            Some(&summary),
        )),
        #[cfg(feature = "json")]
        Format::Json => Ok(json::changes(old, &creates, &changes)),
        other => Err(RenderError::NoChangeScript(other)),
    }
}
