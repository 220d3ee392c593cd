//! The JSON renderings (feature `json`): `Serialize` views of a plan, written by
//! `serde_json`, and the ARM template built with `json!`.

use serde::Serialize;
use serde_json::{json, Value};

use super::{title, Target, NETWORK_API_VERSION};
use crate::route::{Route, RouteChanges, RoutePlan};

/// Where a plan came from.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SnapshotView<'a> {
    cloud: &'static str,
    change_number: u32,
    source: &'a str,
    published: Option<String>,
}

/// One route, with the tag and region it came from.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RouteView<'a> {
    name: &'a str,
    address_prefix: &'a str,
    next_hop_type: &'static str,
    next_hop_ip_address: Option<String>,
    tag: &'a str,
    region: Option<&'a str>,
}

/// A whole plan: stable field names, documented in the README.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PlanView<'a> {
    snapshot: SnapshotView<'a>,
    service: &'a str,
    primary: &'a str,
    secondary: Option<&'a str>,
    mode: &'static str,
    notes: &'a [String],
    extra_coverage: Vec<String>,
    routes: Vec<RouteView<'a>>,
}

impl<'a> PlanView<'a> {
    fn of(plan: &'a RoutePlan<'a>) -> Self {
        let s = plan.snapshot;
        PlanView {
            snapshot: SnapshotView {
                cloud: s.cloud().as_str(),
                change_number: s.change_number(),
                source: s.source().file_name(),
                published: s.published().map(|d| d.to_string()),
            },
            service: &plan.service,
            primary: plan.primary.name(),
            secondary: plan.secondary.map(|r| r.name()),
            mode: plan.mode.name(),
            notes: &plan.notes,
            extra_coverage: plan.extra_coverage.iter().map(|n| n.to_string()).collect(),
            routes: plan.routes.iter().map(RouteView::of).collect(),
        }
    }
}

impl<'a> RouteView<'a> {
    fn of(r: &'a Route<'a>) -> Self {
        RouteView {
            name: &r.name,
            address_prefix: &r.address_prefix,
            next_hop_type: r.next_hop.kind(),
            next_hop_ip_address: r.next_hop.ip().map(|ip| ip.to_string()),
            tag: r.tag.name(),
            region: r.tag.region().map(|r| r.name()),
        }
    }
}

/// What brings a route table from an old plan to a new one.
#[derive(Serialize)]
struct ChangesView<'a> {
    since: String,
    delete: Vec<&'a str>,
    unchanged: usize,
    create: PlanView<'a>,
}

/// Pretty JSON and a final newline. Serializing these views (strings, integers and
/// string-keyed maps) cannot fail.
fn pretty(value: &impl Serialize) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}

pub(super) fn plan(plan: &RoutePlan<'_>) -> String {
    pretty(&PlanView::of(plan))
}

pub(super) fn changes(
    old: &RoutePlan<'_>,
    creates: &RoutePlan<'_>,
    changes: &RouteChanges<'_, '_>,
) -> String {
    pretty(&ChangesView {
        since: old.provenance(),
        delete: changes.delete.iter().map(|r| r.name.as_str()).collect(),
        unchanged: changes.unchanged,
        create: PlanView::of(creates),
    })
}

pub(super) fn arm(plan: &RoutePlan<'_>, t: &Target) -> String {
    let routes: Vec<Value> = plan
        .routes
        .iter()
        .map(|r| {
            let mut properties = json!({
                "addressPrefix": r.address_prefix,
                "nextHopType": r.next_hop.kind(),
            });
            if let Some(ip) = r.next_hop.ip() {
                properties["nextHopIpAddress"] = json!(ip.to_string());
            }
            json!({ "name": r.name, "properties": properties })
        })
        .collect();
    pretty(&json!({
        "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#",
        "contentVersion": "1.0.0.0",
        "metadata": {
            "description": title(plan),
            "snapshot": plan.provenance(),
            "generator": "azure-service-tags",
            "notes": plan.notes,
        },
        "parameters": {
            "routeTableName": { "type": "string", "defaultValue": t.route_table },
            "location": { "type": "string", "defaultValue": "[resourceGroup().location]" },
        },
        "resources": [{
            "type": "Microsoft.Network/routeTables",
            "apiVersion": NETWORK_API_VERSION,
            "name": "[parameters('routeTableName')]",
            "location": "[parameters('location')]",
            "properties": { "routes": routes },
        }],
    }))
}
