//! Who may call which route: one table from (method, route pattern) to the roles allowed. A
//! route missing from the table is refused to everyone (fail closed); a test checks that every
//! route of the router has an entry.

use kontera_store::Role;

use Role::{Admin, Analyst, Controller, Integration};

/// Who may use a route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not (health, readiness, the sign-in page, style sheets).
    Public,
    /// Any signed-in user.
    Signed,
    /// Users with one of these roles.
    Roles(&'static [Role]),
}

/// (method, route pattern, access). Objects inside a route (an invoice, an area) are checked
/// again by the handler: a controller only reaches their own areas' invoices.
pub const POLICY: &[(&str, &str, Access)] = &[
    ("post", "/v1/invoices", Access::Roles(&[Integration])),
    ("post", "/v1/invoices/batch", Access::Roles(&[Integration])),
    ("get", "/v1/areas", Access::Roles(&[Analyst, Admin])),
    (
        "put",
        "/v1/areas/{area}/automation",
        Access::Roles(&[Admin]),
    ),
    ("put", "/v1/areas/{area}/threshold", Access::Roles(&[Admin])),
    ("get", "/v1/models", Access::Roles(&[Analyst, Admin])),
    ("put", "/v1/models/active", Access::Roles(&[Analyst])),
    ("post", "/v1/models/rollback", Access::Roles(&[Analyst])),
    ("get", "/v1/chart", Access::Roles(&[Analyst, Admin])),
    ("put", "/v1/chart", Access::Roles(&[Analyst])),
    ("get", "/v1/reviews", Access::Roles(&[Controller])),
    (
        "get",
        "/v1/reviews/export",
        Access::Roles(&[Analyst, Admin]),
    ),
    (
        "get",
        "/v1/reviews/{decision_id}",
        Access::Roles(&[Controller]),
    ),
    (
        "post",
        "/v1/reviews/{decision_id}",
        Access::Roles(&[Controller]),
    ),
    (
        "get",
        "/v1/dashboard",
        Access::Roles(&[Controller, Analyst, Admin]),
    ),
    ("get", "/v1/users", Access::Roles(&[Admin])),
    ("post", "/v1/users", Access::Roles(&[Admin])),
    ("put", "/v1/users/{name}", Access::Roles(&[Admin])),
    ("post", "/v1/users/{name}/tokens", Access::Roles(&[Admin])),
    ("get", "/healthz", Access::Public),
    ("get", "/readyz", Access::Public),
    ("get", "/metrics", Access::Roles(&[Analyst, Admin])),
    ("get", "/openapi.json", Access::Signed),
    // Pages.
    ("get", "/", Access::Signed),
    ("get", "/login", Access::Public),
    ("post", "/login", Access::Public),
    ("post", "/logout", Access::Signed),
    ("get", "/assets/kontera.css", Access::Public),
    ("get", "/review", Access::Roles(&[Controller])),
    ("get", "/review/{decision_id}", Access::Roles(&[Controller])),
    (
        "post",
        "/review/{decision_id}",
        Access::Roles(&[Controller]),
    ),
    (
        "get",
        "/dashboard",
        Access::Roles(&[Controller, Analyst, Admin]),
    ),
    ("get", "/admin", Access::Roles(&[Admin])),
    ("post", "/admin/users", Access::Roles(&[Admin])),
    ("post", "/admin/users/{name}", Access::Roles(&[Admin])),
    ("post", "/admin/areas/{area}", Access::Roles(&[Admin])),
];

/// The access rule of a route, if it has one.
pub fn access(method: &str, pattern: &str) -> Option<Access> {
    POLICY
        .iter()
        .find(|(m, p, _)| m.eq_ignore_ascii_case(method) && *p == pattern)
        .map(|(_, _, a)| *a)
}

impl Access {
    /// Whether a signed-in user with `role` may use the route.
    pub fn allows(self, role: Role) -> bool {
        match self {
            Access::Public | Access::Signed => true,
            Access::Roles(roles) => roles.contains(&role),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_has_one_entry_per_route_and_unknown_routes_have_none() {
        for (i, (m, p, _)) in POLICY.iter().enumerate() {
            assert!(
                POLICY[..i].iter().all(|(m2, p2, _)| (m2, p2) != (m, p)),
                "{m} {p} listed twice"
            );
        }
        assert_eq!(access("GET", "/healthz"), Some(Access::Public));
        assert_eq!(access("delete", "/v1/invoices"), None);
        assert!(!access("post", "/v1/invoices").unwrap().allows(Admin));
        assert!(access("post", "/v1/invoices").unwrap().allows(Integration));
        assert!(!access("get", "/review").unwrap().allows(Analyst));
    }

    #[test]
    fn every_route_of_the_router_has_a_rule_and_every_rule_a_route() {
        let routed: Vec<(&str, &str)> = crate::api::ROUTES
            .iter()
            .chain(crate::web::PAGES.iter())
            .copied()
            .collect();
        for (m, p) in &routed {
            assert!(access(m, p).is_some(), "{m} {p} has no access rule");
        }
        for (m, p, _) in POLICY {
            assert!(
                routed.contains(&(*m, *p)),
                "the rule for {m} {p} names no route"
            );
        }
        let public: Vec<_> = POLICY
            .iter()
            .filter(|(_, _, a)| *a == Access::Public)
            .map(|(m, p, _)| format!("{m} {p}"))
            .collect();
        assert_eq!(
            public,
            [
                "get /healthz",
                "get /readyz",
                "get /login",
                "post /login",
                "get /assets/kontera.css"
            ]
        );
    }
}
