//! `recall answer ID --typed TEXT`: the comparison of a typed answer and
//! the grade it suggests, as text and as JSON (the grading itself is
//! `domain::typed`).

use std::io::Write;

use serde::Serialize;

use crate::domain::text::escape_line;
use crate::domain::typed::{self, Comparison, Segment};
use crate::error::Result;

/// The comparison, as `--json` shows it.
#[derive(Serialize)]
pub struct TypedJson<'a> {
    /// Both texts as compared (normalised).
    pub typed: &'a str,
    pub expected: &'a str,
    /// In order: `{"kind": "same" | "missing" | "extra", "text": …}`.
    pub segments: &'a [Segment],
    pub distance: usize,
    pub similarity: f64,
    pub suggested: u8,
    /// What the suggestion says: exact, a typo, close, some overlap, wrong.
    pub verdict: &'static str,
}

impl<'a> From<&'a Comparison> for TypedJson<'a> {
    fn from(c: &'a Comparison) -> Self {
        TypedJson {
            typed: &c.typed,
            expected: &c.expected,
            segments: &c.segments,
            distance: c.distance,
            // Three decimals: enough to read, and the same on every platform.
            similarity: (c.similarity * 1000.0).round() / 1000.0,
            suggested: c.suggested.value(),
            verdict: typed::verdict(c.suggested),
        }
    }
}

/// The comparison in plain text: what was typed with the differences
/// marked, what was expected, and the suggestion.
pub fn print(out: &mut dyn Write, c: &Comparison) -> Result<()> {
    writeln!(out, "typed:     {}", escape_line(&c.marked()))?;
    writeln!(out, "expected:  {}", escape_line(&c.expected))?;
    writeln!(
        out,
        "suggested: {} ({}, similarity {:.2})",
        c.suggested.value(),
        typed::verdict(c.suggested),
        c.similarity
    )?;
    Ok(())
}
