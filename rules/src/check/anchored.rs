//! The anchored rules: the findings of one server `i` that depend only on
//! `i`, its protectors, their protectors, and the servers `i` protects
//! (the radius-2 invariant the pre-check relies on, see the module above).
//!
//! [`anchored`] is the single list of these rules, in order; each rule is a
//! function named after its [`Rule`] id that takes `(View, i, …, out)`, so
//! what it may read shows in its signature.

use smallvec::SmallVec;

use super::{Finding, View};
use crate::model::{same_name, Kind, Server, ServerId};
use crate::rules::{and_list, Rule};

/// The findings anchored at server `i`: those that depend only on `i`, its
/// protectors, their protectors, and the servers `i` protects.
pub(super) fn anchored(v: View, i: usize, out: &mut Vec<Finding>) {
    let s = v.server(i);
    // What `i` protects, when it should not protect anything.
    if s.kind == Kind::Protected {
        protector_not_dpm(v, i, out);
    }
    // Who protects `i`.
    let prots = Protectors::of(v, i);
    let shortcut = chain_shortcut(v, i, &prots.dpm, out);
    protected_twice(v, i, &prots.dpm, &shortcut, out);
    if s.kind == Kind::Protected && prots.dpm.is_empty() {
        unprotected(v, i, out);
    }
    if s.kind == Kind::Dpm {
        let dpm_prots = &prots.dpm;
        self_protection_breaks_chain(v, i, &prots, out);
        vss_writer_stopped(v, i, dpm_prots, out);
        for &p in dpm_prots {
            mabs_no_secondary(v, i, p, out);
            same_site_secondary(v, i, p, out);
        }
        as_primary(v, i, dpm_prots, out);
        single_copy_dpm(v, i, &prots, out);
        // What `i` protects that it should not, or should know about.
        azure_protects_on_premises(v, i, out);
        dc_protects_others(v, i, out);
        host_protected_by_guest(v, i, out);
        database_on_protected(v, i, out);
    }
}

/// What, besides a DPM protector `p`, decides whether protecting server
/// `i` adds an error, for the servers a failure leaves to protect again:
/// `i` is protected by no DPM server, protects no DPM server and not
/// itself, and, when it is a protected server, nothing at all. Out: the
/// key of `i`'s class, and the DPM servers bound to it; `None` for any
/// other server.
///
/// Only errors decide where a server can be protected again, and of the
/// error rules above a new `p -> i` of such an `i` changes these: at `i`,
/// `vss-writer-stopped` and `mabs-no-secondary` (its VSS Writer, whether it
/// is Azure Backup Server); at `p`, `azure-protects-on-premises` (whether
/// `i` is in Azure) and `dc-protects-others` (`p`'s own); at a server `i`
/// protects, `chain-shortcut` when `p` protects it too (bound: those
/// protectors); and `version-mismatch`, where `i`, joined to no other DPM
/// server, brings its own version and rollup to what `p` is joined to. A
/// `p` that states the fact `i` states is compared with `i` directly; one
/// that does not joins `i` to a run of servers stating nothing, where the
/// rule names the first server by name facing each value, so `i`'s name
/// counts (bound: the DPM servers not stating a fact `i` states, in a run
/// that faces a value; a run that faces none adds no pair). One DPM
/// protector makes no `chain-shortcut` or `protected-twice` at `i`, and no
/// cycle goes through `p -> i`. So a DPM server bound to `i` aside, the
/// verdict is the same for every server with `i`'s key. A new error rule,
/// or one that reads more of a target, must add it here: the planner's
/// tests compare every verdict with a pre-check.
pub(crate) fn target_class(v: View, i: usize) -> Option<(TargetClass, Bound)> {
    let s = v.server(i);
    if v.protectors(i).any(|(p, _)| v.is_dpm(p)) {
        return None;
    }
    let mut servers: Vec<ServerId> = Vec::new();
    for (x, _) in v.targets(i) {
        if s.kind == Kind::Protected || x == i || v.is_dpm(x) {
            return None;
        }
        servers.extend(
            v.protectors(x)
                .filter(|&(p, _)| p != i && v.is_dpm(p))
                .map(|(p, _)| v.id(p)),
        );
    }
    let class = TargetClass {
        kind: s.kind,
        vss_writer: s.vss_writer,
        version: s.version,
        rollup: s.rollup.clone(),
        mabs: s.is_mabs(),
        azure: s.is_azure(),
    };
    let unstated = if s.kind == Kind::Dpm {
        super::versions::stated(s)
    } else {
        [false; 2]
    };
    Some((class, Bound { servers, unstated }))
}

/// The facts of a server to protect again that, with its protector, decide
/// whether protecting it adds an error (see [`target_class`]).
#[derive(PartialEq)]
pub(crate) struct TargetClass {
    kind: Kind,
    vss_writer: Option<crate::model::VssWriter>,
    version: Option<crate::Version>,
    rollup: Option<String>,
    mabs: bool,
    azure: bool,
}

/// The DPM servers whose verdict as the protector of a server to protect
/// again reads more than its class (see [`target_class`]).
pub(crate) struct Bound {
    /// Those that protect what it protects.
    pub(crate) servers: Vec<ServerId>,
    /// Per fact `version-mismatch` compares (version, rollup): whether
    /// every DPM server that does not state it, in a run of such servers
    /// that faces a value (`versions::runs_facing_a_value`), is bound too.
    pub(crate) unstated: [bool; 2],
}

/// Who protects server `i`.
struct Protectors {
    /// `i` protects itself.
    self_protected: bool,
    /// The DPM servers protecting `i`, by name.
    ///
    /// Protection by a server that is not a DPM server is an error of its
    /// own (protector-not-dpm) and protects nothing, so it does not count
    /// here; a chain is made of DPM servers. Nearly every server has one
    /// protector at most, so this stays off the heap.
    dpm: SmallVec<[usize; 4]>,
}

impl Protectors {
    fn of(v: View, i: usize) -> Protectors {
        let mut self_protected = false;
        let mut dpm: SmallVec<[usize; 4]> = SmallVec::new();
        for (p, _) in v.protectors(i) {
            if p == i {
                self_protected = true;
            } else if v.is_dpm(p) {
                dpm.push(p);
            }
        }
        v.by_name(&mut dpm);
        Protectors {
            self_protected,
            dpm,
        }
    }
}

/// `protector-not-dpm`: protected server `i` protects others.
fn protector_not_dpm(v: View, i: usize, out: &mut Vec<Finding>) {
    let mut targets: Vec<usize> = v.targets(i).map(|(x, _)| x).collect();
    if targets.is_empty() {
        return;
    }
    v.by_name(&mut targets);
    out.push(Finding {
        rule: Rule::ProtectorNotDpm,
        servers: std::iter::once(v.id(i))
            .chain(targets.iter().map(|&x| v.id(x)))
            .collect(),
        protections: targets.iter().map(|&x| v.link(i, x)).collect(),
        message: format!(
            "{} is a protected server, not a DPM server, so it cannot protect {}: only DPM servers back up data and replicas.",
            v.name(i),
            v.names(&targets)
        ),
    });
}

/// A scale-out server (a Hyper-V cluster or VMware estate) has its VMs
/// spread over several DPM servers, each VM backed up by one of them:
/// several protectors are how it is meant to be protected.
fn many_allowed(v: View, i: usize) -> bool {
    v.server(i).is_scale_out()
}

/// `chain-shortcut`: a protector of `i` (in `prots`, by name) that also
/// protects another of `i`'s protectors. Returns, per protector, whether it
/// is such a shortcut.
fn chain_shortcut(
    v: View,
    i: usize,
    prots: &[usize],
    out: &mut Vec<Finding>,
) -> SmallVec<[bool; 4]> {
    let mut shortcut: SmallVec<[bool; 4]> = SmallVec::from_elem(false, prots.len());
    if prots.len() < 2 || many_allowed(v, i) {
        return shortcut;
    }
    let name = v.name(i);
    for (k, &sp) in prots.iter().enumerate() {
        let mut via: Vec<usize> = prots
            .iter()
            .copied()
            .filter(|&p| p != sp && v.protects(sp, p))
            .collect();
        if via.is_empty() {
            continue;
        }
        shortcut[k] = true;
        v.by_name(&mut via);
        let sname = v.name(sp);
        out.push(Finding {
            rule: Rule::ChainShortcut,
            servers: std::iter::once(v.id(i))
                .chain(std::iter::once(v.id(sp)))
                .chain(via.iter().map(|&p| v.id(p)))
                .collect(),
            protections: vec![v.link(sp, i)],
            message: format!(
                "{sname} protects {name} directly, but {sname} already protects {vias}, which protect{s} {name}: the chain makes {vias} {name}'s protector, so {sname} cannot also protect {name} directly.",
                vias = v.names(&via),
                s = if via.len() == 1 { "s" } else { "" },
            ),
        });
    }
    shortcut
}

/// `protected-twice`: two or more of `i`'s protectors `prots` that are not
/// chain shortcuts (`shortcut`, per protector). DPM keeps the protection
/// made first (in `Topology::protections`) and refuses the others: the
/// finding names them, and lists them first among its protections (in name
/// order), the one it keeps last.
fn protected_twice(v: View, i: usize, prots: &[usize], shortcut: &[bool], out: &mut Vec<Finding>) {
    let remaining: SmallVec<[usize; 4]> = prots
        .iter()
        .zip(shortcut)
        .filter(|(_, &sc)| !sc)
        .map(|(&p, _)| p)
        .collect();
    if remaining.len() < 2 || many_allowed(v, i) {
        return;
    }
    // DPM keeps the one made first and refuses the others.
    let mut kept = remaining[0];
    for &p in &remaining[1..] {
        if v.made_at(p, i) < v.made_at(kept, i) {
            kept = p;
        }
    }
    let name = v.name(i);
    let mut refused = String::new();
    let mut protections = Vec::with_capacity(remaining.len());
    for &p in remaining.iter().filter(|&&p| p != kept) {
        if !refused.is_empty() {
            refused.push_str(" and ");
        }
        refused.push_str(v.name(p));
        refused.push_str(" → ");
        refused.push_str(name);
        protections.push(v.link(p, i));
    }
    protections.push(v.link(kept, i));
    let (made, stays) = if remaining.len() == 2 {
        ("second; ", ", made first, stays")
    } else {
        ("after ", ", which stays")
    };
    out.push(Finding {
        rule: Rule::ProtectedTwice,
        servers: std::iter::once(v.id(i))
            .chain(remaining.iter().map(|&p| v.id(p)))
            .collect(),
        protections,
        message: format!(
            "{name} is protected by {} servers ({}); a server can be protected by one DPM server only. DPM would refuse {refused}, made {made}{} → {name}{stays}.",
            remaining.len(),
            v.names(&remaining),
            v.name(kept),
        ),
    });
}

/// `unprotected`: no DPM server protects protected server `i`.
fn unprotected(v: View, i: usize, out: &mut Vec<Finding>) {
    out.push(Finding {
        rule: Rule::Unprotected,
        servers: vec![v.id(i)],
        protections: vec![],
        message: format!(
            "No DPM server protects {}, so its data has no backup.",
            v.name(i)
        ),
    });
}

/// `self-protection-breaks-chain`: DPM server `i` protects itself and is
/// protected by other DPM servers.
fn self_protection_breaks_chain(v: View, i: usize, prots: &Protectors, out: &mut Vec<Finding>) {
    let dpm_prots = &prots.dpm[..];
    if !prots.self_protected || dpm_prots.is_empty() {
        return;
    }
    let name = v.name(i);
    out.push(Finding {
        rule: Rule::SelfProtectionBreaksChain,
        servers: std::iter::once(v.id(i))
            .chain(dpm_prots.iter().map(|&p| v.id(p)))
            .collect(),
        protections: std::iter::once(v.link(i, i))
            .chain(dpm_prots.iter().map(|&p| v.link(p, i)))
            .collect(),
        message: format!(
            "{name} protects its own data, which breaks the chain: {} cannot protect {name} while it does.",
            v.names(dpm_prots)
        ),
    });
}

/// `vss-writer-stopped`: DPM server `i`, protected by `dpm_prots`, has its
/// SQL Server VSS Writer stopped.
fn vss_writer_stopped(v: View, i: usize, dpm_prots: &[usize], out: &mut Vec<Finding>) {
    if v.server(i).vss_writer != Some(crate::model::VssWriter::Stopped) || dpm_prots.is_empty() {
        return;
    }
    let name = v.name(i);
    out.push(Finding {
        rule: Rule::VssWriterStopped,
        servers: std::iter::once(v.id(i))
            .chain(dpm_prots.iter().map(|&p| v.id(p)))
            .collect(),
        protections: dpm_prots.iter().map(|&p| v.link(p, i)).collect(),
        message: format!(
            "The SQL Server VSS Writer service is stopped on {name}, so {} cannot protect {name}'s database: start the service on {name} first.",
            v.names(dpm_prots)
        ),
    });
}

/// `mabs-no-secondary`: DPM server `p` protects DPM server `i`, and one of
/// them is Azure Backup Server.
fn mabs_no_secondary(v: View, i: usize, p: usize, out: &mut Vec<Finding>) {
    if !v.server(p).is_mabs() && !v.server(i).is_mabs() {
        return;
    }
    let which: Vec<usize> = [p, i]
        .into_iter()
        .filter(|&x| v.server(x).is_mabs())
        .collect();
    out.push(Finding {
        rule: Rule::MabsNoSecondary,
        servers: vec![v.id(i), v.id(p)],
        protections: vec![v.link(p, i)],
        message: format!(
            "{} protects {}, but {} {} Azure Backup Server, which has no secondary protection.",
            v.name(p),
            v.name(i),
            v.names(&which),
            if which.len() == 1 { "is" } else { "are" }
        ),
    });
}

/// `same-site-secondary`: DPM server `i` and its protector `p` stand in
/// one site.
fn same_site_secondary(v: View, i: usize, p: usize, out: &mut Vec<Finding>) {
    let (Some(a), Some(b)) = (v.server(i).site(), v.server(p).site()) else {
        return;
    };
    if !same_name(a, b) {
        return;
    }
    let (name, pname) = (v.name(i), v.name(p));
    out.push(Finding {
        rule: Rule::SameSiteSecondary,
        servers: vec![v.id(i), v.id(p)],
        protections: vec![v.link(p, i)],
        message: format!(
            "{name} and its protector {pname} both stand in {a}: a failure of that site takes {name}'s data and its copy on {pname} together. A secondary offsite is the documented disaster-recovery design."
        ),
    });
}

/// As a primary: what the secondaries `dpm_prots` of DPM server `i` will
/// not hold of the servers `i` protects (`switched-no-secondary`,
/// `scale-out-no-secondary`, `not-copied-to-secondary`), target by target
/// in name order.
fn as_primary(v: View, i: usize, dpm_prots: &[usize], out: &mut Vec<Finding>) {
    if dpm_prots.is_empty() {
        return;
    }
    // Only the targets a finding is about, sorted by name.
    let mut targets: Vec<(usize, bool)> = v
        .targets(i)
        .filter(|&(x, switched)| {
            let xs = v.server(x);
            x != i
                && xs.kind == Kind::Protected
                && (switched
                    || xs.workloads().iter().any(|w| !w.reaches_secondary())
                    || scale_out_hyperv(xs))
        })
        .collect();
    crate::sort::sort_by(&mut targets, &|a, b| v.name_order(a.0, b.0));
    for (x, switched) in targets {
        if switched {
            switched_no_secondary(v, i, x, dpm_prots, out);
            continue;
        }
        scale_out_no_secondary(v, i, x, dpm_prots, out);
        not_copied_to_secondary(v, i, x, dpm_prots, out);
    }
}

/// A scale-out Hyper-V cluster: its VMs get no secondary protection.
fn scale_out_hyperv(s: &Server) -> bool {
    s.is_scale_out() && s.workloads().contains(&crate::model::Workload::Hyperv)
}

/// The servers of an as-primary finding: the target `x`, the primary `i`,
/// then its secondaries `dpm_prots`.
fn target_primary_secondaries(v: View, i: usize, x: usize, dpm_prots: &[usize]) -> Vec<ServerId> {
    std::iter::once(v.id(x))
        .chain(std::iter::once(v.id(i)))
        .chain(dpm_prots.iter().map(|&p| v.id(p)))
        .collect()
}

/// `switched-no-secondary`: `x` is in switched protection on primary `i`.
fn switched_no_secondary(v: View, i: usize, x: usize, dpm_prots: &[usize], out: &mut Vec<Finding>) {
    let (name, xname) = (v.name(i), v.name(x));
    out.push(Finding {
        rule: Rule::SwitchedNoSecondary,
        servers: target_primary_secondaries(v, i, x, dpm_prots),
        protections: vec![v.link(i, x)],
        message: format!(
            "{xname} is in switched protection on {name}, so {name}'s protector {} holds no copy of {xname}'s data: switched protection cannot have secondary protection.",
            v.names(dpm_prots)
        ),
    });
}

/// `scale-out-no-secondary`: `x`, protected by primary `i`, is a Hyper-V
/// cluster with scale-out protection.
fn scale_out_no_secondary(
    v: View,
    i: usize,
    x: usize,
    dpm_prots: &[usize],
    out: &mut Vec<Finding>,
) {
    if !scale_out_hyperv(v.server(x)) {
        return;
    }
    let (name, xname) = (v.name(i), v.name(x));
    out.push(Finding {
        rule: Rule::ScaleOutNoSecondary,
        servers: target_primary_secondaries(v, i, x, dpm_prots),
        protections: vec![v.link(i, x)],
        message: format!(
            "{xname} is a Hyper-V cluster with scale-out protection: the VMs {name} backs up stay on {name} only, because {name}'s protector {} cannot add secondary protection for scaled-out Hyper-V workloads.",
            v.names(dpm_prots)
        ),
    });
}

/// `not-copied-to-secondary`: workloads of `x`, protected by primary `i`,
/// that no secondary copies.
fn not_copied_to_secondary(
    v: View,
    i: usize,
    x: usize,
    dpm_prots: &[usize],
    out: &mut Vec<Finding>,
) {
    let kept: Vec<&str> = v
        .server(x)
        .workloads()
        .iter()
        .filter(|w| !w.reaches_secondary())
        .map(|w| w.phrase())
        .collect();
    if kept.is_empty() {
        return;
    }
    let (name, xname) = (v.name(i), v.name(x));
    out.push(Finding {
        rule: Rule::NotCopiedToSecondary,
        servers: target_primary_secondaries(v, i, x, dpm_prots),
        protections: vec![v.link(i, x)],
        message: format!(
            "{xname}'s {} stay on {name} only: {name}'s secondary {} cannot copy them, so they have one copy.",
            and_list(&kept),
            v.names(dpm_prots)
        ),
    });
}

/// `single-copy-dpm`: DPM server `i`, which nothing protects (not even
/// itself), protects others and has no copy of its database off the
/// server.
fn single_copy_dpm(v: View, i: usize, prots: &Protectors, out: &mut Vec<Finding>) {
    let s = v.server(i);
    if !prots.dpm.is_empty()
        || prots.self_protected
        || s.database_copied_off_server()
        || !v.targets(i).any(|(x, _)| x != i)
    {
        return;
    }
    let name = v.name(i);
    let local = s
        .database_backup()
        .contains(&crate::model::BackupMedium::LocalDisk);
    out.push(Finding {
        rule: Rule::SingleCopyDpm,
        servers: vec![v.id(i)],
        protections: vec![],
        message: if local {
            format!(
                "Nothing protects {name}'s database, and its only other copy is on a local disk of {name}, which fails with it: if {name} fails, its replicas have no copy elsewhere to rebuild it from."
            )
        } else {
            format!(
                "Nothing protects {name}'s database: if {name} fails, its replicas have no copy elsewhere to rebuild it from."
            )
        },
    });
}

/// `azure-protects-on-premises`: DPM server `i`, an Azure virtual machine,
/// protects servers not in Azure.
fn azure_protects_on_premises(v: View, i: usize, out: &mut Vec<Finding>) {
    if !v.server(i).is_azure() {
        return;
    }
    let mut on_premises: SmallVec<[usize; 4]> = v
        .targets(i)
        .map(|(x, _)| x)
        .filter(|&x| x != i && !v.server(x).is_azure())
        .collect();
    if on_premises.is_empty() {
        return;
    }
    v.by_name(&mut on_premises);
    out.push(Finding {
        rule: Rule::AzureProtectsOnPremises,
        servers: std::iter::once(v.id(i))
            .chain(on_premises.iter().map(|&x| v.id(x)))
            .collect(),
        protections: on_premises.iter().map(|&x| v.link(i, x)).collect(),
        message: format!(
            "{} is an Azure virtual machine, so it cannot protect {}, which {} not in Azure: DPM in Azure protects Azure virtual machines only.",
            v.name(i),
            v.names(&on_premises),
            if on_premises.len() == 1 { "is" } else { "are" }
        ),
    });
}

/// `dc-protects-others`: DPM server `i`, on a domain controller, protects
/// other servers.
fn dc_protects_others(v: View, i: usize, out: &mut Vec<Finding>) {
    if !v.server(i).is_domain_controller() {
        return;
    }
    let mut others: SmallVec<[usize; 4]> =
        v.targets(i).map(|(x, _)| x).filter(|&x| x != i).collect();
    if others.is_empty() {
        return;
    }
    v.by_name(&mut others);
    out.push(Finding {
        rule: Rule::DcProtectsOthers,
        servers: std::iter::once(v.id(i))
            .chain(others.iter().map(|&x| v.id(x)))
            .collect(),
        protections: others.iter().map(|&x| v.link(i, x)).collect(),
        message: format!(
            "{} is installed on a domain controller, where DPM protects only its own data sources, so it cannot protect {}.",
            v.name(i),
            v.names(&others)
        ),
    });
}

/// `host-protected-by-guest`: DPM server `i`, a virtual machine, protects
/// a host it runs on (directly or further down).
fn host_protected_by_guest(v: View, i: usize, out: &mut Vec<Finding>) {
    let s = v.server(i);
    let Some(direct) = s.host else {
        return;
    };
    let above: Vec<ServerId> = crate::estate::hosts_of(v.ix.t, s.id);
    let mut hosts: SmallVec<[usize; 2]> = v
        .targets(i)
        .map(|(x, _)| x)
        .filter(|&x| x != i && above.contains(&v.id(x)))
        .collect();
    if hosts.is_empty() {
        return;
    }
    v.by_name(&mut hosts);
    let name = v.name(i);
    out.push(Finding {
        rule: Rule::HostProtectedByGuest,
        servers: std::iter::once(v.id(i))
            .chain(hosts.iter().map(|&x| v.id(x)))
            .collect(),
        protections: hosts.iter().map(|&x| v.link(i, x)).collect(),
        message: format!(
            "{name} runs as a virtual machine on {} and protects {}, the host it runs on: when {} fails, {name} is down too, so the server that would restore it is gone.",
            v.ix.t.name(direct),
            v.names(&hosts),
            v.names(&hosts)
        ),
    });
}

/// `database-on-protected`: DPM server `i` protects the server its own
/// database is on.
fn database_on_protected(v: View, i: usize, out: &mut Vec<Finding>) {
    let Some(db) = v.server(i).database.and_then(|d| v.ix.pos(d)) else {
        return;
    };
    if db == i || !v.protects(i, db) {
        return;
    }
    let (name, dbname) = (v.name(i), v.name(db));
    out.push(Finding {
        rule: Rule::DatabaseOnProtected,
        servers: vec![v.id(i), v.id(db)],
        protections: vec![v.link(i, db)],
        message: format!(
            "{name}'s DPM database is on {dbname}, which {name} protects: the documented way to back up a remote DPM database, but that copy sits in {name}'s own storage: if {name} fails, the backup copy of its database is lost with it (the live database survives on {dbname})."
        ),
    });
}

#[cfg(test)]
mod tests {
    use crate::check::{check, Checker};
    use crate::model::{Kind, Link, Protection, Topology};
    use crate::rules::Rule;

    fn twice(t: &Topology) -> (String, Vec<String>) {
        let f = check(t)
            .into_iter()
            .find(|f| f.rule == Rule::ProtectedTwice)
            .expect("protected-twice");
        let links = f.protections.iter().map(|&l| arrow(t, l)).collect();
        (f.message, links)
    }

    fn arrow(t: &Topology, l: Link) -> String {
        format!("{}->{}", t.name(l.protector), t.name(l.target))
    }

    #[test]
    fn protected_twice_names_the_protection_made_second_as_the_one_refused() {
        // DS2 protected PS1 first, DS1 second: DPM refuses DS1's, though
        // its name comes first.
        let mut t = Topology::new();
        let d1 = t.add_server("DS1", Kind::Dpm);
        let d2 = t.add_server("DS2", Kind::Dpm);
        let ps = t.add_server("PS1", Kind::Protected);
        t.connect(Protection::new(d2, ps));
        t.connect(Protection::new(d1, ps));
        let (message, links) = twice(&t);
        assert_eq!(
            message,
            "PS1 is protected by 2 servers (DS1 and DS2); a server can be protected by one DPM server only. DPM would refuse DS1 → PS1, made second; DS2 → PS1, made first, stays."
        );
        assert_eq!(links, ["DS1->PS1", "DS2->PS1"], "the refused one first");

        // A third: both later ones are refused, in the order made.
        let d3 = t.add_server("DS3", Kind::Dpm);
        let (checker_says, _) = {
            let c = Checker::new(&t);
            let added = c.precheck(Protection::new(d3, ps));
            // The one being dragged is made last.
            let f = added
                .into_iter()
                .find(|f| f.rule == Rule::ProtectedTwice)
                .unwrap();
            (f.message, f.protections)
        };
        t.connect(Protection::new(d3, ps));
        let (message, links) = twice(&t);
        assert_eq!(checker_says, message);
        assert!(
            message.ends_with(
                "DPM would refuse DS1 → PS1 and DS3 → PS1, made after DS2 → PS1, which stays."
            ),
            "{message}"
        );
        assert_eq!(links, ["DS1->PS1", "DS3->PS1", "DS2->PS1"]);

        // The sentence behind it: on protection agents for a protected
        // server, on DPM servers for a DPM server.
        let f = crate::check::check(&t)
            .into_iter()
            .find(|f| f.rule == Rule::ProtectedTwice)
            .unwrap();
        assert!(f
            .source(&t)
            .text
            .contains("protecting data sources repeatedly"));
        t.connect(Protection::new(d1, d3));
        t.connect(Protection::new(d2, d3));
        let f = crate::check::check(&t)
            .into_iter()
            .find(|f| f.rule == Rule::ProtectedTwice && f.servers[0] == d3)
            .unwrap();
        assert!(f
            .source(&t)
            .text
            .starts_with("Each DPM server can only be protected once"));
    }
}
