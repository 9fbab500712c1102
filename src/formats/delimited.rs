//! CSV and TSV decks, Anki's "Notes in Plain Text" export included: the
//! `#key:value` header lines at the top (`#separator:`, `#html:`, `#tags:`,
//! `#columns:`, `#deck:`, `#notetype:`, `#guid column:N`, …), a header row
//! naming the columns when there are no `#` headers, or front, back, notes
//! by position. The `csv` crate does the quoting (`""`, embedded newlines).
//!
//! A file that names its columns (a header row, `#columns:`) is recall's
//! own CSV, or written for it, and is read strictly: every row as wide as
//! the first, a back on every card, no two cards with one id. A file that
//! does not is read as Anki reads it: a short row is padded with empty
//! fields, a long row's extra fields go to the notes, a card may have an
//! empty back, a row with an empty first field makes no card (Anki's front
//! would be empty), and two cards with the same front are both kept (the
//! second's derived id gets `-2`). Each of these is counted in the report.

use std::io::{BufRead, Read};

use super::delimited_headers::{
    Headers, columns, detect_separator, read_headers, without_line_end,
};
use super::delimited_quotes::QuoteWatch;
use super::delimited_rows::Rows;
use super::{Loaded, Sink, gathered, line_error};
use crate::error::{Error, Result};

/// Parses a delimited deck. `stem` names the deck when nothing else does;
/// `tsv`: the file is known to be tab-separated (`.tsv`, `--format tsv`).
pub fn parse(file: &str, stem: &str, text: &str, tsv: bool) -> Result<Loaded> {
    gathered(|sink| parse_in_pieces(file, stem, text.as_bytes(), tsv, None, sink))
}

/// `parse` of UTF-8 text read as it goes (a file's, never held whole),
/// handing the cards to `sink` as they are read, checked, in pieces of a
/// deck (see `Sink`). The `Loaded` returned has no decks. `into`: every
/// card goes to the deck of that name (`--deck`), whatever the file says.
pub fn parse_in_pieces(
    file: &str,
    stem: &str,
    mut text: impl BufRead,
    tsv: bool,
    into: Option<&str>,
    sink: &mut Sink<'_>,
) -> Result<Loaded> {
    let (headers, first_line) = read_headers(file, &mut text)?;
    let separator = headers.separator.unwrap_or_else(|| {
        if tsv {
            b'\t'
        } else {
            detect_separator(without_line_end(&first_line))
        }
    });
    let data = std::io::Cursor::new(first_line).chain(text);

    // Flexible: row widths are checked here, strictly or as Anki does. A
    // record that starts with `#` is a comment, as in Anki (recall's export
    // quotes a field that starts with one).
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(true)
        .comment(Some(b'#'))
        .from_reader(QuoteWatch::new(file, headers.lines, separator, data));
    // One record, reused: a 100 000-row file is read without a vector of rows.
    let mut record = csv::StringRecord::new();
    let mut next = |record: &mut csv::StringRecord| {
        reader
            .read_record(record)
            .map_err(|e| csv_error(file, &headers, e))
    };
    let has_rows = next(&mut record)?;
    let columns = columns(file, &headers, has_rows.then_some(&record), separator)?;
    let header_row = columns.header_row;
    let mut rows = Rows::new(file, stem, into, &headers, columns, record.len());
    let mut have_record = has_rows && !header_row;
    let mut number = usize::from(header_row);
    loop {
        if !have_record && !next(&mut record)? {
            break;
        }
        have_record = false;
        number += 1;
        rows.add(&record, number, sink)?;
    }
    rows.finish(sink)
}

fn csv_error(file: &str, headers: &Headers, e: csv::Error) -> Error {
    let line = |pos: Option<&csv::Position>| {
        headers.lines + pos.map_or(0, |p| usize::try_from(p.line()).unwrap_or(0))
    };
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => line_error(
            file,
            line(pos.as_ref()),
            format!(
                "record {} has {len} field(s), but the first row has {expected_len} \
                 (ragged row; check the separator and quotes)",
                pos.as_ref().map_or(0, |p| p.record() + 1)
            ),
        ),
        // The text's own mistakes (not UTF-8, an open quote) come this way.
        csv::ErrorKind::Io(_) => match e.into_kind() {
            csv::ErrorKind::Io(e) => Error::from_read(file, e),
            _ => unreachable!("the kind was just matched"),
        },
        _ => line_error(file, line(e.position()), e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::DeckDraft;

    fn deck(text: &str) -> Vec<DeckDraft> {
        parse("d.csv", "d", text, false).unwrap().decks
    }

    fn err(text: &str) -> String {
        parse("d.csv", "d", text, false).unwrap_err().to_string()
    }

    #[test]
    fn header_row_names_columns() {
        let d = deck("id,front,back,tags\nx1,\"Q, with comma\",\"multi\nline \"\"A\"\"\",a b\n");
        assert_eq!(d[0].name, "d");
        let c = &d[0].cards[0];
        assert_eq!(c.key, "x1");
        assert_eq!(c.front, "Q, with comma");
        assert_eq!(c.back, "multi\nline \"A\"");
        assert_eq!(c.tags, ["a", "b"]);
    }

    #[test]
    fn anki_notes_in_plain_text() {
        let text = "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n\
                    #deck column:3\n#tags column:6\n\
                    g1\tBasic (and reversed card)\tLang::French\tchat<br>&amp;\t<b>cat</b>\tanimal\n\
                    g2\tCloze\tLang::French\t{{c1::Paris}} is in {{c2::France}}\t\tgeo\n";
        let d = parse("n.txt", "n", text, false).unwrap().decks;
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].name, "Lang::French");
        let keys: Vec<_> = d[0].cards.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["g1", "g1:reverse", "g2:c1", "g2:c2"]);
        assert_eq!(d[0].cards[0].front, "chat\n&");
        assert_eq!(d[0].cards[0].back, "cat");
        assert_eq!(d[0].cards[2].front, "[...] is in France");
    }

    #[test]
    fn positional_columns_and_detection() {
        let d = deck("q1;a1\nq2;a2\n");
        assert_eq!(d[0].cards.len(), 2);
        assert_eq!(d[0].cards[1].back, "a2");
        let d = parse("d.tsv", "d", "a,b\tc\n", true).unwrap().decks;
        assert_eq!(d[0].cards[0].front, "a,b");
    }

    #[test]
    fn bad_input_is_located() {
        let e = err("front,back\nq1,a1\nq2,a2,extra\n");
        assert!(e.starts_with("d.csv:3:1: record 3 has 3 field(s)"), "{e}");
        let e = err("#columns:front,back\nq1,a1\nq2\n");
        assert!(e.starts_with("d.csv:3:1: record 2 has 1 field(s)"), "{e}");
        let e = err("q1,a1\n\"q2,a2\nq3,a3\n");
        assert!(
            e.starts_with("d.csv:2:1: a quoted field is never closed"),
            "{e}"
        );
        let e = err("#separator:comma\n#colour:blue\nq,a\n");
        assert!(e.starts_with("d.csv:2:1: unknown header #colour:"), "{e}");
        let e = err("#columns:front,back\nq,a\nq,b\n");
        assert!(e.starts_with("d.csv:3:1: duplicate id"), "{e}");
        let e = err("only one column\n");
        assert!(e.contains("needs a front and a back column"), "{e}");
        let e = err("front,back\nq,\n");
        assert!(e.starts_with("d.csv:2:1: the card's back is empty"), "{e}");
        let e = err("id,front,back\na,q1,x\na,q2,y\n");
        assert!(e.starts_with("d.csv:3:1: duplicate id \"a\""), "{e}");
        let e = err(",a\n,b\n");
        assert!(
            e.contains("no cards: the first field of all 2 row(s) is empty"),
            "{e}"
        );
    }

    #[test]
    fn unnamed_columns_are_read_as_anki_reads_them() {
        let text = "# a comment\n食べる\tto eat\n飲む\tto drink\n飲む\tto drink\n\
                    多すぎる\ttoo many\tfields\nnot, enough\n遊ぶ\t\n\tto play\n";
        let loaded = parse("t.txt", "t", text, false).unwrap();
        let cards = &loaded.decks[0].cards;
        let sides: Vec<_> = cards
            .iter()
            .map(|c| (c.front.as_str(), c.back.as_str()))
            .collect();
        assert_eq!(
            sides,
            [
                ("食べる", "to eat"),
                ("飲む", "to drink"),
                ("飲む", "to drink"),
                ("多すぎる", "too many"),
                ("not, enough", ""),
                ("遊ぶ", ""),
            ]
        );
        assert_eq!(cards[2].key, format!("{}-2", cards[1].key));
        assert_eq!(cards[3].notes, "fields");
        assert_eq!(loaded.skipped.len(), 1);
        assert!(
            loaded.skipped[0].starts_with("line 8: the first field is empty"),
            "{:?}",
            loaded.skipped
        );
        assert_eq!(
            loaded.warnings,
            [
                "1 card(s) with a front that an earlier row has: imported too, as Anki does, \
                 with ids numbered -2, -3, …",
                "1 short row(s) padded with empty fields, as Anki does",
                "1 long row(s): the fields past the first row's 2 kept in the notes"
            ]
        );
        let again = parse("t.txt", "t", text, false).unwrap();
        assert_eq!(again.decks, loaded.decks, "ids are the same on every read");
    }

    #[test]
    fn text_read_in_pieces_gives_what_the_whole_text_gives() {
        let texts = [
            "\u{feff}#separator:semicolon\r\n#tags:x\r\nq;\"a\r\nb\"\r\n",
            "\u{feff}\u{feff}q,a\n",
            "# a comment\n#html:true\nq1\t<b>a</b>\n# \"not open\nq2\ta2",
            "id,front,back\nx,q,\"a \"\"b\"\"\"\n",
            "q1,a1\n\"q2,a2\nq3,a3\n",
            "#separator:tab\n",
            "#colour:blue\n",
            "",
        ];
        let result =
            |r: Result<Loaded>| r.map(|l| (l.decks, l.warnings)).map_err(|e| e.to_string());
        for text in texts {
            let whole = result(parse("d.csv", "d", text, false));
            for size in [1, 2, 5] {
                let reader = std::io::BufReader::with_capacity(size, text.as_bytes());
                let pieces =
                    gathered(|sink| parse_in_pieces("d.csv", "d", reader, false, None, sink));
                assert_eq!(result(pieces), whole, "{text:?} in {size}s");
            }
        }
    }

    #[test]
    fn comments_and_header_tags() {
        let d = deck("# a comment\n#tags:x y\nq,a\n");
        assert_eq!(d[0].cards[0].tags, ["x", "y"]);
        let d = deck("q1,a1\n# it's \"a comment\nq2,a2\n\"#q3\",a3\n#--columns a,b\n");
        let fronts: Vec<_> = d[0].cards.iter().map(|c| c.front.as_str()).collect();
        assert_eq!(fronts, ["q1", "q2", "#q3"]);
    }
}
