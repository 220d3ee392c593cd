//! What it takes to bring a route table from one plan to another.

use super::{Route, RoutePlan};

/// What it takes to bring a route table from an old plan to a new one: routes to
/// delete (their names are gone), routes to create (new names, or an existing name with
/// another prefix or next hop), and how many stay as they are.
///
/// ```
/// use azure_service_tags::route::{plan, RouteChanges, RouteRequest};
/// let snap = azure_service_tags::public();
/// let p = plan(snap, &RouteRequest::new("AzureMachineLearning", "eastus2")).unwrap();
/// let c = RouteChanges::between(&p, &p);
/// assert!(c.delete.is_empty() && c.create.is_empty());
/// assert_eq!(c.unchanged, p.routes.len());
/// ```
#[derive(Debug, Clone)]
pub struct RouteChanges<'o, 'n> {
    /// Routes of the old plan whose names the new plan does not have.
    pub delete: Vec<Route<'o>>,
    /// Routes of the new plan that the old plan lacks or had otherwise.
    pub create: Vec<Route<'n>>,
    /// Routes the same in both.
    pub unchanged: usize,
}

impl<'o, 'n> RouteChanges<'o, 'n> {
    /// Compares two plans route by route name.
    ///
    /// ```
    /// use azure_service_tags::route::{plan, RouteChanges, RouteRequest};
    /// let snap = azure_service_tags::public();
    /// let all = plan(snap, &RouteRequest::new("AzureMachineLearning", "eastus2")).unwrap();
    /// let mut fewer = all.clone();
    /// fewer.routes.pop();
    /// let c = RouteChanges::between(&fewer, &all);
    /// assert_eq!((c.delete.len(), c.create.len()), (0, 1));
    /// ```
    pub fn between(old: &RoutePlan<'o>, new: &RoutePlan<'n>) -> Self {
        let same = |a: &Route<'o>, b: &Route<'n>| {
            a.address_prefix == b.address_prefix && a.next_hop == b.next_hop
        };
        let delete = old
            .routes
            .iter()
            .filter(|r| !new.routes.iter().any(|n| n.name == r.name))
            .cloned()
            .collect();
        let create: Vec<Route<'n>> = new
            .routes
            .iter()
            .filter(|n| !old.routes.iter().any(|r| r.name == n.name && same(r, n)))
            .cloned()
            .collect();
        let unchanged = new.routes.len() - create.len();
        RouteChanges {
            delete,
            create,
            unchanged,
        }
    }
}
