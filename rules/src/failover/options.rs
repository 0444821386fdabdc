//! The recovery options offered for one server, as [`RecoveryOption`]s
//! with their reasons: rebuilds, the moves off a failed primary, and the
//! DPM servers that could protect a server again.

use crate::hash::{HashMap, HashSet};
use std::cell::RefCell;
use std::sync::Arc;

use super::{by_name, grouped, Action, DbCopy, Destination, OptionKind, RecoveryOption};
use crate::check::{Checker, TargetClass};
use crate::model::{Kind, Point, Protection, Server, ServerId, Topology};
use crate::rules::Severity;

/// `rebuild-primary` of failed DPM server `f` from a copy of its database
/// that no DPM server holds: the server it lives on (still up), or an
/// off-server medium ("Tape backup can be taken offsite for disaster
/// recovery", *back-up-the-dpm-server*). The database comes back
/// (DPMSync -RestoreDB), but the replicas were on `f` and are created
/// again. `server`: the protected server the option is shown for.
pub(super) fn extra_rebuild(
    t: &Topology,
    f: ServerId,
    c: DbCopy,
    server: Option<ServerId>,
) -> RecoveryOption {
    let fname = t.name(f);
    let whose = server.map_or_else(String::new, |x| format!(", {}'s among them,", t.name(x)));
    let reason = match c {
        DbCopy::Server(d) => format!(
            "{fname}'s DPM database is on {}, which is up: rebuild {fname} with the same name, set it up with that database and run DPMSync -Sync; but its replicas{whose} were on {fname} and must be created again.",
            t.name(d)
        ),
        _ => format!(
            "{fname}'s DPM database is also backed up to {}: rebuild {fname} with the same name, restore the database with DPMSync -RestoreDB and run DPMSync -Sync; but its replicas{whose} were on {fname} and must be created again.",
            c.phrase(t)
        ),
    };
    rebuild_same_name(f, server, Some(c), reason)
}

/// `rebuild-primary` of failed DPM server `f` with the same name and no
/// secondary to resume from: from `database` when a copy of its DPM
/// database survives, else empty; either way its replicas are created
/// again. `server`: the protected server the option is shown for.
pub(super) fn rebuild_same_name(
    f: ServerId,
    server: Option<ServerId>,
    database: Option<DbCopy>,
    reason: String,
) -> RecoveryOption {
    RecoveryOption {
        among: None,
        kind: OptionKind::RebuildPrimary,
        via: None,
        supported: true,
        reason,
        action: Action::Rebuild {
            failed: f,
            from: None,
            server,
            database,
            stopped: false,
        },
    }
}

pub(super) fn rebuild_option(
    t: &Topology,
    f: ServerId,
    s: ServerId,
    s_up: bool,
    server: Option<ServerId>,
) -> RecoveryOption {
    let (fname, sname) = (t.name(f), t.name(s));
    if server.is_some() && s == f {
        // No secondary: rebuild, but replicas start again.
        return RecoveryOption {
            among: None,
            kind: OptionKind::RebuildPrimary,
            via: None,
            supported: true,
            reason: format!(
                "{fname} can be rebuilt with the same name, but nothing holds a copy of its database: its replicas, {}'s among them, must be created again.",
                server.map_or("?", |x| t.name(x))
            ),
            action: Action::Rebuild { failed: f, from: None, server, database: None, stopped: false },
        };
    }
    RecoveryOption {
        among: None,
        kind: OptionKind::RebuildPrimary,
        via: Some(sname.to_string()),
        supported: s_up,
        reason: if s_up {
            format!(
                "{sname} holds {fname}'s DPM database as its secondary: rebuild {fname} with the same name, restore the DPM database from {sname}, and {fname} resumes protection."
            )
        } else {
            format!("{sname} holds {fname}'s DPM database but has failed too, so there is nothing to restore it from.")
        },
        action: Action::Rebuild {
            failed: f,
            from: Some(s),
            server,
            database: None,
            stopped: false,
        },
    }
}

/// What moving a server off failed `f` depends on, per secondary `s`:
/// computed once for all the servers `f` protected.
pub(super) struct Moves {
    /// Working DPM servers that `s` doesn't know, by name (shared by the
    /// grouped options of every server moved off `f` through `s`).
    fresh: Arc<[ServerId]>,
    /// Working DPM servers that `s` protects, then `s` itself.
    known: Arc<[ServerId]>,
    /// A name for a new DPM server, in the failed server's pattern.
    new_name: String,
    /// Where the failed server is drawn.
    at: Option<Point>,
    /// Where that new server is drawn: beside the failed one, worked out
    /// when first asked (a site's failure has many failed servers, not
    /// all with a server to move).
    new_pos: std::cell::OnceCell<Option<Point>>,
}

impl Moves {
    pub(super) fn new(t: &Topology, f: ServerId, s: ServerId, down: &HashSet<ServerId>) -> Moves {
        let mut knows: HashSet<ServerId> = HashSet::default();
        knows.insert(s);
        knows.extend(t.protected_by(s));
        knows.extend(t.protectors_of(s));
        let mut fresh: Vec<ServerId> = t
            .servers
            .iter()
            .filter(|c| {
                c.kind == Kind::Dpm && c.id != f && !down.contains(&c.id) && !knows.contains(&c.id)
            })
            .map(|c| c.id)
            .collect();
        by_name(t, &mut fresh);
        let mut known: Vec<ServerId> = t
            .protected_by(s)
            .filter(|&k| {
                k != f && k != s && !down.contains(&k) && t.server(k).is_some_and(Server::is_dpm)
            })
            .collect();
        by_name(t, &mut known);
        known.push(s);
        let fname = t.name(f);
        let prefix = {
            let n = fname.trim_end_matches(|c: char| c.is_ascii_digit());
            if n.is_empty() || n.len() == fname.len() {
                "DPM".to_string()
            } else {
                n.to_string()
            }
        };
        let new_name = t.fresh_name_like(&prefix);
        Moves {
            fresh: fresh.into(),
            known: known.into(),
            at: t.server(f).and_then(|s| s.pos),
            new_pos: std::cell::OnceCell::new(),
            new_name,
        }
    }
}

/// Switch, rebuild, move to a server `s` doesn't know, and the refused moves.
///
/// In: protected server `x` of failed `f`, `f`'s secondary `s`, the failed
/// servers (`down`) and what the moves off `f` through `s` depend on
/// (`moves`). Out: Switch Protection, rebuilding `f`, the moves to a DPM
/// server `s` doesn't know (each existing one, then a new one), and the
/// refused moves to one it knows, in that order.
pub(super) fn moving_options(
    t: &Topology,
    f: ServerId,
    s: ServerId,
    x: ServerId,
    down: &HashSet<ServerId>,
    moves: &Moves,
) -> Vec<RecoveryOption> {
    let (fname, sname, xname) = (t.name(f), t.name(s), t.name(x));
    let s_up = !down.contains(&s);
    let mut out = vec![switch_option(t, f, s, x, s_up)];

    let mut rebuild = rebuild_option(t, f, s, s_up, Some(x));
    if s_up {
        rebuild.reason = format!(
            "{sname} holds {fname}'s DPM database: rebuild {fname} with the same name, restore its DPM database from {sname}, and {fname} resumes primary protection of {xname}."
        );
    }
    out.push(rebuild);

    moves_to_unknown(t, f, s, x, moves, &mut out);
    moves_to_known(t, f, s, x, moves, &mut out);
    out
}

/// `switch-protection` of `x` on `f`'s secondary `s` (`s_up`: not failed).
fn switch_option(
    t: &Topology,
    f: ServerId,
    s: ServerId,
    x: ServerId,
    s_up: bool,
) -> RecoveryOption {
    let (fname, sname, xname) = (t.name(f), t.name(s), t.name(x));
    let s_mabs = t.server(s).is_some_and(Server::is_mabs);
    RecoveryOption {
        among: None,
        kind: OptionKind::SwitchProtection,
        via: Some(sname.to_string()),
        supported: s_up && !s_mabs,
        reason: if !s_up {
            format!("{sname} has failed too, so it cannot take over {xname}.")
        } else if s_mabs {
            format!(
                "{sname} is Azure Backup Server, which has no secondary protection to switch from."
            )
        } else {
            format!(
                "{sname} holds {xname}'s replica as {fname}'s secondary, so it can protect {xname} directly. {xname} stays in switched mode, and no secondary protection is possible for it afterwards."
            )
        },
        action: Action::Switch {
            server: x,
            failed: f,
            on: s,
        },
    }
}

/// Why `x` can move to DPM server `n`, which `x`'s secondary `s` doesn't
/// know.
pub(super) fn moved_reason(t: &Topology, s: ServerId, n: ServerId, x: ServerId) -> String {
    let (sname, nname, xname) = (t.name(s), t.name(n), t.name(x));
    format!(
        "{sname} doesn't know {nname}: {nname} neither protects {sname} nor is protected by it, so protection of {xname} can move there (starting with a new replica)."
    )
}

/// Why `by` can protect `x` again: `what` (why `x` must be protected
/// again), then that `by` can.
pub(super) fn reprotect_reason(t: &Topology, what: &str, by: ServerId, x: ServerId) -> String {
    format!(
        "{what}; {} can protect {} without breaking a rule, starting from scratch with a new replica.",
        t.name(by),
        t.name(x)
    )
}

/// The `what` that `reason`, a [`reprotect_reason`] through `by`, starts
/// with.
pub(super) fn reprotect_what(
    t: &Topology,
    reason: &str,
    by: ServerId,
    x: ServerId,
) -> Option<String> {
    let tail = reprotect_reason(t, "", by, x);
    reason.strip_suffix(&tail).map(str::to_string)
}

/// `move-to-new-server` of `x` off `f`: to each working DPM server that
/// `s` doesn't know (one grouped option when [`GROUP_FROM`](super::GROUP_FROM) or more could
/// take it), then to a new one drawn beside `f`.
fn moves_to_unknown(
    t: &Topology,
    f: ServerId,
    s: ServerId,
    x: ServerId,
    moves: &Moves,
    out: &mut Vec<RecoveryOption>,
) {
    let (sname, xname) = (t.name(s), t.name(x));
    let (each, among) = grouped(&moves.fresh);
    for &n in each {
        out.push(RecoveryOption {
            among: among.clone(),
            kind: OptionKind::MoveToNewServer,
            via: Some(t.name(n).to_string()),
            supported: true,
            reason: moved_reason(t, s, n, x),
            action: Action::Move {
                server: x,
                failed: f,
                secondary: s,
                to: Destination::Existing(n),
            },
        });
    }
    let new_name = moves.new_name.clone();
    let new_pos = *moves
        .new_pos
        .get_or_init(|| moves.at.map(|p| free_spot(t, p, &new_name)));
    out.push(RecoveryOption {
        among: None,
        kind: OptionKind::MoveToNewServer,
        via: Some(new_name.clone()),
        supported: true,
        reason: format!(
            "A new DPM server, {new_name}, that {sname} doesn't know about can protect {xname} (starting with a new replica)."
        ),
        action: Action::Move {
            server: x,
            failed: f,
            secondary: s,
            to: Destination::New {
                name: new_name,
                pos: new_pos,
            },
        },
    });
}

/// Why `x`, protected through the failed `f`, cannot move to `k`, a DPM
/// server `f`'s secondary `s` knows (or `s` itself), and what can be done
/// instead.
pub(super) fn known_reason(
    t: &Topology,
    f: ServerId,
    s: ServerId,
    x: ServerId,
    k: ServerId,
) -> String {
    let (fname, sname, xname, kname) = (t.name(f), t.name(s), t.name(x), t.name(k));
    let why = if k == s {
        format!("{sname} cannot become {xname}'s primary.")
    } else {
        format!("{kname} is protected by {sname}, so {sname} already knows it.")
    };
    format!(
        "Moving protected servers between DPM servers that are under secondary protection isn't supported: {why} The supported choices are Switch Protection on {sname}, rebuilding {fname} with the same name, or moving {xname} to a DPM server that {sname} doesn't know about."
    )
}

/// `move-to-known-server`, refused: `x` to a DPM server `s` protects, or
/// to `s` itself (one grouped option when [`GROUP_FROM`](super::GROUP_FROM) or more: a
/// secondary protecting dozens of primaries refuses them all for one
/// reason).
fn moves_to_known(
    t: &Topology,
    f: ServerId,
    s: ServerId,
    x: ServerId,
    moves: &Moves,
    out: &mut Vec<RecoveryOption>,
) {
    let (each, among) = grouped(&moves.known);
    for &k in each {
        out.push(RecoveryOption {
            among: among.clone(),
            kind: OptionKind::MoveToKnownServer,
            via: Some(t.name(k).to_string()),
            supported: false,
            reason: known_reason(t, f, s, x, k),
            action: Action::Refused {
                server: x,
                failed: f,
                secondary: s,
                to: k,
            },
        });
    }
}

/// The topology without its failed servers, checked once per plan: the
/// rules that decide where a server can be protected again.
pub(super) struct Survivors {
    pub(super) topology: Topology,
    /// The working DPM servers (neither failed nor stopped), in natural
    /// name order: the servers that could protect one again.
    dpm: Vec<ServerId>,
    /// Where each server of `dpm` is in it.
    places: HashMap<ServerId, usize>,
    /// Per fact `version-mismatch` compares (version, rollup), the places
    /// in `dpm` of the servers that do not state it in a run of such
    /// servers that faces a value (`check::runs_facing_a_value`): bound to
    /// every server to protect again that states it.
    unstated: [Vec<usize>; 2],
    /// The verdicts of `dpm` per class of server to protect again
    /// ([`Checker::target_class`]).
    /// (A list: an estate's servers fall in a few dozen classes at most,
    /// one per mix of version, rollup and a few flags.)
    classes: RefCell<Vec<(TargetClass, Class)>>,
}

/// Which working DPM servers could protect a server of one class that they
/// are not bound to.
struct Class {
    /// Per server of [`Survivors::dpm`]: `None` while it was bound to every
    /// server of the class asked about.
    verdicts: Vec<Option<bool>>,
    /// The places in `dpm` whose verdict is `None`.
    unknown: Vec<usize>,
    /// The servers whose verdict is yes, in name order: shared by every
    /// server of the class that none of them is bound to (`None` after a
    /// verdict came in, until asked again).
    list: Option<Arc<[ServerId]>>,
}

impl Class {
    /// The class's list of `dpm` (the working DPM servers), once a server
    /// whose bound servers are at `bound` (places in `dpm`, ascending) has
    /// given, by `passes`, every verdict still unknown but theirs.
    fn answer(
        &mut self,
        dpm: &[ServerId],
        bound: &[usize],
        passes: impl Fn(usize) -> bool,
    ) -> Arc<[ServerId]> {
        let Class {
            verdicts,
            unknown,
            list,
        } = self;
        unknown.retain(|&k| {
            if bound.binary_search(&k).is_ok() {
                return true;
            }
            verdicts[k] = Some(passes(k));
            *list = None;
            false
        });
        list.get_or_insert_with(|| {
            verdicts
                .iter()
                .enumerate()
                .filter(|(_, v)| **v == Some(true))
                .map(|(k, _)| dpm[k])
                .collect()
        })
        .clone()
    }
}

impl Survivors {
    /// In: the topology, the failed servers (`down`), and every server
    /// nothing can go through (`unusable`: failed, or stopped by its
    /// database).
    pub(super) fn new(
        t: &Topology,
        down: &HashSet<ServerId>,
        unusable: &HashSet<ServerId>,
    ) -> Survivors {
        let mut topology = t.clone();
        topology.servers.retain(|s| !down.contains(&s.id));
        topology
            .protections
            .retain(|p| !down.contains(&p.protector) && !down.contains(&p.target));
        let mut dpm: Vec<ServerId> = topology
            .servers
            .iter()
            .filter(|s| s.kind == Kind::Dpm && !unusable.contains(&s.id))
            .map(|s| s.id)
            .collect();
        by_name(&topology, &mut dpm);
        let places: HashMap<ServerId, usize> =
            dpm.iter().enumerate().map(|(k, &n)| (n, k)).collect();
        let facing = crate::check::runs_facing_a_value(&topology);
        let mut unstated: [Vec<usize>; 2] = Default::default();
        for (k, at) in dpm.iter().map(|&n| topology.position(n)).enumerate() {
            for (fact, list) in unstated.iter_mut().enumerate() {
                if at.is_some_and(|at| facing[fact][at]) {
                    list.push(k);
                }
            }
        }
        Survivors {
            topology,
            dpm,
            places,
            unstated,
            classes: RefCell::new(Vec::new()),
        }
    }

    /// The working DPM servers that could protect `x` (now protected by no
    /// working server through a failed one) without adding an error
    /// finding, in natural name order. Servers of one class share one list
    /// (a site's failure leaves thousands to protect again, each with the
    /// same thousand candidates): pre-checked once per class, and for `x`
    /// only by the servers bound to it.
    pub(super) fn candidates(&self, checker: &Checker, x: ServerId) -> Arc<[ServerId]> {
        let passes = |k: usize| allows(checker, self.dpm[k], x);
        let own_place = self.place(x);
        let Some((key, bound)) = checker.target_class(x) else {
            return (0..self.dpm.len())
                .filter(|&k| Some(k) != own_place && passes(k))
                .map(|k| self.dpm[k])
                .collect();
        };
        // The places of the servers bound to `x`, and of `x` itself.
        let mut bound_at: Vec<usize> = bound
            .servers
            .iter()
            .filter_map(|&n| self.place(n))
            .collect();
        for (fact, &bound_if_unstated) in bound.unstated.iter().enumerate() {
            if bound_if_unstated {
                bound_at.extend(&self.unstated[fact]);
            }
        }
        bound_at.extend(own_place);
        crate::sort::sort_by(&mut bound_at, &|a, b| a.cmp(b));
        bound_at.dedup();
        let mut classes = self.classes.borrow_mut();
        let at = match classes.iter().position(|(k, _)| *k == key) {
            Some(at) => at,
            None => {
                let class = Class {
                    verdicts: vec![None; self.dpm.len()],
                    unknown: (0..self.dpm.len()).collect(),
                    list: None,
                };
                classes.push((key, class));
                classes.len() - 1
            }
        };
        let class = &mut classes[at].1;
        let shared = class.answer(&self.dpm, &bound_at, passes);
        // The bound servers' own verdicts for `x` (none for `x` itself).
        let own: Vec<(usize, bool)> = bound_at
            .iter()
            .map(|&k| (k, Some(k) != own_place && passes(k)))
            .collect();
        let verdicts = &class.verdicts;
        if own.iter().all(|&(k, ok)| (verdicts[k] == Some(true)) == ok) {
            return shared;
        }
        (0..self.dpm.len())
            .filter(|&k| match own.binary_search_by_key(&k, |&(m, _)| m) {
                Ok(at) => own[at].1,
                Err(_) => verdicts[k] == Some(true),
            })
            .map(|k| self.dpm[k])
            .collect()
    }

    /// Where `n` is in [`Survivors::dpm`], if there.
    fn place(&self, n: ServerId) -> Option<usize> {
        self.places.get(&n).copied()
    }
}

/// Whether DPM server `n` can protect `x` without adding an error finding.
/// (Not inlined: the pre-check is large, and three paths ask it.)
#[inline(never)]
fn allows(checker: &Checker, n: ServerId, x: ServerId) -> bool {
    checker
        .precheck(Protection::new(n, x))
        .iter()
        .all(|finding| finding.severity() != Severity::Error)
}

/// The first place right of `p`, on its row, where a new server named
/// `name` (its box as wide as the name makes it) overlaps none: the new
/// DPM server of a move is drawn beside the failed one.
fn free_spot(t: &Topology, p: Point, name: &str) -> Point {
    let step = crate::layout::NODE_W + crate::layout::GAP_X;
    let width = crate::fit::box_width(name);
    // The boxes on the row, each with how far apart a box of `name` must
    // stand: measured once, not at each place tried (at 10,000 servers,
    // measuring every name at every step was 30 ms of a failure).
    let row: Vec<(f64, f64)> = t
        .servers
        .iter()
        .filter_map(|s| {
            let q = s
                .pos
                .filter(|q| (q.y - p.y).abs() < crate::layout::NODE_H + 8.0)?;
            let apart = (crate::fit::box_width(&s.name) + width) / 2.0;
            Some((q.x, apart + crate::layout::GAP_X / 2.0))
        })
        .collect();
    let taken = |x: f64| row.iter().any(|&(qx, apart)| (qx - x).abs() < apart);
    let mut x = p.x + step;
    for _ in 0..=t.servers.len() {
        if !taken(x) {
            break;
        }
        x += step;
    }
    Point { x, y: p.y }
}
