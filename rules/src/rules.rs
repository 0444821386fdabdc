//! The rules: their ids, severities, and the documentation behind each.

use std::fmt;

/// How bad a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    /// DPM does not support it.
    Error,
    /// Supported, but something is lost or undocumented.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Every rule, in the order findings are listed within a severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Rule {
    DuplicateName,
    ProtectorNotDpm,
    ProtectedTwice,
    ChainShortcut,
    SelfProtectionBreaksChain,
    VssWriterStopped,
    VersionMismatch,
    MabsNoSecondary,
    AzureProtectsOnPremises,
    DcProtectsOthers,
    NotCopiedToSecondary,
    ScaleOutNoSecondary,
    SwitchedNoSecondary,
    HostProtectedByGuest,
    LongCycle,
    SingleCopyDpm,
    DatabaseOnProtected,
    SameSiteSecondary,
    Unprotected,
}

/// Where a rule comes from: the document, and the sentence in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    /// "Back up DPM using a secondary server", "Setting up DPM Chaining",
    /// "Later DPM documentation" or "DPM Sketch" (for the app's own advice).
    pub document: &'static str,
    pub text: &'static str,
}

const SECONDARY_DOC: &str = "Back up DPM using a secondary server";
const CHAINING_DOC: &str = "Setting up DPM Chaining";
/// System Center DPM docs, "What's supported and what isn't for DPM?"
/// (learn.microsoft.com/system-center/dpm/dpm-support-issues).
const SUPPORT_DOC: &str = "What's supported and what isn't for DPM";
/// System Center DPM docs, "Back up and restore DPM servers"
/// (learn.microsoft.com/system-center/dpm/back-up-the-dpm-server).
const BACKUP_DPM_DOC: &str = "Back up and restore DPM servers";
/// System Center DPM docs, "Back up VMware VMs"
/// (learn.microsoft.com/system-center/dpm/back-up-vmware).
const VMWARE_DOC: &str = "Back up VMware VMs with DPM";
/// Azure Backup docs, "Support matrix for backup with Microsoft Azure
/// Backup Server or System Center DPM"
/// (learn.microsoft.com/azure/backup/backup-support-matrix-mabs-dpm).
const MABS_MATRIX_DOC: &str = "Support matrix for backup with Azure Backup Server or DPM";

impl Rule {
    pub const ALL: [Rule; 19] = [
        Rule::DuplicateName,
        Rule::ProtectorNotDpm,
        Rule::ProtectedTwice,
        Rule::ChainShortcut,
        Rule::SelfProtectionBreaksChain,
        Rule::VssWriterStopped,
        Rule::VersionMismatch,
        Rule::MabsNoSecondary,
        Rule::AzureProtectsOnPremises,
        Rule::DcProtectsOthers,
        Rule::NotCopiedToSecondary,
        Rule::ScaleOutNoSecondary,
        Rule::SwitchedNoSecondary,
        Rule::HostProtectedByGuest,
        Rule::LongCycle,
        Rule::SingleCopyDpm,
        Rule::DatabaseOnProtected,
        Rule::SameSiteSecondary,
        Rule::Unprotected,
    ];

    /// The stable id (`protected-twice`).
    pub fn id(self) -> &'static str {
        match self {
            Rule::DuplicateName => "duplicate-name",
            Rule::ProtectorNotDpm => "protector-not-dpm",
            Rule::ProtectedTwice => "protected-twice",
            Rule::ChainShortcut => "chain-shortcut",
            Rule::SelfProtectionBreaksChain => "self-protection-breaks-chain",
            Rule::VssWriterStopped => "vss-writer-stopped",
            Rule::VersionMismatch => "version-mismatch",
            Rule::MabsNoSecondary => "mabs-no-secondary",
            Rule::AzureProtectsOnPremises => "azure-protects-on-premises",
            Rule::DcProtectsOthers => "dc-protects-others",
            Rule::NotCopiedToSecondary => "not-copied-to-secondary",
            Rule::ScaleOutNoSecondary => "scale-out-no-secondary",
            Rule::HostProtectedByGuest => "host-protected-by-guest",
            Rule::DatabaseOnProtected => "database-on-protected",
            Rule::SameSiteSecondary => "same-site-secondary",
            Rule::SwitchedNoSecondary => "switched-no-secondary",
            Rule::LongCycle => "long-cycle",
            Rule::SingleCopyDpm => "single-copy-dpm",
            Rule::Unprotected => "unprotected",
        }
    }

    pub fn from_id(id: &str) -> Option<Rule> {
        Rule::ALL.into_iter().find(|r| r.id() == id)
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::DuplicateName
            | Rule::ProtectorNotDpm
            | Rule::ProtectedTwice
            | Rule::ChainShortcut
            | Rule::SelfProtectionBreaksChain
            | Rule::VssWriterStopped
            | Rule::VersionMismatch
            | Rule::MabsNoSecondary
            | Rule::AzureProtectsOnPremises
            | Rule::DcProtectsOthers => Severity::Error,
            Rule::NotCopiedToSecondary
            | Rule::ScaleOutNoSecondary
            | Rule::SwitchedNoSecondary
            | Rule::HostProtectedByGuest
            | Rule::LongCycle => Severity::Warning,
            Rule::SingleCopyDpm
            | Rule::DatabaseOnProtected
            | Rule::SameSiteSecondary
            | Rule::Unprotected => Severity::Info,
        }
    }

    /// A short title for lists ("Protected twice").
    pub fn title(self) -> &'static str {
        match self {
            Rule::DuplicateName => "Duplicate name",
            Rule::ProtectorNotDpm => "Only DPM servers protect",
            Rule::ProtectedTwice => "Protected twice",
            Rule::ChainShortcut => "Chain shortcut",
            Rule::SelfProtectionBreaksChain => "Self-protection breaks the chain",
            Rule::VssWriterStopped => "SQL Server VSS Writer stopped",
            Rule::VersionMismatch => "Version mismatch",
            Rule::MabsNoSecondary => "Azure Backup Server has no secondary",
            Rule::AzureProtectsOnPremises => "Azure DPM protects on-premises servers",
            Rule::DcProtectsOthers => "DPM on a domain controller protects others",
            Rule::NotCopiedToSecondary => "Not copied to the secondary",
            Rule::ScaleOutNoSecondary => "Scale-out VMs get no secondary",
            Rule::HostProtectedByGuest => "Host protected by its own guest",
            Rule::DatabaseOnProtected => "DPM database on a server it protects",
            Rule::SameSiteSecondary => "Secondary in the same site",
            Rule::SwitchedNoSecondary => "Switched protection gets no secondary",
            Rule::LongCycle => "Cycle of three or more",
            Rule::SingleCopyDpm => "DPM database has no copy",
            Rule::Unprotected => "Unprotected",
        }
    }

    /// The documentation sentence the rule rests on.
    pub fn source(self) -> Source {
        let (document, text) = match self {
            Rule::DuplicateName => (
                "DPM Sketch",
                "A server is identified by its name, and Windows host names are compared ignoring case, so two servers cannot share one.",
            ),
            Rule::ProtectorNotDpm => (
                SECONDARY_DOC,
                "Data and replicas on a DPM server can be backed up and protected by another DPM server in any of the following configurations.",
            ),
            Rule::ProtectedTwice => (
                SECONDARY_DOC,
                "Each DPM server can only be protected once in the chain so verify they're not protected by more than one server.",
            ),
            Rule::ChainShortcut => (
                SECONDARY_DOC,
                "Primary and secondary servers are established by the chain, so in our example above, although DPM3 is actually protecting DPM1 because it's acting as the secondary server for DPM2, it can't act directly as a secondary server for DPM1.",
            ),
            Rule::SelfProtectionBreaksChain => (
                SECONDARY_DOC,
                "If a DPM server is configured to protect its own data source the chain will be broken. For example if DPM1 protects its own database or system state, DPM2 can't protect DPM1.",
            ),
            Rule::VssWriterStopped => (
                SECONDARY_DOC,
                "Before you can protect the database of a primary DPM server you need to start the SQL Server VSS Writer service on the primary server.",
            ),
            Rule::VersionMismatch => (
                BACKUP_DPM_DOC,
                "Major and minor versions of the Primary and Secondary DPM servers must match. In addition all DPM servers must be running the same version, updates etc.",
            ),
            Rule::MabsNoSecondary => (
                MABS_MATRIX_DOC,
                "You can back up a primary DPM server with a secondary DPM server. The secondary server will protect the primary server database and the data source replicas stored on the primary server. [...] MABS doesn't provide this functionality.",
            ),
            Rule::AzureProtectsOnPremises => (
                SUPPORT_DOC,
                "DPM running as an Azure virtual machine can't protect on-premises workloads.",
            ),
            Rule::DcProtectsOthers => (
                SUPPORT_DOC,
                "DPM on a domain controller can only protect local data sources. If you want to install the DPM protection agent on other computers to protect them, don't install DPM on a domain controller.",
            ),
            Rule::NotCopiedToSecondary => (
                VMWARE_DOC,
                "DPM can't protect VMware VMs to a secondary DPM server. (What's supported and what isn't for DPM: after a dedup file system is protected by a primary DPM server, it can't be protected to a secondary DPM server.)",
            ),
            Rule::ScaleOutNoSecondary => (
                SUPPORT_DOC,
                "When protecting a Hyper-V cluster using scaled-out DPM protection, you can't add secondary protection for the protected Hyper-V workloads.",
            ),
            Rule::HostProtectedByGuest => (
                "DPM Sketch",
                "No DPM page forbids it in one sentence; it follows from how DPM runs as a virtual machine (\"You can run DPM as a virtual machine (hosted on an on-premises Hyper-V host server), to back up on-premises data.\"): when the host fails, the DPM server that holds its backups fails with it, so the host can only be restored from a copy elsewhere.",
            ),
            Rule::DatabaseOnProtected => (
                BACKUP_DPM_DOC,
                "If the DPM SQL Server instance isn't running on the DPM server, install the DPM protection agent on the SQL Server computer before you can protect the DPM databases on that server.",
            ),
            Rule::SameSiteSecondary => (
                BACKUP_DPM_DOC,
                "Back up to a secondary DPM server: Provides a good disaster recovery solution if secondary DPM server is offsite.",
            ),
            Rule::SwitchedNoSecondary => (
                CHAINING_DOC,
                "Note that in this scenario you can't add secondary protection for Server1 on another DPM server when you're using switched protection mode.",
            ),
            Rule::LongCycle => (
                SECONDARY_DOC,
                "Cyclic protection—One DPM server is backed up by another DPM server, and vice versa. So that DPM1 protects DPM2, and likewise DPM2 protects DPM1. This is useful for small environments.",
            ),
            Rule::SingleCopyDpm => (
                SECONDARY_DOC,
                "The database and replicas stored on a primary DPM server can be backed up to a secondary DPM server. If the primary server fails the secondary server continues to back up protected workloads.",
            ),
            Rule::Unprotected => (
                "DPM Sketch",
                "A computer's data is backed up only once a DPM server protects it.",
            ),
        };
        Source { document, text }
    }

    /// The documentation sentence behind this rule's finding about a server
    /// of kind `about` (the server the finding is about). The same as
    /// [`Rule::source`] but for `protected-twice` about a protected
    /// computer, whose sentence is the one on protection agents ("Each DPM
    /// server can only be protected once" is about DPM servers): "In the
    /// DPM console of one DPM server, you cannot view the data sources that
    /// the DPM protection agent already protects. This feature prevents you
    /// from protecting data sources repeatedly." (Setting up DPM Chaining).
    pub fn source_for(self, about: crate::model::Kind) -> Source {
        match (self, about) {
            (Rule::ProtectedTwice, crate::model::Kind::Protected) => Source {
                document: CHAINING_DOC,
                text: "In the DPM console of one DPM server, you cannot view the data sources that the DPM protection agent already protects. This feature prevents you from protecting data sources repeatedly.",
            },
            _ => self.source(),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

/// `1234567` as "1,234,567": counts in sentences, grouped as the
/// documentation writes them.
///
/// ```
/// assert_eq!(dpm_rules::thousands(10000), "10,000");
/// assert_eq!(dpm_rules::thousands(999), "999");
/// ```
pub fn thousands(k: usize) -> String {
    let d = k.to_string();
    let mut out = String::new();
    for (i, c) in d.chars().enumerate() {
        if i > 0 && (d.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// "A", "A and B", "A, B and C".
pub fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_string(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter()
                .map(|s| s.as_ref())
                .collect::<Vec<_>>()
                .join(", "),
            last.as_ref()
        ),
    }
}
