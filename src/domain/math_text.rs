//! LaTeX and MathJax formulas shown as readable Unicode (issue 21): a
//! display transform, applied where card text is shown (the review screen,
//! `recall next`, the browser's detail), never to the text stored or
//! exported. `$a \in \mathbb{R}$` shows as `a ∈ ℝ`, `\frac{n!}{k!}` as
//! `n!/k!`, `x^{2}` as `x²`.
//!
//! Formulas are found between `\(…\)`, `\[…\]`, `$$…$$`, `$…$`, and
//! Anki's `[$]…[/$]`, `[$$]…[/$$]`, `[latex]…[/latex]`. A formula is read
//! with the common subset of TeX in `symbols` (Greek, relations, arrows,
//! operators, `\frac`, `\sqrt`, `^` and `_`, `\mathbb`, `\text`, accents,
//! `\left`/`\right`); one that uses anything else (an environment, an
//! unknown command, unbalanced braces) is shown as it is written, with its
//! delimiters: source a reader can still follow, never a wrong formula.
//!
//! Why our own reader: the crate that does this, `unicodeit`, is a symbol
//! table (no `\frac`, `\mathbb` of a group, or `\sqrt` of one), adds
//! regex and aho-corasick to the build, and is licensed in part under the
//! LPPL. What real cards use fits in a table and a small recursive reader.
//!
//! `$` is also money: `$…$` counts as a formula only when the text between
//! is not empty, does not start with a digit, has no blank line, is not
//! padded with spaces on both sides, and the closing `$` is not followed
//! by a digit (so "costs $5 or $10" stays as it is). `\$` is never a
//! delimiter.

mod symbols;

use std::borrow::Cow;

/// `text` with each formula in it shown as Unicode where it can be read;
/// text without a formula comes back borrowed, unchanged.
pub fn display(text: &str) -> Cow<'_, str> {
    if !text.contains(['$', '\\', '[']) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut found = false;
    // Delimiters with no closing one after some point are not looked for
    // again: each search would scan to the end (quadratic on hostile text).
    let mut unclosed = [false; DELIMITERS.len()];
    while let Some((at, kind)) = next_opening(rest, &unclosed) {
        let (open, close) = DELIMITERS[kind];
        out.push_str(&rest[..at]);
        let body_start = at + open.len();
        let Some(len) = closing(&rest[body_start..], close) else {
            unclosed[kind] = true;
            out.push_str(open);
            rest = &rest[body_start..];
            continue;
        };
        let body = &rest[body_start..body_start + len];
        let end = body_start + len + close.len();
        let after = rest[end..].chars().next();
        if open == "$" && !dollar_math(body, after) {
            out.push('$');
            rest = &rest[body_start..];
            continue;
        }
        match convert(body) {
            Some(shown) => {
                found = true;
                out.push_str(&shown);
            }
            None => out.push_str(&rest[at..end]),
        }
        rest = &rest[end..];
    }
    if !found {
        return Cow::Borrowed(text);
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// Opening and closing delimiters, longest first where one starts another.
const DELIMITERS: [(&str, &str); 7] = [
    ("[$$]", "[/$$]"),
    ("[$]", "[/$]"),
    ("[latex]", "[/latex]"),
    ("\\(", "\\)"),
    ("\\[", "\\]"),
    ("$$", "$$"),
    ("$", "$"),
];

/// The first opening delimiter in `text` (skipping `\$` and `\\`), and
/// which one it is.
fn next_opening(text: &str, unclosed: &[bool; DELIMITERS.len()]) -> Option<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if matches!(bytes.get(i + 1), Some(b'$' | b'\\')) => {
                i += 2;
                continue;
            }
            b'\\' | b'$' | b'[' => {
                let found = DELIMITERS
                    .iter()
                    .enumerate()
                    .find(|(k, (open, _))| !unclosed[*k] && text[i..].starts_with(open));
                if let Some((kind, _)) = found {
                    return Some((i, kind));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// Where `close` first appears in `text`, outside `\$` and `\\`.
fn closing(text: &str, close: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if text[i..].starts_with(close) {
            return Some(i);
        }
        // After a backslash the next character is escaped (`\$`, `\\`).
        i += if bytes[i] == b'\\' { 2 } else { 1 };
        while i < text.len() && !text.is_char_boundary(i) {
            i += 1;
        }
    }
    None
}

/// The money rule of the module's documentation, for a `$…$` pair.
fn dollar_math(body: &str, after: Option<char>) -> bool {
    let starts_blank = body.starts_with(char::is_whitespace);
    let ends_blank = body.ends_with(char::is_whitespace);
    let money_or_prose = body.trim().is_empty()
        || body.starts_with(|c: char| c.is_ascii_digit())
        || body.contains("\n\n")
        || (starts_blank && ends_blank)
        || after.is_some_and(|c| c.is_ascii_digit());
    !money_or_prose
}

/// Arguments and groups nested deeper than this are not read (the formula
/// shows as source): the reader recurses, and hostile text must not
/// exhaust the stack.
const MAX_DEPTH: usize = 32;

/// A formula as Unicode, or `None` if it uses what the reader does not know.
pub fn convert(tex: &str) -> Option<String> {
    convert_at(tex, 0)
}

/// `convert` of a formula nested `depth` deep (a root's index).
fn convert_at(tex: &str, depth: usize) -> Option<String> {
    let chars: Vec<char> = tex.chars().collect();
    let mut reader = Reader {
        chars: &chars,
        at: 0,
        depth,
    };
    let out = reader.list(false)?;
    Some(out.trim().to_string())
}

struct Reader<'a> {
    chars: &'a [char],
    at: usize,
    depth: usize,
}

impl Reader<'_> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        Some(c)
    }

    /// Everything up to the end, or (`in_group`) to the `}` that closes the
    /// group, which is read too.
    fn list(&mut self, in_group: bool) -> Option<String> {
        let mut out = String::new();
        while let Some(c) = self.next() {
            match c {
                '}' if in_group => return Some(out),
                '}' | '&' => return None,
                c if c.is_whitespace() => {
                    if !out.is_empty() && !out.ends_with(' ') {
                        out.push(' ');
                    }
                }
                '{' => out.push_str(&self.group()?),
                '^' | '_' => {
                    let arg = self.argument()?;
                    out.push_str(&script(&arg, c == '^'));
                }
                '~' => out.push(' '),
                '\\' => self.command(&mut out)?,
                c => out.push(c),
            }
        }
        (!in_group).then_some(out)
    }

    /// `read` one level deeper, unless that is too deep.
    fn nested(&mut self, read: impl FnOnce(&mut Self) -> Option<String>) -> Option<String> {
        if self.depth >= MAX_DEPTH {
            return None;
        }
        self.depth += 1;
        let out = read(self);
        self.depth -= 1;
        out
    }

    /// A `{…}` group, its `{` already read.
    fn group(&mut self) -> Option<String> {
        self.nested(|r| r.list(true))
    }

    /// A command's argument: a group, a command standing for one symbol
    /// (or built from arguments of its own), or one character (spaces
    /// before it skipped).
    fn argument(&mut self) -> Option<String> {
        self.nested(Self::one_argument)
    }

    fn one_argument(&mut self) -> Option<String> {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
        match self.next()? {
            '{' => self.group(),
            '\\' => {
                let mut out = String::new();
                self.command(&mut out)?;
                Some(out)
            }
            '}' | '^' | '_' | '&' => None,
            c => Some(c.to_string()),
        }
    }

    /// `\name` or `\X`, its backslash already read, written to `out`.
    fn command(&mut self, out: &mut String) -> Option<()> {
        let first = self.next()?;
        if !first.is_ascii_alphabetic() {
            match symbols::escaped(first)? {
                // A small space (`\,`) beside a written one is one space.
                " " if out.ends_with(' ') || self.peek().is_some_and(char::is_whitespace) => {}
                shown => out.push_str(shown),
            }
            return Some(());
        }
        let start = self.at - 1;
        while self.peek().is_some_and(|c| c.is_ascii_alphabetic()) {
            self.at += 1;
        }
        let name: String = self.chars[start..self.at].iter().collect();
        let name = name.as_str();
        if symbols::is_sizing(name) {
            // `\left.` and `\right.`: an invisible delimiter.
            if self.peek() == Some('.') {
                self.at += 1;
            }
        } else if let Some(symbol) = symbols::symbol(name) {
            out.push_str(symbol);
        } else if symbols::is_text(name) {
            out.push_str(&self.argument()?);
        } else if let Some(mark) = symbols::accent(name) {
            for c in self.argument()?.chars() {
                out.push(c);
                out.push(mark);
            }
        } else {
            out.push_str(&self.structure(name)?);
        }
        Some(())
    }

    /// The commands that build from their arguments.
    fn structure(&mut self, name: &str) -> Option<String> {
        match name {
            "frac" | "dfrac" | "tfrac" => {
                let top = self.argument()?;
                let bottom = self.argument()?;
                Some(format!("{}/{}", wrapped(&top), wrapped(&bottom)))
            }
            "sqrt" => {
                let index = self.optional()?;
                let root = match index.as_deref() {
                    None | Some("2") => "√".to_string(),
                    Some("3") => "∛".to_string(),
                    Some("4") => "∜".to_string(),
                    Some(n) => format!("{}√", script(n, true)),
                };
                Some(format!("{root}{}", wrapped(&self.argument()?)))
            }
            "mathbb" | "Bbb" | "mathds" => self
                .argument()?
                .chars()
                .map(|c| symbols::double_struck(c).or(c.is_whitespace().then_some(c)))
                .collect(),
            "not" => Some(match self.argument()?.as_str() {
                "∈" => "∉".to_string(),
                "=" => "≠".to_string(),
                "⊂" => "⊄".to_string(),
                other => format!("{other}\u{338}"),
            }),
            _ => None,
        }
    }

    /// `[…]` after a command, if there is one.
    fn optional(&mut self) -> Option<Option<String>> {
        if self.peek() != Some('[') {
            return Some(None);
        }
        let start = self.at + 1;
        let len = self.chars[start..].iter().position(|c| *c == ']')?;
        self.at = start + len + 1;
        let inner: String = self.chars[start..start + len].iter().collect();
        convert_at(&inner, self.depth + 1).map(Some)
    }
}

/// `arg` raised (`up`) or lowered: in Unicode's superscript or subscript
/// characters where it has one for every character, else `^x`, `^(…)`.
fn script(arg: &str, up: bool) -> String {
    let map = if up {
        symbols::superscript
    } else {
        symbols::subscript
    };
    let mapped: Option<String> = arg
        .chars()
        .map(|c| if c == '′' { Some(c) } else { map(c) })
        .collect();
    if let Some(mapped) = mapped.filter(|m| !m.is_empty()) {
        return mapped;
    }
    let mark = if up { '^' } else { '_' };
    if arg.chars().count() == 1 {
        format!("{mark}{arg}")
    } else {
        format!("{mark}({arg})")
    }
}

/// `text` as one operand of `/` or `√`: in parentheses unless it is a
/// single character or a word or number (primes and `!` included).
fn wrapped(text: &str) -> Cow<'_, str> {
    let atom = |c: char| c.is_alphanumeric() || matches!(c, '!' | '′' | '\'');
    if text.chars().count() <= 1 || text.chars().all(atom) {
        Cow::Borrowed(text)
    } else {
        Cow::Owned(format!("({text})"))
    }
}

#[cfg(test)]
mod tests;
