//! The CSV review log, read as bytes: the columns found once by name from
//! the header row, and only the fields used trimmed and checked.

use std::borrow::Cow;
use std::io::Read;
use std::sync::mpsc;

use super::{ParsedReview, ReviewRecord, parse_error};
use crate::error::Result;

/// The columns a review log cannot do without.
const NEEDED_COLUMNS: [&str; 4] = ["deck", "card", "reviewed_at", "grade"];

pub(super) fn read(
    file: &str,
    input: impl Read + Send,
    mut each: impl FnMut(&ReviewRecord<'_>, ParsedReview) -> Result<()>,
) -> Result<()> {
    let at = |line: u64, message: String| parse_error(file, line, message);
    // Bytes, untrimmed, and no serde: the reader's trimming copied every
    // record twice and serde looked each column up by name, a third of
    // merging 800 000 answers. Only the columns read are trimmed, in place.
    let mut reader = csv::ReaderBuilder::new().from_reader(input);
    let headers = reader.byte_headers().map_err(|e| at(1, e.to_string()))?;
    let columns = CsvColumns::find(headers).map_err(|m| at(1, m))?;
    // Two threads: one of its own splits the text into rows (a third of
    // the reading), while this one checks them and hands them on in the
    // file's order.
    std::thread::scope(|scope| {
        let (full, batches) = mpsc::sync_channel::<Batch>(2);
        let (used, empty) = mpsc::channel::<Vec<csv::ByteRecord>>();
        scope.spawn(move || split_rows(reader, &full, &empty));
        // Returning early drops `batches`: the reader stops at its next send.
        for batch in batches {
            for row in &batch.rows[..batch.len] {
                let line = row.position().map_or(0, csv::Position::line);
                let record = columns.record(row).map_err(|m| at(line, m))?;
                let parsed = record.parse().map_err(|m| at(line, m))?;
                each(&record, parsed)?;
            }
            if let Some((line, message)) = batch.error {
                return Err(at(line, message));
            }
            // Back to the reader for reuse; it fails only once the reader
            // has stopped, when nothing needs them.
            let _ = used.send(batch.rows);
        }
        Ok(())
    })
}

/// Rows per batch handed from the reader to the checks.
const BATCH_ROWS: usize = 1024;

/// Rows of the log, in order: the first `len` of `rows`, then the error
/// that stopped the reader (its line and message), if one did.
struct Batch {
    rows: Vec<csv::ByteRecord>,
    len: usize,
    error: Option<(u64, String)>,
}

/// Reads `reader`'s rows into batches sent to `full`, reusing the rows
/// that come back on `empty`, until the text ends, a mistake in it, or
/// nobody takes them any more.
fn split_rows(
    mut reader: csv::Reader<impl Read>,
    full: &mpsc::SyncSender<Batch>,
    empty: &mpsc::Receiver<Vec<csv::ByteRecord>>,
) {
    loop {
        let mut rows = empty.try_recv().unwrap_or_default();
        rows.resize_with(BATCH_ROWS, csv::ByteRecord::new);
        let (mut len, mut error, mut end) = (0, None, false);
        while len < BATCH_ROWS && !end && error.is_none() {
            let line = reader.position().line();
            match reader.read_byte_record(&mut rows[len]) {
                Ok(true) => len += 1,
                Ok(false) => end = true,
                Err(e) => error = Some((line, e.to_string())),
            }
        }
        let last = end || error.is_some();
        if full.send(Batch { rows, len, error }).is_err() || last {
            return;
        }
    }
}

/// Where the columns of a review record are in a CSV log's rows.
struct CsvColumns {
    deck: usize,
    card: usize,
    reviewed_at: usize,
    grade: usize,
    kind: Option<usize>,
    duration_ms: Option<usize>,
}

impl CsvColumns {
    /// The columns named in the header row (names trimmed, the first of
    /// a repeated name); an error when a needed one is missing.
    fn find(headers: &csv::ByteRecord) -> std::result::Result<CsvColumns, String> {
        let position = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim_ascii() == name.as_bytes())
        };
        let needed = |name: &str| {
            position(name).ok_or_else(|| {
                format!(
                    "the header row has no {name:?} column (needed: {})",
                    NEEDED_COLUMNS.join(",")
                )
            })
        };
        Ok(CsvColumns {
            deck: needed("deck")?,
            card: needed("card")?,
            reviewed_at: needed("reviewed_at")?,
            grade: needed("grade")?,
            kind: position("kind"),
            duration_ms: position("duration_ms"),
        })
    }

    /// `row` as a record borrowing its text; a row that is not UTF-8 or
    /// whose numbers are not numbers is refused with the column named.
    fn record<'r>(
        &self,
        row: &'r csv::ByteRecord,
    ) -> std::result::Result<ReviewRecord<'r>, String> {
        // Every field checked, read or not, as the text reader did.
        let text = std::str::from_utf8(row.as_slice())
            .map_err(|e| format!("not UTF-8 text (byte {} of the row)", e.valid_up_to() + 1))?;
        let field = |i: usize| {
            let range = row.range(i).unwrap_or(0..0);
            text.get(range).unwrap_or("").trim()
        };
        let optional = |i: Option<usize>| i.map(field).filter(|f| !f.is_empty());
        let grade = field(self.grade);
        let duration_ms = optional(self.duration_ms)
            .map(|d| {
                d.parse()
                    .map_err(|_| format!("duration_ms {d:?} is not a whole number of milliseconds"))
            })
            .transpose()?;
        Ok(ReviewRecord {
            deck: Cow::Borrowed(field(self.deck)),
            card: Cow::Borrowed(field(self.card)),
            reviewed_at: Cow::Borrowed(field(self.reviewed_at)),
            grade: grade
                .parse()
                .map_err(|_| format!("grade {grade:?} is not a number between 0 and 5"))?,
            kind: optional(self.kind).map(Cow::Borrowed),
            duration_ms,
        })
    }
}
