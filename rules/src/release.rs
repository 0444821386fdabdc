//! DPM releases, build numbers and update rollups, and where a DPM database
//! is copied outside DPM protection.
//!
//! A server's `version` is a release name ("2019") or a build number
//! ("10.19.379.0"). A build names its release by its first two numbers and,
//! where the published build list has it, its update rollup too
//! ([`BUILDS`], from the System Center DPM documentation page "Release
//! build versions of DPM"). A build this list does not know is kept as
//! written and compared as a build.

use std::fmt;

use crate::model::DpmVersion;

/// A DPM build number, `major.minor.build.revision`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Build(pub [u32; 4]);

impl Build {
    /// Reads "10.19.379.0" (four numbers; three are read as revision 0).
    pub fn parse(s: &str) -> Option<Build> {
        let mut parts = [0u32; 4];
        let mut n = 0;
        for piece in s.trim().split('.') {
            if n == 4
                || piece.is_empty()
                || piece.len() > 9
                || !piece.bytes().all(|b| b.is_ascii_digit())
            {
                return None;
            }
            parts[n] = piece.parse().ok()?;
            n += 1;
        }
        (n >= 3).then_some(Build(parts))
    }

    /// The release whose builds start with these two numbers (`10.19` is
    /// DPM 2019); 1801 (5.1.363.0) and 1807 (5.1.378.0) share `5.1` and are
    /// told apart by the build.
    pub fn release(self) -> Option<DpmVersion> {
        if let Some(&(_, v, _)) = BUILDS.iter().find(|(b, _, _)| *b == self.0) {
            return Some(v);
        }
        let [major, minor, build, _] = self.0;
        Some(match (major, minor) {
            (3, 0) => DpmVersion::V2010,
            (4, 0) => DpmVersion::V2012,
            (4, 1) => DpmVersion::V2012Sp1,
            (4, 2) => DpmVersion::V2012R2,
            // 4.3 were the 2016 technical previews.
            (4, 3) | (5, 0) => DpmVersion::V2016,
            (5, 1) if build < 378 => DpmVersion::V1801,
            (5, 1) => DpmVersion::V1807,
            (10, 19) => DpmVersion::V2019,
            (10, 22) => DpmVersion::V2022,
            (10, 25) => DpmVersion::V2025,
            _ => return None,
        })
    }

    /// The update rollup this build belongs to, where the build list has it
    /// (a hotfix counts as the rollup it patches).
    pub fn rollup(self) -> Option<Rollup> {
        BUILDS
            .iter()
            .find(|(b, _, _)| *b == self.0)
            .map(|&(_, _, r)| Rollup(r))
    }

    /// Known to the published build list.
    pub fn is_listed(self) -> bool {
        BUILDS.iter().any(|(b, _, _)| *b == self.0)
    }
}

impl fmt::Display for Build {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.0;
        write!(f, "{a}.{b}.{c}.{d}")
    }
}

/// What a DPM server runs: a release, or a build number.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Version {
    Release(DpmVersion),
    Build(Build),
}

impl Version {
    /// A release name ("2012 R2") or a build number ("10.19.379.0").
    pub fn parse(s: &str) -> Option<Version> {
        DpmVersion::parse(s.trim())
            .map(Version::Release)
            .or_else(|| Build::parse(s).map(Version::Build))
    }

    /// The release, from the name or the build.
    pub fn release(&self) -> Option<DpmVersion> {
        match self {
            Version::Release(v) => Some(*v),
            Version::Build(b) => b.release(),
        }
    }

    /// The update rollup a build names (a release name names none).
    pub fn rollup(&self) -> Option<Rollup> {
        match self {
            Version::Release(_) => None,
            Version::Build(b) => b.rollup(),
        }
    }

    /// As written in files: "2019" or "10.19.379.0".
    pub fn as_string(&self) -> String {
        match self {
            Version::Release(v) => v.as_str().to_string(),
            Version::Build(b) => b.to_string(),
        }
    }

    /// For people: "DPM 2019", "DPM 2019 UR2 (build 10.19.379.0)",
    /// "build 10.30.1.0".
    pub fn label(&self) -> String {
        match self {
            Version::Release(v) => format!("DPM {}", v.as_str()),
            Version::Build(b) => match (b.release(), b.rollup()) {
                (Some(v), Some(r)) => format!("DPM {} {} (build {b})", v.as_str(), r),
                (Some(v), None) => format!("DPM {} (build {b})", v.as_str()),
                _ => format!("build {b}"),
            },
        }
    }
}

impl From<DpmVersion> for Version {
    fn from(v: DpmVersion) -> Version {
        Version::Release(v)
    }
}

/// An update rollup, by number; 0 is the release itself (RTM).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rollup(pub u32);

impl Rollup {
    /// Normalises the ways people write a rollup: `UR2`, `Update Rollup 2`,
    /// `ur 2`, `UR-2` and `2` are rollup 2; `RTM`, `none` and `UR0` are 0.
    /// `None` for text that names no rollup.
    pub fn parse(s: &str) -> Option<Rollup> {
        // Without allocating: the rules compare rollups inside every
        // pre-check of a drag.
        let t = s.trim();
        let is = |word: &str| t.eq_ignore_ascii_case(word);
        if is("rtm") || is("none") || is("no rollup") || is("no update rollup") {
            return Some(Rollup(0));
        }
        let rest = ["update rollup", "rollup", "ur"]
            .iter()
            .find_map(|p| {
                t.get(..p.len())
                    .filter(|head| head.eq_ignore_ascii_case(p))
                    .map(|_| &t[p.len()..])
            })
            .unwrap_or(t);
        let digits = rest.trim_start_matches([' ', '-', '_', '#']).trim();
        if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.parse().ok().map(Rollup)
    }
}

impl fmt::Display for Rollup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            f.write_str("RTM")
        } else {
            write!(f, "UR{}", self.0)
        }
    }
}

/// Two rollups as written: the same rollup once normalised, or, for text
/// that names none, the same text case and spaces aside.
pub fn same_rollup(a: &str, b: &str) -> bool {
    match (Rollup::parse(a), Rollup::parse(b)) {
        (Some(x), Some(y)) => x == y,
        (None, None) => a.trim().eq_ignore_ascii_case(b.trim()),
        _ => false,
    }
}

/// Where a DPM database is copied outside DPM protection.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BackupMedium {
    Tape,
    Azure,
    /// A network share or another machine's disk.
    Share,
    /// A disk of the DPM server itself: it fails with the server.
    LocalDisk,
}

impl BackupMedium {
    pub const ALL: [BackupMedium; 4] = [
        BackupMedium::Tape,
        BackupMedium::Azure,
        BackupMedium::Share,
        BackupMedium::LocalDisk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BackupMedium::Tape => "tape",
            BackupMedium::Azure => "azure",
            BackupMedium::Share => "share",
            BackupMedium::LocalDisk => "local-disk",
        }
    }

    /// For people: "tape", "Azure", "a network share", "a local disk".
    pub fn label(self) -> &'static str {
        match self {
            BackupMedium::Tape => "tape",
            BackupMedium::Azure => "Azure",
            BackupMedium::Share => "a network share",
            BackupMedium::LocalDisk => "a local disk",
        }
    }

    pub fn parse(s: &str) -> Option<BackupMedium> {
        BackupMedium::ALL.into_iter().find(|m| m.as_str() == s)
    }

    /// A copy that survives the DPM server's failure.
    pub fn off_server(self) -> bool {
        self != BackupMedium::LocalDisk
    }
}

/// The published DPM builds: build number, release, update rollup (0 for
/// the release itself; a hotfix is listed under the rollup it patches).
///
/// Sources: System Center DPM documentation, "Release build versions of
/// DPM" (learn.microsoft.com/system-center/dpm/release-build-versions, the
/// 2016, 2019, 2022 and 2025 tables, and its 2021 revision for 1801 and
/// 1807; the page lists no UR3 for 2016, and no build for 2025 UR1 yet;
/// 5.0.661.0 is "Update Rollup 10 Hotfix", 10.22.197.0 "Update Rollup 2
/// Refresh"), and the support article "System Center Data Protection
/// Manager agent installation fails with error 319" for the first builds
/// of 2010, 2012, 2012 SP1 and 2012 R2.
pub const BUILDS: &[([u32; 4], DpmVersion, u32)] = &[
    ([3, 0, 7696, 0], DpmVersion::V2010, 0),
    ([4, 0, 1908, 0], DpmVersion::V2012, 0),
    ([4, 1, 3313, 0], DpmVersion::V2012Sp1, 0),
    ([4, 2, 1205, 0], DpmVersion::V2012R2, 0),
    ([5, 0, 158, 0], DpmVersion::V2016, 0),
    ([5, 0, 247, 0], DpmVersion::V2016, 1),
    ([5, 0, 322, 0], DpmVersion::V2016, 2),
    ([5, 0, 342, 0], DpmVersion::V2016, 4),
    ([5, 0, 361, 0], DpmVersion::V2016, 5),
    ([5, 0, 375, 0], DpmVersion::V2016, 6),
    ([5, 0, 409, 0], DpmVersion::V2016, 7),
    ([5, 0, 457, 0], DpmVersion::V2016, 8),
    ([5, 0, 525, 0], DpmVersion::V2016, 9),
    ([5, 0, 622, 0], DpmVersion::V2016, 10),
    ([5, 0, 661, 0], DpmVersion::V2016, 10),
    ([5, 1, 363, 0], DpmVersion::V1801, 0),
    ([5, 1, 378, 0], DpmVersion::V1807, 0),
    ([10, 19, 58, 0], DpmVersion::V2019, 0),
    ([10, 19, 260, 0], DpmVersion::V2019, 1),
    ([10, 19, 379, 0], DpmVersion::V2019, 2),
    ([10, 19, 458, 0], DpmVersion::V2019, 3),
    ([10, 19, 577, 0], DpmVersion::V2019, 4),
    ([10, 19, 677, 0], DpmVersion::V2019, 5),
    ([10, 19, 861, 0], DpmVersion::V2019, 6),
    ([10, 22, 123, 0], DpmVersion::V2022, 0),
    ([10, 22, 148, 0], DpmVersion::V2022, 1),
    ([10, 22, 189, 0], DpmVersion::V2022, 2),
    ([10, 22, 197, 0], DpmVersion::V2022, 2),
    ([10, 25, 25, 0], DpmVersion::V2025, 0),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rollups_written_four_ways_are_one() {
        for s in ["UR2", "Update Rollup 2", "ur 2", "2", " UR-2 "] {
            assert_eq!(Rollup::parse(s), Some(Rollup(2)), "{s}");
        }
        for s in ["RTM", "none", "UR0", "0"] {
            assert_eq!(Rollup::parse(s), Some(Rollup(0)), "{s}");
        }
        assert_eq!(Rollup::parse("latest"), None);
        assert!(same_rollup("latest", " LATEST"));
        assert!(!same_rollup("UR2", "UR3"));
    }

    #[test]
    fn builds_name_their_release() {
        let b = Build::parse("10.19.379.0").unwrap();
        assert_eq!(b.release(), Some(DpmVersion::V2019));
        assert_eq!(
            Build::parse("10.22.1.0").unwrap().release(),
            Some(DpmVersion::V2022)
        );
        assert_eq!(Build::parse("9.9.9.9").unwrap().release(), None);
        assert_eq!(Build::parse("10.19"), None);
        assert_eq!(Build::parse("10.19.x.0"), None);
        assert_eq!(Build::parse("1.2.3.4.5"), None);
        assert_eq!(
            Version::parse("2012 SP1"),
            Some(Version::Release(DpmVersion::V2012Sp1))
        );
        assert_eq!(
            Version::parse("10.19.379.0")
                .map(|v| v.as_string())
                .as_deref(),
            Some("10.19.379.0")
        );
    }
}
