//! Lexical craft checks for flashcards (issue 15): near-duplicate cards
//! and fronts that give their answer away (box diagrams: `craft_boxes`).
//! Used by `decks_craft` on the bundled decks; proven on literal fixtures
//! in `craft_fixtures`.
//!
//! Lexical on purpose: no model, deterministic, and explainable in a
//! failure message. So it catches duplicates that share words, not those
//! that only share meaning ("highly optimized for" and "best for").

use std::collections::{HashMap, HashSet};

/// A card as the checks see it.
#[derive(Debug, Clone, Copy)]
pub struct Card<'a> {
    pub deck: &'a str,
    pub key: &'a str,
    pub front: &'a str,
    pub back: &'a str,
}

impl Card<'_> {
    /// The entry a card came from: `id` of `id:reverse` and `id:c1`.
    fn entry(&self) -> (&str, &str) {
        (self.deck, self.key.split(':').next().unwrap_or(self.key))
    }

    /// A cloze card's front is its back with a blank: it always holds
    /// most of the back's words, by design.
    fn is_cloze(&self) -> bool {
        self.key
            .rsplit_once(":c")
            .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    }

    pub fn name(&self) -> String {
        format!("{} / {}", self.deck, self.key)
    }
}

/// Words that carry no fact: grammar and question words.
const STOP: &str = "a an the of to in on for and or is are be by with what which who how does do \
    did its it this that as at from per s into than can you your when why up many much times \
    one two three four five should use used uses using whose where there their they them has \
    have had not no";

/// The framing that the bundled decks put around a question ("per the
/// lesson's table", "Quick Reference Card: …"): not what a front asks.
const FRAME: &str = "lesson table quick reference card tip checklist decision tree framework \
    question scenario example diagram";

/// Words, split at anything that is not a letter or digit.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A crude stem of a word, lowercased, so that "traversing" meets
/// "traversal" and "relationships" meets "relationship". Identifiers (with
/// a digit or a capital inside: "ReplicaUpdates", "v2") stay whole.
fn stem(word: &str) -> String {
    let inner_capital = word.chars().skip(1).any(char::is_uppercase);
    let word = word.to_lowercase();
    if inner_capital || word.chars().any(|c| c.is_ascii_digit()) {
        return word;
    }
    let mut base = word.as_str();
    for suffix in ["ing", "ed", "es", "s", "al", "ly"] {
        if let Some(stripped) = word.strip_suffix(suffix)
            && stripped.len() >= 4
        {
            base = stripped;
            break;
        }
    }
    base.chars().take(6).collect()
}

/// The stems of a text's content words, in order.
pub fn content(text: &str) -> Vec<String> {
    without(text, STOP)
}

/// What a front asks: its content words without a leading label or the
/// decks' framing words.
fn asked(front: &str) -> Vec<String> {
    let frame: HashSet<&str> = FRAME.split_whitespace().collect();
    without(unlabelled(front), STOP)
        .into_iter()
        .filter(|w| !frame.contains(w.as_str()))
        .collect()
}

fn without(text: &str, stop: &str) -> Vec<String> {
    let stop: HashSet<&str> = stop.split_whitespace().collect();
    words(text)
        .filter(|w| !stop.contains(w.to_lowercase().as_str()))
        .map(stem)
        .collect()
}

/// An answer without its parenthesised asides ("Lazy loading
/// (cache-aside)"), unless that leaves nothing; an acronym before its
/// expansion is the answer alone ("ACUs (Aurora Capacity Units)": a front
/// asking "what unit is capacity measured in" gives away nothing).
fn essential(back: &str) -> String {
    if let Some((first, _)) = back.split_once('(')
        && acronym(first.trim().trim_end_matches('s')).is_some()
    {
        return first.trim().to_string();
    }
    let mut kept = String::new();
    let mut depth = 0usize;
    for c in back.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth == 0 => kept.push(c),
            _ => {}
        }
    }
    if kept.trim().is_empty() {
        back.to_string()
    } else {
        kept
    }
}

/// A front without a short leading label ("Cost tip: …", "Aurora vs
/// standard RDS table — …"): the label frames the question, it is not it.
fn unlabelled(front: &str) -> &str {
    let Some((at, sep)) = front.char_indices().find(|(_, c)| *c == ':' || *c == '—') else {
        return front;
    };
    let (label, rest) = (&front[..at], &front[at + sep.len_utf8()..]);
    let short = label.chars().count() <= 40 && label.split_whitespace().count() <= 5;
    if short && !label.contains('?') && rest.starts_with(char::is_whitespace) {
        rest.trim_start()
    } else {
        front
    }
}

/// Two cards that ask the same thing, and why the detector thinks so.
#[derive(Debug, Clone, PartialEq)]
pub struct Duplicate {
    pub first: String,
    pub second: String,
    pub why: String,
}

/// Thresholds, tuned on the bundled decks before and after issue 15's
/// edit: every pair the issue names that shares words is caught, and no
/// pair of the edited decks is.
const ANSWERS_ALIKE: f64 = 0.5;
const FRONTS_ALIKE: f64 = 0.46;
const FRONT_INSIDE: f64 = 0.8;

/// Pairs of cards (not siblings of one entry) that ask the same thing:
/// equal normalised fronts, or answers alike and fronts alike. Words are
/// weighted by rarity among `cards`, so a shared question shape ("Which
/// ElastiCache engine supports …?") weighs little and a shared subject
/// ("Cassandra") much.
pub fn duplicates(cards: &[Card<'_>]) -> Vec<Duplicate> {
    let fronts: Vec<Vec<String>> = cards.iter().map(|c| asked(c.front)).collect();
    let backs: Vec<HashSet<String>> = cards
        .iter()
        .map(|c| content(c.back).into_iter().collect())
        .collect();
    let front_sets: Vec<HashSet<String>> =
        fronts.iter().map(|f| f.iter().cloned().collect()).collect();
    let weight = Rarity::of(front_sets.iter().chain(&backs));
    let mut found = Vec::new();
    for i in 0..cards.len() {
        for j in i + 1..cards.len() {
            if cards[i].entry() == cards[j].entry() {
                continue;
            }
            let why = if !fronts[i].is_empty() && fronts[i] == fronts[j] {
                Some("the same front, normalised".to_string())
            } else {
                let answers = weight.jaccard(&backs[i], &backs[j]);
                let alike = weight.jaccard(&front_sets[i], &front_sets[j]);
                let inside = weight.containment(&front_sets[i], &front_sets[j]);
                (answers >= ANSWERS_ALIKE && (alike >= FRONTS_ALIKE || inside >= FRONT_INSIDE))
                    .then(|| {
                        format!(
                            "answers alike ({answers:.2}), fronts alike ({alike:.2}; \
                             the smaller {inside:.2} inside the other)"
                        )
                    })
            };
            if let Some(why) = why {
                found.push(Duplicate {
                    first: cards[i].name(),
                    second: cards[j].name(),
                    why,
                });
            }
        }
    }
    found
}

/// Word weights: ln(documents / documents with the word).
struct Rarity {
    documents: f64,
    counts: HashMap<String, usize>,
}

impl Rarity {
    fn of<'a>(documents: impl Iterator<Item = &'a HashSet<String>>) -> Rarity {
        let mut counts = HashMap::new();
        let mut n = 0;
        for doc in documents {
            n += 1;
            for word in doc {
                *counts.entry(word.clone()).or_insert(0) += 1;
            }
        }
        Rarity {
            documents: n as f64,
            counts,
        }
    }

    fn sum<'a>(&self, words: impl Iterator<Item = &'a String>) -> f64 {
        words
            .map(|w| (self.documents / *self.counts.get(w).unwrap_or(&1) as f64).ln())
            .sum()
    }

    fn jaccard(&self, a: &HashSet<String>, b: &HashSet<String>) -> f64 {
        let union = self.sum(a.union(b));
        if a.is_empty() || b.is_empty() || union <= 0.0 {
            return 0.0;
        }
        self.sum(a.intersection(b)) / union
    }

    /// How much of the lighter set's weight the other holds too.
    fn containment(&self, a: &HashSet<String>, b: &HashSet<String>) -> f64 {
        let smaller = self.sum(a.iter()).min(self.sum(b.iter()));
        if a.is_empty() || b.is_empty() || smaller <= 0.0 {
            return 0.0;
        }
        self.sum(a.intersection(b)) / smaller
    }
}

/// Why a card's front gives its answer away, if it does: the answer's
/// words in the front in order; an acronym answer spelled by the front's
/// initials ("Write capacity unit?" → "WCU"); or most of a short
/// answer's content words in the front (an expansion).
pub fn giveaway(card: &Card<'_>) -> Option<String> {
    if card.is_cloze() {
        return None;
    }
    let front = content(card.front);
    let back = content(&essential(card.back));
    if back.is_empty() {
        return None;
    }
    if front.windows(back.len()).any(|w| w == back.as_slice()) {
        return Some("the front contains the answer".into());
    }
    if let Some(acronym) = acronym(card.back) {
        let front: Vec<String> = words(card.front).map(str::to_lowercase).collect();
        if (0..front.len()).any(|i| spells(&acronym.to_lowercase(), &front[i..])) {
            return Some(format!("the front's words spell the answer {acronym}"));
        }
    }
    if (2..=12).contains(&back.len()) {
        let in_front: HashSet<&String> = front.iter().collect();
        let shared = back.iter().filter(|w| in_front.contains(w)).count();
        if shared * 10 >= back.len() * 7 {
            return Some(format!(
                "{shared} of the answer's {} content words are in the front",
                back.len()
            ));
        }
    }
    None
}

/// The answer as an acronym: 2 to 6 capitals, maybe followed by a
/// parenthesis ("WCU (DynamoDB)").
fn acronym(back: &str) -> Option<String> {
    let word = back.split('(').next().unwrap_or(back).trim();
    let only = word.chars().all(|c| c.is_ascii_uppercase());
    (only && (2..=6).contains(&word.len())).then(|| word.to_string())
}

/// Whether consecutive `words` from the first spell `acronym`: each word
/// gives its first letter and maybe later ones in order ("Quantum Ledger
/// DataBase" spells qldb).
fn spells(acronym: &str, words: &[String]) -> bool {
    if acronym.is_empty() {
        return true;
    }
    let Some((word, rest)) = words.split_first() else {
        return false;
    };
    let mut letters = word.chars();
    if letters.next() != acronym.chars().next() {
        return false;
    }
    // The acronym is ASCII: one byte a letter.
    let mut remaining = &acronym[1..];
    loop {
        if spells(remaining, rest) {
            return true;
        }
        // Or this word gives the next letter too, from further inside it.
        let Some(next) = remaining.chars().next() else {
            return false;
        };
        if !letters.any(|c| c == next) {
            return false;
        }
        remaining = &remaining[1..];
    }
}
