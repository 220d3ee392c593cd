//! Infrastructure as code: Bicep and Terraform. By default both declare only routes, as
//! children of an existing route table, so a deployment leaves the table's other routes
//! alone; Bicep can instead declare the whole table when asked.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use super::{
    DEPLOYMENTS_API_VERSION, NETWORK_API_VERSION, Target, copy_batches, header,
    needs_nested_deployments, nested_deployments_note, quote,
};
use crate::route::{Route, RoutePlan};

/// One route as a Bicep object, indented by `pad`.
fn bicep_route(o: &mut String, r: &Route<'_>, pad: &str) {
    let _ = writeln!(o, "{pad}{{\n{pad}  name: {}", quote::bicep(&r.name));
    bicep_properties(o, r, pad);
}

/// A route's `properties` object and the brace that closes the route, indented by `pad`.
fn bicep_properties(o: &mut String, r: &Route<'_>, pad: &str) {
    let _ = writeln!(
        o,
        "{pad}  properties: {{\n{pad}    addressPrefix: {}\n{pad}    nextHopType: {}",
        quote::bicep(&r.address_prefix),
        quote::bicep(r.next_hop.kind())
    );
    if let Some(ip) = r.next_hop.ip() {
        let _ = writeln!(
            o,
            "{pad}    nextHopIpAddress: {}",
            quote::bicep(&ip.to_string())
        );
    }
    let _ = writeln!(o, "{pad}  }}\n{pad}}}");
}

/// The batches of a plan too large for one deployment, each in a nested deployment of
/// its own (a template of its own, so within its own resource limit) that creates its
/// routes one at a time, each deployment after the one before. The nested templates are
/// evaluated in this file's scope, so they hold values only: each route's name and the
/// route it waits for are computed here.
fn bicep_nested(o: &mut String, plan: &RoutePlan<'_>, batches: &[(String, &[Route<'_>])]) {
    let note = nested_deployments_note(plan.routes.len(), batches.len());
    let _ = writeln!(o, "\n// {note}");
    for (i, (s, batch)) in batches.iter().enumerate() {
        let _ = writeln!(
            o,
            "\nresource routes{s} 'Microsoft.Resources/deployments@{DEPLOYMENTS_API_VERSION}' = {{"
        );
        let _ = writeln!(o, "  name: '${{take(deployment().name, 50)}}-routes{s}'");
        if i > 0 {
            let _ = writeln!(o, "  dependsOn: [\n    routes{}\n  ]", batches[i - 1].0);
        }
        o.push_str(
            "  properties: {\n    mode: 'Incremental'\n    template: {\n      \
             '$schema': 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#'\n      \
             contentVersion: '1.0.0.0'\n      resources: [\n",
        );
        let mut after = None;
        for r in *batch {
            bicep_nested_route(o, r, after);
            after = Some(r);
        }
        o.push_str("      ]\n    }\n  }\n}\n");
    }
}

/// One route of a nested template: a child of the existing table, after `after` (the
/// route before it in the same template).
fn bicep_nested_route(o: &mut String, r: &Route<'_>, after: Option<&Route<'_>>) {
    let pad = "        ";
    let _ = writeln!(
        o,
        "{pad}{{\n{pad}  type: 'Microsoft.Network/routeTables/routes'\n{pad}  apiVersion: '{NETWORK_API_VERSION}'\n\
         {pad}  name: format('{{0}}/{{1}}', routeTable.name, {})",
        quote::bicep(&r.name)
    );
    if let Some(a) = after {
        let _ = writeln!(
            o,
            "{pad}  dependsOn: [\n{pad}    resourceId('Microsoft.Network/routeTables/routes', routeTable.name, {})\n{pad}  ]",
            quote::bicep(&a.name)
        );
    }
    bicep_properties(o, r, pad);
}

/// A Bicep file. By default: the routes as `Microsoft.Network/routeTables/routes`
/// children of the existing table `routeTableName`, deployed one at a time; with
/// `whole_table`, the table itself with exactly these routes.
pub(super) fn bicep(plan: &RoutePlan<'_>, t: &Target) -> String {
    let mut o = header(plan, "//");
    if t.whole_table {
        let _ = writeln!(
            o,
            "// Declares route table routeTableName with exactly these routes: deploying it\n\
             // replaces the table's routes and settings, and deletes every other route it has.\n\
             param routeTableName string = {}\n\
             param location string = resourceGroup().location\n\n\
             resource routeTable 'Microsoft.Network/routeTables@{NETWORK_API_VERSION}' = {{",
            quote::bicep(&t.route_table)
        );
        o.push_str(
            "  name: routeTableName\n  location: location\n  properties: {\n    routes: [\n",
        );
        for r in &plan.routes {
            bicep_route(&mut o, r, "      ");
        }
        o.push_str("    ]\n  }\n}\n");
        return o;
    }
    let _ = writeln!(
        o,
        "// Adds these routes to the existing route table routeTableName, or updates the routes\n\
         // of the same names; the table's other routes stay as they are.\n\
         param routeTableName string = {}\n\n\
         resource routeTable 'Microsoft.Network/routeTables@{NETWORK_API_VERSION}' existing = {{",
        quote::bicep(&t.route_table)
    );
    o.push_str("  name: routeTableName\n}\n");
    let batches = copy_batches(&plan.routes);
    if needs_nested_deployments(plan.routes.len()) {
        bicep_nested(&mut o, plan, &batches);
        return o;
    }
    for (i, (s, batch)) in batches.iter().enumerate() {
        let _ = writeln!(o, "\nvar routes{s} = [");
        for r in *batch {
            bicep_route(&mut o, r, "  ");
        }
        o.push_str("]\n\n// One route at a time: a route table takes one change at a time.\n@batchSize(1)\n");
        let _ = writeln!(
            o,
            "resource route{s} 'Microsoft.Network/routeTables/routes@{NETWORK_API_VERSION}' = [for r in routes{s}: {{"
        );
        o.push_str("  parent: routeTable\n  name: r.name\n  properties: r.properties\n");
        if i > 0 {
            let _ = writeln!(o, "  dependsOn: [\n    route{}\n  ]", batches[i - 1].0);
        }
        o.push_str("}]\n");
    }
    o
}

/// A Terraform resource label for a route name: letters, digits, `_` and `-`, starting
/// with a letter or `_`, and not used before.
fn terraform_label(name: &str, used: &mut BTreeSet<String>) -> String {
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
    let label = if label.starts_with(|c: char| c.is_ascii_alphabetic()) {
        label
    } else {
        format!("r_{label}")
    };
    let mut candidate = label.clone();
    let mut n = 2;
    while !used.insert(candidate.clone()) {
        candidate = format!("{label}-{n}");
        n += 1;
    }
    candidate
}

/// Terraform `azurerm_route` resources in the existing route table.
pub(super) fn terraform(plan: &RoutePlan<'_>, t: &Target) -> String {
    let mut o = header(plan, "#");
    let _ = writeln!(
        o,
        "# Adds these routes to the existing route table var.route_table_name; its other routes\n\
         # stay as they are.\n\
         variable \"resource_group_name\" {{\n  type    = string\n  default = {}\n}}\n\n\
         variable \"route_table_name\" {{\n  type    = string\n  default = {}\n}}",
        quote::hcl(&t.resource_group),
        quote::hcl(&t.route_table)
    );
    let mut labels = BTreeSet::new();
    for r in &plan.routes {
        let _ = write!(
            o,
            "\nresource \"azurerm_route\" {} {{\n  name                = {}\n  resource_group_name = var.resource_group_name\n  route_table_name    = var.route_table_name\n  address_prefix      = {}\n  next_hop_type       = {}\n",
            quote::hcl(&terraform_label(&r.name, &mut labels)),
            quote::hcl(&r.name),
            quote::hcl(&r.address_prefix),
            quote::hcl(r.next_hop.kind())
        );
        if let Some(ip) = r.next_hop.ip() {
            let _ = writeln!(
                o,
                "  next_hop_in_ip_address = {}",
                quote::hcl(&ip.to_string())
            );
        }
        o.push_str("}\n");
    }
    o
}
