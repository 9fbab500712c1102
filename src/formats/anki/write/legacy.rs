//! The schema-11 description of a collection (what `collection.anki21`
//! and the placeholder `collection.anki2` hold): the note types, decks
//! and settings as JSON in the one `col` row.

use rusqlite::{Transaction, params};
use serde_json::{Value, json};

use super::collection::{Collection, config, decks};
use super::notes::NoteKind;
use super::notetypes::{self, CSS, FONT, LATEX_POST, LATEX_PRE};

/// Writes the `col` row of schema 11.
pub fn describe(tx: &Transaction, c: &Collection) -> rusqlite::Result<()> {
    let conf: serde_json::Map<String, Value> = config(c)
        .into_iter()
        .map(|(key, value)| (key.to_string(), value))
        .collect();
    tx.execute(
        "INSERT INTO col VALUES (1, ?1, ?2, ?2, 11, 0, 0, 0, ?3, ?4, ?5, '{}', '{}')",
        params![
            c.created,
            c.now * 1000,
            Value::Object(conf).to_string(),
            models(c.first_deck, c.now).to_string(),
            decks_json(c).to_string(),
        ],
    )?;
    Ok(())
}

/// The decks and each of their parents, as the legacy `decks` JSON.
fn decks_json(c: &Collection) -> Value {
    let all = decks(c.decks).into_iter().map(|(id, name)| {
        let deck = json!({
            "id": id, "mod": c.now, "name": name, "usn": -1,
            "lrnToday": [0, 0], "revToday": [0, 0], "newToday": [0, 0], "timeToday": [0, 0],
            "collapsed": false, "browserCollapsed": false, "desc": "", "dyn": 0, "conf": 1,
            "extendNew": 0, "extendRev": 0,
        });
        (id.to_string(), deck)
    });
    Value::Object(all.collect())
}

/// The note types, as the legacy `models` JSON.
fn models(deck_id: i64, now: i64) -> Value {
    let mut all = serde_json::Map::new();
    for kind in NoteKind::ALL {
        let (name, fields, templates) = notetypes::shape(kind);
        let id = notetypes::id(kind);
        let flds: Vec<Value> = fields
            .iter()
            .enumerate()
            .map(|(ord, name)| {
                json!({"name": name, "ord": ord, "sticky": false, "rtl": false,
                       "font": FONT.0, "size": FONT.1})
            })
            .collect();
        let tmpls: Vec<Value> = templates
            .iter()
            .enumerate()
            .map(|(ord, (name, qfmt, afmt))| {
                json!({"name": name, "ord": ord, "qfmt": qfmt, "afmt": afmt,
                       "bqfmt": "", "bafmt": "", "did": null, "bfont": "", "bsize": 0})
            })
            .collect();
        let req: Vec<Value> = notetypes::requirements(kind)
            .into_iter()
            .map(|ord| json!([ord, "any", [ord]]))
            .collect();
        all.insert(
            id.to_string(),
            json!({
                "id": id, "name": name, "type": u8::from(kind.is_cloze()),
                "mod": now, "usn": -1, "sortf": 0, "did": deck_id, "tmpls": tmpls,
                "flds": flds, "css": CSS, "latexPre": LATEX_PRE, "latexPost": LATEX_POST,
                "latexsvg": false, "req": req, "tags": [], "vers": [],
            }),
        );
    }
    Value::Object(all)
}
