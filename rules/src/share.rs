//! Share links: a whole scenario in the fragment of a URL (`#s=...`), which
//! browsers never send to a server.
//!
//! The payload is a compact binary form of the scenario in base64url, about
//! a sixth of the scenario JSON (Scenario 1 of the seeds: title, 8 servers
//! with positions and 7 protections in 192 characters, where gzip and base64
//! of the JSON take about 390), so links fit in a chat message. What makes it small: counts and numbers as varints, each
//! name stored as the part it shares with the previous one plus the rest
//! (`DS1`, `DS2` cost two bytes each), facts as bits, protections as pairs
//! of server numbers, positions to 1/100 pixel as in the scenario file.
//! A general-purpose compressor would be both larger in the app and longer
//! in the link for inputs this small.
//!
//! The first byte is the version; the last four a CRC-32 of the rest, so a
//! link cut short or mistyped is refused with a message that says so, never
//! read as some other scenario. Everything read is checked as the scenario
//! file is (names, facts against kinds, positions, protections), and no
//! input makes the reader panic or allocate more than the link's size.
//!
//! ```
//! use dpm_rules::{from_share, presets, to_share};
//!
//! let t = presets::scenario_1();
//! let link = to_share(&t);
//! assert!(link.len() < 200);
//! assert_eq!(from_share(&link).unwrap().servers.len(), 8);
//! ```

use crate::model::{
    validate_name_form, BackupMedium, Build, DpmVersion, Kind, Point, Protection, Server, ServerId,
    Topology, Version, VssWriter, Workload,
};
use crate::scenario::{uses_version_2, InputError, MAX_COORD, MAX_LABEL_CHARS};

/// The version byte of links without the facts of real estates, which
/// older builds read too.
const VERSION: u8 = 1;
/// The version byte of links with the facts of real estates (`host`,
/// `site`, `database`, build numbers ...).
const VERSION_2: u8 = 2;

/// The releases a version 1 link numbers, in its order.
const V1_RELEASES: [DpmVersion; 6] = [
    DpmVersion::V2012,
    DpmVersion::V2012R2,
    DpmVersion::V2016,
    DpmVersion::V2019,
    DpmVersion::V2022,
    DpmVersion::V2025,
];

// Bits of a server's flags.
const DPM: u64 = 1;
const VERSION_SET: u64 = 1 << 1;
const ROLLUP: u64 = 1 << 2;
const MABS_SET: u64 = 1 << 3;
const MABS: u64 = 1 << 4;
const VSS_SET: u64 = 1 << 5;
const VSS_STOPPED: u64 = 1 << 6;
const WORKLOADS: u64 = 1 << 7;
const POS: u64 = 1 << 8;
const KNOWN: u64 = (1 << 9) - 1;
// Version 2 only.
const HOST: u64 = 1 << 9;
const SITE: u64 = 1 << 10;
const AZURE_SET: u64 = 1 << 11;
const AZURE: u64 = 1 << 12;
const DATABASE: u64 = 1 << 13;
const DB_BACKUP: u64 = 1 << 14;
const DC_SET: u64 = 1 << 15;
const DC: u64 = 1 << 16;
const SCALE_SET: u64 = 1 << 17;
const SCALE: u64 = 1 << 18;
const REPLICA_SET: u64 = 1 << 19;
/// The version is a build number (four varints), not a release's number.
const BUILD: u64 = 1 << 20;
const KNOWN_2: u64 = (1 << 21) - 1;

/// The payload of a share link for `t` (what follows `#s=`): version 1
/// when `t` uses no fact of real estates, so older builds open it.
pub fn to_share(t: &Topology) -> String {
    let v2 = needs_version_2(t);
    let mut b = vec![if v2 { VERSION_2 } else { VERSION }];
    b.extend(encode(t, v2));
    seal(b)
}

/// `t` has a fact that only version 2 of the binary form carries.
pub(crate) fn needs_version_2(t: &Topology) -> bool {
    t.servers.iter().any(uses_version_2)
}

/// The binary form of `t` (version 2 when `v2`), without version byte or
/// checksum: also the start of an exercise link.
pub(crate) fn encode(t: &Topology, v2: bool) -> Vec<u8> {
    let mut b = Vec::new();
    match &t.title {
        Some(title) => {
            varint(&mut b, 1);
            bytes(&mut b, title.as_bytes());
        }
        None => varint(&mut b, 0),
    }
    varint(&mut b, t.servers.len() as u64);
    let mut previous = "";
    for s in &t.servers {
        encode_server(&mut b, t, s, previous, v2);
        previous = &s.name;
    }
    varint(&mut b, t.protections.len() as u64);
    for p in &t.protections {
        let (Some(from), Some(to)) = (t.position(p.protector), t.position(p.target)) else {
            continue;
        };
        varint(&mut b, from as u64);
        varint(&mut b, ((to as u64) << 1) | u64::from(p.switched));
    }
    b
}

/// A server's flags: which facts follow, and the facts that are yes or no.
fn flags(s: &Server, v2: bool) -> u64 {
    let mut flags = 0;
    let facts = [
        (s.kind == Kind::Dpm, DPM),
        (s.version.is_some(), VERSION_SET),
        (s.rollup.is_some(), ROLLUP),
        (s.mabs.is_some(), MABS_SET),
        (s.mabs == Some(true), MABS),
        (s.vss_writer.is_some(), VSS_SET),
        (s.vss_writer == Some(VssWriter::Stopped), VSS_STOPPED),
        (s.workloads.is_some(), WORKLOADS),
        (s.pos.is_some(), POS),
        (v2 && s.host.is_some(), HOST),
        (v2 && s.site.is_some(), SITE),
        (v2 && s.azure.is_some(), AZURE_SET),
        (v2 && s.azure == Some(true), AZURE),
        (v2 && s.database.is_some(), DATABASE),
        (v2 && s.database_backup.is_some(), DB_BACKUP),
        (v2 && s.domain_controller.is_some(), DC_SET),
        (v2 && s.domain_controller == Some(true), DC),
        (v2 && s.scale_out.is_some(), SCALE_SET),
        (v2 && s.scale_out == Some(true), SCALE),
        (v2 && s.replica_set.is_some(), REPLICA_SET),
        (v2 && matches!(s.version, Some(Version::Build(_))), BUILD),
    ];
    for (on, bit) in facts {
        if on {
            flags |= bit;
        }
    }
    flags
}

/// One server: its flags, its name as the part it shares with the
/// `previous` server's plus the rest, then the facts its flags announce.
fn encode_server(b: &mut Vec<u8>, t: &Topology, s: &Server, previous: &str, v2: bool) {
    varint(b, flags(s, v2));
    let shared = shared_prefix(previous, &s.name);
    varint(b, shared as u64);
    bytes(b, &s.name.as_bytes()[shared..]);
    match s.version {
        Some(Version::Build(Build(parts))) if v2 => {
            for n in parts {
                varint(b, u64::from(n));
            }
        }
        Some(v) => {
            let release = v.release().unwrap_or(DpmVersion::V2019);
            let list: &[DpmVersion] = if v2 { &DpmVersion::ALL } else { &V1_RELEASES };
            b.push(list.iter().position(|&x| x == release).unwrap_or(0) as u8);
        }
        None => {}
    }
    if let Some(r) = &s.rollup {
        bytes(b, r.as_bytes());
    }
    if let Some(ws) = &s.workloads {
        varint(b, ws.len() as u64);
        for w in ws {
            b.push(Workload::ALL.iter().position(|x| x == w).unwrap_or(0) as u8);
        }
    }
    if let Some(p) = s.pos {
        varint(b, zigzag(hundredths(p.x)));
        varint(b, zigzag(hundredths(p.y)));
    }
    if v2 {
        let index = |id: ServerId| t.position(id).unwrap_or(0) as u64;
        if let Some(h) = s.host {
            varint(b, index(h));
        }
        if let Some(site) = &s.site {
            bytes(b, site.as_bytes());
        }
        if let Some(d) = s.database {
            varint(b, index(d));
        }
        if let Some(media) = &s.database_backup {
            varint(b, media.len() as u64);
            for m in media {
                b.push(BackupMedium::ALL.iter().position(|x| x == m).unwrap_or(0) as u8);
            }
        }
        if let Some(r) = &s.replica_set {
            bytes(b, r.as_bytes());
        }
    }
}

/// Reads what [`encode`] wrote, all of `b`; the error says what is wrong
/// in words that follow "this link ...".
pub(crate) fn decode(b: &[u8], v2: bool) -> Result<Topology, String> {
    read(&mut Reader { b, i: 0 }, v2).map_err(|e| match e {
        Short => "ends in the middle of the scenario".to_string(),
        Bad(m) => format!("does not hold a valid scenario: {m}"),
    })
}

/// A link payload from a body (version byte first): the CRC-32 appended,
/// then base64url. Public for the fuzz target, which feeds the reader
/// bodies that get past the checksum.
#[doc(hidden)]
pub fn seal(mut body: Vec<u8>) -> String {
    let crc = crc32(&body);
    body.extend_from_slice(&crc.to_le_bytes());
    base64url(&body)
}

/// Reads a share link's payload; also accepts the whole link or fragment
/// (`https://.../#s=...`, `#s=...`), as people paste what they have.
pub fn from_share(link: &str) -> Result<Topology, InputError> {
    let payload = payload_of(link);
    let b = from_base64url(payload)?;
    if b.len() < 5 {
        return Err(damaged("it is too short to hold a scenario"));
    }
    let (body, sum) = b.split_at(b.len() - 4);
    // The checksum first: text that is no link at all is damaged, not a
    // link of a newer version.
    if crc32(body).to_le_bytes() != sum {
        return Err(damaged("its checksum does not match"));
    }
    if body[0] != VERSION && body[0] != VERSION_2 {
        return Err(InputError::new(format!(
            "this share link was made by a newer or unknown version of DPM Sketch (link version {}); this build reads versions {VERSION} and {VERSION_2}",
            body[0]
        )));
    }
    let mut r = Reader { b: body, i: 1 };
    read(&mut r, body[0] == VERSION_2).map_err(|e| match e {
        Short => damaged("it ends in the middle of the scenario"),
        Bad(message) => InputError::new(format!(
            "this share link does not hold a valid scenario: {message}"
        )),
    })
}

/// True when `text` is a share link, its fragment or its payload behind
/// `s=`: what an import box should hand to [`from_share`].
pub fn looks_like_share_link(text: &str) -> bool {
    let t = text.trim();
    (t.contains("#s=") || t.starts_with("s="))
        && payload_of(t)
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_' || c == b'=')
}

fn payload_of(link: &str) -> &str {
    let link = link.trim();
    let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f);
    // The fragment may carry other flags (`s=...&theme=dark`, or an old
    // embed link's `view&s=...`); the payload is `s=`.
    fragment
        .split('&')
        .find_map(|part| part.strip_prefix("s="))
        .unwrap_or(fragment)
}

fn damaged(why: &str) -> InputError {
    InputError::new(format!(
        "this share link is damaged ({why}): was it copied whole? Ask for the link again, or for the scenario file"
    ))
}

enum Fault {
    /// The data ends early.
    Short,
    /// The data is whole but says something a scenario can't.
    Bad(String),
}
use Fault::{Bad, Short};

struct Reader<'a> {
    b: &'a [u8],
    i: usize,
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, Fault> {
        let c = *self.b.get(self.i).ok_or(Short)?;
        self.i += 1;
        Ok(c)
    }

    fn varint(&mut self) -> Result<u64, Fault> {
        let mut v: u64 = 0;
        for shift in (0..64).step_by(7) {
            let c = self.byte()?;
            v |= u64::from(c & 0x7f) << shift;
            if c & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(Bad("a number is too long".into()))
    }

    /// A count of things that take at least one byte each: never more than
    /// the bytes left, so a hostile count cannot make us allocate.
    fn count(&mut self) -> Result<usize, Fault> {
        let n = self.varint()?;
        if n > (self.b.len() - self.i) as u64 {
            return Err(Short);
        }
        Ok(n as usize)
    }

    fn bytes(&mut self) -> Result<&[u8], Fault> {
        let n = self.count()?;
        let s = &self.b[self.i..self.i + n];
        self.i += n;
        Ok(s)
    }

    fn text(&mut self, what: &str) -> Result<String, Fault> {
        let b = self.bytes()?;
        String::from_utf8(b.to_vec()).map_err(|_| Bad(format!("{what} is not text")))
    }
}

fn read(r: &mut Reader, v2: bool) -> Result<Topology, Fault> {
    let mut t = Topology::new();
    match r.varint()? {
        0 => {}
        1 => t.title = Some(r.text("the title")?),
        _ => return Err(Bad("unknown header".into())),
    }
    let n = r.count()?;
    if n > crate::MAX_SERVERS {
        return Err(Bad(format!(
            "it holds {n} servers; a drawing holds at most {}",
            crate::MAX_SERVERS
        )));
    }
    let mut previous = String::new();
    // Servers named by `host` and `database`, resolved once all are read.
    let mut refs: Vec<(usize, bool, u64)> = Vec::new();
    for i in 0..n {
        let s = read_server(r, v2, i, &previous, t.next_id(), &mut refs)?;
        previous = s.name.clone();
        t.insert_server(s);
    }
    for (i, host, k) in refs {
        // A u64 does not fit a usize on wasm32: refused, not truncated.
        let id = usize::try_from(k)
            .ok()
            .and_then(|k| t.servers.get(k))
            .map(|s| s.id)
            .filter(|&id| id != t.servers[i].id)
            .ok_or_else(|| {
                Bad(format!(
                    "{} names a server that is not there",
                    t.servers[i].name
                ))
            })?;
        if host {
            t.servers[i].host = Some(id);
        } else {
            t.servers[i].database = Some(id);
        }
    }
    if crate::estate::host_cycle(&t).is_some() {
        return Err(Bad("its hosts form a cycle".into()));
    }
    read_protections(r, &mut t)?;
    if r.i != r.b.len() {
        return Err(Bad("there is more data after the scenario".into()));
    }
    Ok(t)
}

/// Server `i` (counted from 0), given the id `id`: its flags, its name
/// (from the part it shares with the `previous` one), and the facts its
/// flags announce, checked against its kind. A `host` or `database` goes
/// to `refs` as (server, is host, index), to resolve once all are read.
fn read_server(
    r: &mut Reader,
    v2: bool,
    i: usize,
    previous: &str,
    id: ServerId,
    refs: &mut Vec<(usize, bool, u64)>,
) -> Result<Server, Fault> {
    let flags = r.varint()?;
    if flags & !(if v2 { KNOWN_2 } else { KNOWN }) != 0 {
        return Err(Bad(format!(
            "server {} has facts this build does not know",
            i + 1
        )));
    }
    let shared = r.varint()?;
    let rest = r.bytes()?;
    let mut name = previous
        .as_bytes()
        .get(..shared.min(previous.len() as u64 + 1) as usize)
        .ok_or_else(|| Bad(format!("the name of server {} is damaged", i + 1)))?
        .to_vec();
    name.extend_from_slice(rest);
    let name = String::from_utf8(name)
        .map_err(|_| Bad(format!("the name of server {} is not text", i + 1)))?;
    validate_name_form(&name).map_err(|e| Bad(format!("server {}: {e}", i + 1)))?;
    let kind = if flags & DPM != 0 {
        Kind::Dpm
    } else {
        Kind::Protected
    };
    let mut s = Server::new(id, name, kind);
    read_version(r, &mut s, flags, v2)?;
    if flags & ROLLUP != 0 {
        s.rollup = Some(r.text("an update rollup")?);
    }
    if flags & MABS_SET != 0 {
        s.mabs = Some(flags & MABS != 0);
    }
    if flags & VSS_SET != 0 {
        s.vss_writer = Some(if flags & VSS_STOPPED != 0 {
            VssWriter::Stopped
        } else {
            VssWriter::Running
        });
    }
    if flags & WORKLOADS != 0 {
        let k = r.count()?;
        let mut ws = Vec::with_capacity(k);
        for _ in 0..k {
            let w = r.byte()?;
            ws.push(
                *Workload::ALL
                    .get(w as usize)
                    .ok_or_else(|| Bad(format!("{} has an unknown workload", s.name)))?,
            );
        }
        s.workloads = Some(ws);
    }
    if flags & POS != 0 {
        let x = unzigzag(r.varint()?) as f64 / 100.0;
        let y = unzigzag(r.varint()?) as f64 / 100.0;
        if x.abs() > MAX_COORD || y.abs() > MAX_COORD {
            return Err(Bad(format!("{} is placed off the canvas", s.name)));
        }
        s.pos = Some(Point { x, y });
    }
    read_estate_facts(r, &mut s, flags, i, refs)?;
    let dpm_facts = s.version.is_some()
        || s.rollup.is_some()
        || s.mabs.is_some()
        || s.vss_writer.is_some()
        || flags & DATABASE != 0
        || s.database_backup.is_some()
        || s.domain_controller.is_some();
    let protected_facts = s.workloads.is_some() || s.scale_out.is_some() || s.replica_set.is_some();
    if (kind == Kind::Protected && dpm_facts) || (kind == Kind::Dpm && protected_facts) {
        return Err(Bad(format!(
            "{} has facts that do not fit its kind",
            s.name
        )));
    }
    Ok(s)
}

/// The DPM version: a build number (version 2), or a release's number in
/// the list of the link's version.
fn read_version(r: &mut Reader, s: &mut Server, flags: u64, v2: bool) -> Result<(), Fault> {
    let name = &s.name;
    if flags & VERSION_SET != 0 && flags & BUILD != 0 {
        let mut parts = [0u32; 4];
        for p in &mut parts {
            *p = u32::try_from(r.varint()?)
                .map_err(|_| Bad(format!("{name} has a damaged build number")))?;
        }
        s.version = Some(Version::Build(Build(parts)));
    } else if flags & VERSION_SET != 0 {
        let v = r.byte()?;
        let list: &[DpmVersion] = if v2 { &DpmVersion::ALL } else { &V1_RELEASES };
        s.version =
            Some(Version::Release(*list.get(v as usize).ok_or_else(
                || Bad(format!("{name} has an unknown DPM version")),
            )?));
    } else if flags & BUILD != 0 {
        return Err(Bad(format!("{name} has a build number without a version")));
    }
    Ok(())
}

/// The facts of real estates (version 2 flags): host, site, Azure, the DPM
/// database's server and backups, domain controller, scale-out, replica
/// set. Server `i`'s host and database go to `refs`.
fn read_estate_facts(
    r: &mut Reader,
    s: &mut Server,
    flags: u64,
    i: usize,
    refs: &mut Vec<(usize, bool, u64)>,
) -> Result<(), Fault> {
    if flags & HOST != 0 {
        refs.push((i, true, r.varint()?));
    }
    if flags & SITE != 0 {
        s.site = Some(read_label(r, &s.name, "site")?);
    }
    if flags & AZURE_SET != 0 {
        s.azure = Some(flags & AZURE != 0);
    }
    if flags & DATABASE != 0 {
        refs.push((i, false, r.varint()?));
    }
    if flags & DB_BACKUP != 0 {
        let k = r.count()?;
        let mut media = Vec::with_capacity(k);
        for _ in 0..k {
            let m = r.byte()?;
            let m = *BackupMedium::ALL
                .get(m as usize)
                .ok_or_else(|| Bad(format!("{} has an unknown database backup", s.name)))?;
            if media.contains(&m) {
                return Err(Bad(format!(
                    "{} lists the database backup {} twice",
                    s.name,
                    m.as_str()
                )));
            }
            media.push(m);
        }
        s.database_backup = Some(media);
    }
    if flags & DC_SET != 0 {
        s.domain_controller = Some(flags & DC != 0);
    }
    if flags & SCALE_SET != 0 {
        s.scale_out = Some(flags & SCALE != 0);
    }
    if flags & REPLICA_SET != 0 {
        s.replica_set = Some(read_label(r, &s.name, "replica set")?);
    }
    Ok(())
}

/// A site or replica set of the server `name`: as the scenario file takes
/// it (not blank, not too long, one line).
fn read_label(r: &mut Reader, name: &str, what: &str) -> Result<String, Fault> {
    let text = r.text(what)?;
    let blank = text.trim().is_empty();
    if blank || text.chars().count() > MAX_LABEL_CHARS || text.chars().any(char::is_control) {
        return Err(Bad(format!("{name} has a damaged {what}")));
    }
    Ok(text)
}

/// The protections: pairs of server numbers (the target's with the
/// switched bit), each between servers that are there, listed once.
fn read_protections(r: &mut Reader, t: &mut Topology) -> Result<(), Fault> {
    let m = r.count()?;
    let mut seen = crate::hash::HashSet::with_capacity_and_hasher(m, Default::default());
    for _ in 0..m {
        let from = r.varint()?;
        let to = r.varint()?;
        let (switched, to) = (to & 1 == 1, to >> 1);
        // A u64 does not fit a usize on wasm32: refused, not truncated.
        let at = |k: u64| {
            usize::try_from(k)
                .ok()
                .filter(|&k| k < t.servers.len())
                .ok_or_else(|| Bad("a protection names a server that is not there".into()))
        };
        let (from, to) = (at(from)?, at(to)?);
        let mut p = Protection::new(t.servers[from].id, t.servers[to].id);
        p.switched = switched;
        if switched && !(t.servers[from].is_dpm() && t.servers[to].kind == Kind::Protected) {
            return Err(Bad(
                "switched protection is from a DPM server to a protected server only".into(),
            ));
        }
        if !seen.insert(p.link()) {
            return Err(Bad("a protection is listed twice".into()));
        }
        t.protections.push(p);
    }
    Ok(())
}

pub(crate) fn varint(b: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        b.push((v as u8) | 0x80);
        v >>= 7;
    }
    b.push(v as u8);
}

fn bytes(b: &mut Vec<u8>, s: &[u8]) {
    varint(b, s.len() as u64);
    b.extend_from_slice(s);
}

fn hundredths(v: f64) -> i64 {
    if v.is_finite() {
        (v.max(-MAX_COORD).min(MAX_COORD) * 100.0).round() as i64
    } else {
        0
    }
}

fn zigzag(v: i64) -> u64 {
    ((v << 1) ^ (v >> 63)) as u64
}

fn unzigzag(v: u64) -> i64 {
    ((v >> 1) as i64) ^ -((v & 1) as i64)
}

/// Bytes the two names share at the start, ending on a character boundary.
fn shared_prefix(a: &str, b: &str) -> usize {
    let mut n = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
    while !b.is_char_boundary(n) {
        n -= 1;
    }
    n
}

/// CRC-32 (IEEE), bit by bit: links are short, and a table would cost 1 KB
/// of wasm for nothing anyone would notice.
pub(crate) fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = (crc >> 1) ^ (0xEDB8_8320 & (crc & 1).wrapping_neg());
        }
    }
    !crc
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

pub(crate) fn base64url(b: &[u8]) -> String {
    let mut out = String::with_capacity(b.len() * 4 / 3 + 3);
    for chunk in b.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (k, &c)| n | u32::from(c) << (16 - 8 * k));
        for k in 0..=chunk.len() {
            out.push(ALPHABET[(n >> (18 - 6 * k) & 63) as usize] as char);
        }
    }
    out
}

pub(crate) fn from_base64url(s: &str) -> Result<Vec<u8>, InputError> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for (i, c) in s.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' | b'+' => 62,
            b'_' | b'/' => 63,
            _ => {
                let shown: String = s[i..]
                    .chars()
                    .next()
                    .map(|ch| ch.escape_default().to_string())
                    .unwrap_or_default();
                return Err(damaged(&format!("it has the character '{shown}' at position {}, where only letters, digits, - and _ belong", i + 1)));
            }
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{from_json, presets, to_json};

    #[test]
    fn presets_round_trip_and_links_are_short() {
        for preset in presets::PRESETS {
            let (id, t) = (preset.id, presets::preset(preset.id).unwrap());
            let link = to_share(&t);
            let back = from_share(&link).unwrap();
            assert_eq!(to_json(&back), to_json(&t), "{id}");
            assert!(
                link.len() < to_json(&t).len() / 5,
                "{id}: {} chars",
                link.len()
            );
        }
    }

    #[test]
    fn whole_links_and_fragments_are_read() {
        let t = presets::scenario_1();
        let p = to_share(&t);
        for text in [
            format!("https://example.org/dpm/#s={p}"),
            format!("#view&s={p}"),
            format!("  s={p}\n"),
            p.clone(),
        ] {
            assert_eq!(
                from_share(&text).unwrap(),
                from_share(&p).unwrap(),
                "{text}"
            );
        }
        assert!(looks_like_share_link(&format!(
            "http://127.0.0.1:8080/#s={p}"
        )));
        assert!(!looks_like_share_link("|Server|Protecting|Protected by|"));
    }

    #[test]
    fn a_database_backup_listed_twice_is_refused() {
        let mut t = presets::scenario_1();
        t.servers[0].database_backup = Some(vec![BackupMedium::Tape, BackupMedium::Tape]);
        let e = from_share(&to_share(&t)).unwrap_err().message;
        assert!(
            e.contains("DS1 lists the database backup tape twice"),
            "{e}"
        );
    }

    #[test]
    fn damaged_links_say_so() {
        let p = to_share(&presets::scenario_1());
        let cut = from_share(&p[..p.len() - 10]).unwrap_err().message;
        assert!(cut.contains("damaged"), "{cut}");
        let mut typo = p.clone().into_bytes();
        typo[20] = if typo[20] == b'A' { b'B' } else { b'A' };
        let typo = from_share(std::str::from_utf8(&typo).unwrap())
            .unwrap_err()
            .message;
        assert!(typo.contains("checksum does not match"), "{typo}");
        let junk = from_share(&format!("{}*{}", &p[..5], &p[5..]))
            .unwrap_err()
            .message;
        assert!(junk.contains("the character '*' at position 6"), "{junk}");
        assert!(from_share("").unwrap_err().message.contains("too short"));
    }

    #[test]
    fn a_newer_version_is_named() {
        let e = from_share(&seal(vec![3u8, 0, 0, 0])).unwrap_err().message;
        assert!(e.contains("newer or unknown version"), "{e}");
    }

    #[test]
    fn what_the_file_refuses_the_link_refuses() {
        // A hand-made body with a protected server claiming a DPM version.
        let body = vec![VERSION, 0, 1, VERSION_SET as u8, 0, 2, b'P', b'1', 0, 0];
        let e = from_share(&seal(body)).unwrap_err().message;
        assert!(e.contains("P1 has facts that do not fit its kind"), "{e}");
    }

    #[test]
    fn hostile_names_and_titles_survive() {
        let t = from_json(
            r#"{"format":"dpm-sketch/1","title":"<script>alert(1)</script>","servers":[
            {"name":"<img src=x onerror=alert(1)>","kind":"dpm","x":-3.25,"y":1e7},
            {"name":"<img src=y>","kind":"protected","workloads":["vmware","sql"]},
            {"name":"Ünïcødé 😀","kind":"dpm","mabs":true,"vss_writer":"stopped","rollup":"UR 1"}],
            "protections":[{"protector":"<img src=x onerror=alert(1)>","target":"<img src=y>","switched":true}]}"#,
        )
        .unwrap();
        assert_eq!(from_share(&to_share(&t)).unwrap(), t);
    }

    #[test]
    fn base64url_round_trips_every_length() {
        let data: Vec<u8> = (0..=255).collect();
        for n in 0..40 {
            assert_eq!(from_base64url(&base64url(&data[..n])).unwrap(), &data[..n]);
        }
        assert_eq!(base64url(b"\xfb\xff"), "-_8");
    }

    #[test]
    fn crc_is_the_standard_one() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }
}
