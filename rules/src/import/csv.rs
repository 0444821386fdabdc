//! A small RFC 4180 reader for the CSV that PowerShell's `Export-Csv`
//! writes: cells in double quotes may hold the separator, line breaks and
//! doubled quotes; `\r\n`, `\n` or `\r` ends a record. The separator is
//! the header's (`,`, or `;` and tab as `-UseCulture` writes in many
//! locales); a `#TYPE ...` line above the header (Windows PowerShell 5.1
//! without `-NoTypeInformation`) is passed over.

/// One record: the 1-based line it starts on, and its cells.
pub(crate) struct Record {
    pub(crate) line: usize,
    pub(crate) cells: Vec<String>,
}

/// A record's text could not be split: a quote never closed, at `line`.
pub(crate) struct Unclosed {
    pub(crate) line: usize,
}

/// The separator of a header line: the most frequent of `,`, `;` and tab
/// outside quotes (a comma when none appears).
fn separator(header: &str) -> char {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in header.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let best = (0..3).max_by_key(|&i| (counts[i], 3 - i)).unwrap_or(0);
    [',', ';', '\t'][best]
}

/// Splits `text` into records; blank records are left out. Stops with the
/// line of a quote that never closes (the records before it are lost: the
/// rest of the file cannot be told apart from the open cell).
pub(crate) fn records(text: &str) -> Result<Vec<Record>, Unclosed> {
    let mut start_line = 1;
    let mut body = text;
    // `#TYPE Selected.Microsoft...` above the header.
    while body.starts_with('#') {
        let end = body.find('\n').map_or(body.len(), |i| i + 1);
        body = &body[end..];
        start_line += 1;
    }
    let first = body.lines().next().unwrap_or("");
    let sep = separator(first);
    let mut out = Vec::new();
    let mut line = start_line;
    let mut rec = Record {
        line,
        cells: Vec::new(),
    };
    let mut cell = String::new();
    let mut quote: Option<usize> = None;
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        let newline = c == '\n' || c == '\r';
        if newline {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            line += 1;
        }
        if quote.is_some() {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    cell.push('"');
                }
                '"' => quote = None,
                _ => cell.push(if newline { '\n' } else { c }),
            }
        } else if c == '"' && cell.trim().is_empty() {
            cell.clear();
            quote = Some(line);
        } else if c == sep || newline {
            rec.cells.push(std::mem::take(&mut cell));
            if newline {
                let done = std::mem::replace(
                    &mut rec,
                    Record {
                        line,
                        cells: Vec::new(),
                    },
                );
                if done.cells.iter().any(|c| !c.trim().is_empty()) {
                    out.push(done);
                }
            }
        } else {
            cell.push(c);
        }
    }
    if let Some(line) = quote {
        return Err(Unclosed { line });
    }
    if !cell.is_empty() || !rec.cells.is_empty() {
        rec.cells.push(cell);
        if rec.cells.iter().any(|c| !c.trim().is_empty()) {
            out.push(rec);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(text: &str) -> Vec<(usize, Vec<String>)> {
        records(text)
            .ok()
            .unwrap()
            .into_iter()
            .map(|r| (r.line, r.cells))
            .collect()
    }

    #[test]
    fn reads_quotes_separators_and_line_breaks() {
        let got =
            cells("#TYPE x\r\n\"A\",\"B\"\r\n\"1,2\",\"say \"\"hi\"\"\"\r\n\r\n\"x\ny\",z\r\n");
        assert_eq!(got[0], (2, vec!["A".to_string(), "B".to_string()]));
        assert_eq!(
            got[1],
            (3, vec!["1,2".to_string(), "say \"hi\"".to_string()])
        );
        assert_eq!(got[2], (5, vec!["x\ny".to_string(), "z".to_string()]));
    }

    #[test]
    fn takes_the_headers_separator() {
        let got = cells("A;B\n1,5;2\n");
        assert_eq!(got[1].1, vec!["1,5".to_string(), "2".to_string()]);
        let got = cells("A\tB\n1\t2");
        assert_eq!(got[1].1, vec!["1".to_string(), "2".to_string()]);
    }

    #[test]
    fn an_open_quote_is_refused_at_its_line() {
        assert_eq!(records("A,B\n\"1,2\n").err().map(|e| e.line), Some(2));
    }
}
