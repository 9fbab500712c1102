//! Deck names as people type them: `aws::rds` finds "AWS · RDS". Anki
//! writes subdecks with `::`, the bundled decks with ` · `; a name typed on
//! the command line or in a query should not have to know which.

/// The form names are compared in: lowercase, each `·`/`::`-separated part
/// trimmed and its inner whitespace collapsed, the parts joined by `::`.
pub fn deck_key(name: &str) -> String {
    name.replace('·', "::")
        .split("::")
        .map(|part| part.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("::")
        .to_lowercase()
}

/// Whether the deck `name` matches a query's `deck:` pattern: the pattern
/// (with `*` for any run of characters) matches the whole name or a parent
/// of it, as Anki's `deck:Lang` also finds `Lang::Spanish`.
pub fn deck_matches(pattern: &str, name: &str) -> bool {
    let (pattern, name) = (deck_key(pattern), deck_key(name));
    glob(&pattern, &name) || glob(&format!("{pattern}::*"), &name)
}

/// `*` matches any run of characters (none included); everything else itself.
pub fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    // The classic two-pointer match with backtracking to the last star:
    // linear in practice, never exponential.
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

/// Why a typed deck name names no single deck.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Unknown {
        typed: String,
        suggestion: Option<String>,
    },
    Ambiguous {
        typed: String,
        candidates: Vec<String>,
    },
}

impl std::fmt::Display for NameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NameError::Unknown {
                typed,
                suggestion: Some(s),
            } => write!(f, "no deck named {typed:?}; did you mean {s:?}?"),
            NameError::Unknown { typed, .. } => {
                write!(f, "no deck named {typed:?}; `recall decks` lists them")
            }
            NameError::Ambiguous { typed, candidates } => write!(
                f,
                "{typed:?} could be any of {}; type the whole name",
                candidates
                    .iter()
                    .map(|c| format!("{c:?}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

/// `deck_key` with the separators themselves ignored: `aws rds`, typed
/// without any, still finds "AWS · RDS".
fn loose_key(name: &str) -> String {
    deck_key(name)
        .replace("::", " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The one deck of `names` that `typed` names: the exact name, else the
/// only one with the same `deck_key`, else the only one with the same
/// `loose_key`. Otherwise an error with the closest name as a suggestion.
pub fn resolve<'a>(typed: &str, names: &'a [String]) -> Result<&'a str, NameError> {
    if let Some(exact) = names.iter().find(|n| *n == typed) {
        return Ok(exact);
    }
    let key = deck_key(typed);
    let mut same: Vec<&String> = names.iter().filter(|n| deck_key(n) == key).collect();
    if same.is_empty() {
        let loose = loose_key(typed);
        same = names.iter().filter(|n| loose_key(n) == loose).collect();
    }
    match same.as_slice() {
        [one] => Ok(one),
        [] => Err(NameError::Unknown {
            typed: typed.to_string(),
            suggestion: closest(&key, names),
        }),
        many => Err(NameError::Ambiguous {
            typed: typed.to_string(),
            candidates: many.iter().map(|s| s.to_string()).collect(),
        }),
    }
}

/// The name closest to `key` by edit distance, if it is close enough to be
/// what was meant (within a third of the longer name's length), or the only
/// name `key` is a part of.
fn closest(key: &str, names: &[String]) -> Option<String> {
    let scored = names.iter().map(|n| {
        let k = deck_key(n);
        let limit = k.chars().count().max(key.chars().count()).div_ceil(3);
        (strsim::levenshtein(key, &k), limit, n)
    });
    if let Some((_, _, best)) = scored
        .filter(|(d, limit, _)| d <= limit)
        .min_by_key(|(d, _, _)| *d)
    {
        return Some(best.clone());
    }
    let containing: Vec<&String> = names
        .iter()
        .filter(|n| !key.is_empty() && deck_key(n).contains(key))
        .collect();
    match containing.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> Vec<String> {
        [
            "AWS · RDS",
            "AWS · Aurora",
            "Lang::Spanish",
            "Lang::French",
            "Lang",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn a_name_typed_without_separators_finds_its_deck() {
        let names = vec!["AWS · RDS".to_string(), "Lang::Spanish".to_string()];
        assert_eq!(resolve("aws rds", &names), Ok("AWS · RDS"));
        assert_eq!(resolve("lang spanish", &names), Ok("Lang::Spanish"));
    }

    #[test]
    fn separators_and_case_do_not_matter() {
        assert_eq!(deck_key("AWS · RDS"), "aws::rds");
        assert_eq!(deck_key(" aws::rds "), "aws::rds");
        assert_eq!(
            deck_key("AWS  ·  Multi-AZ  vs Read"),
            "aws::multi-az vs read"
        );
        assert_eq!(resolve("aws::rds", &names()), Ok("AWS · RDS"));
        assert_eq!(resolve("LANG · spanish", &names()), Ok("Lang::Spanish"));
    }

    #[test]
    fn the_exact_name_wins_over_a_lookalike() {
        let names = vec!["a::b".to_string(), "A · B".to_string()];
        assert_eq!(resolve("A · B", &names), Ok("A · B"));
        assert!(matches!(
            resolve("a · b", &names),
            Err(NameError::Ambiguous { .. })
        ));
    }

    #[test]
    fn an_unknown_name_suggests_the_closest() {
        let err = resolve("AWS · Arora", &names()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no deck named \"AWS · Arora\"; did you mean \"AWS · Aurora\"?"
        );
        let err = resolve("spanish", &names()).unwrap_err();
        assert!(err.to_string().contains("did you mean \"Lang::Spanish\""));
        let err = resolve("Chemistry", &names()).unwrap_err();
        assert!(
            err.to_string().contains("`recall decks` lists them"),
            "{err}"
        );
    }

    #[test]
    fn deck_patterns_match_children_and_wildcards() {
        assert!(deck_matches("lang", "Lang::Spanish"));
        assert!(deck_matches("lang", "Lang"));
        assert!(deck_matches("Lang::*", "Lang · French"));
        assert!(!deck_matches("Lang::*", "Lang"));
        assert!(!deck_matches("lang", "Language"));
        assert!(deck_matches("lang*", "Language"));
        assert!(deck_matches("*rds", "AWS · RDS"));
        assert!(!deck_matches("rds", "AWS · RDS"));
    }

    #[test]
    fn glob_handles_stars_anywhere() {
        assert!(glob("a*b*c", "axxbyyc"));
        assert!(glob("*", ""));
        assert!(!glob("a*b", "ab c"));
        assert!(glob("**a**", "a"));
        assert!(!glob("", "a"));
    }
}
