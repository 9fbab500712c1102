//! The line syntax of recall's Markdown, both ways: `classify` tells each
//! line of a file what it is (separator, marker, text, tracking fences), and
//! `escape_section` writes text so that `classify` reads it back as text.

const MARKERS: [&str; 7] = ["Q:", "A:", "N:", "ID:", "Tags:", "Reverse:", "Type:"];

/// The marker a line starts with, and the text after it.
fn marker(line: &str) -> Option<(&'static str, &str)> {
    MARKERS.iter().find_map(|m| {
        let rest = line.strip_prefix(m)?;
        Some((*m, rest.strip_prefix(' ').unwrap_or(rest)))
    })
}

fn is_fence(line: &str) -> bool {
    line.starts_with("```") || line.starts_with("~~~")
}

/// Code fences, followed line by line: a line of ``` or ~~~ opens one, and
/// only a line of the same three characters closes it.
#[derive(Default)]
pub struct Fences<'a> {
    /// The fence open now: its line, and the characters that close it.
    open: Option<(usize, &'a str)>,
}

impl<'a> Fences<'a> {
    /// True if line `i` is code: inside a fence, or a fence line itself.
    pub fn is_code(&mut self, i: usize, line: &'a str) -> bool {
        if let Some((_, open)) = self.open {
            if line.trim_end() == open {
                self.open = None;
            }
            return true;
        }
        if is_fence(line) {
            self.open = Some((i, &line[..3]));
            return true;
        }
        false
    }

    /// The fence still open at the end, if one is: where, and which.
    pub fn unclosed(&self) -> Option<(usize, &'a str)> {
        self.open
    }
}

/// One line of the file, classified.
pub(super) enum Line<'a> {
    Separator,
    Marker(&'static str, &'a str),
    /// Text (unescaped outside fences).
    Text(&'a str),
}

/// Classifies every line, tracking fences. A fence never closed would
/// swallow every card after it: its line (from 0) is the error.
pub(super) fn classify(text: &str) -> std::result::Result<Vec<Line<'_>>, (usize, &str)> {
    let mut fences = Fences::default();
    let lines = text
        .split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if fences.is_code(i, line) {
                return Line::Text(line);
            }
            if line.trim_end() == "---" {
                return Line::Separator;
            }
            if let Some((m, rest)) = marker(line) {
                return Line::Marker(m, rest);
            }
            Line::Text(line.strip_prefix('\\').unwrap_or(line))
        })
        .collect();
    match fences.unclosed() {
        Some(open) => Err(open),
        None => Ok(lines),
    }
}

/// Writes a section's text so that `parse` reads it back unchanged:
/// lines that would read as markup get a leading `\`, except inside
/// balanced fences, which are kept verbatim. The first line follows its
/// marker (`A: …`) unless `first_is_line` says it stands on its own.
pub fn escape_section(text: &str, first_is_line: bool) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let own_line = |i: usize| i > 0 || first_is_line;
    // Fences are kept only if `parse` would see each one closed.
    let mut balance = Fences::default();
    for (i, line) in lines.iter().enumerate().filter(|&(i, _)| own_line(i)) {
        balance.is_code(i, line);
    }
    let keep_fences = balance.unclosed().is_none();
    let mut out = String::with_capacity(text.len());
    let mut fences = Fences::default();
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !own_line(i) || (keep_fences && fences.is_code(i, line)) {
            out.push_str(line);
            continue;
        }
        let risky = line.starts_with('\\')
            || is_fence(line)
            || line.trim_end() == "---"
            || marker(line).is_some();
        if risky {
            out.push('\\');
        }
        out.push_str(line);
    }
    out
}
