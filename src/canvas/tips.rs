//! The tips over the canvas: the verdict on a connection being drawn, and
//! the findings of what the pointer or focus is on.

use crate::canvas::state::Verdict;
use crate::state::derived::Derived;

use dpm_rules::{badge_symbol, num, Point, ServerId, NODE_H};
use leptos::prelude::*;

/// While a protection is drawn: what dropping it on the server under the
/// pointer would do, with the rule and its message.
#[component]
pub fn ConnectTip() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let cn = crate::ctx::ctx().cn;
    let pos = crate::ctx::ctx().pos;
    let tip = move || {
        let from = cn.from.get()?;
        let names = |id: ServerId| ed.doc.with_untracked(|t| t.name(id).to_string());
        let Some(to) = cn.target.get() else {
            let text = if cn.keyboard.get() {
                format!(
                    "Protect from {}: Tab to a server and press Enter. Escape cancels.",
                    names(from)
                )
            } else {
                format!("Protect from {}: drop on a server.", names(from))
            };
            return Some(
                view! { <div class="connect-tip neutral" role="status">{text}</div> }.into_any(),
            );
        };
        let verdict = cn.verdicts.with(|v| v.get(&to).cloned())?;
        let p = pos.get(to)?;
        let (sx, sy) = ed.camera.get().to_screen(Point {
            x: p.x,
            y: p.y + NODE_H / 2.0,
        });
        let head = format!("{} → {}", names(from), names(to));
        let (class, body) = match verdict {
            Verdict::Allowed => (
                "connect-tip ok",
                view! { <p>"✓ DPM allows this protection."</p> }.into_any(),
            ),
            Verdict::Exists => (
                "connect-tip neutral",
                view! { <p>"This protection is already there."</p> }.into_any(),
            ),
            Verdict::Breaks(fs) => (
                "connect-tip bad",
                fs.into_iter()
                    .map(|f| {
                        view! {
                            <p data-rule=f.rule.id()>
                                <strong>{format!("{} {}", badge_symbol(f.severity()), f.rule.title())}</strong>
                                " " {f.message}
                            </p>
                        }
                    })
                    .collect_view()
                    .into_any(),
            ),
        };
        Some(
            view! {
                <div class=class role="status" style:left=format!("{}px", num(sx))
                    style:top=format!("{}px", num(sy + 10.0))>
                    <div class="tip-head">{head}</div>
                    {body}
                </div>
            }
            .into_any(),
        )
    };
    view! { {tip} }
}

/// The findings of the server or arrow under the pointer or keyboard focus,
/// with the documentation behind them.
#[component]
pub fn FindingTip() -> impl IntoView {
    let ed = crate::ctx::ctx().ed;
    let pos = crate::ctx::ctx().pos;
    let derived = expect_context::<Derived>();
    let tip = crate::ctx::ctx().tip;
    let cn = crate::ctx::ctx().cn;
    let card = move || {
        if cn.from.get().is_some() {
            return None;
        }
        let (fs, at) = if let Some(id) = tip.server.get() {
            let fs = derived.findings.with(|f| f.of_server(id));
            let p = pos.get(id)?;
            (
                fs,
                Point {
                    x: p.x,
                    y: p.y + NODE_H / 2.0,
                },
            )
        } else if let Some(l) = tip.link.get() {
            let fs = derived.findings.with(|f| f.of_link(l));
            let (a, b) = (pos.get(l.protector)?, pos.get(l.target)?);
            (
                fs,
                Point {
                    x: (a.x + b.x) / 2.0,
                    y: (a.y + b.y) / 2.0 + 12.0,
                },
            )
        } else {
            return None;
        };
        if fs.is_empty() {
            return None;
        }
        let (sx, sy) = ed.camera.get().to_screen(at);
        let items = fs
            .into_iter()
            .map(|f| {
                let src = f.rule.source();
                let sev = f.severity();
                view! {
                    <div class=format!("tip-finding {}", sev.as_str())>
                        <strong>{format!("{} {}", badge_symbol(sev), f.rule.title())}</strong>
                        <p>{f.message}</p>
                        <blockquote>{format!("“{}”", src.text)}<cite>{src.document}</cite></blockquote>
                    </div>
                }
            })
            .collect_view();
        Some(view! {
            <div class="finding-tip" role="tooltip" style:left=format!("{}px", num(sx))
                style:top=format!("{}px", num(sy + 8.0))>{items}</div>
        })
    };
    view! { {card} }
}
