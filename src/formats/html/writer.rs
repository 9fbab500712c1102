//! Lays text out the way a browser lays out HTML text, in plain lines:
//! a run of whitespace is one space, and none at the start or end of a
//! line; a block starts a new line; at most one blank line in a row
//! (preformatted text keeps all of its own); no blank lines at either end.

/// What a whitespace character turns into at this point.
#[derive(Clone, Copy, PartialEq)]
enum Space {
    /// Dropped: at the start of a line, after a list marker or a cell
    /// separator.
    Dropped,
    /// Nothing pending: the last thing written was visible.
    None,
    /// One space, written before the next visible character.
    Pending,
}

pub(super) struct Writer {
    out: String,
    space: Space,
    /// The current line holds a list marker and nothing else yet.
    marker_only: bool,
    /// Spaces before the first character of every line.
    pub(super) indent: usize,
    /// Inside a table cell: breaks become spaces, so a row stays one line.
    pub(super) in_cell: usize,
    /// Inside preformatted text: blank lines are all kept.
    pub(super) pre: usize,
}

/// HTML's whitespace (not Unicode's): only these collapse.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

impl Writer {
    pub(super) fn new(capacity: usize) -> Writer {
        Writer {
            out: String::with_capacity(capacity),
            space: Space::Dropped,
            marker_only: false,
            indent: 0,
            in_cell: 0,
            pre: 0,
        }
    }

    /// Text whose whitespace collapses.
    pub(super) fn text(&mut self, text: &str) {
        for (i, word) in text.split(is_space).enumerate() {
            if i > 0 && self.space == Space::None {
                self.space = Space::Pending;
            }
            if word.contains(['\0', '\u{a0}']) {
                // A browser drops NUL; a no-break space shows as a space
                // (one that does not collapse).
                let word: String = word
                    .chars()
                    .filter(|&c| c != '\0')
                    .map(|c| if c == '\u{a0}' { ' ' } else { c })
                    .collect();
                self.visible(&word);
            } else {
                self.visible(word);
            }
        }
    }

    /// Text kept as written: every space, and every line break.
    pub(super) fn preformatted(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.line_break();
            }
            if line.contains('\u{a0}') {
                self.visible(&line.replace('\u{a0}', " "));
            } else {
                self.visible(line);
            }
        }
    }

    fn visible(&mut self, text: &str) {
        if text.is_empty() {
            return;
        }
        self.begin();
        self.out.push_str(text);
        self.space = Space::None;
        self.marker_only = false;
    }

    /// Before something visible: the line's indentation, or the space
    /// that was pending.
    fn begin(&mut self) {
        if self.line_is_empty() {
            self.out.extend(std::iter::repeat_n(' ', self.indent));
        } else if self.space == Space::Pending {
            self.out.push(' ');
        }
    }

    /// A list item's marker: what follows it is on the same line.
    pub(super) fn marker(&mut self, marker: &str) {
        self.begin();
        self.out.push_str(marker);
        self.space = Space::Dropped;
        self.marker_only = true;
    }

    /// Between two table cells (after an empty first one, without the
    /// separator's leading space).
    pub(super) fn separator(&mut self, separator: &str) {
        if self.space == Space::Pending {
            self.space = Space::None;
        }
        let separator = if self.line_is_empty() {
            separator.trim_start()
        } else {
            separator
        };
        self.begin();
        self.out.push_str(separator);
        self.space = Space::Dropped;
        self.marker_only = false;
    }

    /// `<br>`, or a line break in preformatted text.
    pub(super) fn line_break(&mut self) {
        if self.in_cell > 0 {
            self.soft_space();
            return;
        }
        let end = self
            .out
            .trim_end_matches(|c: char| c != '\n' && c.is_whitespace())
            .len();
        self.out.truncate(end);
        let blank = self.line_is_empty();
        let leading = self.out.is_empty();
        let second_blank = self.pre == 0 && self.out.ends_with("\n\n");
        if !(blank && (leading || second_blank)) {
            self.out.push('\n');
        }
        self.space = Space::Dropped;
        self.marker_only = false;
    }

    fn line_is_empty(&self) -> bool {
        self.out.is_empty() || self.out.ends_with('\n')
    }

    /// A block starts: a new line, unless the line is empty or holds only
    /// the marker of the list item the block is in.
    pub(super) fn block_start(&mut self) {
        if self.in_cell > 0 {
            self.soft_space();
        } else if !self.line_is_empty() && !self.marker_only {
            self.line_break();
        }
    }

    /// A block ends: what follows starts a new line.
    pub(super) fn block_end(&mut self) {
        if self.in_cell > 0 {
            self.soft_space();
        } else if !self.line_is_empty() {
            self.line_break();
        }
    }

    fn soft_space(&mut self) {
        if self.space == Space::None {
            self.space = Space::Pending;
        }
    }

    pub(super) fn finish(mut self) -> String {
        let end = self.out.trim_end().len();
        self.out.truncate(end);
        self.out
    }
}
