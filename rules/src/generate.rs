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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check, Severity};

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
