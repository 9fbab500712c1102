//! Classified lines into the deck's header and one `Entry` per card, in
//! file order: which section each text line belongs to, and the mistakes
//! that can only be seen line by line (a second `Q:`, text outside any
//! section, a `Reverse:` that is neither yes nor no).

use super::syntax::Line;

/// A mistake at a 0-based line, said in words; `parse` adds the file.
pub(super) type Located = (usize, String);

/// The lines before the first card: a `# ` heading names the deck, the
/// rest describes it.
#[derive(Default)]
pub(super) struct Header {
    pub name: Option<String>,
    pub description: Vec<String>,
}

impl Header {
    /// Takes one line of the header. A heading names the deck only before
    /// any description, unless the line follows a leading `---`, where the
    /// description above it is already over.
    fn take(&mut self, text: &str, heading_anywhere: bool) {
        if self.name.is_none()
            && (heading_anywhere || self.description.is_empty())
            && let Some(heading) = text.strip_prefix("# ")
        {
            self.name = Some(heading.trim().to_string());
            return;
        }
        self.description.push(text.to_string());
    }
}

/// One card as written, before it is checked and turned into cards.
#[derive(Default)]
pub(super) struct Entry {
    /// Where the entry starts, for "this card has no Q: line".
    pub first_line: usize,
    pub q_line: Option<usize>,
    pub id: Option<String>,
    pub tags: Vec<String>,
    pub reverse: bool,
    /// `Type: yes`: the answer is typed (issue 21).
    pub typed: bool,
    pub q: Vec<String>,
    pub a: Vec<String>,
    pub n: Vec<String>,
    /// The section text lines go to.
    section: Option<&'static str>,
}

impl Entry {
    fn starting_at(first_line: usize) -> Entry {
        Entry {
            first_line,
            ..Entry::default()
        }
    }

    /// Nothing but blank lines (or a leading `---`): no card.
    pub fn is_blank(&self) -> bool {
        self.q_line.is_none()
            && self.id.is_none()
            && self.tags.is_empty()
            && self.a.is_empty()
            && self.n.is_empty()
    }

    /// The lines of the section a `Q:`, `A:` or `N:` marker opens.
    fn section_lines(&mut self, marker: &str) -> &mut Vec<String> {
        match marker {
            "Q:" => &mut self.q,
            "A:" => &mut self.a,
            _ => &mut self.n,
        }
    }

    fn marker(&mut self, i: usize, marker: &'static str, rest: &str) -> Result<(), Located> {
        match marker {
            "ID:" => self.id = Some(rest.trim().to_string()),
            "Tags:" => {
                self.tags = rest
                    .split([' ', ','])
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect();
            }
            "Reverse:" => self.reverse = yes_or_no(marker, rest).map_err(|m| (i, m))?,
            "Type:" => self.typed = yes_or_no(marker, rest).map_err(|m| (i, m))?,
            _ => return self.open_section(i, marker, rest),
        }
        // A one-line marker ends the section above it.
        self.section = None;
        Ok(())
    }

    fn open_section(&mut self, i: usize, marker: &'static str, rest: &str) -> Result<(), Located> {
        if marker == "Q:" {
            if self.q_line.is_some() {
                let message = "a second Q: in one card; separate cards with a --- line";
                return Err((i, message.into()));
            }
            self.q_line = Some(i);
        }
        let lines = self.section_lines(marker);
        if !lines.is_empty() {
            return Err((i, format!("a second {marker} in one card")));
        }
        lines.push(rest.to_string());
        self.section = Some(marker);
        Ok(())
    }
}

fn yes_or_no(marker: &str, text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "yes" | "true" => Ok(true),
        "no" | "false" => Ok(false),
        other => Err(format!("{marker} takes yes or no, not {other:?}")),
    }
}

/// The header and the entries of a file's lines, in order (blank entries
/// included: `parse` skips them).
pub(super) fn scan(lines: Vec<Line<'_>>) -> Result<(Header, Vec<Entry>), Located> {
    let mut header = Header::default();
    let mut entries: Vec<Entry> = Vec::new();
    let mut current: Option<Entry> = None;
    for (i, line) in lines.into_iter().enumerate() {
        match line {
            Line::Separator => {
                entries.extend(current.take());
                current = Some(Entry::starting_at(i + 1));
            }
            Line::Marker(m, rest) => current
                .get_or_insert_with(|| Entry::starting_at(i))
                .marker(i, m, rest)?,
            Line::Text(t) => match current.as_mut() {
                None => header.take(t, false),
                Some(entry) => match entry.section {
                    Some(m) => entry.section_lines(m).push(t.to_string()),
                    None if t.trim().is_empty() => {}
                    // Text after a leading --- and before any card: still the header.
                    None if entries.is_empty() && entry.is_blank() && header.name.is_none() => {
                        header.take(t, true);
                    }
                    None => {
                        let message = "text outside Q:, A: or N: (start a card with Q:)";
                        return Err((i, message.into()));
                    }
                },
            },
        }
    }
    entries.extend(current);
    Ok((header, entries))
}
