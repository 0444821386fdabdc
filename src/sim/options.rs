//! The simulator's plan as markup: the recovery order (when one server's
//! recovery needs another's first) and what DPM lets you do for each
//! affected server, one entry an option, with Play and Apply. A large
//! estate's options of one kind fold into one entry with a field to pick
//! the server by name, and a failure that leaves many servers to act on
//! shows them a page at a time, with a field to find one by name.

use crate::browser::markup::el;
use crate::browser::markup::El;
use crate::browser::markup::Markup;
use crate::ui::markup::action_button;
use crate::ui::markup::classed;

use dpm_rules::{fold_case, Affected, Plan, RecoveryOption, ServerId, Topology};

/// More affected servers than this, and the options' section shows them
/// a page at a time ([`Window`]), with a field to find one by name: a
/// site's failure at 10,000 servers leaves some 2,700, which written
/// whole were 47,000 elements and 720,000 pixels of panel, a second of
/// the failure's parsing, style and layout, for a list no one scrolls.
pub const WINDOW_FROM: usize = 40;

/// Affected servers a page shows, at first and with each "Show more".
pub const PAGE: usize = 25;

/// Which affected servers the options' section shows when there are more
/// than [`WINDOW_FROM`]: those whose name holds `find` (case aside), the
/// first `shown` of them.
///
/// What is found is by a part of the name: "ps4" finds PS4 and PS40.
#[derive(Clone, Debug, PartialEq)]
pub struct Window {
    pub find: String,
    pub shown: usize,
}

impl Default for Window {
    fn default() -> Window {
        Window {
            find: String::new(),
            shown: PAGE,
        }
    }
}

/// The id of the field that finds an affected server by name.
pub const FIND_ID: &str = "affected-find";

/// The recovery order (when there is one) and what DPM lets you do for
/// each affected server (a page of them, `window`, when there are many).
/// Buttons carry `data-a` (the affected server) and `data-o` (the option),
/// or for a group `data-g` (the grouped option), `data-kind` and a field
/// to type or pick the server by name (its pick, if any, in `picks` by
/// field id).
///
/// `active`: the option playing, as its server's name and its key (its
/// server's entry is shown, in the page or not).
pub fn plan_html(
    t: &Topology,
    p: &Plan,
    active: Option<(&str, &str)>,
    picks: &[(String, ServerId)],
    window: &Window,
) -> PlanRows {
    let mut options = vec![el("h3").text("What DPM lets you do").render()];
    let entry = |ai: usize| affected_server(t, ai, &p.affected[ai], active, picks).render();
    let mut summary = None;
    if p.affected.len() <= WINDOW_FROM {
        options.extend((0..p.affected.len()).map(entry));
    } else {
        options.push(find_field(p.affected.len()).render());
        let find = fold_case(window.find.trim());
        let matching: Vec<usize> = (0..p.affected.len())
            .filter(|&ai| {
                find.is_empty() || fold_case(t.name(p.affected[ai].server)).contains(&find)
            })
            .collect();
        let playing = active.and_then(|(s, _)| {
            p.affected
                .iter()
                .position(|a| t.name(a.server) == s)
                .filter(|ai| !matching.iter().take(window.shown).any(|m| m == ai))
        });
        let page = matching.iter().take(window.shown).copied();
        options.extend(page.chain(playing).map(entry));
        let playing = playing.map(|ai| t.name(p.affected[ai].server));
        let (foot, said) = page_foot(window.find.trim(), (matching.len(), window.shown), playing);
        options.push(foot.render());
        summary = Some(said);
    }
    PlanRows {
        order: recovery_order(t, p).map(El::render),
        options,
        summary,
    }
}

/// The field that finds an affected server by name, `n` of them (its
/// value is the page's own: the row stays as it is while the user types).
/// A text field, not a search field: Escape empties a search field without
/// an input event, which left the list filtered by what was no longer
/// there.
fn find_field(n: usize) -> El {
    classed("label", "field affected-find")
        .child(el("span").text(format!("Find one of the {n} affected servers by name")))
        .child(
            el("input")
                .attr("type", "text")
                .attr("id", FIND_ID)
                .attr("autocomplete", "off")
                .attr("spellcheck", "false")
                .attr("aria-describedby", "affected-count")
                .attr("data-k", FIND_ID),
        )
}

/// "1 affected server", "25 affected servers".
fn servers(n: usize) -> String {
    format!("{n} affected server{}", if n == 1 { "" } else { "s" })
}

/// Under a page: how many it shows of how many (`matching` whose name
/// contains `find`, the first `shown`), the server shown because its
/// option is `playing` though not in the page, and "Show more" while some
/// are not shown. With what it says, as text for a screen reader.
fn page_foot(find: &str, (matching, shown): (usize, usize), playing: Option<&str>) -> (El, String) {
    let foot = classed("div", "page-foot").attr("data-testid", "affected-page");
    let showing = shown.min(matching);
    // In pieces, each plain or a user's text (names isolated by
    // `user_text`), written as markup and, for a screen reader's status
    // line, as plain text.
    let mut pieces: Vec<(String, bool)> = Vec::new();
    let mut put = |piece: &str, user: bool| pieces.push((piece.to_string(), user));
    if matching == 0 {
        put("No affected server's name contains “", false);
        put(find, true);
        put("”.", false);
    } else {
        put(
            &format!("Showing {showing} of {}", servers(matching)),
            false,
        );
        if !find.is_empty() {
            put(" whose name contains “", false);
            put(find, true);
            put("”", false);
        }
        put(".", false);
    }
    if let Some(name) = playing {
        put(" ", false);
        put(name, true);
        put(" is shown too: its option is playing.", false);
    }
    let start = (
        classed("p", "muted").attr("id", "affected-count"),
        String::new(),
    );
    let (text, said) = pieces.iter().fold(start, |(e, said), (piece, user)| {
        let e = if *user {
            e.user_text(piece)
        } else {
            e.text(piece)
        };
        (e, said + piece)
    });
    let foot = foot.child(text);
    if showing == matching {
        return (foot, said);
    }
    let more = PAGE.min(matching - showing);
    let button = action_button("btn small", "more-affected")
        .attr("data-k", "more-affected")
        .text(format!("Show {more} more"));
    (foot.child(button), said)
}

/// The plan as rows, so that a change (the option playing) writes only
/// the rows it changes: the recovery order if any, and the rows of the
/// "What DPM lets you do" section (its heading, then one per affected
/// server shown; with many, the find field after the heading and the
/// page's foot at the end). `summary`: what the foot says, when there is
/// one, for a screen reader.
pub struct PlanRows {
    pub order: Option<Markup>,
    pub options: Vec<Markup>,
    pub summary: Option<String>,
}

impl PlanRows {
    /// The options' section, its rows in it.
    pub fn options_html(&self) -> Markup {
        self.options
            .iter()
            .fold(
                classed("section", "options-section").attr("aria-label", "Recovery options"),
                |s, r| s.markup(r),
            )
            .render()
    }
}

/// "Recovery in order": each step, what it brings back, and a button that
/// plays them all. None when the servers can be recovered in any order.
fn recovery_order(t: &Topology, p: &Plan) -> Option<El> {
    if p.order.is_empty() {
        return None;
    }
    let mut steps = el("ol");
    for o in &p.order {
        let mut li = el("li").text(&o.step.caption);
        if !o.back.is_empty() {
            let mut back = classed("span", "back").text(" Copies again: ");
            for (i, d) in o.back.iter().enumerate() {
                if i > 0 {
                    back = back.text(", ");
                }
                back = back.user_text(d.label(t));
            }
            li = li.child(back.text("."));
        }
        steps = steps.child(li);
    }
    Some(
        classed("section", "order")
            .attr("aria-label", "Recovery in order")
            .attr("data-testid", "order")
            .child(el("h3").text("Recovery in order"))
            .child(classed("p", "muted").text(
                "What these servers need survives only further along the chain: recover them in this order.",
            ))
            .child(steps)
            .child(
                action_button("btn small primary", "play-plan")
                    .attr("data-k", "play-plan")
                    .text("▶ Play the recovery"),
            ),
    )
}

/// One affected server: its name, the planner's notes, and its options,
/// a grouped one as one entry.
fn affected_server(
    t: &Topology,
    ai: usize,
    a: &Affected,
    active: Option<(&str, &str)>,
    picks: &[(String, ServerId)],
) -> El {
    let server = t.name(a.server);
    let active = active.filter(|&(s, _)| s == server).map(|(_, key)| key);
    let mut div = classed("div", "affected")
        .attr("data-affected", server)
        .child(
            el("h4")
                .attr("tabindex", "-1")
                .attr("data-k", format!("affected {server}"))
                .text(server),
        );
    for n in &a.notes {
        div = div.child(classed("p", "option-note").text(n));
    }
    let mut entries = classed("ul", "options");
    for (oi, o) in a.options.iter().enumerate() {
        if let Some(among) = &o.among {
            entries = entries.child(option_group(t, (ai, oi), o, among, active, picks));
            continue;
        }
        let via = o
            .via
            .as_deref()
            .map(|v| classed("span", "via").text(o.via_joiner()).user_text(v));
        let entry = option_entry(t, ai, o, active, via, Vec::new());
        entries = entries.child(entry.attr("data-o", oi.to_string()));
    }
    div.child(entries)
}

/// A grouped option (`at`: the affected server's place and the option's)
/// as one entry: the one picked by name (the option's own until the user
/// picks), how many servers could take it, and the field to type or pick
/// another.
fn option_group(
    t: &Topology,
    at: (usize, usize),
    o: &RecoveryOption,
    among: &[ServerId],
    active: Option<&str>,
    picks: &[(String, ServerId)],
) -> El {
    let (ai, oi) = at;
    let id = format!("via-{ai}-{oi}");
    let picked = picks
        .iter()
        .find(|(k, _)| *k == id)
        .and_then(|&(_, via)| o.through(t, via))
        .unwrap_or_else(|| o.clone());
    let count = among.len().to_string();
    let head = classed("span", "via").text(format!(" · {count} servers could take it"));
    // Filled when the field takes the focus (`names_html`): the options
    // of seven groups of a large estate's failure are some 10,000 names.
    let names = el("datalist").attr("id", format!("{id}-names"));
    let field = via_field(&id, picked.via.as_deref().unwrap_or_default(), names);
    option_entry(t, ai, &picked, active, Some(head), field)
        .attr("data-g", oi.to_string())
        .attr("data-kind", o.kind.id())
        .attr("data-option-group", o.kind.id())
        .attr("data-count", count)
}

/// The suggestions of a group's field: the names of the servers `among`,
/// as the `<option>`s of its datalist.
pub fn names_html(t: &Topology, among: &[ServerId]) -> Markup {
    Markup::concat(among.iter().map(|&v| el("option").attr("value", t.name(v))))
}

/// A group's field: type or pick the server by name (`id` the field's),
/// its suggestions (the `names` datalist), and where it says that no
/// server has that name.
fn via_field(id: &str, via: &str, names: El) -> Vec<El> {
    let input = el("input")
        .attr("type", "text")
        .attr("id", id)
        .attr("list", format!("{id}-names"))
        .attr("value", via)
        .attr("autocomplete", "off")
        .attr("aria-describedby", format!("{id}-error"))
        .attr("data-k", id);
    vec![
        classed("label", "field")
            .child(el("span").text("Via (type or pick a name)"))
            .child(input),
        names,
        classed("p", "error-text")
            .attr("id", format!("{id}-error"))
            .attr("role", "alert"),
    ]
}

/// One option, or a group's entry: its verdict, title (then `head`), why,
/// a group's `field`, Play and, in the editor, Apply. The caller adds the
/// attributes that say which option it is (`data-o`, or the group's).
fn option_entry(
    t: &Topology,
    ai: usize,
    o: &RecoveryOption,
    active: Option<&str>,
    head: Option<El>,
    field: Vec<El>,
) -> El {
    let key = o.key();
    let (verdict, said) = if o.supported {
        ("✓", " (supported)")
    } else {
        ("✕", " (not supported)")
    };
    let mut class = String::from(if o.supported {
        "option supported"
    } else {
        "option unsupported"
    });
    if !field.is_empty() {
        class.push_str(" option-group");
    }
    if active == Some(key.as_str()) {
        class.push_str(" active");
    }
    let option_head = classed("div", "option-head")
        .child(
            classed("span", "verdict")
                .attr("aria-hidden", "true")
                .text(verdict),
        )
        .child(
            classed("span", "option-title")
                .text(o.title(t))
                .child_opt(head),
        )
        .child(classed("span", "sr-only").text(said));
    let play = action_button("btn small", "play")
        .attr("data-k", format!("play-{ai}-{key}"))
        .text(if o.supported {
            "▶ Play"
        } else {
            "▶ Show why"
        });
    let apply = action_button("btn small primary", "apply")
        .attr("data-k", format!("apply-{ai}-{key}"))
        .attr(
            "title",
            if o.supported {
                "Make this the drawing (undoable)"
            } else {
                "DPM does not support this"
            },
        )
        .flag("disabled", !o.supported)
        .text("Apply");
    classed("li", &class)
        .attr("data-option", &key)
        .attr("data-a", ai.to_string())
        .child(option_head)
        .child(classed("p", "reason").text(&o.reason))
        .children(field)
        .child(classed("div", "row").child(play).child(apply))
}
