//! recall's Anki import held against what Anki itself shows.
//!
//! `tests/fixtures/anki/` holds packages and collections that the real Anki
//! (26.9, through its Python library) wrote from one small collection, and
//! `expected.jsonl`: for each file, every card as Anki renders it after
//! importing that file into a fresh Anki collection (deck, note type,
//! template ordinal, note GUID, question and answer as plain text, suspended,
//! review count). `make.py` there regenerates both; its README says what each
//! file covers.
//!
//! Each test imports one fixture into a fresh recall database (plain and
//! `--with-progress`), reads every card back through the CLI and lists every
//! difference from Anki — which file, which card, which rule — before it
//! fails, so one run shows all that is left to fix.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde_json::Value;

use crate::common::Env;

/// When every import runs: after the fixtures' review log (make.py checks
/// that it ran before this), so no Anki answer lies in recall's future.
const NOW: &str = "2031-01-01T09:00:00+00:00";

/// Anki's note types in the fixtures, by kind (recall's card ids differ).
/// Anki renames an imported note type `Basic+` when the collection it
/// imports into already has a stock `Basic` of another id; the `+` is
/// dropped before looking the name up here.
const CLOZE_TYPES: &[&str] = &["Cloze", "Cloze (source first)"];
const NORMAL_TYPES: &[&str] = &[
    "Basic",
    "Basic (and reversed card)",
    "Basic (optional reversed card)",
    "Basic (type in the answer)",
    "Vocab (three cards)",
];

/// Where exact text (after normalising whitespace) is not a fair test, the
/// note GUIDs whose cards are compared more loosely, and why.
const LOOSE: &[(&str, Loose)] = &[
    // Anki's text has list items on their own lines with no marker; recall
    // may show bullets `• ` or numbers `1. `: the words must still be the
    // same, in the same order.
    ("htmlLists", Loose::Words),
    // The oracle runs table cells together (`CountryCapital`) where recall
    // may separate them (`Country | Capital`): the same letters and digits,
    // in the same order.
    ("htmlTable", Loose::Letters),
    // Anki's reviewer typesets `<anki-mathjax>` (the oracle's text shows the
    // TeX bare); recall keeps it between `\(`…`\)` or `\[`…`\]`, so it
    // still reads as math (`mathjax_keeps_its_delimiters` holds the exact text).
    ("htmlMathjax", Loose::Letters),
];

/// Text Anki speaks (`{{tts en_US:Word}}`: the oracle shows only
/// `[anki:play:…]`, dropped here) and recall, which cannot speak, shows as
/// text where the template has it: (GUID, template, the spoken text).
const SPOKEN: &[(&str, u64, &str)] = &[("vocabApfel", 1, "Apfel"), ("vocabBirne", 1, "Birne")];

#[derive(Clone, Copy, PartialEq, Debug)]
enum Loose {
    Exact,
    Words,
    Letters,
}

/// Things that must never reach a card's text unless Anki shows them too:
/// template syntax, the fixture's CSS and script, HTML tags and entities.
const LEAKS: &[&str] = &[
    "{{",
    "}}",
    "SCRIPTLEAK",
    "scriptLeak",
    "vocab-leak",
    "font-family",
    "font-size",
    "color:",
    "[[type:",
    "[anki:tts",
    "anki-mathjax",
];

/// One card as Anki shows it (a line of `expected.jsonl`).
#[derive(Debug, Clone)]
struct AnkiCard {
    deck: String,
    notetype: String,
    ord: u64,
    guid: String,
    question: String,
    answer: String,
    suspended: bool,
    reviews: u64,
}

impl AnkiCard {
    /// recall's id for this card: the GUID for template 0, `GUID:reverse`
    /// for template 1, `GUID:card3`, `GUID:card4`… after that; `GUID:cN` for
    /// cloze number N of a cloze note type.
    fn recall_id(&self) -> String {
        let kind = self.notetype.trim_end_matches('+');
        if CLOZE_TYPES.contains(&kind) {
            format!("{}:c{}", self.guid, self.ord + 1)
        } else {
            assert!(
                NORMAL_TYPES.contains(&kind),
                "note type {:?} of expected.jsonl is in neither CLOZE_TYPES nor NORMAL_TYPES",
                self.notetype
            );
            match self.ord {
                0 => self.guid.clone(),
                1 => format!("{}:reverse", self.guid),
                n => format!("{}:card{}", self.guid, n + 1),
            }
        }
    }

    /// How this card reads in a message.
    fn name(&self) -> String {
        format!(
            "{} / {} ({} card {})",
            self.deck,
            self.recall_id(),
            self.notetype.trim_end_matches('+'),
            self.ord + 1
        )
    }

    fn loose(&self) -> Loose {
        LOOSE
            .iter()
            .find(|(guid, _)| *guid == self.guid)
            .map_or(Loose::Exact, |(_, l)| *l)
    }
}

fn fixture(file: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(file)
}

/// Anki's cards for `file`, from `expected.jsonl`.
fn expected(file: &str) -> Vec<AnkiCard> {
    let text = std::fs::read_to_string(fixture("expected.jsonl")).unwrap();
    let entry: Value = text
        .lines()
        .map(|l| serde_json::from_str::<Value>(l).unwrap())
        .find(|e| e["file"] == file)
        .unwrap_or_else(|| panic!("{file} is not in expected.jsonl"));
    assert_eq!(entry["ok"], true, "Anki refused {file}: {}", entry["error"]);
    let s = |c: &Value, k: &str| c[k].as_str().unwrap().to_string();
    entry["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| AnkiCard {
            deck: s(c, "deck"),
            notetype: s(c, "notetype"),
            ord: c["ord"].as_u64().unwrap(),
            guid: s(c, "guid"),
            question: s(c, "question"),
            answer: s(c, "answer"),
            suspended: c["suspended"].as_bool().unwrap(),
            reviews: c["reviews"].as_u64().unwrap(),
        })
        .collect()
}

/// One card as recall has it.
#[derive(Debug)]
struct RecallCard {
    front: String,
    back: String,
    notes: String,
}

/// (deck, id) → card, for every deck but the bundled ones.
type RecallCards = BTreeMap<(String, String), RecallCard>;

fn recall_cards(env: &Env) -> RecallCards {
    let mut out = BTreeMap::new();
    for deck in env.json(NOW, &["decks", "--json"]).as_array().unwrap() {
        let name = deck["name"].as_str().unwrap();
        if name.starts_with("AWS · ") {
            continue;
        }
        let export = env.json(NOW, &["export", "deck", name, "--format", "json"]);
        for c in export["cards"].as_array().unwrap() {
            let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
            out.insert(
                (name.to_string(), s("id")),
                RecallCard {
                    front: s("front"),
                    back: s("back"),
                    notes: s("notes"),
                },
            );
        }
    }
    out
}

/// The (deck, id) of every suspended card. No command lists a card's
/// suspension, so this reads the database (`cards.suspended`, `cards.key`).
fn recall_suspended(env: &Env) -> BTreeSet<(String, String)> {
    let db = rusqlite::Connection::open(&env.db).unwrap();
    let mut stmt = db
        .prepare(
            "SELECT d.name, c.key FROM cards c JOIN decks d ON d.id = c.deck_id \
             WHERE c.suspended <> 0",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// (deck, id) → answers in recall's review log (`recall export reviews`).
fn recall_reviews(env: &Env) -> BTreeMap<(String, String), u64> {
    let mut out = BTreeMap::new();
    for r in env
        .json(NOW, &["export", "reviews", "--format", "json"])
        .as_array()
        .unwrap()
    {
        let key = (
            r["deck"].as_str().unwrap().to_string(),
            r["card"].as_str().unwrap().to_string(),
        );
        *out.entry(key).or_default() += 1;
    }
    out
}

/// Runs `recall import [ARGS] FILE` on a copy of the fixture in the
/// scratch directory (a bare collection is a WAL-mode SQLite file: opening
/// it in place could leave `-wal`/`-shm` files beside the fixtures); its
/// stdout if it succeeded, else a problem.
fn import(env: &Env, file: &str, args: &[&str], problems: &mut Vec<String>) -> Option<String> {
    let copy = env.dir.path().join(file);
    if !copy.exists() {
        std::fs::copy(fixture(file), &copy).unwrap();
    }
    let out = env
        .at(NOW)
        .arg("import")
        .args(args)
        .arg(&copy)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() {
        Some(stdout)
    } else {
        problems.push(format!(
            "`recall import {}{file}` failed (exit {:?}): {}",
            args.iter().map(|a| format!("{a} ")).collect::<String>(),
            out.status.code(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
        None
    }
}

/// The (added, updated, unchanged, missing) counts summed over the report's
/// `DECK: N added, N updated, N unchanged, N missing` lines.
fn counts(report: &str) -> Option<[u64; 4]> {
    let mut sum = [0; 4];
    let mut any = false;
    for line in report.lines().filter(|l| l.contains(" added, ")) {
        let tail = &line[line.rfind(": ")? + 2..];
        let numbers: Vec<u64> = tail
            .split(", ")
            .take(4)
            .map(|part| part.split(' ').next()?.parse().ok())
            .collect::<Option<_>>()?;
        for (s, n) in sum.iter_mut().zip(&numbers) {
            *s += n;
        }
        any = true;
    }
    any.then_some(sum)
}

/// `[sound:…]` and `[anki:play:…]` tags dropped, whitespace runs (newlines,
/// no-break spaces) made one space.
fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = ["[sound:", "[anki:play:"]
        .iter()
        .filter_map(|tag| rest.find(tag))
        .min()
    {
        out.push_str(&rest[..at]);
        out.push(' ');
        rest = rest[at..].find(']').map_or("", |end| &rest[at + end + 1..]);
    }
    out.push_str(rest);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The text in the form `loose` compares: whitespace-normalised; its words
/// (list markers at the start of a line dropped); or its letters and digits.
fn comparable(text: &str, loose: Loose) -> String {
    match loose {
        Loose::Exact => normalise(text),
        Loose::Words => normalise(
            &text
                .lines()
                .map(|l| {
                    let l = l.trim_start();
                    let l = l.strip_prefix("• ").unwrap_or(l);
                    let digits = l.len() - l.trim_start_matches(|c: char| c.is_ascii_digit()).len();
                    match l[digits..].strip_prefix(". ") {
                        Some(item) if digits > 0 => item,
                        _ => l,
                    }
                })
                .collect::<Vec<_>>()
                .join("\n"),
        )
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" "),
        Loose::Letters => normalise(text)
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect(),
    }
}

/// HTML that should have been rendered: a tag (`<b>`, `</div>`) or an entity
/// (`&nbsp;`, `&#233;`).
fn html_left(text: &str) -> Option<String> {
    let b = text.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c == b'<'
            && b.get(i + 1)
                .is_some_and(|n| n.is_ascii_alphabetic() || *n == b'/' || *n == b'!')
            && text[i..].contains('>')
        {
            return Some(text[i..].chars().take(20).collect());
        }
        if c == b'&' {
            let name: String = text[i + 1..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '#')
                .collect();
            if !name.is_empty() && text[i + 1 + name.len()..].starts_with(';') {
                return Some(format!("&{name};"));
            }
        }
    }
    None
}

/// Every way recall's text of one card differs from Anki's.
fn compare_text(anki: &AnkiCard, recall: &RecallCard, problems: &mut Vec<String>) {
    let loose = anki.loose();
    let name = anki.name();
    let front = comparable(&recall.front, loose);
    let spoken = SPOKEN
        .iter()
        .find(|(guid, ord, _)| *guid == anki.guid && *ord == anki.ord)
        .map_or(String::new(), |(_, _, text)| format!("{text} "));
    let question = comparable(&format!("{spoken}{}", anki.question), loose);
    if front != question {
        problems.push(format!(
            "{name}: the front is not Anki's question ({loose:?} comparison)\n      Anki:   {question:?}\n      recall: {front:?}"
        ));
    }
    // recall may show more on the back than Anki's answer (the notes, the
    // Back Extra again, the front), never less.
    let back_and_notes = format!("{}\n{}", recall.back, recall.notes);
    let back = comparable(&back_and_notes, loose);
    let answer = comparable(&anki.answer, loose);
    if !back.contains(&answer) {
        problems.push(format!(
            "{name}: the back (with the notes) does not contain Anki's answer ({loose:?} comparison)\n      Anki:   {answer:?}\n      recall: {back:?}"
        ));
    }
    for (side, text, anki_text) in [
        ("front", &recall.front, &anki.question),
        ("back", &back_and_notes, &anki.answer),
    ] {
        for leak in LEAKS {
            if text.contains(leak) && !anki_text.contains(leak) {
                problems.push(format!(
                    "{name}: the {side} shows {leak:?}, which Anki does not: {text:?}"
                ));
            }
        }
        if let Some(html) = html_left(text).filter(|h| !anki_text.contains(h.as_str())) {
            problems.push(format!(
                "{name}: the {side} shows unrendered HTML {html:?}: {text:?}"
            ));
        }
    }
}

/// Anki's cards against recall's: the same cards (by deck and id), each with
/// Anki's text, and no card Anki does not make.
fn compare_cards(anki: &[AnkiCard], recall: &RecallCards, problems: &mut Vec<String>) {
    if anki.len() != recall.len() {
        problems.push(format!(
            "recall has {} cards, Anki {}",
            recall.len(),
            anki.len()
        ));
    }
    let mut seen = BTreeSet::new();
    for card in anki {
        let key = (card.deck.clone(), card.recall_id());
        seen.insert(key.clone());
        match recall.get(&key) {
            Some(r) => compare_text(card, r, problems),
            None => {
                let elsewhere: Vec<_> = recall
                    .keys()
                    .filter(|(_, id)| *id == key.1)
                    .map(|(deck, _)| deck.as_str())
                    .collect();
                problems.push(if elsewhere.is_empty() {
                    format!(
                        "{}: missing in recall (Anki's question: {:?})",
                        card.name(),
                        card.question
                    )
                } else {
                    format!("{}: recall has it in deck(s) {elsewhere:?}", card.name())
                });
            }
        }
    }
    for ((deck, id), r) in recall {
        if !seen.contains(&(deck.clone(), id.clone())) {
            problems.push(format!(
                "{deck} / {id}: recall has this card, Anki does not (front {:?})",
                r.front
            ));
        }
    }
    if problems.iter().any(|p| p.contains("missing in recall")) {
        let mut by_deck: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (deck, id) in recall.keys() {
            by_deck.entry(deck).or_default().push(id);
        }
        problems.push(format!("(recall's ids by deck: {by_deck:?})"));
    }
}

/// Anki's suspended cards are suspended in recall, the others are not.
fn compare_suspended(anki: &[AnkiCard], env: &Env, problems: &mut Vec<String>) {
    let suspended = recall_suspended(env);
    for card in anki {
        let recall = suspended.contains(&(card.deck.clone(), card.recall_id()));
        if recall != card.suspended {
            problems.push(format!(
                "{}: suspended in Anki: {}, in recall: {recall}",
                card.name(),
                card.suspended
            ));
        }
    }
}

/// Each card has as many answers in recall's log as Anki's revlog has rows
/// for it (`with_progress`), or none (a plain import starts every card new).
fn compare_reviews(anki: &[AnkiCard], env: &Env, with_progress: bool, problems: &mut Vec<String>) {
    let mut reviews = recall_reviews(env);
    for card in anki {
        let recall = reviews
            .remove(&(card.deck.clone(), card.recall_id()))
            .unwrap_or(0);
        let want = if with_progress { card.reviews } else { 0 };
        if recall != want {
            problems.push(format!(
                "{}: {recall} answers in recall's review log, expected {want} (Anki's revlog has {})",
                card.name(),
                card.reviews
            ));
        }
    }
    for ((deck, id), n) in reviews {
        problems.push(format!(
            "{deck} / {id}: {n} answers in recall's log for a card Anki does not have"
        ));
    }
}

/// The report's count lines (`FILE: DECK: N added, …`), for a message.
fn count_lines(report: &str) -> String {
    let lines: Vec<_> = report.lines().filter(|l| l.contains(" added, ")).collect();
    if lines.is_empty() {
        format!("{report:?}")
    } else {
        lines.join(" ⏎ ")
    }
}

/// A second import of the same file: nothing added, updated or missing,
/// every card recall has unchanged.
fn reimport_unchanged(env: &Env, file: &str, args: &[&str], problems: &mut Vec<String>) {
    let cards = recall_cards(env).len() as u64;
    let Some(report) = import(env, file, args, problems) else {
        return;
    };
    match counts(&report) {
        Some([0, 0, unchanged, 0]) if unchanged == cards => {}
        _ => problems.push(format!(
            "importing {file} again: expected 0 added, 0 updated, {cards} unchanged, 0 missing; the report: {}",
            count_lines(&report)
        )),
    }
    let after = recall_cards(env).len() as u64;
    if after != cards {
        problems.push(format!(
            "importing {file} again: recall had {cards} cards, now {after}"
        ));
    }
}

fn fail_on(file: &str, problems: &[String]) {
    assert!(
        problems.is_empty(),
        "{file}: {} difference(s) from what Anki shows:\n  - {}",
        problems.len(),
        problems.join("\n  - ")
    );
}

/// One fixture, imported plain and `--with-progress` into fresh databases,
/// then once more each.
fn holds_against_anki(file: &str) {
    let anki = expected(file);
    let mut problems = Vec::new();
    {
        let mut p = Vec::new();
        let env = Env::new();
        if import(&env, file, &[], &mut p).is_some() {
            compare_cards(&anki, &recall_cards(&env), &mut p);
            compare_suspended(&anki, &env, &mut p);
            compare_reviews(&anki, &env, false, &mut p);
            reimport_unchanged(&env, file, &[], &mut p);
        }
        problems.extend(p.into_iter().map(|p| format!("[import] {p}")));
    }
    {
        let mut p = Vec::new();
        let env = Env::new();
        let args = ["--with-progress"];
        if import(&env, file, &args, &mut p).is_some() {
            let cards = recall_cards(&env);
            if cards.len() != anki.len() {
                p.push(format!(
                    "recall has {} cards, Anki {}",
                    cards.len(),
                    anki.len()
                ));
            }
            compare_suspended(&anki, &env, &mut p);
            compare_reviews(&anki, &env, true, &mut p);
            reimport_unchanged(&env, file, &args, &mut p);
        }
        problems.extend(
            p.into_iter()
                .map(|p| format!("[import --with-progress] {p}")),
        );
    }
    fail_on(file, &problems);
}

#[test]
fn current_apkg_as_anki_shows_it() {
    holds_against_anki("current.apkg");
}

#[test]
fn legacy_apkg_as_anki_shows_it() {
    holds_against_anki("legacy.apkg");
}

#[test]
fn colpkg_as_anki_shows_it() {
    holds_against_anki("collection.colpkg");
}

#[test]
fn legacy_colpkg_as_anki_shows_it() {
    holds_against_anki("legacy.colpkg");
}

#[test]
fn bare_anki2_collection_as_anki_shows_it() {
    holds_against_anki("collection.anki2");
}

#[test]
fn bare_anki21b_collection_as_anki_shows_it() {
    holds_against_anki("collection.anki21b");
}

#[test]
fn package_without_scheduling_as_anki_shows_it() {
    holds_against_anki("no-progress.apkg");
}

#[test]
fn package_with_media_as_anki_shows_it() {
    holds_against_anki("media.apkg");
}

/// A `<pre>` keeps its indentation in Anki (the browser shows it); the
/// oracle's plain text flattens it, so it is checked here on its own.
#[test]
fn pre_keeps_its_indentation() {
    let mut problems = Vec::new();
    for file in ["legacy.apkg", "current.apkg"] {
        let env = Env::new();
        if import(&env, file, &[], &mut problems).is_none() {
            continue;
        }
        match recall_cards(&env).get(&("Parent".to_string(), "htmlPre".to_string())) {
            Some(card) => {
                for line in ["\n    println!(\"indented\");\n", "\n        deeper();\n"] {
                    if !card.back.contains(line) {
                        problems.push(format!(
                            "{file}: Parent / htmlPre: the back lacks the <pre> line {line:?}: {:?}",
                            card.back
                        ));
                    }
                }
            }
            None => problems.push(format!("{file}: Parent / htmlPre: missing in recall")),
        }
    }
    fail_on("<pre>", &problems);
}

#[test]
fn mathjax_keeps_its_delimiters() {
    let env = Env::new();
    let mut problems = Vec::new();
    if import(&env, "current.apkg", &[], &mut problems).is_some() {
        let cards = recall_cards(&env);
        let card = &cards[&("Parent".to_string(), "htmlMathjax".to_string())];
        assert_eq!(
            normalise(&card.front),
            "Inline \\(x^2\\) math and \\(y^3\\) too"
        );
        assert!(
            normalise(&card.back).contains("\\[\\sum_i i\\] block and \\[z_1\\] display"),
            "{:?}",
            card.back
        );
    }
    fail_on("current.apkg", &problems);
}

/// Two notes with one GUID (a bug of some generators): Anki imports both
/// (it makes a second note with the same GUID), and so does recall, the
/// second with the id `GUID:dup2`; the report names the GUID.
#[test]
fn duplicate_guids_are_all_imported_and_named() {
    let file = "duplicate-guid.apkg";
    let mut anki = expected(file);
    let mut seen: Vec<(String, u64)> = Vec::new();
    let mut duplicated = Vec::new();
    for card in &mut anki {
        if seen.contains(&(card.guid.clone(), card.ord)) {
            duplicated.push(card.guid.clone());
            card.guid = format!("{}:dup2", card.guid);
        } else {
            seen.push((card.guid.clone(), card.ord));
        }
    }
    assert!(
        !duplicated.is_empty(),
        "{file} should hold two notes with one GUID"
    );
    let mut problems = Vec::new();
    let env = Env::new();
    if let Some(report) = import(&env, file, &[], &mut problems) {
        compare_cards(&anki, &recall_cards(&env), &mut problems);
        for guid in &duplicated {
            if !report.contains(guid.as_str()) || !report.to_lowercase().contains("duplicate") {
                problems.push(format!(
                    "the report does not name the duplicate GUID {guid:?}: {report}"
                ));
            }
        }
        reimport_unchanged(&env, file, &[], &mut problems);
    }
    fail_on(file, &problems);
}

/// Every format of one collection gives the same cards: importing one after
/// the other adds nothing, updates nothing and misses nothing.
#[test]
fn the_formats_of_one_collection_match_each_other() {
    let chain = [
        "legacy.apkg",
        "current.apkg",
        "collection.colpkg",
        "legacy.colpkg",
        "collection.anki2",
        "collection.anki21b",
    ];
    let anki = expected(chain[0]).len();
    for file in chain {
        assert_eq!(expected(file).len(), anki, "{file}: Anki's card count");
    }
    let env = Env::new();
    let mut problems = Vec::new();
    // What the first file that imports gives: every later file must match it.
    let mut first: Option<(&str, usize)> = None;
    for (i, file) in chain.iter().enumerate() {
        let Some(report) = import(&env, file, &[], &mut problems) else {
            continue;
        };
        let Some((_, cards)) = first else {
            let cards = recall_cards(&env).len();
            if cards != anki {
                problems.push(format!("{file} (first): {cards} cards, Anki {anki}"));
            }
            first = Some((file, cards));
            continue;
        };
        match counts(&report) {
            Some([0, 0, unchanged, 0]) if unchanged == cards as u64 => {}
            _ => problems.push(format!(
                "{file} after {}: expected 0 added, 0 updated, {cards} unchanged, 0 missing (the same ids and text); the report: {}",
                chain[..i].join(", "),
                count_lines(&report)
            )),
        }
    }
    if let Some((file, cards)) = first {
        let total = recall_cards(&env).len();
        if total != cards {
            problems.push(format!(
                "recall had {cards} cards after {file}, {total} after all {} files",
                chain.len()
            ));
        }
    }
    fail_on("the chain of formats", &problems);
}

/// The comparison itself: it accepts what the module says recall may do
/// (bullets, ` | ` between cells, more on the back, no-break spaces, sound
/// tags) and catches a wrong field, a missing section, unrendered template
/// syntax, leaked CSS and HTML.
#[test]
fn the_comparison_allows_what_it_says_and_no_more() {
    let anki = |guid: &str, question: &str, answer: &str| AnkiCard {
        deck: "D".into(),
        notetype: "Basic+".into(),
        ord: 0,
        guid: guid.into(),
        question: question.into(),
        answer: answer.into(),
        suspended: false,
        reviews: 0,
    };
    let recall = |front: &str, back: &str, notes: &str| RecallCard {
        front: front.into(),
        back: back.into(),
        notes: notes.into(),
    };
    let problems = |a: &AnkiCard, r: &RecallCard| {
        let mut p = Vec::new();
        compare_text(a, r, &mut p);
        p
    };
    let vocab = anki(
        "v",
        "Birne\nno example sentence",
        "pear fruit\nHint\na green fruit",
    );
    let lists = anki(
        "htmlLists",
        "Fruit list:\napple item\nbanana item",
        "first step\nsecond step",
    );
    let table = anki(
        "htmlTable",
        "Table of capitals",
        "CountryCapital\nChileSantiago",
    );
    let sound = anki("s", "Flag [image: x.png]", "Anthem [anki:play:a:0]");
    for (a, r) in [
        (
            &vocab,
            recall(
                "Birne\n\nno example sentence",
                "pear fruit\nHint\na green fruit",
                "",
            ),
        ),
        (
            &vocab,
            recall(
                "Birne no\u{a0}example sentence",
                "Birne\n\npear fruit",
                "Hint a green fruit",
            ),
        ),
        (
            &lists,
            recall(
                "Fruit list:\n• apple item\n• banana item",
                "1. first step\n2. second step",
                "",
            ),
        ),
        (
            &table,
            recall(
                "Table of capitals",
                "Country | Capital\nChile | Santiago",
                "",
            ),
        ),
        (
            &sound,
            recall("Flag [image: x.png]", "Anthem [sound:a.mp3]", ""),
        ),
    ] {
        assert_eq!(problems(a, &r), Vec::<String>::new(), "{r:?}");
    }
    for (a, r, why) in [
        (
            &vocab,
            recall("pear fruit", "Birne", ""),
            "the fields swapped",
        ),
        (
            &vocab,
            recall("Birne", "pear fruit\nHint\na green fruit", ""),
            "a missing section",
        ),
        (
            &vocab,
            recall("Birne\nno example sentence", "pear fruit", "{{hint:Hint}}"),
            "an unrendered filter",
        ),
        (
            &vocab,
            recall(
                "Birne\nno example sentence",
                "pear fruit\nHint\na green fruit",
                "{{Extra}}",
            ),
            "unrendered syntax in the extra part",
        ),
        (
            &vocab,
            recall(
                "Birne\nno example sentence",
                "pear fruit\nHint\na green fruit\n.vocab-leak { color: red; }",
                "",
            ),
            "leaked CSS",
        ),
        (
            &vocab,
            recall(
                "Birne\nno example sentence",
                "pear <i>fruit</i>\nHint\na green fruit",
                "",
            ),
            "an HTML tag",
        ),
        (
            &lists,
            recall("Fruit list:\napple item", "first step\nsecond step", ""),
            "a list item lost",
        ),
        (
            &table,
            recall("Table of capitals", "Country | Capital\nChile | Lima", ""),
            "a wrong cell",
        ),
    ] {
        assert!(!problems(a, &r).is_empty(), "not caught: {why}: {r:?}");
    }
    assert_eq!(
        counts(
            "f: A: 1 added, 2 updated, 3 unchanged, 4 missing\nf: B::C: 5 added, 0 updated, 0 unchanged, 0 missing, 2 scheduled from Anki\n  2 skipped:"
        ),
        Some([6, 2, 3, 4])
    );
    assert_eq!(anki("g", "", "").recall_id(), "g");
    let mut card = anki("g", "", "");
    card.ord = 3;
    assert_eq!(card.recall_id(), "g:card4");
    card.notetype = "Cloze (source first)".into();
    assert_eq!(card.recall_id(), "g:c4");
}
