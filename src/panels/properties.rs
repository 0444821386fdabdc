//! The Properties panel: every fact of the selected server or protection,
//! editable.

use crate::browser::markup::El;
use crate::state::reveal::link_attr;

use crate::browser::dom::find;
use crate::browser::markup::el;
use crate::browser::markup::set_keeping_focus;
use crate::browser::markup::Markup;
use crate::state::editor::Editor;
use crate::state::positions::Positions;
use crate::state::reveal::parse_link;
use crate::state::reveal::reveal;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use dpm_rules::{DpmVersion, Kind, Link, ServerId, Topology, VssWriter, Workload};

/// What the properties panel is about, as its markup needs it.
#[derive(Clone, PartialEq)]
enum About {
    Nothing,
    Many(usize),
    /// A protection: its link and facts; `None` once it is gone.
    Link(Link, Option<LinkFacts>),
    /// A server, its protections and what its fields offer; `None` once
    /// it is gone.
    Server(Option<dpm_rules::Server>, Vec<LinkWords>, Box<Offer>),
}

/// What the panel says of a selected protection.
#[derive(Clone, PartialEq)]
struct LinkFacts {
    protector: String,
    target: String,
    switched: bool,
    /// "Primary protection", "Secondary protection", "Self-protection…".
    what: &'static str,
    /// Whether it protects a protected server (and so can be switched).
    to_protected: bool,
}

/// One of a server's protections as its list says it: "protects SQL1",
/// "protected by DPM1", "protects itself".
#[derive(Clone, PartialEq)]
struct LinkWords {
    link: Link,
    /// "protects" or "protected by".
    verb: &'static str,
    /// The other server's name; `None` for the server itself.
    other: Option<String>,
}

impl LinkWords {
    fn other_or_itself(&self) -> &str {
        self.other.as_deref().unwrap_or("itself")
    }

    fn words(&self) -> String {
        format!("{} {}", self.verb, self.other_or_itself())
    }
}

/// What a server's fields offer besides its own facts.
#[derive(Clone, PartialEq, Default)]
struct Offer {
    /// The other servers, (id, name) in name order, for the host and
    /// database selects; `None` in a drawing too large for a select (the
    /// fields then take a name).
    others: Option<Vec<(ServerId, String)>>,
    /// The names of its host and database server.
    host: Option<String>,
    database: Option<String>,
    /// Sites and replica sets already named in the drawing, for the
    /// fields' suggestions.
    sites: Vec<String>,
    sets: Vec<String>,
}

/// Up to this many servers, a server's host and database are picked from a
/// select; above, typed by name.
const SELECT_UP_TO: usize = 400;
/// Suggestions a site or replica-set field offers at most.
const SUGGEST_UP_TO: usize = 200;

fn offer(t: &Topology, s: &dpm_rules::Server) -> Offer {
    let others = (t.servers.len() <= SELECT_UP_TO).then(|| {
        let mut ids: Vec<ServerId> = t
            .servers
            .iter()
            .filter(|o| o.id != s.id)
            .map(|o| o.id)
            .collect();
        t.sort_by_name(&mut ids);
        ids.into_iter()
            .map(|i| (i, t.name(i).to_string()))
            .collect()
    });
    let mut sites = dpm_rules::sites(t);
    sites.truncate(SUGGEST_UP_TO);
    let mut sets: Vec<String> = Vec::new();
    if !s.is_dpm() {
        for o in &t.servers {
            if let Some(r) = o.replica_set() {
                if sets.len() < SUGGEST_UP_TO && !sets.iter().any(|x| dpm_rules::same_name(x, r)) {
                    sets.push(r.to_string());
                }
            }
        }
        dpm_rules::sort_by(&mut sets, &|a, b| dpm_rules::natural_cmp(a, b));
    }
    let name_of = |id: Option<ServerId>| {
        id.filter(|&i| t.server(i).is_some())
            .map(|i| t.name(i).to_string())
    };
    Offer {
        others,
        host: name_of(s.host),
        database: name_of(s.database),
        sites,
        sets,
    }
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
            LinkFacts {
                protector: t.name(p.protector).to_string(),
                target: t.name(p.target).to_string(),
                switched: p.switched,
                what,
                to_protected: kind_of(p.target) == Some(Kind::Protected),
            }
        });
        return About::Link(l, facts);
    }
    match sel {
        [] => About::Nothing,
        [id] => {
            let id = *id;
            let mut out: Vec<LinkWords> = t
                .protections
                .iter()
                .filter(|p| p.protector == id || p.target == id)
                .map(|p| {
                    let (verb, other) = if p.protector == id {
                        ("protects", p.target)
                    } else {
                        ("protected by", p.protector)
                    };
                    LinkWords {
                        link: p.link(),
                        verb,
                        other: (p.protector != p.target).then(|| t.name(other).to_string()),
                    }
                })
                .collect();
            // What it protects first, then what protects it, each in the
            // order of their words.
            dpm_rules::sort_by(&mut out, &|a, b| {
                (b.verb == "protects")
                    .cmp(&(a.verb == "protects"))
                    .then(a.other_or_itself().cmp(b.other_or_itself()))
            });
            let server = t.server(id).cloned();
            let offer = server.as_ref().map(|s| offer(t, s)).unwrap_or_default();
            About::Server(server, out, Box::new(offer))
        }
        many => About::Many(many.len()),
    }
}

/// `<option>`s of (value, label), `selected` preselected.
fn choices<'a>(items: impl Iterator<Item = (&'a str, &'a str)>, selected: &str) -> Vec<El> {
    items
        .map(|(v, label)| {
            el("option")
                .attr("value", v)
                .flag("selected", v == selected)
                .text(label)
        })
        .collect()
}

/// `<label class="field"><span>label</span>control</label>`.
fn field(label: &str, control: El) -> El {
    el("label")
        .attr("class", "field")
        .child(el("span").text(label))
        .child(control)
}

/// A checkbox for fact `fact` with its label.
fn check_box(fact: &'static str, k: &str, on: bool, label: &str) -> El {
    el("label")
        .attr("class", "check")
        .child(
            el("input")
                .attr("type", "checkbox")
                .attr("data-fact", fact)
                .attr("data-k", k)
                .flag("checked", on),
        )
        .text(" ")
        .text(label)
}

/// The message of a field that refused a value (`role="alert"`, empty
/// until then).
fn field_error(id: &str) -> El {
    el("p")
        .attr("class", "field-error")
        .attr("id", id)
        .attr("role", "alert")
}

/// A text field with suggestions from a `<datalist>`.
fn suggesting(
    fact: &'static str,
    value: &str,
    placeholder: &str,
    list_id: &str,
    list: &[String],
) -> El {
    el("span")
        .attr("class", "suggesting")
        .child(
            el("input")
                .attr("type", "text")
                .attr("value", value)
                .attr("placeholder", placeholder)
                .attr("maxlength", "80")
                .attr("list", list_id)
                .attr("data-fact", fact)
                .attr("data-k", fact)
                .attr("dir", "auto"),
        )
        .child(
            el("datalist")
                .attr("id", list_id)
                .children(list.iter().map(|v| el("option").attr("value", v))),
        )
}

/// The host or database field: a select of the other servers (value: the
/// id), or in a large drawing a field for a name.
fn server_pick(
    fact: &'static str,
    none: &str,
    current: Option<ServerId>,
    current_name: Option<&str>,
    offer: &Offer,
) -> El {
    match &offer.others {
        Some(others) => el("select")
            .attr("data-fact", fact)
            .attr("data-k", fact)
            .attr("aria-describedby", format!("{fact}-error"))
            .child(
                el("option")
                    .attr("value", "")
                    .flag("selected", current.is_none())
                    .text(none),
            )
            .children(others.iter().map(|(id, name)| {
                el("option")
                    .attr("value", id.0.to_string())
                    .flag("selected", current == Some(*id))
                    .text(name)
            })),
        None => el("input")
            .attr("type", "text")
            .attr("value", current_name.unwrap_or(""))
            .attr("placeholder", format!("{none} (or a server's name)"))
            .attr("maxlength", "80")
            .attr("data-fact", fact)
            .attr("data-k", fact)
            .attr("aria-describedby", format!("{fact}-error")),
    }
}

/// What a build number resolves to, for people: "DPM 2019 UR2".
fn build_meaning(v: &dpm_rules::Version) -> Option<String> {
    match v {
        dpm_rules::Version::Release(_) => None,
        dpm_rules::Version::Build(b) => Some(match (b.release(), b.rollup()) {
            (Some(r), Some(u)) => format!("= DPM {} {u}", r.as_str()),
            (Some(r), None) => format!("= DPM {} (rollup not in the build list)", r.as_str()),
            _ => "Not in the published build list: compared as a build".to_string(),
        }),
    }
}

/// A fieldset of checkboxes for a fact that holds several values (a
/// server's workloads, the media its database is copied to): each item is
/// (value, label, checked), the value in attribute `attr`, its `data-k`
/// `k-value`.
fn checks(
    class: &'static str,
    legend: &str,
    fact: &'static str,
    attr: &'static str,
    k: &str,
    items: Vec<(&str, &str, bool)>,
) -> El {
    el("fieldset")
        .attr("class", class)
        .child(el("legend").text(legend))
        .children(items.into_iter().map(|(v, label, on)| {
            el("label")
                .attr("class", "check")
                .child(
                    el("input")
                        .attr("type", "checkbox")
                        .attr("data-fact", fact)
                        .attr(attr, v)
                        .attr("data-k", format!("{k}-{v}"))
                        .flag("checked", on),
                )
                .text(" ")
                .text(label)
        }))
}

/// Where a server runs: its host, its site, whether it is in Azure.
fn where_it_runs(s: &dpm_rules::Server, offer: &Offer) -> El {
    el("fieldset")
        .attr("class", "estate")
        .child(el("legend").text("Where it runs"))
        .child(field(
            "Host (runs on)",
            server_pick(
                "host",
                "Not a virtual machine",
                s.host,
                offer.host.as_deref(),
                offer,
            ),
        ))
        .child(field_error("host-error"))
        .child(field(
            "Site",
            suggesting(
                "site",
                s.site.as_deref().unwrap_or(""),
                "e.g. London, DR site",
                "site-list",
                &offer.sites,
            ),
        ))
        .child(check_box(
            "azure",
            "azure",
            s.is_azure(),
            "Azure virtual machine",
        ))
}

/// A DPM server's database: where it is, where it is also copied, and
/// whether DPM is installed on a domain controller.
fn database_fields(s: &dpm_rules::Server, offer: &Offer) -> El {
    let have = s.database_backup();
    let media = dpm_rules::BackupMedium::ALL
        .iter()
        .map(|m| (m.as_str(), m.label(), have.contains(m)))
        .collect();
    el("fieldset")
        .attr("class", "estate")
        .child(el("legend").text("DPM database"))
        .child(field(
            "DPM database on",
            server_pick(
                "database",
                "This DPM server",
                s.database,
                offer.database.as_deref(),
                offer,
            ),
        ))
        .child(field_error("database-error"))
        .child(checks(
            "media",
            "Database also copied to",
            "database_backup",
            "data-m",
            "m",
            media,
        ))
        .child(check_box(
            "domain_controller",
            "domain_controller",
            s.is_domain_controller(),
            "Installed on a domain controller",
        ))
}

/// A protected server's clusters and replica sets: scale-out, and the
/// replica set it belongs to.
fn cluster_fields(s: &dpm_rules::Server, offer: &Offer) -> El {
    el("fieldset")
        .attr("class", "estate")
        .child(el("legend").text("Clusters and replica sets"))
        .child(
            el("label")
                .attr("class", "check")
                .child(
                    el("input")
                        .attr("type", "checkbox")
                        .attr("data-fact", "scale_out")
                        .attr("data-k", "scale_out")
                        .attr("aria-describedby", "scale-out-hint")
                        .flag("checked", s.scale_out == Some(true)),
                )
                .text(" Scale-out"),
        )
        .child(
            el("p")
                .attr("class", "hint-text")
                .attr("id", "scale-out-hint")
                .text("VMs spread over several DPM servers (a Hyper-V cluster, VMware)"),
        )
        .child(field(
            "Replica set",
            suggesting(
                "replica_set",
                s.replica_set.as_deref().unwrap_or(""),
                "e.g. DAG1 (Exchange DAG, SQL AG)",
                "set-list",
                &offer.sets,
            ),
        ))
}

/// The facts of real estates: where a server runs, and for a DPM server
/// its database; for a protected server, scale-out and its replica set.
fn estate_fields(s: &dpm_rules::Server, offer: &Offer) -> [El; 2] {
    let second = if s.is_dpm() {
        database_fields(s, offer)
    } else {
        cluster_fields(s, offer)
    };
    [where_it_runs(s, offer), second]
}

/// A DPM server's version fields: release or build, what the build means,
/// update rollup, SQL VSS writer, and whether it is MABS.
fn version_fields(s: &dpm_rules::Server) -> [El; 7] {
    let build = match &s.version {
        Some(dpm_rules::Version::Build(b)) => Some(b.to_string()),
        _ => None,
    };
    let selected = match (&build, s.release()) {
        (Some(b), _) => b.clone(),
        (None, Some(r)) => r.as_str().to_string(),
        _ => String::new(),
    };
    let build_label = build.as_ref().map(|b| format!("Build {b}"));
    let mut versions: Vec<(&str, &str)> = vec![("", "Not known")];
    versions.extend(DpmVersion::ALL.iter().map(|v| (v.as_str(), v.as_str())));
    if let (Some(b), Some(l)) = (&build, &build_label) {
        versions.push((b.as_str(), l.as_str()));
    }
    [
        field(
            "DPM version",
            el("select")
                .attr("data-fact", "version")
                .attr("data-k", "version")
                .children(choices(versions.into_iter(), &selected)),
        ),
        field(
            "Build number",
            el("input")
                .attr("type", "text")
                .attr("value", build.as_deref().unwrap_or(""))
                .attr("placeholder", "e.g. 10.19.379.0")
                .attr("maxlength", "40")
                .attr("inputmode", "decimal")
                .attr("data-fact", "build")
                .attr("data-k", "build")
                .attr("aria-describedby", "build-meaning build-error"),
        ),
        el("p")
            .attr("class", "build-meaning")
            .attr("id", "build-meaning")
            .attr("data-testid", "build-meaning")
            .text(
                s.version
                    .as_ref()
                    .and_then(build_meaning)
                    .unwrap_or_default(),
            ),
        field_error("build-error"),
        field(
            "Update rollup",
            el("input")
                .attr("type", "text")
                .attr("value", s.rollup.as_deref().unwrap_or(""))
                .attr("placeholder", "e.g. UR10")
                .attr("maxlength", "64")
                .attr("data-fact", "rollup")
                .attr("data-k", "rollup"),
        ),
        field(
            "SQL Server VSS Writer",
            el("select")
                .attr("data-fact", "vss")
                .attr("data-k", "vss")
                .children(choices(
                    [
                        ("", "Not known"),
                        ("running", "Running"),
                        ("stopped", "Stopped"),
                    ]
                    .into_iter(),
                    s.vss_writer.map(|v| v.as_str()).unwrap_or(""),
                )),
        ),
        check_box(
            "mabs",
            "mabs",
            s.is_mabs(),
            "Microsoft Azure Backup Server (MABS)",
        ),
    ]
}

/// A protected server's workloads, one checkbox each.
fn workload_fields(s: &dpm_rules::Server) -> El {
    let have = s.workloads();
    let items = Workload::ALL
        .iter()
        .map(|w| (w.as_str(), w.label(), have.contains(w)))
        .collect();
    checks("workloads", "Workloads", "workload", "data-w", "w", items)
}

/// A server's protections, each a button that shows it and one that
/// deletes it.
fn protection_list(links: &[LinkWords]) -> El {
    el("ul")
        .attr("class", "link-list")
        .children(links.iter().map(|w| {
            let at = link_attr(w.link);
            let show = el("button")
                .attr("class", "link-button")
                .attr("data-action", "show-link")
                .attr("data-link", &at)
                .attr("data-k", format!("s{at}"))
                .text(w.verb)
                .text(" ");
            let show = match &w.other {
                Some(name) => show.user_text(name),
                None => show.text("itself"),
            };
            el("li").child(show).child(
                el("button")
                    .attr("class", "icon-button")
                    .attr("data-action", "unlink")
                    .attr("data-link", &at)
                    .attr("data-k", format!("u{at}"))
                    .attr("aria-label", format!("Delete: {}", w.words()))
                    .text("×"),
            )
        }))
}

/// A danger button of the panel, in its own row.
fn danger_row(action: &'static str, k: Option<&str>, label: &str) -> El {
    el("div").attr("class", "row").child(
        el("button")
            .attr("class", "btn danger")
            .attr("data-action", action)
            .attr_opt("data-k", k)
            .text(label),
    )
}

/// A selected protection: who protects what, what kind it is, whether it
/// was switched, and its Delete button.
fn protection_html(l: Link, f: &LinkFacts) -> Markup {
    let switch = f.to_protected.then(|| {
        check_box(
            "switched",
            "switched",
            f.switched,
            "Switched protection (taken over after the primary failed)",
        )
    });
    let mut parts = vec![
        el("p")
            .attr("class", "link-title")
            .child(el("strong").user_text(&f.protector))
            .text(" → ")
            .child(el("strong").user_text(&f.target)),
        el("p").attr("class", "muted").text(f.what),
    ];
    parts.extend(switch);
    parts.push(
        el("div").attr("class", "row").child(
            el("button")
                .attr("class", "btn danger")
                .attr("data-action", "unlink")
                .attr("data-link", link_attr(l))
                .attr("data-k", "unlink")
                .text("Delete protection"),
        ),
    );
    Markup::concat(parts)
}

/// A selected server: its name and kind, its version (a DPM server) or
/// workloads (a protected one), its estate facts, its protections.
fn server_html(s: &dpm_rules::Server, links: &[LinkWords], offer: &Offer) -> Markup {
    let is_dpm = s.kind == Kind::Dpm;
    let mut parts = vec![
        field(
            "Name",
            el("input")
                .attr("type", "text")
                .attr("value", &s.name)
                .attr("maxlength", "80")
                .attr("data-fact", "name")
                .attr("data-k", "name")
                .attr("aria-describedby", "name-error"),
        ),
        field_error("name-error"),
        field(
            "Kind",
            el("select")
                .attr("data-fact", "kind")
                .attr("data-k", "kind")
                .children(choices(
                    [("dpm", "DPM server"), ("protected", "Protected server")].into_iter(),
                    if is_dpm { "dpm" } else { "protected" },
                )),
        ),
    ];
    if is_dpm {
        parts.extend(version_fields(s));
    } else {
        parts.push(workload_fields(s));
    }
    parts.extend(estate_fields(s, offer));
    parts.push(el("h3").text("Protections"));
    parts.push(protection_list(links));
    parts.push(danger_row(
        "delete-selection",
        Some("delete"),
        "Delete server",
    ));
    Markup::concat(parts)
}

fn props_html(a: &About) -> Markup {
    let empty = |text: &str| el("p").attr("class", "empty").text(text).render();
    match a {
        About::Nothing => {
            empty("Select a server to see and edit its facts, or drag one in from the palette.")
        }
        About::Many(n) => {
            let n = dpm_rules::thousands(*n);
            Markup::concat([
                el("p").text(format!("{n} servers selected.")),
                danger_row("delete-selection", None, &format!("Delete {n} servers")),
            ])
        }
        About::Link(_, None) | About::Server(None, _, _) => empty("It is gone."),
        About::Link(l, Some(f)) => protection_html(*l, f),
        About::Server(Some(s), links, offer) => server_html(s, links, offer),
    }
}

/// The one selected server, if one is.
fn one(ed: Editor) -> Option<ServerId> {
    match ed.selection.get_untracked().as_slice() {
        [id] => Some(*id),
        _ => None,
    }
}

/// Changes the one selected server by `f` (one undoable step).
fn set(ed: Editor, f: &dyn Fn(&mut dpm_rules::Server)) {
    if let Some(id) = one(ed) {
        ed.edit(|t| {
            if let Some(s) = t.server_mut(id) {
                f(s);
            }
        });
    }
}

/// The message beside a field that refused a value (empty: none), and the
/// field marked invalid while it shows.
fn say(root: Root, fact: &str, text: &str) {
    if let Some(r) = root.try_get_untracked().flatten() {
        if let Some(p) = find(&r, &format!("#{fact}-error")) {
            p.set_text_content(Some(text));
        }
        if let Some(i) = find(&r, &format!("[data-fact={fact}]")) {
            let _ = if text.is_empty() {
                i.remove_attribute("aria-invalid")
            } else {
                i.set_attribute("aria-invalid", "true")
            };
        }
    }
}

/// The panel's root, where its markup is written.
type Root = NodeRef<leptos::html::Div>;

/// The name field: the server renamed, or the reason it is not.
fn rename(ed: Editor, root: Root, v: &str) {
    let Some(id) = one(ed) else { return };
    // The name it has: nothing to do. (Enter renames, and the panel written
    // anew after it takes away the field, whose change event comes here
    // again with the name now taken: checking it against 10,000 names and
    // committing nothing cost a rename half its time.)
    if ed
        .doc
        .with_untracked(|t| t.server(id).is_some_and(|s| s.name == v.trim()))
    {
        say(root, "name", "");
        return;
    }
    match ed.doc.with_untracked(|t| t.check_name(Some(id), v.trim())) {
        Ok(()) => {
            say(root, "name", "");
            // A box grown for the longer name pushes its row's
            // neighbours clear, in the same step.
            ed.edit(|t| {
                // (A name refused leaves the drawing as it was: no step.)
                let _ = dpm_rules::rename_making_room(t, id, v);
            });
        }
        Err(e) => say(root, "name", &e.to_string()),
    }
}

/// Enter or Escape in the name field: Enter renames (a refusal keeps the
/// cursor there, beside its reason), Escape puts the name back; either
/// way, done, focus returns to the server on the canvas, where the next
/// key (C, Enter, the arrows) is about it.
fn name_key(ed: Editor, svg: NodeRef<leptos::svg::Svg>, root: Root, ev: &web_sys::KeyboardEvent) {
    let Some(input) = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .filter(|e| e.get_attribute("data-fact").as_deref() == Some("name"))
    else {
        return;
    };
    let key = ev.key();
    if key != "Enter" && key != "Escape" {
        return;
    }
    let Some(id) = one(ed) else { return };
    // The name the canvas shows until the rename is drawn.
    let drawn = ed.doc.with_untracked(|t| t.name(id).to_string());
    match key.as_str() {
        "Enter" => {
            ev.prevent_default();
            rename(ed, root, &input.value());
            if input.get_attribute("aria-invalid").is_some() {
                return;
            }
        }
        "Escape" => {
            say(root, "name", "");
            input.set_value(&ed.doc.with_untracked(|t| t.name(id).to_string()));
        }
        _ => return,
    }
    // Escape is handled: not also a close or a deselect.
    ev.stop_propagation();
    // Before the panel and the canvas are written again: the field then
    // has no focus to take back (the field's change event, sent as it
    // loses focus, finds the name already given).
    if !crate::canvas::state::focus_drawn_now(svg, &drawn) {
        crate::canvas::state::focus_server(ed, svg, id);
    }
}

/// The build field: a build number sets the version; empty, the release
/// it named stays; anything else is refused with a sentence.
fn set_build(ed: Editor, root: Root, v: &str) {
    let b = v.trim();
    if b.is_empty() {
        // No build: the release it named stays.
        say(root, "build", "");
        set(ed, &|s| {
            if let Some(dpm_rules::Version::Build(_)) = s.version {
                s.version = s.release().map(dpm_rules::Version::Release);
            }
        });
    } else if let Some(build) = dpm_rules::Build::parse(b) {
        say(root, "build", "");
        set(ed, &|s| s.version = Some(dpm_rules::Version::Build(build)));
    } else {
        say(
            root,
            "build",
            "Not a build number: write three or four numbers with dots between, as Help > About shows it (e.g. 10.19.379.0). The version is unchanged.",
        );
    }
}

/// The server that the host or database field names: by id from a select,
/// by name from a text field; `Ok(None)` for none, `Err` with the reason it
/// is refused.
fn picked_server(
    t: &Topology,
    id: ServerId,
    fact: &str,
    v: &str,
    is_select: bool,
) -> Result<Option<ServerId>, String> {
    let v = v.trim();
    let other = if v.is_empty() {
        return Ok(None);
    } else if is_select {
        v.parse()
            .ok()
            .map(ServerId)
            .filter(|&o| t.server(o).is_some())
    } else {
        t.find(v)
    };
    let Some(other) = other else {
        return Err(format!("No server is called “{v}”."));
    };
    if fact == "host" {
        if let Some(why) = dpm_rules::refuse_host(t, id, other) {
            return Err(format!("Not changed: {why}."));
        }
    } else if other == id {
        return Err(
            "Not changed: choose “This DPM server” for a database on the server itself.".into(),
        );
    }
    Ok(Some(other))
}

/// The host or database field: the fact set, or refused with a sentence and
/// the field showing the fact as it is again.
fn set_server_fact(ed: Editor, root: Root, el: &web_sys::Element, fact: &str, v: &str) {
    let Some(id) = one(ed) else { return };
    let select = el.dyn_ref::<web_sys::HtmlSelectElement>();
    let picked = ed
        .doc
        .with_untracked(|t| picked_server(t, id, fact, v, select.is_some()));
    match picked {
        Ok(other) => {
            say(root, fact, "");
            if fact == "host" {
                set(ed, &|s| s.host = other);
            } else {
                set(ed, &|s| s.database = other);
            }
        }
        Err(why) => {
            let now = ed.doc.with_untracked(|t| {
                let s = t.server(id);
                let at = if fact == "host" {
                    s.and_then(|s| s.host)
                } else {
                    s.and_then(|s| s.database)
                };
                match (at, select.is_some()) {
                    (Some(o), true) => o.0.to_string(),
                    (Some(o), false) => t.name(o).to_string(),
                    (None, _) => String::new(),
                }
            });
            if let Some(sel) = select {
                sel.set_value(&now);
            } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                i.set_value(&now);
            }
            say(root, fact, &why);
        }
    }
}

/// `x` added to (`on`) or taken from a fact's sorted list; `None` when the
/// list is left empty.
fn toggled<T: Copy + Ord>(list: &Option<Vec<T>>, x: T, on: bool) -> Option<Vec<T>> {
    let mut list = list.clone().unwrap_or_default();
    list.retain(|y| *y != x);
    if on {
        list.push(x);
    }
    dpm_rules::sort_by(&mut list, &|a, b| a.cmp(b));
    (!list.is_empty()).then_some(list)
}

/// A text fact: `None` when the field is left empty.
fn text_fact(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

/// The panel's one change handler: the field `el` changed, and its
/// `data-fact` says which fact it sets.
fn on_fact(ed: Editor, root: Root, el: &web_sys::Element) {
    let v = crate::browser::dom::value(el);
    let on = v == "true";
    match el.get_attribute("data-fact").as_deref().unwrap_or("") {
        "name" => rename(ed, root, &v),
        "kind" => {
            let k = if v == "dpm" {
                Kind::Dpm
            } else {
                Kind::Protected
            };
            set(ed, &|s| {
                s.kind = k;
                s.drop_facts_of_other_kind();
            });
        }
        "version" => set(ed, &|s| s.version = dpm_rules::Version::parse(&v)),
        "rollup" => set(ed, &|s| s.rollup = text_fact(&v)),
        "vss" => set(ed, &|s| {
            s.vss_writer = match v.as_str() {
                "running" => Some(VssWriter::Running),
                "stopped" => Some(VssWriter::Stopped),
                _ => None,
            }
        }),
        "mabs" => set(ed, &|s| s.mabs = on.then_some(true)),
        "build" => set_build(ed, root, &v),
        fact @ ("host" | "database") => set_server_fact(ed, root, el, fact, &v),
        "site" => set(ed, &|s| s.site = text_fact(&v)),
        "replica_set" => set(ed, &|s| s.replica_set = text_fact(&v)),
        "azure" => set(ed, &|s| s.azure = on.then_some(true)),
        "domain_controller" => set(ed, &|s| s.domain_controller = on.then_some(true)),
        "scale_out" => set(ed, &|s| s.scale_out = on.then_some(true)),
        "database_backup" => {
            if let Some(m) = el
                .get_attribute("data-m")
                .and_then(|m| dpm_rules::BackupMedium::parse(&m))
            {
                set(ed, &|s| {
                    s.database_backup = toggled(&s.database_backup, m, on)
                });
            }
        }
        "workload" => {
            if let Some(w) = el.get_attribute("data-w").and_then(|w| Workload::parse(&w)) {
                set(ed, &|s| s.workloads = toggled(&s.workloads, w, on));
            }
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
}

/// One handler for the panel's buttons, by `data-action` (and the
/// protection a button is about, in `data-link`).
fn on_button(ed: Editor, pos: Positions, b: &web_sys::Element) {
    let link = b.get_attribute("data-link").and_then(|l| parse_link(&l));
    match (b.get_attribute("data-action").as_deref(), link) {
        (Some("delete-selection"), _) => crate::commands::Cmd::Delete.run(crate::ctx::ctx()),
        (Some("show-link"), Some(l)) => reveal(ed, pos, &[], &[l]),
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
}

/// Every fact of the selected server or protection, editable.
///
/// Markup with delegated handlers, rewritten when what it shows changes
/// (not on every edit elsewhere), keeping focus on the control that had it:
/// as reactive views it cost the bundle some 10 KB gzip more.
#[component]
pub fn PropertiesPanel() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
    let shown = crate::browser::memo(move |_| {
        let sel = ed.selection.get();
        let link = ed.selected_link.get();
        // Not where the server is drawn: moving it leaves the panel.
        ed.track_doc_content();
        ed.doc.with_untracked(|t| about(t, &sel, link))
    });
    let root: Root = NodeRef::new();
    crate::browser::effect(move || {
        if let Some(root) = root.get() {
            set_keeping_focus(&root, &shown.with(props_html));
        }
    });
    // Enter or double-click on a server: the cursor in its name.
    crate::browser::effect(move || {
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
    let on_change = move |ev: leptos::ev::Event| {
        if let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        {
            on_fact(ed, root, &el);
        }
    };
    let svg = crate::ctx::ctx().svg;
    let on_keydown = move |ev: web_sys::KeyboardEvent| name_key(ed, svg, root, &ev);
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if let Some(b) = crate::browser::dom::clicked(&ev) {
            on_button(ed, pos, &b);
        }
    };
    view! {
        <section class="panel properties-panel" aria-labelledby="props-heading">
            <h2 id="props-heading">"Properties"</h2>
            <div node_ref=root on:click=on_click on:change=on_change on:keydown=on_keydown></div>
        </section>
    }
}
