//! Ids for cards whose file gives none: derived from the front. They are
//! stored, and re-imports match cards by them, so they may never change.

use crate::fnv::fnv1a;

/// Derived ids made unique within one deck of a file other programs made,
/// where two cards may share a front (Anki imports both): the first keeps
/// `derived_id(front)`, later ones get `-2`, `-3`, … in file order, so a
/// re-import of the same file gives every card the same id again.
#[derive(Default)]
pub struct UniqueIds {
    taken: foldhash::HashSet<String>,
    /// For an id given out more than once, the suffix to try next: a file
    /// of 100 000 equal fronts must not try `-2` … `-n` for each.
    next: foldhash::HashMap<String, u64>,
    repeats: usize,
}

impl UniqueIds {
    /// The id for a card with this front.
    pub fn derive(&mut self, front: &str) -> String {
        self.unique(derived_id(front))
    }

    /// `id`, or the first of `id-2`, `id-3`, … not yet given out.
    pub fn unique(&mut self, id: String) -> String {
        if !self.taken.contains(&id) {
            self.taken.insert(id.clone());
            return id;
        }
        self.repeats += 1;
        let next = self.next.entry(id.clone()).or_insert(2);
        loop {
            let candidate = format!("{id}-{next}");
            *next += 1;
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
        }
    }

    /// How many ids were given a suffix because theirs was taken.
    pub fn repeats(&self) -> usize {
        self.repeats
    }
}

/// A stable id for a card whose file gives none: a readable slug of the
/// front plus a short hash, so that equal-looking fronts still differ.
pub fn derived_id(front: &str) -> String {
    const SLUG_CHARS: usize = 40;
    let mut slug = String::with_capacity(SLUG_CHARS + 9);
    let mut chars = 0;
    // Lower-cased alphanumerics, any run of other characters as one '-'.
    let mut push = |(c, alphanumeric): (char, bool)| {
        if alphanumeric {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        } else {
            return true;
        }
        chars += 1;
        chars < SLUG_CHARS
    };
    for c in front.chars() {
        let more = match slug_char(c) {
            Some(lower) => push(lower),
            None => c
                .to_lowercase()
                .all(|lower| push((lower, lower.is_alphanumeric()))),
        };
        if !more {
            break;
        }
    }
    slug.truncate(slug.trim_end_matches('-').len());
    slug.push('-');
    let hash = fnv1a(front.as_bytes()) as u32;
    slug.extend(
        (0..8)
            .rev()
            .map(|i| char::from_digit((hash >> (i * 4)) & 0xf, 16).unwrap_or('0')),
    );
    slug
}

/// `c` lower-cased, when that is one character, and whether that is
/// alphanumeric: from a table for the alphabets below U+0800 (Latin,
/// Greek, Cyrillic, Hebrew, Arabic …). std's Unicode look-ups (binary
/// searches) were a quarter of parsing a 100 000-card file; the table is
/// filled once, by std itself, so the answers are std's.
fn slug_char(c: char) -> Option<(char, bool)> {
    const TABLE_END: u32 = 0x800;
    static TABLE: std::sync::OnceLock<Vec<Option<(char, bool)>>> = std::sync::OnceLock::new();
    if c.is_ascii() {
        let lower = c.to_ascii_lowercase();
        return Some((lower, lower.is_ascii_alphanumeric()));
    }
    let code = u32::from(c);
    if code >= TABLE_END {
        return None;
    }
    let table = TABLE.get_or_init(|| {
        (0..TABLE_END)
            .map(|code| {
                let mut lower = char::from_u32(code)?.to_lowercase();
                let first = lower.next()?;
                lower
                    .next()
                    .is_none()
                    .then_some((first, first.is_alphanumeric()))
            })
            .collect()
    });
    table.get(code as usize).copied().flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `derived_id` as first written: ids are stored, so a faster version
    /// must give the very same ones or re-imports would lose progress.
    fn derived_id_reference(front: &str) -> String {
        let mut slug = String::new();
        for c in front.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                slug.push(c);
            } else if !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
            if slug.chars().count() >= 40 {
                break;
            }
        }
        let slug = slug.trim_end_matches('-');
        format!("{slug}-{:08x}", fnv1a(front.as_bytes()) as u32)
    }

    proptest::proptest! {
        #[test]
        fn derived_ids_never_change(front in "\\PC{0,80}", ascii in "[ -~]{0,80}") {
            proptest::prop_assert_eq!(derived_id(&front), derived_id_reference(&front));
            proptest::prop_assert_eq!(derived_id(&ascii), derived_id_reference(&ascii));
        }
    }

    #[test]
    fn shared_fronts_get_numbered_ids_in_file_order() {
        let mut ids = UniqueIds::default();
        let first = ids.derive("飲む");
        assert_eq!(first, derived_id("飲む"));
        assert_eq!(ids.derive("飲む"), format!("{first}-2"));
        assert_eq!(ids.derive("飲む"), format!("{first}-3"));
        assert_eq!(ids.unique("x-2".into()), "x-2");
        assert_eq!(ids.unique("x".into()), "x");
        assert_eq!(ids.unique("x".into()), "x-3");
        assert_eq!(ids.repeats(), 3);
    }

    #[test]
    fn many_equal_fronts_cost_one_step_each() {
        let mut ids = UniqueIds::default();
        for n in 1..=50_000 {
            let id = ids.unique("same".into());
            assert_eq!(id == "same", n == 1);
        }
        assert_eq!(ids.unique("same".into()), "same-50001");
    }

    #[test]
    fn derived_ids_are_readable_and_stable() {
        for front in ["İstanbul ΣΑΣ", "", "---", "ß straße ǅ", &"a-".repeat(60)] {
            assert_eq!(derived_id(front), derived_id_reference(front), "{front}");
        }
        let id = derived_id("Which ElastiCache engine is multi-threaded?");
        assert!(id.starts_with("which-elasticache-engine-is-multi-"), "{id}");
        assert!(id.chars().count() <= 40 + 9, "{id}");
        assert_eq!(
            id,
            derived_id("Which ElastiCache engine is multi-threaded?")
        );
        assert_ne!(id, derived_id("Which ElastiCache engine is multi-threaded"));
        assert!(derived_id("東京は？").starts_with("東京は-"));
    }
}
