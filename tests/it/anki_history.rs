//! What an Anki package knows about its cards beyond their text, with the
//! packages the real Anki wrote (`tests/fixtures/anki/`, see its README):
//! suspended and buried cards, and with `--with-progress` the schedule and
//! the review log, which comes in once and stays marked as Anki's.

use std::path::PathBuf;

use crate::common::Env;

/// After the fixtures' review log, as in `anki_fixtures`.
const NOW: &str = "2031-01-01T09:00:00+00:00";
const NEXT_DAY: &str = "2031-01-02T09:00:00+00:00";

fn import(env: &Env, file: &str, args: &[&str]) -> String {
    // A copy: a bare collection must never be touched where it lies.
    let source = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(file);
    let path = env.file(file, std::fs::read(source).unwrap());
    let out = env
        .at(NOW)
        .arg("import")
        .args(args)
        .arg(&path)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "import {file} {args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn db(env: &Env) -> rusqlite::Connection {
    rusqlite::Connection::open(&env.db).unwrap()
}

/// (answers, of them marked as Anki's) of the card `key`.
fn answers(env: &Env, key: &str) -> (i64, i64) {
    db(env)
        .query_row(
            "SELECT count(*), count(r.anki_kind) FROM reviews r JOIN cards c ON c.id = r.card_id \
             WHERE c.key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap()
}

/// (suspended, buried through tomorrow, scheduled) of the card `key`.
fn state(env: &Env, key: &str) -> (bool, bool, bool) {
    db(env)
        .query_row(
            "SELECT suspended, coalesce(buried_until > ?2, 0), due IS NOT NULL FROM cards \
             WHERE key = ?1",
            rusqlite::params![key, chrono_day(NOW)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn chrono_day(at: &str) -> i64 {
    let at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    (at.date_naive() - chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap()).num_days()
}

#[test]
fn suspended_and_buried_cards_stay_so_without_progress() {
    let env = Env::new();
    let report = import(&env, "legacy.apkg", &[]);
    assert!(report.contains("1 suspended"), "{report}");
    assert!(report.contains("1 buried"), "{report}");
    assert_eq!(state(&env, "revKatze:reverse"), (true, false, false));
    assert_eq!(state(&env, "vocabApfel"), (false, true, false));
    assert_eq!(state(&env, "basicNorway"), (false, false, false));
    assert_eq!(answers(&env, "basicNorway"), (0, 0));
    // Buried for the day of the import only: today's session never shows
    // it, tomorrow's does (with sibling burying off: otherwise its reverse,
    // answered today and due tomorrow, holds it back another day).
    env.config("bury_siblings = false\n");
    let session = |at: &str| {
        let mut shown = Vec::new();
        loop {
            let next = env.json(at, &["next", "--deck", "Parent::Child", "--json"]);
            let Some(id) = next["card"]["id"].as_i64() else {
                return shown;
            };
            shown.push(next["card"]["card_id"].as_str().unwrap().to_string());
            env.json(at, &["answer", &id.to_string(), "5", "--json"]);
        }
    };
    let today = session(NOW);
    assert!(
        !today.is_empty() && !today.iter().any(|k| k == "vocabApfel"),
        "{today:?}"
    );
    let tomorrow = session(NEXT_DAY);
    assert!(tomorrow.iter().any(|k| k == "vocabApfel"), "{tomorrow:?}");
}

#[test]
fn with_progress_the_log_comes_in_once_marked_as_anki_s() {
    let env = Env::new();
    let report = import(&env, "current.apkg", &["--with-progress"]);
    assert!(report.contains("answers from Anki's log"), "{report}");
    // Anki's revlog: basicNorway has six answers, the suspended reverse card one.
    assert_eq!(answers(&env, "basicNorway"), (6, 6));
    assert_eq!(answers(&env, "revKatze:reverse"), (1, 1));
    assert_eq!(state(&env, "basicNorway"), (false, false, true));
    let last: Option<i64> = db(&env)
        .query_row(
            "SELECT last_review FROM cards WHERE key = 'basicNorway'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(last.is_some(), "the card's last review is the log's");
    // The statistics count them: Parent's cards have ten answers in Anki's
    // log, seven the first of their day.
    let stats = env.json(
        NOW,
        &[
            "stats", "--deck", "Parent", "--days", "3650", "--format", "json",
        ],
    );
    assert_eq!(stats["period"]["reviews"], 7, "{}", stats["period"]);
    assert_eq!(stats["period"]["redrills"], 3, "{}", stats["period"]);

    // The same package again (or its other format) adds nothing.
    for file in ["current.apkg", "legacy.apkg"] {
        let again = import(&env, file, &["--with-progress"]);
        assert!(!again.contains("answers from Anki's log"), "{again}");
    }
    assert_eq!(answers(&env, "basicNorway"), (6, 6));
}

#[test]
fn a_merged_review_log_keeps_anki_s_answers_marked() {
    let env = Env::new();
    import(&env, "legacy.apkg", &["--with-progress"]);
    let log = env.file(
        "more.csv",
        "deck,card,reviewed_at,grade,kind,duration_ms\n\
         Parent,basicNorway,2031-01-01T10:00:00+00:00,5,schedule,3000\n",
    );
    env.at(NOW)
        .args(["import", "--reviews"])
        .arg(&log)
        .assert()
        .success();
    assert_eq!(answers(&env, "basicNorway"), (7, 6));
}

/// A collection Anki has open (its `-wal` beside it) is read as it stands,
/// with a warning, and nothing beside it is written or changed.
#[test]
fn a_collection_anki_has_open_is_read_and_left_alone() {
    let env = Env::new();
    let source =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/anki/collection.anki2");
    let bytes = std::fs::read(source).unwrap();
    let collection = env.file("profile/collection.anki2", &bytes);
    let wal = env.file("profile/collection.anki2-wal", b"not yet checkpointed");
    let out = env.at(NOW).arg("import").arg(&collection).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("Anki has the collection open"), "{stdout}");
    assert_eq!(std::fs::read(&collection).unwrap(), bytes);
    assert_eq!(std::fs::read(&wal).unwrap(), b"not yet checkpointed");
    let mut names: Vec<_> = std::fs::read_dir(collection.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["collection.anki2", "collection.anki2-wal"]);
}
