//! Text that fits a server's box, by measurement: the app's canvas, the
//! SVG export and the PNG drawn from it all show what these functions
//! return, so a name is shortened the same way everywhere.
//!
//! Widths come from a table of advance widths for printable ASCII, in
//! hundredths of an em, the widest of the fonts the app's font stack falls
//! to ("Segoe UI", system-ui, Helvetica, Arial; on Linux DejaVu Sans and
//! Liberation Sans, measured in Chromium). Any other character counts as
//! wider than any of those fonts draws it. So a measured width is never
//! less than the drawn one: a fitted name never runs over the border or
//! under the icon, whichever of those fonts draws it.

use crate::layout::NODE_W;

/// The size of a server's name on its box, in CSS pixels (semibold).
pub const NAME_PX: f64 = 16.0;

/// The size of the caption under a server's name (its role), in CSS
/// pixels (regular).
pub const CAPTION_PX: f64 = 12.0;

/// The width a name or caption may take on a box: the box less the icon at
/// its left and a margin from the border at each side.
pub const TEXT_ROOM: f64 = NODE_W - 38.0;

/// The widest a server's box grows to show its name (or its host name)
/// whole; past it, the name is shortened by [`fit_text`].
pub const NODE_W_MAX: f64 = 224.0;

/// The width of the box of a server named `name`: [`NODE_W`] when the
/// name fits; else as wide as the name needs at [`NAME_PX`], else as its
/// host name needs (an FQDN's first label), up to [`NODE_W_MAX`]. Whole
/// canvas units, so edges fall on whole pixels at 100 %.
pub fn box_width(name: &str) -> f64 {
    let need = |s: &str| text_width(s, NAME_PX, true) + (NODE_W - TEXT_ROOM);
    let whole = need(name);
    if whole <= NODE_W {
        return NODE_W;
    }
    let w = if whole <= NODE_W_MAX {
        whole
    } else {
        host_name(name).map_or(whole, need)
    };
    w.ceil().max(NODE_W).min(NODE_W_MAX)
}

/// The bounds (min x, min y, max x, max y) of every placed server's box in
/// `t`, each [`box_width`] wide and [`crate::layout::NODE_H`] high; `None`
/// when no server is placed.
///
/// A box is at most [`NODE_W_MAX`] wide and at least [`NODE_W`], so only
/// the names of servers whose centre is within half the difference of the
/// leftmost or rightmost centre are measured: an editor that follows the
/// drawing's bounds on every edit measures a few names, not 10,000.
pub fn boxes_bounds(t: &crate::model::Topology) -> Option<(f64, f64, f64, f64)> {
    let half_h = crate::layout::NODE_H / 2.0;
    let placed = || t.servers.iter().filter_map(|s| Some((s, s.pos?)));
    let (mut lo, mut hi) = (f64::MAX, f64::MIN);
    let (mut y0, mut y1) = (f64::MAX, f64::MIN);
    for (_, p) in placed() {
        lo = lo.min(p.x);
        hi = hi.max(p.x);
        y0 = y0.min(p.y - half_h);
        y1 = y1.max(p.y + half_h);
    }
    if lo > hi {
        return None;
    }
    let slack = (NODE_W_MAX - NODE_W) / 2.0;
    let (mut x0, mut x1) = (lo - NODE_W / 2.0, hi + NODE_W / 2.0);
    for (s, p) in placed() {
        if p.x <= lo + slack || p.x >= hi - slack {
            let hw = box_width(&s.name) / 2.0;
            x0 = x0.min(p.x - hw);
            x1 = x1.max(p.x + hw);
        }
    }
    Some((x0, y0, x1, y1))
}

/// The width a server's name may take on its box: [`box_width`] less the
/// icon and the margins ([`TEXT_ROOM`] on a box that did not grow).
pub fn name_room(name: &str) -> f64 {
    box_width(name) - (NODE_W - TEXT_ROOM)
}

/// Where the name and caption are centred, from the box's centre: halfway
/// between the icon's right edge and the right margin.
pub const TEXT_X: f64 = 11.0;

/// Advance widths of ' '..='~' in hundredths of an em, regular weight.
const REGULAR: [u8; 95] = [
    32, 41, 46, 84, 64, 96, 78, 28, 40, 40, 50, 84, 32, 37, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 34, 34, 84, 84, 84, 56, 102, 69, 69, 73, 78, 67, 62, 78, 76, 30, 50, 67, 56, 87, 75,
    79, 67, 79, 73, 67, 62, 74, 69, 99, 69, 67, 69, 40, 34, 40, 84, 56, 50, 62, 64, 55, 64, 62, 36,
    64, 64, 28, 28, 58, 28, 98, 64, 62, 64, 64, 42, 53, 40, 64, 60, 82, 60, 60, 53, 64, 34, 64, 84,
];

/// Advance widths of ' '..='~' in hundredths of an em, semibold and bold
/// (fonts without a semibold draw 600 as bold).
const BOLD: [u8; 95] = [
    35, 46, 53, 84, 70, 101, 88, 31, 46, 46, 53, 84, 38, 42, 38, 37, 70, 70, 70, 70, 70, 70, 70,
    70, 70, 70, 40, 40, 84, 84, 84, 62, 100, 78, 77, 74, 84, 69, 69, 83, 84, 38, 56, 78, 64, 100,
    84, 86, 74, 86, 78, 73, 69, 82, 78, 111, 78, 73, 73, 46, 37, 46, 84, 56, 50, 68, 72, 60, 72,
    68, 44, 72, 72, 35, 35, 67, 35, 105, 72, 69, 72, 72, 50, 60, 48, 72, 66, 93, 65, 66, 59, 72,
    37, 72, 84,
];

/// The ellipsis that marks a shortened name.
const ELLIPSIS: char = '…';

/// One character's advance in ems.
fn advance(c: char, bold: bool) -> f64 {
    let table = if bold { &BOLD } else { &REGULAR };
    match c {
        ' '..='~' => f64::from(table[c as usize - 32]) / 100.0,
        '·' => 0.38,
        '…' | '—' => 1.0,
        '–' => 0.56,
        // Accented letters, symbols, other scripts, emoji: wider than any
        // of the fonts draws them.
        _ => 1.2,
    }
}

/// The width of `s` drawn at `px` CSS pixels, bold (semibold) or regular,
/// never less than the app's fonts draw it.
pub fn text_width(s: &str, px: f64, bold: bool) -> f64 {
    s.chars().map(|c| advance(c, bold)).sum::<f64>() * px
}

/// The longest start of `s` no wider than `room`, and its width.
fn head(s: &str, room: f64, px: f64, bold: bool) -> (&str, f64) {
    let mut w = 0.0;
    for (i, c) in s.char_indices() {
        let a = advance(c, bold) * px;
        if w + a > room {
            return (&s[..i], w);
        }
        w += a;
    }
    (s, w)
}

/// The part of a name that tells it from its siblings, kept after a middle
/// ellipsis: the last segment after a `-`, `_` or space (`-AG01`, `-01`),
/// or the digits it ends with (`SRV01` gives `01`). None when the name has
/// none short enough.
fn tail(s: &str) -> Option<&str> {
    let at = s.rfind(['-', '_', ' ']).filter(|&i| i > 0).or_else(|| {
        let digits = s.len() - s.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        (digits > 0 && digits < s.len()).then(|| s.len() - digits)
    })?;
    let t = &s[at..];
    let n = t.chars().count();
    (2..=8).contains(&n).then_some(t)
}

/// `s` if it fits `room` at `px`; else shortened by an ellipsis placed by
/// measurement, keeping the start and, when the name has a distinguishing
/// tail (`SQLCLUSTER-LON-AG01`), the tail: `SQL…-AG01`, so that siblings
/// that differ only at their end stay told apart. Never wider than `room`
/// by [`text_width`]; empty when not even the ellipsis fits.
pub fn fit_text(s: &str, room: f64, px: f64, bold: bool) -> String {
    if text_width(s, px, bold) <= room {
        return s.to_string();
    }
    let dots = advance(ELLIPSIS, bold) * px;
    if dots > room {
        return String::new();
    }
    if let Some(t) = tail(s) {
        let tw = text_width(t, px, bold);
        if tw <= 0.6 * room {
            let (h, _) = head(&s[..s.len() - t.len()], room - dots - tw, px, bold);
            let h = h.trim_end_matches(['-', '_', ' ', '.']);
            if h.chars().count() >= 2 {
                return format!("{h}{ELLIPSIS}{t}");
            }
        }
    }
    let (h, _) = head(s, room - dots, px, bold);
    format!("{}{ELLIPSIS}", h.trim_end())
}

/// The host name of a fully qualified name: its first label
/// (`dpm-lon-prod-01` of `dpm-lon-prod-01.corp.example.com`). None for a
/// name without a domain, or an address (`10.0.0.1`).
pub fn host_name(name: &str) -> Option<&str> {
    let (host, rest) = name.split_once('.')?;
    let address = name.chars().all(|c| c.is_ascii_digit() || c == '.');
    (!host.is_empty() && !rest.is_empty() && !address).then_some(host)
}

/// What a box `room` wide shows of a server's name at `px`: the whole name
/// if it fits, else its host name if that fits, else the host name (or
/// the name) shortened by [`fit_text`].
pub fn fit_name_to(name: &str, room: f64, px: f64) -> String {
    if text_width(name, px, true) <= room {
        return name.to_string();
    }
    let short = host_name(name).unwrap_or(name);
    fit_text(short, room, px, true)
}

/// What a server's box shows of its name (the full name is its tooltip
/// and its accessible name): the box grows for it ([`box_width`]), then
/// the host name, then an ellipsis placed by measurement.
pub fn fit_name(name: &str) -> String {
    fit_name_to(name, name_room(name), NAME_PX)
}

/// Shorter wordings of the captions a box may show, tried in order when the
/// caption does not fit.
const SHORTER: [(&str, &str); 4] = [
    ("primary & secondary", "primary & 2nd"),
    ("Azure Backup Server", "MABS server"),
    ("MABS · ", ""),
    ("protected server", "protected"),
];

/// What the box of a server named `name` shows of its caption (its
/// role): the caption if it fits the box ([`name_room`]: a box grown for
/// its name shows more of it), else a shorter wording, else the caption
/// shortened at its end.
pub fn fit_caption(caption: &str, name: &str) -> String {
    fit_caption_to(caption, CAPTION_PX, name_room(name))
}

/// The size of a server's name in presenter mode, where a room reads the
/// drawing from its back rows (at 1280x720 a four-row drawing is fitted
/// at about 1.05: some 19 px on screen).
pub const PRESENT_NAME_PX: f64 = 18.0;

/// [`fit_caption`] for a caption drawn at `px` in `room` (canvas units).
pub fn fit_caption_to(caption: &str, px: f64, room: f64) -> String {
    let fits = |s: &str| text_width(s, px, false) <= room;
    // The box's colour and icon say it is a DPM server: every DPM box
    // shows its role alone ("primary"), so that all read alike.
    let mut s = caption
        .strip_prefix("DPM · ")
        .unwrap_or(caption)
        .to_string();
    for (long, short) in SHORTER {
        if fits(&s) {
            return s;
        }
        s = s.replace(long, short);
    }
    if fits(&s) {
        return s;
    }
    let (h, _) = head(&s, room - advance(ELLIPSIS, false) * px, px, false);
    format!("{}{ELLIPSIS}", h.trim_end())
}

#[cfg(test)]
mod tests {
    /// The bounds measured at the edges only are those of every box, for
    /// drawings of short, long and FQDN names, with and without places.
    #[test]
    fn boxes_bounds_are_those_of_every_box() {
        use crate::model::{Kind, Point, Topology};
        let names = [
            "PS1",
            "a-rather-long-server-name",
            "sql01.corp.example.com",
            "W",
            "DPM-SECONDARY-LONDON-02",
        ];
        for seed in 0..60u64 {
            let mut x = seed * 7919 + 13;
            let mut next = |m: u64| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (x >> 33) % m
            };
            let mut t = Topology::new();
            for i in 0..(next(30) as usize) {
                let name = format!("{}{i}", names[next(names.len() as u64) as usize]);
                let id = t.add_server(name, Kind::Protected);
                if next(5) != 0 {
                    t.server_mut(id).unwrap().pos = Some(Point {
                        x: next(2000) as f64 - 1000.0 + next(100) as f64 / 7.0,
                        y: next(800) as f64,
                    });
                }
            }
            let every = t.servers.iter().filter_map(|s| {
                let p = s.pos?;
                let hw = box_width(&s.name) / 2.0;
                Some((
                    p.x - hw,
                    p.y - crate::layout::NODE_H / 2.0,
                    p.x + hw,
                    p.y + crate::layout::NODE_H / 2.0,
                ))
            });
            let want = every.fold(None, |b: Option<(f64, f64, f64, f64)>, r| {
                Some(b.map_or(r, |b| {
                    (b.0.min(r.0), b.1.min(r.1), b.2.max(r.2), b.3.max(r.3))
                }))
            });
            assert_eq!(boxes_bounds(&t), want, "seed {seed}");
        }
        // The widest box 43 units in from the leftmost and rightmost
        // centres still sets the bounds (a box of the least width is 136,
        // the widest 224: 44 units of slack each side).
        let mut t = Topology::new();
        let long = "a-server-name-far-too-long-for-any-box-at-all";
        for (name, x) in [("A", 0.0), (long, 43.0), ("B", 1000.0), (long, 957.0)] {
            let id = t.add_server(name, Kind::Protected);
            t.server_mut(id).unwrap().pos = Some(Point { x, y: 0.0 });
        }
        assert_eq!(box_width(long), NODE_W_MAX);
        let b = boxes_bounds(&t).unwrap();
        assert_eq!(
            (b.0, b.2),
            (43.0 - NODE_W_MAX / 2.0, 957.0 + NODE_W_MAX / 2.0)
        );
    }

    use super::*;

    #[test]
    fn presenter_sizes_still_fit_the_usual_names_and_captions() {
        for name in ["DS1", "PS4", "DPM1", "Server12", "SQL01"] {
            assert_eq!(fit_name_to(name, TEXT_ROOM, PRESENT_NAME_PX), name);
        }
        let long = fit_name_to(
            "dpm-lon-prod-01.corp.example.com",
            TEXT_ROOM,
            PRESENT_NAME_PX,
        );
        assert!(
            text_width(&long, PRESENT_NAME_PX, true) <= TEXT_ROOM,
            "{long}"
        );
    }

    fn wide(s: &str) -> f64 {
        text_width(s, NAME_PX, true)
    }

    #[test]
    fn a_name_that_fits_is_shown_whole() {
        assert_eq!(fit_name("DPM1"), "DPM1");
        assert_eq!(fit_name("SQL-02"), "SQL-02");
    }

    #[test]
    fn an_fqdn_shows_its_host_name_when_that_fits() {
        let room = wide("dpm-lon-prod-01") + 1.0;
        assert_eq!(
            fit_name_to("dpm-lon-prod-01.corp.example.com", room, NAME_PX),
            "dpm-lon-prod-01"
        );
        assert_eq!(host_name("10.0.0.1"), None);
        assert_eq!(host_name("SQL01"), None);
        assert_eq!(host_name("a."), None);
    }

    #[test]
    fn a_box_grows_for_its_name_up_to_a_limit() {
        assert_eq!(box_width("DPM1"), NODE_W);
        assert_eq!(box_width(""), NODE_W);
        // A host name a little too long for the least box: the box grows
        // just enough, in whole units, and shows it whole.
        let w = box_width("fileserver-lon-07");
        assert!(w > NODE_W && w < NODE_W_MAX && w == w.ceil(), "{w}");
        assert_eq!(fit_name("fileserver-lon-07"), "fileserver-lon-07");
        assert!(wide("fileserver-lon-07") <= name_room("fileserver-lon-07"));
        // Never past the limit, whatever the name.
        for name in ["W".repeat(200), "服务器".repeat(40), "a.".repeat(90)] {
            let w = box_width(&name);
            assert!((NODE_W..=NODE_W_MAX).contains(&w), "{w}");
            assert!(wide(&fit_name(&name)) <= name_room(&name));
        }
    }

    #[test]
    fn an_fqdn_grows_its_box_for_the_host_name_and_siblings_differ() {
        let fqdn = "dpm-lon-prod-01.corp.example.com";
        // The whole FQDN would pass the limit: the box grows for the host.
        assert!(wide(fqdn) + (NODE_W - TEXT_ROOM) > NODE_W_MAX);
        assert_eq!(fit_name(fqdn), "dpm-lon-prod-01");
        assert_eq!(box_width(fqdn), box_width("dpm-lon-prod-01"));
        assert!(box_width(fqdn) > NODE_W);
        // Names that differ only in the middle stay told apart.
        assert_ne!(fit_name(fqdn), fit_name("dpm-lon-test-01.corp.example.com"));
    }

    #[test]
    fn an_fqdn_too_long_even_as_a_host_keeps_its_start_and_number() {
        let name = "dpm-london-production-backup-01.corp.example.com";
        let shown = fit_name(name);
        assert_eq!(box_width(name), NODE_W_MAX);
        assert!(shown.starts_with("dpm-london"), "{shown}");
        assert!(shown.ends_with("…-01"), "{shown}");
        assert!(wide(&shown) <= name_room(name), "{shown}");
        // Two siblings stay told apart.
        assert_ne!(
            shown,
            fit_name("dpm-london-production-backup-02.corp.example.com")
        );
        // In the least box, the same ellipsis placed by measurement.
        let small = fit_name_to(name, TEXT_ROOM, NAME_PX);
        assert!(
            small.starts_with("dpm-") && small.ends_with("…-01"),
            "{small}"
        );
        assert!(wide(&small) <= TEXT_ROOM, "{small}");
    }

    #[test]
    fn a_long_cluster_name_gets_a_middle_ellipsis_that_fits() {
        let name = "SQLCLUSTER-LONDON-PRODUCTION-AG01";
        let shown = fit_name(name);
        assert_eq!(box_width(name), NODE_W_MAX);
        assert!(shown.starts_with("SQLCLUST"), "{shown}");
        assert!(shown.ends_with("…-AG01"), "{shown}");
        assert!(wide(&shown) <= name_room(name), "{shown}");
    }

    #[test]
    fn a_long_name_without_a_tail_ends_with_the_ellipsis() {
        let name = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let shown = fit_name(name);
        assert!(
            shown.starts_with("ABCDEFGHIJ") && shown.ends_with('…'),
            "{shown}"
        );
        assert!(wide(&shown) <= name_room(name));
    }

    #[test]
    fn the_measured_width_never_exceeds_the_room() {
        let names = [
            "dpm-lon-prod-01.corp.example.com",
            "SQLCLUSTER-LON-AG01",
            "WWWWWWWWWWWWWWWWWWWWWWWW",
            "iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
            "服务器-北京-数据库-01",
            "a-b",
            "x",
            "",
            "----------------------",
            "SRV0000000000000000001",
        ];
        for name in names {
            for room in [0.0, 5.0, 14.0, 30.0, 60.0, TEXT_ROOM, 200.0] {
                for px in [11.0, NAME_PX, 20.0] {
                    let shown = fit_name_to(name, room, px);
                    assert!(
                        text_width(&shown, px, true) <= room + 1e-9,
                        "{name} in {room} at {px}: {shown}"
                    );
                }
            }
        }
    }

    #[test]
    fn captions_fit_by_shorter_wording() {
        for c in [
            "DPM server",
            "DPM · primary",
            "DPM · secondary",
            "primary & secondary",
            "Azure Backup Server",
            "MABS · primary",
            "MABS · primary & secondary",
            "protected server",
        ] {
            let shown = fit_caption(c, "DS1");
            assert!(
                text_width(&shown, CAPTION_PX, false) <= TEXT_ROOM,
                "{c}: {shown}"
            );
            assert!(!shown.contains('…'), "{c}: {shown}");
        }
        assert_eq!(fit_caption("primary & secondary", "DS1"), "primary & 2nd");
        assert_eq!(fit_caption("DPM · primary", "DS1"), "primary");
        assert_eq!(fit_caption("DPM · secondary", "DS1"), "secondary");
        // A box grown for its name shows the caption whole.
        assert_eq!(
            fit_caption("primary & secondary", "dpm-lon-prod-01"),
            "primary & secondary"
        );
    }

    #[test]
    fn the_table_is_of_the_widest_fonts() {
        // 'W' in DejaVu Sans Bold is 1.10 em, '1' 0.70 em.
        assert!((text_width("W", 100.0, true) - 111.0).abs() < 1e-9);
        assert!((text_width("1", 100.0, true) - 70.0).abs() < 1e-9);
    }
}
