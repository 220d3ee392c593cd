//! Renders a [`RoutePlan`] for the tools users deploy with.
//!
//! Formats: a readable table, Azure CLI commands, Azure PowerShell, Bicep, Terraform
//! (`azurerm_route` resources), CSV, and with feature `json` an ARM template and JSON.
//! Every rendering names the snapshot it came from (cloud, changeNumber, file, date),
//! and every value that reaches a shell or a template is quoted for it. This module only
//! formats text: it derives nothing. JSON is written by `serde_json` from the views in
//! `json`, never by hand.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use crate::route::{Route, RouteChanges, RoutePlan};

#[cfg(feature = "json")]
mod json;

/// The `Microsoft.Network` API version of the ARM and Bicep renderings.
const NETWORK_API_VERSION: &str = "2023-09-01";

/// An output format.
///
/// ```
/// use azure_service_tags::render::Format;
/// assert_eq!("az-cli".parse::<Format>().unwrap(), Format::AzCli);
/// assert!(Format::ALL.contains(&Format::Terraform));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "cli", derive(clap::ValueEnum))]
#[non_exhaustive]
pub enum Format {
    /// A readable table: one route a line, with the plan's provenance and notes.
    Table,
    /// `az network route-table route create ...` commands (POSIX shell).
    AzCli,
    /// `Add-AzRouteConfig` + `Set-AzRouteTable`.
    #[cfg_attr(feature = "cli", value(name = "powershell"))]
    PowerShell,
    /// An ARM deployment template with a `Microsoft.Network/routeTables` resource
    /// (feature `json`).
    #[cfg(feature = "json")]
    Arm,
    /// A Bicep file with the route table resource.
    Bicep,
    /// Terraform `azurerm_route` resources.
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

/// Names of the resources the routes go into.
///
/// ```
/// use azure_service_tags::render::Target;
/// let t = Target::default();
/// assert_eq!((t.resource_group.as_str(), t.route_table.as_str()), ("my-resource-group", "my-route-table"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The resource group.
    pub resource_group: String,
    /// The route table.
    pub route_table: String,
}

impl Default for Target {
    fn default() -> Self {
        Target {
            resource_group: "my-resource-group".to_string(),
            route_table: "my-route-table".to_string(),
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
/// assert!(text.contains("az network route-table route create -g 'my-resource-group'"));
/// assert!(text.contains("changeNumber 375"));
/// ```
pub fn render(plan: &RoutePlan<'_>, format: Format, target: &Target) -> String {
    match format {
        Format::Table => table(plan),
        Format::AzCli => az_cli(plan, target),
        Format::PowerShell => powershell(plan, target, &[]),
        #[cfg(feature = "json")]
        Format::Arm => json::arm(plan, target),
        Format::Bicep => bicep(plan, target),
        Format::Terraform => terraform(plan, target),
        #[cfg(feature = "json")]
        Format::Json => json::plan(plan),
        Format::Csv => csv(plan),
    }
}

/// A one-line description of the plan, for comments.
pub(crate) fn title(plan: &RoutePlan<'_>) -> String {
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
    let _ = writeln!(o, "{marker} Snapshot: {}", plan.provenance());
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

/// Quotes for a POSIX shell: `'...'`, with `'` written as `'\''`.
pub(crate) fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Quotes for PowerShell: `'...'`, with `'` doubled.
pub(crate) fn powershell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// An HCL (Terraform) string literal: `"..."` with HCL's escapes, and `${` and `%{`
/// doubled so Terraform does not interpolate them.
pub(crate) fn hcl_string(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(o, "\\u{:04x}", c as u32);
            }
            c => o.push(c),
        }
    }
    o.push('"');
    o.replace("${", "$${").replace("%{", "%%{")
}

/// A Bicep string literal: `'...'` with `\`, `'` and `${` escaped.
pub(crate) fn bicep_string(s: &str) -> String {
    format!(
        "'{}'",
        s.replace('\\', "\\\\")
            .replace('\'', "\\'")
            .replace("${", "\\${")
    )
}

fn table(plan: &RoutePlan<'_>) -> String {
    let mut o = format!(
        "# {}\n# primary {}, secondary {}\n",
        plan.provenance(),
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
    for r in &plan.routes {
        let _ = writeln!(
            o,
            "{:<60} {:<44} {:<16} {}",
            r.name,
            r.address_prefix,
            r.next_hop.kind(),
            r.tag.name()
        );
    }
    o
}

fn az_cli(plan: &RoutePlan<'_>, t: &Target) -> String {
    let mut o = header(plan, "#");
    for r in &plan.routes {
        let _ = write!(
            o,
            "az network route-table route create -g {} --route-table-name {} -n {} --address-prefix {} --next-hop-type {}",
            shell_quote(&t.resource_group),
            shell_quote(&t.route_table),
            shell_quote(&r.name),
            shell_quote(&r.address_prefix),
            r.next_hop.kind()
        );
        if let Some(ip) = r.next_hop.ip() {
            let _ = write!(o, " --next-hop-ip-address {}", shell_quote(&ip.to_string()));
        }
        o.push('\n');
    }
    o
}

/// Fetches the route table, removes `deletes`, adds the plan's routes, saves it.
fn powershell(plan: &RoutePlan<'_>, t: &Target, deletes: &[Route<'_>]) -> String {
    let mut o = header(plan, "#");
    let _ = writeln!(
        o,
        "$routeTable = Get-AzRouteTable -ResourceGroupName {} -Name {}",
        powershell_quote(&t.resource_group),
        powershell_quote(&t.route_table)
    );
    for r in deletes {
        let _ = writeln!(
            o,
            "Remove-AzRouteConfig -RouteTable $routeTable -Name {} | Out-Null",
            powershell_quote(&r.name)
        );
    }
    for r in &plan.routes {
        let _ = write!(
            o,
            "Add-AzRouteConfig -RouteTable $routeTable -Name {} -AddressPrefix {} -NextHopType {}",
            powershell_quote(&r.name),
            powershell_quote(&r.address_prefix),
            powershell_quote(r.next_hop.kind())
        );
        if let Some(ip) = r.next_hop.ip() {
            let _ = write!(
                o,
                " -NextHopIpAddress {}",
                powershell_quote(&ip.to_string())
            );
        }
        o.push_str(" | Out-Null\n");
    }
    o.push_str("$routeTable | Set-AzRouteTable | Out-Null\n");
    o
}

fn bicep(plan: &RoutePlan<'_>, t: &Target) -> String {
    let mut o = header(plan, "//");
    let _ = writeln!(
        o,
        "param routeTableName string = {}\nparam location string = resourceGroup().location\n\n\
         resource routeTable 'Microsoft.Network/routeTables@{NETWORK_API_VERSION}' = {{\n  name: routeTableName\n  location: location\n  properties: {{\n    routes: [",
        bicep_string(&t.route_table)
    );
    for r in &plan.routes {
        let _ = writeln!(
            o,
            "      {{\n        name: {}\n        properties: {{\n          addressPrefix: {}\n          nextHopType: {}",
            bicep_string(&r.name),
            bicep_string(&r.address_prefix),
            bicep_string(r.next_hop.kind())
        );
        if let Some(ip) = r.next_hop.ip() {
            let _ = writeln!(
                o,
                "          nextHopIpAddress: {}",
                bicep_string(&ip.to_string())
            );
        }
        o.push_str("        }\n      }\n");
    }
    o.push_str("    ]\n  }\n}\n");
    o
}

/// A Terraform resource label for a route name: letters, digits, `_` and `-`,
/// starting with a letter or `_`.
fn terraform_label(name: &str) -> String {
    let label: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if label.starts_with(|c: char| c.is_ascii_alphabetic()) {
        label
    } else {
        format!("r_{label}")
    }
}

fn terraform(plan: &RoutePlan<'_>, t: &Target) -> String {
    let mut o = header(plan, "#");
    let _ = writeln!(
        o,
        "variable \"resource_group_name\" {{\n  type    = string\n  default = {}\n}}\n\n\
         variable \"route_table_name\" {{\n  type    = string\n  default = {}\n}}",
        hcl_string(&t.resource_group),
        hcl_string(&t.route_table)
    );
    for r in &plan.routes {
        let _ = write!(
            o,
            "\nresource \"azurerm_route\" {} {{\n  name                = {}\n  resource_group_name = var.resource_group_name\n  route_table_name    = var.route_table_name\n  address_prefix      = {}\n  next_hop_type       = {}\n",
            hcl_string(&terraform_label(&r.name)),
            hcl_string(&r.name),
            hcl_string(&r.address_prefix),
            hcl_string(r.next_hop.kind())
        );
        if let Some(ip) = r.next_hop.ip() {
            let _ = writeln!(
                o,
                "  next_hop_in_ip_address = {}",
                hcl_string(&ip.to_string())
            );
        }
        o.push_str("}\n");
    }
    o
}

/// A CSV field, quoted when it needs to be.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn csv(plan: &RoutePlan<'_>) -> String {
    let mut o =
        String::from("name,addressPrefix,nextHopType,nextHopIpAddress,tag,region,snapshot\n");
    let snapshot = plan.provenance();
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
        let fields: Vec<String> = row.iter().map(|f| csv_field(f)).collect();
        o.push_str(&fields.join(","));
        o.push('\n');
    }
    o
}

/// Renders the commands that bring a route table made from `old` to `new`: deletes for
/// routes that no longer belong, creates for new ones, nothing for the unchanged.
/// Formats: Azure CLI, PowerShell and (feature `json`) JSON.
///
/// ```
/// use azure_service_tags::render::{render_changes, Format, Target};
/// use azure_service_tags::route::{plan, RouteRequest};
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("AzureMachineLearning", "eastus2")).unwrap();
/// let text = render_changes(&p, &p, Format::AzCli, &Target::default()).unwrap();
/// assert!(!text.contains("route create") && !text.contains("route delete"));
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
    let summary = || {
        format!(
            "# Route changes since {}: {} to delete, {} to create, {} unchanged\n",
            old.provenance(),
            changes.delete.len(),
            changes.create.len(),
            changes.unchanged
        )
    };
    match format {
        Format::AzCli => {
            let mut o = summary();
            for r in &changes.delete {
                let _ = writeln!(
                    o,
                    "az network route-table route delete -g {} --route-table-name {} -n {}",
                    shell_quote(&target.resource_group),
                    shell_quote(&target.route_table),
                    shell_quote(&r.name)
                );
            }
            o.push_str(&az_cli(&creates, target));
            Ok(o)
        }
        Format::PowerShell => Ok(summary() + &powershell(&creates, target, &changes.delete)),
        #[cfg(feature = "json")]
        Format::Json => Ok(json::changes(old, &creates, &changes)),
        other => Err(RenderError::NoChangeScript(other)),
    }
}
