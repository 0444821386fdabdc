//! Finds where a value sits in JSON text, for error messages about values that
//! parsed but mean nothing (a protection naming no server, say): serde has
//! forgotten positions by then.

/// 1-based line and column of the value at `path` (`servers[3].name`,
/// `protections[0]`, `format`) in `text`, if the text is JSON and holds it.
pub fn find(text: &str, path: &str) -> Option<(usize, usize)> {
    let steps = parse_path(path)?;
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    s.ws();
    for step in steps {
        match step {
            Step::Key(k) => {
                s.expect(b'{')?;
                loop {
                    s.ws();
                    if s.peek()? == b'}' {
                        return None;
                    }
                    let key = s.string()?;
                    s.ws();
                    s.expect(b':')?;
                    s.ws();
                    if key == k {
                        break;
                    }
                    s.skip_value()?;
                    s.ws();
                    if s.peek()? == b',' {
                        s.i += 1;
                    }
                }
            }
            Step::Index(n) => {
                s.expect(b'[')?;
                for _ in 0..n {
                    s.ws();
                    if s.peek()? == b']' {
                        return None;
                    }
                    s.skip_value()?;
                    s.ws();
                    s.expect(b',')?;
                }
                s.ws();
                if s.peek()? == b']' {
                    return None;
                }
            }
        }
    }
    let before = &text[..s.i.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Some((line, column))
}

enum Step {
    Key(String),
    Index(usize),
}

fn parse_path(path: &str) -> Option<Vec<Step>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            steps.push(Step::Key(key.to_string()));
        }
        while let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']')?;
            steps.push(Step::Index(r[..end].parse().ok()?));
            rest = &r[end + 1..];
        }
    }
    Some(steps)
}

struct Scanner<'a> {
    b: &'a [u8],
    i: usize,
}

impl Scanner<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek()? == c).then(|| self.i += 1)
    }

    fn string(&mut self) -> Option<String> {
        let start = self.i;
        self.skip_string()?;
        serde_json::from_slice(&self.b[start..self.i]).ok()
    }

    fn skip_string(&mut self) -> Option<()> {
        self.expect(b'"')?;
        loop {
            match self.peek()? {
                b'\\' => self.i += 2,
                b'"' => {
                    self.i += 1;
                    return Some(());
                }
                _ => self.i += 1,
            }
        }
    }

    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        match self.peek()? {
            b'"' => self.skip_string(),
            b'{' | b'[' => {
                let mut depth = 0usize;
                loop {
                    match self.peek()? {
                        b'"' => {
                            self.skip_string()?;
                            continue;
                        }
                        b'{' | b'[' => depth += 1,
                        b'}' | b']' => {
                            depth -= 1;
                            if depth == 0 {
                                self.i += 1;
                                return Some(());
                            }
                        }
                        _ => {}
                    }
                    self.i += 1;
                }
            }
            _ => {
                while !matches!(
                    self.peek()?,
                    b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t'
                ) {
                    self.i += 1;
                }
                Some(())
            }
        }
    }
}

/// The JSON path (`servers[3].colour`) of the innermost member or element
/// at 1-based `line` and `column` of `text`: where serde stopped when it
/// found something wrong. `None` at the top level or when the text is not
/// JSON up to there.
pub fn path_at(text: &str, line: usize, column: usize) -> Option<String> {
    let start = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum::<usize>();
    let offset = (start + column.saturating_sub(1)).min(text.len());
    let mut s = Scanner {
        b: text.as_bytes(),
        i: 0,
    };
    let mut path = Vec::new();
    let found = walk(&mut s, &mut path, offset)?;
    (!found.is_empty()).then_some(found)
}

fn render(path: &[Step]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(k);
            }
            Step::Index(n) => {
                out.push('[');
                out.push_str(&n.to_string());
                out.push(']');
            }
        }
    }
    out
}

/// Walks the value at the scanner; the path at `offset` if it lies inside.
fn walk(s: &mut Scanner, path: &mut Vec<Step>, offset: usize) -> Option<String> {
    s.ws();
    match s.peek() {
        None => Some(render(path)),
        Some(b'{') => {
            s.i += 1;
            loop {
                s.ws();
                if s.i >= offset {
                    return Some(render(path));
                }
                match s.peek() {
                    None => return Some(render(path)),
                    Some(b'}') => {
                        s.i += 1;
                        return None;
                    }
                    Some(b',') => {
                        s.i += 1;
                        continue;
                    }
                    _ => {}
                }
                let key = match s.string() {
                    Some(k) => k,
                    None => return Some(render(path)),
                };
                path.push(Step::Key(key));
                s.ws();
                if s.peek() == Some(b':') {
                    s.i += 1;
                }
                s.ws();
                if s.i >= offset {
                    return Some(render(path));
                }
                if let Some(p) = walk(s, path, offset) {
                    return Some(p);
                }
                path.pop();
            }
        }
        Some(b'[') => {
            s.i += 1;
            let mut n = 0;
            loop {
                s.ws();
                match s.peek() {
                    None => return Some(render(path)),
                    Some(b']') => {
                        if s.i >= offset {
                            return Some(render(path));
                        }
                        s.i += 1;
                        return None;
                    }
                    Some(b',') => {
                        s.i += 1;
                        n += 1;
                        continue;
                    }
                    _ => {}
                }
                path.push(Step::Index(n));
                if let Some(p) = walk(s, path, offset) {
                    return Some(p);
                }
                path.pop();
            }
        }
        Some(_) => {
            let skipped = s.skip_value();
            if skipped.is_none() || s.i >= offset {
                Some(render(path))
            } else {
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{find, path_at};

    #[test]
    fn finds_the_path_at_a_position() {
        let text = "{\"a\": [1, {\"b\": \"x\"}],\n \"e\": {\"f\": tru";
        assert_eq!(path_at(text, 1, 8).as_deref(), Some("a[0]"));
        assert_eq!(path_at(text, 1, 17).as_deref(), Some("a[1].b"));
        assert_eq!(
            path_at(text, 2, 13).as_deref(),
            Some("e.f"),
            "cut short inside"
        );
        assert_eq!(path_at(text, 1, 1), None, "top level");
    }

    #[test]
    fn finds_nested_values() {
        let text = "{\"a\": [1, {\"b\": \"x\\\"]\"}, {\"c\": {\"d\": [true]}}],\n \"e\": 2}";
        assert_eq!(find(text, "a[1].b"), Some((1, 17)));
        assert_eq!(find(text, "a[2].c.d[0]"), Some((1, 39)));
        assert_eq!(find(text, "e"), Some((2, 7)));
        assert_eq!(find(text, "a[3]"), None);
        assert_eq!(find(text, "z"), None);
        assert_eq!(
            find("{\"a\": [1", "a[4]"),
            None,
            "broken text gives no position"
        );
    }
}
