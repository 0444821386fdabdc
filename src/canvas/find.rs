//! Find a server by name (`/`, Ctrl/Cmd+F, or the view controls' Find):
//! in an estate of thousands, the way to a server is its name. Enter goes
//! to the next match (Shift+Enter the one before), centring and selecting
//! it; Escape closes. Matching is the rule crate's (`Topology::search`).

use crate::state::reveal::reveal;

use leptos::prelude::*;

#[component]
pub fn FindBar() -> impl IntoView {
    let c = crate::ctx::ctx();
    let (ed, open) = (c.ed, c.find);
    // (what was searched, which match is shown)
    let at = StoredValue::new((String::new(), None::<usize>));
    let input = NodeRef::<leptos::html::Input>::new();
    let status = NodeRef::<leptos::html::Span>::new();
    // Always there, hidden while closed: opening puts the cursor in it.
    crate::browser::effect(move || {
        if let (true, Some(i)) = (open.get(), input.get()) {
            let _ = i.focus();
            i.select();
        }
    });
    // Searches on every key: Enter (Shift+Enter) steps through the matches.
    let on_key = move |ev: web_sys::KeyboardEvent| {
        let key = ev.key();
        let Some(i) = input.get_untracked() else {
            return;
        };
        let q = i.value();
        let hits = ed.doc.with_untracked(|t| t.search(&q));
        let n = hits.len();
        let step = key == "Enter";
        if step {
            ev.prevent_default();
        }
        let (last, shown) = at.get_value();
        let shown = if last != q { None } else { shown };
        let now = match (step && n > 0, shown, ev.shift_key()) {
            (false, s, _) => s,
            (true, None, _) => Some(0),
            (true, Some(i), false) => Some((i + 1) % n),
            (true, Some(i), true) => Some((i + n - 1) % n),
        };
        at.set_value((q.clone(), now));
        let text = match (n, now) {
            _ if q.trim().is_empty() => String::new(),
            (0, _) => "No server's name holds that.".into(),
            (n, Some(k)) => {
                if step {
                    reveal(ed, c.pos, &[hits[k]], &[]);
                }
                format!(
                    "{} of {n}: {}",
                    k + 1,
                    ed.doc.with_untracked(|t| t.name(hits[k]).to_string())
                )
            }
            (n, None) => format!("{n} found: Enter goes to the first."),
        };
        if let Some(s) = status.get_untracked() {
            s.set_text_content(Some(&text));
        }
    };
    view! {
        <div class="find-bar" role="search" data-testid="find" hidden=move || !open.get()>
            <input type="search" node_ref=input aria-label="Find a server by name"
                placeholder="Find a server by name" maxlength="80" on:keyup=on_key />
            <span class="find-status" role="status" node_ref=status></span>
            <button class="icon-button" data-action="find-close" aria-label="Close find"
                on:click=move |_| crate::canvas::state::close_find(c.ed, c.find, c.svg)>"×"</button>
        </div>
    }
}
