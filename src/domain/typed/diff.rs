//! The character diff of a typed answer: what matches, what is missing,
//! what is extra, as runs (`Segment`s).

use super::Segment;

/// The character diff keeps a table of both lengths' product: past this
/// product it marks only the common start and end as the same.
const MAX_DIFF_CELLS: usize = 1 << 20;

/// The runs of `typed` against `expected`: a longest common subsequence
/// of characters marks what matches; between matches, what was typed is
/// extra and what was expected is missing (extra first, as Anki shows it).
pub(super) fn diff(typed: &[char], expected: &[char]) -> Vec<Segment> {
    let start = typed
        .iter()
        .zip(expected)
        .take_while(|(a, b)| a == b)
        .count();
    let end = typed[start..]
        .iter()
        .rev()
        .zip(expected[start..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let (t, e) = (
        &typed[start..typed.len() - end],
        &expected[start..expected.len() - end],
    );
    let mut out = Runs::default();
    out.push(Kind::Same, &typed[..start]);
    if t.len().saturating_mul(e.len()) > MAX_DIFF_CELLS {
        out.push(Kind::Extra, t);
        out.push(Kind::Missing, e);
    } else {
        middle(t, e, &mut out);
    }
    out.push(Kind::Same, &typed[typed.len() - end..]);
    out.0
}

/// The LCS diff of the part between the common start and end.
fn middle(t: &[char], e: &[char], out: &mut Runs) {
    // lcs[i][j]: the longest common subsequence of t[i..] and e[j..].
    let width = e.len() + 1;
    let mut lcs = vec![0u32; (t.len() + 1) * width];
    for i in (0..t.len()).rev() {
        for j in (0..e.len()).rev() {
            lcs[i * width + j] = if t[i] == e[j] {
                lcs[(i + 1) * width + j + 1] + 1
            } else {
                lcs[(i + 1) * width + j].max(lcs[i * width + j + 1])
            };
        }
    }
    let (mut i, mut j) = (0, 0);
    while i < t.len() || j < e.len() {
        if i < t.len() && j < e.len() && t[i] == e[j] {
            out.push(Kind::Same, &t[i..=i]);
            i += 1;
            j += 1;
        } else if i < t.len()
            && (j == e.len() || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])
        {
            out.push(Kind::Extra, &t[i..=i]);
            i += 1;
        } else {
            out.push(Kind::Missing, &e[j..=j]);
            j += 1;
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Same,
    Missing,
    Extra,
}

/// Segments being built: characters of one kind in a row join one run.
#[derive(Default)]
struct Runs(Vec<Segment>);

impl Runs {
    fn push(&mut self, kind: Kind, chars: &[char]) {
        match (self.0.last_mut(), kind) {
            _ if chars.is_empty() => {}
            (Some(Segment::Same(s)), Kind::Same)
            | (Some(Segment::Missing(s)), Kind::Missing)
            | (Some(Segment::Extra(s)), Kind::Extra) => s.extend(chars),
            _ => {
                let run = chars.iter().collect();
                self.0.push(match kind {
                    Kind::Same => Segment::Same(run),
                    Kind::Missing => Segment::Missing(run),
                    Kind::Extra => Segment::Extra(run),
                });
            }
        }
    }
}
