//! Mnemosyne 2 databases (`default.db`, SQLite). Mnemosyne keeps each
//! card's question and answer already rendered (HTML) in its `cards` table,
//! so recall reads those rather than re-running Mnemosyne's card types: a
//! front-to-back card, both cards of a reversible fact and the cards of a
//! vocabulary fact come out as Mnemosyne shows them. The card's id is
//! Mnemosyne's; tags come from its `tags` table (spaces in a tag become
//! `_`). The schedule is not carried over. The database is opened
//! read-only; this is the only module with SQL for it.

use std::path::Path;

use super::foreign::DeckBuilder;
use super::sqlite_file::{corrupt, damage, open_immutable};
use super::{Loaded, file_error, html};
use crate::domain::CardDraft;
use crate::error::Result;

/// A card row: Mnemosyne's id and its rendered sides.
struct Row {
    number: i64,
    id: String,
    question: String,
    answer: String,
}

/// Reads the Mnemosyne database at `path` into one deck named `stem`.
pub fn parse(file: &str, stem: &str, path: &Path) -> Result<Loaded> {
    let fail = |message: String| file_error(file, message);
    let (rows, tags) =
        read(path).map_err(|e| fail(format!("not a readable Mnemosyne database ({e})")))?;
    let mut loaded = Loaded::default();
    let mut deck = DeckBuilder::new(file, stem)?;
    let mut media = 0;
    for row in rows {
        media += html::media_references(&row.question) + html::media_references(&row.answer);
        let front = html::to_text(&row.question);
        if front.trim().is_empty() {
            loaded
                .skipped
                .push(format!("card {:?}: its question is empty", row.id));
            continue;
        }
        let card = CardDraft {
            key: match row.id.trim() {
                "" => row.number.to_string(),
                id => id.to_string(),
            },
            front,
            back: html::to_text(&row.answer),
            notes: String::new(),
            tags: tags_of(&tags, row.number),
            typed: false,
        };
        deck.push_located(card, |m| fail(format!("card {:?}: {m}", row.id)))?;
    }
    if media > 0 {
        loaded.warnings.push(format!(
            "{media} media reference(s) kept as text; recall shows no images or sound"
        ));
    }
    deck.finish(
        loaded,
        "the Mnemosyne database's cards table has no card with a question",
    )
}

/// A card's tags: Mnemosyne's `__UNTAGGED__` left out, spaces made `_`.
fn tags_of(tags: &[(i64, String)], card: i64) -> Vec<String> {
    let start = tags.partition_point(|(c, _)| *c < card);
    tags[start..]
        .iter()
        .take_while(|(c, _)| *c == card)
        .map(|(_, name)| name.split_whitespace().collect::<Vec<_>>().join("_"))
        .filter(|name| !name.is_empty() && name != "__UNTAGGED__")
        .collect()
}

type Tables = (Vec<Row>, Vec<(i64, String)>);

fn read(path: &Path) -> rusqlite::Result<Tables> {
    let conn = open_immutable(path)?;
    if let Some(damage) = damage(&conn)? {
        return Err(corrupt(damage));
    }
    // Only real tables are read: a view of the same name could be made to
    // run for ever.
    let tables: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name IN ('cards', 'tags', 'tags_for_card')",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if !tables.iter().any(|t| t == "cards") {
        return Err(corrupt("no cards table".into()));
    }
    let mut statement = conn.prepare("SELECT _id, id, question, answer FROM cards ORDER BY _id")?;
    let rows = statement
        .query_map([], |r| {
            Ok(Row {
                number: r.get(0)?,
                id: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                question: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                answer: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if tables.len() < 3 {
        return Ok((rows, Vec::new()));
    }
    let mut statement = conn.prepare(
        "SELECT tc._card_id, t.name FROM tags_for_card tc JOIN tags t ON t._id = tc._tag_id \
         ORDER BY tc._card_id, t.name",
    )?;
    let tags = statement
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get::<_, Option<String>>(1)?.unwrap_or_default(),
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((rows, tags))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small Mnemosyne 2 database: the tables recall reads, with a
    /// front-to-back card, a reversible pair, a tagged card and a card
    /// without a question.
    fn mnemosyne_db(path: &Path) {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.execute_batch(
            "CREATE TABLE cards(_id integer primary key, id text, question text, answer text);
             CREATE TABLE data_for_fact(_fact_id integer, key text, value text);
             CREATE TABLE fact_views(id text primary key);
             CREATE TABLE tags(_id integer primary key, id text, name text);
             CREATE TABLE tags_for_card(_card_id integer, _tag_id integer);
             INSERT INTO cards VALUES (1, 'Wv1', 'front', 'back'),
               (2, 'P85', '<b>front-double</b>', 'back-double'),
               (3, 'xZD', 'back-double', 'front-double'),
               (4, 'Q1J', 'front-tag', ''),
               (5, 'emp', '', 'no question');
             INSERT INTO tags VALUES (1, '__UNTAGGED__', '__UNTAGGED__'), (2, 't1', 'tag 1'),
               (3, 't2', 'a longer tag');
             INSERT INTO tags_for_card VALUES (1, 1), (4, 2), (4, 3);",
        )
        .unwrap();
    }

    #[test]
    fn cards_come_with_their_ids_and_tags() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("default.db");
        mnemosyne_db(&path);
        let loaded = parse("m.db", "m", &path).unwrap();
        let cards = &loaded.decks[0].cards;
        let keys: Vec<_> = cards.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["Wv1", "P85", "xZD", "Q1J"]);
        assert_eq!(cards[1].front, "front-double");
        assert!(cards[0].tags.is_empty());
        assert_eq!(cards[3].tags, ["a_longer_tag", "tag_1"]);
        assert_eq!(cards[3].back, "");
        assert_eq!(loaded.skipped.len(), 1);
    }

    #[test]
    fn another_database_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.db");
        rusqlite::Connection::open(&path)
            .unwrap()
            .execute_batch("CREATE TABLE cards(x);")
            .unwrap();
        let e = parse("x.db", "x", &path).unwrap_err().to_string();
        assert!(
            e.starts_with("x.db: not a readable Mnemosyne database"),
            "{e}"
        );
    }
}
