//! Generated topologies of any size, shaped like real deployments: each
//! primary protects a handful of servers, each secondary a handful of
//! primaries, and a short chain above. Deterministic, for benchmarks and the
//! app's speed probes.

use crate::model::{Kind, Protection, ServerId, Topology, Workload};

/// Servers per primary, primaries per secondary, secondaries per tertiary.
const FAN: usize = 8;
const PRIMARIES_PER_SECONDARY: usize = 4;

/// A valid topology of about `n` servers (exactly `n` when `n` >= 1).
pub fn generate(n: usize) -> Topology {
    let mut t = Topology::new();
    t.title = Some(format!("Generated: {n} servers"));
    if n == 0 {
        return t;
    }
    // Split n into protected servers, primaries, secondaries and tertiaries.
    let mut primaries = (n / (FAN + 1)).max(1);
    let mut secondaries = primaries.div_ceil(PRIMARIES_PER_SECONDARY);
    let mut tertiaries = secondaries.div_ceil(PRIMARIES_PER_SECONDARY);
    while primaries + secondaries + tertiaries >= n && primaries > 1 {
        primaries -= 1;
        secondaries = primaries.div_ceil(PRIMARIES_PER_SECONDARY);
        tertiaries = secondaries.div_ceil(PRIMARIES_PER_SECONDARY);
    }
    if primaries + secondaries + tertiaries > n {
        secondaries = 0;
        tertiaries = 0;
    }
    let protected = n - primaries - secondaries - tertiaries;

    let mut dpm = 0;
    let mut add_dpm = |t: &mut Topology| {
        dpm += 1;
        t.add_server(format!("DS{dpm}"), Kind::Dpm)
    };
    let tiers: Vec<Vec<ServerId>> = [tertiaries, secondaries, primaries]
        .iter()
        .map(|&k| (0..k).map(|_| add_dpm(&mut t)).collect())
        .collect();
    let (top, mid, prim) = (&tiers[0], &tiers[1], &tiers[2]);
    // Each pair below is new, so the protections go in directly (connect
    // checks for repeats, which costs a scan each).
    let workloads = [
        Workload::Files,
        Workload::Sql,
        Workload::Exchange,
        Workload::Hyperv,
    ];
    for k in 0..protected {
        let id = t.add_server(format!("PS{}", k + 1), Kind::Protected);
        if let Some(s) = t.server_mut(id) {
            s.workloads = Some(vec![workloads[k % workloads.len()]]);
        }
        let p = prim[k % prim.len()];
        t.protections.push(Protection::new(p, id));
    }
    for (k, &p) in prim.iter().enumerate() {
        if let Some(&s) = mid.get(k / PRIMARIES_PER_SECONDARY) {
            t.protections.push(Protection::new(s, p));
        }
    }
    for (k, &s) in mid.iter().enumerate() {
        if let Some(&x) = top.get(k / PRIMARIES_PER_SECONDARY) {
            t.protections.push(Protection::new(x, s));
        }
    }
    t
}

/// Servers per site in [`generate_estate`].
const SITE_SIZE: usize = 500;

/// [`generate`] with the facts of real estates, for benchmarks: sites of
/// about 500 servers, every Hyper-V server a host of the next protected
/// server, every other primary's DPM database on the first server it
/// protects, the top of each chain copying its database to tape, and every
/// DPM server on DPM 2019 UR2 (as a release, a rollup, or a build number).
/// Valid: no error and no warning.
pub fn generate_estate(n: usize) -> Topology {
    let mut t = generate(n);
    t.title = Some(format!("Generated estate: {n} servers"));
    let ids: Vec<ServerId> = t.servers.iter().map(|s| s.id).collect();
    let mut first_target: crate::hash::HashMap<ServerId, ServerId> = Default::default();
    for p in &t.protections {
        first_target.entry(p.protector).or_insert(p.target);
    }
    let protected_by: crate::hash::HashSet<ServerId> =
        t.protections.iter().map(|p| p.target).collect();
    let mut host: Option<ServerId> = None;
    for (k, &id) in ids.iter().enumerate() {
        let db = first_target.get(&id).copied();
        let Some(s) = t.server_mut(id) else { continue };
        s.site = Some(format!("Site {}", k / SITE_SIZE + 1));
        match s.kind {
            Kind::Dpm => {
                s.version = Some(match k % 3 {
                    0 => crate::Version::Release(crate::model::DpmVersion::V2019),
                    1 => crate::Version::parse("10.19.379.0")
                        .unwrap_or(crate::Version::Release(crate::model::DpmVersion::V2019)),
                    _ => crate::Version::Release(crate::model::DpmVersion::V2019),
                });
                if k % 3 != 1 {
                    s.rollup = Some("UR2".into());
                }
                if !protected_by.contains(&id) {
                    s.database_backup = Some(vec![crate::BackupMedium::Tape]);
                } else if k % 2 == 0 {
                    s.database = db;
                }
            }
            Kind::Protected => {
                if let Some(h) = host.take() {
                    s.host = Some(h);
                } else if s.workloads().contains(&Workload::Hyperv) {
                    host = Some(id);
                }
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check, Severity};

    #[test]
    fn generated_estates_use_every_fact_and_have_no_errors() {
        for n in [10, 100, 2000] {
            let t = generate_estate(n);
            assert_eq!(t.servers.len(), n);
            let bad: Vec<_> = check(&t)
                .into_iter()
                .filter(|f| f.severity() != Severity::Info)
                .collect();
            assert!(bad.is_empty(), "{n}: {bad:?}");
            assert!(t.servers.iter().any(|s| s.host.is_some()), "{n}");
            assert!(t.servers.iter().any(|s| s.database.is_some()), "{n}");
            assert!(
                t.servers.iter().any(|s| s.database_copied_off_server()),
                "{n}"
            );
        }
    }

    #[test]
    fn generated_topologies_have_the_size_asked_and_no_errors() {
        for n in [1, 2, 5, 10, 100, 1000] {
            let t = generate(n);
            assert_eq!(t.servers.len(), n);
            let errors: Vec<_> = check(&t)
                .into_iter()
                .filter(|f| f.severity() != Severity::Info)
                .collect();
            assert!(errors.is_empty(), "{n}: {errors:?}");
        }
    }
}
