//! Exports: Mermaid, Graphviz DOT and a standalone SVG.
//!
//! Every name is escaped for its target: a server named
//! `<img src=x onerror=alert(1)>` stays text in every form.

use crate::hash::{HashMap, HashSet};
use std::fmt::Write;

use crate::check::Finding;
use crate::fit::box_width;
use crate::geometry::{arrow_sized, site_regions, SiteRegion, SITE_LABEL_H};
use crate::layout::{positions, NODE_H, NODE_W};
use crate::model::{Kind, Link, Point, ServerId, Topology};
use crate::roles::roles;
use crate::route::{route, Limit, Obstacles};
use crate::rules::Severity;

/// Escapes text for XML content and attribute values.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A Mermaid flowchart, protectors above what they protect.
pub fn to_mermaid(t: &Topology) -> String {
    let mut out = String::from("flowchart TD\n");
    if let Some(title) = &t.title {
        // Mermaid comments run to the end of the line.
        let _ = writeln!(out, "  %% {}", mermaid_text(title));
    }
    let ids: HashMap<ServerId, String> = t
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, format!("s{i}")))
        .collect();
    let node = |out: &mut String, s: &crate::model::Server, indent: &str| {
        let label = mermaid_text(&s.name);
        let id = &ids[&s.id];
        match s.kind {
            Kind::Dpm => {
                let role = roles(t, s.id).label();
                let sub = if role.is_empty() {
                    "DPM server".to_string()
                } else {
                    format!("DPM server, {role}")
                };
                let _ = writeln!(out, "{indent}{id}[(\"{label}<br/><small>{sub}</small>\")]");
            }
            Kind::Protected => {
                let _ = writeln!(out, "{indent}{id}[\"{label}\"]");
            }
        }
    };
    // Each site a subgraph holding its servers (ids of our own making, the
    // name only as an escaped label); servers without a site after them.
    let mut in_site: HashSet<ServerId> = HashSet::default();
    for (k, (site, ids)) in crate::estate::site_groups(t).into_iter().enumerate() {
        let _ = writeln!(out, "  subgraph site{k}[\"{}\"]", mermaid_text(&site));
        for id in ids {
            if let Some(s) = t.server(id) {
                in_site.insert(id);
                node(&mut out, s, "    ");
            }
        }
        out.push_str("  end\n");
    }
    for s in t.servers.iter().filter(|s| !in_site.contains(&s.id)) {
        node(&mut out, s, "  ");
    }
    for p in &t.protections {
        let (Some(a), Some(b)) = (ids.get(&p.protector), ids.get(&p.target)) else {
            continue;
        };
        if p.switched {
            let _ = writeln!(out, "  {a} -. switched .-> {b}");
        } else {
            let _ = writeln!(out, "  {a} --> {b}");
        }
    }
    // A guest to its host, a DPM server to its remote database: dotted,
    // without arrowheads, so they do not read as protections.
    for (a, b, what) in estate_pairs(t) {
        if let (Some(a), Some(b)) = (ids.get(&a), ids.get(&b)) {
            let _ = writeln!(out, "  {a} -. {what} .- {b}");
        }
    }
    out.push_str("  classDef dpm fill:#1f4e8c,stroke:#163a69,color:#ffffff\n");
    out.push_str("  classDef protected fill:#ffffff,stroke:#56657a,color:#1b2430\n");
    for (class, kind) in [("dpm", Kind::Dpm), ("protected", Kind::Protected)] {
        let members: Vec<&str> = t
            .servers
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| ids[&s.id].as_str())
            .collect();
        if !members.is_empty() {
            let _ = writeln!(out, "  class {} {class}", members.join(","));
        }
    }
    out
}

/// The relations besides protection, in server order: (guest, host, "on")
/// and (DPM server, database server, "DPM database").
fn estate_pairs(t: &Topology) -> Vec<(ServerId, ServerId, &'static str)> {
    let mut out = Vec::new();
    for s in &t.servers {
        if let Some(h) = s.host.filter(|&h| h != s.id) {
            out.push((s.id, h, "on"));
        }
        if let Some(d) = s.database.filter(|&d| s.is_dpm() && d != s.id) {
            out.push((s.id, d, "DPM database"));
        }
    }
    out
}

/// `char::is_alphanumeric` (Unicode's Alphabetic or Number).
///
/// Natively from Rust's tables; in the browser from the engine's own
/// (`\p{Alphabetic}` and `\p{N}` in a regular expression), so the wasm does
/// not carry a second copy, as `model::nfc` does for composition.
struct Alphanumeric {
    #[cfg(target_arch = "wasm32")]
    re: js_sys::RegExp,
}

impl Alphanumeric {
    fn new() -> Self {
        Alphanumeric {
            #[cfg(target_arch = "wasm32")]
            re: js_sys::RegExp::new(r"^[\p{Alphabetic}\p{N}]$", "u"),
        }
    }

    fn is(&self, c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphanumeric();
        }
        #[cfg(not(target_arch = "wasm32"))]
        return c.is_alphanumeric();
        #[cfg(target_arch = "wasm32")]
        return self.re.test(c.encode_utf8(&mut [0; 4]));
    }
}

/// Mermaid labels: quotes and markup become entity codes.
fn mermaid_text(s: &str) -> String {
    let mut out = String::new();
    let alphanumeric = Alphanumeric::new();
    for c in s.chars() {
        if alphanumeric.is(c)
            || matches!(
                c,
                ' ' | '-' | '.' | '_' | ':' | '/' | '\\' | ',' | '(' | ')' | '+'
            )
        {
            out.push(c);
        } else {
            let _ = write!(out, "#{};", c as u32);
        }
    }
    out
}

/// Graphviz DOT, protectors above what they protect.
///
/// Written by hand in the form petgraph's `Dot` writes (nodes numbered in
/// document order): going through `Dot`, which formats with `Debug`, cost
/// the app 2 KB gzip of formatting machinery.
pub fn to_dot(t: &Topology) -> String {
    let mut out = String::from("digraph dpm {\n    rankdir = TB\n");
    if let Some(title) = &t.title {
        let _ = writeln!(
            out,
            "    label = \"{}\"\n    labelloc = t",
            dot_escape(title)
        );
    }
    let numbers: HashMap<ServerId, usize> = t
        .servers
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id, i))
        .collect();
    let index = |id: ServerId| numbers.get(&id).copied();
    for (i, s) in t.servers.iter().enumerate() {
        let name = dot_escape(&s.name);
        let _ = match s.kind {
            Kind::Dpm => writeln!(
                out,
                "    {i} [ label = \"{name}\" shape = cylinder style = filled fillcolor = \"#1f4e8c\" fontcolor = white]"
            ),
            Kind::Protected => writeln!(out, "    {i} [ label = \"{name}\" shape = box]"),
        };
    }
    // Each site a cluster around its servers.
    for (k, (site, ids)) in crate::estate::site_groups(t).into_iter().enumerate() {
        let _ = writeln!(
            out,
            "    subgraph cluster_{k} {{\n        label = \"{}\"\n        style = rounded\n        color = \"#8aa0bd\"",
            dot_escape(&site)
        );
        for id in ids {
            if let Some(i) = index(id) {
                let _ = writeln!(out, "        {i}");
            }
        }
        out.push_str("    }\n");
    }
    for p in &t.protections {
        if let (Some(a), Some(b)) = (index(p.protector), index(p.target)) {
            let attrs = if p.switched {
                "style = dashed label = \"switched\""
            } else {
                ""
            };
            let _ = writeln!(out, "    {a} -> {b} [ {attrs}]");
        }
    }
    for (a, b, what) in estate_pairs(t) {
        if let (Some(a), Some(b)) = (index(a), index(b)) {
            let style = if what == "on" { "dotted" } else { "dashed" };
            let _ = writeln!(
                out,
                "    {a} -> {b} [ style = {style} arrowhead = none label = \"{what}\" constraint = false]"
            );
        }
    }
    out.push_str("}\n");
    out
}

fn dot_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            // Graphviz reads entities in labels, so these render as
            // themselves, and the source is safe inside HTML too.
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// What the SVG shows besides the drawing.
#[derive(Clone, Debug, Default)]
pub struct SvgOptions {
    /// Servers drawn as failed.
    pub failed: Vec<ServerId>,
    /// List the findings under the drawing.
    pub list_findings: bool,
    /// The palette: light (the default) or dark.
    pub theme: Theme,
    /// Leave the drawing's title out (the page showing the SVG shows it).
    pub untitled: bool,
}

/// The SVG's palette.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

impl Theme {
    /// "light" or "dark": the value of a snippet's `theme=` and of
    /// `dpm-check export --theme`.
    pub fn id(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Reads "light" or "dark" (any case); anything else is `None`.
    pub fn from_id(s: &str) -> Option<Theme> {
        match s.to_ascii_lowercase().as_str() {
            "light" => Some(Theme::Light),
            "dark" => Some(Theme::Dark),
            _ => None,
        }
    }
}

/// The stylesheet of [`to_svg`]'s drawing in a palette: what its
/// `<style>` element holds (the light one, then the dark one's overrides).
pub fn svg_style(theme: Theme) -> String {
    match theme {
        Theme::Light => STYLE.to_string(),
        Theme::Dark => format!("{STYLE}{DARK}"),
    }
}

/// The dark palette: overrides of [`STYLE`]'s colours.
const DARK: &str = include_str!("svg-dark.css");

/// The drawing's stylesheet, light palette. A file of its own (no
/// comments: its text goes into every SVG), so that the viewer's page
/// (scripts/viewer-page.mjs) inlines the very same rules.
const STYLE: &str = include_str!("svg-light.css");

/// The opening `<body>` tag of the viewer's page as built (`view.html`),
/// whose empty attributes [`viewer_page`] fills (after the page's `<meta
/// charset>`, which a browser looks for in the first 1,024 bytes).
pub const VIEWER_PAGE_ROOT: &str = r#"<body data-scenario="" data-theme="" data-editor="">"#;

/// The viewer's page with a scenario in it: one HTML file that needs
/// nothing else (the self-contained page of `dpm-check export --to html`
/// and of the editor's Embed dialog). Its Content Security Policy is the
/// built page's, unchanged: the scenario goes into an attribute, escaped,
/// never into a script or markup.
///
/// In: `page`, the built `view.html`; the topology; the palette (`None`:
/// the reader's system decides); the editor's address for "Open in the
/// editor" (`None`: the page offers no such link). Out: the page, or an
/// error when `page` is not a viewer page of this version or the editor's
/// address is not an `http://` or `https://` one.
pub fn viewer_page(
    page: &str,
    t: &Topology,
    theme: Option<Theme>,
    editor: Option<&str>,
) -> Result<String, String> {
    const TITLE: &str = "<title>DPM scenario</title>";
    if page.matches(VIEWER_PAGE_ROOT).count() != 1 || page.matches(TITLE).count() != 1 {
        return Err("This is not the viewer's page of this version (view.html from `trunk build`): it has no place for a scenario.".into());
    }
    if let Some(e) = editor.filter(|e| !is_web_address(e)) {
        return Err(format!(
            "The editor's address must start with http:// or https://, not “{e}”."
        ));
    }
    let root = format!(
        r#"<body data-scenario="{}" data-theme="{}" data-editor="{}">"#,
        xml_escape(&crate::to_share(t)),
        theme.map(Theme::id).unwrap_or(""),
        xml_escape(editor.unwrap_or(""))
    );
    let title = format!(
        "<title>{}</title>",
        xml_escape(t.title.as_deref().unwrap_or("DPM scenario"))
    );
    Ok(page
        .replacen(VIEWER_PAGE_ROOT, &root, 1)
        .replacen(TITLE, &title, 1))
}

/// An `http://` or `https://` address (any case), the only kind a page
/// may link to as the editor.
pub fn is_web_address(s: &str) -> bool {
    let lower = s.trim_start().get(..8).unwrap_or("").to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

/// The badge letter for a severity: shape and letter, not colour alone.
pub fn badge_symbol(s: Severity) -> &'static str {
    match s {
        Severity::Error => "!",
        Severity::Warning => "▲",
        Severity::Info => "i",
    }
}

/// The worst severity of the findings about each server and protection.
pub fn worst(findings: &[Finding]) -> (HashMap<ServerId, Severity>, HashMap<Link, Severity>) {
    let mut servers: HashMap<ServerId, Severity> = HashMap::default();
    let mut links: HashMap<Link, Severity> = HashMap::default();
    for f in findings {
        let sev = f.severity();
        // A finding is shown on its protections when it has some, otherwise
        // on the server it is about.
        if f.protections.is_empty() {
            if let Some(&id) = f.servers.first() {
                let e = servers.entry(id).or_insert(sev);
                *e = (*e).min(sev);
            }
        } else {
            for l in &f.protections {
                let e = links.entry(*l).or_insert(sev);
                *e = (*e).min(sev);
            }
            if let Some(&id) = f.servers.first() {
                let e = servers.entry(id).or_insert(sev);
                *e = (*e).min(sev);
            }
        }
    }
    (servers, links)
}

/// Wraps text at `width` characters, on spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split(' ') {
        if !cur.is_empty() && cur.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(word);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A standalone, styled SVG of the topology with its findings visible.
pub fn to_svg(t: &Topology, findings: &[Finding], opts: &SvgOptions) -> String {
    svg(t, findings, opts, Some(&svg_style(opts.theme)))
}

/// [`to_svg`]'s drawing without its `<style>` element, for a page that
/// applies [`svg_style`] itself (the viewer does, as its page's Content
/// Security Policy refuses inline style elements it has no hash for; and
/// so the viewer does not carry the stylesheet twice). `opts.theme` is
/// the page's to apply: the drawing is the same in either.
pub fn to_svg_bare(t: &Topology, findings: &[Finding], opts: &SvgOptions) -> String {
    svg(t, findings, opts, None)
}

/// The SVG of [`to_svg`], with `style` in its `<style>` element if any.
fn svg(t: &Topology, findings: &[Finding], opts: &SvgOptions, style: Option<&str>) -> String {
    let pos = positions(t);
    let failed: HashSet<ServerId> = opts.failed.iter().copied().collect();
    let (bad_servers, bad_links) = worst(findings);
    let regions = site_regions(t, &|id| pos.get(&id).copied());
    let frame = Frame::new(t, &pos, &regions, findings, opts);

    let mut s = String::new();
    frame.open(&mut s, t, opts, style);
    // Sites behind everything: a labelled region around each one's servers.
    sites(&mut s, &regions);
    // Protections under the servers.
    let links = protections(&mut s, t, &pos, &bad_links);
    estate_links(&mut s, t, &pos, &links, &regions);
    s.push_str("<g class=\"servers\">");
    for srv in &t.servers {
        let Some(&c) = pos.get(&srv.id) else { continue };
        server(&mut s, t, srv, c, failed.contains(&srv.id));
        if let Some(&sev) = bad_servers.get(&srv.id) {
            badge(
                &mut s,
                Point {
                    x: c.x + box_width(&srv.name) / 2.0 - 2.0,
                    y: c.y - NODE_H / 2.0 + 2.0,
                },
                sev,
            );
        }
    }
    s.push_str("</g>");
    frame.findings(&mut s);
    s.push_str("</svg>\n");
    s
}

/// The picture's frame: the drawing's bounds padded, room for the title
/// above it and for the list of findings below it.
struct Frame {
    x0: f64,
    y0: f64,
    w: f64,
    h: f64,
    pad: f64,
    /// The height of the drawing with its title, above the list.
    draw_h: f64,
    /// Each finding listed: severity, rule id, message wrapped to the width.
    finding_lines: Vec<(Severity, String, Vec<String>)>,
}

impl Frame {
    fn new(
        t: &Topology,
        pos: &HashMap<ServerId, Point>,
        regions: &[SiteRegion],
        findings: &[Finding],
        opts: &SvgOptions,
    ) -> Frame {
        let (minx, miny, maxx, maxy) = bounds(t, pos, regions);
        let pad = 24.0;
        let title_h = if t.title.is_some() && !opts.untitled {
            32.0
        } else {
            0.0
        };
        let natural = (maxx - minx) + 2.0 * pad;
        let w = natural.max(560.0);
        // A narrow drawing stands in the middle of the frame's least width.
        let x0 = minx - pad - (w - natural) / 2.0;
        let y0 = miny - pad - title_h;
        let wrap_at = ((w - 2.0 * pad) / 6.6).max(40.0) as usize;
        let mut finding_lines: Vec<(Severity, String, Vec<String>)> = Vec::new();
        if opts.list_findings {
            for f in findings {
                finding_lines.push((
                    f.severity(),
                    f.rule.id().to_string(),
                    wrap(&f.message, wrap_at),
                ));
            }
        }
        let list_h: f64 = if finding_lines.is_empty() {
            0.0
        } else {
            28.0 + finding_lines
                .iter()
                .map(|(_, _, l)| 18.0 * (l.len() as f64 + 1.0))
                .sum::<f64>()
        };
        let draw_h = (maxy - miny) + 2.0 * pad + title_h;
        Frame {
            x0,
            y0,
            w,
            h: draw_h + list_h,
            pad,
            draw_h,
            finding_lines,
        }
    }

    /// The `<svg>` element's opening: size, title, style, arrowheads, the
    /// background and the drawing's title.
    fn open(&self, s: &mut String, t: &Topology, opts: &SvgOptions, style: Option<&str>) {
        let Frame { x0, y0, w, h, .. } = *self;
        let _ = write!(
            s,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{} {} {} {}\" width=\"{}\" height=\"{}\" role=\"img\">",
            n(x0),
            n(y0),
            n(w),
            n(h),
            n(w),
            n(h)
        );
        let title = t.title.as_deref().unwrap_or("DPM protection topology");
        let _ = write!(s, "<title>{}</title>", xml_escape(title));
        if let Some(style) = style {
            let _ = write!(s, "<style>{style}</style>");
        }
        s.push_str(
            "<defs><marker id=\"arrowhead\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#56657a\"/></marker>\
<marker id=\"arrowhead-error\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#c62828\"/></marker>\
<marker id=\"arrowhead-warning\" viewBox=\"0 0 10 10\" refX=\"9\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M0 0 L10 5 L0 10 z\" fill=\"#b26a00\"/></marker></defs>",
        );
        let _ = write!(
            s,
            "<rect class=\"bg\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"/>",
            n(x0),
            n(y0),
            n(w),
            n(h)
        );
        if let Some(title) = t.title.as_ref().filter(|_| !opts.untitled) {
            let _ = write!(
                s,
                "<text class=\"title\" x=\"{}\" y=\"{}\">{}</text>",
                n(x0 + self.pad),
                n(y0 + self.pad + 8.0),
                xml_escape(title)
            );
        }
    }

    /// The list of findings under the drawing, when asked for.
    fn findings(&self, s: &mut String) {
        if self.finding_lines.is_empty() {
            return;
        }
        let x = self.x0 + self.pad;
        let mut y = self.y0 + self.draw_h + 8.0;
        let _ = write!(
            s,
            "<text class=\"title\" x=\"{}\" y=\"{}\">Findings</text>",
            n(x),
            n(y)
        );
        y += 24.0;
        for (sev, rule, lines) in &self.finding_lines {
            let _ = write!(
                s,
                "<text class=\"finding\" x=\"{}\" y=\"{}\"><tspan class=\"sev-{}\">{} {}</tspan> {}</text>",
                n(x),
                n(y),
                sev.as_str(),
                badge_symbol(*sev),
                sev.as_str(),
                xml_escape(rule)
            );
            for line in lines {
                y += 18.0;
                let _ = write!(
                    s,
                    "<text class=\"finding\" x=\"{}\" y=\"{}\">{}</text>",
                    n(x + 14.0),
                    n(y),
                    xml_escape(line)
                );
            }
            y += 18.0;
        }
    }
}

/// Bounds of the drawing (min x, min y, max x, max y): every server with
/// room for its tags above and badge beside, and every site's region.
fn bounds(
    t: &Topology,
    pos: &HashMap<ServerId, Point>,
    regions: &[SiteRegion],
) -> (f64, f64, f64, f64) {
    let (mut minx, mut miny, mut maxx, mut maxy) = (0.0f64, 0.0f64, 320.0f64, 80.0f64);
    if !pos.is_empty() {
        minx = f64::MAX;
        miny = f64::MAX;
        maxx = f64::MIN;
        maxy = f64::MIN;
        for (id, p) in pos {
            let hw = box_width(t.name(*id)) / 2.0;
            minx = minx.min(p.x - hw);
            miny = miny.min(p.y - NODE_H / 2.0 - 36.0);
            maxx = maxx.max(p.x + hw + 40.0);
            maxy = maxy.max(p.y + NODE_H / 2.0);
        }
    }
    for r in regions {
        minx = minx.min(r.x);
        miny = miny.min(r.y);
        maxx = maxx.max(r.x + r.w);
        maxy = maxy.max(r.y + r.h);
    }
    (minx, miny, maxx, maxy)
}

/// A labelled region around each site's servers.
fn sites(s: &mut String, regions: &[SiteRegion]) {
    if regions.is_empty() {
        return;
    }
    s.push_str("<g class=\"sites\">");
    for r in regions {
        let chars = ((r.w - 24.0) / 7.0).max(4.0) as usize;
        let _ = write!(
            s,
            "<g class=\"site\" data-site=\"{}\"><rect class=\"site-area\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"12\"/><text class=\"site-label\" x=\"{}\" y=\"{}\">{}</text></g>",
            xml_escape(&r.name),
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h),
            n(r.x + 12.0),
            n(r.y + SITE_LABEL_H / 2.0 + 8.0),
            xml_escape(&truncate(&r.name, chars))
        );
    }
    s.push_str("</g>");
}

/// An arrow per protection, coloured and badged by its worst finding,
/// dashed when switched; returns the protections drawn, for the lines
/// beside them.
fn protections(
    s: &mut String,
    t: &Topology,
    pos: &HashMap<ServerId, Point>,
    bad_links: &HashMap<Link, Severity>,
) -> HashSet<Link> {
    let links: HashSet<Link> = t.protections.iter().map(|p| p.link()).collect();
    let obstacles = Obstacles::at(t, pos);
    let limit = Limit::for_drawing(t.servers.len());
    s.push_str("<g class=\"protections\">");
    for p in &t.protections {
        let (Some(&a), Some(&b)) = (pos.get(&p.protector), pos.get(&p.target)) else {
            continue;
        };
        let reverse = links.contains(&Link {
            protector: p.target,
            target: p.protector,
        });
        let arr = route((p.protector, a), (p.target, b), reverse, &obstacles, limit);
        let sev = bad_links
            .get(&p.link())
            .copied()
            .filter(|s| *s != Severity::Info);
        let mut class = String::from("protection");
        if p.switched {
            class.push_str(" switched");
        }
        let marker = match sev {
            Some(Severity::Error) => {
                class.push_str(" error");
                "arrowhead-error"
            }
            Some(Severity::Warning) => {
                class.push_str(" warning");
                "arrowhead-warning"
            }
            _ => "arrowhead",
        };
        let _ = write!(
            s,
            "<path class=\"{class}\" d=\"{}\" marker-end=\"url(#{marker})\" data-protection=\"{}-&gt;{}\"/>",
            arr.d,
            xml_escape(t.name(p.protector)),
            xml_escape(t.name(p.target))
        );
        if let Some(sev) = sev {
            badge(s, arr.mid, sev);
        }
    }
    s.push_str("</g>");
    links
}

/// One server's node centred at `c`: its body, name, role (or "failed"
/// when `down`), a third line for its host and replica set, and its tags.
fn server(s: &mut String, t: &Topology, srv: &crate::model::Server, c: Point, down: bool) {
    let kind = srv.kind.as_str();
    let _ = write!(
        s,
        "<g class=\"server {kind}{}\" data-server=\"{}\" data-id=\"{}\" transform=\"translate({} {})\"><title>{}</title>",
        if down { " failed" } else { "" },
        xml_escape(&srv.name),
        srv.id.0,
        n(c.x),
        n(c.y),
        xml_escape(&srv.name)
    );
    let rx = if srv.kind == Kind::Dpm { 10 } else { 4 };
    let w = box_width(&srv.name);
    let _ = write!(
        s,
        "<rect class=\"body\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"{rx}\"/>",
        n(-w / 2.0),
        n(-NODE_H / 2.0),
        n(w),
        n(NODE_H)
    );
    let sub = match srv.kind {
        Kind::Dpm => roles(t, srv.id).caption(srv.is_mabs()),
        Kind::Protected => "protected server".to_string(),
    };
    let sub = if down { "failed".to_string() } else { sub };
    // A third line for the host and the replica set, when there are.
    let mut note: Vec<String> = Vec::new();
    if let Some(h) = srv.host.and_then(|h| t.server(h)) {
        note.push(format!("on {}", h.name));
    }
    if let Some(set) = srv.replica_set() {
        note.push(set.to_string());
    }
    let (name_y, sub_y) = if note.is_empty() { (-3, 15) } else { (-9, 6) };
    let _ = write!(
        s,
        "<text class=\"name\" x=\"0\" y=\"{name_y}\" text-anchor=\"middle\">{}</text><text class=\"sub\" x=\"0\" y=\"{sub_y}\" text-anchor=\"middle\">{}</text>",
        xml_escape(&crate::fit::fit_name(&srv.name)),
        xml_escape(&crate::fit::fit_caption(&sub, &srv.name))
    );
    if !note.is_empty() {
        let _ = write!(
            s,
            "<text class=\"note\" x=\"0\" y=\"20\" text-anchor=\"middle\">{}</text>",
            xml_escape(&crate::fit::fit_text(
                &note.join(" · "),
                w - 16.0,
                10.5,
                false
            ))
        );
    }
    tags(s, srv, w);
    s.push_str("</g>");
}

/// The dotted line from each guest to its host, and the dashed line from
/// each DPM server to the server holding its database (labelled "DPM
/// database"). Beside a protection between the same two servers, the line
/// bends away from the arrow; between servers on one row it bends up, so
/// the label sits clear of the servers.
fn estate_links(
    s: &mut String,
    t: &Topology,
    pos: &HashMap<ServerId, Point>,
    links: &HashSet<Link>,
    regions: &[SiteRegion],
) {
    let related = |a: ServerId, b: ServerId| {
        links.contains(&Link {
            protector: a,
            target: b,
        }) || links.contains(&Link {
            protector: b,
            target: a,
        })
    };
    let bend = |a: Point, b: Point, beside: bool, label: bool| {
        if (a.y - b.y).abs() < NODE_H && (label || (a.x - b.x).abs() > NODE_W * 1.6) {
            if a.x < b.x {
                -90.0
            } else {
                90.0
            }
        } else if beside {
            34.0
        } else {
            0.0
        }
    };
    let mut any = false;
    for srv in &t.servers {
        let from = pos.get(&srv.id).copied();
        let host = srv.host.and_then(|h| pos.get(&h).map(|&p| (h, p)));
        let db = srv
            .database
            .filter(|&d| srv.is_dpm() && d != srv.id)
            .and_then(|d| pos.get(&d).map(|&p| (d, p)));
        let Some(a) = from else { continue };
        if (host.is_some() || db.is_some()) && !any {
            s.push_str("<g class=\"estate\">");
            any = true;
        }
        if let Some((h, b)) = host.filter(|(h, _)| *h != srv.id) {
            let half = (box_width(&srv.name) / 2.0, box_width(t.name(h)) / 2.0);
            let g = arrow_sized(a, b, bend(a, b, related(srv.id, h), false), half);
            let _ = write!(
                s,
                "<path class=\"host-link\" d=\"{}\" data-host=\"{}-&gt;{}\"><title>{} runs on {}</title></path>",
                g.d,
                xml_escape(&srv.name),
                xml_escape(t.name(h)),
                xml_escape(&srv.name),
                xml_escape(t.name(h))
            );
        }
        if let Some((d, b)) = db {
            let beside = related(srv.id, d) || srv.host == Some(d);
            let half = (box_width(&srv.name) / 2.0, box_width(t.name(d)) / 2.0);
            let g = arrow_sized(a, b, bend(a, b, beside, true), half);
            // Centred on the curve; its halo keeps it legible where an
            // arrow crosses it.
            let (anchor, lx) = ("middle", g.mid.x);
            // Its halo the colour of what it sits on.
            let in_site = regions.iter().any(|r| {
                g.mid.x > r.x && g.mid.x < r.x + r.w && g.mid.y > r.y && g.mid.y < r.y + r.h
            });
            let class = if in_site {
                "database-label in-site"
            } else {
                "database-label"
            };
            let _ = write!(
                s,
                "<path class=\"database-link\" d=\"{}\" data-database=\"{}-&gt;{}\"/><text class=\"{class}\" x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\">DPM database<title>{}'s DPM database is on {}</title></text>",
                g.d,
                xml_escape(&srv.name),
                xml_escape(t.name(d)),
                n(lx),
                n(g.mid.y + 4.0),
                xml_escape(&srv.name),
                xml_escape(t.name(d))
            );
        }
    }
    if any {
        s.push_str("</g>");
    }
}

/// Small tags along the top edge, left, of a server's box `w` wide: Azure,
/// DC, scale-out.
fn tags(s: &mut String, srv: &crate::model::Server, w: f64) {
    let mut x = -w / 2.0 + 6.0;
    let y = -NODE_H / 2.0 - 7.0;
    let mut tag = |class: &str, text: &str, title: &str, chars: f64| {
        let w = chars * 5.8 + 10.0;
        let _ = write!(
            s,
            "<g class=\"tag {class}\"><title>{title}</title><rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"14\" rx=\"7\"/><text x=\"{}\" y=\"{}\">{text}</text></g>",
            n(x),
            n(y),
            n(w),
            n(x + w / 2.0),
            n(y + 10.5)
        );
        x += w + 4.0;
    };
    if srv.is_azure() {
        tag("azure", "☁ Azure", "Azure virtual machine", 7.0);
    }
    if srv.is_dpm() && srv.is_domain_controller() {
        tag("dc", "DC", "DPM installed on a domain controller", 2.0);
    }
    if srv.is_scale_out() {
        tag(
            "scale-out",
            "scale-out",
            "scale-out: its VMs are spread over several DPM servers",
            9.0,
        );
    }
}

fn badge(s: &mut String, at: Point, sev: Severity) {
    let _ = write!(
        s,
        "<g class=\"badge {}\" transform=\"translate({} {})\"><title>{}</title><circle r=\"9\"/><text y=\"4\">{}</text></g>",
        sev.as_str(),
        n(at.x),
        n(at.y),
        sev.as_str(),
        badge_symbol(sev)
    );
}

/// Names longer than a node shows end with an ellipsis (the full name is in
/// the properties and the table).
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

/// Numbers as SVG wants them: no trailing ".0".
fn n(v: f64) -> String {
    crate::geometry::num(v)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::model::Protection;

    /// A page shaped as scripts/viewer-page.mjs writes it.
    const PAGE: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>DPM scenario</title></head>\n<body data-scenario=\"\" data-theme=\"\" data-editor=\"\">\n<script>x</script></body></html>";

    #[test]
    fn the_viewer_page_takes_the_scenario_into_attributes_escaped() {
        let mut t = hostile();
        t.title = Some("\"><script>alert(1)</script>".into());
        let page = viewer_page(
            PAGE,
            &t,
            Some(Theme::Dark),
            Some("https://x.example/a?b=\"c\""),
        )
        .unwrap();
        assert!(page.contains(&format!("data-scenario=\"{}\"", crate::to_share(&t))));
        assert!(page.contains("data-theme=\"dark\""));
        assert!(page.contains("data-editor=\"https://x.example/a?b=&quot;c&quot;\""));
        assert!(page.contains("<title>&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</title>"));
        // Nothing else of the page changes; one script, as before.
        assert_eq!(page.matches("<script>").count(), 1);
        assert!(page.ends_with("\">\n<script>x</script></body></html>"));
        // The scenario read back from the page is the drawing.
        let share = page
            .split("data-scenario=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap();
        assert_eq!(
            crate::from_share(share).unwrap().servers.len(),
            t.servers.len()
        );
    }

    #[test]
    fn a_page_that_is_not_the_viewers_is_refused() {
        let t = hostile();
        assert!(viewer_page("<html><body></body></html>", &t, None, None).is_err());
        let twice = format!("{PAGE}{VIEWER_PAGE_ROOT}");
        assert!(viewer_page(&twice, &t, None, None).is_err());
        let page = viewer_page(PAGE, &t, None, None).unwrap();
        assert!(
            page.contains("data-theme=\"\" data-editor=\"\""),
            "no palette, no editor link"
        );
        let untitled = PAGE.replace("<title>DPM scenario</title>", "");
        assert!(viewer_page(&untitled, &t, None, None).is_err());
        for bad in ["javascript:alert(1)", "data:text/html,x", "//x.example/"] {
            assert!(viewer_page(PAGE, &t, None, Some(bad)).is_err(), "{bad}");
        }
        assert!(viewer_page(PAGE, &t, None, Some("HTTPS://X.example/")).is_ok());
    }

    /// The template the build fills (viewer/view.html) has each place
    /// [`viewer_page`] fills, once, and its charset in the first bytes.
    #[test]
    fn the_viewer_template_has_one_place_for_each_fact() {
        let template = include_str!("../../viewer/view.html");
        assert_eq!(template.matches(VIEWER_PAGE_ROOT).count(), 1);
        assert_eq!(template.matches("<title>DPM scenario</title>").count(), 1);
        let charset = template.find("<meta charset=\"utf-8\">").unwrap();
        assert!(charset < 200 && charset < template.find(VIEWER_PAGE_ROOT).unwrap());
    }

    #[test]
    fn the_dark_svg_overrides_the_light_one_and_bare_leaves_the_style_out() {
        let t = crate::presets::scenario_1();
        let f = crate::check(&t);
        let light = to_svg(&t, &f, &SvgOptions::default());
        let dark = to_svg(
            &t,
            &f,
            &SvgOptions {
                theme: Theme::Dark,
                ..SvgOptions::default()
            },
        );
        let bare = to_svg_bare(&t, &f, &SvgOptions::default());
        assert!(light.contains("<style>") && !light.contains("#161b22"));
        assert!(dark.contains(".bg { fill: #161b22; }"));
        assert!(!bare.contains("<style"));
        // The drawing itself is the same in all three.
        let body = |s: &str| s[s.find("<defs>").unwrap()..].to_string();
        assert_eq!(body(&light), body(&dark));
        assert_eq!(body(&light), body(&bare));
        assert_eq!(Theme::from_id("DARK"), Some(Theme::Dark));
        assert_eq!(Theme::from_id("sepia"), None);
    }

    fn hostile() -> Topology {
        let mut t = Topology::new();
        t.title = Some("<script>alert(1)</script>".into());
        let a = t.add_server("<img src=x onerror=alert(1)>", Kind::Dpm);
        let b = t.add_server("\"quoted\" & 'single'", Kind::Protected);
        t.connect(Protection::new(a, b));
        t
    }

    /// Two sites, a VM on its host, a remote database, an Azure server, a
    /// domain controller, a scale-out cluster and a DAG.
    pub(crate) fn estate() -> Topology {
        let mut t = Topology::new();
        let hv = t.add_server("HV1", Kind::Protected);
        let sql = t.add_server("SQLDB1", Kind::Protected);
        let dpm1 = t.add_server("DPM1", Kind::Dpm);
        let ex1 = t.add_server("EX1", Kind::Protected);
        let clu = t.add_server("HVCLU2", Kind::Protected);
        let dpm2 = t.add_server("DPM2", Kind::Dpm);
        let ex2 = t.add_server("EX2", Kind::Protected);
        let az = t.add_server("AZDPM1", Kind::Dpm);
        let azvm = t.add_server("AZVM1", Kind::Protected);
        for (id, site) in [
            (hv, "London"),
            (sql, "London"),
            (dpm1, "London"),
            (ex1, "London"),
            (clu, "London"),
            (dpm2, "DR site"),
            (ex2, "DR site"),
            (az, "Azure West Europe"),
            (azvm, "Azure West Europe"),
        ] {
            t.server_mut(id).unwrap().site = Some(site.into());
        }
        {
            let d = t.server_mut(dpm1).unwrap();
            d.host = Some(hv);
            d.database = Some(sql);
            d.version = crate::model::Version::parse("10.19.379.0");
            d.database_backup = Some(vec![crate::model::BackupMedium::Tape]);
        }
        t.server_mut(sql).unwrap().host = Some(hv);
        t.server_mut(dpm2).unwrap().domain_controller = Some(true);
        t.server_mut(clu).unwrap().scale_out = Some(true);
        t.server_mut(ex1).unwrap().replica_set = Some("DAG1".into());
        t.server_mut(ex2).unwrap().replica_set = Some("DAG1".into());
        t.server_mut(az).unwrap().azure = Some(true);
        t.server_mut(azvm).unwrap().azure = Some(true);
        for (a, b) in [
            (dpm1, sql),
            (dpm1, hv),
            (dpm1, ex1),
            (dpm1, clu),
            (dpm2, dpm1),
            (dpm2, ex2),
            (az, azvm),
        ] {
            t.connect(Protection::new(a, b));
        }
        t
    }

    #[test]
    fn svg_names_fit_their_boxes_and_carry_the_full_name() {
        let mut t = Topology::new();
        let a = t.add_server("dpm-lon-prod-01.corp.example.com", Kind::Dpm);
        let b = t.add_server("SQLCLUSTER-LON-AG01", Kind::Protected);
        let c = t.add_server("DPM2", Kind::Dpm);
        t.connect(Protection::new(a, b));
        t.connect(Protection::new(a, c));
        let svg = to_svg(&t, &[], &SvgOptions::default());
        for (full, shown) in [
            ("dpm-lon-prod-01.corp.example.com", "dpm-lon-prod-01"),
            ("SQLCLUSTER-LON-AG01", "SQLCLUSTE…-AG01"),
        ] {
            assert!(svg.contains(&format!("<title>{full}</title>")), "{full}");
            assert_eq!(crate::fit::fit_name(full), shown);
            assert!(svg.contains(&format!(">{shown}</text>")), "{shown}");
            // Its box grew for it.
            let w = box_width(full);
            assert!(w > NODE_W, "{w}");
            assert!(
                svg.contains(&format!("width=\"{}\" height=\"{}\"", n(w), n(NODE_H))),
                "{full}: {w}"
            );
        }
        // A short name keeps the least box.
        assert!(svg.contains(&format!("width=\"{}\" height=\"{}\"", n(NODE_W), n(NODE_H))));
        // The caption of a DPM server that is both shows whole in the box
        // grown for its name.
        assert!(svg.contains(">primary &amp; secondary</text>"), "{svg}");
    }

    #[test]
    fn write_sample() {
        let t = estate();
        let svg = to_svg(&t, &crate::check::check(&t), &SvgOptions::default());
        if let Ok(path) = std::env::var("DRAW_SAMPLE") {
            std::fs::write(path, &svg).unwrap();
        }
    }

    #[test]
    fn dot_is_what_graphviz_reads() {
        let mut t = Topology::new();
        t.title = Some("A \"q\" <b>".into());
        let d = t.add_server("D\\1", Kind::Dpm);
        let p = t.add_server("P&1", Kind::Protected);
        let q = t.add_server("P2", Kind::Protected);
        let mut switched = Protection::new(d, p);
        switched.switched = true;
        t.connect(switched);
        t.connect(Protection::new(d, q));
        expect_test::expect![[r##"
            digraph dpm {
                rankdir = TB
                label = "A \"q\" &lt;b&gt;"
                labelloc = t
                0 [ label = "D\\1" shape = cylinder style = filled fillcolor = "#1f4e8c" fontcolor = white]
                1 [ label = "P&amp;1" shape = box]
                2 [ label = "P2" shape = box]
                0 -> 1 [ style = dashed label = "switched"]
                0 -> 2 [ ]
            }
        "##]]
        .assert_eq(&to_dot(&t));
    }

    #[test]
    fn hostile_names_stay_text_in_svg() {
        let t = hostile();
        let svg = to_svg(
            &t,
            &crate::check::check(&t),
            &SvgOptions {
                list_findings: true,
                ..Default::default()
            },
        );
        assert!(!svg.contains("<img"), "{svg}");
        assert!(!svg.contains("<script"), "{svg}");
        assert!(svg.contains("&lt;img src=x onerror=alert(1)&gt;"));
    }

    #[test]
    fn hostile_names_stay_text_in_mermaid_and_dot() {
        let t = hostile();
        let m = to_mermaid(&t);
        let markup = m
            .replace("<br/>", "")
            .replace("<small>", "")
            .replace("</small>", "")
            .replace("-->", "");
        assert!(!markup.contains('<') && !markup.contains('>'), "{m}");
        assert!(!m.contains("\"quoted\""), "{m}");
        let d = to_dot(&t);
        assert!(
            d.contains("label = \"\\\"quoted\\\" &amp; 'single'\""),
            "{d}"
        );
        assert!(d.contains("&lt;img src=x onerror=alert(1)&gt;"), "{d}");
    }

    #[test]
    fn svg_draws_sites_hosts_databases_and_tags() {
        let t = estate();
        let svg = to_svg(&t, &crate::check::check(&t), &SvgOptions::default());
        for want in [
            "<g class=\"site\" data-site=\"London\"><rect class=\"site-area\"",
            ">DR site</text>",
            ">Azure West Europe</text>",
            "<path class=\"host-link\"",
            "data-host=\"DPM1-&gt;HV1\"",
            "data-host=\"SQLDB1-&gt;HV1\"",
            ">on HV1</text>",
            "<path class=\"database-link\"",
            "data-database=\"DPM1-&gt;SQLDB1\"",
            ">DPM database<title>",
            "<g class=\"tag azure\">",
            "<g class=\"tag dc\">",
            "<g class=\"tag scale-out\">",
            ">DAG1</text>",
        ] {
            assert!(svg.contains(want), "no {want} in {svg}");
        }
        assert_eq!(svg.matches("class=\"tag azure\"").count(), 2);
        // Regions are drawn before (under) the protections and servers.
        assert!(svg.find("class=\"sites\"") < svg.find("class=\"protections\""));
        assert!(svg.find("class=\"estate\"") < svg.find("class=\"servers\""));
    }

    #[test]
    fn drawings_without_the_new_facts_draw_as_before() {
        let t = crate::presets::scenario_1();
        let svg = to_svg(&t, &crate::check::check(&t), &SvgOptions::default());
        for absent in [
            "class=\"sites\"",
            "class=\"estate\"",
            "class=\"note\"",
            "<g class=\"tag",
        ] {
            assert!(!svg.contains(absent), "{absent}");
        }
        assert!(!to_mermaid(&t).contains("subgraph"));
        assert!(!to_dot(&t).contains("subgraph"));
    }

    fn hostile_sites() -> Topology {
        let mut t = Topology::new();
        let a = t.add_server("A", Kind::Dpm);
        let b = t.add_server("B", Kind::Protected);
        let c = t.add_server("C", Kind::Protected);
        t.server_mut(a).unwrap().site = Some("</text><script>alert(\"x\")</script> & 'q'".into());
        t.server_mut(b).unwrap().site = Some("[end] \"subgraph\" {x}; \\".into());
        t.server_mut(c).unwrap().replica_set = Some("<b>DAG</b>".into());
        t.server_mut(b).unwrap().host = Some(a);
        t.connect(Protection::new(a, b));
        t
    }

    #[test]
    fn hostile_site_names_stay_text_everywhere() {
        let t = hostile_sites();
        let svg = to_svg(&t, &crate::check::check(&t), &SvgOptions::default());
        assert!(
            !svg.contains("<script") && !svg.contains("</text><script"),
            "{svg}"
        );
        assert!(!svg.contains("<b>"), "{svg}");
        assert!(svg.contains("data-site=\"&lt;/text&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;\""), "{svg}");

        let m = to_mermaid(&t);
        let subgraphs: Vec<&str> = m.lines().filter(|l| l.contains("subgraph")).collect();
        assert_eq!(subgraphs.len(), 2, "{m}");
        for line in subgraphs {
            // Our id, then one quoted label with nothing Mermaid reads in it.
            let rest = line.trim_start().strip_prefix("subgraph site").unwrap();
            let label = rest
                .split_once("[\"")
                .unwrap()
                .1
                .strip_suffix("\"]")
                .unwrap();
            assert!(
                !label.contains(['"', '<', '>', '[', ']', '{', '}']),
                "{line}"
            );
        }
        assert_eq!(m.matches("\n  end\n").count(), 2, "{m}");

        let d = to_dot(&t);
        assert!(
            d.contains(
                "label = \"&lt;/text&gt;&lt;script&gt;alert(\\\"x\\\")&lt;/script&gt; &amp; 'q'\""
            ),
            "{d}"
        );
        assert!(
            d.contains("label = \"[end] \\\"subgraph\\\" {x}; \\\\\""),
            "{d}"
        );
    }

    #[test]
    fn sites_are_mermaid_subgraphs_and_dot_clusters() {
        let t = estate();
        expect_test::expect![[r#"
            flowchart TD
              subgraph site0["Azure West Europe"]
                s7[("AZDPM1<br/><small>DPM server, primary</small>")]
                s8["AZVM1"]
              end
              subgraph site1["DR site"]
                s5[("DPM2<br/><small>DPM server, primary and secondary</small>")]
                s6["EX2"]
              end
              subgraph site2["London"]
                s2[("DPM1<br/><small>DPM server, primary</small>")]
                s3["EX1"]
                s0["HV1"]
                s4["HVCLU2"]
                s1["SQLDB1"]
              end
              s2 --> s1
              s2 --> s0
              s2 --> s3
              s2 --> s4
              s5 --> s2
              s5 --> s6
              s7 --> s8
              s1 -. on .- s0
              s2 -. on .- s0
              s2 -. DPM database .- s1
              classDef dpm fill:#1f4e8c,stroke:#163a69,color:#ffffff
              classDef protected fill:#ffffff,stroke:#56657a,color:#1b2430
              class s2,s5,s7 dpm
              class s0,s1,s3,s4,s6,s8 protected
        "#]]
        .assert_eq(&to_mermaid(&t));
        let d = to_dot(&t);
        assert!(
            d.contains("    subgraph cluster_2 {\n        label = \"London\"\n"),
            "{d}"
        );
        assert!(
            d.contains("        2\n        3\n        0\n        4\n        1\n    }\n"),
            "{d}"
        );
        assert!(d.contains("    2 -> 1 [ style = dashed arrowhead = none label = \"DPM database\" constraint = false]\n"), "{d}");
        assert!(
            d.contains(
                "    1 -> 0 [ style = dotted arrowhead = none label = \"on\" constraint = false]\n"
            ),
            "{d}"
        );
    }
}
