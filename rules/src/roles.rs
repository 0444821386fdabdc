//! Derived roles, as the seeds' tables label them.

use crate::model::{Kind, ServerId, Topology};

/// A DPM server is *primary* when it protects at least one protected server
/// and *secondary* when it protects at least one other DPM server; it can be
/// both (the seed's Scenario 2, DS2 and DS3).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Roles {
    pub primary: bool,
    pub secondary: bool,
}

impl Roles {
    /// A node's caption: the role, or what the server is when it has none
    /// ("primary & secondary" fits a node; "DPM server" for no role).
    pub fn caption(self, mabs: bool) -> String {
        let role = match (self.primary, self.secondary) {
            (true, true) => "primary & secondary",
            (true, false) => "primary",
            (false, true) => "secondary",
            (false, false) => "",
        };
        match (mabs, role.is_empty()) {
            (false, true) => "DPM server".to_string(),
            (false, false) => format!("DPM · {role}").replace("DPM · primary & secondary", role),
            (true, true) => "Azure Backup Server".to_string(),
            (true, false) => format!("MABS · {role}"),
        }
    }

    /// "primary", "secondary", "primary and secondary", or "" for none.
    pub fn label(self) -> &'static str {
        match (self.primary, self.secondary) {
            (true, true) => "primary and secondary",
            (true, false) => "primary",
            (false, true) => "secondary",
            (false, false) => "",
        }
    }
}

/// The roles of server `id`. A protected server has none.
pub fn roles(t: &Topology, id: ServerId) -> Roles {
    let mut r = Roles::default();
    if t.server(id).is_none_or(|s| s.kind != Kind::Dpm) {
        return r;
    }
    for target in t.protected_by(id) {
        if target == id {
            continue;
        }
        match t.server(target).map(|s| s.kind) {
            Some(Kind::Protected) => r.primary = true,
            Some(Kind::Dpm) => r.secondary = true,
            None => {}
        }
    }
    r
}

/// The roles of every DPM server at once, in one pass over the protections
/// (asking [`roles`] per server costs a pass each), each target's kind
/// found by id in one array (after a delete, servers no longer stand at
/// their id, and a search per protection was 5 ms of wasm at 10,000).
pub fn all_roles(t: &Topology) -> crate::hash::HashMap<ServerId, Roles> {
    let by_id = t.positions_by_id();
    let mut out: crate::hash::HashMap<ServerId, Roles> = t
        .servers
        .iter()
        .filter(|s| s.kind == Kind::Dpm)
        .map(|s| (s.id, Roles::default()))
        .collect();
    for p in &t.protections {
        if p.protector == p.target {
            continue;
        }
        let target_kind = t.position_by(&by_id, p.target).map(|i| t.servers[i].kind);
        if let Some(r) = out.get_mut(&p.protector) {
            match target_kind {
                Some(Kind::Protected) => r.primary = true,
                Some(Kind::Dpm) => r.secondary = true,
                None => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_roles_agrees_with_roles() {
        // A generated estate with servers deleted here and there: those
        // past each no longer stand at their id.
        let mut deleted = crate::generate::generate(300);
        for at in [250, 120, 40, 1] {
            let id = deleted.servers[at].id;
            deleted.remove_server(id);
        }
        for t in [
            crate::presets::scenario_2(),
            crate::presets::scenario_3(),
            deleted,
        ] {
            let all = all_roles(&t);
            for s in &t.servers {
                assert_eq!(
                    all.get(&s.id).copied().unwrap_or_default(),
                    roles(&t, s.id),
                    "{}",
                    s.name
                );
            }
        }
    }
}
