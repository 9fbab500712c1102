//! Card text laid out for a width. Text is untrusted: it is escaped before
//! it becomes a span. Prose wraps at word boundaries; a block (lines between
//! blank lines) that holds box-drawing characters is a diagram and is never
//! re-wrapped: its long lines are clipped with a visible `▸`.

use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::domain::text::escape_controls;

const TAB: usize = 4;
pub const CLIP_MARK: &str = "▸";

/// Box drawing and block elements: what ASCII-art diagrams are made of.
fn is_diagram_char(c: char) -> bool {
    matches!(c, '\u{2500}'..='\u{259f}')
}

pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// Tabs to spaces (to the next multiple of 4 columns).
fn expand_tabs(line: &str) -> String {
    if !line.contains('\t') {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    let mut col = 0;
    for g in line.graphemes(true) {
        if g == "\t" {
            let n = TAB - col % TAB;
            out.extend(std::iter::repeat_n(' ', n));
            col += n;
        } else {
            out.push_str(g);
            col += width(g);
        }
    }
    out
}

/// The text as screen lines of at most `cols` columns.
pub fn layout(text: &str, cols: usize) -> Vec<String> {
    let cols = cols.max(2);
    let safe = escape_controls(text);
    let lines: Vec<String> = safe.split('\n').map(expand_tabs).collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut start = 0;
    while start < lines.len() {
        // A block ends at a blank line (or the end); blank lines are blocks of their own.
        let end = if lines[start].trim().is_empty() {
            start + 1
        } else {
            (start..lines.len())
                .find(|&i| lines[i].trim().is_empty())
                .unwrap_or(lines.len())
        };
        let block = &lines[start..end];
        if block.iter().any(|l| l.chars().any(is_diagram_char)) {
            out.extend(block.iter().map(|l| clip(l, cols)));
        } else {
            for line in block {
                wrap(line, cols, &mut out);
            }
        }
        start = end;
    }
    out
}

/// `line` cut to `cols` columns, the last one a `▸` when anything was cut.
pub fn clip(line: &str, cols: usize) -> String {
    if width(line) <= cols {
        return line.to_string();
    }
    if cols == 0 {
        return String::new();
    }
    let mut out = String::new();
    let mut used = 0;
    for g in line.graphemes(true) {
        let w = width(g);
        if used + w > cols - 1 {
            break;
        }
        out.push_str(g);
        used += w;
    }
    out.extend(std::iter::repeat_n(' ', cols - 1 - used));
    out.push_str(CLIP_MARK);
    out
}

/// The line as alternating runs of whitespace and non-whitespace: a word
/// keeps its punctuation (`asynchronously?`), as Unicode word bounds would not.
fn runs(line: &str) -> impl Iterator<Item = &str> {
    let mut rest = line;
    std::iter::from_fn(move || {
        let first = rest.chars().next()?;
        let space = first.is_whitespace();
        let end = rest
            .char_indices()
            .find(|(_, c)| c.is_whitespace() != space)
            .map_or(rest.len(), |(i, _)| i);
        let (run, tail) = rest.split_at(end);
        rest = tail;
        Some(run)
    })
}

/// Greedy word wrap by display width, breaking only at whitespace; words
/// longer than a line are broken.
fn wrap(line: &str, cols: usize, out: &mut Vec<String>) {
    if width(line) <= cols {
        out.push(line.trim_end().to_string());
        return;
    }
    let mut current = String::new();
    let mut used = 0;
    for word in runs(line) {
        let w = width(word);
        if used + w <= cols {
            current.push_str(word);
            used += w;
            continue;
        }
        if word.trim().is_empty() {
            // A space at the break: the line ends here, the space is dropped.
            out.push(std::mem::take(&mut current).trim_end().to_string());
            used = 0;
            continue;
        }
        if w <= cols && used > 0 {
            out.push(std::mem::take(&mut current).trim_end().to_string());
            current.push_str(word);
            used = w;
            continue;
        }
        for g in word.graphemes(true) {
            let gw = width(g);
            if used + gw > cols && used > 0 {
                out.push(std::mem::take(&mut current));
                used = 0;
            }
            current.push_str(g);
            used += gw;
        }
    }
    if !current.is_empty() {
        out.push(current.trim_end().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_wraps_at_words_and_never_exceeds_the_width() {
        let lines = layout("the quick brown fox jumps over the lazy dog", 10);
        assert_eq!(
            lines,
            ["the quick", "brown fox", "jumps over", "the lazy", "dog"]
        );
        let long = layout("abcdefghijklmnop", 6);
        assert_eq!(long, ["abcdef", "ghijkl", "mnop"]);
    }

    #[test]
    fn a_word_keeps_its_trailing_punctuation_on_its_line() {
        let lines = layout("Why is it done asynchronously? Because, well.", 30);
        assert_eq!(lines, ["Why is it done asynchronously?", "Because, well."]);
        let lines = layout("Is it (really) atomic?", 18);
        assert_eq!(lines, ["Is it (really)", "atomic?"]);
        let lines = layout("a don't-break-me-please.", 20);
        // Longer than a line: it is broken where the line ends.
        assert_eq!(lines, ["a don't-break-me-ple", "ase."]);
    }

    #[test]
    fn several_spaces_at_a_break_are_dropped() {
        let lines = layout("alpha    beta gamma", 7);
        assert_eq!(lines, ["alpha", "beta", "gamma"]);
    }

    #[test]
    fn diagrams_are_clipped_with_a_marker_not_wrapped() {
        let text = "┌──────────┐\n│ a label  │\n  under it\n\nplain words here";
        let lines = layout(text, 8);
        assert_eq!(lines[..3], ["┌──────▸", "│ a lab▸", "  under▸"]);
        assert_eq!(lines[3..], ["", "plain", "words", "here"]);
    }

    #[test]
    fn wide_characters_count_two_columns() {
        let lines = layout("東京 大阪 名古屋", 6);
        assert!(lines.iter().all(|l| width(l) <= 6), "{lines:?}");
        assert_eq!(clip("┌東京東京", 6), "┌東京▸");
    }

    #[test]
    fn control_characters_are_visible_and_tabs_expand() {
        let lines = layout("a\u{1b}]2;PWNED\u{7}\tb", 80);
        // 17 columns of text, so the tab goes to column 20.
        assert_eq!(lines, ["a\\x1b]2;PWNED\\x07   b"]);
    }
}
