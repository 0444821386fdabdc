//! Drawing a protection on the canvas: the loose end from the protector
//! to the pointer, coloured by the rules' verdict on the server under it,
//! and the tip that says the verdict. The connection's state and the
//! verdicts are [`Connect`](crate::canvas::state::Connect)'s.

use crate::canvas::state::Verdict;
use crate::ctx::Ctx;

use dpm_rules::{badge_symbol, num, Point, ServerId, NODE_H};
use leptos::prelude::*;

/// The line from the protector to the pointer (or to the server under it):
/// green where DPM allows the protection, red where it breaks a rule.
pub fn loose_end(c: Ctx) -> impl IntoView {
    let (cn, pos) = (c.cn, c.pos);
    move || {
        let from = cn.from.get()?;
        let p = cn.pointer.get()?;
        let a = pos.of(from, p).get();
        let to = cn.target.get().and_then(|t| pos.get(t)).unwrap_or(p);
        // Neutral over no server, or one not judged yet (far servers are
        // judged in idle steps: `Connect::start`).
        let ok = cn.target.get().and_then(|t| {
            cn.verdicts
                .with(|v| v.get(&t).map(|v| matches!(v, Verdict::Allowed)))
        });
        let class = match ok {
            Some(true) => "connect-line ok",
            Some(false) => "connect-line bad",
            None => "connect-line",
        };
        Some(view! {
            <line class=class x1=num(a.x) y1=num(a.y) x2=num(to.x) y2=num(to.y) marker-end="url(#arrowhead)" />
        })
    }
}

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
                view! { <div class="connect-tip neutral instruction" role="status">{text}</div> }
                    .into_any(),
            );
        };
        // (`None`: a far server, judged in a later idle step.)
        let verdict = cn.verdicts.with(|v| v.get(&to).cloned());
        let p = pos.get(to)?;
        let (sx, sy) = ed.camera.get().to_screen(Point {
            x: p.x,
            y: p.y + NODE_H / 2.0,
        });
        let head = format!("{} → {}", names(from), names(to));
        let (class, body) = match verdict {
            None => (
                "connect-tip neutral",
                view! { <p>"Checking what DPM allows…"</p> }.into_any(),
            ),
            Some(Verdict::Allowed) => (
                "connect-tip ok",
                view! { <p>"✓ DPM allows this protection."</p> }.into_any(),
            ),
            Some(Verdict::Exists) => (
                "connect-tip neutral",
                view! { <p>"This protection is already there."</p> }.into_any(),
            ),
            Some(Verdict::Breaks(fs)) => (
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
                <div class=class role="status" style:left=crate::canvas::tips::keep_in(sx)
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
