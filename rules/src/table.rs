//! The seeds' own Markdown table: `|Server|Protecting|Protected by|`.
//!
//! Import takes the tables exactly as the DPM documentation writes them
//! (escaped parentheses and dashes, role labels or none, a server on two
//! rows), and the same table as people copy it: from the rendered page
//! (tab-separated), from a spreadsheet (tab-separated, or saved as CSV,
//! quoted cells and all). Export writes the documentation's layout: one row
//! per DPM server and role, primary before secondary, names in natural
//! order, `\-` where nothing protects it.

use crate::model::{Kind, Protection, ServerId, Topology};
use crate::scenario::InputError;

const HEADER: &str = "|Server|Protecting|Protected by|";
const RULE: &str = "|----------|--------------|----------------|";

/// The role a table row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowRole {
    Primary,
    Secondary,
    /// A DPM server that is neither (the seed's Scenario 2 leaves DS4
    /// unlabelled; this project labels a server that protects DPM servers
    /// `secondary`, so this is one that protects nothing, or only itself).
    None,
}

impl RowRole {
    pub fn label(self) -> &'static str {
        match self {
            RowRole::Primary => "primary",
            RowRole::Secondary => "secondary",
            RowRole::None => "",
        }
    }
}

/// One row of the seeds' table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRow {
    pub server: ServerId,
    pub role: RowRole,
    /// In natural name order.
    pub protecting: Vec<ServerId>,
    pub protected_by: Vec<ServerId>,
}

/// The table's rows: one per DPM server and role, primary before secondary,
/// servers in natural name order. Protected servers have no row of their
/// own; a DPM server that protects itself lists itself in its first row.
///
/// n log n in the protections (each server's are one run of a sorted list,
/// not a search of all of them per server) and in the names.
pub fn table_rows(t: &Topology) -> Vec<TableRow> {
    table_rows_first(t, usize::MAX).0
}

/// The first `most` rows of [`table_rows`], and how many rows it has in
/// all: for a view that shows the first few hundred rows of an estate's
/// table, without sorting what each of the others protects.
///
/// Each protection is listed once by its protector and once by its target
/// (when that is a DPM server, the only ones with rows), each list sorted:
/// a server's protections are one run of it. (Maps of lists, one list per
/// server, were 1.5 ms at 10,000 servers, and in the browser 5-12 ms of
/// an idle moment that fell between an edit's two frames.)
pub fn table_rows_first(t: &Topology, most: usize) -> (Vec<TableRow>, usize) {
    let sort = |ids: &mut Vec<ServerId>| {
        t.sort_by_name(ids);
        ids.dedup();
    };
    let by_id = t.positions_by_id();
    let kind = |x: ServerId| t.position_by(&by_id, x).map(|i| t.servers[i].kind);
    let mut down: Vec<(ServerId, ServerId)> = t
        .protections
        .iter()
        .map(|p| (p.protector, p.target))
        .collect();
    let mut up: Vec<(ServerId, ServerId)> = t
        .protections
        .iter()
        .filter(|p| p.protector != p.target && kind(p.target) == Some(Kind::Dpm))
        .map(|p| (p.target, p.protector))
        .collect();
    // (The crate's one compiled sort: `sort_unstable` on pairs was 2.5 KB
    // more of the editor's wasm.)
    crate::sort::sort_by(&mut down, &|a, b| a.cmp(b));
    crate::sort::sort_by(&mut up, &|a, b| a.cmp(b));
    // `id`'s run of `list`: its pairs, the other ends second.
    fn run(list: &[(ServerId, ServerId)], id: ServerId) -> &[(ServerId, ServerId)] {
        let from = list.partition_point(|&(x, _)| x < id);
        let to = list.partition_point(|&(x, _)| x <= id);
        &list[from..to]
    }
    let ends =
        |run: &[(ServerId, ServerId)]| -> Vec<ServerId> { run.iter().map(|&(_, y)| y).collect() };
    let mut out = Vec::new();
    // Only DPM servers have rows.
    let mut count = 0;
    for id in t.sorted_dpm_ids() {
        let protects = run(&down, id);
        // Its roles, as `roles` gives them: primary when it protects a
        // protected server, secondary when it protects a DPM server.
        let others = || protects.iter().map(|&(_, x)| x).filter(|&x| x != id);
        let primary = others().any(|x| kind(x) == Some(Kind::Protected));
        let secondary = others().any(|x| kind(x) == Some(Kind::Dpm));
        count += (usize::from(primary) + usize::from(secondary)).max(1);
        if out.len() >= most {
            continue;
        }
        let mut by = ends(run(&up, id));
        sort(&mut by);
        let row = |role, protecting| TableRow {
            server: id,
            role,
            protecting,
            protected_by: by.clone(),
        };
        let mut rows: Vec<TableRow> = Vec::new();
        if primary {
            let p = protects.iter().map(|&(_, x)| x);
            rows.push(row(
                RowRole::Primary,
                p.filter(|&x| kind(x) == Some(Kind::Protected)).collect(),
            ));
        }
        if secondary {
            rows.push(row(
                RowRole::Secondary,
                others().filter(|&x| kind(x) == Some(Kind::Dpm)).collect(),
            ));
        }
        if rows.is_empty() {
            rows.push(row(RowRole::None, Vec::new()));
        }
        if protects.iter().any(|&(_, x)| x == id) {
            rows[0].protecting.push(id);
        }
        for r in &mut rows {
            sort(&mut r.protecting);
        }
        out.extend(rows);
    }
    out.truncate(most);
    (out, count)
}

/// Writes the table. Protected servers have no row of their own, so one that
/// nothing protects does not appear; a DPM server that neither protects nor
/// is protected still gets a row.
pub fn to_table(t: &Topology) -> String {
    let mut out = String::new();
    out.push_str(HEADER);
    out.push('\n');
    out.push_str(RULE);
    out.push('\n');
    let names = |ids: &[ServerId]| -> String {
        if ids.is_empty() {
            "\\-".to_string()
        } else {
            ids.iter()
                .map(|id| escape(t.name(*id)))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    for row in table_rows(t) {
        out.push('|');
        out.push_str(&escape(t.name(row.server)));
        if row.role != RowRole::None {
            out.push_str(&format!(" \\({}\\)", row.role.label()));
        }
        out.push('|');
        out.push_str(&names(&row.protecting));
        out.push('|');
        out.push_str(&names(&row.protected_by));
        out.push_str("|\n");
    }
    out
}

/// Backslash-escapes what Markdown or this table would otherwise read as
/// syntax.
fn escape(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for (i, c) in name.chars().enumerate() {
        let special = matches!(
            c,
            '\\' | '|'
                | '('
                | ')'
                | '['
                | ']'
                | '*'
                | '_'
                | '<'
                | '>'
                | '`'
                | '#'
                | ','
                | '!'
                | '&'
        ) || (i == 0 && matches!(c, '-' | '+'));
        if special {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some(n) => out.push(n),
                None => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Splits a table row into cells on `|` that are not escaped. The outer
/// pipes are optional, as in Markdown; a final `\\|` is an escaped
/// backslash and then the closing pipe.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim();
    let inner = inner.strip_prefix('|').unwrap_or(inner);
    let mut cells = split_unescaped(inner, '|');
    if cells.len() > 1 && cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells
}

fn split_unescaped(s: &str, sep: char) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            cur.push(c);
            if let Some(n) = chars.next() {
                cur.push(n);
            }
        } else if c == sep {
            out.push(std::mem::take(&mut cur));
        } else {
            cur.push(c);
        }
    }
    out.push(cur);
    out
}

fn is_table_line(line: &str) -> bool {
    line.trim_start().starts_with('|')
}

fn is_rule_row(cells: &[Cell]) -> bool {
    cells.iter().all(|c| is_rule_cell(&c.text))
}

/// A cell of a Markdown table's rule row: dashes, colons for alignment.
fn is_rule_cell(cell: &str) -> bool {
    let c = cell.trim();
    !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' '))
}

/// A cell's text as it is meant: Markdown escapes undone (`escaped`), or
/// as it stands (a tab-separated or CSV cell has none).
fn decode(s: &str, escaped: bool) -> String {
    if escaped {
        unescape(s)
    } else {
        s.to_string()
    }
}

/// Strips a role label ("(primary)", escaped or not) from a server cell.
fn split_role(cell: &str, escaped: bool) -> (String, Option<String>) {
    let raw = cell.trim();
    for open in ["\\(", "("] {
        let close = if open == "\\(" { "\\)" } else { ")" };
        if let Some(stripped) = raw.strip_suffix(close) {
            if let Some(i) = stripped.rfind(open) {
                let label = stripped[i + open.len()..].trim().to_ascii_lowercase();
                if label == "primary" || label == "secondary" {
                    return (decode(stripped[..i].trim(), escaped), Some(label));
                }
            }
        }
    }
    (decode(raw, escaped), None)
}

fn name_list(cell: &str, escaped: bool) -> Vec<String> {
    let c = cell.trim();
    if c.is_empty() || c == "-" || c == "\\-" || c == "—" || c == "–" {
        return Vec::new();
    }
    // A backslash before a comma keeps it in a name (Markdown's escape);
    // in plain text that is all a backslash does.
    split_unescaped(c, ',')
        .into_iter()
        .map(|n| decode(n.trim(), escaped))
        .filter(|n| !n.is_empty())
        .collect()
}

/// A part of a text written for people (an exercise's task, a scene's
/// caption), as [`text_blocks`] reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TextBlock {
    /// Lines of text, their line breaks kept, blank lines around it
    /// left out.
    Paragraph(String),
    /// A Markdown table (the seeds' own form): its header row, when a rule
    /// row (`|---|---|`) follows it, else empty; and its other rows. Each
    /// cell is trimmed and its Markdown escapes undone (`\(primary\)` is
    /// "(primary)"). Rows keep the cells they have: they may differ in
    /// length.
    Table {
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// `text` as paragraphs and tables: a run of lines starting with `|` is a
/// table (as the documentation writes its tables, and as the built-in
/// exercises quote them); other lines are paragraphs, separated by blank
/// lines. Nothing else of Markdown is read: `*`, `#` and the like stay as
/// they are written. Lines end as the table reader's do (`\n`, `\r\n` or
/// a lone `\r`). Any text is read (linear in its length); a text of blank
/// lines, or a lone rule row, gives none.
pub fn text_blocks(text: &str) -> Vec<TextBlock> {
    let mut out = Vec::new();
    let mut para: Vec<&str> = Vec::new();
    let mut table: Vec<Vec<String>> = Vec::new();
    let end_para = |para: &mut Vec<&str>, out: &mut Vec<TextBlock>| {
        if !para.is_empty() {
            out.push(TextBlock::Paragraph(para.join("\n")));
            para.clear();
        }
    };
    let end_table = |table: &mut Vec<Vec<String>>, out: &mut Vec<TextBlock>| {
        if table.is_empty() {
            return;
        }
        // The rule row is told by the cells as written (`\-` is a dash):
        // the second line, under the header (as Markdown has it), or a
        // first line with no header above it. A row of dashes further down
        // is a row of the table (`|-|`: none).
        let rule = |row: &[String]| row.iter().all(|c| is_rule_cell(c));
        let mut rows = std::mem::take(table);
        let headed = rows.len() > 1 && rule(&rows[1]) && !rule(&rows[0]);
        let meant = |row: Vec<String>| row.iter().map(|c| unescape(c.trim())).collect();
        let head = if headed {
            let head = rows.remove(0);
            rows.remove(0);
            meant(head)
        } else {
            if rows.first().is_some_and(|r| rule(r)) {
                rows.remove(0);
            }
            Vec::new()
        };
        // (A lone rule row: no table.)
        if head.is_empty() && rows.is_empty() {
            return;
        }
        let rows = rows.into_iter().map(meant).collect();
        out.push(TextBlock::Table { head, rows });
    };
    for (_, line) in lines_of(text) {
        if is_table_line(line) {
            end_para(&mut para, &mut out);
            table.push(cells(line));
        } else {
            end_table(&mut table, &mut out);
            if line.trim().is_empty() {
                end_para(&mut para, &mut out);
            } else {
                para.push(line.trim_end());
            }
        }
    }
    end_para(&mut para, &mut out);
    end_table(&mut table, &mut out);
    out
}

/// True when `text` looks like a table: a Markdown table, or a
/// tab-separated or CSV one with the header Server, Protecting, Protected
/// by (used to tell the input forms apart by content).
pub fn looks_like_table(text: &str) -> bool {
    markdown(text) || delimited(text).is_some()
}

/// A Markdown table's header line is in `text`.
fn markdown(text: &str) -> bool {
    lines_of(text).any(|(_, l)| {
        is_table_line(l) && {
            let c = cells(l);
            c.len() >= 3 && c[0].trim().eq_ignore_ascii_case("server")
        }
    })
}

/// Whether a header cell says `want` (in lower case, without spaces):
/// case, spaces and quotes aside ("Protected by", "PROTECTED BY" and
/// `"ProtectedBy"` are one).
fn says(cell: &str, want: &str) -> bool {
    let mut lower = String::with_capacity(cell.len());
    for c in cell.chars().filter(|c| !c.is_whitespace() && *c != '"') {
        crate::model::push_lower(&mut lower, c);
    }
    lower == want
}

/// Where a tab-separated or CSV table's header is: its byte offset, its
/// line (from 0) and the separator. Tabs are tried first: a rendered
/// page's table copies with tabs, and its cells may hold commas.
fn delimited(text: &str) -> Option<(usize, usize, char)> {
    for (i, (offset, line)) in lines_of(text).enumerate() {
        for sep in ['\t', ','] {
            let mut c = line.split(sep);
            // The three columns, then only empty cells (a spreadsheet's).
            if ["server", "protecting", "protectedby"]
                .iter()
                .all(|w| c.next().is_some_and(|c| says(c, w)))
                && c.all(|c| says(c, ""))
            {
                return Some((offset, i, sep));
            }
        }
    }
    None
}

/// The lines of `text`, each with its byte offset and without its end:
/// `\r\n`, `\n` and a lone `\r` (old Mac text, Excel's "CSV (Macintosh)")
/// each end a line, as they end a record in [`records`]. Lazy: a paste of
/// millions of line ends is walked, never collected.
fn lines_of(text: &str) -> impl Iterator<Item = (usize, &str)> + Clone {
    let mut at = 0;
    std::iter::from_fn(move || {
        let rest = text.get(at..).filter(|r| !r.is_empty())?;
        let start = at;
        let (len, end) = match rest.find(['\n', '\r']) {
            Some(i) if rest[i..].starts_with("\r\n") => (i, i + 2),
            Some(i) => (i, i + 1),
            None => (rest.len(), rest.len()),
        };
        at += end;
        Some((start, &rest[..len]))
    })
}

/// Reads the first `Server | Protecting | Protected by` table in `text`:
/// Markdown, or tab-separated (copied from a rendered page or a
/// spreadsheet), or CSV, told apart by content. Lines before it (a
/// heading, say) are passed over; a heading line just above the table
/// becomes the scenario's title.
pub fn from_table(text: &str) -> Result<Topology, InputError> {
    let text = text.trim_start_matches('\u{feff}');
    let lines = || lines_of(text).map(|(_, l)| l);
    let plain = if markdown(text) {
        None
    } else {
        delimited(text)
    };
    let (header_at, records) = match plain {
        Some((offset, at, sep)) => {
            let records = records(&text[offset..], sep, at + 1)?;
            // `records` stops reading one past the most a drawing holds.
            if records.len() > crate::MAX_SERVERS + 1 {
                return Err(InputError::new(format!(
                    "the table has more than {0} rows; a drawing holds at most {0} servers",
                    crate::MAX_SERVERS
                )));
            }
            (at, records.into_iter().skip(1).collect())
        }
        None => {
            let at = header(lines())?;
            (at, markdown_records(lines(), at))
        }
    };
    let mut t = Topology::new();
    t.title = title_above(lines().take(header_at), plain.is_some());
    let rows = rows(&records, header_at + 1, plain.is_none())?;
    servers_and_protections(&mut t, &rows)?;
    Ok(t)
}

/// The title in the lines above a table: a bold or heading line among the
/// last three, or (for a table copied from a rendered page, `plain`) the
/// nearest short line that does not lead into the table with a colon. The
/// seeds put a sentence between the bold title and the table.
fn title_above<'a>(lines: impl Iterator<Item = &'a str>, plain: bool) -> Option<String> {
    let mut near: Vec<&str> = Vec::new();
    for l in lines.map(str::trim).filter(|l| !l.is_empty()) {
        if near.len() == 3 {
            near.remove(2);
        }
        near.insert(0, l);
    }
    near.iter().find_map(|l| title_of(l)).or_else(|| {
        near.iter()
            .find(|l| plain && !l.ends_with(':') && !l.contains(['\t', ',']))
            .filter(|l| l.chars().count() <= 80 && !l.chars().any(char::is_control))
            .map(|l| l.to_string())
    })
}

/// The line of the table's header, checked: the three columns, in order.
fn header<'a>(lines: impl Iterator<Item = &'a str> + Clone) -> Result<usize, InputError> {
    // Counted before any row is read: a runaway paste is refused at once.
    let rows = lines.clone().filter(|l| is_table_line(l)).count();
    if rows > crate::MAX_SERVERS + 2 {
        return Err(InputError::new(format!(
            "the table has {} rows; a drawing holds at most {} servers",
            rows - 2,
            crate::MAX_SERVERS
        )));
    }
    let Some((header_at, line)) = lines.enumerate().find(|(_, l)| is_table_line(l)) else {
        return Err(InputError::new(
            "no table found: expected a table with the columns Server, Protecting and Protected by (Markdown, tab-separated or CSV)",
        ));
    };
    let header = cells(line);
    let expected = ["server", "protecting", "protected by"];
    let ok = header.len() == 3
        && header
            .iter()
            .zip(expected)
            .all(|(h, e)| h.trim().eq_ignore_ascii_case(e));
    if !ok {
        return Err(InputError::at_line(
            header_at + 1,
            format!(
                "expected the header |Server|Protecting|Protected by|, found {}",
                line.trim()
            ),
        ));
    }
    Ok(header_at)
}

/// One row of the table as read: its line (from 1) and the names in its
/// cells, unescaped, the role label dropped.
struct Row {
    line: usize,
    server: String,
    protecting: Vec<String>,
    protected_by: Vec<String>,
}

/// A cell, and the column it starts at (from 1; 0 where not known).
struct Cell {
    text: String,
    column: usize,
}

/// A line of a table (a record of CSV, which may span lines): its line
/// number, its cells.
struct Record {
    line: usize,
    cells: Vec<Cell>,
}

/// The lines under a Markdown header, up to the first that is not the
/// table's: blank lines before the rows are passed over, one after them
/// ends the table (so a paste of endless blank lines is not kept).
fn markdown_records<'a>(lines: impl Iterator<Item = &'a str>, header_at: usize) -> Vec<Record> {
    let mut out = Vec::new();
    for (k, l) in lines.skip(header_at + 1).enumerate() {
        if l.trim().is_empty() && out.is_empty() {
            continue;
        }
        if !is_table_line(l) {
            break;
        }
        out.push(Record {
            line: header_at + 2 + k,
            cells: cells(l)
                .into_iter()
                .map(|text| Cell { text, column: 0 })
                .collect(),
        });
    }
    out
}

/// The rows of the records under the header (on line `header_line`): a
/// blank line before them is passed over, one after them ends the table,
/// as does a line with no separator (text under a copied table); a
/// Markdown rule row is passed over. Markdown cells are `escaped`.
fn rows(records: &[Record], header_line: usize, escaped: bool) -> Result<Vec<Row>, InputError> {
    let mut rows = Vec::new();
    for r in records {
        let mut cells: &[Cell] = &r.cells;
        // Spreadsheets pad rows with empty cells.
        while cells.len() > 3 && cells.last().is_some_and(|c| c.text.trim().is_empty()) {
            cells = &cells[..cells.len() - 1];
        }
        if cells.iter().all(|c| c.text.trim().is_empty()) {
            if rows.is_empty() {
                continue;
            }
            break;
        }
        if escaped && is_rule_row(cells) {
            continue;
        }
        let column = |c: &Cell| (c.column > 0).then_some(c.column);
        match cells {
            // A line of one cell ends the table (text under a copied
            // table), unless rows follow it: then it is a row that lost
            // its cells, and says so.
            [_] if !escaped && !rows_follow(records, r) => break,
            [a, b, c] => rows.push(row(
                r.line,
                [
                    (&a.text, column(a)),
                    (&b.text, column(b)),
                    (&c.text, column(c)),
                ],
                escaped,
            )?),
            _ => {
                return Err(at(
                    r.line,
                    cells.get(3).and_then(column),
                    format!(
                        "a row has 3 cells (Server, Protecting, Protected by); this one has {}",
                        cells.len()
                    ),
                ))
            }
        }
    }
    if rows.is_empty() {
        return Err(InputError::at_line(
            header_line,
            "the table has a header but no rows",
        ));
    }
    Ok(rows)
}

/// Whether a record of 3 cells or more comes after `r` in `records`.
fn rows_follow(records: &[Record], r: &Record) -> bool {
    records
        .iter()
        .skip_while(|x| !std::ptr::eq(*x, r))
        .skip(1)
        .any(|x| x.cells.len() >= 3)
}

/// An error at a line and, where known, a column (both from 1).
fn at(line: usize, column: Option<usize>, message: String) -> InputError {
    let mut e = InputError::at_line(line, message);
    e.column = column;
    e
}

/// One row from its three cells (text, and column where known), Markdown
/// escapes undone if `escaped`; its role label is dropped.
fn row(line: usize, cells: [(&str, Option<usize>); 3], escaped: bool) -> Result<Row, InputError> {
    let (server, _role) = split_role(cells[0].0, escaped);
    if let Err(e) = crate::model::validate_name_form(&server) {
        return Err(at(line, cells[0].1, format!("in the Server cell: {e}")));
    }
    let protecting = name_list(cells[1].0, escaped);
    let protected_by = name_list(cells[2].0, escaped);
    for (names, column) in [(&protecting, cells[1].1), (&protected_by, cells[2].1)] {
        for n in names {
            if let Err(e) = crate::model::validate_name_form(n) {
                return Err(at(line, column, format!("\"{n}\": {e}")));
            }
        }
    }
    Ok(Row {
        line,
        server,
        protecting,
        protected_by,
    })
}

/// Splits tab-separated or CSV text into records, as spreadsheets write
/// it: a cell in double quotes may hold the separator, line breaks and
/// doubled quotes; `\r\n`, `\n` or `\r` ends a record. Lines count from
/// `first_line`. Blank records are left out; one after a record with text
/// (past the header, the first) ends the table, and reading stops once
/// more records than a drawing could hold are read: a paste of millions of
/// line ends costs no memory.
fn records(text: &str, sep: char, first_line: usize) -> Result<Vec<Record>, InputError> {
    let mut out = Vec::new();
    let (mut line, mut column) = (first_line, 1);
    let mut rec = Record {
        line,
        cells: Vec::new(),
    };
    let mut cell = Cell {
        text: String::new(),
        column,
    };
    let mut quote: Option<(usize, usize)> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let here = (line, column);
        column += 1;
        let newline = c == '\n' || c == '\r';
        if newline {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            line += 1;
            column = 1;
        }
        if quote.is_some() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    column += 1;
                    cell.text.push('"');
                }
                '"' => quote = None,
                _ => cell.text.push(if newline { '\n' } else { c }),
            }
        } else if c == '"' && cell.text.trim().is_empty() {
            cell.text.clear();
            quote = Some(here);
        } else if c == sep || newline {
            let next = Cell {
                text: String::new(),
                column,
            };
            rec.cells.push(std::mem::replace(&mut cell, next));
            if newline {
                let next = Record {
                    line,
                    cells: Vec::new(),
                };
                let done = std::mem::replace(&mut rec, next);
                if done.cells.iter().all(|c| c.text.trim().is_empty()) {
                    if out.len() > 1 {
                        return Ok(out);
                    }
                    continue;
                }
                out.push(done);
                if out.len() > crate::MAX_SERVERS + 1 {
                    return Ok(out);
                }
            }
        } else {
            cell.text.push(c);
        }
    }
    if let Some((l, c)) = quote {
        return Err(at(
            l,
            Some(c),
            "a cell opens with a double quote here and never closes it".into(),
        ));
    }
    if !cell.text.is_empty() || !rec.cells.is_empty() {
        rec.cells.push(cell);
        out.push(rec);
    }
    Ok(out)
}

/// The servers the rows name, in order of first appearance (a name with a
/// row, or one that protects something, is a DPM server), and the
/// protections between them.
fn servers_and_protections(t: &mut Topology, rows: &[Row]) -> Result<(), InputError> {
    let ensure = |t: &mut Topology, name: &str, kind: Kind| -> ServerId {
        match t.find(name) {
            Some(id) => {
                if kind == Kind::Dpm {
                    if let Some(s) = t.server_mut(id) {
                        s.kind = Kind::Dpm;
                    }
                }
                id
            }
            None => t.add_server(name, kind),
        }
    };
    let mut links = Vec::new();
    if rows.len() > crate::MAX_SERVERS {
        return Err(InputError::new(format!(
            "the table has {} rows; a drawing holds at most {} servers",
            rows.len(),
            crate::MAX_SERVERS
        )));
    }
    for r in rows {
        let s = ensure(t, &r.server, Kind::Dpm);
        for n in &r.protecting {
            let x = ensure(t, n, Kind::Protected);
            links.push((s, x, r.line));
        }
        for n in &r.protected_by {
            let p = ensure(t, n, Kind::Dpm);
            links.push((p, s, r.line));
        }
    }
    if t.servers.len() > crate::MAX_SERVERS {
        return Err(InputError::new(format!(
            "the table names {} servers; a drawing holds at most {}",
            t.servers.len(),
            crate::MAX_SERVERS
        )));
    }
    for (p, x, _line) in links {
        t.connect(Protection::new(p, x));
    }
    Ok(())
}

fn title_of(line: &str) -> Option<String> {
    let l = line.trim();
    let inner = if let Some(h) = l.strip_prefix('#') {
        h.trim_start_matches('#').trim()
    } else if l.starts_with("**") && l.ends_with("**") && l.len() > 4 {
        &l[2..l.len() - 2]
    } else {
        return None;
    };
    let inner = unescape(inner.trim());
    (!inner.is_empty() && !inner.chars().any(char::is_control))
        .then(|| inner.chars().take(200).collect())
}

#[cfg(test)]
mod tests {

    /// The rows as the table's definition reads, a search of every
    /// protection per server: the indexed `table_rows` must agree.
    fn rows_by_definition(t: &Topology) -> Vec<TableRow> {
        let sort = |ids: &mut Vec<ServerId>| {
            t.sort_by_name(ids);
            ids.dedup();
        };
        let mut out = Vec::new();
        for id in t.sorted_ids() {
            if t.server(id).is_none_or(|s| s.kind != Kind::Dpm) {
                continue;
            }
            let r = crate::roles::roles(t, id);
            let mut by: Vec<ServerId> = t.protectors_of(id).filter(|&p| p != id).collect();
            sort(&mut by);
            let row = |role, protecting| TableRow {
                server: id,
                role,
                protecting,
                protected_by: by.clone(),
            };
            let kind = |x: ServerId| t.server(x).map(|s| s.kind);
            let mut rows = Vec::new();
            if r.primary {
                let p = t
                    .protected_by(id)
                    .filter(|&x| kind(x) == Some(Kind::Protected));
                rows.push(row(RowRole::Primary, p.collect()));
            }
            if r.secondary {
                let p = t
                    .protected_by(id)
                    .filter(|&x| x != id && kind(x) == Some(Kind::Dpm));
                rows.push(row(RowRole::Secondary, p.collect()));
            }
            if rows.is_empty() {
                rows.push(row(RowRole::None, Vec::new()));
            }
            if t.protected_by(id).any(|x| x == id) {
                rows[0].protecting.push(id);
            }
            for r in &mut rows {
                sort(&mut r.protecting);
            }
            out.extend(rows);
        }
        out
    }

    #[test]
    fn indexed_rows_agree_with_the_definition() {
        let mut cases = vec![crate::presets::scenario_1(), crate::presets::scenario_2()];
        for n in [1, 7, 60, 400] {
            cases.push(crate::generate::generate(n));
        }
        let mut selfish = crate::presets::scenario_2();
        let id = selfish.servers[0].id;
        selfish.connect(Protection::new(id, id));
        cases.push(selfish);
        // Servers deleted here and there (those past each no longer stand
        // at their id), one protection left pointing at a deleted server.
        let mut deleted = crate::generate::generate(300);
        for at in [250, 120, 40, 1] {
            let id = deleted.servers[at].id;
            deleted.remove_server(id);
        }
        let dpm = deleted
            .servers
            .iter()
            .find(|s| s.kind == Kind::Dpm)
            .map(|s| s.id);
        let second = deleted
            .servers
            .iter()
            .filter(|s| s.kind == Kind::Dpm)
            .nth(1)
            .map(|s| s.id);
        if let (Some(dpm), Some(second)) = (dpm, second) {
            deleted
                .protections
                .push(Protection::new(dpm, ServerId(9_999)));
            // From a missing server to a DPM server ("?" protects it), and
            // a protection drawn twice.
            deleted
                .protections
                .push(Protection::new(ServerId(9_998), dpm));
            deleted.protections.push(Protection::new(second, dpm));
            deleted.protections.push(Protection::new(second, dpm));
        }
        cases.push(deleted);
        for t in cases {
            assert_eq!(table_rows(&t), rows_by_definition(&t));
            let all = table_rows(&t);
            for most in [0, 1, 2, 3, all.len() / 2, all.len(), all.len() + 1] {
                let (first, count) = table_rows_first(&t, most);
                assert_eq!(count, all.len(), "rows in all");
                assert_eq!(first, all[..most.min(all.len())], "the first {most}");
            }
        }
    }
    use super::*;

    const SCENARIO_2: &str = "**Scenario 2: Chained protection**

Scenario 2 shows a scenario in which four DPM servers are chained:

|Server|Protecting|Protected by|
|----------|--------------|----------------|
|DS1 \\(primary\\)|PS1, PS2|DS2|
|DS2 \\(primary\\)|PS3|DS3|
|DS2 \\(secondary\\)|DS1|DS3|
|DS3 \\(primary\\)|PS4|DS4|
|DS3 \\(secondary\\)|DS2|DS4|
|DS4|DS3|\\-|
";

    #[test]
    fn reads_a_seed_table_with_its_title() {
        let t = from_table(SCENARIO_2).unwrap();
        assert_eq!(t.title.as_deref(), Some("Scenario 2: Chained protection"));
        assert_eq!(t.servers.len(), 8);
        assert_eq!(t.protections.len(), 7);
        let ps1 = t.find("PS1").unwrap();
        assert_eq!(t.server(ps1).unwrap().kind, Kind::Protected);
    }

    #[test]
    fn writes_the_seed_layout_and_labels_ds4() {
        let t = from_table(SCENARIO_2).unwrap();
        let table = to_table(&t);
        let expected = SCENARIO_2
            .split_once("chained:\n\n")
            .unwrap()
            .1
            .replace("|DS4|DS3|", "|DS4 \\(secondary\\)|DS3|");
        assert_eq!(table, expected);
    }

    #[test]
    fn an_entity_in_a_name_stays_text() {
        // Unescaped, Markdown renders `&lt;b&gt;` as `<b>` (issue 21).
        let mut t = Topology::new();
        let a = t.add_server("&lt;b&gt;", Kind::Dpm);
        let b = t.add_server("PS1", Kind::Protected);
        t.connect(Protection::new(a, b));
        let table = to_table(&t);
        assert!(table.contains("|\\&lt;b\\&gt;"), "{table}");
        assert!(from_table(&table).unwrap().find("&lt;b&gt;").is_some());
    }

    #[test]
    fn escapes_names_that_look_like_syntax() {
        let mut t = Topology::new();
        let a = t.add_server("A|B, (x)", Kind::Dpm);
        let b = t.add_server("-dash", Kind::Protected);
        t.connect(Protection::new(a, b));
        let table = to_table(&t);
        assert!(
            table.contains("|A\\|B\\, \\(x\\) \\(primary\\)|\\-dash|\\-|"),
            "{table}"
        );
        let back = from_table(&table).unwrap();
        assert_eq!(
            back.server(back.find("A|B, (x)").unwrap()).unwrap().kind,
            Kind::Dpm
        );
        assert!(back.find("-dash").is_some());
    }

    #[test]
    fn a_name_ending_in_a_backslash_round_trips() {
        // Found by the markdown_table fuzz target: a last cell ending in an
        // escaped backslash ("\\|") was read as an escaped pipe.
        let mut t = Topology::new();
        let a = t.add_server("DS1", Kind::Dpm);
        let b = t.add_server("DS3 (secondary\\", Kind::Dpm);
        t.connect(Protection::new(b, a));
        let table = to_table(&t);
        assert!(table.contains("|DS3 \\(secondary\\\\|"), "{table}");
        let back = from_table(&table).unwrap();
        assert_eq!(to_table(&back), table);
    }

    #[test]
    fn csv_cells_are_read_as_spreadsheets_write_them() {
        let r = records("a,\"b \"\"x\"\", c\"\r\n \"two\nlines\",z\rlast", ',', 4).unwrap();
        let cells: Vec<Vec<(&str, usize)>> = r
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| (c.text.as_str(), c.column))
                    .collect()
            })
            .collect();
        assert_eq!(
            cells,
            [
                vec![("a", 1), ("b \"x\", c", 3)],
                vec![("two\nlines", 1), ("z", 8)],
                vec![("last", 1)]
            ]
        );
        let lines: Vec<usize> = r.iter().map(|r| r.line).collect();
        assert_eq!(lines, [4, 5, 7], "a line break in quotes counts");
    }

    #[test]
    fn a_tab_separated_or_csv_table_is_told_apart_and_read() {
        // As a browser copies the rendered documentation: tabs, the role
        // in plain parentheses, a dash for nothing.
        let tsv = "Server\tProtecting\tProtected by\nDS1 (primary)\tPS1, PS2\tDS2\nDS2 (secondary)\tDS1\t-\n";
        assert!(looks_like_table(tsv));
        let t = crate::read(tsv).unwrap();
        assert_eq!(t.servers.len(), 4);
        assert_eq!(t.protections.len(), 3);
        // A name may hold what Markdown would escape; a CSV cell is as typed.
        let csv = "\u{feff}SERVER,protecting,Protected By\r\nDS_1 (primary),\"PS-1, PS*2\",\r\n";
        let t = crate::read(csv).unwrap();
        assert!(t.find("DS_1").is_some() && t.find("PS*2").is_some());
        assert_eq!(t.server(t.find("DS_1").unwrap()).unwrap().kind, Kind::Dpm);
        // Prose with commas is not a table.
        assert!(!looks_like_table("Servers, protections, and more\n"));
    }

    #[test]
    fn a_row_that_lost_its_cells_is_an_error_unless_the_table_ended() {
        // Rows follow the bare line: it is a cut row, located.
        let cut = "Server\tProtecting\tProtected by\nDS1\tPS1\t\nPS9\nDS2\tPS2\t\n";
        let e = from_table(cut).unwrap_err();
        assert_eq!(e.line, Some(3), "{e}");
        // Nothing after it but text: the table ended above it.
        let under = "Server,Protecting,Protected by\nDS1,PS1,\nCopied from the guide\n";
        assert_eq!(from_table(under).unwrap().servers.len(), 2);
    }

    #[test]
    fn lone_carriage_returns_end_lines_as_line_feeds_do() {
        let lf = "Scenario 9\nServer,Protecting,Protected by\nDS1,PS1,\nPS1,,DS1\n";
        for text in [lf.replace('\n', "\r"), lf.replace('\n', "\r\n")] {
            let t = from_table(&text).unwrap();
            assert_eq!(to_table(&t), to_table(&from_table(lf).unwrap()));
            assert_eq!(t.title.as_deref(), Some("Scenario 9"));
        }
        let e = from_table("Server,Protecting,Protected by\rDS1,PS1\r").unwrap_err();
        assert_eq!(e.line, Some(2), "{e}");
    }

    #[test]
    fn a_flood_of_line_ends_is_never_held_in_memory() {
        let flood = "\n".repeat(crate::MAX_INPUT_BYTES - 64);
        // Blank records are not kept; reading stops past the most rows.
        assert!(records(&flood, ',', 1).unwrap().is_empty());
        let many = "a\r".repeat(crate::MAX_SERVERS * 3);
        assert_eq!(
            records(&many, ',', 1).unwrap().len(),
            crate::MAX_SERVERS + 2
        );
        let e = from_table(&format!("Server,Protecting,Protected by\n{many}")).unwrap_err();
        assert!(e.message.contains("more than 20000 rows"), "{e}");
        // Under a header, endless blank lines: no rows, however written.
        for head in [
            "Server\tProtecting\tProtected by\n",
            "|Server|Protecting|Protected by|\n",
        ] {
            let e = from_table(&format!("{head}{flood}")).unwrap_err();
            assert!(e.message.contains("no rows"), "{e}");
        }
    }

    #[test]
    fn errors_say_which_line() {
        let e =
            from_table("|Server|Protecting|Protected by|\n|---|---|---|\n|DS1|PS1|\n").unwrap_err();
        assert_eq!(e.line, Some(3));
        let e = from_table("hello").unwrap_err();
        assert!(e.message.contains("no table found"));
        let e = from_table("|Name|Other|\n").unwrap_err();
        assert!(e.message.contains("expected the header"));
    }

    #[test]
    fn a_task_quoting_the_documentation_s_table_reads_as_a_paragraph_and_a_table() {
        let ex = crate::exercises::EXERCISES
            .iter()
            .find(|b| b.id == "2-scenario-2")
            .and_then(|b| b.exercise())
            .expect("the built-in exercise");
        let blocks = text_blocks(&ex.task);
        let row = |c: [&str; 3]| c.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            blocks[0],
            TextBlock::Paragraph(
                "In Scenario 2 some DPM servers are primary and secondary at once. \
                 Draw it from the table."
                    .into()
            )
        );
        let TextBlock::Table { head, rows } = &blocks[1] else {
            panic!("a table: {blocks:?}");
        };
        assert_eq!(head, &row(["Server", "Protecting", "Protected by"]));
        assert_eq!(rows.len(), 6);
        assert_eq!(rows[0], row(["DS1 (primary)", "PS1, PS2", "DS2"]));
        assert_eq!(rows[5], row(["DS4", "DS3", "-"]));
        assert_eq!(blocks.len(), 2);
    }

    #[test]
    fn text_blocks_keep_line_breaks_and_read_nothing_else_of_markdown() {
        let text = "  \nFirst line\n*second* line  \n\n\n# Third\n|a \\| b|c|\n|-|\nafter";
        assert_eq!(
            text_blocks(text),
            vec![
                TextBlock::Paragraph("First line\n*second* line".into()),
                TextBlock::Paragraph("# Third".into()),
                // Its first row is its header: a rule row follows it.
                TextBlock::Table {
                    head: vec!["a | b".to_string(), "c".to_string()],
                    rows: Vec::new(),
                },
                TextBlock::Paragraph("after".into()),
            ]
        );
        // A rule row first: no header, and the rule row left out.
        assert_eq!(
            text_blocks("|-|-|\n|x|y|"),
            vec![TextBlock::Table {
                head: Vec::new(),
                rows: vec![vec!["x".to_string(), "y".to_string()]],
            }]
        );
        // A dash written escaped is a cell's text, not a rule.
        assert_eq!(
            text_blocks("|x|\n|\\-|"),
            vec![TextBlock::Table {
                head: Vec::new(),
                rows: vec![vec!["x".to_string()], vec!["-".to_string()]],
            }]
        );
        assert_eq!(text_blocks(""), Vec::new());
        assert_eq!(text_blocks(" \n\t\n"), Vec::new());
        // A lone rule row is no table; a row of dashes under the rule row
        // is one of its rows (none, in a one-column table).
        assert_eq!(text_blocks("|---|"), Vec::new());
        assert_eq!(
            text_blocks("|Servers|\n|-|\n|DS1|\n|-|"),
            vec![TextBlock::Table {
                head: vec!["Servers".to_string()],
                rows: vec![vec!["DS1".to_string()], vec!["-".to_string()]],
            }]
        );
        // Lines end at a lone carriage return too, as in the table reader.
        assert_eq!(
            text_blocks("one\rtwo\r\r|a|"),
            vec![
                TextBlock::Paragraph("one\ntwo".into()),
                TextBlock::Table {
                    head: Vec::new(),
                    rows: vec![vec!["a".to_string()]],
                },
            ]
        );
    }

    proptest::proptest! {
        /// Any text reads without a panic, and no word of it is lost: every
        /// non-blank line outside a table is in a paragraph as written.
        #[test]
        fn any_text_reads_into_blocks_losing_no_paragraph_line(text in "[a-z|\\\\ \r\n\t:-]{0,60}") {
            let blocks = text_blocks(&text);
            let paras: Vec<&str> = blocks
                .iter()
                .filter_map(|b| match b {
                    TextBlock::Paragraph(p) => Some(p.as_str()),
                    TextBlock::Table { .. } => None,
                })
                .flat_map(|p| p.lines())
                .collect();
            let lines: Vec<&str> = lines_of(&text)
                .map(|(_, l)| l)
                .filter(|l| !l.trim().is_empty() && !is_table_line(l))
                .map(|l| l.trim_end())
                .collect();
            proptest::prop_assert_eq!(paras, lines);
        }
    }
}
