//! What each drawn server and protection shows, as keyed stores
//! ([`Keyed`]): a few effects, one per kind of source (the drawing, the
//! findings, the selection and other states, the Risk view), go over the
//! drawn servers and protections when their source changes and set only
//! the signals whose value changed. An edit in an estate of 10,000 thus
//! runs a loop in Rust and the views of what it changed, not a memo in
//! every node (xyflow keeps its node lookup for the same reason).
//!
//! An arrow's route is searched again when its ends move, or when a box
//! that changed (moved, grown, added, removed) touches what the route was
//! found from (its [`Footprint`], see `Looks::watch_boxes`), not at every
//! change of the drawing; at once where a box now stands over it, else
//! once the change's frames are drawn.

use crate::ctx::Ctx;
use crate::state::derived::Derived;
use crate::state::editor::Mode;
use crate::state::keyed::Keyed;

use crate::canvas::state::Verdict;

use dpm_rules::hash::{HashMap, HashSet};

use dpm_rules::{Finding, Footprint, Kind, Link, Roles, ServerId, Topology};
use leptos::prelude::*;

/// A server's words and kind, from the drawing and its roles.
#[derive(Clone, Debug, PartialEq)]
pub struct Facts {
    pub name: String,
    pub kind: Kind,
    /// Microsoft Azure Backup Server.
    pub mabs: bool,
    /// Small tags on the node's top edge: the host of a virtual machine,
    /// an Azure virtual machine, DPM on a domain controller. (class, text,
    /// what it says in words: the label's words hold the text shown, in
    /// order.)
    pub tags: Vec<(&'static str, String, String)>,
    /// Its role, or that it is protected.
    pub caption: String,
}

/// A server's states, from the selection, the simulator, a protection
/// being drawn, the presenter and the mode.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Flags {
    pub selected: bool,
    pub failed: bool,
    /// Its database is down (simulator).
    pub stopped: bool,
    /// A protection is being drawn from it, or onto it.
    pub source: bool,
    pub target: bool,
    /// The presenter's spotlight is on it, or on a server next to it.
    pub spot: bool,
    pub near: bool,
    /// The verdict's class while a protection is drawn.
    pub candidate: &'static str,
    /// Editing (a DPM server shows its handle), presenting (larger names).
    pub edit: bool,
    pub present: bool,
}

/// A protection's words, from the drawing.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkFacts {
    /// "PROTECTOR->TARGET", its `data-protection`.
    pub name: String,
    pub switched: bool,
    /// The two servers protect each other: both arrows bend apart.
    pub reverse: bool,
}

/// A protection's states.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkState {
    pub findings: Vec<Finding>,
    /// Its protector or target failed (simulator).
    pub broken: bool,
    pub selected: bool,
}

/// All a drawn server shows, one signal per server.
#[derive(Clone, Debug, PartialEq)]
pub struct ServerLook {
    pub facts: Facts,
    pub flags: Flags,
    pub findings: Vec<Finding>,
    /// In the Risk view: what this server's failure alone would cost.
    pub at_risk: Option<String>,
}

/// All a drawn protection shows, one signal per protection.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LinkLook {
    pub facts: LinkFacts,
    pub state: LinkState,
    /// Counts up when the arrow must be routed again: a box that changed
    /// touches its route's footprint.
    pub reroute: u32,
}

/// Sets `slot` to `v`; whether that changed it.
fn put<T: PartialEq>(slot: &mut T, v: T) -> bool {
    let changed = *slot != v;
    if changed {
        *slot = v;
    }
    changed
}

/// The keyed stores of the canvas.
#[derive(Clone, Copy)]
pub struct Looks {
    pub servers: Keyed<ServerId, ServerLook>,
    pub links: Keyed<Link, LinkLook>,
    /// What each drawn arrow's route was last found from.
    pub traces: StoredValue<HashMap<Link, Footprint>>,
    /// Arrows a change of boxes touched whose routes, still clear, wait
    /// to be searched again until the change's frames are drawn; and
    /// whether that search is already asked for.
    waiting: StoredValue<(HashSet<Link>, bool)>,
    /// The sources of the flags and of the Risk view's labels as their
    /// effects last read them: what a node made between two runs starts
    /// from, without reading the sources itself.
    flag_sources: StoredValue<Option<FlagSources>>,
    /// The Risk view's single points of failure, with their lines.
    pub risk_lines: StoredValue<HashMap<ServerId, String>>,
}

impl Looks {
    pub fn new(c: Ctx, derived: Derived) -> Looks {
        let looks = Looks {
            servers: Keyed::new(),
            links: Keyed::new(),
            traces: StoredValue::new(HashMap::default()),
            waiting: StoredValue::new((HashSet::default(), false)),
            flag_sources: StoredValue::new(None),
            risk_lines: StoredValue::new(HashMap::default()),
        };
        let (ed, rv) = (c.ed, c.rv);
        crate::browser::effect(move || {
            // Facts are words and kinds, not places: a server moved (an
            // arrow key at 10,000 servers) does not look at every link.
            ed.track_content();
            ed.shown.with_untracked(|t| {
                looks.forget_gone(t);
                derived.roles.with(|r| {
                    looks
                        .servers
                        .each(|id, l| put(&mut l.facts, facts(t, r, id)))
                });
                derived.reverse.with(|rev| {
                    derived.switched.with(|sw| {
                        looks
                            .links
                            .each(|k, l| put(&mut l.facts, link_facts(t, k, sw, rev)))
                    })
                });
            })
        });
        crate::browser::effect(move || {
            derived.findings.with(|f| {
                looks
                    .servers
                    .each(|id, l| put(&mut l.findings, f.of_server(id)))
            })
        });
        crate::browser::effect(move || {
            let s = FlagSources::now(c);
            looks.servers.each(|id, l| put(&mut l.flags, s.flags(id)));
            looks.flag_sources.set_value(Some(s));
        });
        crate::browser::effect(move || {
            rv.risk.with(|r| {
                let by: HashMap<ServerId, String> = r
                    .as_deref()
                    .map(|(r, _)| {
                        ed.doc.with_untracked(|t| {
                            r.single_points
                                .iter()
                                .filter_map(|sp| Some((sp.server, risk_line(t, sp)?)))
                                .collect()
                        })
                    })
                    .unwrap_or_default();
                looks
                    .servers
                    .each(|id, l| put(&mut l.at_risk, by.get(&id).cloned()));
                looks.risk_lines.set_value(by);
            })
        });
        crate::browser::effect(move || {
            let failed: HashSet<ServerId> = ed.shown_failed.with(|f| f.iter().copied().collect());
            let sel = ed.selected_link.get();
            let also: HashSet<Link> = ed.also_links.with(|a| {
                if a.first() == sel.as_ref() {
                    a.iter().copied().collect()
                } else {
                    HashSet::default()
                }
            });
            derived.findings.with(|f| {
                looks.links.each(|k, l| {
                    let state = LinkState {
                        findings: f.of_link(k),
                        broken: failed.contains(&k.protector) || failed.contains(&k.target),
                        selected: sel == Some(k) || sel.is_some() && also.contains(&k),
                    };
                    put(&mut l.state, state)
                })
            });
        });
        looks.watch_boxes(derived);
        looks
    }

    /// Routes again the arrows a change of boxes can route otherwise: an
    /// arrow whose [`Footprint`] (what its route was found from) a box
    /// that moved, grew, came or went ([`Derived::take_moved_boxes`])
    /// touches, as it was or as it is, counts up its `reroute`. Past 64
    /// changed boxes (a paste, a layout), or when the routes' limit
    /// changes with the estate's size, every arrow is routed again. The
    /// arrows then are those the export and a reload draw.
    ///
    /// Of those, an arrow whose route a box now stands over is routed
    /// with the change; one whose route is still clear, or that was drawn
    /// plain over boxes anyway ([`Footprint::may_wait`]), keeps it until
    /// the change's frames are drawn ([`crate::browser::after_frames`]),
    /// then is routed again (a shorter way where a box left, more room
    /// where one came near).
    /// A move at 1,000 servers touched some 60 routes, of which one to
    /// six came out otherwise: searching them all again was most of the
    /// move's work, and held its frame back.
    fn watch_boxes(self, derived: Derived) {
        crate::browser::effect(move || {
            derived.obstacles.track();
            let changed = derived.take_moved_boxes();
            if changed.as_ref().is_some_and(Vec::is_empty) {
                return;
            }
            let (mut now, mut later) = (Vec::new(), Vec::new());
            derived.obstacles.with_untracked(|o| {
                self.traces.with_value(|tr| {
                    for (&l, fp) in tr {
                        let touched = changed
                            .as_ref()
                            .is_none_or(|ch| ch.iter().any(|&(c, w)| fp.touched_by(c, w)));
                        if !touched {
                            continue;
                        }
                        if changed.is_some() && fp.may_wait([l.protector, l.target], o) {
                            later.push(l);
                        } else {
                            now.push(l);
                        }
                    }
                })
            });
            self.wait(later);
            self.reroute(now);
        });
    }

    /// Counts up the `reroute` of the arrows `links`.
    fn reroute(self, links: impl IntoIterator<Item = Link>) {
        self.links.some(links, |_, l| {
            l.reroute = l.reroute.wrapping_add(1);
            true
        });
    }

    /// Puts `links` among the arrows waiting to be routed again, and has
    /// them routed once the change's frames are drawn (those routed
    /// meanwhile, [`Looks::routed`], no more).
    fn wait(self, links: impl IntoIterator<Item = Link>) {
        let due = self.waiting.try_update_value(|(w, due)| {
            w.extend(links);
            !w.is_empty() && !std::mem::replace(due, true)
        });
        if due == Some(true) {
            crate::browser::after_frames(move || {
                // (Nothing when the canvas is gone by then.)
                if let Some((w, _)) = self
                    .waiting
                    .try_update_value(|(w, due)| (std::mem::take(w), std::mem::replace(due, false)))
                {
                    self.reroute(w);
                }
            });
        }
    }

    /// Keeps the footprint `fp` of the route just found for `link`, which
    /// then waits no more.
    pub fn routed(self, link: Link, fp: Footprint) {
        self.traces.update_value(|t| {
            t.insert(link, fp);
        });
        self.waiting.update_value(|(w, _)| {
            w.remove(&link);
        });
    }
}

/// The states every server's [`Flags`] are read from, taken once.
pub struct FlagSources {
    selected: HashSet<ServerId>,
    failed: HashSet<ServerId>,
    stopped: HashSet<ServerId>,
    near: HashSet<ServerId>,
    from: Option<ServerId>,
    target: Option<ServerId>,
    spot: Option<ServerId>,
    verdicts: HashMap<ServerId, &'static str>,
    mode: Mode,
}

impl FlagSources {
    /// The sources as they are now (a tracked read of each).
    pub fn now(c: Ctx) -> FlagSources {
        let (ed, cn, pr) = (c.ed, c.cn, c.pr);
        let set = |v: &Vec<ServerId>| v.iter().copied().collect::<HashSet<_>>();
        FlagSources {
            selected: ed.selection.with(set),
            failed: ed.shown_failed.with(set),
            stopped: ed.stopped.with(set),
            near: pr.near.with(set),
            from: cn.from.get(),
            target: cn.target.get(),
            spot: pr.spot.get(),
            verdicts: cn.verdicts.with(|v| {
                v.iter()
                    .map(|(&id, v)| {
                        let class = match v {
                            Verdict::Allowed => "cand-ok",
                            Verdict::Breaks(_) => "cand-bad",
                            Verdict::Exists => "cand-exists",
                        };
                        (id, class)
                    })
                    .collect()
            }),
            mode: ed.mode.get(),
        }
    }

    /// The servers whose [`Flags`] may differ between `old` and these
    /// sources (some more than once), when there are no more than `most`;
    /// None when there are more, and after a change of mode, which sets
    /// every server's flags.
    pub fn changed_since(&self, old: &FlagSources, most: usize) -> Option<Vec<ServerId>> {
        if self.mode != old.mode {
            return None;
        }
        let mut out = Vec::new();
        let sets = [
            (&self.selected, &old.selected),
            (&self.failed, &old.failed),
            (&self.stopped, &old.stopped),
            (&self.near, &old.near),
        ];
        for (a, b) in sets {
            if a.len().abs_diff(b.len()) > most {
                return None;
            }
            for id in a.symmetric_difference(b) {
                out.push(*id);
                if out.len() > most {
                    return None;
                }
            }
        }
        for (a, b) in [
            (self.from, old.from),
            (self.target, old.target),
            (self.spot, old.spot),
        ] {
            if a != b {
                out.extend(a);
                out.extend(b);
            }
        }
        let (a, b) = (&self.verdicts, &old.verdicts);
        if a.len().abs_diff(b.len()) > most {
            return None;
        }
        let gone = b.keys().filter(|id| !a.contains_key(id));
        let new = a
            .iter()
            .filter(|(id, v)| b.get(id) != Some(v))
            .map(|(id, _)| id);
        for id in new.chain(gone) {
            out.push(*id);
            if out.len() > most {
                return None;
            }
        }
        Some(out)
    }

    /// Server `id`'s flags.
    pub fn flags(&self, id: ServerId) -> Flags {
        Flags {
            selected: self.selected.contains(&id),
            failed: self.failed.contains(&id),
            stopped: self.stopped.contains(&id),
            source: self.from == Some(id),
            target: self.target == Some(id),
            spot: self.spot == Some(id),
            near: self.near.contains(&id),
            candidate: self.verdicts.get(&id).copied().unwrap_or(""),
            edit: self.mode == Mode::Edit,
            present: self.mode == Mode::Present,
        }
    }
}

/// Server `id`'s [`Facts`] in `t` (an empty name for one not there).
pub fn facts(t: &Topology, roles: &HashMap<ServerId, Roles>, id: ServerId) -> Facts {
    let Some(s) = t.server(id) else {
        return Facts {
            name: String::new(),
            kind: Kind::Protected,
            mabs: false,
            tags: Vec::new(),
            caption: String::new(),
        };
    };
    let mut tags: Vec<(&'static str, String, String)> = Vec::new();
    if let Some(h) = s.host.filter(|&h| t.server(h).is_some()) {
        tags.push((
            "tag vm",
            format!("on {}", dpm_rules::truncate(t.name(h), 10)),
            format!("on {}", t.name(h)),
        ));
    }
    if s.is_azure() {
        tags.push(("tag azure", "Azure".into(), "Azure".into()));
    }
    if s.is_dpm() && s.is_domain_controller() {
        tags.push(("tag dc", "DC".into(), "DC (domain controller)".into()));
    }
    let caption = match s.kind {
        Kind::Dpm => roles
            .get(&id)
            .copied()
            .unwrap_or_default()
            .caption(s.is_mabs()),
        Kind::Protected => "protected server".to_string(),
    };
    Facts {
        name: s.name.clone(),
        kind: s.kind,
        mabs: s.is_mabs(),
        tags,
        caption,
    }
}

/// Protection `l`'s name in `t`, as its hook `data-protection` has it:
/// "protector->target".
pub fn link_name(t: &Topology, l: Link) -> String {
    format!("{}->{}", t.name(l.protector), t.name(l.target))
}

/// Protection `l`'s [`LinkFacts`] in `t`, given the switched
/// protections and those with one the other way.
pub fn link_facts(
    t: &Topology,
    l: Link,
    switched: &HashSet<Link>,
    reverse: &HashSet<Link>,
) -> LinkFacts {
    LinkFacts {
        name: link_name(t, l),
        switched: switched.contains(&l),
        reverse: reverse.contains(&l),
    }
}

/// What a single point of failure's label says: "⚠ takes X" (+ how many
/// more).
fn risk_line(t: &Topology, sp: &dpm_rules::SinglePoint) -> Option<String> {
    let n = sp.loses.len() + sp.unprotects.len();
    let first = sp.loses.first().or(sp.unprotects.first())?;
    let what = first.label(t);
    Some(if n == 1 {
        format!("⚠ takes {what}")
    } else {
        format!("⚠ takes {what} +{}", n - 1)
    })
}

impl Looks {
    /// Forgets the looks of servers and protections no longer in `t`, so
    /// that a long session's edits do not grow every later pass. Which of
    /// the protections with a look (every one drawn since the drawing
    /// opened: at 10,000 servers, those near where the user has been) are
    /// still there is found by looking each protection up in a set of
    /// those, not by making and growing a set of every protection on each
    /// change (2-3 ms of a profile at 10,000 servers, fitted).
    fn forget_gone(&self, t: &Topology) {
        let mut asked: HashSet<Link> = self.links.keys().into_iter().collect();
        self.traces
            .with_value(|tr| asked.extend(tr.keys().copied()));
        if !asked.is_empty() {
            let mut links: HashSet<Link> =
                HashSet::with_capacity_and_hasher(asked.len(), Default::default());
            links.extend(
                t.protections
                    .iter()
                    .map(|p| p.link())
                    .filter(|l| asked.contains(l)),
            );
            self.links.retain(|l| links.contains(&l));
            self.traces
                .update_value(|tr| tr.retain(|l, _| links.contains(l)));
        }
        self.servers.retain(|id| t.server(id).is_some());
    }

    /// The signal a server's node reads: made (first set from what the
    /// effects last read, or the drawing as it is) when there was none.
    pub fn of_server(&self, c: Ctx, derived: Derived, id: ServerId) -> RwSignal<ServerLook> {
        let ed = c.ed;
        self.servers.get(id, || ServerLook {
            facts: ed
                .shown
                .with_untracked(|t| derived.roles.with_untracked(|r| facts(t, r, id))),
            flags: self
                .flag_sources
                .with_value(|s| s.as_ref().map(|s| s.flags(id)))
                .unwrap_or_default(),
            findings: derived.findings.with_untracked(|f| f.of_server(id)),
            at_risk: self.risk_lines.with_value(|r| r.get(&id).cloned()),
        })
    }

    /// The signal a protection's arrow reads.
    pub fn of_link(&self, c: Ctx, derived: Derived, l: Link) -> RwSignal<LinkLook> {
        let ed = c.ed;
        self.links.get(l, || LinkLook {
            facts: ed.shown.with_untracked(|t| {
                derived.switched.with_untracked(|sw| {
                    derived
                        .reverse
                        .with_untracked(|rev| link_facts(t, l, sw, rev))
                })
            }),
            state: LinkState {
                findings: derived.findings.with_untracked(|f| f.of_link(l)),
                broken: ed
                    .shown_failed
                    .with_untracked(|f| f.contains(&l.protector) || f.contains(&l.target)),
                selected: untrack(|| ed.link_selected(l)),
            },
            reroute: 0,
        })
    }
}
