//! Ids that never come back (migration 0005): a deleted answer's or card's
//! id is not handed out again, in a new database and in one upgraded from
//! schema version 4; the upgrade keeps every row and the per-day totals, and
//! leaves the same schema a new database has.

use std::path::Path;

use recall::clock::Clock;
use recall::domain::Scope;
use recall::domain::seen::Seen;
use recall::domain::{CardDraft, DeckDraft, Grade, Limits};
use recall::storage::{ImportOptions, Store};
use recall::workflows::study;
use rusqlite::Connection;
use rusqlite::types::Value;

use crate::common::{Env, day};
use crate::reliability_support::{count, open};

/// The migrations a version-4 recall shipped, applied as it applied them.
const V4: [&str; 4] = [
    include_str!("../../migrations/0001_init.sql"),
    include_str!("../../migrations/0002_review_days.sql"),
    include_str!("../../migrations/0003_deck_due_index.sql"),
    include_str!("../../migrations/0004_imported_answers.sql"),
];

/// recall's application id ("RCLL").
const APPLICATION_ID: i64 = 0x5243_4C4C;

/// Writes at `dst` the database a version-4 recall would hold with the rows
/// of `src` (decks, cards, the log; the log's triggers fill `review_days`),
/// some answers marked as imported from Anki.
fn version_4_copy(src: &Path, dst: &Path) {
    let conn = Connection::open(dst).unwrap();
    for sql in V4 {
        conn.execute_batch(sql).unwrap();
    }
    conn.pragma_update(None, "application_id", APPLICATION_ID)
        .unwrap();
    conn.pragma_update(None, "user_version", 4).unwrap();
    conn.execute("ATTACH ?1 AS s", [src.to_str().unwrap()])
        .unwrap();
    conn.execute_batch(
        "INSERT INTO decks SELECT id, name, description, created_at FROM s.decks;
         INSERT INTO cards (id, deck_id, key, front, back, notes, tags, created_at, updated_at,
             repetitions, efactor, interval, due, lapses, last_review, suspended, buried_until)
           SELECT id, deck_id, key, front, back, notes, tags, created_at, updated_at,
             repetitions, efactor, interval, due, lapses, last_review, suspended, buried_until
           FROM s.cards;
         INSERT INTO reviews (id, card_id, reviewed_at, utc_offset, day, grade, kind, duration_ms,
             reps_before, ef_before, interval_before, due_before, lapses_before, last_before,
             reps_after, ef_after, interval_after, due_after, lapses_after, anki_kind)
           SELECT id, card_id, reviewed_at, utc_offset, day, grade, kind, duration_ms,
             reps_before, ef_before, interval_before, due_before, lapses_before, last_before,
             reps_after, ef_after, interval_after, due_after, lapses_after, anki_kind
           FROM s.reviews;
         UPDATE reviews SET anki_kind = id % 4 WHERE id % 3 = 0;
         DETACH s;",
    )
    .unwrap();
}

fn deck(name: &str, cards: usize) -> DeckDraft {
    DeckDraft {
        name: name.into(),
        description: format!("the {name} deck"),
        position: None,
        cards: (0..cards)
            .map(|i| CardDraft {
                key: format!("c{i}"),
                front: format!("Question {i}"),
                back: format!("Answer {i}"),
                notes: String::new(),
                tags: vec![format!("t{}", i % 3)],
                typed: false,
            })
            .collect(),
    }
}

/// A collection with a few weeks of study: two decks, every grade, re-drills.
fn studied(db: &Path) {
    let mut store = Store::open(db).unwrap();
    store
        .import(
            &[deck("one", 30), deck("two", 20)],
            ImportOptions::default(),
            0,
        )
        .unwrap();
    for n in 0..20 {
        let clock = Clock::fixed(chrono::DateTime::parse_from_rfc3339(&day(n)).unwrap(), 4);
        let session =
            study::todays_session(&store, &Scope::default(), clock.today(), &Limits::default())
                .unwrap();
        let mut session = session;
        let mut i = 0;
        while let Some(entry) = session.current() {
            let seen = store.card(entry.card).unwrap().unwrap();
            let grade = Grade::new(((n as usize + i) % 6) as u8).unwrap();
            let r =
                study::answer(&mut store, &clock, Seen::Shown(&seen), grade, 1000, false).unwrap();
            session.record(entry.card, grade, r.kind);
            // A leech is suspended in the answer's transaction: as the TUI does, drop it.
            if r.leech == Some(recall::domain::leech::LeechAction::Suspend) {
                session.remove(entry.card);
            }
            i += 1;
        }
    }
}

/// Every row of `table`, in id (or key) order.
fn rows(conn: &Connection, table: &str) -> Vec<Vec<Value>> {
    rows_of(conn, table, "*")
}

/// `columns` of every row of `table`: a later migration may add columns,
/// which the rows that were there get as NULL.
fn rows_of(conn: &Connection, table: &str, columns: &str) -> Vec<Vec<Value>> {
    // 0007 forgets the bundled decks' fingerprint on purpose (so that they
    // are imported again, with their positions).
    let only = if table == "meta" {
        "WHERE key <> 'bundled_decks_hash'"
    } else {
        ""
    };
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {columns} FROM {table} {only} ORDER BY 1, 2"
        ))
        .unwrap();
    let width = stmt.column_count();
    stmt.query_map([], |r| (0..width).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The schema as SQLite keeps it: every object's type, name, table and text.
fn schema(db: &Path) -> Vec<(String, String, String, Option<String>)> {
    let conn = open(db);
    let mut stmt = conn
        .prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn max_id(db: &Path, table: &str) -> i64 {
    count(db, &format!("SELECT COALESCE(MAX(id), 0) FROM {table}"))
}

/// Deletes the newest answer (`recall undo`), gives another, and checks it
/// got a new id; the same for the newest card (`import --prune`).
fn assert_deleted_ids_stay_unused(env: &Env) {
    let now = day(30);
    let deck = "name = \"ids\"\n[[cards]]\nid = \"a\"\nfront = \"A?\"\nback = \"a\"\n\
                [[cards]]\nid = \"b\"\nfront = \"B?\"\nback = \"b\"\n";
    let file = env.file("ids.toml", deck);
    env.at(&now).arg("import").arg(&file).assert().success();
    env.at(&now)
        .args(["answer", "--deck", "ids", "b", "4"])
        .assert()
        .success();
    let answered = max_id(&env.db, "reviews");
    env.at(&now).arg("undo").assert().success();
    env.at(&now)
        .args(["answer", "--deck", "ids", "a", "4"])
        .assert()
        .success();
    assert!(
        max_id(&env.db, "reviews") > answered,
        "the undone answer's id {answered} was handed out again"
    );

    let newest = max_id(&env.db, "cards");
    let b = count(
        &env.db,
        "SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id \
         WHERE d.name = 'ids' AND c.key = 'b'",
    );
    assert_eq!(b, newest, "card b is the newest card");
    let without_b = env.file("ids.toml", deck.replace("id = \"b\"", "id = \"c\""));
    env.at(&now)
        .args(["import", "--prune"])
        .arg(&without_b)
        .assert()
        .success();
    let c = count(
        &env.db,
        "SELECT c.id FROM cards c JOIN decks d ON d.id = c.deck_id \
         WHERE d.name = 'ids' AND c.key = 'c'",
    );
    assert!(c > b, "the pruned card's id {b} was handed out again ({c})");

    let conn = open(&env.db);
    let deck_id: i64 = conn
        .query_row("SELECT MAX(id) FROM decks", [], |r| r.get(0))
        .unwrap();
    conn.execute("DELETE FROM decks WHERE id = ?1", [deck_id])
        .unwrap();
    conn.execute(
        "INSERT INTO decks (name, created_at) VALUES ('fresh', 0)",
        [],
    )
    .unwrap();
    assert!(conn.last_insert_rowid() > deck_id, "a deck id came back");
}

/// The schema version a new database gets: what an upgrade must reach.
fn latest_version() -> i64 {
    let fresh = Env::new();
    fresh.at(&day(0)).arg("decks").assert().success();
    count(&fresh.db, "PRAGMA user_version")
}

#[test]
fn ids_of_deleted_answers_and_cards_are_never_handed_out_again() {
    let env = Env::new();
    assert_deleted_ids_stay_unused(&env);
}

#[test]
fn ids_are_never_handed_out_again_in_a_database_upgraded_from_version_4() {
    let env = Env::new();
    let src = env.dir.path().join("src.db");
    studied(&src);
    version_4_copy(&src, &env.db);
    env.at(&day(30)).arg("decks").assert().success();
    assert_eq!(count(&env.db, "PRAGMA user_version"), latest_version());
    // The sequences start at the largest ids the version-4 database held.
    for table in ["decks", "cards", "reviews"] {
        let seq = count(
            &env.db,
            &format!("SELECT seq FROM sqlite_sequence WHERE name = '{table}'"),
        );
        assert!(seq >= max_id(&src, table), "{table}: sequence {seq}");
    }
    assert_deleted_ids_stay_unused(&env);
}

#[test]
fn the_upgrade_keeps_every_row_and_the_day_totals() {
    let env = Env::new();
    let src = env.dir.path().join("src.db");
    studied(&src);
    let v4 = env.dir.path().join("v4.db");
    version_4_copy(&src, &v4);
    std::fs::copy(&v4, &env.db).unwrap();
    let before = Connection::open(&v4).unwrap();
    assert!(rows(&before, "reviews").len() > 300, "a real log");
    let tables = ["decks", "cards", "reviews", "review_days", "meta"];
    let old: Vec<_> = tables.iter().map(|t| rows(&before, t)).collect();
    let columns: Vec<String> = tables
        .iter()
        .map(|t| {
            let stmt = before.prepare(&format!("SELECT * FROM {t}")).unwrap();
            stmt.column_names().collect::<Vec<_>>().join(", ")
        })
        .collect();
    drop(before);

    // As if it had the bundled decks installed (not compared below).
    Connection::open(&env.db)
        .unwrap()
        .execute("INSERT INTO meta VALUES ('bundled_decks_hash', 'old')", [])
        .unwrap();
    // Opening it upgrades it (the backup made first is another file).
    let store = Store::open(&env.db).unwrap();
    drop(store);
    let after = open(&env.db);
    assert_eq!(count(&env.db, "PRAGMA user_version"), latest_version());
    for ((table, old), columns) in tables.iter().zip(&old).zip(&columns) {
        let new = rows_of(&after, table, columns);
        assert_eq!(&new, old, "{table} changed in the upgrade");
    }
    let hash = "SELECT COUNT(*) FROM meta WHERE key = 'bundled_decks_hash'";
    assert_eq!(count(&env.db, hash), 0, "0007 forgets their fingerprint");
    let positions = rows_of(&after, "decks", "position, id");
    assert!(
        positions.iter().all(|row| row[0] == Value::Null),
        "{positions:?}"
    );
    // The totals still agree with the log they summarise.
    let recomputed: i64 = after
        .query_row(
            "SELECT COUNT(*) FROM (SELECT r.day, c.deck_id, SUM(r.kind = 0) AS n, \
               SUM(r.duration_ms) AS ms FROM reviews r JOIN cards c ON c.id = r.card_id \
               GROUP BY r.day, c.deck_id) t JOIN review_days d USING (day, deck_id) \
             WHERE d.reviews = t.n AND d.duration_ms = t.ms",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(recomputed as usize, old[3].len());
    let check: String = after
        .query_row("PRAGMA foreign_key_check", [], |r| r.get(0))
        .unwrap_or_else(|_| "ok".into());
    assert_eq!(check, "ok", "a row lost its deck or card");
}

#[test]
fn a_new_and_an_upgraded_database_have_the_same_schema() {
    let env = Env::new();
    let fresh = env.dir.path().join("fresh.db");
    drop(Store::open(&fresh).unwrap());
    let src = env.dir.path().join("src.db");
    studied(&src);
    version_4_copy(&src, &env.db);
    drop(Store::open(&env.db).unwrap());
    let (new, upgraded) = (schema(&fresh), schema(&env.db));
    assert!(
        new.iter().any(|(_, name, _, sql)| name == "reviews"
            && sql.as_deref().unwrap_or("").contains("AUTOINCREMENT")),
        "{new:?}"
    );
    assert_eq!(new, upgraded);
}
