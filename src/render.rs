//! Renders a [`RoutePlan`] for the tools users deploy with.
//!
//! Formats: a readable table, Azure CLI commands, Azure PowerShell, an ARM template,
//! Bicep, Terraform (`azurerm_route` resources), JSON and CSV. Every rendering names the snapshot it
//! came from (cloud, changeNumber, file, date), and every value that reaches a shell or
//! a template is quoted for it. This module only formats text: it derives nothing.

use std::fmt::Write as _;
use std::str::FromStr;

use crate::route::{Mode, RouteError, RoutePlan};

/// An output format.
///
/// ```
/// use azure_service_tags::render::Format;
/// assert_eq!("az-cli".parse::<Format>().unwrap(), Format::AzCli);
/// assert_eq!(Format::ALL.len(), 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A readable table: one route a line, with the plan's provenance and notes.
    Table,
    /// `az network route-table route create ...` commands (POSIX shell).
    AzCli,
    /// `Add-AzRouteConfig` + `Set-AzRouteTable`.
    PowerShell,
    /// An ARM deployment template with a `Microsoft.Network/routeTables` resource.
    Arm,
    /// A Bicep file with the route table resource.
    Bicep,
    /// Terraform `azurerm_route` resources.
    Terraform,
    /// The plan as JSON (stable field names).
    Json,
    /// One row per route.
    Csv,
}

impl Format {
    /// Every format.
    ///
    /// ```
    /// assert!(azure_service_tags::render::Format::ALL.iter().any(|f| f.name() == "terraform"));
    /// ```
    pub const ALL: [Format; 8] = [
        Format::Table,
        Format::AzCli,
        Format::PowerShell,
        Format::Arm,
        Format::Bicep,
        Format::Terraform,
        Format::Json,
        Format::Csv,
    ];

    /// The name used on the command line.
    ///
    /// ```
    /// assert_eq!(azure_service_tags::render::Format::PowerShell.name(), "powershell");
    /// ```
    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::AzCli => "az-cli",
            Format::PowerShell => "powershell",
            Format::Arm => "arm",
            Format::Bicep => "bicep",
            Format::Terraform => "terraform",
            Format::Json => "json",
            Format::Csv => "csv",
        }
    }
}

impl FromStr for Format {
    type Err = RouteError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| {
                let names: Vec<&str> = Format::ALL.iter().map(|f| f.name()).collect();
                RouteError::BadValue(format!("format {s:?} is not one of {}", names.join(", ")))
            })
    }
}

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
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("eastus2")).unwrap();
/// let text = render(&p, Format::AzCli, &Target::default());
/// assert!(text.contains("az network route-table route create -g 'my-resource-group'"));
/// assert!(text.contains("changeNumber 375"));
/// ```
pub fn render(plan: &RoutePlan<'_>, format: Format, target: &Target) -> String {
    match format {
        Format::Table => table(plan),
        Format::AzCli => az_cli(plan, target),
        Format::PowerShell => powershell(plan, target),
        Format::Arm => arm(plan, target),
        Format::Bicep => bicep(plan, target),
        Format::Terraform => terraform(plan, target),
        Format::Json => json(plan),
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
///
/// ```
/// assert_eq!(azure_service_tags::render::shell_quote("it's"), r"'it'\''s'");
/// ```
pub fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Quotes for PowerShell: `'...'`, with `'` doubled.
///
/// ```
/// assert_eq!(azure_service_tags::render::powershell_quote("it's"), "'it''s'");
/// ```
pub fn powershell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

/// A JSON (and Terraform/HCL) string literal.
///
/// ```
/// assert_eq!(azure_service_tags::render::json_string("a\"b"), r#""a\"b""#);
/// ```
pub fn json_string(s: &str) -> String {
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
    o
}

/// An HCL (Terraform) string literal: JSON escapes, plus `${` and `%{` doubled so
/// Terraform does not interpolate them.
fn hcl_string(s: &str) -> String {
    json_string(s).replace("${", "$${").replace("%{", "%%{")
}

/// A Bicep string literal: `'...'` with `\`, `'` and `${` escaped.
fn bicep_string(s: &str) -> String {
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

fn powershell(plan: &RoutePlan<'_>, t: &Target) -> String {
    let mut o = header(plan, "#");
    let _ = writeln!(
        o,
        "$routeTable = Get-AzRouteTable -ResourceGroupName {} -Name {}",
        powershell_quote(&t.resource_group),
        powershell_quote(&t.route_table)
    );
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

/// The `routes` array of a route table, as JSON, indented by `pad`.
fn arm_routes(plan: &RoutePlan<'_>, pad: &str) -> String {
    let items: Vec<String> = plan
        .routes
        .iter()
        .map(|r| {
            let mut props = format!(
                "\"addressPrefix\": {}, \"nextHopType\": {}",
                json_string(&r.address_prefix),
                json_string(r.next_hop.kind())
            );
            if let Some(ip) = r.next_hop.ip() {
                let _ = write!(
                    props,
                    ", \"nextHopIpAddress\": {}",
                    json_string(&ip.to_string())
                );
            }
            format!(
                "{pad}  {{ \"name\": {}, \"properties\": {{ {props} }} }}",
                json_string(&r.name)
            )
        })
        .collect();
    if items.is_empty() {
        "[]".to_string()
    } else {
        format!("[\n{}\n{pad}]", items.join(",\n"))
    }
}

fn arm(plan: &RoutePlan<'_>, t: &Target) -> String {
    let notes: Vec<String> = plan.notes.iter().map(|n| json_string(n)).collect();
    format!(
        r#"{{
  "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
  "contentVersion": "1.0.0.0",
  "metadata": {{
    "description": {title},
    "snapshot": {snapshot},
    "generator": "azure-service-tags",
    "notes": [{notes}]
  }},
  "parameters": {{
    "routeTableName": {{ "type": "string", "defaultValue": {table} }},
    "location": {{ "type": "string", "defaultValue": "[resourceGroup().location]" }}
  }},
  "resources": [
    {{
      "type": "Microsoft.Network/routeTables",
      "apiVersion": "2023-09-01",
      "name": "[parameters('routeTableName')]",
      "location": "[parameters('location')]",
      "properties": {{
        "routes": {routes}
      }}
    }}
  ]
}}
"#,
        title = json_string(&title(plan)),
        snapshot = json_string(&plan.provenance()),
        notes = notes.join(", "),
        table = json_string(&t.route_table),
        routes = arm_routes(plan, "        "),
    )
}

fn bicep(plan: &RoutePlan<'_>, t: &Target) -> String {
    let mut o = header(plan, "//");
    let _ = writeln!(
        o,
        "param routeTableName string = {}\nparam location string = resourceGroup().location\n\n\
         resource routeTable 'Microsoft.Network/routeTables@2023-09-01' = {{\n  name: routeTableName\n  location: location\n  properties: {{\n    routes: [",
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

fn json(plan: &RoutePlan<'_>) -> String {
    let s = plan.snapshot;
    let opt = |v: Option<&str>| v.map_or("null".to_string(), json_string);
    let list = |v: Vec<String>| format!("[{}]", v.join(", "));
    let routes: Vec<String> = plan
        .routes
        .iter()
        .map(|r| {
            format!(
                "    {{\"name\": {}, \"addressPrefix\": {}, \"nextHopType\": {}, \"nextHopIpAddress\": {}, \"tag\": {}, \"region\": {}}}",
                json_string(&r.name),
                json_string(&r.address_prefix),
                json_string(r.next_hop.kind()),
                opt(r.next_hop.ip().map(|ip| ip.to_string()).as_deref()),
                json_string(r.tag.name()),
                opt(r.tag.region().map(|r| r.name())),
            )
        })
        .collect();
    format!(
        "{{\n  \"snapshot\": {{\"cloud\": {}, \"changeNumber\": {}, \"source\": {}, \"published\": {}}},\n  \
         \"service\": {},\n  \"primary\": {},\n  \"secondary\": {},\n  \"mode\": {},\n  \"notes\": {},\n  \
         \"extraCoverage\": {},\n  \"routes\": [{}{}{}]\n}}\n",
        json_string(s.cloud().as_str()),
        s.change_number(),
        json_string(s.source().file_name()),
        opt(s.published().map(|d| d.to_string()).as_deref()),
        json_string(&plan.service),
        json_string(plan.primary.name()),
        opt(plan.secondary.map(|r| r.name())),
        json_string(match plan.mode {
            Mode::Prefixes => "prefixes",
            Mode::ServiceTag => "service-tag",
        }),
        list(plan.notes.iter().map(|n| json_string(n)).collect()),
        list(plan.extra_coverage.iter().map(|n| json_string(&n.to_string())).collect()),
        if routes.is_empty() { "" } else { "\n" },
        routes.join(",\n"),
        if routes.is_empty() { "" } else { "\n  " },
    )
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
/// Formats: Azure CLI, PowerShell and JSON.
///
/// ```
/// use azure_service_tags::render::{render_changes, Format, Target};
/// use azure_service_tags::route::{plan, RouteRequest};
/// let p = plan(azure_service_tags::public(), &RouteRequest::new("eastus2")).unwrap();
/// let text = render_changes(&p, &p, Format::AzCli, &Target::default()).unwrap();
/// assert!(!text.contains("route create") && !text.contains("route delete"));
/// ```
pub fn render_changes(
    old: &RoutePlan<'_>,
    new: &RoutePlan<'_>,
    format: Format,
    target: &Target,
) -> Result<String, RouteError> {
    let changes = crate::route::RouteChanges::between(old, new);
    let summary = format!(
        "Route changes since {}: {} to delete, {} to create, {} unchanged",
        old.provenance(),
        changes.delete.len(),
        changes.create.len(),
        changes.unchanged
    );
    let subset = RoutePlan {
        routes: changes.create.clone(),
        ..new.clone()
    };
    match format {
        Format::AzCli => {
            let mut o = format!("# {summary}\n");
            for r in &changes.delete {
                let _ = writeln!(
                    o,
                    "az network route-table route delete -g {} --route-table-name {} -n {}",
                    shell_quote(&target.resource_group),
                    shell_quote(&target.route_table),
                    shell_quote(&r.name)
                );
            }
            o.push_str(&az_cli(&subset, target));
            Ok(o)
        }
        Format::PowerShell => {
            let mut o = format!("# {summary}\n");
            let mut creates = powershell(&subset, target);
            // Deletes go after the route table is fetched, before it is saved.
            let deletes: String = changes
                .delete
                .iter()
                .map(|r| {
                    format!(
                        "Remove-AzRouteConfig -RouteTable $routeTable -Name {} | Out-Null\n",
                        powershell_quote(&r.name)
                    )
                })
                .collect();
            if let Some(i) = creates.find("$routeTable = Get-AzRouteTable") {
                let line_end = creates[i..].find('\n').map_or(creates.len(), |j| i + j + 1);
                creates.insert_str(line_end, &deletes);
            }
            o.push_str(&creates);
            Ok(o)
        }
        Format::Json => {
            let names: Vec<String> = changes
                .delete
                .iter()
                .map(|r| json_string(&r.name))
                .collect();
            let plan_json = json(&subset);
            Ok(format!(
                "{{\n  \"since\": {},\n  \"delete\": [{}],\n  \"unchanged\": {},\n  \"create\": {}}}\n",
                json_string(&old.provenance()),
                names.join(", "),
                changes.unchanged,
                plan_json.trim_end()
            ))
        }
        other => Err(RouteError::BadValue(format!(
            "--since renders as az-cli, powershell or json, not {}",
            other.name()
        ))),
    }
}
