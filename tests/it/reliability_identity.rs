//! An undo removes exactly the answer it recorded, or says it is gone; a
//! grade is recorded only for the card the user saw. Each test has a TUI
//! (its `App`, over its own connection) and other recall processes writing
//! to the same file underneath it: `recall undo`, `answer`, `import
//! --reviews`, `import --prune`, `restore`.

use std::path::Path;

use recall::clock::Clock;
use recall::domain::seen::Seen;
use recall::domain::{Grade, QueueKind};
use recall::error::Error;
use recall::storage::Store;
use recall::tui::{Action, App, Flow, Screen, finish_edit, step};
use recall::workflows::study;

use crate::common::{Env, day};
use crate::reliability_support::{count, geo_backed_up_then_answered, open};
use crate::tui::{ctx, deck, press, seed, shown_key};

const GEO: &str = "name = \"geo\"\n\
    [[cards]]\nid = \"france\"\nfront = \"Capital of France?\"\nback = \"Paris\"\n\
    [[cards]]\nid = \"jupiter\"\nfront = \"Largest planet?\"\nback = \"Jupiter\"\n\
    [[cards]]\nid = \"h2o\"\nfront = \"H2O is commonly called?\"\nback = \"water\"\n";

/// Every answer of the log: (id, card, time, grade).
fn log(db: &Path) -> Vec<(i64, i64, i64, i64)> {
    let conn = open(db);
    let mut stmt = conn
        .prepare("SELECT id, card_id, reviewed_at, grade FROM reviews ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

fn card_id(db: &Path, deck: &str, key: &str) -> i64 {
    Store::open(db)
        .unwrap()
        .card_by_key(deck, key)
        .unwrap()
        .unwrap()
}

fn answers_to(db: &Path, card: i64) -> i64 {
    count(
        db,
        &format!("SELECT COUNT(*) FROM reviews WHERE card_id = {card}"),
    )
}

/// Cards whose state is not what their latest answer left (new cards with
/// no answer must be new): card and log disagree.
fn disagreeing(db: &Path) -> i64 {
    count(
        db,
        "SELECT COUNT(*) FROM cards c WHERE NOT EXISTS ( \
           SELECT 1 FROM (SELECT * FROM reviews r WHERE r.card_id = c.id \
                          ORDER BY r.id DESC LIMIT 1) l \
           WHERE l.reps_after = c.repetitions AND l.ef_after = c.efactor \
             AND l.interval_after = c.interval AND l.due_after IS c.due \
             AND l.lapses_after = c.lapses) \
         AND (EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = c.id) OR c.due IS NOT NULL)",
    )
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

#[test]
fn an_undo_never_removes_the_answer_another_process_gave_after_its_own_was_undone() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    assert_eq!(shown_key(&app), "france");
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    // Elsewhere: that answer is undone, and another card is answered.
    env.at(&day(0)).arg("undo").assert().success();
    env.at(&day(0))
        .args(["answer", "--deck", "geo", "h2o", "4"])
        .assert()
        .success();
    let before = log(&env.db);
    assert_eq!(before.len(), 1, "{before:?}");

    press(&mut app, &[Action::Undo]);
    let text = status(&app);
    assert!(text.contains("That answer is no longer there"), "{text}");
    assert_eq!(log(&env.db), before, "another process's answer was removed");
    assert_eq!(disagreeing(&env.db), 0);
    let h2o = card_id(&env.db, "geo", "h2o");
    assert_eq!(answers_to(&env.db, h2o), 1);
}

#[test]
fn an_undo_after_import_reviews_keeps_card_and_log_agreeing() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    // Another device's answer to the same card, a day later, merged in:
    // the card's log is rewritten with both answers in time order.
    let reviews = env.file(
        "reviews.json",
        format!(
            r#"[{{"deck":"geo","card":"france","reviewed_at":"{}","grade":2,"kind":"schedule","duration_ms":0}}]"#,
            day(1)
        ),
    );
    env.at(&day(1))
        .args(["import", "--reviews"])
        .arg(&reviews)
        .assert()
        .success();
    let france = card_id(&env.db, "geo", "france");
    let merged = log(&env.db);
    assert_eq!(answers_to(&env.db, france), 2, "{merged:?}");

    press(&mut app, &[Action::Undo]);
    assert!(
        status(&app).contains("That answer is no longer there"),
        "{}",
        status(&app)
    );
    assert_eq!(log(&env.db), merged, "the undo removed a merged answer");
    assert_eq!(disagreeing(&env.db), 0, "card and log disagree");

    // `recall undo` takes back the newest answer, and the card follows.
    env.at(&day(1)).arg("undo").assert().success();
    assert_eq!(answers_to(&env.db, france), 1);
    assert_eq!(disagreeing(&env.db), 0, "card and log disagree");
}

#[test]
fn an_undo_is_refused_once_the_card_was_answered_again_elsewhere() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal, Action::Grade(3)]);
    env.at(&day(0))
        .args(["answer", "--deck", "geo", "france", "5"])
        .assert()
        .success();
    let before = log(&env.db);
    press(&mut app, &[Action::Undo]);
    let text = status(&app);
    assert!(text.contains("no longer there as the latest"), "{text}");
    assert_eq!(log(&env.db), before);
    assert_eq!(disagreeing(&env.db), 0);
}

/// A TUI session of deck geo with h2o, its newest card, on screen; then
/// another process prunes h2o and imports a new card, mars (with reusable
/// row ids, mars took h2o's number).
fn h2o_on_screen_then_replaced(env: &Env) -> App {
    let file = env.file("geo.toml", GEO);
    env.at(&day(0)).arg("import").arg(&file).assert().success();
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(
        &mut app,
        &[
            Action::Reveal,
            Action::Grade(5),
            Action::Reveal,
            Action::Grade(5),
        ],
    );
    assert_eq!(shown_key(&app), "h2o");
    let h2o = card_id(&env.db, "geo", "h2o");
    let without = GEO
        .split("[[cards]]")
        .take(3)
        .collect::<Vec<_>>()
        .join("[[cards]]");
    let without = env.file("without.toml", without);
    env.at(&day(0))
        .args(["import", "--prune"])
        .arg(&without)
        .assert()
        .success();
    let mars = env.file("geo.toml", GEO.replace("\"h2o\"", "\"mars\""));
    env.at(&day(0)).arg("import").arg(&mars).assert().success();
    assert_ne!(
        card_id(&env.db, "geo", "mars"),
        h2o,
        "h2o's number came back"
    );
    app
}

#[test]
fn a_grade_for_a_card_pruned_while_on_screen_is_refused_and_the_queue_reloads() {
    let env = Env::new();
    let mut app = h2o_on_screen_then_replaced(&env);
    let before = log(&env.db);

    press(&mut app, &[Action::Reveal, Action::Grade(4)]);
    let text = status(&app);
    assert!(text.contains("changed underneath this session"), "{text}");
    assert!(text.contains("no longer in the collection"), "{text}");
    assert_eq!(log(&env.db), before, "a grade was recorded for a stranger");
    let mars = card_id(&env.db, "geo", "mars");
    assert_eq!(answers_to(&env.db, mars), 0);
    // The reloaded queue shows the new card; a grade now is for it.
    assert_eq!(shown_key(&app), "mars");
    press(&mut app, &[Action::Reveal, Action::Grade(4)]);
    assert_eq!(answers_to(&env.db, mars), 1);
}

#[test]
fn an_edit_or_a_suspend_of_a_card_pruned_while_on_screen_changes_no_other_card() {
    let env = Env::new();
    let mut app = h2o_on_screen_then_replaced(&env);
    let fronts = || {
        count(
            &env.db,
            "SELECT COUNT(*) FROM cards WHERE front LIKE '%steam%'",
        )
    };
    let Flow::Edit { card, text } = step(&mut app, Action::Edit) else {
        panic!("no editor for the card on screen");
    };
    finish_edit(
        &mut app,
        card,
        Ok(text.replace("H2O is commonly called?", "steam?")),
    );
    let said = status(&app);
    assert!(
        said.contains("Card not changed") && said.contains("no longer in the collection"),
        "{said}"
    );
    assert_eq!(fronts(), 0, "the edit rewrote another card");

    press(&mut app, &[Action::Suspend]);
    let said = status(&app);
    assert!(said.contains("changed underneath this session"), "{said}");
    assert_eq!(
        count(&env.db, "SELECT COUNT(*) FROM cards WHERE suspended = 1"),
        0
    );
    assert_eq!(shown_key(&app), "mars");
}

#[test]
fn a_grade_after_a_restore_of_an_older_copy_is_refused_and_the_session_reloads() {
    let env = Env::new();
    // Answered after the backup: france comes back today as a re-drill.
    let old = geo_backed_up_then_answered(&env, GEO, "france", "2");
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    for _ in 0..2 {
        press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    }
    assert_eq!(shown_key(&app), "france");
    assert_eq!(app.current().unwrap().kind, QueueKind::Redrill);

    env.at(&day(0)).arg("restore").arg(&old).assert().success();
    assert_eq!(log(&env.db), vec![], "the old copy has no answers");
    press(&mut app, &[Action::Reveal, Action::Grade(4)]);
    let text = status(&app);
    assert!(text.contains("changed underneath this session"), "{text}");
    assert!(text.contains("answered or changed elsewhere"), "{text}");
    assert_eq!(log(&env.db), vec![], "a grade landed in the restored copy");
    // The queue is the restored collection's: three new cards.
    assert_eq!(app.current().unwrap().kind, QueueKind::New);
    assert_eq!(app.session().unwrap().remaining(), 3);
}

#[test]
fn a_session_takes_its_next_cards_from_a_collection_restored_underneath_it() {
    let env = Env::new();
    let old = geo_backed_up_then_answered(&env, GEO, "h2o", "5");
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    assert_eq!(app.session().unwrap().remaining(), 2, "h2o was answered");
    // The old copy holds france as it is on screen, and h2o still new.
    env.at(&day(0)).arg("restore").arg(&old).assert().success();
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    assert!(status(&app).starts_with("Graded 5"), "{}", status(&app));
    let france = card_id(&env.db, "geo", "france");
    assert_eq!(answers_to(&env.db, france), 1);
    assert_eq!(
        app.session().unwrap().remaining(),
        2,
        "the queue is the restored collection's: jupiter and h2o"
    );
}

#[test]
fn the_home_screen_reloads_when_another_process_restores_the_collection() {
    let env = Env::new();
    seed(&env.db);
    let old = env.dir.path().join("old.db");
    env.at(&day(0))
        .args(["backup", "--output"])
        .arg(&old)
        .assert()
        .success();
    let extra = env.file(
        "space.toml",
        "name = \"space\"\n[[cards]]\nid = \"mars\"\nfront = \"Red planet?\"\nback = \"Mars\"\n",
    );
    env.at(&day(0)).arg("import").arg(&extra).assert().success();
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    let names =
        |app: &App| -> Vec<String> { app.decks.iter().map(|d| d.summary.name.clone()).collect() };
    assert!(names(&app).contains(&"space".to_string()));
    // Our own moves change nothing.
    press(&mut app, &[Action::ScrollDown]);
    assert_eq!(status(&app), "");

    env.at(&day(0)).arg("restore").arg(&old).assert().success();
    let selected = app.selected;
    press(&mut app, &[Action::Open]);
    assert!(
        matches!(app.screen, Screen::Home),
        "opened a deck of a list that is gone"
    );
    assert!(
        status(&app).contains("changed underneath this session"),
        "{}",
        status(&app)
    );
    assert!(
        !names(&app).contains(&"space".to_string()),
        "{:?}",
        names(&app)
    );
    assert!(app.selected <= selected);
    press(&mut app, &[Action::Open]);
    assert!(
        !matches!(app.screen, Screen::Home),
        "the next key acts again"
    );
}

/// Two stores on one file, as two processes have: what one saw, the other
/// changed, and the first one's answer is refused with nothing written.
#[test]
fn an_answer_is_recorded_only_while_the_card_is_as_it_was_seen() {
    let env = Env::new();
    seed(&env.db);
    let clock = Clock::fixed(chrono::DateTime::parse_from_rfc3339(&day(0)).unwrap(), 4);
    let mut mine = Store::open(&env.db).unwrap();
    let mut theirs = Store::open(&env.db).unwrap();
    let france = mine.card_by_key("geo", "france").unwrap().unwrap();
    let seen = mine.card(france).unwrap().unwrap();
    let five = Grade::new(5).unwrap();

    let latest = theirs.card(france).unwrap().unwrap();
    study::answer(
        &mut theirs,
        &clock,
        Seen::Shown(&latest),
        Grade::new(3).unwrap(),
        0,
        false,
    )
    .unwrap();
    let before = log(&env.db);
    match study::answer(&mut mine, &clock, Seen::Shown(&seen), five, 0, false) {
        Err(Error::Changed(why)) => assert!(why.contains("answered or changed"), "{why}"),
        other => panic!("recorded over a concurrent answer: {other:?}"),
    }
    assert_eq!(log(&env.db), before);

    // The same number naming another card (deck and id checked too).
    let mut stranger = mine.card(france).unwrap().unwrap();
    stranger.key = "jupiter".into();
    match study::answer(&mut mine, &clock, Seen::Shown(&stranger), five, 0, false) {
        Err(Error::Changed(why)) => assert!(why.contains("is no longer the card"), "{why}"),
        other => panic!("recorded for another card: {other:?}"),
    }
    assert_eq!(log(&env.db), before);

    // Seen as it is now, it is recorded.
    let now = mine.card(france).unwrap().unwrap();
    study::answer(&mut mine, &clock, Seen::Shown(&now), five, 0, false).unwrap();
    assert_eq!(log(&env.db).len(), before.len() + 1);
}
