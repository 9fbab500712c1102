//! The line format of a device's sync log (docs/sync.md): one JSON object
//! a line, `{"v":1,"seq":N,"kind":…}`, and the split of a file's new bytes
//! into complete lines and a partial tail (a sync tool may have copied the
//! file in the middle of a write).

use serde::{Deserialize, Serialize};

use crate::domain::log::LoggedAnswer;
use crate::domain::sync_event::{CardFlags, CardName, Event, Token};
use crate::domain::{Day, Grade};

/// The format version this recall writes and the newest it reads.
pub const VERSION: u32 = 1;

/// One line as written: the version, its number in the file, the event.
#[derive(Serialize, Deserialize)]
struct Wire {
    v: u32,
    seq: u64,
    #[serde(flatten)]
    body: Body,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
enum Body {
    Device {
        device: String,
        incarnation: String,
    },
    Answer {
        deck: String,
        card: String,
        at_ms: i64,
        utc_offset: i32,
        day: i64,
        grade: u8,
        cram: bool,
        duration_ms: u32,
    },
    Undo {
        deck: String,
        card: String,
        at_ms: i64,
    },
    State {
        deck: String,
        card: String,
        at_ms: i64,
        suspended: bool,
        buried_until: Option<i64>,
    },
    Reset {
        deck: String,
        card: String,
        at_ms: i64,
    },
    Delete {
        deck: String,
        card: String,
        at_ms: i64,
    },
    Revive {
        deck: String,
        card: String,
        at_ms: i64,
    },
    Rename {
        deck: String,
        to: String,
        at_ms: i64,
    },
}

/// Why a complete line could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineError {
    /// Written by a newer recall: this one must not guess at it.
    Newer(u64),
    Bad(String),
}

/// The line for event number `seq`, with its `\n`.
pub fn encode(seq: u64, event: &Event) -> String {
    let body = match event.clone() {
        Event::Device {
            device,
            incarnation,
        } => Body::Device {
            device: device.as_str().to_string(),
            incarnation: incarnation.as_str().to_string(),
        },
        Event::Answer { card, answer } => Body::Answer {
            deck: card.deck,
            card: card.card,
            at_ms: answer.reviewed_at_ms,
            utc_offset: answer.utc_offset_secs,
            day: answer.day.0,
            grade: answer.grade.value(),
            cram: answer.cram,
            duration_ms: answer.duration_ms,
        },
        Event::Undo { card, at_ms } => Body::Undo {
            deck: card.deck,
            card: card.card,
            at_ms,
        },
        Event::State { card, at_ms, state } => Body::State {
            deck: card.deck,
            card: card.card,
            at_ms,
            suspended: state.suspended,
            buried_until: state.buried_until.map(|d| d.0),
        },
        Event::Reset { card, at_ms } => Body::Reset {
            deck: card.deck,
            card: card.card,
            at_ms,
        },
        Event::Delete { card, at_ms } => Body::Delete {
            deck: card.deck,
            card: card.card,
            at_ms,
        },
        Event::Revive { card, at_ms } => Body::Revive {
            deck: card.deck,
            card: card.card,
            at_ms,
        },
        Event::Rename { from, to, at_ms } => Body::Rename {
            deck: from,
            to,
            at_ms,
        },
    };
    let wire = Wire {
        v: VERSION,
        seq,
        body,
    };
    // Strings, integers and bools only: serialising cannot fail.
    let mut line = serde_json::to_string(&wire).unwrap_or_default();
    line.push('\n');
    line
}

/// Reads one line (without its `\n`): its seq and event.
pub fn decode(line: &[u8]) -> Result<(u64, Event), LineError> {
    let value: serde_json::Value =
        serde_json::from_slice(line).map_err(|e| LineError::Bad(format!("not JSON: {e}")))?;
    // The version first: a newer line may have fields this recall lacks.
    let v = value
        .get("v")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| LineError::Bad("no format version \"v\"".into()))?;
    if v > u64::from(VERSION) {
        return Err(LineError::Newer(v));
    }
    let wire: Wire = serde_json::from_value(value).map_err(|e| LineError::Bad(e.to_string()))?;
    Ok((wire.seq, event_of(wire.body)?))
}

fn event_of(body: Body) -> Result<Event, LineError> {
    let token = |field: &str, text: &str| {
        Token::parse(text).ok_or_else(|| LineError::Bad(format!("{field} is not 32 hex digits")))
    };
    Ok(match body {
        Body::Device {
            device,
            incarnation,
        } => Event::Device {
            device: token("device", &device)?,
            incarnation: token("incarnation", &incarnation)?,
        },
        Body::Answer {
            deck,
            card,
            at_ms,
            utc_offset,
            day,
            grade,
            cram,
            duration_ms,
        } => Event::Answer {
            card: CardName { deck, card },
            answer: LoggedAnswer {
                reviewed_at_ms: at_ms,
                utc_offset_secs: utc_offset,
                day: Day(day),
                grade: Grade::new(grade)
                    .ok_or_else(|| LineError::Bad(format!("grade {grade} is not 0 to 5")))?,
                cram,
                duration_ms,
            },
        },
        Body::Undo { deck, card, at_ms } => Event::Undo {
            card: CardName { deck, card },
            at_ms,
        },
        Body::State {
            deck,
            card,
            at_ms,
            suspended,
            buried_until,
        } => Event::State {
            card: CardName { deck, card },
            at_ms,
            state: CardFlags {
                suspended,
                buried_until: buried_until.map(Day),
            },
        },
        Body::Reset { deck, card, at_ms } => Event::Reset {
            card: CardName { deck, card },
            at_ms,
        },
        Body::Delete { deck, card, at_ms } => Event::Delete {
            card: CardName { deck, card },
            at_ms,
        },
        Body::Revive { deck, card, at_ms } => Event::Revive {
            card: CardName { deck, card },
            at_ms,
        },
        Body::Rename { deck, to, at_ms } => Event::Rename {
            from: deck,
            to,
            at_ms,
        },
    })
}

/// The complete lines of `bytes` (each without its `\n`, with the offset
/// just past it), and whether bytes after the last `\n` remain.
pub fn complete_lines(bytes: &[u8]) -> (Vec<(&[u8], usize)>, bool) {
    let mut lines = Vec::new();
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', bytes) {
        lines.push((&bytes[start..end], end + 1));
        start = end + 1;
    }
    (lines, start < bytes.len())
}

/// The hash a read position keeps of the last line read (with its `\n`).
pub fn line_hash(line_with_newline: &[u8]) -> String {
    format!("{:016x}", crate::fnv::fnv1a(line_with_newline))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::log::answer_on;

    fn card() -> CardName {
        CardName {
            deck: "rds \"quoted\"".into(),
            card: "multi-az".into(),
        }
    }

    #[test]
    fn every_event_reads_back_as_written() {
        let events = [
            Event::Device {
                device: Token::from_bits(0xabc),
                incarnation: Token::from_bits(u128::MAX),
            },
            Event::Answer {
                card: card(),
                answer: LoggedAnswer {
                    utc_offset_secs: -18_000,
                    cram: true,
                    duration_ms: 5200,
                    ..answer_on(20_423, 4)
                },
            },
            Event::Undo {
                card: card(),
                at_ms: 1_764_583_200_123,
            },
            Event::State {
                card: card(),
                at_ms: 9,
                state: CardFlags {
                    suspended: true,
                    buried_until: Some(Day(20_424)),
                },
            },
            Event::Reset {
                card: card(),
                at_ms: 10,
            },
            Event::Delete {
                card: card(),
                at_ms: 11,
            },
            Event::Revive {
                card: card(),
                at_ms: 12,
            },
            Event::Rename {
                from: "rds".into(),
                to: "aws::rds \"new\"".into(),
                at_ms: 13,
            },
        ];
        for (seq, event) in events.iter().enumerate() {
            let line = encode(seq as u64, event);
            assert!(line.ends_with('\n') && !line[..line.len() - 1].contains('\n'));
            let back = decode(line.trim_end().as_bytes()).expect("reads back");
            assert_eq!(back, (seq as u64, event.clone()));
        }
    }

    #[test]
    fn the_line_starts_with_the_version_seq_and_kind() {
        let line = encode(
            7,
            &Event::Undo {
                card: card(),
                at_ms: 5,
            },
        );
        assert!(
            line.starts_with(r#"{"v":1,"seq":7,"kind":"undo","deck":"#),
            "{line}"
        );
    }

    #[test]
    fn a_newer_version_is_refused_whatever_its_fields() {
        let line = br#"{"v":2,"seq":1,"kind":"teleport","where":"mars"}"#;
        assert_eq!(decode(line), Err(LineError::Newer(2)));
    }

    #[test]
    fn bad_lines_say_what_is_wrong() {
        let cases: [(&[u8], &str); 4] = [
            (b"{\"v\":1,\"seq\":1", "not JSON"),
            (b"{\"seq\":1}", "no format version"),
            (
                br#"{"v":1,"seq":1,"kind":"answer","deck":"d","card":"c","at_ms":1,"utc_offset":0,"day":1,"grade":9,"cram":false,"duration_ms":0}"#,
                "grade 9",
            ),
            (
                br#"{"v":1,"seq":0,"kind":"device","device":"../../etc","incarnation":"x"}"#,
                "device is not 32 hex digits",
            ),
        ];
        for (line, expected) in cases {
            match decode(line) {
                Err(LineError::Bad(message)) => assert!(message.contains(expected), "{message}"),
                other => panic!("{other:?} for {}", String::from_utf8_lossy(line)),
            }
        }
    }

    #[test]
    fn a_partial_last_line_is_not_a_line() {
        let (lines, partial) = complete_lines(b"one\ntwo\nthr");
        assert_eq!(lines, vec![(&b"one"[..], 4), (&b"two"[..], 8)]);
        assert!(partial);
        let (lines, partial) = complete_lines(b"one\n");
        assert_eq!(lines.len(), 1);
        assert!(!partial);
    }
}
