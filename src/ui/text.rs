//! Text written for people (an exercise's task, a presenter's caption) as
//! paragraphs and tables: the rule crate reads it
//! ([`dpm_rules::text_blocks`]), this writes it with the markup builder,
//! every word escaped by construction. A task quoting the documentation's
//! table shows a table, not its pipes and backslashes.

use crate::browser::markup::{el, El, Markup};
use dpm_rules::{text_blocks, TextBlock};

/// `text` as `<p>` and `<table class="text-table">` elements.
pub fn blocks(text: &str) -> Markup {
    Markup::concat(text_blocks(text).into_iter().map(block))
}

fn block(b: TextBlock) -> El {
    match b {
        TextBlock::Paragraph(p) => el("p").user_text(p),
        TextBlock::Table { head, rows } => {
            // Rows as long as the longest, so that the grid stays whole,
            // up to 32 columns: a line of 20,000 pipes over 20,000 lines
            // of one would have made 400 million empty cells.
            let width = rows
                .iter()
                .map(Vec::len)
                .fold(head.len(), usize::max)
                .min(32);
            let row = |cells: Vec<String>, head: bool| {
                el("tr").children((0..width.max(cells.len())).map(|i| {
                    let cell = if head {
                        el("th").attr("scope", "col")
                    } else {
                        el("td")
                    };
                    cell.user_text(cells.get(i).map_or("", String::as_str))
                }))
            };
            el("table")
                .attr("class", "text-table")
                .child_opt((!head.is_empty()).then(|| el("thead").child(row(head, true))))
                .child(el("tbody").children(rows.into_iter().map(|r| row(r, false))))
        }
    }
}
