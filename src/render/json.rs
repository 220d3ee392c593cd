//! The JSON renderings (feature `json`): `Serialize` views of a plan, written by
//! `serde_json`, and the ARM template built with `json!`.

use serde::Serialize;
use serde_json::{Value, json};

use super::{
    DEPLOYMENTS_API_VERSION, NETWORK_API_VERSION, Target, copy_batches, needs_nested_deployments,
    nested_deployments_note, quote, title,
};
use crate::route::{Route, RouteChanges, RoutePlan};
use crate::snapshot::Provenance;

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
    snapshot: Provenance<'a>,
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
        PlanView {
            snapshot: plan.snapshot.provenance(),
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
    crate::serialize::json_line(value, true)
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
        since: old.snapshot.provenance().to_string(),
        delete: changes.delete.iter().map(|r| r.name.as_str()).collect(),
        unchanged: changes.unchanged,
        create: PlanView::of(creates),
    })
}

/// One route as ARM writes it, every string a literal.
fn arm_route(r: &Route<'_>) -> Value {
    let mut properties = json!({
        "addressPrefix": quote::arm(&r.address_prefix),
        "nextHopType": r.next_hop.kind(),
    });
    if let Some(ip) = r.next_hop.ip() {
        properties["nextHopIpAddress"] = json!(ip.to_string());
    }
    json!({ "name": quote::arm(&r.name), "properties": properties })
}

/// The `$schema` of a deployment template.
const TEMPLATE_SCHEMA: &str =
    "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#";

/// An ARM template. By default: the routes as `Microsoft.Network/routeTables/routes`
/// children of the existing table `routeTableName`, deployed one at a time (a serial
/// copy loop per batch of at most 800, ARM's copy limit); a plan of more routes than one
/// template may hold goes into chained nested deployments, one per batch. With
/// `whole_table`, the table itself with exactly these routes.
pub(super) fn arm(plan: &RoutePlan<'_>, t: &Target) -> String {
    let nested = !t.whole_table && needs_nested_deployments(plan.routes.len());
    let batches = copy_batches(&plan.routes);
    let mut deployment = if t.whole_table {
        "Declares route table routeTableName with exactly these routes: deploying it \
         replaces the table's routes and settings, and deletes every other route it has."
            .to_string()
    } else {
        "Adds these routes to the existing route table routeTableName, or updates the \
         routes of the same names; the table's other routes stay as they are."
            .to_string()
    };
    if nested {
        deployment = format!(
            "{deployment} {}",
            nested_deployments_note(plan.routes.len(), batches.len())
        );
    }
    let mut template = json!({
        "$schema": TEMPLATE_SCHEMA,
        "contentVersion": "1.0.0.0",
        "metadata": {
            "description": quote::arm(&title(plan)),
            "snapshot": quote::arm(&plan.snapshot.provenance().to_string()),
            "generator": "azure-service-tags",
            "deployment": quote::arm(&deployment),
            "notes": plan.notes.iter().map(|n| quote::arm(n)).collect::<Vec<_>>(),
        },
        "parameters": {
            "routeTableName": { "type": "string", "defaultValue": quote::arm(&t.route_table) },
        },
    });
    if t.whole_table {
        let routes: Vec<Value> = plan.routes.iter().map(arm_route).collect();
        template["parameters"]["location"] =
            json!({ "type": "string", "defaultValue": "[resourceGroup().location]" });
        template["resources"] = json!([{
            "type": "Microsoft.Network/routeTables",
            "apiVersion": NETWORK_API_VERSION,
            "name": "[parameters('routeTableName')]",
            "location": "[parameters('location')]",
            "properties": { "routes": routes },
        }]);
    } else if nested {
        let names: Vec<String> = batches.iter().map(|(s, _)| deployment_name(s)).collect();
        let resources: Vec<Value> = batches
            .iter()
            .enumerate()
            .map(|(i, (suffix, batch))| {
                let after = i.checked_sub(1).map(|p| names[p].as_str());
                nested_deployment(&names[i], after, suffix, batch)
            })
            .collect();
        template["resources"] = Value::Array(resources);
    } else {
        let (variables, resources) = route_loops(&batches);
        template["variables"] = Value::Object(variables);
        template["resources"] = Value::Array(resources);
    }
    pretty(&template)
}

/// The variables and serial copy loops that create `batches` as children of the table
/// `routeTableName`, each loop after the one before.
fn route_loops(batches: &[(String, &[Route<'_>])]) -> (serde_json::Map<String, Value>, Vec<Value>) {
    let mut variables = serde_json::Map::new();
    let mut resources = Vec::new();
    for (i, (suffix, batch)) in batches.iter().enumerate() {
        let v = format!("routes{suffix}");
        variables.insert(v.clone(), batch.iter().map(arm_route).collect());
        let mut resource = json!({
            "type": "Microsoft.Network/routeTables/routes",
            "apiVersion": NETWORK_API_VERSION,
            "name": format!("[format('{{0}}/{{1}}', parameters('routeTableName'), variables('{v}')[copyIndex()].name)]"),
            "properties": format!("[variables('{v}')[copyIndex()].properties]"),
            "copy": {
                "name": v,
                "count": format!("[length(variables('{v}'))]"),
                "mode": "serial",
                "batchSize": 1,
            },
        });
        if i > 0 {
            resource["dependsOn"] = json!([format!("routes{}", batches[i - 1].0)]);
        }
        resources.push(resource);
    }
    (variables, resources)
}

/// The name of the nested deployment of batch `suffix`, as an ARM expression without
/// its brackets: unique per parent deployment, within the 64 characters a deployment
/// name may have.
fn deployment_name(suffix: &str) -> String {
    format!("format('{{0}}-routes{suffix}', take(deployment().name, 50))")
}

/// A nested deployment (its own template, so its own resource limit) that creates one
/// batch of routes, after the deployment named `after`.
fn nested_deployment(name: &str, after: Option<&str>, suffix: &str, batch: &[Route<'_>]) -> Value {
    let (variables, resources) = route_loops(&[(suffix.to_string(), batch)]);
    let mut deployment = json!({
        "type": "Microsoft.Resources/deployments",
        "apiVersion": DEPLOYMENTS_API_VERSION,
        "name": format!("[{name}]"),
        "properties": {
            "mode": "Incremental",
            "expressionEvaluationOptions": { "scope": "inner" },
            "parameters": { "routeTableName": { "value": "[parameters('routeTableName')]" } },
            "template": {
                "$schema": TEMPLATE_SCHEMA,
                "contentVersion": "1.0.0.0",
                "parameters": { "routeTableName": { "type": "string" } },
                "variables": variables,
                "resources": resources,
            },
        },
    });
    if let Some(previous) = after {
        deployment["dependsOn"] = json!([format!(
            "[resourceId('Microsoft.Resources/deployments', {previous})]"
        )]);
    }
    deployment
}
