//! Counts with their noun: "1 day", "2 days", "0 lapses".

use std::fmt::Display;

/// `n` and `word`, with an `s` unless `n` is one ("1 card", "3 cards").
pub fn plural(n: impl Display, word: &str) -> String {
    plural_as(n, word, &format!("{word}s"))
}

/// `n` and `one` or `many`, for a noun whose plural is not an `s`.
pub fn plural_as(n: impl Display, one: &str, many: &str) -> String {
    // Any integer type (usize, u32, i64) says "1" when it is one.
    let n = n.to_string();
    let word = if n == "1" { one } else { many };
    format!("{n} {word}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(plural(1u32, "day"), "1 day");
        assert_eq!(plural(0usize, "lapse"), "0 lapses");
        assert_eq!(plural(2i64, "card"), "2 cards");
        assert_eq!(plural(11u64, "answer"), "11 answers");
        assert_eq!(plural(-1i64, "day"), "-1 days");
        assert_eq!(plural_as(1, "entry", "entries"), "1 entry");
        assert_eq!(plural_as(3, "entry", "entries"), "3 entries");
    }
}
