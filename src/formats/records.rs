//! Tables of records as CSV or JSON: what the exports write and what
//! `import --reviews` reads back. Both directions stream, one record at a time.

use std::borrow::Cow;
use std::io::{Read, Write};

use chrono::{DateTime, FixedOffset};
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::line_error;
use crate::domain::Grade;
use crate::error::{Error, Result};

mod csv_log;

/// How a table of records is written or read: the `--format` of the
/// progress and review exports and of `stats`' tables, and a review log's
/// extension on import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TableFormat {
    Csv,
    Json,
}

/// The review log's columns, in the order the CSV writes them.
pub const REVIEW_COLUMNS: [&str; 6] = [
    "deck",
    "card",
    "reviewed_at",
    "grade",
    "kind",
    "duration_ms",
];

/// One answer as exported: `card` is the card's id within `deck`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewRecord<'a> {
    #[serde(borrow)]
    pub deck: Cow<'a, str>,
    #[serde(borrow)]
    pub card: Cow<'a, str>,
    #[serde(borrow)]
    pub reviewed_at: Cow<'a, str>,
    pub grade: i64,
    #[serde(default, borrow)]
    pub kind: Option<Cow<'a, str>>,
    #[serde(default)]
    pub duration_ms: Option<u32>,
}

/// A review record, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedReview {
    pub at: DateTime<FixedOffset>,
    pub grade: Grade,
    /// `kind` said `cram`; `schedule` and `redrill` are recomputed on replay.
    pub cram: bool,
    pub duration_ms: u32,
}

impl ReviewRecord<'_> {
    pub fn parse(&self) -> std::result::Result<ParsedReview, String> {
        let at = DateTime::parse_from_rfc3339(self.reviewed_at.trim()).map_err(|e| {
            format!(
                "reviewed_at {:?} is not an RFC 3339 time such as 2026-03-01T09:00:00+01:00 ({e})",
                self.reviewed_at
            )
        })?;
        let grade = u8::try_from(self.grade)
            .ok()
            .and_then(Grade::new)
            .ok_or_else(|| format!("grade {} is not between 0 and 5", self.grade))?;
        let cram = match self.kind.as_deref().map(str::trim) {
            None | Some("" | "schedule" | "redrill") => false,
            Some("cram") => true,
            Some(other) => {
                return Err(format!(
                    "kind {other:?} is not one of schedule, redrill, cram"
                ));
            }
        };
        Ok(ParsedReview {
            at,
            grade,
            cram,
            duration_ms: self.duration_ms.unwrap_or(0),
        })
    }
}

/// Writes records as a CSV table with a header row, or as a JSON array.
pub struct RecordWriter<W: Write> {
    inner: Inner<W>,
}

enum Inner<W: Write> {
    Csv(Box<csv::Writer<W>>),
    Json { out: W, first: bool },
}

impl<W: Write> RecordWriter<W> {
    pub fn new(format: TableFormat, out: W, columns: &[&str]) -> Result<RecordWriter<W>> {
        let inner = match format {
            TableFormat::Csv => {
                let mut csv = csv::WriterBuilder::new()
                    .has_headers(false)
                    .from_writer(out);
                csv.write_record(columns).map_err(csv_error)?;
                Inner::Csv(Box::new(csv))
            }
            TableFormat::Json => Inner::Json { out, first: true },
        };
        Ok(RecordWriter { inner })
    }

    pub fn write(&mut self, record: &impl Serialize) -> Result<()> {
        match &mut self.inner {
            Inner::Csv(csv) => csv.serialize(record).map_err(csv_error),
            Inner::Json { out, first } => {
                out.write_all(if *first { b"[\n  " } else { b",\n  " })?;
                *first = false;
                let json = serde_json::to_string(record).map_err(std::io::Error::from)?;
                // C1, bidi and zero-width characters as \uXXXX: the same value.
                out.write_all(crate::domain::text::escape_json(&json).as_bytes())?;
                Ok(())
            }
        }
    }

    pub fn finish(self) -> Result<W> {
        match self.inner {
            Inner::Csv(csv) => csv.into_inner().map_err(|e| Error::Output(e.into_error())),
            Inner::Json { mut out, first } => {
                out.write_all(if first { b"[]\n" } else { b"\n]\n" })?;
                Ok(out)
            }
        }
    }
}

fn csv_error(e: csv::Error) -> Error {
    match e.into_kind() {
        csv::ErrorKind::Io(e) => Error::Output(e),
        other => Error::invalid(format!("cannot write CSV: {other:?}")),
    }
}

/// Reads a review log (CSV with a header row, or a JSON array of objects)
/// and calls `each` with every record's line and check, in file order.
pub fn read_reviews(
    file: &str,
    format: TableFormat,
    input: impl Read + Send,
    each: impl FnMut(&ReviewRecord<'_>, ParsedReview) -> Result<()>,
) -> Result<()> {
    match format {
        TableFormat::Csv => csv_log::read(file, input, each),
        TableFormat::Json => read_json_reviews(file, input, each),
    }
}

/// A mistake in a review log at a 1-based line.
fn parse_error(file: &str, line: u64, message: String) -> Error {
    line_error(file, usize::try_from(line).unwrap_or(usize::MAX), message)
}

/// Streams the array one object at a time (a visitor, not a `Vec`): a
/// log of years of answers need not be held twice.
fn read_json_reviews(
    file: &str,
    input: impl Read,
    mut each: impl FnMut(&ReviewRecord<'_>, ParsedReview) -> Result<()>,
) -> Result<()> {
    let mut de = serde_json::Deserializer::from_reader(std::io::BufReader::new(input));
    // An error of `each` (the database's, say) must come back as itself,
    // not as the text serde turns a visitor's error into.
    let mut failure = None;
    let visitor = EachRecord {
        each: |record: &ReviewRecord<'_>| match record.parse() {
            Ok(parsed) => each(record, parsed).map_err(|e| {
                let text = e.to_string();
                failure = Some(e);
                text
            }),
            Err(m) => Err(m),
        },
    };
    let result = de::Deserializer::deserialize_seq(&mut de, visitor);
    if let Some(e) = failure {
        return Err(e);
    }
    result.map_err(|e| Error::Parse {
        file: file.to_string(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    de.end()
        .map_err(|e| parse_error(file, e.line() as u64, e.to_string()))
}

struct EachRecord<F> {
    each: F,
}

impl<'de, F> Visitor<'de> for EachRecord<F>
where
    F: FnMut(&ReviewRecord<'_>) -> std::result::Result<(), String>,
{
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of review objects")
    }

    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> std::result::Result<(), A::Error> {
        while let Some(record) = seq.next_element::<ReviewRecord<'_>>()? {
            (self.each)(&record).map_err(de::Error::custom)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(format: TableFormat, text: &str) -> Result<Vec<(String, u8, bool)>> {
        let mut out = Vec::new();
        read_reviews("log", format, text.as_bytes(), |r, p| {
            out.push((r.card.to_string(), p.grade.value(), p.cram));
            Ok(())
        })?;
        Ok(out)
    }

    #[test]
    fn csv_and_json_read_the_same_records() {
        let csv = "deck,card,reviewed_at,grade,kind,duration_ms\n\
                   D,\"a,1\",2026-03-01T09:00:00+01:00,4,schedule,1200\n\
                   D,b,2026-03-01T09:01:00+01:00,2,cram,\n";
        let json = r#"[{"deck":"D","card":"a,1","reviewed_at":"2026-03-01T09:00:00+01:00","grade":4},
                       {"deck":"D","card":"b","reviewed_at":"2026-03-01T09:01:00+01:00","grade":2,"kind":"cram"}]"#;
        let expected = vec![("a,1".to_string(), 4, false), ("b".to_string(), 2, true)];
        assert_eq!(collect(TableFormat::Csv, csv).unwrap(), expected);
        assert_eq!(collect(TableFormat::Json, json).unwrap(), expected);
    }

    #[test]
    fn bad_rows_name_their_line() {
        let csv = "deck,card,reviewed_at,grade\nD,a,2026-03-01T09:00:00Z,4\nD,b,yesterday,4\n";
        let err = collect(TableFormat::Csv, csv).unwrap_err().to_string();
        assert!(
            err.starts_with("log:3:1: reviewed_at \"yesterday\""),
            "{err}"
        );
        let err = collect(TableFormat::Csv, "deck,card,grade\n")
            .unwrap_err()
            .to_string();
        assert!(err.contains("no \"reviewed_at\" column"), "{err}");
        let json = "[\n{\"deck\":\"D\",\"card\":\"a\",\"reviewed_at\":\"2026-03-01T09:00:00Z\",\"grade\":9}\n]";
        let err = collect(TableFormat::Json, json).unwrap_err().to_string();
        assert!(err.starts_with("log:") && err.contains("grade 9"), "{err}");
    }

    #[test]
    fn csv_fields_are_trimmed_found_by_name_and_checked() {
        // Columns in another order, padded, quoted; no kind or duration column.
        let csv = " grade , reviewed_at ,card,deck\n\
                   \" 3 \", 2026-03-01T09:00:00Z ,\" é,1 \",  D  \n";
        let mut seen = Vec::new();
        read_reviews("log", TableFormat::Csv, csv.as_bytes(), |r, p| {
            seen.push((r.deck.to_string(), r.card.to_string(), p.grade.value()));
            assert_eq!((p.cram, p.duration_ms), (false, 0));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, vec![("D".to_string(), "é,1".to_string(), 3)]);
        for (row, expected) in [
            (
                "D,a,2026-03-01T09:00:00Z,four,,",
                "log:2:1: grade \"four\" is not a number",
            ),
            (
                "D,a,2026-03-01T09:00:00Z,4,,-5",
                "log:2:1: duration_ms \"-5\" is not a whole",
            ),
            (
                "D,a,2026-03-01T09:00:00Z,4,later,",
                "log:2:1: kind \"later\" is not one of",
            ),
        ] {
            let text = format!("deck,card,reviewed_at,grade,kind,duration_ms\n{row}\n");
            let err = collect(TableFormat::Csv, &text).unwrap_err().to_string();
            assert!(err.starts_with(expected), "{err}");
        }
        let mut bytes = b"deck,card,reviewed_at,grade,note\nD,a,2026-03-01T09:00:00Z,4,".to_vec();
        bytes.extend_from_slice(b"\xff\n");
        let err = read_reviews("log", TableFormat::Csv, &bytes[..], |_, _| Ok(()))
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("log:2:1: not UTF-8 text"), "{err}");
    }

    #[test]
    fn a_long_csv_log_comes_in_file_order_and_stops_at_its_first_mistake() {
        let mut text = String::from("deck,card,reviewed_at,grade,kind,duration_ms\n");
        for i in 0..3000 {
            text.push_str(&format!("D,c{i},2026-03-01T09:00:00Z,{},,\n", i % 6));
        }
        let cards = |text: &[u8]| {
            let mut seen = Vec::new();
            let result = read_reviews("log", TableFormat::Csv, text, |r, _| {
                seen.push(r.card.to_string());
                Ok(())
            });
            (result.map_err(|e| e.to_string()), seen)
        };
        let all: Vec<String> = (0..3000).map(|i| format!("c{i}")).collect();
        assert_eq!(cards(text.as_bytes()), (Ok(()), all.clone()));
        // Row 2500 (line 2502): the rows before it are handed on, none after.
        let bad = text.replacen(
            "c2500,2026-03-01T09:00:00Z,4",
            "c2500,2026-03-01T09:00:00Z,x",
            1,
        );
        let (result, seen) = cards(bad.as_bytes());
        let err = result.unwrap_err();
        assert!(err.starts_with("log:2502:1: grade \"x\""), "{err}");
        assert_eq!(seen, all[..2500]);
        // The text failing to be read: where it stopped, after every row before.
        let cut = text.find("D,c2100,").unwrap();
        let failing =
            std::io::Read::chain(&text.as_bytes()[..cut], FailingRead("the disk went away"));
        let mut seen = 0;
        let err = read_reviews("log", TableFormat::Csv, failing, |_, _| {
            seen += 1;
            Ok(())
        })
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("log:2102:") && err.contains("the disk went away"),
            "{err}"
        );
        assert_eq!(seen, 2100);
        // An error of `each` stops the reading and comes back as itself.
        let err = read_reviews("log", TableFormat::Csv, text.as_bytes(), |r, _| {
            match r.card.as_ref() {
                "c1500" => Err(crate::error::Error::invalid("stopped at c1500")),
                _ => Ok(()),
            }
        })
        .unwrap_err();
        assert_eq!(err.to_string(), "stopped at c1500");
    }

    /// A reader whose every read fails with `.0`.
    struct FailingRead(&'static str);

    impl std::io::Read for FailingRead {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other(self.0))
        }
    }

    #[test]
    fn writers_produce_a_header_or_an_array_even_when_empty() {
        let csv = RecordWriter::new(TableFormat::Csv, Vec::new(), &REVIEW_COLUMNS).unwrap();
        assert_eq!(
            String::from_utf8(csv.finish().unwrap()).unwrap(),
            "deck,card,reviewed_at,grade,kind,duration_ms\n"
        );
        let json = RecordWriter::new(TableFormat::Json, Vec::new(), &REVIEW_COLUMNS).unwrap();
        assert_eq!(String::from_utf8(json.finish().unwrap()).unwrap(), "[]\n");
    }
}
