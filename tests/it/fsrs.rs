//! FSRS beside SM-2 (issue 18) through the real binary: switching a deck
//! and back, `next`/`answer --json` under FSRS, refusals that write
//! nothing, and `fsrs optimize`/`evaluate` on a seeded synthetic history
//! made the way `examples/synth.rs` makes one (cards, then a review log
//! merged with `recall import --reviews`).

use std::fmt::Write as _;

use recall::domain::{Day, Grade, Schedule, Scheduler, Sm2};
use rusqlite::Connection;
use serde_json::Value;

use recall::domain::rng::SplitMix64;

use crate::common::{Env, day};

/// The synthetic history's "today": its last answers come before it.
const TODAY: i64 = 400;

/// A deck "Synthetic" of `cards` cards and a log of SM-2 schedules with
/// examples/synth.rs's grade mix (re-drills after grades below 4),
/// imported into `env`'s database.
fn synthetic(env: &Env, cards: usize, seed: u64) {
    let mut deck = String::from("name = \"Synthetic\"\n");
    let mut log = String::from("deck,card,reviewed_at,grade,kind,duration_ms\n");
    // splitmix64, as examples/synth.rs draws: a seed always gives the same log.
    let mut rng = SplitMix64(seed);
    for i in 0..cards {
        writeln!(
            deck,
            "[[cards]]\nid = \"c{i}\"\nfront = \"front {i}\"\nback = \"back {i}\""
        )
        .unwrap();
        // 2 to 12 answers on the days SM-2 asks for, then the whole
        // history moved so the card falls due today.
        let mut state = Schedule::NEW;
        let mut answers = Vec::new();
        let mut d = 0;
        for _ in 0..2 + rng.below(11) {
            let g = match rng.below(100) {
                0..=24 => 5,
                25..=59 => 4,
                60..=79 => 3,
                80..=89 => 2,
                90..=94 => 1,
                _ => 0,
            };
            answers.push((d, g));
            state = Sm2.schedule(&state, Grade::new(g).unwrap(), Day(d));
            d = state.due.unwrap().0;
        }
        let shift = TODAY - d;
        for (n, (d, g)) in answers.into_iter().enumerate() {
            let at = |m: usize| day(d + shift).replace("09:00:00", &format!("09:{m:02}:00"));
            writeln!(log, "Synthetic,c{i},{},{g},schedule,3000", at(2 * n % 60)).unwrap();
            if g < 4 {
                writeln!(
                    log,
                    "Synthetic,c{i},{},4,redrill,3000",
                    at((2 * n + 1) % 60)
                )
                .unwrap();
            }
        }
    }
    let deck = env.file("synthetic.toml", deck);
    let log = env.file("synthetic.csv", log);
    for args in [
        vec!["import".into(), deck],
        vec!["import".into(), "--reviews".into(), log],
    ] {
        let out = env.at(&day(TODAY)).args(&args).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// Every column of the deck's cards, in id order.
fn card_rows(env: &Env) -> Vec<Vec<rusqlite::types::Value>> {
    let conn = Connection::open(&env.db).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT * FROM cards WHERE deck_id = (SELECT id FROM decks WHERE name = 'Synthetic') \
             ORDER BY id",
        )
        .unwrap();
    let n = stmt.column_count();
    stmt.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

fn run(env: &Env, args: &[&str]) -> std::process::Output {
    env.at(&day(TODAY)).args(args).output().unwrap()
}

/// `recall scheduler set Synthetic ALGORITHM`, which must succeed.
fn switch(env: &Env, algorithm: &str) {
    let out = run(env, &["scheduler", "set", "Synthetic", algorithm]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The deck "Synthetic" in `recall scheduler --json`.
fn synthetic_in(shown: &Value) -> &Value {
    let decks = shown.as_array().unwrap();
    decks.iter().find(|d| d["deck"] == "Synthetic").unwrap()
}

/// A count of rows, straight from the database.
fn count(env: &Env, sql: &str) -> i64 {
    Connection::open(&env.db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

#[test]
fn sm2_to_fsrs_to_sm2_restores_the_exact_cards() {
    let env = Env::new();
    synthetic(&env, 40, 7);
    let before = card_rows(&env);
    // Typed as people type deck names.
    let out = run(&env, &["scheduler", "set", "synthetic", "fsrs"]);
    assert!(out.status.success());
    assert_ne!(card_rows(&env), before, "FSRS gives other due days");
    let with_memory = count(
        &env,
        "SELECT COUNT(*) FROM cards WHERE stability IS NOT NULL",
    );
    assert_eq!(with_memory, 40);
    switch(&env, "sm2");
    assert_eq!(card_rows(&env), before);
    assert_eq!(count(&env, "SELECT COUNT(*) FROM sm2_states"), 0);
}

#[test]
fn an_answer_under_fsrs_is_replayed_by_sm2_when_switching_back() {
    let env = Env::new();
    synthetic(&env, 5, 3);
    switch(&env, "fsrs");
    let next = env.json(&day(TODAY), &["next", "--json", "--deck", "Synthetic"]);
    let card = &next["card"];
    assert_eq!(card["scheduler"], "fsrs");
    let memory = &card["memory"];
    assert!(memory["stability"].as_f64().unwrap() > 0.0);
    let d = memory["difficulty"].as_f64().unwrap();
    assert!((1.0..=10.0).contains(&d), "difficulty {d}");
    let r = memory["retrievability"].as_f64().unwrap();
    assert!(r > 0.0 && r < 1.0, "retrievability {r}");
    let id = card["id"].to_string();
    let answered = env.json(&day(TODAY), &["answer", &id, "4", "--json"]);
    assert_eq!(answered["scheduler"], "fsrs");
    assert_eq!(answered["kind"], "schedule");
    assert_eq!(answered["memory"]["retrievability"].as_f64(), Some(1.0));
    let stability = answered["memory"]["stability"].as_f64().unwrap();
    assert!(stability > memory["stability"].as_f64().unwrap());
    let interval = answered["interval_days"].as_u64().unwrap();
    assert!(interval >= 1);
    // Back on SM-2, the answer counts as SM-2's: the card was scheduled
    // then, and has no memory state any more.
    switch(&env, "sm2");
    let conn = Connection::open(&env.db).unwrap();
    let (last, stability): (i64, Option<f64>) = conn
        .query_row(
            "SELECT last_review, stability FROM cards WHERE id = ?1",
            [card["id"].as_i64().unwrap()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let answered_at = chrono::DateTime::parse_from_rfc3339(&day(TODAY)).unwrap();
    assert_eq!(last, answered_at.timestamp_millis());
    assert_eq!(stability, None);
    // Undo would put back the FSRS state: refused, saying why.
    let undo = run(&env, &["undo"]);
    assert!(!undo.status.success());
    let err = String::from_utf8_lossy(&undo.stderr);
    assert!(
        err.contains("`recall scheduler set`); nothing was changed"),
        "{err}"
    );
    let next = env.json(&day(TODAY), &["next", "--json", "--deck", "Synthetic"]);
    assert_eq!(next["card"]["scheduler"], "sm2");
    assert!(next["card"].get("memory").is_none());
}

#[test]
fn undo_under_fsrs_restores_the_memory_state() {
    let env = Env::new();
    synthetic(&env, 3, 11);
    switch(&env, "fsrs");
    let next = env.json(&day(TODAY), &["next", "--json", "--deck", "Synthetic"]);
    let id = next["card"]["id"].to_string();
    env.json(&day(TODAY), &["answer", &id, "1", "--json"]);
    env.json(&day(TODAY), &["undo", "--json"]);
    let again = env.json(&day(TODAY), &["next", "--json", "--deck", "Synthetic"]);
    assert_eq!(again["card"]["memory"], next["card"]["memory"]);
}

#[test]
fn unknown_deck_or_algorithm_is_refused_and_nothing_is_written() {
    let env = Env::new();
    synthetic(&env, 3, 5);
    let bytes = env.db_bytes();
    let out = run(&env, &["scheduler", "set", "Synthetic", "anki"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("\"anki\" is not a scheduler: the choices are sm2 and fsrs"),
        "{err}"
    );
    let out = run(&env, &["scheduler", "set", "No such deck", "fsrs"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("No such deck"));
    let out = run(
        &env,
        &[
            "scheduler",
            "set",
            "Synthetic",
            "fsrs",
            "--retention",
            "1.5",
        ],
    );
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("between 0 and 1"));
    assert_eq!(env.db_bytes(), bytes);
}

#[test]
fn the_config_default_switches_decks_without_their_own() {
    let env = Env::new();
    synthetic(&env, 4, 9);
    env.config("scheduler = \"fsrs\"\ndesired_retention = 0.85\n");
    let shown = env.json(&day(TODAY), &["scheduler", "--json"]);
    let synthetic = synthetic_in(&shown);
    assert_eq!(synthetic["scheduler"], "fsrs");
    assert_eq!(synthetic["own_setting"], false);
    assert!((synthetic["desired_retention"].as_f64().unwrap() - 0.85).abs() < 1e-6);
    let next = env.json(&day(TODAY), &["next", "--json", "--deck", "Synthetic"]);
    assert_eq!(next["card"]["scheduler"], "fsrs");
    assert!(next["card"]["memory"].is_object());
    env.config("scheduler = \"bogus\"\n");
    let out = run(&env, &["scheduler"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains(":1:1: key `scheduler`: expected \"sm2\" or \"fsrs\""),
        "{err}"
    );
    env.config("desired_retention = 1.2\n");
    let err = String::from_utf8_lossy(&run(&env, &["scheduler"]).stderr).into_owned();
    assert!(
        err.contains(":1:1: key `desired_retention`: expected a probability between 0 and 1"),
        "{err}"
    );
}

#[test]
fn optimize_refuses_a_short_history_and_stores_nothing() {
    let env = Env::new();
    synthetic(&env, 2, 1);
    let out = run(&env, &["fsrs", "optimize"]);
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not enough history to fit FSRS"), "{err}");
    assert!(err.contains("at least 64"), "{err}");
    assert_eq!(count(&env, "SELECT COUNT(*) FROM fsrs_params"), 0);
}

#[test]
fn optimize_then_evaluate_on_a_seeded_history() {
    let env = Env::new();
    synthetic(&env, 120, 42);
    switch(&env, "fsrs");
    let fitted = env.json(
        &day(TODAY),
        &["fsrs", "optimize", "--deck", "Synthetic", "--json"],
    );
    let params: Vec<f64> = fitted["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_f64().unwrap())
        .collect();
    assert_eq!(params.len(), 21);
    let defaults: Vec<f64> = fsrs::DEFAULT_PARAMETERS
        .iter()
        .map(|&p| f64::from(p))
        .collect();
    assert_ne!(params, defaults, "fitted, not the defaults");
    assert!(fitted["items"].as_u64().unwrap() >= 64);
    assert!(fitted["reviews"].as_u64().unwrap() > fitted["items"].as_u64().unwrap());
    assert_eq!(fitted["fitted_on"], day(TODAY)[..10]);
    assert_eq!(fitted["replayed_decks"], serde_json::json!(["Synthetic"]));
    // The same seed fits the same parameters (the crate's training is seeded).
    let again = env.json(
        &day(TODAY),
        &["fsrs", "optimize", "--deck", "Synthetic", "--json"],
    );
    assert_eq!(again["params"], fitted["params"]);

    let shown = env.json(&day(TODAY), &["scheduler", "show", "--json"]);
    let deck = synthetic_in(&shown);
    assert_eq!(deck["params_from"], "deck");
    assert_eq!(deck["params"], fitted["params"]);

    let e = env.json(
        &day(TODAY),
        &["fsrs", "evaluate", "--deck", "Synthetic", "--json"],
    );
    let models: Vec<&Value> = e["models"].as_array().unwrap().iter().collect();
    let names: Vec<&str> = models
        .iter()
        .map(|m| m["model"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["sm2", "fsrs-default", "fsrs-fitted"]);
    for m in &models {
        let loss = m["log_loss"].as_f64().unwrap();
        let rmse = m["rmse_bins"].as_f64().unwrap();
        assert!(
            loss > 0.0 && loss < 2.0 && (0.0..1.0).contains(&rmse),
            "{m}"
        );
        assert!(m["reviews_per_day_30"].as_f64().unwrap() > 0.0, "{m}");
    }
    // Fitted on this very history, FSRS predicts it better than its defaults.
    let loss = |i: usize| models[i]["log_loss"].as_f64().unwrap();
    assert!(
        loss(2) < loss(1),
        "fitted {} vs default {}",
        loss(2),
        loss(1)
    );
    assert!(models[0].get("crate_log_loss").is_none());
    assert!(models[2]["crate_log_loss"].as_f64().is_some());
    // Held out: fitted on the earlier items, judged on the later.
    assert!(models[1].get("out_of_sample_log_loss").is_none());
    let held_out = models[2]["out_of_sample_log_loss"].as_f64().unwrap();
    assert!(held_out > 0.0 && held_out < 2.0, "{held_out}");
    // Seeded: the same figures twice (but the crate's own binned RMSEs,
    // summed in HashMap order, which may differ in their last bits).
    let without_crate_rmse = |mut e: Value| {
        for m in e["models"].as_array_mut().unwrap() {
            let m = m.as_object_mut().unwrap();
            m.remove("crate_rmse_bins");
            m.remove("out_of_sample_rmse_bins");
        }
        e
    };
    let twice = env.json(
        &day(TODAY),
        &["fsrs", "evaluate", "--deck", "Synthetic", "--json"],
    );
    assert_eq!(without_crate_rmse(twice), without_crate_rmse(e));
}

#[test]
fn a_merged_log_is_replayed_through_fsrs_on_an_fsrs_deck() {
    let env = Env::new();
    synthetic(&env, 3, 13);
    switch(&env, "fsrs");
    // One more answer from another machine, for card c0, today.
    let log = "deck,card,reviewed_at,grade,kind,duration_ms\n\
               Synthetic,c0,2027-04-05T08:00:00+00:00,5,schedule,3000\n";
    let log = env.file("more.csv", log);
    let out = env
        .at(&day(TODAY))
        .args(["import", "--reviews"])
        .arg(&log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let missing = "SELECT COUNT(*) FROM cards WHERE stability IS NULL AND deck_id = \
                   (SELECT id FROM decks WHERE name = 'Synthetic')";
    assert_eq!(count(&env, missing), 0);
    let next = env.json(&day(TODAY), &["next", "--json", "--deck", "Synthetic"]);
    assert_ne!(next["card"]["card_id"], "c0", "c0 was answered today");
}

#[test]
fn the_grade_bar_shows_what_each_grade_gives_under_the_decks_algorithm() {
    use recall::clock::Clock;
    use recall::domain::seen::Seen;
    use recall::storage::Store;
    use recall::workflows::{scheduling, study};

    let env = Env::new();
    synthetic(&env, 4, 21);
    let mut store = Store::open(&env.db).unwrap();
    let now = chrono::DateTime::parse_from_rfc3339(&day(TODAY)).unwrap();
    let clock = Clock::fixed(now, 4);
    let id = store.card_by_key("Synthetic", "c1").unwrap().unwrap();
    let card = store.card(id).unwrap().unwrap();
    let sm2_bar = study::intervals(&store, &card, clock.today()).unwrap();
    scheduling::set(
        &mut store,
        "Synthetic",
        recall::domain::SchedulerKind::Fsrs,
        None,
    )
    .unwrap();
    let card = store.card(id).unwrap().unwrap();
    let bar = study::intervals(&store, &card, clock.today()).unwrap();
    assert_ne!(bar, sm2_bar, "the bar follows the deck's algorithm");
    // Each grade, answered on a copy of the database, gives the interval shown.
    for grade in [0u8, 3, 4, 5] {
        let copy = env.dir.path().join(format!("copy-{grade}.db"));
        store.backup_to(&copy).unwrap();
        let mut other = Store::open(&copy).unwrap();
        let g = Grade::new(grade).unwrap();
        let r = study::answer(&mut other, &clock, Seen::Named(&card), g, 0, false).unwrap();
        assert_eq!(r.after.interval, bar[usize::from(grade)], "grade {grade}");
        assert!(r.memory.is_some());
    }
}

#[test]
fn the_review_screen_and_the_browser_show_fsrs() {
    use recall::storage::Store;
    use recall::tui::browser::BrowserAction;
    use recall::tui::{Action, App};
    use recall::workflows::{scheduling, study};

    use crate::tui::{ctx, deck, draw, press, seed};

    let env = Env::new();
    seed(&env.db);
    let mut store = Store::open(&env.db).unwrap();
    scheduling::set(&mut store, "geo", recall::domain::SchedulerKind::Fsrs, None).unwrap();
    // The grade bar of a new card: FSRS's first intervals, not SM-2's 1 day.
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal]);
    let id = match &app.screen {
        recall::tui::Screen::Review(shown) => shown.card.id,
        _ => panic!("no card on screen"),
    };
    let card = store.card(id).unwrap().unwrap();
    let bar = study::intervals(
        &store,
        &card,
        recall::domain::Day::from_date(chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()),
    )
    .unwrap();
    assert_ne!(bar, [1; 6], "FSRS's first intervals: {bar:?}");
    press(&mut app, &[Action::Grade(5)]);
    let mut app = App::home(ctx(&env.db, &day(1))).unwrap();
    press(&mut app, &[Action::Browse]);
    for c in "-is:new".chars() {
        press(&mut app, &[Action::Browser(BrowserAction::Type(c))]);
    }
    let screen = draw(&mut app, 100, 24);
    assert!(screen.contains("FSRS    stability "), "{screen}");
    assert!(screen.contains("· retrievability "), "{screen}");
}

#[test]
fn reset_under_fsrs_forgets_the_memory_state_too() {
    let env = Env::new();
    synthetic(&env, 2, 17);
    switch(&env, "fsrs");
    let out = run(&env, &["reset", "Synthetic/c0"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let c0 = "SELECT COUNT(*) FROM cards WHERE key = 'c0' AND due IS NULL \
              AND stability IS NULL AND difficulty IS NULL";
    assert_eq!(count(&env, c0), 1);
    let with_memory = "SELECT COUNT(*) FROM cards WHERE key = 'c1' AND stability IS NOT NULL";
    assert_eq!(count(&env, with_memory), 1);
}
