//! [`RecoveryOption::steps`]: an option played as captioned steps, each
//! with the topology after it once a step has changed it (see
//! [`Step::drawing`]), one function per [`Action`]. Asked for only
//! when the app plays an option (a plan for a large topology has many).

use super::{Action, DbCopy, Destination, Flow, Plan, RecoveryOption, Step};
use crate::hash::HashSet;
use crate::inventory::{Copies, DataSource, Part};
use crate::model::{Kind, Link, Protection, ServerId, Topology};
use crate::rules::and_list;

impl Plan {
    /// How many copies of each of `sources` exist once `step` is done: a
    /// step of an option this plan offers, or of its recovery in order.
    ///
    /// In: the drawing the plan was made from, the step, the data sources
    /// asked about. Out: one count per source, in order: the servers up
    /// after the step that hold a copy, and a DPM database's off-server
    /// backup media; 0 for a source whose server is not in the step's
    /// drawing.
    ///
    /// A scale-out cluster's VMs that a DPM server backed up count, once a
    /// step moved that protection ([`Step::moved`]), at the server it
    /// moved to (new to them).
    ///
    /// A holder that neither failed nor is new to the data counts while it
    /// is up (a DPM server stopped by its database's server lost no disk).
    /// A fresh holder, one that failed and is back (rebuilt, its disks
    /// lost) or that did not hold the data before the failure (protection
    /// switched or moved to it), counts only once its copy can be made:
    /// - as the data's direct protector, from the data's own server, up
    ///   (a replica is made by a consistency check against the protected
    ///   server; a primary's is never seeded from its secondary);
    /// - as a secondary, from a copy that counts on a primary it protects
    ///   ("all replicas on the primary that the primary directly protects"
    ///   are what a secondary copies);
    /// - a DPM database's replica, also from a copy further along the chain
    ///   (how a rebuilt secondary gets back the database it held for its
    ///   primary, "survives further along the chain").
    ///
    /// Data the failure lost is not made again from its server brought
    /// back. The server a DPM database is kept on (`database`) holds it
    /// while it is up. So rebuilding DS3 while DS1, which DS3 protects, is
    /// still down brings back no copy of PS1: DS3 held PS1's data only as a
    /// copy of DS1's replica.
    ///
    /// A rebuilt DPM server holds nothing from its installation until the
    /// step that makes its replicas again ([`Step::making`]). The members
    /// of a replica set (an Exchange DAG, an Availability Group) that are
    /// up each count as a copy of another member's databases, as in Risk,
    /// except a member that failed: rebuilt, it gets its database copies
    /// from the others once added to the set again, which no step plays.
    pub fn copies_after(
        &self,
        planned: &Topology,
        step: &Step,
        sources: &[DataSource],
    ) -> Vec<usize> {
        let t = step.drawing(planned);
        let copies = Copies::new(t);
        // Who held what before the failure: the same index when the step
        // left the drawing as planned (recovery in order's steps do).
        let planned_copies;
        let before = match step.topology {
            Some(_) => {
                planned_copies = Copies::new(planned);
                &planned_copies
            }
            None => &copies,
        };
        // Down, or up again with no copy made yet: neither holds a copy.
        let down: HashSet<ServerId> = step.failed.iter().chain(&step.making).copied().collect();
        let rebuilt: HashSet<ServerId> = self
            .failed
            .iter()
            .copied()
            .filter(|id| !down.contains(id))
            .collect();
        let up = |h: &ServerId| !down.contains(h);
        sources
            .iter()
            .map(|&d| {
                if t.server(d.server).is_none() {
                    return 0;
                }
                let had = before.holders(d);
                let fresh = |h: ServerId| rebuilt.contains(&h) || !had.contains(&h);
                // The VMs of a scale-out cluster that a DPM server backed
                // up are, once a step moved its protection, the new
                // protector's (fresh to them: counted once it protects).
                let mut now = d;
                if let Part::ScaleOut(mut q) = d.part {
                    // (Moved on again: followed, at most once per move.)
                    for _ in 0..step.moved.len() {
                        let Some(&(_, by)) = step
                            .moved
                            .iter()
                            .find(|(l, by)| l.protector == q && l.target == d.server && *by != q)
                        else {
                            break;
                        };
                        q = by;
                    }
                    now.part = Part::ScaleOut(q);
                }
                let holders: Vec<ServerId> = copies.holders(now).into_iter().filter(up).collect();
                let direct = copies.direct(now);
                let kept = holders.iter().any(|&h| !fresh(h));
                // Data lost in the failure is not on its server when the
                // server is back: nothing is made from it.
                let own_up = up(&d.server) && !self.lost.contains(&d);
                let database = d.part == Part::Database;
                let host = t
                    .server(d.server)
                    .and_then(|s| s.database)
                    .filter(|_| database);
                let primary = |p: ServerId| up(&p) && (!fresh(p) || own_up || database && kept);
                let counts = |h: ServerId| {
                    if Some(h) == host || !fresh(h) {
                        return true;
                    }
                    if direct.contains(&h) {
                        return own_up || database && kept;
                    }
                    // A secondary: from a primary it protects.
                    direct.iter().any(|&p| {
                        primary(p)
                            && copies
                                .direct(DataSource {
                                    server: p,
                                    part: Part::Database,
                                })
                                .contains(&h)
                    })
                };
                // The other members of its replica set that are up hold
                // the same databases (an Exchange DAG): as Risk counts them.
                let peers = match d.part {
                    Part::Database => 0,
                    // A member rebuilt gets its copies from the others
                    // once it is in the set again: not yet one of them.
                    _ => copies
                        .peers(d.server)
                        .into_iter()
                        .filter(|p| up(p) && !rebuilt.contains(p))
                        .count(),
                };
                holders.into_iter().filter(|&h| counts(h)).count() + copies.media(now).len() + peers
            })
            .collect()
    }
}

impl RecoveryOption {
    /// The steps of this option from `t` with `failed` down. In: the
    /// drawing the plan was made from and the servers down. Out: the steps
    /// in order; a step's `topology` is `None` while no step so far has
    /// changed `t` (the failure itself, a database restored), then a copy
    /// as each step leaves it, so `step.drawing(t)` is the drawing after
    /// any step and the last one's is [`RecoveryOption::result`].
    pub fn steps(&self, t: &Topology, failed: &[ServerId]) -> Vec<Step> {
        let mut play = Play::new(t, failed, self.action.failed_server());
        if !self.supported {
            // Playing an option DPM does not support shows why, and changes
            // nothing.
            let caption = format!("{} is not possible here. {}", self.title(t), self.reason);
            play.step(caption, vec![]);
            return play.steps;
        }
        match &self.action {
            Action::Switch {
                server,
                failed: f,
                on,
            } => switch_steps(&mut play, *server, *f, *on),
            Action::Rebuild {
                failed: f,
                from,
                server: _,
                database,
                stopped: true,
            } => restore_database_steps(&mut play, *f, *from, *database),
            Action::Rebuild {
                failed: f,
                from,
                server,
                database,
                stopped: false,
            } => rebuild_steps(&mut play, *f, *from, *server, *database),
            Action::Move {
                server,
                failed: f,
                secondary: s,
                to,
            } => move_steps(&mut play, *server, *f, *s, to),
            Action::Refused { server, to, .. } => {
                let caption = format!(
                    "Protecting {} with {} is not supported. {}",
                    play.n(*server),
                    play.n(*to),
                    self.reason
                );
                play.step(caption, vec![]);
            }
            Action::Reprotect {
                server,
                failed: f,
                by,
            } => reprotect_steps(&mut play, *server, *f, *by),
            Action::Restore {
                server,
                from,
                switch_from,
            } => restore_steps(&mut play, *server, *from, *switch_from),
        }
        play.steps
    }

    /// The topology the option leads to.
    pub fn result(&self, t: &Topology, failed: &[ServerId]) -> Topology {
        self.steps(t, failed)
            .pop()
            .and_then(|s| s.topology)
            .unwrap_or_else(|| t.clone())
    }
}

/// An option being played: the topology as it stands after the steps so
/// far, the servers still down, and the steps.
struct Play<'t> {
    /// The topology before the option (names are read here).
    t: &'t Topology,
    /// The topology after the steps so far, once a step has changed it
    /// (`None` until then: the steps that only fail, restore or sync share
    /// `t`, not a copy each).
    cur: Option<Topology>,
    failed: Vec<ServerId>,
    /// Rebuilt DPM servers whose copies are not made yet ([`Step::making`]).
    making: Vec<ServerId>,
    /// A stopped DPM server whose database `restore-database` is bringing
    /// back: stopped until its last step, whatever its database's server.
    restoring: Option<ServerId>,
    /// DPM servers rebuilt by the steps so far: their DPM database restored
    /// with them, they are not stopped by the server that held it.
    rebuilt: Vec<ServerId>,
    /// Protections moved so far ([`Step::moved`]).
    moved: Vec<(Link, ServerId)>,
    steps: Vec<Step>,
}

/// Failed servers a caption names at most; more, and it names three and
/// says how many others.
const NAMED_MOST: usize = 6;

impl<'t> Play<'t> {
    /// Starts with the failure itself ("DS1 fails."): with many failed,
    /// `own` (the option's failed server) named first.
    fn new(t: &'t Topology, failed: &[ServerId], own: ServerId) -> Play<'t> {
        let mut play = Play {
            t,
            cur: None,
            failed: failed.to_vec(),
            making: Vec::new(),
            restoring: None,
            rebuilt: Vec::new(),
            moved: Vec::new(),
            steps: Vec::new(),
        };
        let first = match failed {
            [] => "Nothing has failed.".to_string(),
            [one] => format!("{} fails.", play.n(*one)),
            // A site's failure: hundreds of names would fill the caption.
            many if many.len() > NAMED_MOST => {
                let own = Some(own).filter(|o| many.contains(o));
                let named: Vec<String> = own
                    .into_iter()
                    .chain(many.iter().copied().filter(|&id| Some(id) != own))
                    .take(3)
                    .map(|id| play.n(id))
                    .collect();
                format!(
                    "{} and {} other servers fail.",
                    named.join(", "),
                    many.len() - 3
                )
            }
            many => format!(
                "{} fail.",
                and_list(&many.iter().map(|&id| play.n(id)).collect::<Vec<_>>())
            ),
        };
        play.step(first, vec![]);
        play
    }

    fn n(&self, id: ServerId) -> String {
        self.t.name(id).to_string()
    }

    /// The topology as the steps so far leave it.
    fn cur(&self) -> &Topology {
        self.cur.as_ref().unwrap_or(self.t)
    }

    /// The topology as the steps so far leave it, to change (copied from
    /// `t` on the first change).
    fn cur_mut(&mut self) -> &mut Topology {
        self.cur.get_or_insert_with(|| self.t.clone())
    }

    /// A step: its caption and flows, with the topology and the servers
    /// down as they stand now.
    fn step(&mut self, caption: String, flows: Vec<Flow>) {
        // Stopped while the server holding its database is down (one
        // rebuilt and restored brings it back with the DPM database), and
        // while its database is being restored.
        let down: crate::hash::HashSet<ServerId> = self.failed.iter().copied().collect();
        let mut stopped = crate::estate::stopped_by(self.cur(), &down);
        stopped.retain(|s| !self.rebuilt.contains(s));
        stopped.extend(self.restoring.filter(|r| !stopped.contains(r)));
        self.t.sort_by_name(&mut stopped);
        self.steps.push(Step {
            caption,
            topology: self.cur.clone(),
            failed: self.failed.clone(),
            making: self.making.clone(),
            stopped,
            moved: self.moved.clone(),
            flows,
        });
    }

    /// `by` protects `x` in place of `old` (switched: after Switch
    /// Protection).
    fn replace_protector(&mut self, old: ServerId, x: ServerId, by: ServerId, switched: bool) {
        let link = Link {
            protector: old,
            target: x,
        };
        self.moved.push((link, by));
        self.cur_mut().disconnect(link);
        let mut p = Protection::new(by, x);
        p.switched = switched;
        self.cur_mut().connect(p);
    }
}

/// `switch-protection`: secondary `s` takes over protected server `x` from
/// failed `f`, in switched mode.
fn switch_steps(play: &mut Play, x: ServerId, f: ServerId, s: ServerId) {
    let n = |id: ServerId| play.n(id);
    let (xn, sn) = (n(x), n(s));
    play.replace_protector(f, x, s, true);
    play.step(
        format!("On {sn}, Switch Protection for {xn}: {sn} now protects {xn} directly."),
        vec![],
    );
    play.step(
        format!("{sn} runs a consistency check: {xn}'s data flows to {sn}."),
        vec![Flow { from: x, to: s }],
    );
    play.step(
        format!("{xn} is now protected by {sn} in switched mode, and no secondary protection is possible for it."),
        vec![],
    );
}

/// `restore-database`: stopped DPM server `f` gets its database back from
/// `from` (a DPM server holding it) or `database`, then DPMSync -Sync.
fn restore_database_steps(
    play: &mut Play,
    f: ServerId,
    from: Option<ServerId>,
    database: Option<DbCopy>,
) {
    let t = play.t;
    let fname = play.n(f);
    let on = t.server(f).and_then(|s| s.database);
    play.restoring = Some(f);
    play.step(
        format!(
            "{fname} is stopped: its database is on {}, which is down. Its replicas are intact, but it protects and restores nothing until its database is back.",
            on.map_or_else(|| "another server".to_string(), |d| play.n(d))
        ),
        vec![],
    );
    let (whence, flows) = match (from, database) {
        (Some(s), _) => (play.n(s), vec![Flow { from: s, to: f }]),
        (None, Some(c)) => (c.phrase(t), Vec::new()),
        (None, None) => ("a surviving copy".to_string(), Vec::new()),
    };
    if play.cur().server(f).is_some_and(|s| s.database.is_some()) {
        if let Some(srv) = play.cur_mut().server_mut(f) {
            srv.database = None;
        }
    }
    play.step(
        format!(
            "Restore DPMDB from {whence} to a SQL Server instance (here, on {fname} itself) with DPMSync -RestoreDB."
        ),
        flows,
    );
    play.step(
        format!(
            "On {fname}, run DPMSync -Sync: \"Anytime a database is restored from a backup you need to run the DpmSync -Sync command\" to reconcile it with the storage pool."
        ),
        vec![],
    );
    play.restoring = None;
    play.step(
        format!("{fname} protects and restores again, with the replicas it kept."),
        vec![],
    );
}

/// `rebuild-primary`: failed DPM server `f` is rebuilt with the same name,
/// its database restored from `from`, set up from `database`, or started
/// again; `server`: the protected server the option was shown for.
fn rebuild_steps(
    play: &mut Play,
    f: ServerId,
    from: Option<ServerId>,
    server: Option<ServerId>,
    database: Option<DbCopy>,
) {
    let t = play.t;
    let fname = play.n(f);
    play.failed.retain(|&id| id != f);
    play.rebuilt.push(f);
    // Up from here, but holding no copy until its replicas are made again.
    play.making.push(f);
    play.step(
        format!("Rebuild {fname} with the same name and install DPM on it."),
        vec![],
    );
    let (caption, flows) = match (from, database) {
        (Some(s), _) => (
            format!("Restore {fname}'s DPM database from {}.", play.n(s)),
            vec![Flow { from: s, to: f }],
        ),
        (None, Some(DbCopy::Server(d))) => (
            format!(
                "Set {fname} up with its DPM database on {}, which survived, and run DPMSync -Sync.",
                play.n(d)
            ),
            vec![Flow { from: d, to: f }],
        ),
        (None, Some(c)) => (
            format!(
                "Restore {fname}'s DPM database from {} with DPMSync -RestoreDB, then run DPMSync -Sync.",
                c.phrase(t)
            ),
            vec![],
        ),
        (None, None) => (
            format!("Nothing holds {fname}'s DPM database: its protection groups are set up again."),
            vec![],
        ),
    };
    play.step(caption, flows);
    let flows: Vec<Flow> = match server {
        Some(x) => vec![Flow { from: x, to: f }],
        None => t
            .protected_by(f)
            .filter(|&x| x != f && !play.failed.contains(&x))
            .map(|x| Flow { from: x, to: f })
            .collect(),
    };
    let caption = match (from, server) {
        (Some(_), _) => {
            format!("{fname} runs consistency checks to bring its replicas up to date.")
        }
        (None, Some(x)) => {
            format!(
                "{fname} creates {}'s replica again from scratch.",
                play.n(x)
            )
        }
        (None, None) => {
            format!("{fname} creates its replicas again from scratch.")
        }
    };
    play.making.retain(|&id| id != f);
    play.step(caption, flows);
    let caption = match from {
        Some(s) => format!(
            "{fname} resumes protection, and {} protects it again.",
            play.n(s)
        ),
        None => format!("{fname} protects its servers again."),
    };
    play.step(caption, vec![]);
}

/// `move-to-new-server`: protection of `x` moves off failed `f` to `to`, a
/// DPM server that secondary `s` doesn't know (set up first when new).
fn move_steps(play: &mut Play, x: ServerId, f: ServerId, s: ServerId, to: &Destination) {
    let t = play.t;
    let dest = match to {
        Destination::Existing(id) => *id,
        Destination::New { name, pos } => {
            let id = play.cur_mut().add_server(name.clone(), Kind::Dpm);
            if let Some(srv) = play.cur_mut().server_mut(id) {
                srv.pos = *pos;
            }
            if let (Some(fs), Some(srv)) = (t.server(f).cloned(), play.cur_mut().server_mut(id)) {
                srv.version = fs.version;
                srv.rollup = fs.rollup;
            }
            let caption = format!(
                "Set up a new DPM server, {}, that {} doesn't know about.",
                name,
                play.n(s)
            );
            play.step(caption, vec![]);
            id
        }
    };
    let dname = play.cur().name(dest).to_string();
    let (xn, sn) = (play.n(x), play.n(s));
    play.step(
        format!("Install the protection agent on {xn} from {dname}, and add {xn} to a protection group on {dname}."),
        vec![],
    );
    // Drawn from the step that makes its replica: a protection with no
    // replica yet holds no copy (nor does the secondary it reaches).
    play.replace_protector(f, x, dest, false);
    play.step(
        format!("{dname} creates a new replica of {xn}: its data flows to {dname}."),
        vec![Flow { from: x, to: dest }],
    );
    play.step(
        format!(
            "{xn} is now protected by {dname}. {sn} keeps its older copy of {xn} until it expires."
        ),
        vec![],
    );
}

/// `reprotect`: `by` protects `x` from scratch, replacing failed `f`.
fn reprotect_steps(play: &mut Play, x: ServerId, f: ServerId, by: ServerId) {
    let (xn, byn) = (play.n(x), play.n(by));
    play.replace_protector(f, x, by, false);
    play.step(
        format!("{byn} protects {xn}: install the protection agent and create a new replica."),
        vec![Flow { from: x, to: by }],
    );
    play.step(format!("{xn} is protected by {byn} again."), vec![]);
}

/// `restore-from-primary` (or `-secondary`, after Switch Protection off
/// `switch_from`): failed `x` is rebuilt and its data restored from `from`.
fn restore_steps(play: &mut Play, x: ServerId, from: ServerId, switch_from: Option<ServerId>) {
    let (xn, fromn) = (play.n(x), play.n(from));
    if let Some(p) = switch_from {
        play.replace_protector(p, x, from, true);
        play.step(format!("On {fromn}, Switch Protection for {xn}."), vec![]);
    }
    play.step(format!("Rebuild {xn}."), vec![]);
    play.failed.retain(|&id| id != x);
    play.step(
        format!("Restore {xn}'s data from {fromn}."),
        vec![Flow { from, to: x }],
    );
    play.step(format!("{xn} is back, protected by {fromn}."), vec![]);
}
