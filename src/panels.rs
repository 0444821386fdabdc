//! Side panels: the properties of what is selected, the problems, and the
//! seeds' table.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use dpm_rules::{
    badge_symbol, table_rows, xml_escape as esc, DpmVersion, Finding, Kind, Link, RowRole,
    ServerId, Severity, Topology, VssWriter, Workload, NODE_H, NODE_W,
};

use crate::state::{Camera, Editor, Mode, Positions};
use crate::vlist::{self, WINDOW_FROM};

/// Centres the view on these servers and selects them.
pub fn reveal(ed: Editor, pos: Positions, ids: &[ServerId], link: Option<Link>) {
    // Where a server is drawn, or (in a large estate, out of view and not
    // drawn) where the drawing has it.
    let pts: Vec<_> = ids
        .iter()
        .filter_map(|&id| {
            pos.get(id)
                .or_else(|| ed.doc.with_untracked(|t| t.server(id).and_then(|s| s.pos)))
        })
        .collect();
    if !pts.is_empty() {
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for p in &pts {
            x0 = x0.min(p.x);
            y0 = y0.min(p.y);
            x1 = x1.max(p.x);
            y1 = y1.max(p.y);
        }
        let (w, h) = ed.viewport.get_untracked();
        let k = ed.camera.get_untracked().k.max(0.6);
        let fit = Camera::fitting(
            (
                x0 - NODE_W / 2.0,
                y0 - NODE_H / 2.0,
                x1 + NODE_W / 2.0,
                y1 + NODE_H / 2.0,
            ),
            w,
            h,
            1.25,
        );
        let k = k.min(fit.k);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        ed.camera.set(Camera {
            x: w / 2.0 - cx * k,
            y: h / 2.0 - cy * k,
            k,
        });
    }
    if ed.mode.get_untracked() == Mode::Edit {
        match link {
            Some(l) => {
                ed.selection.set(Vec::new());
                ed.selected_link.set(Some(l));
            }
            None => {
                ed.selected_link.set(None);
                ed.selection.set(ids.to_vec());
            }
        }
    }
}

/// A protection as `link_attr` writes it in a `data-link`.
pub fn parse_link(l: &str) -> Option<Link> {
    let (a, t) = l.split_once(' ')?;
    Some(Link {
        protector: ServerId(a.parse().ok()?),
        target: ServerId(t.parse().ok()?),
    })
}

/// One finding as an `<li>`: what, where, and (unless `compact`) the
/// documentation sentence behind it. Compact rows have one height, for
/// long lists drawn a window at a time; the sentence is in the tip the
/// row's button opens on the drawing.
fn finding_html(t: &Topology, f: &Finding, compact: bool) -> String {
    let sev = f.severity();
    let source = f.rule.source();
    let ids: Vec<String> = f.servers.iter().map(|id| id.0.to_string()).collect();
    let link = f
        .protections
        .first()
        .map(|l| format!(" data-link=\"{}\"", link_attr(*l)))
        .unwrap_or_default();
    let quote = if compact {
        String::new()
    } else {
        format!(
            "<blockquote class=\"finding-source\">“{}”<cite>{}</cite></blockquote>",
            esc(source.text),
            esc(source.document)
        )
    };
    format!(
        concat!(
            "<li class=\"finding {sev}\" data-rule=\"{rule}\">",
            "<button class=\"finding-button\" title=\"Show on the drawing\" data-action=\"show-finding\" data-ids=\"{ids}\"{link}>",
            "<span class=\"finding-icon\" aria-hidden=\"true\">{icon}</span><span class=\"finding-body\">",
            "<span class=\"finding-title\"><span class=\"sr-only\">{sev}: </span>{title}",
            "<span class=\"finding-servers\">{servers}</span></span>",
            "<span class=\"finding-message\">{message}</span></span></button>{quote}</li>"
        ),
        sev = sev.as_str(),
        rule = f.rule.id(),
        ids = ids.join(" "),
        link = link,
        icon = badge_symbol(sev),
        title = esc(f.rule.title()),
        servers = esc(&names(t, &f.servers)),
        message = esc(&f.message),
        quote = quote,
    )
}

/// Rewrites `root`'s markup; the control that had the focus (known by its
/// `data-k`) has it again in the new markup.
pub fn set_html_keeping_focus(root: &web_sys::Element, html: &str) {
    let focused = document()
        .active_element()
        .filter(|a| root.contains(Some(a)))
        .and_then(|a| a.get_attribute("data-k"));
    root.set_inner_html(html);
    if let Some(el) = focused
        .and_then(|k| {
            root.query_selector(&format!("[data-k=\"{k}\"]"))
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// The findings as markup: grouped by severity (errors first); a group of
/// more than `WINDOW_FROM` is drawn a window at a time, in compact rows.
fn findings_html(t: &Topology, fs: &[Finding]) -> String {
    if fs.is_empty() {
        return "<p class=\"empty\">No findings: DPM supports this topology as drawn.</p>".into();
    }
    let mut out = String::new();
    for (sev, heading) in [
        (Severity::Error, "Errors"),
        (Severity::Warning, "Warnings"),
        (Severity::Info, "Notes"),
    ] {
        let of: Vec<&Finding> = fs.iter().filter(|f| f.severity() == sev).collect();
        if of.is_empty() {
            continue;
        }
        let compact = of.len() > WINDOW_FROM;
        let rows = of.iter().map(|f| finding_html(t, f, compact)).collect();
        out.push_str(&format!(
            "<section class=\"finding-group\"><h3>{heading} ({})</h3>{}</section>",
            of.len(),
            vlist::html(sev.as_str(), rows, 58, heading)
        ));
    }
    out
}

/// Findings grouped by severity, each with the documentation behind it; a
/// click selects and centres what it concerns. Markup, rewritten when the
/// findings change, with one delegated handler.
#[component]
pub fn FindingsPanel() -> impl IntoView {
    let ed = crate::ctx().ed;
    let pos = crate::ctx().pos;
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::clicked(&ev) else {
            return;
        };
        let ids: Vec<ServerId> = b
            .get_attribute("data-ids")
            .unwrap_or_default()
            .split(' ')
            .filter_map(|i| i.parse().ok().map(ServerId))
            .collect();
        let link = b.get_attribute("data-link").and_then(|l| parse_link(&l));
        reveal(ed, pos, &ids, link);
    };
    let html = move || {
        ed.findings
            .with(|fs| ed.shown.with_untracked(|t| findings_html(t, fs)))
    };
    view! {
        <section class="panel findings-panel" aria-labelledby="problems-heading">
            <h2 id="problems-heading">"Problems"</h2>
            <div on:click=on_click inner_html=html></div>
        </section>
    }
}

fn names(t: &Topology, ids: &[ServerId]) -> String {
    if ids.is_empty() {
        "-".to_string()
    } else {
        ids.iter()
            .map(|&id| t.name(id))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The seeds' "Server | Protecting | Protected by" table, following every
/// edit (its first 300 rows; Export → Table has them all).
#[component]
pub fn TablePanel() -> impl IntoView {
    let ed = crate::ctx().ed;
    let rows = move || {
        ed.shown.with(|t| {
            let rows = table_rows(t);
            let mut out = String::new();
            for r in rows.iter().take(300) {
                let label = match r.role {
                    RowRole::None => String::new(),
                    role => format!(" ({})", role.label()),
                };
                out.push_str(&format!(
                    "<tr><td>{}<span class=\"role\">{label}</span></td><td>{}</td><td>{}</td></tr>",
                    esc(t.name(r.server)),
                    esc(&names(t, &r.protecting)),
                    esc(&names(t, &r.protected_by))
                ));
            }
            if rows.len() > 300 {
                out.push_str(&format!(
                    "<tr><td colspan=\"3\" class=\"muted\">…and {} more rows (Export → Table has them all).</td></tr>",
                    rows.len() - 300
                ));
            }
            out
        })
    };
    view! {
        <section class="panel table-panel" aria-labelledby="table-heading">
            <h2 id="table-heading">"Protection table"</h2>
            <table class="dpm-table">
                <thead>
                    <tr><th scope="col">"Server"</th><th scope="col">"Protecting"</th><th scope="col">"Protected by"</th></tr>
                </thead>
                <tbody inner_html=rows></tbody>
            </table>
        </section>
    }
}

/// What the properties panel is about, as its markup needs it.
#[derive(Clone, PartialEq)]
enum About {
    Nothing,
    Many(usize),
    /// A protection: its link, (protector, target, switched, what it is,
    /// whether it protects a protected server); `None` once it is gone.
    Link(Link, Option<(String, String, bool, &'static str, bool)>),
    /// A server and its protections, (link, words); `None` once it is gone.
    Server(Option<dpm_rules::Server>, Vec<(Link, String)>),
}

fn about(t: &Topology, sel: &[ServerId], link: Option<Link>) -> About {
    if let Some(l) = link {
        let facts = t.protection(l).map(|p| {
            let kind_of = |id| t.server(id).map(|s| s.kind);
            let what = match (kind_of(p.protector), kind_of(p.target)) {
                _ if p.protector == p.target => "Self-protection (its own database)",
                (_, Some(Kind::Dpm)) => "Secondary protection",
                _ => "Primary protection",
            };
            (
                t.name(p.protector).to_string(),
                t.name(p.target).to_string(),
                p.switched,
                what,
                kind_of(p.target) == Some(Kind::Protected),
            )
        });
        return About::Link(l, facts);
    }
    match sel {
        [] => About::Nothing,
        [id] => {
            let id = *id;
            let mut out: Vec<(Link, String, bool)> = t
                .protections
                .iter()
                .filter(|p| p.protector == id || p.target == id)
                .map(|p| {
                    let text = if p.protector == p.target {
                        "protects itself".to_string()
                    } else if p.protector == id {
                        format!("protects {}", t.name(p.target))
                    } else {
                        format!("protected by {}", t.name(p.protector))
                    };
                    (p.link(), text, p.protector == id)
                })
                .collect();
            dpm_rules::sort_by(&mut out, &|a, b| b.2.cmp(&a.2).then(a.1.cmp(&b.1)));
            About::Server(
                t.server(id).cloned(),
                out.into_iter().map(|(l, w, _)| (l, w)).collect(),
            )
        }
        many => About::Many(many.len()),
    }
}

fn link_attr(l: Link) -> String {
    format!("{} {}", l.protector.0, l.target.0)
}

/// `<option>`s, `selected` preselected.
fn choices<'a>(items: impl Iterator<Item = (&'a str, &'a str)>, selected: &str) -> String {
    items
        .map(|(v, label)| {
            let on = if v == selected { " selected" } else { "" };
            format!("<option value=\"{v}\"{on}>{}</option>", esc(label))
        })
        .collect()
}

fn checked(on: bool) -> &'static str {
    if on {
        " checked"
    } else {
        ""
    }
}

fn props_html(a: &About) -> String {
    match a {
        About::Nothing => "<p class=\"empty\">Select a server to see and edit its facts, or drag one in from the palette.</p>".into(),
        About::Many(n) => format!(
            "<p>{n} servers selected.</p><div class=\"row\"><button class=\"btn danger\" data-action=\"delete-selection\">Delete {n} servers</button></div>"
        ),
        About::Link(_, None) | About::Server(None, _) => {
            "<p class=\"empty\">It is gone.</p>".into()
        }
        About::Link(l, Some((a, b, switched, what, to_protected))) => {
            let switch = if *to_protected {
                format!(
                    "<label class=\"check\"><input type=\"checkbox\" data-fact=\"switched\" data-k=\"switched\"{}> Switched protection (taken over after the primary failed)</label>",
                    checked(*switched)
                )
            } else {
                String::new()
            };
            format!(
                "<p class=\"link-title\"><strong>{}</strong> → <strong>{}</strong></p><p class=\"muted\">{what}</p>{switch}<div class=\"row\"><button class=\"btn danger\" data-action=\"unlink\" data-link=\"{}\" data-k=\"unlink\">Delete protection</button></div>",
                esc(a),
                esc(b),
                link_attr(*l)
            )
        }
        About::Server(Some(s), links) => {
            let is_dpm = s.kind == Kind::Dpm;
            let mut out = format!(
                concat!(
                    "<label class=\"field\"><span>Name</span><input type=\"text\" value=\"{}\" maxlength=\"80\" data-fact=\"name\" data-k=\"name\" aria-describedby=\"name-error\"></label>",
                    "<p class=\"field-error\" id=\"name-error\" role=\"alert\"></p>",
                    "<label class=\"field\"><span>Kind</span><select data-fact=\"kind\" data-k=\"kind\">{}</select></label>"
                ),
                esc(&s.name),
                choices(
                    [("dpm", "DPM server"), ("protected", "Protected server")].into_iter(),
                    if is_dpm { "dpm" } else { "protected" }
                ),
            );
            if is_dpm {
                let versions = std::iter::once(("", "Not known"))
                    .chain(DpmVersion::ALL.iter().map(|v| (v.as_str(), v.as_str())));
                out.push_str(&format!(
                    concat!(
                        "<label class=\"field\"><span>DPM version</span><select data-fact=\"version\" data-k=\"version\">{}</select></label>",
                        "<label class=\"field\"><span>Update rollup</span><input type=\"text\" value=\"{}\" placeholder=\"e.g. UR10\" maxlength=\"64\" data-fact=\"rollup\" data-k=\"rollup\"></label>",
                        "<label class=\"field\"><span>SQL Server VSS Writer</span><select data-fact=\"vss\" data-k=\"vss\">{}</select></label>",
                        "<label class=\"check\"><input type=\"checkbox\" data-fact=\"mabs\" data-k=\"mabs\"{}> Microsoft Azure Backup Server (MABS)</label>"
                    ),
                    choices(versions, s.release().map(|v| v.as_str()).unwrap_or("")),
                    esc(s.rollup.as_deref().unwrap_or("")),
                    choices(
                        [("", "Not known"), ("running", "Running"), ("stopped", "Stopped")].into_iter(),
                        s.vss_writer.map(|v| v.as_str()).unwrap_or("")
                    ),
                    checked(s.is_mabs()),
                ));
            } else {
                let have = s.workloads();
                out.push_str("<fieldset class=\"workloads\"><legend>Workloads</legend>");
                for w in Workload::ALL {
                    out.push_str(&format!(
                        "<label class=\"check\"><input type=\"checkbox\" data-fact=\"workload\" data-w=\"{0}\" data-k=\"w-{0}\"{1}> {2}</label>",
                        w.as_str(),
                        checked(have.contains(&w)),
                        esc(w.label())
                    ));
                }
                out.push_str("</fieldset>");
            }
            out.push_str("<h3>Protections</h3><ul class=\"link-list\">");
            for (l, words) in links {
                let at = link_attr(*l);
                out.push_str(&format!(
                    "<li><button class=\"link-button\" data-action=\"show-link\" data-link=\"{at}\" data-k=\"s{at}\">{w}</button><button class=\"icon-button\" data-action=\"unlink\" data-link=\"{at}\" data-k=\"u{at}\" aria-label=\"Delete: {w}\">×</button></li>",
                    w = esc(words)
                ));
            }
            out.push_str("</ul><div class=\"row\"><button class=\"btn danger\" data-action=\"delete-selection\" data-k=\"delete\">Delete server</button></div>");
            out
        }
    }
}

/// Every fact of the selected server or protection, editable.
///
/// Markup with delegated handlers, rewritten when what it shows changes
/// (not on every edit elsewhere), keeping focus on the control that had it:
/// as reactive views it cost the bundle some 10 KB gzip more.
#[component]
pub fn PropertiesPanel() -> impl IntoView {
    let ed = crate::ctx().ed;
    let pos = crate::ctx().pos;
    let shown = Memo::new(move |_| {
        let sel = ed.selection.get();
        let link = ed.selected_link.get();
        ed.doc.with(|t| about(t, &sel, link))
    });
    let root = NodeRef::<leptos::html::Div>::new();
    let find = |root: &web_sys::Element, sel: &str| root.query_selector(sel).ok().flatten();
    Effect::new(move || {
        if let Some(root) = root.get() {
            set_html_keeping_focus(&root, &shown.with(props_html));
        }
    });
    // Enter or double-click on a server: the cursor in its name.
    Effect::new(move |_| {
        if let Some(id) = ed.rename_request.get() {
            ed.rename_request.set(None);
            request_animation_frame(move || {
                let input = root
                    .get_untracked()
                    .and_then(|r| find(&r, "[data-fact=name]"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
                if let (Some(i), true) = (input, ed.selection.get_untracked() == [id]) {
                    let _ = i.focus();
                    i.select();
                }
            });
        }
    });

    let one = move || match ed.selection.get_untracked().as_slice() {
        [id] => Some(*id),
        _ => None,
    };
    let set = move |f: &dyn Fn(&mut dpm_rules::Server)| {
        if let Some(id) = one() {
            ed.edit(|t| {
                if let Some(s) = t.server_mut(id) {
                    f(s);
                }
            });
        }
    };
    let name_error = move |text: &str| {
        if let Some(r) = root.get_untracked() {
            if let Some(p) = find(&r, "#name-error") {
                p.set_text_content(Some(text));
            }
            if let Some(i) = find(&r, "[data-fact=name]") {
                let _ = if text.is_empty() {
                    i.remove_attribute("aria-invalid")
                } else {
                    i.set_attribute("aria-invalid", "true")
                };
            }
        }
    };
    let on_change = move |ev: leptos::ev::Event| {
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let v = crate::author::value(&el);
        let on = v == "true";
        match el.get_attribute("data-fact").as_deref().unwrap_or("") {
            "name" => {
                let Some(id) = one() else { return };
                match ed.doc.with_untracked(|t| t.check_name(Some(id), v.trim())) {
                    Ok(()) => {
                        name_error("");
                        ed.edit(|t| {
                            let _ = t.rename(id, &v);
                        });
                    }
                    Err(e) => name_error(&e.to_string()),
                }
            }
            "kind" => {
                let k = if v == "dpm" {
                    Kind::Dpm
                } else {
                    Kind::Protected
                };
                set(&|s| {
                    s.kind = k;
                    s.drop_facts_of_other_kind();
                });
            }
            "version" => set(&|s| s.version = dpm_rules::Version::parse(&v)),
            "rollup" => {
                let r = v.trim();
                set(&|s| s.rollup = (!r.is_empty()).then(|| r.to_string()));
            }
            "vss" => set(&|s| {
                s.vss_writer = match v.as_str() {
                    "running" => Some(VssWriter::Running),
                    "stopped" => Some(VssWriter::Stopped),
                    _ => None,
                }
            }),
            "mabs" => set(&|s| s.mabs = on.then_some(true)),
            "workload" => {
                let Some(w) = el.get_attribute("data-w").and_then(|w| Workload::parse(&w)) else {
                    return;
                };
                set(&|s| {
                    let mut list = s.workloads.clone().unwrap_or_default();
                    list.retain(|x| *x != w);
                    if on {
                        list.push(w);
                    }
                    dpm_rules::sort_by(&mut list, &|a, b| a.cmp(b));
                    s.workloads = (!list.is_empty()).then_some(list);
                });
            }
            "switched" => {
                if let Some(l) = ed.selected_link.get_untracked() {
                    ed.edit(|t| {
                        if let Some(p) = t.protection_mut(l) {
                            p.switched = on;
                        }
                    });
                }
            }
            _ => {}
        }
    };
    let on_keydown = move |ev: web_sys::KeyboardEvent| {
        let is_name = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|e| e.get_attribute("data-fact").as_deref() == Some("name"));
        if is_name && ev.key() == "Escape" {
            name_error("");
        }
    };
    // One handler for the panel's buttons, by `data-action` (and the
    // protection a button is about, in `data-link`).
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::clicked(&ev) else {
            return;
        };
        let link = b.get_attribute("data-link").and_then(|l| parse_link(&l));
        match (b.get_attribute("data-action").as_deref(), link) {
            (Some("delete-selection"), _) => ed.delete_selection(),
            (Some("show-link"), Some(l)) => reveal(ed, pos, &[], Some(l)),
            (Some("unlink"), Some(l)) => {
                ed.edit(|t| {
                    t.disconnect(l);
                });
                if ed.selected_link.get_untracked() == Some(l) {
                    ed.selected_link.set(None);
                }
            }
            _ => {}
        }
    };
    view! {
        <section class="panel properties-panel" aria-labelledby="props-heading">
            <h2 id="props-heading">"Properties"</h2>
            <div node_ref=root on:click=on_click on:change=on_change on:keydown=on_keydown></div>
        </section>
    }
}
