//! A generated estate of any size as the export script would write it,
//! one `dpm-inventory/1` file per DPM server: for benchmarks, probes and
//! tests of large imports.

use crate::json::write_string;

/// Files (name, text) of `dpm` DPM servers and about `rows` data source
/// rows in all: a fifth of the DPM servers are secondaries, each
/// protecting four primaries' databases; each primary protects servers of
/// four data sources each (files, system state, SQL, Hyper-V), some of
/// them switched to their primary's secondary. Every tenth site differs;
/// every twentieth primary has its database on a SQL Server of its own.
/// Deterministic.
pub fn generate(dpm: usize, rows: usize) -> Vec<(String, String)> {
    let dpm = dpm.max(1);
    let secondaries = dpm / 5;
    let primaries = dpm - secondaries;
    let for_primaries = rows.saturating_sub(secondaries * 4);
    let per_primary = (for_primaries / primaries.max(1)).max(4);
    let mut out = Vec::with_capacity(dpm);
    for p in 0..primaries {
        let mut ds = Vec::new();
        for s in 0..per_primary / 4 {
            let server = format!("PS{p}-{s}.corp.example");
            for (name, kind) in [
                ("D:\\", "Volume"),
                ("System Protection", "System Protection"),
                ("SQL\\Sales", "SQL Server database"),
                ("VM-APP", "Microsoft Hyper-V"),
            ] {
                ds.push(row(&server, name, kind, "ProtectFromPS", None, false));
            }
        }
        let db = (p % 20 == 19).then(|| format!("SQLDB{p}\\DPM"));
        out.push(file(&format!("DPM{p}"), p, db.as_deref(), &ds));
    }
    for s in 0..secondaries {
        let mut ds = Vec::new();
        for p in (0..primaries).filter(|p| p / 4 % secondaries == s) {
            let primary = format!("DPM{p}.corp.example");
            ds.push(row(
                &primary,
                "DPMDB",
                "SQL Server database",
                "ProtectFromPS",
                None,
                true,
            ));
            ds.push(row(
                &format!("PS{p}-0.corp.example"),
                "D:\\",
                "Volume",
                "ProtectFromDPM",
                Some(&format!("DPM{p}")),
                false,
            ));
            if p % 10 == 0 && per_primary >= 8 {
                // Switched: the secondary protects a server of the
                // primary directly, as Switch Protection leaves it.
                let server = format!("PS{p}-1.corp.example");
                ds.push(row(&server, "D:\\", "Volume", "ProtectFromPS", None, false));
            }
        }
        out.push(file(&format!("SEC{s}"), s, None, &ds));
    }
    out
}

fn row(
    server: &str,
    name: &str,
    kind: &str,
    protection: &str,
    source: Option<&str>,
    db: bool,
) -> String {
    let mut s = String::from("    { \"ProductionServerName\": ");
    write_string(&mut s, server);
    s.push_str(", \"Name\": ");
    write_string(&mut s, name);
    s.push_str(", \"ObjectType\": ");
    write_string(&mut s, kind);
    s.push_str(", \"ProtectionGroupName\": \"PG1\", \"ProtectionType\": ");
    write_string(&mut s, protection);
    s.push_str(", \"SourceDPMServer\": ");
    match source {
        Some(src) => write_string(&mut s, src),
        None => s.push_str("null"),
    }
    s.push_str(if db {
        ", \"IsDPMDatabase\": true, \"Protected\": true }"
    } else {
        ", \"IsDPMDatabase\": false, \"Protected\": true }"
    });
    s
}

fn file(name: &str, n: usize, db: Option<&str>, rows: &[String]) -> (String, String) {
    let mut s = String::from("{\n  \"format\": \"dpm-inventory/1\",\n  \"dpmServer\": ");
    write_string(&mut s, name);
    s.push_str(",\n  \"productName\": \"Microsoft System Center Data Protection Manager 2019\"");
    s.push_str(
        ",\n  \"productVersion\": \"10.19.458.0\",\n  \"msdpmFileVersion\": \"10.19.458.0\"",
    );
    s.push_str(",\n  \"sqlWriter\": \"Running\",\n  \"dbServer\": ");
    write_string(&mut s, db.unwrap_or(name));
    s.push_str(",\n  \"site\": ");
    write_string(&mut s, &format!("Site {}", n % 10));
    s.push_str(",\n  \"productionServers\": [],\n  \"datasources\": [\n");
    s.push_str(&rows.join(",\n"));
    s.push_str("\n  ]\n}\n");
    (format!("{name}.dpm-inventory.json"), s)
}
