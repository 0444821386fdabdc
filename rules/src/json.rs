//! A strict JSON reader and writer, just enough for the scenario file.
//!
//! Why not serde_json: in the app's wasm, serde_json and the code its derives
//! generate were some 40 KB of gzip, a fifth of the whole bundle budget. The
//! scenario file is small and fixed, so a reader that builds a tree is short,
//! and it makes errors better: every value and key remembers where it starts,
//! so a wrong value is reported at its own line and column with its path,
//! without a second pass over the text.
//!
//! Numbers are read without the standard library's float parser (which would
//! bring its tables into the wasm): the digits are gathered into an integer
//! and scaled by a power of ten, which is exact, correctly rounded, for every
//! number of up to 15 significant digits and 22 decimals, and within a few
//! units in the last place beyond. Scenario numbers are canvas positions
//! written to 1/100 pixel, well inside the exact range.

/// A parsed value and the byte offset where it starts.
#[derive(Debug, PartialEq)]
pub struct Node {
    pub at: usize,
    pub value: Value,
}

#[derive(Debug, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Number(f64),
    String(String),
    Array(Vec<Node>),
    /// Members in the order written; a key appears once (repeats are refused).
    Object(Vec<Member>),
}

#[derive(Debug, PartialEq)]
pub struct Member {
    pub key: String,
    /// Byte offset of the key's opening quote.
    pub at: usize,
    pub value: Node,
}

impl Value {
    /// What the value is, for messages: "a number", "an object".
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "a list",
            Value::Object(_) => "an object",
        }
    }
}

/// Text that is not JSON: what is wrong, and the byte offset where.
#[derive(Debug, PartialEq)]
pub struct SyntaxError {
    pub at: usize,
    pub message: String,
}

/// Deeper nesting is refused: the scenario file nests four deep, and a
/// hostile file of a million `[` must not exhaust the stack.
pub const MAX_DEPTH: usize = 64;

/// Parses one JSON value, with nothing but white space around it.
pub fn parse(text: &str) -> Result<Node, SyntaxError> {
    let mut p = Parser {
        b: text.as_bytes(),
        i: 0,
        depth: 0,
    };
    let node = p.value()?;
    p.ws();
    if p.i < p.b.len() {
        return Err(p.err("more text after the end of the JSON value"));
    }
    Ok(node)
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, at: usize) -> (usize, usize) {
    let mut at = at.min(text.len());
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    let before = &text[..at];
    let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

struct Parser<'a> {
    b: &'a [u8],
    i: usize,
    depth: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.i += 1;
        }
    }

    fn err(&self, message: impl Into<String>) -> SyntaxError {
        SyntaxError {
            at: self.i,
            message: message.into(),
        }
    }

    fn cut_short(&self, inside: &str) -> SyntaxError {
        self.err(format!(
            "the text ends in the middle of the JSON, inside {inside}: is the file cut short?"
        ))
    }

    fn value(&mut self) -> Result<Node, SyntaxError> {
        self.ws();
        let at = self.i;
        let value = match self.peek() {
            None => return Err(self.err("expected a JSON value, found the end of the text")),
            Some(b'{') => self.object()?,
            Some(b'[') => self.array()?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(b't') => self.literal("true", Value::Bool(true))?,
            Some(b'f') => self.literal("false", Value::Bool(false))?,
            Some(b'n') => self.literal("null", Value::Null)?,
            Some(b'\'') => return Err(self.err("JSON strings are in double quotes (\"), not single quotes")),
            Some(b',') => return Err(self.err("expected a value before this comma")),
            Some(_) => {
                return Err(self.err(
                    "expected a JSON value: a string in double quotes, a number, an object, a list, true, false or null",
                ))
            }
        };
        Ok(Node { at, value })
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, SyntaxError> {
        if self.b[self.i..].starts_with(word.as_bytes()) {
            self.i += word.len();
            Ok(value)
        } else {
            Err(self.err(format!(
                "expected `{word}` (or a string in double quotes, a number, an object or a list)"
            )))
        }
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(format!(
                "the JSON nests more than {MAX_DEPTH} deep; a scenario file nests four deep"
            )));
        }
        self.i += 1;
        Ok(())
    }

    fn object(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
        let mut members: Vec<Member> = Vec::new();
        self.ws();
        if self.peek() == Some(b'}') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.ws();
            let at = self.i;
            match self.peek() {
                None => return Err(self.cut_short("an object")),
                Some(b'"') => {}
                Some(b'}') if !members.is_empty() => {
                    return Err(
                        self.err("a comma before `}`: JSON allows no comma after the last member")
                    )
                }
                Some(_) => return Err(self.err("expected a key in double quotes")),
            }
            let key = self.string()?;
            if members.iter().any(|m| m.key == key) {
                return Err(SyntaxError {
                    at,
                    message: format!("the key \"{key}\" appears twice in this object"),
                });
            }
            self.ws();
            match self.peek() {
                None => return Err(self.cut_short("an object")),
                Some(b':') => self.i += 1,
                Some(_) => return Err(self.err(format!("expected `:` after the key \"{key}\""))),
            }
            let value = self.value()?;
            members.push(Member { key, at, value });
            self.ws();
            match self.peek() {
                None => return Err(self.cut_short("an object")),
                Some(b',') => self.i += 1,
                Some(b'}') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::Object(members));
                }
                Some(_) => return Err(self.err("expected `,` or `}` after an object member")),
            }
        }
    }

    fn array(&mut self) -> Result<Value, SyntaxError> {
        self.enter()?;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.i += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.ws();
            match self.peek() {
                None => return Err(self.cut_short("a list")),
                Some(b']') if !items.is_empty() => {
                    return Err(
                        self.err("a comma before `]`: JSON allows no comma after the last item")
                    )
                }
                _ => {}
            }
            items.push(self.value()?);
            self.ws();
            match self.peek() {
                None => return Err(self.cut_short("a list")),
                Some(b',') => self.i += 1,
                Some(b']') => {
                    self.i += 1;
                    self.depth -= 1;
                    return Ok(Value::Array(items));
                }
                Some(_) => return Err(self.err("expected `,` or `]` after a list item")),
            }
        }
    }

    /// A string; the parser is at its opening quote.
    fn string(&mut self) -> Result<String, SyntaxError> {
        self.i += 1;
        let mut out = String::new();
        loop {
            let start = self.i;
            while matches!(self.peek(), Some(c) if c != b'"' && c != b'\\' && c >= 0x20) {
                self.i += 1;
            }
            // The run stops at ASCII bytes, so it ends on a char boundary of
            // the original &str and is valid UTF-8.
            out.push_str(std::str::from_utf8(&self.b[start..self.i]).unwrap_or_default());
            match self.peek() {
                None => return Err(self.cut_short("a string")),
                Some(b'"') => {
                    self.i += 1;
                    return Ok(out);
                }
                Some(b'\\') => out.push(self.escape()?),
                Some(_) => {
                    return Err(self.err(
                        "a line break, tab or other control character inside a string must be written as an escape (\\n, \\t, \\u0000)",
                    ))
                }
            }
        }
    }

    /// One escape; the parser is at its backslash.
    fn escape(&mut self) -> Result<char, SyntaxError> {
        self.i += 1;
        let c = match self.peek() {
            None => return Err(self.cut_short("a string")),
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let at = self.i - 1;
                self.i += 1;
                let high = self.hex4()?;
                let code = if (0xD800..0xDC00).contains(&high) {
                    if !self.b[self.i..].starts_with(b"\\u") {
                        return Err(lone(at));
                    }
                    self.i += 2;
                    let low = self.hex4()?;
                    if !(0xDC00..0xE000).contains(&low) {
                        return Err(lone(at));
                    }
                    0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    high
                };
                return char::from_u32(code).ok_or_else(|| lone(at));
            }
            Some(_) => {
                return Err(self.err(
                    "unknown escape; inside a string a backslash starts one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                ))
            }
        };
        self.i += 1;
        Ok(c)
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        let mut v = 0;
        for _ in 0..4 {
            let d = match self.peek() {
                None => return Err(self.cut_short("a string")),
                Some(c) => (c as char).to_digit(16),
            };
            match d {
                Some(d) => v = v * 16 + d,
                None => return Err(self.err("\\u is followed by four hexadecimal digits")),
            }
            self.i += 1;
        }
        Ok(v)
    }

    /// A number as JSON writes them: `-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Result<f64, SyntaxError> {
        let negative = self.peek() == Some(b'-');
        if negative {
            self.i += 1;
        }
        // Up to 19 significant digits fit in a u64; later ones only scale.
        let mut mantissa: u64 = 0;
        let mut digits = 0;
        let mut exponent: i64 = 0;
        let mut take = |p: &mut Parser, fraction: bool| -> usize {
            let start = p.i;
            while let Some(c @ b'0'..=b'9') = p.peek() {
                if digits < 19 {
                    mantissa = mantissa * 10 + u64::from(c - b'0');
                    if mantissa > 0 {
                        digits += 1;
                    }
                    if fraction {
                        exponent -= 1;
                    }
                } else if !fraction {
                    exponent += 1;
                }
                p.i += 1;
            }
            p.i - start
        };
        match self.peek() {
            Some(b'0') => {
                self.i += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.err("a number does not start with 0 (write 7, not 07)"));
                }
            }
            Some(b'1'..=b'9') => {
                take(self, false);
            }
            _ => return Err(self.err("expected a digit after `-`")),
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            if take(self, true) == 0 {
                return Err(self.err("expected a digit after the decimal point"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.i += 1;
            let minus = match self.peek() {
                Some(b'-') => {
                    self.i += 1;
                    true
                }
                Some(b'+') => {
                    self.i += 1;
                    false
                }
                _ => false,
            };
            let start = self.i;
            let mut e: i64 = 0;
            while let Some(c @ b'0'..=b'9') = self.peek() {
                e = (e * 10 + i64::from(c - b'0')).min(100_000);
                self.i += 1;
            }
            if self.i == start {
                return Err(self.err("expected a digit in the exponent"));
            }
            exponent += if minus { -e } else { e };
        }
        let v = scale(mantissa, exponent);
        Ok(if negative { -v } else { v })
    }
}

fn lone(at: usize) -> SyntaxError {
    SyntaxError {
        at,
        message: "this \\u escape names half of a character (a lone surrogate) or no character"
            .into(),
    }
}

/// `m` × 10^`e`. Exact (one correctly rounded operation) when `m` < 2^53
/// and |e| <= 22, as every power of ten up to 10^22 is exact in an f64.
fn scale(m: u64, e: i64) -> f64 {
    if m == 0 {
        return 0.0;
    }
    let v = m as f64;
    if e >= 0 {
        if e > 400 {
            f64::INFINITY
        } else {
            v * 10f64.powi(e as i32)
        }
    } else if e < -400 {
        0.0
    } else if e < -300 {
        v / 1e300 / 10f64.powi((-e - 300) as i32)
    } else {
        v / 10f64.powi((-e) as i32)
    }
}

/// Appends `s` as a JSON string: quotes, and escapes for `"`, `\` and
/// control characters; everything else as it is (the file is UTF-8).
pub fn write_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(HEX[(c as usize) >> 4] as char);
                out.push(HEX[(c as usize) & 15] as char);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Value {
        parse(text).unwrap().value
    }

    fn e(text: &str) -> (usize, usize, String) {
        let err = parse(text).unwrap_err();
        let (l, c) = line_column(text, err.at);
        (l, c, err.message)
    }

    #[test]
    fn reads_every_kind_of_value() {
        assert_eq!(v(" null "), Value::Null);
        assert_eq!(v("true"), Value::Bool(true));
        assert_eq!(v("false"), Value::Bool(false));
        assert_eq!(
            v("\"a\\\"b\\\\c\\/\\n\\u00e9\\ud83d\\ude00\""),
            Value::String("a\"b\\c/\né😀".into())
        );
        assert_eq!(v("\"héllo\""), Value::String("héllo".into()));
        match v("[1, {\"a\": []}]") {
            Value::Array(items) => {
                assert_eq!(items.len(), 2);
                assert_eq!(items[1].at, 4);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn reads_numbers_exactly_in_the_usual_range() {
        for (text, want) in [
            ("0", 0.0),
            ("-0", 0.0),
            ("120", 120.0),
            ("-2", -2.0),
            ("1.5", 1.5),
            ("0.1", 0.1),
            ("123.46", 123.46),
            ("-9999999.99", -9999999.99),
            ("1e3", 1000.0),
            ("2.5E-3", 0.0025),
            ("1e+2", 100.0),
            ("0.30000000000000004", 0.30000000000000004),
            ("12345678901234567890123", 1.2345678901234568e22),
        ] {
            assert_eq!(v(text), Value::Number(want), "{text}");
        }
        assert_eq!(v("1e400"), Value::Number(f64::INFINITY));
        assert_eq!(v("1e-400"), Value::Number(0.0));
    }

    #[test]
    fn refuses_what_json_does_not_allow_saying_where() {
        assert_eq!(e("{\"a\":1,}").1, 8);
        assert!(e("{\"a\":1,}").2.contains("no comma after the last member"));
        assert!(e("[1,]").2.contains("no comma after the last item"));
        assert_eq!(
            e("[1 2]"),
            (1, 4, "expected `,` or `]` after a list item".into())
        );
        assert!(e("{'a': 1}").2.contains("expected a key in double quotes"));
        assert!(e("['a']").2.contains("double quotes"));
        assert!(e("{\"a\" 1}").2.contains("expected `:`"));
        assert!(e("{\"a\":1,\"a\":2}").2.contains("appears twice"));
        assert!(e("[01]").2.contains("does not start with 0"));
        assert!(e("[1.]").2.contains("after the decimal point"));
        assert!(e("[1e]").2.contains("exponent"));
        assert!(e("[-]").2.contains("digit after `-`"));
        assert!(e("\"a\nb\"").2.contains("control character"));
        assert!(e("\"\\x\"").2.contains("unknown escape"));
        assert!(e("\"\\ud800\"").2.contains("lone surrogate"));
        assert!(e("\"\\u12\"").2.contains("four hexadecimal digits"));
        assert!(e("tru").2.contains("expected `true`"));
        assert!(e("{} {}").2.contains("after the end"));
        assert!(e("").2.contains("end of the text"));
        assert_eq!(e("{\n  \"a\": [\n").0, 3);
        assert!(e("{\n  \"a\": [\n")
            .2
            .contains("inside a list: is the file cut short?"));
        assert!(e("{\"a").2.contains("inside a string"));
    }

    #[test]
    fn deep_nesting_is_refused_not_a_crash() {
        let text = "[".repeat(100_000);
        assert!(e(&text).2.contains("nests more than 64 deep"));
        let ok = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn columns_count_characters() {
        assert_eq!(line_column("é\n  xé", 6), (2, 4));
        assert_eq!(line_column("abc", 99), (1, 4));
    }

    #[test]
    fn strings_written_read_back_the_same() {
        for s in [
            "",
            "DS1",
            "a\"b\\c",
            "tab\there\u{1}\u{1f}\u{7f}",
            "<img src=x onerror=alert(1)>",
            "😀é",
        ] {
            let mut out = String::new();
            write_string(&mut out, s);
            assert_eq!(v(&out), Value::String(s.into()), "{out}");
        }
    }
    /// The reader agrees with serde_json on what is JSON and what it says,
    /// except where it is stricter on purpose (a key twice) or approximates
    /// (numbers of more than 15 significant digits).
    mod against_serde_json {
        use super::super::*;
        use proptest::prelude::*;

        fn same(ours: &Node, theirs: &serde_json::Value) -> bool {
            match (&ours.value, theirs) {
                (Value::Null, serde_json::Value::Null) => true,
                (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
                (Value::Number(a), serde_json::Value::Number(b)) => {
                    let b = b.as_f64().unwrap();
                    a == &b || (a - b).abs() <= b.abs() * 1e-15
                }
                (Value::String(a), serde_json::Value::String(b)) => a == b,
                (Value::Array(a), serde_json::Value::Array(b)) => {
                    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same(x, y))
                }
                (Value::Object(a), serde_json::Value::Object(b)) => {
                    a.len() == b.len()
                        && a.iter()
                            .all(|m| b.get(&m.key).is_some_and(|v| same(&m.value, v)))
                }
                _ => false,
            }
        }

        fn json_value() -> impl Strategy<Value = serde_json::Value> {
            let leaf = prop_oneof![
                Just(serde_json::Value::Null),
                any::<bool>().prop_map(serde_json::Value::Bool),
                (-1.0e9..1.0e9f64).prop_map(|f| serde_json::json!(f)),
                any::<i32>().prop_map(|i| serde_json::json!(i)),
                "\\PC{0,8}".prop_map(serde_json::Value::String),
                "[\"\\\\/\u{0}-\u{1f}\u{7f}é😀a]{0,6}".prop_map(serde_json::Value::String),
            ];
            leaf.prop_recursive(4, 32, 5, |inner| {
                prop_oneof![
                    proptest::collection::vec(inner.clone(), 0..5)
                        .prop_map(serde_json::Value::Array),
                    proptest::collection::btree_map("[a-z]{0,4}", inner, 0..5)
                        .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #[test]
            fn reads_what_serde_json_writes(v in json_value()) {
                for text in [serde_json::to_string(&v).unwrap(), serde_json::to_string_pretty(&v).unwrap()] {
                    let ours = parse(&text);
                    prop_assert!(ours.as_ref().is_ok_and(|n| same(n, &v)), "{} -> {:?}", text, ours);
                }
            }

            #[test]
            fn accepts_exactly_what_serde_json_accepts(
                text in "[\\[\\]{}\":,0-9eE.+\\-tfrulnsa\\\\ \n\u{1}é]{0,40}"
            ) {
                let theirs = serde_json::from_str::<serde_json::Value>(&text);
                let ours = parse(&text);
                match (&ours, &theirs) {
                    (Ok(n), Ok(v)) => prop_assert!(same(n, v), "{:?}: {:?} vs {:?}", text, n, v),
                    (Err(_), Ok(_)) => {
                        // Stricter on purpose: a key twice in one object.
                        let message = &ours.as_ref().unwrap_err().message;
                        prop_assert!(message.contains("appears twice"), "{:?}: {}", text, message);
                    }
                    (Ok(_), Err(e)) => prop_assert!(false, "{:?} accepted; serde_json: {}", text, e),
                    (Err(_), Err(_)) => {}
                }
            }
        }
    }
}
