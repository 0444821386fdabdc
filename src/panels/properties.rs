//! Side panels: the properties of what is selected, the problems, and the
//! seeds' table.

use crate::browser::markup::El;
use crate::state::reveal::link_attr;

use crate::browser::dom::set_html_keeping_focus;
use crate::browser::markup::el;
use crate::browser::markup::Markup;
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
    /// A protection: its link, (protector, target, switched, what it is,
    /// whether it protects a protected server); `None` once it is gone.
    Link(Link, Option<(String, String, bool, &'static str, bool)>),
    /// A server, its protections (link, words) and what its fields offer;
    /// `None` once it is gone.
    Server(Option<dpm_rules::Server>, Vec<(Link, String)>, Box<Offer>),
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
            let server = t.server(id).cloned();
            let offer = server.as_ref().map(|s| offer(t, s)).unwrap_or_default();
            About::Server(
                server,
                out.into_iter().map(|(l, w, _)| (l, w)).collect(),
                Box::new(offer),
            )
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

/// The facts of real estates: where a server runs, and for a DPM server
/// its database; for a protected server, scale-out and its replica set.
fn estate_fields(s: &dpm_rules::Server, offer: &Offer) -> Vec<El> {
    let mut out = vec![el("fieldset")
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
        ))];
    if s.is_dpm() {
        let have = s.database_backup();
        out.push(
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
                .child(
                    el("fieldset")
                        .attr("class", "media")
                        .child(el("legend").text("Database also copied to"))
                        .children(dpm_rules::BackupMedium::ALL.iter().map(|m| {
                            el("label")
                                .attr("class", "check")
                                .child(
                                    el("input")
                                        .attr("type", "checkbox")
                                        .attr("data-fact", "database_backup")
                                        .attr("data-m", m.as_str())
                                        .attr("data-k", format!("m-{}", m.as_str()))
                                        .flag("checked", have.contains(m)),
                                )
                                .text(" ")
                                .text(m.label())
                        })),
                )
                .child(check_box(
                    "domain_controller",
                    "domain_controller",
                    s.is_domain_controller(),
                    "Installed on a domain controller",
                )),
        );
    } else {
        out.push(
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
                )),
        );
    }
    out
}

fn props_html(a: &About) -> String {
    match a {
        About::Nothing => el("p")
            .attr("class", "empty")
            .text("Select a server to see and edit its facts, or drag one in from the palette.")
            .render()
            .into_string(),
        About::Many(n) => Markup::concat([
            el("p").text(format!("{n} servers selected.")),
            el("div").attr("class", "row").child(
                el("button")
                    .attr("class", "btn danger")
                    .attr("data-action", "delete-selection")
                    .text(format!("Delete {n} servers")),
            ),
        ])
        .into_string(),
        About::Link(_, None) | About::Server(None, _, _) => el("p")
            .attr("class", "empty")
            .text("It is gone.")
            .render()
            .into_string(),
        About::Link(l, Some((a, b, switched, what, to_protected))) => {
            let switch = to_protected.then(|| {
                check_box(
                    "switched",
                    "switched",
                    *switched,
                    "Switched protection (taken over after the primary failed)",
                )
            });
            let mut parts = vec![
                el("p")
                    .attr("class", "link-title")
                    .child(el("strong").user_text(a))
                    .text(" → ")
                    .child(el("strong").user_text(b)),
                el("p").attr("class", "muted").text(what),
            ];
            parts.extend(switch);
            parts.push(
                el("div").attr("class", "row").child(
                    el("button")
                        .attr("class", "btn danger")
                        .attr("data-action", "unlink")
                        .attr("data-link", link_attr(*l))
                        .attr("data-k", "unlink")
                        .text("Delete protection"),
                ),
            );
            Markup::concat(parts).into_string()
        }
        About::Server(Some(s), links, offer) => {
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
                parts.push(field(
                    "DPM version",
                    el("select")
                        .attr("data-fact", "version")
                        .attr("data-k", "version")
                        .children(choices(versions.into_iter(), &selected)),
                ));
                parts.push(field(
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
                ));
                parts.push(
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
                );
                parts.push(field_error("build-error"));
                parts.push(field(
                    "Update rollup",
                    el("input")
                        .attr("type", "text")
                        .attr("value", s.rollup.as_deref().unwrap_or(""))
                        .attr("placeholder", "e.g. UR10")
                        .attr("maxlength", "64")
                        .attr("data-fact", "rollup")
                        .attr("data-k", "rollup"),
                ));
                parts.push(field(
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
                ));
                parts.push(check_box(
                    "mabs",
                    "mabs",
                    s.is_mabs(),
                    "Microsoft Azure Backup Server (MABS)",
                ));
            } else {
                let have = s.workloads();
                parts.push(
                    el("fieldset")
                        .attr("class", "workloads")
                        .child(el("legend").text("Workloads"))
                        .children(Workload::ALL.iter().map(|w| {
                            el("label")
                                .attr("class", "check")
                                .child(
                                    el("input")
                                        .attr("type", "checkbox")
                                        .attr("data-fact", "workload")
                                        .attr("data-w", w.as_str())
                                        .attr("data-k", format!("w-{}", w.as_str()))
                                        .flag("checked", have.contains(w)),
                                )
                                .text(" ")
                                .text(w.label())
                        })),
                );
            }
            parts.extend(estate_fields(s, offer));
            parts.push(el("h3").text("Protections"));
            parts.push(
                el("ul")
                    .attr("class", "link-list")
                    .children(links.iter().map(|(l, words)| {
                        let at = link_attr(*l);
                        el("li")
                            .child(
                                el("button")
                                    .attr("class", "link-button")
                                    .attr("data-action", "show-link")
                                    .attr("data-link", &at)
                                    .attr("data-k", format!("s{at}"))
                                    .text(words),
                            )
                            .child(
                                el("button")
                                    .attr("class", "icon-button")
                                    .attr("data-action", "unlink")
                                    .attr("data-link", &at)
                                    .attr("data-k", format!("u{at}"))
                                    .attr("aria-label", format!("Delete: {words}"))
                                    .text("×"),
                            )
                    })),
            );
            parts.push(
                el("div").attr("class", "row").child(
                    el("button")
                        .attr("class", "btn danger")
                        .attr("data-action", "delete-selection")
                        .attr("data-k", "delete")
                        .text("Delete server"),
                ),
            );
            Markup::concat(parts).into_string()
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
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
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
    // The message beside a field that refused a value (empty: none), and
    // the field marked invalid while it shows.
    let say = move |fact: &str, text: &str| {
        if let Some(r) = root.get_untracked() {
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
    };
    let name_error = move |text: &str| say("name", text);
    let on_change = move |ev: leptos::ev::Event| {
        let Some(el) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        else {
            return;
        };
        let v = crate::browser::dom::value(&el);
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
            "build" => {
                let b = v.trim();
                if b.is_empty() {
                    // No build: the release it named stays.
                    say("build", "");
                    set(&|s| {
                        if let Some(dpm_rules::Version::Build(_)) = s.version {
                            s.version = s.release().map(dpm_rules::Version::Release);
                        }
                    });
                } else if let Some(build) = dpm_rules::Build::parse(b) {
                    say("build", "");
                    set(&|s| s.version = Some(dpm_rules::Version::Build(build)));
                } else {
                    say(
                        "build",
                        "Not a build number: write three or four numbers with dots between, as Help > About shows it (e.g. 10.19.379.0). The version is unchanged.",
                    );
                }
            }
            fact @ ("host" | "database") => {
                let Some(id) = one() else { return };
                let is_select = el.dyn_ref::<web_sys::HtmlSelectElement>().is_some();
                let picked: Result<Option<ServerId>, String> = ed.doc.with_untracked(|t| {
                    let v = v.trim();
                    let other = if v.is_empty() {
                        return Ok(None);
                    } else if is_select {
                        v.parse().ok().map(ServerId).filter(|&o| t.server(o).is_some())
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
                        return Err("Not changed: choose “This DPM server” for a database on the server itself.".into());
                    }
                    Ok(Some(other))
                });
                match picked {
                    Ok(other) => {
                        say(fact, "");
                        if fact == "host" {
                            set(&|s| s.host = other);
                        } else {
                            set(&|s| s.database = other);
                        }
                    }
                    Err(why) => {
                        // The field shows the fact as it is again.
                        let now = ed.doc.with_untracked(|t| {
                            let s = t.server(id);
                            let at = if fact == "host" {
                                s.and_then(|s| s.host)
                            } else {
                                s.and_then(|s| s.database)
                            };
                            match (at, is_select) {
                                (Some(o), true) => o.0.to_string(),
                                (Some(o), false) => t.name(o).to_string(),
                                (None, _) => String::new(),
                            }
                        });
                        if let Some(sel) = el.dyn_ref::<web_sys::HtmlSelectElement>() {
                            sel.set_value(&now);
                        } else if let Some(i) = el.dyn_ref::<web_sys::HtmlInputElement>() {
                            i.set_value(&now);
                        }
                        say(fact, &why);
                    }
                }
            }
            "site" => {
                let v = v.trim();
                set(&|s| s.site = (!v.is_empty()).then(|| v.to_string()));
            }
            "replica_set" => {
                let v = v.trim();
                set(&|s| s.replica_set = (!v.is_empty()).then(|| v.to_string()));
            }
            "azure" => set(&|s| s.azure = on.then_some(true)),
            "domain_controller" => set(&|s| s.domain_controller = on.then_some(true)),
            "scale_out" => set(&|s| s.scale_out = on.then_some(true)),
            "database_backup" => {
                let Some(m) = el
                    .get_attribute("data-m")
                    .and_then(|m| dpm_rules::BackupMedium::parse(&m))
                else {
                    return;
                };
                set(&|s| {
                    let mut list = s.database_backup.clone().unwrap_or_default();
                    list.retain(|x| *x != m);
                    if on {
                        list.push(m);
                    }
                    dpm_rules::sort_by(&mut list, &|a, b| a.cmp(b));
                    s.database_backup = (!list.is_empty()).then_some(list);
                });
            }
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
        let Some(b) = crate::browser::dom::clicked(&ev) else {
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
