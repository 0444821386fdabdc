//! The topology: servers and the protections between them.
//!
//! Servers carry a stable [`ServerId`] so that the app can key its lists and
//! keep a selection across renames; files never see ids, they name servers.

use std::cmp::Ordering;
use std::fmt;

pub use crate::release::{BackupMedium, Build, Rollup, Version};

/// A server's identity inside one [`Topology`]. Stable across renames and
/// moves; never reused after a deletion within the same topology.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ServerId(pub u32);

/// What a server is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A DPM server (or Azure Backup Server, see [`Server::mabs`]).
    Dpm,
    /// A computer whose data a DPM server protects.
    Protected,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dpm => "dpm",
            Kind::Protected => "protected",
        }
    }
}

/// The DPM releases the app knows, oldest first (the order of
/// [`DpmVersion::ALL`] is release order).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum DpmVersion {
    V2010,
    V2012,
    V2012Sp1,
    V2012R2,
    V2016,
    V1801,
    V1807,
    V2019,
    V2022,
    V2025,
}

impl DpmVersion {
    pub const ALL: [DpmVersion; 10] = [
        DpmVersion::V2010,
        DpmVersion::V2012,
        DpmVersion::V2012Sp1,
        DpmVersion::V2012R2,
        DpmVersion::V2016,
        DpmVersion::V1801,
        DpmVersion::V1807,
        DpmVersion::V2019,
        DpmVersion::V2022,
        DpmVersion::V2025,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DpmVersion::V2010 => "2010",
            DpmVersion::V2012 => "2012",
            DpmVersion::V2012Sp1 => "2012 SP1",
            DpmVersion::V2012R2 => "2012 R2",
            DpmVersion::V2016 => "2016",
            DpmVersion::V1801 => "1801",
            DpmVersion::V1807 => "1807",
            DpmVersion::V2019 => "2019",
            DpmVersion::V2022 => "2022",
            DpmVersion::V2025 => "2025",
        }
    }

    pub fn parse(s: &str) -> Option<DpmVersion> {
        DpmVersion::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// State of the SQL Server VSS Writer service on a DPM server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VssWriter {
    Running,
    Stopped,
}

impl VssWriter {
    pub fn as_str(self) -> &'static str {
        match self {
            VssWriter::Running => "running",
            VssWriter::Stopped => "stopped",
        }
    }
}

/// What a protected server runs; decides what a secondary can copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Workload {
    Files,
    Sql,
    Exchange,
    Sharepoint,
    Hyperv,
    Vmware,
    DedupVolume,
    SystemState,
    Other,
}

impl Workload {
    pub const ALL: [Workload; 9] = [
        Workload::Files,
        Workload::Sql,
        Workload::Exchange,
        Workload::Sharepoint,
        Workload::Hyperv,
        Workload::Vmware,
        Workload::DedupVolume,
        Workload::SystemState,
        Workload::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Workload::Files => "files",
            Workload::Sql => "sql",
            Workload::Exchange => "exchange",
            Workload::Sharepoint => "sharepoint",
            Workload::Hyperv => "hyperv",
            Workload::Vmware => "vmware",
            Workload::DedupVolume => "dedup-volume",
            Workload::SystemState => "system-state",
            Workload::Other => "other",
        }
    }

    /// A label for people: "SQL Server", "VMware VMs".
    pub fn label(self) -> &'static str {
        match self {
            Workload::Files => "Files",
            Workload::Sql => "SQL Server",
            Workload::Exchange => "Exchange",
            Workload::Sharepoint => "SharePoint",
            Workload::Hyperv => "Hyper-V",
            Workload::Vmware => "VMware VMs",
            Workload::DedupVolume => "Deduplicated volumes",
            Workload::SystemState => "System state",
            Workload::Other => "Other",
        }
    }

    /// The label inside a sentence: "VMware VMs", "deduplicated volumes".
    pub fn phrase(self) -> &'static str {
        match self {
            Workload::DedupVolume => "deduplicated volumes",
            Workload::SystemState => "system state",
            Workload::Other => "other data",
            Workload::Files => "files",
            w => w.label(),
        }
    }

    pub fn parse(s: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.as_str() == s)
    }

    /// Later DPM documentation: VMware VMs and deduplicated volumes can't be
    /// protected to a secondary, so they stay with their primary only.
    pub fn reaches_secondary(self) -> bool {
        !matches!(self, Workload::Vmware | Workload::DedupVolume)
    }
}

/// A position on the canvas, in canvas units.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// One server and the facts that the rules read.
///
/// Facts that a file states explicitly are kept as stated (`mabs: false`
/// stays `Some(false)`) so that reading and writing a file gives the same
/// document.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    pub id: ServerId,
    pub name: String,
    pub kind: Kind,
    /// DPM server: the release or build number it runs.
    pub version: Option<Version>,
    pub rollup: Option<String>,
    pub mabs: Option<bool>,
    pub vss_writer: Option<VssWriter>,
    pub workloads: Option<Vec<Workload>>,
    pub pos: Option<Point>,
    /// The server this one runs on as a virtual machine (a Hyper-V host or
    /// cluster): when it fails, this one fails with it.
    pub host: Option<ServerId>,
    /// Where the server stands ("London", "DR site"); servers of one site
    /// can fail together. Free text, compared ignoring case.
    pub site: Option<String>,
    /// An Azure virtual machine.
    pub azure: Option<bool>,
    /// DPM server: the server that holds its database (DPMDB on a remote
    /// SQL Server instance); `None` when the database is on the DPM server.
    pub database: Option<ServerId>,
    /// DPM server: where its database is also copied outside DPM protection.
    pub database_backup: Option<Vec<BackupMedium>>,
    /// DPM server: installed on a domain controller.
    pub domain_controller: Option<bool>,
    /// Protected server: a Hyper-V cluster or VMware estate whose virtual
    /// machines are spread over several DPM servers (scale-out protection).
    pub scale_out: Option<bool>,
    /// Protected server: the Exchange DAG or SQL Server Availability Group
    /// it belongs to; members of one set hold copies of the same databases.
    pub replica_set: Option<String>,
}

impl Server {
    pub fn new(id: ServerId, name: impl Into<String>, kind: Kind) -> Server {
        Server {
            id,
            name: name.into(),
            kind,
            version: None,
            rollup: None,
            mabs: None,
            vss_writer: None,
            workloads: None,
            pos: None,
            host: None,
            site: None,
            azure: None,
            database: None,
            database_backup: None,
            domain_controller: None,
            scale_out: None,
            replica_set: None,
        }
    }

    pub fn is_dpm(&self) -> bool {
        self.kind == Kind::Dpm
    }

    /// Azure Backup Server.
    pub fn is_mabs(&self) -> bool {
        self.mabs == Some(true)
    }

    pub fn workloads(&self) -> &[Workload] {
        self.workloads.as_deref().unwrap_or(&[])
    }

    /// An Azure virtual machine.
    pub fn is_azure(&self) -> bool {
        self.azure == Some(true)
    }

    /// DPM installed on a domain controller.
    pub fn is_domain_controller(&self) -> bool {
        self.domain_controller == Some(true)
    }

    /// A scale-out protected server (its VMs spread over several DPM servers).
    pub fn is_scale_out(&self) -> bool {
        self.kind == Kind::Protected && self.scale_out == Some(true)
    }

    /// Where the DPM database is copied outside DPM protection.
    pub fn database_backup(&self) -> &[BackupMedium] {
        self.database_backup.as_deref().unwrap_or(&[])
    }

    /// The database has a copy that survives this server's failure (tape,
    /// Azure or a share; a local disk fails with the server).
    pub fn database_copied_off_server(&self) -> bool {
        self.database_backup().iter().any(|m| m.off_server())
    }

    /// The site, trimmed; `None` when absent or blank.
    pub fn site(&self) -> Option<&str> {
        self.site
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The replica set, trimmed; `None` when absent or blank.
    pub fn replica_set(&self) -> Option<&str> {
        self.replica_set
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// The release this server runs, from its version or build number.
    pub fn release(&self) -> Option<DpmVersion> {
        self.version.as_ref().and_then(Version::release)
    }

    /// The update rollup, from the build number where the build list has it,
    /// else from the `rollup` fact (normalised: `UR2`, `Update Rollup 2`,
    /// `ur 2` and `2` are one rollup).
    pub fn update_rollup(&self) -> Option<Rollup> {
        self.version
            .as_ref()
            .and_then(Version::rollup)
            .or_else(|| self.rollup.as_deref().and_then(Rollup::parse))
    }

    /// Drops the facts that do not apply to the server's kind, as the app
    /// does when a user changes a server's kind.
    pub fn drop_facts_of_other_kind(&mut self) {
        match self.kind {
            Kind::Dpm => {
                self.workloads = None;
                self.scale_out = None;
                self.replica_set = None;
            }
            Kind::Protected => {
                self.version = None;
                self.rollup = None;
                self.mabs = None;
                self.vss_writer = None;
                self.database = None;
                self.database_backup = None;
                self.domain_controller = None;
            }
        }
    }
}

/// `protector` protects `target`. See [`Protection::switched`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Protection {
    pub protector: ServerId,
    pub target: ServerId,
    /// Protection that a secondary took over with Switch Protection after the
    /// primary failed. Only meaningful from a DPM server to a protected server.
    pub switched: bool,
}

impl Protection {
    pub fn new(protector: ServerId, target: ServerId) -> Protection {
        Protection {
            protector,
            target,
            switched: false,
        }
    }

    pub fn link(&self) -> Link {
        Link {
            protector: self.protector,
            target: self.target,
        }
    }
}

/// A protection's endpoints, which identify it (a topology holds at most one
/// protection per ordered pair).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Link {
    pub protector: ServerId,
    pub target: ServerId,
}

/// Why a name was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameError {
    Empty,
    TooLong {
        max: usize,
    },
    ControlCharacter,
    /// A bidirectional control (U+202E ...), which reorders the text
    /// around the name wherever it is shown.
    BidiControl,
    /// Nothing visible: only spaces and zero-width characters.
    Invisible,
    Taken {
        by: String,
    },
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => write!(f, "a server needs a name"),
            NameError::TooLong { max } => write!(f, "a name has at most {max} characters"),
            NameError::ControlCharacter => {
                write!(f, "a name cannot hold line breaks, tabs or other control characters")
            }
            NameError::BidiControl => write!(
                f,
                "a name cannot hold right-to-left or left-to-right override characters (such as U+202E): they make the text around the name read in another order"
            ),
            NameError::Invisible => write!(
                f,
                "a name needs a visible character: zero-width characters and spaces alone show nothing"
            ),
            NameError::Taken { by } => write!(
                f,
                "\"{by}\" already has that name (names are compared ignoring case, as Windows host names are, and spaces at the ends and how accents are encoded)"
            ),
        }
    }
}

/// The longest name the app accepts. Windows host names are shorter, but
/// people label servers ("DPM1 London").
pub const MAX_NAME_CHARS: usize = 64;

/// Checks a name's form (not its uniqueness).
pub fn validate_name_form(name: &str) -> Result<(), NameError> {
    if name.trim().is_empty() {
        return Err(NameError::Empty);
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(NameError::TooLong {
            max: MAX_NAME_CHARS,
        });
    }
    if name.chars().any(char::is_control) {
        return Err(NameError::ControlCharacter);
    }
    if name.chars().any(is_bidi_control) {
        return Err(NameError::BidiControl);
    }
    if name.chars().all(|c| c.is_whitespace() || is_zero_width(c)) {
        return Err(NameError::Invisible);
    }
    Ok(())
}

/// Unicode's bidirectional formatting characters: embeddings, overrides,
/// isolates and marks (UAX #9).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

/// Characters that show nothing: zero-width space, joiners, word joiner
/// and the invisible operators, the byte-order mark, the soft hyphen, the
/// Hangul fillers, the Mongolian vowel separator, variation selectors and
/// tag characters (Unicode's default-ignorable code points that fonts draw
/// as nothing).
fn is_zero_width(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}'
            | '\u{115F}'
            | '\u{1160}'
            | '\u{180E}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'..='\u{2064}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{E0000}'..='\u{E007F}'
    )
}

/// Names compare as Windows host names do, case aside, and as people see
/// them: spaces at the ends aside (`"DPM1 "` is `"DPM1"`), characters that
/// show nothing aside (`"DPM1\u{200B}"` is `"DPM1"`), and in Unicode's
/// composed form, so `café` typed with a precomposed `é` and with `e` plus
/// a combining accent are one name (canonical equivalence, UAX #15).
///
/// Character by character after that (no context rules such as a
/// word-final sigma), so that it agrees with [`fold_case`], which keys the
/// maps of names.
pub fn same_name(a: &str, b: &str) -> bool {
    Sought::new(b).is(a)
}

/// ASCII `s` without white space at either end: what `str::trim` gives
/// (in ASCII, Unicode's White_Space is the space and U+0009 to U+000D),
/// byte by byte instead of character by character. Names are compared
/// against every server's in a search, and a trim decoding characters
/// was most of a rename's check at 10,000 servers.
pub(crate) fn trim_ascii_space(s: &str) -> &str {
    let space = |b: &u8| matches!(b, b' ' | b'\t'..=b'\r');
    let bytes = s.as_bytes();
    let start = bytes.iter().position(|b| !space(b)).unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !space(b))
        .map_or(start, |i| i + 1);
    // (ASCII: every byte boundary is a character boundary.)
    s.get(start..end).unwrap_or("")
}

/// The number `n` for which `name` is the same name ([`same_name`]) as
/// the stem (folded, [`fold_case`]) followed by `n` written as Rust writes
/// it (no sign, no leading zero); None if there is none. An ASCII name is
/// read in place, with no fold made.
fn number_after(name: &str, stem: &str) -> Option<u64> {
    let read = |f: &str| -> Option<u64> {
        let digits = f.get(stem.len()..)?;
        let head = f.get(..stem.len())?;
        let plain = !digits.is_empty()
            && digits.bytes().all(|b| b.is_ascii_digit())
            && (digits == "0" || !digits.starts_with('0'));
        (plain && head.eq_ignore_ascii_case(stem))
            .then(|| digits.parse().ok())
            .flatten()
    };
    if name.is_ascii() && stem.is_ascii() {
        // (`fold_case` of ASCII: trimmed, lower case; the stem is lower.)
        read(trim_ascii_space(name))
    } else {
        let f = fold_case(name);
        read(&f).filter(|_| f.get(..stem.len()) == Some(stem))
    }
}

/// A name to find among many, compared as [`same_name`] says: its trimmed
/// form taken once, not once per name it is compared with.
struct Sought<'a> {
    name: &'a str,
    /// The trimmed name, when it is ASCII.
    ascii: Option<&'a str>,
}

impl<'a> Sought<'a> {
    fn new(name: &'a str) -> Sought<'a> {
        Sought {
            name,
            ascii: name.is_ascii().then(|| trim_ascii_space(name)),
        }
    }

    /// Whether `other` is the same name ([`same_name`]): two ASCII names
    /// compared trimmed, byte by byte, case aside; any other by their
    /// folds ([`fold_case`]).
    fn is(&self, other: &str) -> bool {
        match self.ascii {
            Some(a) if other.is_ascii() => trim_ascii_space(other).eq_ignore_ascii_case(a),
            _ => fold_case(other) == fold_case(self.name),
        }
    }

    /// [`Sought::is`] for a name sought too (its trimmed form taken once).
    fn same(&self, other: &Sought) -> bool {
        match (self.ascii, other.ascii) {
            (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
            _ => fold_case(other.name) == fold_case(self.name),
        }
    }
}

/// A name as [`same_name`] compares it: composed (NFC), without the
/// characters that show nothing, trimmed, lower case. Two names are the
/// same name exactly when their folds are equal.
pub fn fold_case(name: &str) -> String {
    if name.is_ascii() {
        return name.trim().to_ascii_lowercase();
    }
    let shown: String = nfc(name).chars().filter(|&c| !is_zero_width(c)).collect();
    let mut folded = String::with_capacity(shown.len());
    for c in shown.trim().chars() {
        push_lower(&mut folded, c);
    }
    folded
}

/// Pushes `c` in lower case, as `char::to_lowercase` gives it: one
/// character at a time, with no context rule (no word-final sigma).
///
/// Natively from Rust's case tables; in the browser from the engine's own
/// `String.prototype.toLowerCase` on that one character (which has no
/// context, so no context rule applies either), so the wasm does not carry
/// a second copy of the tables (about 4.5 KB gzip). Both follow Unicode's
/// case mapping, as [`nfc`] does for composition.
pub(crate) fn push_lower(out: &mut String, c: char) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    #[cfg(not(target_arch = "wasm32"))]
    out.extend(c.to_lowercase());
    #[cfg(target_arch = "wasm32")]
    out.push_str(&String::from(js_sys::JsString::from(c).to_lower_case()));
}

/// Orders two characters by their lower case ([`push_lower`]).
fn lower_cmp(a: char, b: char) -> Ordering {
    #[cfg(not(target_arch = "wasm32"))]
    {
        a.to_lowercase().cmp(b.to_lowercase())
    }
    // UTF-8 keeps the order of code points, so comparing the strings
    // compares their characters in order, as the iterators above do.
    #[cfg(target_arch = "wasm32")]
    {
        let (mut x, mut y) = (String::new(), String::new());
        push_lower(&mut x, a);
        push_lower(&mut y, b);
        x.cmp(&y)
    }
}

/// `s` in Unicode Normalization Form C (composed), borrowed when it is
/// already (every ASCII text is).
///
/// Natively from the tables of `unicode-normalization`; in the browser from
/// `String.prototype.normalize("NFC")`, the engine's own tables, so the
/// wasm does not carry a second copy (about 25 KB gzip). Both follow
/// Unicode's normalization algorithm, so the CLI and the app agree.
pub fn nfc(s: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if s.is_ascii() {
        return Cow::Borrowed(s);
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};
        if is_nfc_quick(s.chars()) == IsNormalized::Yes {
            Cow::Borrowed(s)
        } else {
            Cow::Owned(s.nfc().collect())
        }
    }
    #[cfg(target_arch = "wasm32")]
    {
        match js_sys::JsString::from(s).normalize("NFC").as_string() {
            Some(n) if n != s => Cow::Owned(n),
            _ => Cow::Borrowed(s),
        }
    }
}

/// Orders names as people read them: "DS2" before "DS10", case aside
/// (case only breaks ties).
pub fn natural_cmp(a: &str, b: &str) -> Ordering {
    natural_cmp_by(a, b, true).then_with(|| natural_cmp_by(a, b, false))
}

fn natural_cmp_by(a: &str, b: &str, fold: bool) -> Ordering {
    // Allocation-free: this runs inside every sort of findings and names.
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if a[i].is_ascii_digit() && b[j].is_ascii_digit() {
            let (si, sj) = (i, j);
            while i < a.len() && a[i].is_ascii_digit() {
                i += 1;
            }
            while j < b.len() && b[j].is_ascii_digit() {
                j += 1;
            }
            let (na, nb) = (&a[si..i], &b[sj..j]);
            let ta = trim_zeros(na);
            let tb = trim_zeros(nb);
            let ord = ta
                .len()
                .cmp(&tb.len())
                .then_with(|| ta.cmp(tb))
                .then_with(|| na.len().cmp(&nb.len()));
            if ord != Ordering::Equal {
                return ord;
            }
            continue;
        }
        if a[i].is_ascii() && b[j].is_ascii() {
            let (x, y) = if fold {
                (a[i].to_ascii_lowercase(), b[j].to_ascii_lowercase())
            } else {
                (a[i], b[j])
            };
            if x != y {
                return x.cmp(&y);
            }
            i += 1;
            j += 1;
            continue;
        }
        // A non-ASCII character on either side: compare whole characters.
        let ca = char_at(a, i);
        let cb = char_at(b, j);
        let ord = if fold { lower_cmp(ca, cb) } else { ca.cmp(&cb) };
        if ord != Ordering::Equal {
            return ord;
        }
        i += ca.len_utf8();
        j += cb.len_utf8();
    }
    (a.len() - i).cmp(&(b.len() - j))
}

fn trim_zeros(d: &[u8]) -> &[u8] {
    let k = d.iter().take_while(|&&c| c == b'0').count();
    &d[k..]
}

/// The character starting at byte `i` of valid UTF-8 (`i` is always at a
/// character boundary here).
fn char_at(s: &[u8], i: usize) -> char {
    std::str::from_utf8(&s[i..])
        .ok()
        .and_then(|t| t.chars().next())
        .unwrap_or('\u{fffd}')
}

/// A DPM protection topology.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Topology {
    pub title: Option<String>,
    pub servers: Vec<Server>,
    pub protections: Vec<Protection>,
    next_id: u32,
}

impl Topology {
    pub fn new() -> Topology {
        Topology::default()
    }

    /// Adds a server with the given name and kind, without checking the name.
    pub fn add_server(&mut self, name: impl Into<String>, kind: Kind) -> ServerId {
        let id = ServerId(self.next_id);
        self.next_id += 1;
        self.servers.push(Server::new(id, name, kind));
        id
    }

    /// Adds a copy of `server` under a fresh id, which it returns.
    pub fn insert_server(&mut self, mut server: Server) -> ServerId {
        let id = ServerId(self.next_id);
        self.next_id += 1;
        server.id = id;
        self.servers.push(server);
        id
    }

    /// The id the next added server will get.
    pub fn next_id(&self) -> ServerId {
        ServerId(self.next_id)
    }

    /// Sets the number the next added server's id gets; returns the one it
    /// replaces (a patch takes a drawing back to the ids it had).
    pub(crate) fn set_next_id(&mut self, next: u32) -> u32 {
        std::mem::replace(&mut self.next_id, next)
    }

    /// Where server `id` is in `servers`.
    ///
    /// Servers are added with rising ids and removal keeps the order, so the
    /// list is normally sorted by id: try the slot the id names, then a
    /// binary search, and only then a scan (for a list someone reordered).
    pub fn position(&self, id: ServerId) -> Option<usize> {
        let direct = id.0 as usize;
        if self.servers.get(direct).is_some_and(|s| s.id == id) {
            return Some(direct);
        }
        if let Ok(i) = self.servers.binary_search_by_key(&id, |s| s.id) {
            return Some(i);
        }
        self.servers.iter().position(|s| s.id == id)
    }

    /// Positions by id (`u32::MAX`: none), for finding many servers by id
    /// with [`Topology::position_by`]: one array, when the ids are unique
    /// and no larger than a few times the servers' count (what the editor
    /// and files make); empty otherwise. After a delete, the servers past
    /// it no longer stand at their id, and [`Topology::position`] searches
    /// for each (3.5 ms of a check at 10,000 servers in wasm).
    pub(crate) fn positions_by_id(&self) -> Vec<u32> {
        self.positions_by_id_and(&mut |_| ())
    }

    /// [`Topology::positions_by_id`], calling `each` with every server, in
    /// their order, in its one pass over the servers that reads more than
    /// their ids: that pass reads what else a caller needs of each record.
    pub(crate) fn positions_by_id_and(&self, each: &mut dyn FnMut(&Server)) -> Vec<u32> {
        let n = self.servers.len();
        let most = self
            .servers
            .iter()
            .map(|s| s.id.0 as usize)
            .max()
            .unwrap_or(0);
        let mut by_id = vec![u32::MAX; if most > 4 * n + 1024 { 0 } else { most + 1 }];
        let mut possible = !by_id.is_empty();
        for (i, s) in self.servers.iter().enumerate() {
            each(s);
            if possible {
                let slot = &mut by_id[s.id.0 as usize];
                possible = *slot == u32::MAX;
                *slot = i as u32;
            }
        }
        if !possible {
            by_id.clear();
        }
        by_id
    }

    /// The position of `id`, as [`Topology::position`] gives it, by
    /// `by_id` ([`Topology::positions_by_id`] of this drawing).
    pub(crate) fn position_by(&self, by_id: &[u32], id: ServerId) -> Option<usize> {
        match by_id.get(id.0 as usize) {
            Some(&i) => (i != u32::MAX).then_some(i as usize),
            None if by_id.is_empty() => self.position(id),
            None => None,
        }
    }

    pub fn server(&self, id: ServerId) -> Option<&Server> {
        self.position(id).map(|i| &self.servers[i])
    }

    pub fn server_mut(&mut self, id: ServerId) -> Option<&mut Server> {
        self.position(id).map(|i| &mut self.servers[i])
    }

    /// The name of a server, or "?" for an id that is not here.
    pub fn name(&self, id: ServerId) -> &str {
        self.server(id).map_or("?", |s| s.name.as_str())
    }

    /// Whether `other` is the same drawing in what it says: the same
    /// servers by name with the same facts (a host or database server by
    /// its name), and the same protections, whatever the ids, the order,
    /// the places on the canvas or the title. A preset opened and laid out
    /// is the same drawing as the preset (the presenter shows it once).
    pub fn same_content(&self, other: &Topology) -> bool {
        // A server of `self` named as `other` names it: Some(None) when
        // `other` has no server of that name.
        let peer = |id: Option<ServerId>| id.map(|id| other.find(self.name(id)));
        let same_server = |a: &Server| {
            let Some(b) = other.find(&a.name).and_then(|id| other.server(id)) else {
                return false;
            };
            if peer(a.host) != b.host.map(Some) || peer(a.database) != b.database.map(Some) {
                return false;
            }
            let mut x = a.clone();
            (x.id, x.pos, x.host, x.database) = (b.id, b.pos, b.host, b.database);
            x.name.clone_from(&b.name);
            x == *b
        };
        let same_protection = |p: &Protection| match (peer(Some(p.protector)), peer(Some(p.target)))
        {
            (Some(Some(a)), Some(Some(b))) => other
                .protection(Link {
                    protector: a,
                    target: b,
                })
                .is_some_and(|q| q.switched == p.switched),
            _ => false,
        };
        self.servers.len() == other.servers.len()
            && self.protections.len() == other.protections.len()
            && self.servers.iter().all(same_server)
            && self.protections.iter().all(same_protection)
    }

    /// Finds a server by name, ignoring case. With duplicate names, the first.
    pub fn find(&self, name: &str) -> Option<ServerId> {
        let name = Sought::new(name);
        self.servers.iter().find(|s| name.is(&s.name)).map(|s| s.id)
    }

    /// Finds each of `names` as [`Topology::find`] does, in one walk over
    /// the drawing (each server's name read once, not once per name), which
    /// stops once every name is found: `None` for a name no server has.
    /// (Asking whether a drawing is the "Moving protected servers" setup
    /// took five walks, some milliseconds of each edit at 10,000 servers.)
    pub fn find_each<const N: usize>(&self, names: [&str; N]) -> [Option<ServerId>; N] {
        let sought = names.map(Sought::new);
        let mut found = [None; N];
        let mut left = N;
        for s in &self.servers {
            if left == 0 {
                break;
            }
            let name = Sought::new(&s.name);
            for (at, n) in found.iter_mut().zip(&sought) {
                if at.is_none() && n.same(&name) {
                    *at = Some(s.id);
                    left -= 1;
                }
            }
        }
        found
    }

    /// Removes a server and every protection that names it.
    pub fn remove_server(&mut self, id: ServerId) -> Option<Server> {
        let at = self.position(id)?;
        self.protections
            .retain(|p| p.protector != id && p.target != id);
        let gone = self.servers.remove(at);
        self.forget_references(&[id]);
        Some(gone)
    }

    /// Clears every `host` and `database` that names one of `gone` (servers
    /// being removed), so no fact names a server that is not there.
    pub fn forget_references(&mut self, gone: &[ServerId]) {
        for s in &mut self.servers {
            if s.host.is_some_and(|h| gone.contains(&h)) {
                s.host = None;
            }
            if s.database.is_some_and(|d| gone.contains(&d)) {
                s.database = None;
            }
        }
    }

    pub fn protection(&self, link: Link) -> Option<&Protection> {
        self.protections.iter().find(|p| p.link() == link)
    }

    pub fn protection_mut(&mut self, link: Link) -> Option<&mut Protection> {
        self.protections.iter_mut().find(|p| p.link() == link)
    }

    /// Adds a protection. Returns false, changing nothing, when either server
    /// is missing or the protection is already there.
    pub fn connect(&mut self, protection: Protection) -> bool {
        if self.server(protection.protector).is_none()
            || self.server(protection.target).is_none()
            || self.protection(protection.link()).is_some()
        {
            return false;
        }
        self.protections.push(protection);
        true
    }

    pub fn disconnect(&mut self, link: Link) -> Option<Protection> {
        let at = self.protections.iter().position(|p| p.link() == link)?;
        Some(self.protections.remove(at))
    }

    /// Checks that `name` may be given to server `id` (or to a new server
    /// when `id` is `None`).
    pub fn check_name(&self, id: Option<ServerId>, name: &str) -> Result<(), NameError> {
        validate_name_form(name)?;
        let sought = Sought::new(name);
        if let Some(other) = self
            .servers
            .iter()
            .find(|s| Some(s.id) != id && sought.is(&s.name))
        {
            return Err(NameError::Taken {
                by: other.name.clone(),
            });
        }
        Ok(())
    }

    /// Renames a server after checking the name. Surrounding spaces are trimmed.
    pub fn rename(&mut self, id: ServerId, name: &str) -> Result<(), NameError> {
        let name = name.trim();
        self.check_name(Some(id), name)?;
        if let Some(s) = self.server_mut(id) {
            s.name = name.to_string();
        }
        Ok(())
    }

    /// A name not yet used, in the app's pattern: `DS5` for DPM servers,
    /// `PS9` for protected servers (one more than the highest number in use).
    pub fn fresh_name(&self, kind: Kind) -> String {
        let prefix = match kind {
            Kind::Dpm => "DS",
            Kind::Protected => "PS",
        };
        self.fresh_name_like(prefix)
    }

    /// `prefix` followed by one more than the highest number that follows
    /// `prefix` in any name here ("DPM" with DPM1..DPM3 gives "DPM4"), or
    /// the first number after that which no name here is ([`same_name`]:
    /// "ds5 " is DS5). The highest is u64's largest at most; past it, the
    /// count goes on from 1 (a name of that number in use). One pass over
    /// the servers.
    pub fn fresh_name_like(&self, prefix: &str) -> String {
        // (The prefix trimmed once, not once per server: a failover plan
        // asks at every failed DPM server of an estate of thousands.)
        let sought = Sought::new(prefix);
        // What `prefix` followed by a number folds to, without the number:
        // a name is "prefix{n}" exactly when its fold is this and n's digits.
        let stem = {
            let mut f = fold_case(&format!("{prefix}0"));
            f.pop();
            f
        };
        let mut highest = 0u64;
        let mut taken: crate::hash::HashSet<u64> = crate::hash::HashSet::default();
        for s in &self.servers {
            let head = s.name.get(..prefix.len());
            if let Some(n) = head
                .filter(|h| sought.is(h))
                .and_then(|_| s.name[prefix.len()..].parse::<u64>().ok())
            {
                highest = highest.max(n);
            }
            if let Some(n) = number_after(&s.name, &stem) {
                taken.insert(n);
            }
        }
        let mut n = highest.saturating_add(1);
        // Ends: `taken` holds no more numbers than there are servers.
        while taken.contains(&n) {
            n = n.checked_add(1).unwrap_or(1);
        }
        format!("{prefix}{n}")
    }

    /// Servers whose name holds `query`, case aside: those that start with
    /// it first, each group in natural name order. "Find" in a large estate.
    ///
    /// ```
    /// let t = dpm_rules::presets::scenario_1();
    /// let names: Vec<&str> = t.search("s1").iter().map(|&id| t.name(id)).collect();
    /// assert_eq!(names, ["DS1", "PS1"]);
    /// let names: Vec<&str> = t.search("ps").iter().map(|&id| t.name(id)).collect();
    /// assert_eq!(names, ["PS1", "PS2", "PS3", "PS4"]);
    /// ```
    pub fn search(&self, query: &str) -> Vec<ServerId> {
        let q = fold_case(query.trim());
        if q.is_empty() {
            return Vec::new();
        }
        let (mut first, mut then) = (Vec::new(), Vec::new());
        for s in &self.servers {
            let name = fold_case(&s.name);
            // A plain scan: names are short, and it keeps `str::find`'s
            // searcher out of the app's wasm.
            match name
                .as_bytes()
                .windows(q.len())
                .position(|w| w == q.as_bytes())
            {
                Some(0) => first.push(s.id),
                Some(_) => then.push(s.id),
                None => {}
            }
        }
        self.sort_by_name(&mut first);
        self.sort_by_name(&mut then);
        first.extend(then);
        first
    }

    /// Servers in natural name order.
    pub fn sorted_ids(&self) -> Vec<ServerId> {
        let mut ids: Vec<ServerId> = self.servers.iter().map(|s| s.id).collect();
        self.sort_by_name(&mut ids);
        ids
    }

    /// The DPM servers' ids, sorted by name as [`Topology::sorted_ids`]
    /// sorts them: picked first, so that only they are sorted (an estate of
    /// 10,000 servers has some 1,000).
    pub fn sorted_dpm_ids(&self) -> Vec<ServerId> {
        let mut ids: Vec<ServerId> = self
            .servers
            .iter()
            .filter(|s| s.kind == Kind::Dpm)
            .map(|s| s.id)
            .collect();
        self.sort_by_name(&mut ids);
        ids
    }

    /// Sorts server ids by name, as people read them (ids break ties).
    pub fn sort_by_name(&self, ids: &mut [ServerId]) {
        let by_name =
            |a: ServerId, b: ServerId| natural_cmp(self.name(a), self.name(b)).then(a.cmp(&b));
        if ids.len() <= 8 {
            // A few (a data source's holders, sorted for each of 10,000):
            // in place, with nothing allocated.
            for i in 1..ids.len() {
                let mut j = i;
                while j > 0 && by_name(ids[j - 1], ids[j]).is_gt() {
                    ids.swap(j - 1, j);
                    j -= 1;
                }
            }
            return;
        }
        // Each name looked up once, into a list the comparisons read in
        // place: looking both up in every comparison went to two servers'
        // records far apart in memory (sorting 10,000 names in the browser
        // took 2-4 ms, a good part of opening the Risk view).
        let keyed: Vec<(&str, ServerId)> = ids.iter().map(|&id| (self.name(id), id)).collect();
        let mut order: Vec<usize> = (0..keyed.len()).collect();
        crate::sort::sort_indices(&mut order, &|a, b| {
            let ((na, ia), (nb, ib)) = (keyed[a], keyed[b]);
            natural_cmp(na, nb).then(ia.cmp(&ib))
        });
        for (slot, i) in ids.iter_mut().zip(order) {
            *slot = keyed[i].1;
        }
    }

    /// The protectors of `id` (self-protection included).
    pub fn protectors_of(&self, id: ServerId) -> impl Iterator<Item = ServerId> + '_ {
        self.protections
            .iter()
            .filter(move |p| p.target == id)
            .map(|p| p.protector)
    }

    /// The servers `id` protects (itself included, when it protects itself).
    pub fn protected_by(&self, id: ServerId) -> impl Iterator<Item = ServerId> + '_ {
        self.protections
            .iter()
            .filter(move |p| p.protector == id)
            .map(|p| p.target)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn natural_order_reads_numbers_as_numbers() {
        let mut names = vec!["DS10", "ds2", "DS1", "PS1", "DS02", "Server1", "DPM3"];
        names.sort_by(|a, b| natural_cmp(a, b));
        assert_eq!(
            names,
            vec!["DPM3", "DS1", "ds2", "DS02", "DS10", "PS1", "Server1"]
        );
    }

    #[test]
    fn names_compare_ignoring_case() {
        assert!(same_name("DPM1", "dpm1"));
        assert!(same_name("ÄRGER-1", "ärger-1"));
        // A final capital sigma folds as any other: same name, same hash.
        assert!(same_name("ΟΔΟΣ", "οδοσ"));
        assert_eq!(fold_case("ΟΔΟΣ"), "οδοσ");
        assert!(!same_name("DPM1", "DPM10"));
    }

    #[test]
    fn fresh_names_follow_the_highest_number() {
        let mut t = Topology::new();
        t.add_server("DS1", Kind::Dpm);
        t.add_server("ds4", Kind::Dpm);
        t.add_server("PS8", Kind::Protected);
        assert_eq!(t.fresh_name(Kind::Dpm), "DS5");
        assert_eq!(t.fresh_name(Kind::Protected), "PS9");
        assert_eq!(t.fresh_name_like("DPM"), "DPM1");
    }

    #[test]
    fn fresh_names_past_the_largest_number_still_come() {
        // The highest number in use is u64's largest: one more does not
        // exist, and the name must still be one not in use (not a loop).
        let mut t = Topology::new();
        t.add_server("DS18446744073709551615", Kind::Dpm);
        t.add_server("DS1", Kind::Dpm);
        let fresh = t.fresh_name(Kind::Dpm);
        assert_eq!(fresh, "DS2");
        assert!(t.find(&fresh).is_none());
        // The largest number, written with a leading zero, is not the name
        // of that number: that name is free, and is the one.
        let mut t = Topology::new();
        t.add_server("DS018446744073709551615", Kind::Dpm);
        assert_eq!(t.fresh_name(Kind::Dpm), "DS18446744073709551615");
        // Names a fold away from a candidate are in use ("ds5 " is DS5),
        // names that are not (DS05) are not.
        let mut t = Topology::new();
        t.add_server("DS4", Kind::Dpm);
        t.servers
            .push(Server::new(ServerId(90), " ds5 ", Kind::Dpm));
        t.add_server("DS06", Kind::Dpm);
        assert_eq!(t.fresh_name(Kind::Dpm), "DS7");
        let mut t = Topology::new();
        t.add_server("DS4", Kind::Dpm);
        t.servers
            .push(Server::new(ServerId(90), "\u{200B}ds5", Kind::Dpm));
        assert_eq!(t.fresh_name(Kind::Dpm), "DS6");
    }

    #[test]
    fn names_that_deceive_are_refused() {
        assert_eq!(
            validate_name_form("\u{202E}1SD"),
            Err(NameError::BidiControl)
        );
        assert_eq!(
            validate_name_form("DS\u{2066}1"),
            Err(NameError::BidiControl)
        );
        assert_eq!(
            validate_name_form("\u{200B}\u{200D}"),
            Err(NameError::Invisible)
        );
        assert_eq!(validate_name_form(" \u{FEFF} "), Err(NameError::Invisible));
        // Joiners inside a visible name are part of how it is written.
        assert_eq!(validate_name_form("क्\u{200D}ष"), Ok(()));
        assert_eq!(validate_name_form("DPM1 London"), Ok(()));
    }

    #[test]
    fn names_that_look_the_same_are_the_same_name() {
        let mut t = Topology::new();
        t.add_server("Caf\u{e9}", Kind::Dpm); // é precomposed (NFC)
        let b = t.add_server("PS1", Kind::Protected);
        // e and a combining acute (NFD): the same name on screen.
        assert_eq!(
            t.rename(b, "cafe\u{301}"),
            Err(NameError::Taken {
                by: "Caf\u{e9}".into()
            })
        );
        assert_eq!(
            t.check_name(None, " CAF\u{c9} "),
            Err(NameError::Taken {
                by: "Caf\u{e9}".into()
            })
        );
        assert!(same_name("FS1", "  fs1 "));
        // The Kelvin sign is K once composed.
        assert!(same_name("\u{212a}1", "k1"));
        assert_eq!(fold_case("\u{212a}1"), fold_case("K1"));
        assert!(!same_name("cafe", "caf\u{e9}"), "an accent still counts");
        // What shows nothing does not make another name, nor a name.
        assert!(same_name("DPM1", "DPM\u{200b}1"));
        assert_eq!(fold_case("\u{feff} DPM1\u{ad}"), "dpm1");
        for invisible in ["\u{ad}", "\u{3164}\u{3164}", "\u{e0041}", "\u{2062}"] {
            assert_eq!(validate_name_form(invisible), Err(NameError::Invisible));
        }
        assert_eq!(t.find("CAFE\u{301}"), t.find("Caf\u{e9}"));
    }

    #[test]
    fn rename_refuses_empty_and_duplicate_names() {
        let mut t = Topology::new();
        let a = t.add_server("DS1", Kind::Dpm);
        t.add_server("DS2", Kind::Dpm);
        assert_eq!(t.rename(a, "  "), Err(NameError::Empty));
        assert_eq!(
            t.rename(a, "ds2"),
            Err(NameError::Taken { by: "DS2".into() })
        );
        assert_eq!(
            t.rename(a, "ds1"),
            Ok(()),
            "a server may change its own case"
        );
        assert_eq!(t.name(a), "ds1");
    }

    #[test]
    fn removing_a_server_removes_its_protections() {
        let mut t = Topology::new();
        let a = t.add_server("DS1", Kind::Dpm);
        let b = t.add_server("PS1", Kind::Protected);
        assert!(t.connect(Protection::new(a, b)));
        assert!(
            !t.connect(Protection::new(a, b)),
            "no duplicate protections"
        );
        t.remove_server(a);
        assert!(t.protections.is_empty());
        assert_eq!(
            t.add_server("DS1", Kind::Dpm),
            ServerId(2),
            "ids are not reused"
        );
    }

    #[test]
    fn same_content_ignores_ids_places_order_and_title_but_not_facts() {
        let preset = crate::presets::scenario_1();
        let mut laid = preset.clone();
        crate::apply_layout(&mut laid);
        laid.title = Some("Mine".into());
        assert!(laid.same_content(&preset), "laid out and retitled");
        // The same servers made in another order (other ids).
        let mut rebuilt = Topology::new();
        for s in preset.servers.iter().rev() {
            rebuilt.add_server(s.name.clone(), s.kind);
        }
        for p in &preset.protections {
            let (a, b) = (
                rebuilt.find(preset.name(p.protector)),
                rebuilt.find(preset.name(p.target)),
            );
            rebuilt.connect(Protection::new(a.unwrap(), b.unwrap()));
        }
        for s in &preset.servers {
            let id = rebuilt.find(&s.name).unwrap();
            let mut copy = s.clone();
            copy.id = id;
            copy.host = s.host.and_then(|h| rebuilt.find(preset.name(h)));
            copy.database = s.database.and_then(|d| rebuilt.find(preset.name(d)));
            *rebuilt.server_mut(id).unwrap() = copy;
        }
        assert!(rebuilt.same_content(&preset), "other ids, other order");
        let mut renamed = laid.clone();
        let ds1 = renamed.find("DS1").unwrap();
        renamed.rename(ds1, "DS9").unwrap();
        assert!(!renamed.same_content(&preset), "a renamed server");
        let mut unlinked = laid.clone();
        let l = unlinked.protections[0].link();
        unlinked.disconnect(l);
        assert!(!unlinked.same_content(&preset), "a protection less");
        let mut newer = laid;
        newer.server_mut(ds1).unwrap().mabs = Some(true);
        assert!(!newer.same_content(&preset), "a fact changed");
    }

    proptest::proptest! {
        /// Few or many, names alike or not, ids in any order: the order of
        /// a plain sort by natural name, then id.
        #[test]
        fn sort_by_name_is_natural_order_then_id(
            names in proptest::collection::vec("[aAbB]{0,2}[0-9]{0,3}(-x)?", 1..40),
            picks in proptest::collection::vec(0usize..60, 0..40),
        ) {
            let mut t = Topology::default();
            for (i, n) in names.iter().enumerate() {
                let mut s = Server::new(ServerId(i as u32 * 3 + 1), n.as_str(), Kind::Protected);
                s.pos = None;
                t.servers.push(s);
            }
            // Some ids not in the drawing ("?"), some twice.
            let mut ids: Vec<ServerId> = picks.iter().map(|&k| ServerId(k as u32)).collect();
            let mut want = ids.clone();
            want.sort_by(|a, b| natural_cmp(t.name(*a), t.name(*b)).then(a.cmp(b)));
            t.sort_by_name(&mut ids);
            proptest::prop_assert_eq!(ids, want);
        }
    }
}
