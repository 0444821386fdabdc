//! [`RecoveryOption::steps`]: an option played as captioned steps, each
//! with the topology after it, one function per [`Action`]. Asked for only
//! when the app plays an option (a plan for a large topology has many).

use super::{Action, DbCopy, Destination, Flow, RecoveryOption, Step};
use crate::model::{Kind, Link, Protection, ServerId, Topology};
use crate::rules::and_list;

impl RecoveryOption {
    /// The steps of this option from `t` with `failed` down, each with the
    /// topology after it. The last step's topology is the option's result.
    pub fn steps(&self, t: &Topology, failed: &[ServerId]) -> Vec<Step> {
        let n = |id: ServerId| t.name(id).to_string();
        let mut failed: Vec<ServerId> = failed.to_vec();
        let mut steps = Vec::new();
        let mut cur = t.clone();
        let first = match failed.as_slice() {
            [] => "Nothing has failed.".to_string(),
            [one] => format!("{} fails.", n(*one)),
            many => format!(
                "{} fail.",
                and_list(&many.iter().map(|&id| n(id)).collect::<Vec<_>>())
            ),
        };
        steps.push(Step {
            caption: first,
            topology: cur.clone(),
            failed: failed.clone(),
            flows: vec![],
        });
        if !self.supported {
            // Playing an option DPM does not support shows why, and changes
            // nothing.
            steps.push(Step {
                caption: format!(
                    "{} is not possible here. {}",
                    self.kind.title(),
                    self.reason
                ),
                topology: cur,
                failed,
                flows: vec![],
            });
            return steps;
        }
        let mut step = |caption: String, cur: &Topology, failed: &[ServerId], flows: Vec<Flow>| {
            steps.push(Step {
                caption,
                topology: cur.clone(),
                failed: failed.to_vec(),
                flows,
            });
        };
        match &self.action {
            Action::Switch {
                server,
                failed: f,
                on,
            } => {
                let (x, f, s) = (*server, *f, *on);
                cur.disconnect(Link {
                    protector: f,
                    target: x,
                });
                let mut p = Protection::new(s, x);
                p.switched = true;
                cur.connect(p);
                step(
                    format!(
                        "On {}, Switch Protection for {}: {} now protects {} directly.",
                        n(s),
                        n(x),
                        n(s),
                        n(x)
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
                step(
                    format!(
                        "{} runs a consistency check: {}'s data flows to {}.",
                        n(s),
                        n(x),
                        n(s)
                    ),
                    &cur,
                    &failed,
                    vec![Flow { from: x, to: s }],
                );
                step(
                    format!("{} is now protected by {} in switched mode, and no secondary protection is possible for it.", n(x), n(s)),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Rebuild {
                failed: f,
                from,
                server: _,
                database,
                stopped: true,
            } => {
                let f = *f;
                let on = t.server(f).and_then(|s| s.database);
                step(
                    format!(
                        "{} is stopped: its database is on {}, which is down. Its replicas are intact, but it protects and restores nothing until its database is back.",
                        n(f),
                        on.map_or_else(|| "another server".to_string(), n)
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
                let (whence, flows) = match (from, database) {
                    (Some(s), _) => (n(*s), vec![Flow { from: *s, to: f }]),
                    (None, Some(c)) => (c.phrase(t), Vec::new()),
                    (None, None) => ("a surviving copy".to_string(), Vec::new()),
                };
                if let Some(srv) = cur.server_mut(f) {
                    srv.database = None;
                }
                step(
                    format!(
                        "Restore DPMDB from {whence} to a SQL Server instance (here, on {} itself) with DPMSync -RestoreDB.",
                        n(f)
                    ),
                    &cur,
                    &failed,
                    flows,
                );
                step(
                    format!(
                        "On {}, run DPMSync -Sync: \"Anytime a database is restored from a backup you need to run the DpmSync -Sync command\" to reconcile it with the storage pool.",
                        n(f)
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
                step(
                    format!(
                        "{} protects and restores again, with the replicas it kept.",
                        n(f)
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Rebuild {
                failed: f,
                from,
                server,
                database,
                stopped: false,
            } => {
                let f = *f;
                failed.retain(|&id| id != f);
                step(
                    format!("Rebuild {} with the same name and install DPM on it.", n(f)),
                    &cur,
                    &failed,
                    vec![],
                );
                match (from, database) {
                    (Some(s), _) => step(
                        format!("Restore {}'s DPM database from {}.", n(f), n(*s)),
                        &cur,
                        &failed,
                        vec![Flow { from: *s, to: f }],
                    ),
                    (None, Some(DbCopy::Server(d))) => step(
                        format!(
                            "Set {} up with its DPM database on {}, which survived, and run DPMSync -Sync.",
                            n(f),
                            n(*d)
                        ),
                        &cur,
                        &failed,
                        vec![Flow { from: *d, to: f }],
                    ),
                    (None, Some(c)) => step(
                        format!(
                            "Restore {}'s DPM database from {} with DPMSync -RestoreDB, then run DPMSync -Sync.",
                            n(f),
                            c.phrase(t)
                        ),
                        &cur,
                        &failed,
                        vec![],
                    ),
                    (None, None) => step(
                        format!("Nothing holds {}'s DPM database: its protection groups are set up again.", n(f)),
                        &cur,
                        &failed,
                        vec![],
                    ),
                }
                let flows: Vec<Flow> = match server {
                    Some(x) => vec![Flow { from: *x, to: f }],
                    None => t
                        .protected_by(f)
                        .filter(|&x| x != f && !failed.contains(&x))
                        .map(|x| Flow { from: x, to: f })
                        .collect(),
                };
                step(
                    match (from, server) {
                        (Some(_), _) => format!(
                            "{} runs consistency checks to bring its replicas up to date.",
                            n(f)
                        ),
                        (None, Some(x)) => {
                            format!("{} creates {}'s replica again from scratch.", n(f), n(*x))
                        }
                        (None, None) => {
                            format!("{} creates its replicas again from scratch.", n(f))
                        }
                    },
                    &cur,
                    &failed,
                    flows,
                );
                step(
                    match from {
                        Some(s) => format!(
                            "{} resumes protection, and {} protects it again.",
                            n(f),
                            n(*s)
                        ),
                        None => format!("{} protects its servers again.", n(f)),
                    },
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Move {
                server,
                failed: f,
                secondary: s,
                to,
            } => {
                let (x, f, s) = (*server, *f, *s);
                let dest = match to {
                    Destination::Existing(id) => *id,
                    Destination::New { name, pos } => {
                        let id = cur.add_server(name.clone(), Kind::Dpm);
                        if let Some(srv) = cur.server_mut(id) {
                            srv.pos = *pos;
                        }
                        if let (Some(fs), Some(srv)) = (t.server(f).cloned(), cur.server_mut(id)) {
                            srv.version = fs.version;
                            srv.rollup = fs.rollup;
                        }
                        step(
                            format!(
                                "Set up a new DPM server, {}, that {} doesn't know about.",
                                name,
                                n(s)
                            ),
                            &cur,
                            &failed,
                            vec![],
                        );
                        id
                    }
                };
                let dname = cur.name(dest).to_string();
                cur.disconnect(Link {
                    protector: f,
                    target: x,
                });
                cur.connect(Protection::new(dest, x));
                step(
                    format!("Install the protection agent on {} from {}, and add {} to a protection group on {}.", n(x), dname, n(x), dname),
                    &cur,
                    &failed,
                    vec![],
                );
                step(
                    format!(
                        "{dname} creates a new replica of {}: its data flows to {dname}.",
                        n(x)
                    ),
                    &cur,
                    &failed,
                    vec![Flow { from: x, to: dest }],
                );
                step(
                    format!("{} is now protected by {dname}. {} keeps its older copy of {} until it expires.", n(x), n(s), n(x)),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Refused { server, to, .. } => {
                step(
                    format!(
                        "Protecting {} with {} is not supported. {}",
                        n(*server),
                        n(*to),
                        self.reason
                    ),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Reprotect {
                server,
                failed: f,
                by,
            } => {
                let (x, f, by) = (*server, *f, *by);
                cur.disconnect(Link {
                    protector: f,
                    target: x,
                });
                cur.connect(Protection::new(by, x));
                step(
                    format!(
                        "{} protects {}: install the protection agent and create a new replica.",
                        n(by),
                        n(x)
                    ),
                    &cur,
                    &failed,
                    vec![Flow { from: x, to: by }],
                );
                step(
                    format!("{} is protected by {} again.", n(x), n(by)),
                    &cur,
                    &failed,
                    vec![],
                );
            }
            Action::Restore {
                server,
                from,
                switch_from,
            } => {
                let (x, from) = (*server, *from);
                if let Some(p) = switch_from {
                    cur.disconnect(Link {
                        protector: *p,
                        target: x,
                    });
                    let mut q = Protection::new(from, x);
                    q.switched = true;
                    cur.connect(q);
                    step(
                        format!("On {}, Switch Protection for {}.", n(from), n(x)),
                        &cur,
                        &failed,
                        vec![],
                    );
                }
                step(format!("Rebuild {}.", n(x)), &cur, &failed, vec![]);
                failed.retain(|&id| id != x);
                step(
                    format!("Restore {}'s data from {}.", n(x), n(from)),
                    &cur,
                    &failed,
                    vec![Flow { from, to: x }],
                );
                step(
                    format!("{} is back, protected by {}.", n(x), n(from)),
                    &cur,
                    &failed,
                    vec![],
                );
            }
        }
        steps
    }

    /// The topology the option leads to.
    pub fn result(&self, t: &Topology, failed: &[ServerId]) -> Topology {
        self.steps(t, failed)
            .pop()
            .map_or_else(|| t.clone(), |s| s.topology)
    }
}
