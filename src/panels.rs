//! Side panels: the properties of what is selected, the problems, and the
//! seeds' table.

use leptos::prelude::*;

use dpm_rules::{
    badge_symbol, table_rows, DpmVersion, Finding, Kind, Link, RowRole, ServerId, Severity,
    Topology, VssWriter, Workload, NODE_H, NODE_W,
};

use crate::state::{Camera, Editor, Mode, Positions};

/// Centres the view on these servers and selects them.
pub fn reveal(ed: Editor, pos: Positions, ids: &[ServerId], link: Option<Link>) {
    let pts: Vec<_> = ids.iter().filter_map(|&id| pos.get(id)).collect();
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

/// Findings grouped by severity, each with the documentation behind it; a
/// click selects and centres what it concerns.
#[component]
pub fn FindingsPanel() -> impl IntoView {
    let ed = crate::ctx().ed;
    let pos = crate::ctx().pos;
    let group = move |sev: Severity, heading: &'static str| {
        move || {
            let items: Vec<Finding> = ed
                .findings
                .with(|f| f.iter().filter(|f| f.severity() == sev).cloned().collect());
            if items.is_empty() {
                return None;
            }
            let n = items.len();
            let shown = items.len().min(200);
            let list = items
                .into_iter()
                .take(shown)
                .map(|f| {
                    let source = f.rule.source();
                    let servers = ed.shown.with_untracked(|t| {
                        f.servers
                            .iter()
                            .map(|&id| t.name(id).to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    });
                    let ids = f.servers.clone();
                    let link = f.protections.first().copied();
                    view! {
                        <li class=format!("finding {}", sev.as_str()) data-rule=f.rule.id()>
                            <button class="finding-button" title="Show on the drawing"
                                on:click=move |_| reveal(ed, pos, &ids, link)>
                                <span class="finding-icon" aria-hidden="true">{badge_symbol(sev)}</span>
                                <span class="finding-body">
                                    <span class="finding-title">
                                        <span class="sr-only">{format!("{}: ", sev.as_str())}</span>
                                        {f.rule.title()}
                                        <span class="finding-servers">{servers}</span>
                                    </span>
                                    <span class="finding-message">{f.message.clone()}</span>
                                </span>
                            </button>
                            <blockquote class="finding-source">
                                {format!("“{}”", source.text)}
                                <cite>{source.document}</cite>
                            </blockquote>
                        </li>
                    }
                })
                .collect_view();
            let more = (n > shown).then(|| {
                view! { <p class="muted">{format!("…and {} more.", n - shown)}</p> }
            });
            Some(view! {
                <section class="finding-group">
                    <h3>{format!("{heading} ({n})")}</h3>
                    <ul>{list}</ul>
                    {more}
                </section>
            })
        }
    };
    let empty = move || {
        ed.findings.with(|f| f.is_empty()).then(|| {
            view! {
                <p class="empty">"No findings: DPM supports this topology as drawn."</p>
            }
        })
    };
    view! {
        <section class="panel findings-panel" aria-labelledby="problems-heading">
            <h2 id="problems-heading">"Problems"</h2>
            {empty}
            {group(Severity::Error, "Errors")}
            {group(Severity::Warning, "Warnings")}
            {group(Severity::Info, "Notes")}
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
/// edit.
#[component]
pub fn TablePanel() -> impl IntoView {
    let ed = crate::ctx().ed;
    let rows = move || {
        ed.shown.with(|t| {
            let rows = table_rows(t);
            let n = rows.len();
            let body = rows
                .into_iter()
                .take(300)
                .map(|r| {
                    let label = match r.role {
                        RowRole::None => String::new(),
                        role => format!(" ({})", role.label()),
                    };
                    view! {
                        <tr>
                            <td>{t.name(r.server).to_string()}<span class="role">{label}</span></td>
                            <td>{names(t, &r.protecting)}</td>
                            <td>{names(t, &r.protected_by)}</td>
                        </tr>
                    }
                })
                .collect_view();
            let more = (n > 300).then(|| {
                view! { <tr><td colspan="3" class="muted">{format!("…and {} more rows (Export → Table has them all).", n - 300)}</td></tr> }
            });
            view! { {body}{more} }
        })
    };
    view! {
        <section class="panel table-panel" aria-labelledby="table-heading">
            <h2 id="table-heading">"Protection table"</h2>
            <table class="dpm-table">
                <thead>
                    <tr><th scope="col">"Server"</th><th scope="col">"Protecting"</th><th scope="col">"Protected by"</th></tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

/// Every fact of the selected server or protection, editable.
#[component]
pub fn PropertiesPanel() -> impl IntoView {
    let ed = crate::ctx().ed;
    let body = move || {
        let sel = ed.selection.get();
        if let Some(l) = ed.selected_link.get() {
            return view! { <LinkProperties link=l /> }.into_any();
        }
        match sel.as_slice() {
            [] => view! {
                <p class="empty">"Select a server to see and edit its facts, or drag one in from the palette."</p>
            }
            .into_any(),
            [one] => view! { <ServerProperties id=*one /> }.into_any(),
            many => {
                let n = many.len();
                view! {
                    <p>{format!("{n} servers selected.")}</p>
                    <div class="row">
                        <button class="btn danger" data-action="delete-selection">
                            {format!("Delete {n} servers")}
                        </button>
                    </div>
                }
                .into_any()
            }
        }
    };
    // One handler for the panel's buttons, by `data-action` (and the
    // protection a button is about, in `data-link`).
    let pos = crate::ctx().pos;
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let Some(b) = crate::clicked(&ev) else {
            return;
        };
        let link = b.get_attribute("data-link").and_then(|l| {
            let (a, t) = l.split_once(' ')?;
            Some(Link {
                protector: ServerId(a.parse().ok()?),
                target: ServerId(t.parse().ok()?),
            })
        });
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
        <section class="panel properties-panel" aria-labelledby="props-heading" on:click=on_click>
            <h2 id="props-heading">"Properties"</h2>
            {body}
        </section>
    }
}

#[component]
fn LinkProperties(link: Link) -> impl IntoView {
    let ed = crate::ctx().ed;
    let facts = Memo::new(move |_| {
        ed.doc.with(|t| {
            let p = t.protection(link)?;
            let kind_of = |id| t.server(id).map(|s| s.kind);
            let what = match (kind_of(p.protector), kind_of(p.target)) {
                _ if p.protector == p.target => "Self-protection (its own database)",
                (_, Some(Kind::Dpm)) => "Secondary protection",
                _ => "Primary protection",
            };
            Some((
                t.name(p.protector).to_string(),
                t.name(p.target).to_string(),
                p.switched,
                what,
                kind_of(p.target) == Some(Kind::Protected),
            ))
        })
    });
    move || {
        let Some((a, b, switched, what, to_protected)) = facts.get() else {
            return view! { <p class="empty">"This protection is gone."</p> }.into_any();
        };
        view! {
            <p class="link-title"><strong>{a}</strong>" → "<strong>{b}</strong></p>
            <p class="muted">{what}</p>
            {to_protected.then(|| view! {
                <label class="check">
                    <input type="checkbox" prop:checked=switched on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        ed.edit(|t| if let Some(p) = t.protection_mut(link) { p.switched = on; });
                    } />
                    " Switched protection (taken over after the primary failed)"
                </label>
            })}
            <div class="row">
                <button class="btn danger" data-action="unlink" data-link=format!("{} {}", link.protector.0, link.target.0)>"Delete protection"</button>
            </div>
        }
        .into_any()
    }
}

#[component]
fn ServerProperties(id: ServerId) -> impl IntoView {
    let ed = crate::ctx().ed;
    let server = Memo::new(move |_| ed.doc.with(|t| t.server(id).cloned()));
    let name_error = RwSignal::new(None::<String>);
    let name_ref = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if ed.rename_request.get() == Some(id) {
            ed.rename_request.set(None);
            request_animation_frame(move || {
                if let Some(el) = name_ref.get_untracked() {
                    let _ = el.focus();
                    el.select();
                }
            });
        }
    });
    let rename = move |value: String| {
        let result = ed
            .doc
            .with_untracked(|t| t.check_name(Some(id), value.trim()));
        match result {
            Ok(()) => {
                name_error.set(None);
                ed.edit(|t| {
                    let _ = t.rename(id, &value);
                });
            }
            Err(e) => name_error.set(Some(e.to_string())),
        }
    };
    let set = move |f: Box<dyn FnOnce(&mut dpm_rules::Server)>| {
        ed.edit(move |t| {
            if let Some(s) = t.server_mut(id) {
                f(s);
            }
        });
    };
    let links = Memo::new(move |_| {
        ed.doc.with(|t| {
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
            out
        })
    });
    move || {
        let Some(s) = server.get() else {
            return view! { <p class="empty">"This server is gone."</p> }.into_any();
        };
        let is_dpm = s.kind == Kind::Dpm;
        let err_id = "name-error";
        let dpm_facts = is_dpm.then(|| {
            let version = s.version.map(|v| v.as_str()).unwrap_or("");
            let rollup = s.rollup.clone().unwrap_or_default();
            let vss = s.vss_writer.map(|v| v.as_str()).unwrap_or("");
            view! {
                <label class="field"><span>"DPM version"</span>
                    <select on:change=move |ev| {
                        let v = DpmVersion::parse(&event_target_value(&ev));
                        set(Box::new(move |s| s.version = v));
                    }>
                        <option value="" selected=version.is_empty()>"Not known"</option>
                        {DpmVersion::ALL.iter().map(|v| view! {
                            <option value=v.as_str() selected={version == v.as_str()}>{v.as_str()}</option>
                        }).collect_view()}
                    </select>
                </label>
                <label class="field"><span>"Update rollup"</span>
                    <input type="text" prop:value=rollup placeholder="e.g. UR10" maxlength="64"
                        on:change=move |ev| {
                            let v = event_target_value(&ev).trim().to_string();
                            set(Box::new(move |s| s.rollup = (!v.is_empty()).then_some(v)));
                        } />
                </label>
                <label class="field"><span>"SQL Server VSS Writer"</span>
                    <select on:change=move |ev| {
                        let v = match event_target_value(&ev).as_str() {
                            "running" => Some(VssWriter::Running),
                            "stopped" => Some(VssWriter::Stopped),
                            _ => None,
                        };
                        set(Box::new(move |s| s.vss_writer = v));
                    }>
                        <option value="" selected=vss.is_empty()>"Not known"</option>
                        <option value="running" selected={vss == "running"}>"Running"</option>
                        <option value="stopped" selected={vss == "stopped"}>"Stopped"</option>
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=s.is_mabs() on:change=move |ev| {
                        let on = event_target_checked(&ev);
                        set(Box::new(move |s| s.mabs = on.then_some(true)));
                    } />
                    " Microsoft Azure Backup Server (MABS)"
                </label>
            }
        });
        let workload_facts = (!is_dpm).then(|| {
            let have = s.workloads().to_vec();
            view! {
                <fieldset class="workloads">
                    <legend>"Workloads"</legend>
                    {Workload::ALL.iter().map(|&w| {
                        let on = have.contains(&w);
                        view! {
                            <label class="check">
                                <input type="checkbox" prop:checked=on on:change=move |ev| {
                                    let on = event_target_checked(&ev);
                                    set(Box::new(move |s| {
                                        let mut list = s.workloads.clone().unwrap_or_default();
                                        list.retain(|x| *x != w);
                                        if on { list.push(w); }
                                        dpm_rules::sort_by(&mut list, &|a, b| a.cmp(b));
                                        s.workloads = (!list.is_empty()).then_some(list);
                                    }));
                                } />
                                " " {w.label()}
                            </label>
                        }
                    }).collect_view()}
                </fieldset>
            }
        });
        let link_list = move || {
            links
                .get()
                .into_iter()
                .map(|(l, text, _)| {
                    let at = format!("{} {}", l.protector.0, l.target.0);
                    view! {
                        <li>
                            <button class="link-button" data-action="show-link" data-link=at.clone()>{text.clone()}</button>
                            <button class="icon-button" data-action="unlink" data-link=at aria-label=format!("Delete: {text}")>"×"</button>
                        </li>
                    }
                })
                .collect_view()
        };
        view! {
            <label class="field"><span>"Name"</span>
                <input type="text" node_ref=name_ref prop:value=s.name.clone() maxlength="80"
                    aria-invalid=move || name_error.get().is_some().then_some("true")
                    aria-describedby=err_id
                    on:change=move |ev| rename(event_target_value(&ev))
                    on:keydown=move |ev: web_sys::KeyboardEvent| {
                        if ev.key() == "Escape" {
                            name_error.set(None);
                        }
                    } />
            </label>
            <p class="field-error" id=err_id role="alert">{move || name_error.get()}</p>
            <label class="field"><span>"Kind"</span>
                <select on:change=move |ev| {
                    let k = if event_target_value(&ev) == "dpm" { Kind::Dpm } else { Kind::Protected };
                    set(Box::new(move |s| { s.kind = k; s.drop_facts_of_other_kind(); }));
                }>
                    <option value="dpm" selected=is_dpm>"DPM server"</option>
                    <option value="protected" selected=!is_dpm>"Protected server"</option>
                </select>
            </label>
            {dpm_facts}
            {workload_facts}
            <h3>"Protections"</h3>
            <ul class="link-list">{link_list}</ul>
            <div class="row">
                <button class="btn danger" data-action="delete-selection">"Delete server"</button>
            </div>
        }
        .into_any()
    }
}
