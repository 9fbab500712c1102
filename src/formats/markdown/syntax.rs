//! The line syntax of recall's Markdown, both ways: `classify` tells each
//! line of a file what it is (separator, marker, text, tracking fences), and
//! `escape_section` writes text so that `classify` reads it back as text.

const MARKERS: [&str; 6] = ["Q:", "A:", "N:", "ID:", "Tags:", "Reverse:"];

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
    let mut fence: Option<(usize, &str)> = None;
    let lines = text
        .split('\n')
        .enumerate()
        .map(|(i, raw)| {
            let line = raw.strip_suffix('\r').unwrap_or(raw);
            if let Some((_, open)) = fence {
                if line.trim_end() == open {
                    fence = None;
                }
                return Line::Text(line);
            }
            if is_fence(line) {
                fence = Some((i, &line[..3]));
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
    match fence {
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
    let mut open: Option<&str> = None;
    for (_, line) in lines.iter().enumerate().filter(|&(i, _)| own_line(i)) {
        match open {
            Some(o) if line.trim_end() == o => open = None,
            Some(_) => {}
            None if is_fence(line) => open = Some(&line[..3]),
            None => {}
        }
    }
    let keep_fences = open.is_none();
    let mut out = String::with_capacity(text.len());
    let mut fence: Option<&str> = None;
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        if !own_line(i) {
            out.push_str(line);
            continue;
        }
        if let Some(o) = fence {
            if line.trim_end() == o {
                fence = None;
            }
            out.push_str(line);
            continue;
        }
        if keep_fences && is_fence(line) {
            fence = Some(&line[..3]);
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
