//! Command scripts: the Azure CLI (POSIX shell) and Azure PowerShell. Both add routes to
//! an existing route table and leave its other routes alone; both can be run again.

use std::fmt::Write as _;

use super::quote;
use super::{Target, header};
use crate::route::{Route, RoutePlan};

/// The shell function that deletes a route unless it is already gone; `{table}` is
/// replaced by the table's options.
const DELETE_ROUTE_SH: &str = include_str!("templates/delete-route.sh");
/// The PowerShell function that removes a route unless it is already gone.
const REMOVE_ROUTE_PS1: &str = include_str!("templates/remove-route.ps1");
/// The PowerShell function that adds a route or updates the one with its name.
const SET_ROUTE_PS1: &str = include_str!("templates/set-route.ps1");

/// `--resource-group=... --route-table-name=...`, the table every command addresses.
fn az_table(t: &Target) -> String {
    format!(
        "{} {}",
        quote::az_option("--resource-group", &t.resource_group),
        quote::az_option("--route-table-name", &t.route_table)
    )
}

/// One `az network route-table route create` a route: a create is a PUT, so it adds the
/// route or updates the one with that name, and a re-run does the same again.
fn az_creates(o: &mut String, routes: &[Route<'_>], t: &Target) {
    let table = az_table(t);
    for r in routes {
        let _ = write!(
            o,
            "az network route-table route create {table} {} {} --next-hop-type={}",
            quote::az_option("--name", &r.name),
            quote::az_option("--address-prefix", &r.address_prefix),
            r.next_hop.kind()
        );
        if let Some(ip) = r.next_hop.ip() {
            let _ = write!(
                o,
                " {}",
                quote::az_option("--next-hop-ip-address", &ip.to_string())
            );
        }
        o.push('\n');
    }
}

/// The Azure CLI commands that add the plan's routes.
pub(super) fn az_cli(plan: &RoutePlan<'_>, t: &Target) -> String {
    let mut o = header(plan, "#");
    az_creates(&mut o, &plan.routes, t);
    o
}

/// A POSIX shell script that deletes `deletes` and adds `creates`. It stops at the first
/// error (`set -eu`); a route that is already gone is skipped with a message (the CLI's
/// exit code 3 means "not found"), so a half-applied script can be run again.
pub(super) fn az_cli_changes(
    summary: &str,
    creates: &RoutePlan<'_>,
    deletes: &[Route<'_>],
    t: &Target,
) -> String {
    let mut o = format!("#!/bin/sh\n# {summary}\n");
    o.push_str(&header(creates, "#"));
    o.push_str("set -eu\n");
    if !deletes.is_empty() {
        let table = az_table(t);
        o.push_str(&DELETE_ROUTE_SH.replace("{table}", &table));
        for r in deletes {
            let _ = writeln!(o, "delete_route {}", quote::shell(&r.name));
        }
    }
    az_creates(&mut o, &creates.routes, t);
    o
}

/// An Azure PowerShell script: it fetches the route table, removes `deletes` (skipping
/// those already gone), adds or updates the plan's routes, and saves the table once.
/// `$ErrorActionPreference = 'Stop'` ends it at the first real error. A change script
/// starts with its `summary`.
pub(super) fn powershell(
    plan: &RoutePlan<'_>,
    t: &Target,
    deletes: &[Route<'_>],
    summary: Option<&str>,
) -> String {
    let mut o = summary.map_or_else(String::new, |s| format!("# {s}\n"));
    o.push_str(&header(plan, "#"));
    let _ = writeln!(
        o,
        "$ErrorActionPreference = 'Stop'\n\
         $routeTable = Get-AzRouteTable -ResourceGroupName {} -Name {}",
        quote::powershell(&t.resource_group),
        quote::powershell(&t.route_table)
    );
    if !deletes.is_empty() {
        o.push_str(REMOVE_ROUTE_PS1);
        for r in deletes {
            let _ = writeln!(o, "Remove-Route {}", quote::powershell(&r.name));
        }
    }
    if !plan.routes.is_empty() {
        o.push_str(SET_ROUTE_PS1);
    }
    for r in &plan.routes {
        let _ = write!(
            o,
            "Set-Route {} @{{ AddressPrefix = {}; NextHopType = {}",
            quote::powershell(&r.name),
            quote::powershell(&r.address_prefix),
            quote::powershell(r.next_hop.kind())
        );
        if let Some(ip) = r.next_hop.ip() {
            let _ = write!(
                o,
                "; NextHopIpAddress = {}",
                quote::powershell(&ip.to_string())
            );
        }
        o.push_str(" }\n");
    }
    o.push_str("$routeTable | Set-AzRouteTable | Out-Null\n");
    o
}
