//! Reading another device's log from where this database stopped, as
//! `log_file` loaded it (a truncated or rewritten file is read again from
//! the start, which the idempotent merge makes harmless): the complete new
//! lines, each fault reported with the file and line (docs/sync.md).

use super::log_file::{Loaded, WINDOW};
use crate::domain::sync_event::{Event, Token};
use crate::formats::sync_log::{self, LineError};
use crate::storage::{LogPosition, PeerCursor};

/// What reading a log found: its new events and the position after them.
#[derive(Debug)]
pub struct Read {
    pub events: Vec<Event>,
    pub cursor: PeerCursor,
}

/// Reads `device`'s log (`loaded` by `load_for`, from `file`) on from
/// `cursor`. `None`: nothing may be merged from it this time (a newer
/// format version, no header); the reason is in `warnings`.
pub fn read(
    file: &str,
    loaded: &Loaded,
    device: &Token,
    cursor: Option<PeerCursor>,
    warnings: &mut Vec<String>,
) -> Option<Read> {
    let Some((named, incarnation)) = loaded.header.clone() else {
        if loaded.first_line || loaded.len > WINDOW {
            warnings.push(format!(
                "{file}:1: not a recall sync log (its first line does not name a device, or was \
                 written by a newer recall); nothing was read from it"
            ));
        }
        return None;
    };
    if &named != device {
        warnings.push(format!(
            "{file}:1: the log names device {named}, not the folder's {device}; nothing was \
             read from it"
        ));
        return None;
    }
    let mut cursor = match cursor {
        Some(c) if c.incarnation == incarnation && loaded.intact(&c.read) => c,
        previous => {
            if let Some(c) = previous {
                warnings.push(format!(
                    "{file}: truncated or rewritten since the last sync (it was {} bytes read, \
                     now {} bytes); read again from the start, nothing is counted twice",
                    c.read.bytes, loaded.len
                ));
            }
            PeerCursor {
                device: device.clone(),
                incarnation,
                read: LogPosition::START,
                last_event_ms: None,
                events: 0,
            }
        }
    };
    // Not intact: `load_for` read the whole file.
    if loaded.from != cursor.read.bytes {
        return None;
    }
    let events = read_lines(file, loaded, &mut cursor, warnings)?;
    Some(Read { events, cursor })
}

/// The complete lines after `cursor` (where `loaded` starts), which moves
/// past each line read.
fn read_lines(
    file: &str,
    loaded: &Loaded,
    cursor: &mut PeerCursor,
    warnings: &mut Vec<String>,
) -> Option<Vec<Event>> {
    let (from, bytes) = (loaded.from, &loaded.bytes[..]);
    // Line `seq` is line `seq + 1` (a gap was reported when it was read).
    let mut line_no = usize::try_from(cursor.read.seq + 1).unwrap_or(0);
    let (lines, partial) = sync_log::complete_lines(bytes);
    let mut events = Vec::new();
    let mut read = cursor.read.clone();
    let mut start = 0;
    let mut stopped = false;
    for (line, end) in lines {
        line_no += 1;
        match sync_log::decode(line) {
            Err(LineError::Newer(v)) => {
                warnings.push(format!(
                    "{file}:{line_no}: written by a newer recall (format version {v}; this one \
                     reads {}); nothing was merged from this file: upgrade recall",
                    sync_log::VERSION
                ));
                return None;
            }
            Err(LineError::Bad(message)) => {
                warnings.push(format!(
                    "{file}:{line_no}: {message}; the lines before it were merged, this one \
                     and those after it wait for the next sync"
                ));
                stopped = true;
                break;
            }
            Ok((seq, event)) => {
                if i64::try_from(seq).ok() != Some(read.seq + 1) {
                    warnings.push(format!(
                        "{file}:{line_no}: line number {seq} where {} was expected (lines \
                         missing or repeated); merged anyway",
                        read.seq + 1
                    ));
                }
                read = LogPosition {
                    bytes: from + end as u64,
                    seq: i64::try_from(seq).unwrap_or(i64::MAX),
                    hash: sync_log::line_hash(&bytes[start..end]),
                };
                if let Some(at) = event.at_ms() {
                    cursor.last_event_ms = Some(cursor.last_event_ms.map_or(at, |l| l.max(at)));
                    cursor.events += 1;
                    events.push(event);
                }
            }
        }
        start = end;
    }
    if partial && !stopped {
        warnings.push(format!(
            "{file}:{}: incomplete last line (the file is still being copied?); it waits for \
             the next sync",
            line_no + 1
        ));
    }
    cursor.read = read;
    Some(events)
}

#[cfg(test)]
mod tests {
    use super::super::log_file::load_for;
    use super::*;
    use crate::domain::log::answer_on;
    use crate::domain::sync_event::CardName;

    fn log(device: &Token, answers: i64) -> Vec<u8> {
        log_of(device, 7, answers)
    }

    fn log_of(device: &Token, incarnation: u128, answers: i64) -> Vec<u8> {
        let mut text = sync_log::encode(
            0,
            &Event::Device {
                device: device.clone(),
                incarnation: Token::from_bits(incarnation),
            },
        );
        for day in 1..=answers {
            let event = Event::Answer {
                card: CardName {
                    deck: "d".into(),
                    card: format!("c{day}"),
                },
                answer: answer_on(day, 4),
            };
            text.push_str(&sync_log::encode(day as u64, &event));
        }
        text.into_bytes()
    }

    /// `bytes` as the file `f` in a temp dir, loaded and read as a sync does.
    fn read(
        _: &str,
        bytes: &[u8],
        device: &Token,
        cursor: Option<PeerCursor>,
        warnings: &mut Vec<String>,
    ) -> Option<Read> {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f");
        std::fs::write(&path, bytes).expect("written");
        let loaded = load_for(&path, cursor.as_ref())
            .expect("read")
            .expect("there");
        super::read("f", &loaded, device, cursor, warnings)
    }

    #[test]
    fn a_log_read_twice_gives_its_new_lines_only() {
        let device = Token::from_bits(1);
        let bytes = log(&device, 3);
        let mut warnings = Vec::new();
        let first =
            read("f", &bytes[..bytes.len() - 1], &device, None, &mut warnings).expect("readable");
        // The last line lacks its newline: two answers, one partial line.
        assert_eq!(first.events.len(), 2);
        assert!(
            warnings[0].contains("f:4: incomplete last line"),
            "{warnings:?}"
        );
        warnings.clear();
        let second = read("f", &bytes, &device, Some(first.cursor), &mut warnings).expect("ok");
        assert_eq!(second.events.len(), 1);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(second.cursor.read.bytes, bytes.len() as u64);
        assert_eq!(second.cursor.events, 3);
    }

    #[test]
    fn a_shorter_file_is_read_again_from_the_start() {
        let device = Token::from_bits(1);
        let bytes = log(&device, 3);
        let mut warnings = Vec::new();
        let all = read("f", &bytes, &device, None, &mut warnings).expect("ok");
        let shorter = log(&device, 2);
        let again = read("f", &shorter, &device, Some(all.cursor), &mut warnings).expect("ok");
        assert_eq!(again.events.len(), 2);
        assert!(
            warnings[0].contains("truncated or rewritten"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_newer_line_stops_the_whole_file() {
        let device = Token::from_bits(1);
        let mut bytes = log(&device, 2);
        bytes.extend_from_slice(b"{\"v\":2,\"seq\":3}\n");
        let mut warnings = Vec::new();
        assert!(read("f", &bytes, &device, None, &mut warnings).is_none());
        assert!(
            warnings[0].contains("f:4: written by a newer recall"),
            "{warnings:?}"
        );
    }

    #[test]
    fn a_log_in_another_devices_folder_is_not_read() {
        let bytes = log(&Token::from_bits(1), 1);
        let mut warnings = Vec::new();
        assert!(read("f", &bytes, &Token::from_bits(2), None, &mut warnings).is_none());
        assert!(warnings[0].contains("names device"), "{warnings:?}");
    }

    #[test]
    fn a_log_with_nothing_new_is_read_from_its_position_only() {
        let device = Token::from_bits(1);
        let bytes = log(&device, 500);
        let mut warnings = Vec::new();
        let all = read("f", &bytes, &device, None, &mut warnings).expect("ok");
        assert_eq!(all.events.len(), 500);
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("f");
        std::fs::write(&path, &bytes).expect("written");
        let loaded = load_for(&path, Some(&all.cursor))
            .expect("read")
            .expect("there");
        assert!(loaded.intact(&all.cursor.read));
        assert_eq!((loaded.from, loaded.bytes.len()), (bytes.len() as u64, 0));
        let again = super::read("f", &loaded, &device, Some(all.cursor), &mut warnings);
        assert_eq!(again.expect("ok").events.len(), 0);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn a_log_rewritten_to_the_same_length_is_read_again() {
        let device = Token::from_bits(1);
        let bytes = log(&device, 3);
        let mut warnings = Vec::new();
        let all = read("f", &bytes, &device, None, &mut warnings).expect("ok");
        // The last answer changed (grade 4 to 3): the line at the position differs.
        let text = String::from_utf8(bytes.clone()).expect("text");
        let at = text.rfind("\"grade\":4").expect("a grade");
        let mut changed = bytes.clone();
        changed[at + 8] = b'3';
        let again = read(
            "f",
            &changed,
            &device,
            Some(all.cursor.clone()),
            &mut warnings,
        );
        assert_eq!(again.expect("ok").events.len(), 3);
        assert!(
            warnings[0].contains("truncated or rewritten"),
            "{warnings:?}"
        );
        // Another incarnation with the very same lines after its first.
        warnings.clear();
        let restarted = log_of(&device, 8, 3);
        let again = read("f", &restarted, &device, Some(all.cursor), &mut warnings);
        assert_eq!(again.expect("ok").events.len(), 3);
        assert!(
            warnings[0].contains("truncated or rewritten"),
            "{warnings:?}"
        );
    }
}
