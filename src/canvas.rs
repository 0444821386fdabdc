//! The drawing: servers as nodes, protections as arrows from protector to
//! target, finding badges where they apply.

use std::collections::{HashMap, HashSet};

use leptos::prelude::*;

use dpm_rules::{
    arrow, badge_symbol, bend_for, positions, roles, truncate, worst, Finding, Kind, Link, Point,
    Severity, Topology, NODE_H, NODE_W,
};

/// The SVG canvas, fitted to the drawing.
#[component]
pub fn Canvas(topology: Signal<Topology>, findings: Signal<Vec<Finding>>) -> impl IntoView {
    let pos = Memo::new(move |_| topology.with(positions));
    let view_box = move || {
        pos.with(|p| {
            if p.is_empty() {
                return "0 0 800 500".to_string();
            }
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for q in p.values() {
                x0 = x0.min(q.x - NODE_W / 2.0);
                y0 = y0.min(q.y - NODE_H / 2.0);
                x1 = x1.max(q.x + NODE_W / 2.0);
                y1 = y1.max(q.y + NODE_H / 2.0);
            }
            let pad = 48.0;
            format!(
                "{} {} {} {}",
                x0 - pad,
                y0 - pad,
                x1 - x0 + 2.0 * pad,
                y1 - y0 + 2.0 * pad
            )
        })
    };
    let marks = Memo::new(move |_| findings.with(|f| worst(f)));
    let rules_of = Memo::new(move |_| {
        findings.with(|fs| {
            let mut by_server: HashMap<dpm_rules::ServerId, Vec<Finding>> = HashMap::new();
            let mut by_link: HashMap<Link, Vec<Finding>> = HashMap::new();
            for f in fs {
                if f.protections.is_empty() {
                    if let Some(&id) = f.servers.first() {
                        by_server.entry(id).or_default().push(f.clone());
                    }
                } else {
                    for l in &f.protections {
                        by_link.entry(*l).or_default().push(f.clone());
                    }
                }
            }
            (by_server, by_link)
        })
    });

    let arrows = move || {
        topology.with(|t| {
            let p = pos.get();
            let links: HashSet<Link> = t.protections.iter().map(|p| p.link()).collect();
            t.protections
                .iter()
                .filter_map(|pr| {
                    let a = *p.get(&pr.protector)?;
                    let b = *p.get(&pr.target)?;
                    let reverse = links.contains(&Link { protector: pr.target, target: pr.protector });
                    let geo = arrow(a, b, bend_for(a, b, reverse));
                    let key = format!("{}->{}", t.name(pr.protector), t.name(pr.target));
                    let sev = marks.with(|m| m.1.get(&pr.link()).copied());
                    let rules = rules_of.with(|r| r.1.get(&pr.link()).cloned().unwrap_or_default());
                    Some(view! {
                        <ProtectionArrow key=key d=geo.d mid=geo.mid switched=pr.switched severity=sev findings=rules />
                    })
                })
                .collect_view()
        })
    };
    let nodes = move || {
        topology.with(|t| {
            let p = pos.get();
            t.servers
                .iter()
                .filter_map(|s| {
                    let c = *p.get(&s.id)?;
                    let role = match s.kind {
                        Kind::Dpm => roles(t, s.id).caption(s.is_mabs()),
                        Kind::Protected => "protected server".to_string(),
                    };
                    let sev = marks.with(|m| m.0.get(&s.id).copied());
                    let rules = rules_of.with(|r| r.0.get(&s.id).cloned().unwrap_or_default());
                    Some(view! {
                        <ServerNode name=s.name.clone() kind=s.kind at=c role=role severity=sev findings=rules />
                    })
                })
                .collect_view()
        })
    };

    view! {
        <div class="canvas-wrap">
            <svg class="canvas" viewBox=view_box preserveAspectRatio="xMidYMid meet" role="img"
                aria-label="Protection topology">
                <defs>
                    <marker id="arrowhead" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8"
                        markerHeight="8" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrowhead" />
                    </marker>
                    <marker id="arrowhead-error" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8"
                        markerHeight="8" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrowhead error" />
                    </marker>
                    <marker id="arrowhead-warning" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8"
                        markerHeight="8" orient="auto-start-reverse">
                        <path d="M0 0 L10 5 L0 10 z" class="arrowhead warning" />
                    </marker>
                </defs>
                <g class="protections">{arrows}</g>
                <g class="servers">{nodes}</g>
            </svg>
        </div>
    }
}

fn finding_title(findings: &[Finding]) -> String {
    findings
        .iter()
        .map(|f| format!("{}: {}", f.rule.title(), f.message))
        .collect::<Vec<_>>()
        .join("\n")
}

#[component]
fn ProtectionArrow(
    key: String,
    d: String,
    mid: Point,
    switched: bool,
    severity: Option<Severity>,
    findings: Vec<Finding>,
) -> impl IntoView {
    let sev = severity.filter(|s| *s != Severity::Info);
    let class = format!(
        "protection{}{}",
        if switched { " switched" } else { "" },
        sev.map(|s| format!(" {}", s.as_str())).unwrap_or_default()
    );
    let marker = match sev {
        Some(Severity::Error) => "url(#arrowhead-error)",
        Some(Severity::Warning) => "url(#arrowhead-warning)",
        _ => "url(#arrowhead)",
    };
    let badge = sev.map(|s| {
        let rule = findings.first().map(|f| f.rule.id()).unwrap_or_default();
        let title = finding_title(&findings);
        view! {
            <g class=format!("badge {}", s.as_str()) data-rule=rule
                transform=format!("translate({} {})", mid.x, mid.y)>
                <title>{title}</title>
                <circle r="9" />
                <text y="4">{badge_symbol(s)}</text>
            </g>
        }
    });
    view! {
        <g class="protection-group" data-protection=key>
            <path class="hit" d=d.clone() />
            <path class=class d=d marker-end=marker />
            {badge}
        </g>
    }
}

#[component]
fn ServerNode(
    name: String,
    kind: Kind,
    at: Point,
    role: String,
    severity: Option<Severity>,
    findings: Vec<Finding>,
) -> impl IntoView {
    let class = format!("server {}", kind.as_str());
    let rx = if kind == Kind::Dpm { "10" } else { "4" };
    let shown = truncate(&name, 17);
    let badge = severity.map(|s| {
        let rule = findings.first().map(|f| f.rule.id()).unwrap_or_default();
        let title = finding_title(&findings);
        view! {
            <g class=format!("badge {}", s.as_str()) data-rule=rule
                transform=format!("translate({} {})", NODE_W / 2.0 - 2.0, -NODE_H / 2.0 + 2.0)>
                <title>{title}</title>
                <circle r="9" />
                <text y="4">{badge_symbol(s)}</text>
            </g>
        }
    });
    let icon = match kind {
        Kind::Dpm => view! {
            <g class="icon" transform=format!("translate({} {})", -NODE_W / 2.0 + 16.0, -8.0)>
                <ellipse cx="0" cy="0" rx="7" ry="3" />
                <path d="M-7 0 L-7 12 A7 3 0 0 0 7 12 L7 0" />
            </g>
        }
        .into_any(),
        Kind::Protected => view! {
            <g class="icon" transform=format!("translate({} {})", -NODE_W / 2.0 + 16.0, -8.0)>
                <rect x="-7" y="-3" width="14" height="18" rx="2" />
                <path d="M-4 2 L4 2 M-4 6 L4 6" />
            </g>
        }
        .into_any(),
    };
    view! {
        <g class=class data-server=name.clone() transform=format!("translate({} {})", at.x, at.y)>
            <title>{name.clone()}</title>
            <rect class="body" x=-NODE_W / 2.0 y=-NODE_H / 2.0 width=NODE_W height=NODE_H rx=rx />
            {icon}
            <text class="name" x="8" y="-3" text-anchor="middle">{shown}</text>
            <text class="sub" x="8" y="15" text-anchor="middle">{role}</text>
            {badge}
        </g>
    }
}
