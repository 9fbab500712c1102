//! Box diagrams in card text must be rectangular (issue 15): a box's
//! right border is one straight line, by display width, so the terminal
//! shows it as its author drew it.

use unicode_width::UnicodeWidthStr;

/// Where a box diagram in `text` is not rectangular: for each box (a `┌`
/// and the `┐` that ends its top border), every line down to its `└` must
/// carry a border at the box's right column, and the bottom must close
/// with `┘`, by display width. Lines are 1-based.
pub fn box_problems(text: &str) -> Vec<String> {
    let lines: Vec<Vec<(usize, char)>> = text.lines().map(columns).collect();
    let mut problems = Vec::new();
    for (top, line) in lines.iter().enumerate() {
        for &(left, c) in line {
            if c != '┌' {
                continue;
            }
            let Some(right) = top_right(line, left) else {
                problems.push(format!("line {}: a ┌ at column {left} has no ┐", top + 1));
                continue;
            };
            problems.extend(check_box(&lines, top, left, right));
        }
    }
    problems
}

/// A line's characters with the display column each starts at: the
/// width of the text before it, so that a sequence ("⚠️", a sign and a
/// variation selector) counts as the terminal draws it.
fn columns(line: &str) -> Vec<(usize, char)> {
    line.char_indices()
        .map(|(i, c)| (line[..i].width(), c))
        .collect()
}

fn at(line: &[(usize, char)], column: usize) -> Option<char> {
    line.iter().find(|(col, _)| *col == column).map(|(_, c)| *c)
}

/// The column of the `┐` that closes the top border starting at `left`.
fn top_right(line: &[(usize, char)], left: usize) -> Option<usize> {
    line.iter()
        .filter(|(col, _)| *col > left)
        .find(|(_, c)| *c == '┐')
        .map(|(col, _)| *col)
}

fn check_box(lines: &[Vec<(usize, char)>], top: usize, left: usize, right: usize) -> Vec<String> {
    const SIDES: &str = "│├┤┼║╟╢";
    let mut problems = Vec::new();
    for (n, line) in lines.iter().enumerate().skip(top + 1) {
        let edge = at(line, left);
        let (bottom, expected) = match edge {
            Some('└') => (true, "┘"),
            Some(c) if SIDES.contains(c) => (false, "│"),
            // Nothing under the corner: a connector (`┌──┼──┐` fanning
            // out arrows), not a box.
            _ if n == top + 1 => return problems,
            // The left border ends without a bottom.
            _ => {
                problems.push(format!(
                    "line {}: the box of line {} has no left border here",
                    n + 1,
                    top + 1
                ));
                return problems;
            }
        };
        let found = at(line, right);
        let closes = match found {
            Some(c) if bottom => c == '┘',
            Some(c) => SIDES.contains(c),
            None => false,
        };
        if !closes {
            let width = line
                .last()
                .map_or(0, |(col, c)| col + c.to_string().width());
            problems.push(format!(
                "line {}: the box of line {} closes at column {right} with {expected}, \
                 but here it has {} (the line is {width} columns wide)",
                n + 1,
                top + 1,
                found.map_or("nothing".to_string(), |c| format!("{c:?}")),
            ));
        }
        if bottom {
            return problems;
        }
    }
    problems.push(format!("line {}: the box has no bottom line", top + 1));
    problems
}

/// A box as drawn right: nested boxes, a connector fanning out arrows,
/// text right of the box, an emoji two columns wide.
pub const GOOD_BOX: &str = "\
┌──────────────────────────┐
│ SCAN ⚠️                  │   text beside it
├──────────────────────────┤
│  ┌──────┐     ┌──────┐   │
│  │ A    │────→│ B    │   │
│  └──┬───┘     └──────┘   │
│  ┌──┼────┐               │
│  ▼  ▼    ▼               │
└──────────────────────────┘";

#[test]
fn a_rectangular_box_passes_and_each_defect_is_found_at_its_line() {
    assert_eq!(box_problems(GOOD_BOX), Vec::<String>::new());
    // The Aurora cluster diagram before the edit: its divider runs past the
    // border, and the lines below it are a column short.
    let aurora = "\
┌────────────────────────────────────────────────┐
│         AURORA CLUSTER                         │
├─────────────────────────────────────────────────
│                                                │
│  ┌─────────────┐         ┌─────────────┐      │
└────────────────────────────────────────────────┘";
    let found = box_problems(aurora);
    assert_eq!(found.len(), 2, "{found:?}");
    assert!(
        found[0].starts_with("line 3: the box of line 1 closes at column 49"),
        "{found:?}"
    );
    assert!(found[0].contains("has '─'"), "{found:?}");
    assert!(found[1].starts_with("line 5:"), "{found:?}");
    assert!(
        found[1].contains("has nothing (the line is 49 columns wide)"),
        "{found:?}"
    );
    let open = "┌──┐\n│  │\n│  │";
    assert_eq!(box_problems(open), ["line 1: the box has no bottom line"]);
    let crooked = "┌──┐\n│  │\n└──┴";
    assert!(box_problems(crooked)[0].starts_with("line 3:"));
}
