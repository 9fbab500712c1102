//! Reading another device's log from where this database stopped: the
//! position checked first (a truncated or rewritten file is read again from
//! the start, which the idempotent merge makes harmless), then the complete
//! new lines, each fault reported with the file and line (docs/sync.md).

use std::path::Path;

use crate::domain::sync_event::{Event, Token};
use crate::error::{Error, Result};
use crate::formats::sync_log::{self, LineError};
use crate::storage::{LogPosition, PeerCursor};

/// The largest log read (a million answers are some 200 MB).
pub const MAX_LOG_BYTES: u64 = 1 << 30;

/// What reading a log found: its new events and the position after them.
#[derive(Debug)]
pub struct Read {
    pub events: Vec<Event>,
    pub cursor: PeerCursor,
}

/// The bytes of a log, bounded; `None` when there is no such file.
pub fn load(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::io(path, e)),
        Ok(meta) if meta.len() > MAX_LOG_BYTES => {
            return Err(Error::File {
                file: path.display().to_string(),
                message: format!("{} bytes is over the limit of {MAX_LOG_BYTES}", meta.len()),
            });
        }
        Ok(_) => {}
    }
    std::fs::read(path)
        .map(Some)
        .map_err(|e| Error::io(path, e))
}

/// The log's first line, which names its device and incarnation.
pub fn header(bytes: &[u8]) -> Option<(Token, Token)> {
    let end = memchr::memchr(b'\n', bytes)?;
    match sync_log::decode(&bytes[..end]) {
        Ok((
            0,
            Event::Device {
                device,
                incarnation,
            },
        )) => Some((device, incarnation)),
        _ => None,
    }
}

/// Whether `bytes` still holds what was read up to `at`: as long, and the
/// line ending there the same.
pub fn still_there(bytes: &[u8], at: &LogPosition) -> bool {
    let Ok(end) = usize::try_from(at.bytes) else {
        return false;
    };
    if end == 0 {
        return true;
    }
    if end > bytes.len() || bytes[end - 1] != b'\n' {
        return false;
    }
    let start = memchr::memrchr(b'\n', &bytes[..end - 1]).map_or(0, |i| i + 1);
    sync_log::line_hash(&bytes[start..end]) == at.hash
}

/// Reads `device`'s log (`bytes`, from `file`) on from `cursor`. `None`:
/// nothing may be merged from it this time (a newer format version, no
/// header); the reason is in `warnings`.
pub fn read(
    file: &str,
    bytes: &[u8],
    device: &Token,
    cursor: Option<PeerCursor>,
    warnings: &mut Vec<String>,
) -> Option<Read> {
    let Some((named, incarnation)) = header(bytes) else {
        if bytes.contains(&b'\n') {
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
        Some(c) if c.incarnation == incarnation && still_there(bytes, &c.read) => c,
        previous => {
            if let Some(c) = previous {
                warnings.push(format!(
                    "{file}: truncated or rewritten since the last sync (it was {} bytes read, \
                     now {} bytes); read again from the start, nothing is counted twice",
                    c.read.bytes,
                    bytes.len()
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
    let events = read_lines(file, bytes, &mut cursor, warnings)?;
    Some(Read { events, cursor })
}

/// The complete lines after `cursor`, which moves past each line read.
fn read_lines(
    file: &str,
    bytes: &[u8],
    cursor: &mut PeerCursor,
    warnings: &mut Vec<String>,
) -> Option<Vec<Event>> {
    // In range: `still_there` checked it.
    let from = usize::try_from(cursor.read.bytes).unwrap_or(0);
    let mut line_no = memchr::memchr_iter(b'\n', &bytes[..from]).count();
    let (lines, partial) = sync_log::complete_lines(&bytes[from..]);
    let mut events = Vec::new();
    let mut read = cursor.read.clone();
    let mut start = from;
    let mut stopped = false;
    for (line, end) in lines {
        line_no += 1;
        let end = from + end;
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
                    bytes: end as u64,
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
    use super::*;
    use crate::domain::log::answer_on;
    use crate::domain::sync_event::CardName;

    fn log(device: &Token, answers: i64) -> Vec<u8> {
        let mut text = sync_log::encode(
            0,
            &Event::Device {
                device: device.clone(),
                incarnation: Token::from_bits(7),
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
}
