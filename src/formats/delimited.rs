//! CSV and TSV decks, Anki's "Notes in Plain Text" export included: the
//! `#key:value` header lines at the top (`#separator:`, `#html:`, `#tags:`,
//! `#columns:`, `#deck:`, `#notetype:`, `#guid column:N`, …), a header row
//! naming the columns when there are no `#` headers, or front, back, notes
//! by position. The `csv` crate does the quoting (`""`, embedded newlines).

use super::delimited_headers::{
    Headers, Role, detect_separator, read_headers, role_by_name, unterminated_quote,
};
use super::{
    DeckCheck, Loaded, MAX_FIELD_BYTES, Sink, derived_id, gathered, html, push_entry_cards,
};
use crate::domain::{CardDraft, DeckDraft};
use crate::error::{Error, Result};

/// Parses a delimited deck. `stem` names the deck when nothing else does;
/// `tsv`: the file is known to be tab-separated (`.tsv`, `--format tsv`).
pub fn parse(file: &str, stem: &str, text: &str, tsv: bool) -> Result<Loaded> {
    gathered(|sink| parse_in_pieces(file, stem, text, tsv, sink))
}

/// `parse`, handing the cards to `sink` as they are read, checked, in
/// pieces of a deck (see `Sink`). The `Loaded` returned has no decks.
pub fn parse_in_pieces(
    file: &str,
    stem: &str,
    text: &str,
    tsv: bool,
    sink: &mut Sink<'_>,
) -> Result<Loaded> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let headers = read_headers(file, text)?;
    let data_start = text
        .split_inclusive('\n')
        .take(headers.lines)
        .map(str::len)
        .sum::<usize>();
    let data = &text[data_start..];
    let line_of = |data_line: u64| headers.lines + usize::try_from(data_line).unwrap_or(0);
    let separator = headers.separator.unwrap_or_else(|| {
        if tsv {
            b'\t'
        } else {
            detect_separator(data.lines().next().unwrap_or(""))
        }
    });
    if let Some(line) = unterminated_quote(data, separator) {
        return Err(Error::Parse {
            file: file.to_string(),
            line: headers.lines + line,
            column: 1,
            message: "a quoted field is never closed (unterminated \")".into(),
        });
    }

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .flexible(false)
        .from_reader(data.as_bytes());
    // One record, reused: a 100 000-row file is read without a vector of rows.
    let mut record = csv::StringRecord::new();
    let next = |reader: &mut csv::Reader<&[u8]>, record: &mut csv::StringRecord| {
        reader
            .read_record(record)
            .map_err(|e| csv_error(file, &headers, &e))
    };
    let has_rows = next(&mut reader, &mut record)?;

    // Which column holds what, from the first row.
    let width = if has_rows { record.len() } else { 0 };
    let mut roles = vec![None; width];
    for &(n, role) in &headers.special {
        if n > width {
            return Err(Error::File {
                file: file.to_string(),
                message: format!("a #… column:{n} header names a column past the last ({width})"),
            });
        }
        roles[n - 1] = Some(role);
    }
    let mut skip_first = false;
    if let Some(columns) = &headers.columns {
        let names: Vec<&str> = columns.split(char::from(separator)).collect();
        for (i, name) in names.iter().enumerate().take(width) {
            roles[i] = roles[i].or(role_by_name(name));
        }
    } else if headers.special.is_empty() && has_rows {
        let named: Vec<_> = record.iter().map(role_by_name).collect();
        if named.iter().all(Option::is_some)
            && named.contains(&Some(Role::Front))
            && named.contains(&Some(Role::Back))
        {
            roles = named;
            skip_first = true;
        }
    }
    // Columns left over are the note's fields, in order: front, back, notes.
    let unclaimed: Vec<Role> = [Role::Front, Role::Back, Role::Notes]
        .into_iter()
        .filter(|r| !roles.contains(&Some(*r)))
        .collect();
    let mut positional = unclaimed.into_iter();
    let roles: Vec<Role> = roles
        .into_iter()
        .map(|r| r.unwrap_or_else(|| positional.next().unwrap_or(Role::Other)))
        .collect();
    if !roles.contains(&Role::Front) || !roles.contains(&Role::Back) {
        return Err(Error::File {
            file: file.to_string(),
            message: format!(
                "needs a front and a back column, but the first row has {width} column(s) \
                 separated by {:?}; say the separator with a #separator: line",
                char::from(separator)
            ),
        });
    }
    let column = |role: Role| roles.iter().position(|&r| r == role);
    let fields = Fields {
        front: column(Role::Front),
        back: column(Role::Back),
        notes: column(Role::Notes),
        html: headers.html,
    };
    let (id_column, deck_column) = (column(Role::Id), column(Role::Deck));
    let (tags_column, notetype_column) = (column(Role::Tags), column(Role::Notetype));
    let is_reverse = |notetype: &str| notetype.to_ascii_lowercase().contains("reverse");
    let header_reverse = headers.notetype.as_deref().is_some_and(is_reverse);

    let mut decks: Vec<Building> = Vec::new();
    let mut loaded = Loaded::default();
    let mut media = 0;
    let mut have_record = has_rows && !skip_first;
    let mut number = usize::from(skip_first);
    loop {
        if !have_record && !next(&mut reader, &mut record)? {
            break;
        }
        have_record = false;
        let line = line_of(record.position().map_or(0, csv::Position::line));
        let at = |message: String| Error::Parse {
            file: file.to_string(),
            line,
            column: 1,
            message,
        };
        if let Some(message) = oversized(&record) {
            return Err(at(format!("record {}: {message}", number + 1)));
        }
        let raw = |i: Option<usize>| i.and_then(|i| record.get(i)).unwrap_or("");
        let (front, back, notes) = fields.read(&record, &mut media);
        let mut tags = headers.tags.clone();
        tags.extend(raw(tags_column).split_whitespace().map(str::to_string));
        let notetype = raw(notetype_column);
        let reverse = if notetype.is_empty() {
            header_reverse
        } else {
            is_reverse(notetype)
        };
        let id = raw(id_column).trim();
        let key = if id.is_empty() {
            derived_id(&front)
        } else {
            id.to_string()
        };
        let deck_name = Some(raw(deck_column).trim())
            .filter(|d| !d.is_empty())
            .or(headers.deck.as_deref())
            .unwrap_or(stem);
        let index = match decks.iter().position(|d| d.name == deck_name) {
            Some(i) => i,
            None => {
                let check = DeckCheck::new(deck_name).map_err(at)?;
                // An empty first piece: decks reach the sink in file order.
                sink(piece(deck_name, Vec::new()))?;
                decks.push(Building {
                    name: deck_name.to_string(),
                    check,
                    cards: Vec::new(),
                });
                decks.len() - 1
            }
        };
        let entry = CardDraft {
            key,
            front,
            back,
            notes,
            tags,
        };
        let deck = &mut decks[index];
        let start = deck.cards.len();
        push_entry_cards(&mut deck.cards, entry, reverse);
        for card in &deck.cards[start..] {
            deck.check.card(card).map_err(at)?;
        }
        if deck.cards.len() >= PIECE_CARDS {
            let cards = std::mem::take(&mut deck.cards);
            sink(piece(&deck.name, cards))?;
        }
        number += 1;
    }
    if decks.is_empty() {
        return Err(Error::File {
            file: file.to_string(),
            message: "no cards: the file has no data rows".into(),
        });
    }
    for deck in decks {
        if !deck.cards.is_empty() {
            sink(piece(&deck.name, deck.cards))?;
        }
    }
    if media > 0 {
        loaded.warnings.push(format!(
            "{media} media reference(s) kept as text; recall shows no images or sound"
        ));
    }
    Ok(loaded)
}

/// Cards per piece handed to the sink: enough to keep the writer busy,
/// few enough that writing starts soon after reading does.
const PIECE_CARDS: usize = 2048;

/// A deck while its cards are read.
struct Building {
    name: String,
    check: DeckCheck,
    /// Cards read since the last piece was handed over.
    cards: Vec<CardDraft>,
}

fn piece(name: &str, cards: Vec<CardDraft>) -> DeckDraft {
    DeckDraft {
        name: name.to_string(),
        description: String::new(),
        cards,
    }
}

/// Where a card's texts are, and how to read them.
struct Fields {
    front: Option<usize>,
    back: Option<usize>,
    notes: Option<usize>,
    /// `#html:true`: the texts are HTML, turned into plain text.
    html: bool,
}

impl Fields {
    /// Front, back and notes of one record; counts media references.
    fn read(&self, record: &csv::StringRecord, media: &mut usize) -> (String, String, String) {
        let mut text = |i: Option<usize>| {
            let raw = i.and_then(|i| record.get(i)).unwrap_or("");
            if self.html {
                *media += html::media_references(raw);
                html::to_text(raw)
            } else {
                raw.to_string()
            }
        };
        (text(self.front), text(self.back), text(self.notes))
    }
}

/// The first field of a record over the size limit, as a message.
fn oversized(record: &csv::StringRecord) -> Option<String> {
    let (i, field) = record
        .iter()
        .enumerate()
        .find(|(_, f)| f.len() > MAX_FIELD_BYTES)?;
    Some(format!(
        "column {} is {} bytes, over the limit of {MAX_FIELD_BYTES}",
        i + 1,
        field.len()
    ))
}

fn csv_error(file: &str, headers: &Headers, e: &csv::Error) -> Error {
    let line = |pos: Option<&csv::Position>| {
        headers.lines + pos.map_or(0, |p| usize::try_from(p.line()).unwrap_or(0))
    };
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            pos,
            expected_len,
            len,
        } => Error::Parse {
            file: file.to_string(),
            line: line(pos.as_ref()),
            column: 1,
            message: format!(
                "record {} has {len} field(s), but the first row has {expected_len} \
                 (ragged row; check the separator and quotes)",
                pos.as_ref().map_or(0, |p| p.record() + 1)
            ),
        },
        _ => Error::Parse {
            file: file.to_string(),
            line: line(e.position()),
            column: 1,
            message: e.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let e = err("q1,a1\nq2,a2,extra\n");
        assert!(e.starts_with("d.csv:2:1: record 2 has 3 field(s)"), "{e}");
        let e = err("q1,a1\n\"q2,a2\nq3,a3\n");
        assert!(
            e.starts_with("d.csv:2:1: a quoted field is never closed"),
            "{e}"
        );
        let e = err("#separator:comma\n#colour:blue\nq,a\n");
        assert!(e.starts_with("d.csv:2:1: unknown header #colour:"), "{e}");
        let e = err("#separator:comma\nq,a\nq,b\n");
        assert!(e.starts_with("d.csv:3:1: duplicate id"), "{e}");
        let e = err("only one column\n");
        assert!(e.contains("needs a front and a back column"), "{e}");
        let e = err("q,\n");
        assert!(e.starts_with("d.csv:1:1: the card's back is empty"), "{e}");
    }

    #[test]
    fn comments_and_header_tags() {
        let d = deck("# a comment\n#tags:x y\nq,a\n");
        assert_eq!(d[0].cards[0].tags, ["x", "y"]);
    }
}
