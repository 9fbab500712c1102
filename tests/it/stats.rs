//! Statistics and exports over a review history built by hand through
//! `recall answer`, whose figures are worked out below, answer by answer.

use predicates::prelude::*;
use serde_json::{Value, json};

use crate::common::{Env, day};
use crate::schema::{schema, validate};

const DECK: &str = r#"
name = "Stats"

[[cards]]
id = "a"
front = "A"
back = "a"
tags = ["t"]

[[cards]]
id = "b"
front = "B"
back = "b"
tags = ["t"]

[[cards]]
id = "c"
front = "C"
back = "c"

[[cards]]
id = "d"
front = "D"
back = "d"

[[cards]]
id = "e"
front = "E"
back = "e"
"#;

/// Today for the statistics: day 68 (2026-05-08), 09:00 UTC.
fn today() -> String {
    day(68)
}

/// (when, card, grade, duration_ms). Study day 0 is 2026-03-01; the rollover
/// hour is 04:00. The states after each scheduling answer (SM-2):
///   a: d0 5 → I1 EF2.6 · d1 4 → I6 · d7 5 → I16 EF2.7 · d23 5 → I44 EF2.8 ·
///      d67 3 (interval before 44: mature) → reps 5, I124, EF2.66, due d191
///   b: d0 3 → I1 EF2.36 (+4 re-drill) · d1 5 → I6 EF2.46 · d7 2 → lapse, I1 EF2.14
///      (+4) · d8 4 → I1 · d67 0 → lapse 2, I1, EF1.34, due d68 (+4)
///   c: d0 2 → lapse, EF2.18 (+5) · d1 3 → I1 EF2.04 (+4) · d2 4 → I6 ·
///      d8 5 → reps 3, I13, EF2.14, due d21
///   d: 2026-03-02 03:30 is still study day 0: 4 → I1 · d1 1 → lapse, EF1.96 (+4) ·
///      d2 5 → reps 1, I1, EF2.06, due d3
///   e: never answered.
fn history() -> Vec<(String, &'static str, u8, u32)> {
    let at = |n: i64| day(n);
    vec![
        (at(0), "a", 5, 2000),
        (at(0), "b", 3, 3000),
        (at(0), "b", 4, 0),
        (at(0), "c", 2, 4000),
        (at(0), "c", 5, 0),
        ("2026-03-02T03:30:00+00:00".into(), "d", 4, 1500),
        (at(1), "a", 4, 0),
        (at(1), "b", 5, 0),
        (at(1), "c", 3, 0),
        (at(1), "c", 4, 0),
        (at(1), "d", 1, 0),
        (at(1), "d", 4, 0),
        (at(2), "c", 4, 0),
        (at(2), "d", 5, 0),
        (at(7), "a", 5, 0),
        (at(7), "b", 2, 0),
        (at(7), "b", 4, 0),
        (at(8), "b", 4, 0),
        (at(8), "c", 5, 0),
        ("2026-03-24T11:00:00+02:00".into(), "a", 5, 0),
        (at(67), "a", 3, 6000),
        (at(67), "b", 0, 0),
        (at(67), "b", 4, 0),
    ]
}

fn env_with_deck() -> Env {
    let env = Env::new();
    let deck = env.file("stats.toml", DECK);
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    env
}

fn env_with_history() -> Env {
    let env = env_with_deck();
    for (now, card, grade, ms) in history() {
        env.at(&now)
            .args(["answer", "--deck", "Stats", card, &grade.to_string()])
            .args(["--duration-ms", &ms.to_string()])
            .assert()
            .success();
    }
    env
}

/// Merges the review log at `log` on day 1, checking that it succeeds.
fn merged_log(env: &Env, log: &std::path::Path) -> assert_cmd::assert::Assert {
    env.at(&day(1))
        .args(["import", "--reviews"])
        .arg(log)
        .assert()
        .success()
}

/// Writes the review log `name` holding `text`, and checks that merging
/// it on day 1 fails with status 1 and `expected` on stderr.
fn refused_log(env: &Env, name: &str, text: &str, expected: &str) {
    let log = env.file(name, text);
    env.at(&day(1))
        .args(["import", "--reviews"])
        .arg(&log)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(expected));
}

/// The Stats deck's review log, as `export reviews` writes it in CSV.
fn stats_log(env: &Env) -> String {
    stdout(
        env,
        &["export", "reviews", "--format", "csv", "--deck", "Stats"],
    )
}

fn stdout(env: &Env, args: &[&str]) -> String {
    let out = env.at(&today()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn hand_built_history_in_json_text_and_csv() {
    let env = env_with_history();
    let s = env.json(
        &today(),
        &[
            "stats", "--deck", "Stats", "--days", "30", "--format", "json",
        ],
    );
    validate(&schema(), &s, "$");
    assert_eq!(s["schema_version"], 1);
    assert_eq!(s["today"], "2026-05-08");
    assert_eq!(s["scope"], json!({"deck": "Stats", "tag": null}));
    assert_eq!(
        s["totals"],
        json!({"cards": 5, "new": 1, "learning": 3, "mature": 1, "suspended": 0, "buried": 0})
    );
    // Only day 67 lies in the 30 days: a 3 (mature, 6 s), b 0, b 4 (re-drill).
    assert_eq!(
        s["period"],
        json!({"reviews": 2, "redrills": 1, "cram": 0, "seconds": 6.0, "days_studied": 1})
    );
    let days = s["reviews_by_day"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    assert_eq!(days[0]["date"], "2026-04-09");
    assert_eq!(
        days[28],
        json!({"date": "2026-05-07", "reviews": 2, "redrills": 1, "cram": 0, "seconds": 6.0})
    );
    let busy: Vec<_> = days.iter().filter(|d| d["reviews"] != 0).collect();
    assert_eq!(busy.len(), 1);
    // Scheduling answers graded 3+: d0 3/4, d1 3/4, d2 2/2, d7 1/2, d8 2/2,
    // d23 1/1, d67 young 0/1 and mature 1/1: 13 of 17 in all.
    assert_eq!(
        s["retention"],
        json!({"overall": 0.5, "young": 0.0, "mature": 1.0, "today": null,
               "last_7": 0.5, "last_30": 0.5, "last_365": 13.0 / 17.0})
    );
    // Active days 0, 1, 2, 7, 8, 23, 67; today (68) has none yet.
    assert_eq!(
        s["streak"],
        json!({"current": 1, "longest": 3, "days_last_7": 1, "days_last_30": 1})
    );
    // Due: b today, c (day 21) and d (day 3) overdue; a on day 191.
    let forecast = s["forecast"].as_array().unwrap();
    assert_eq!(forecast.len(), 30);
    assert_eq!(forecast[0], json!({"date": "2026-05-08", "due": 3}));
    assert_eq!(
        forecast
            .iter()
            .map(|f| f["due"].as_u64().unwrap())
            .sum::<u64>(),
        3
    );
    let cards = |key: &str| -> Vec<u64> {
        s[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["cards"].as_u64().unwrap())
            .collect()
    };
    // Intervals 124, 1, 13, 1; e-factors 2.66, 1.34, 2.14, 2.06.
    assert_eq!(cards("intervals"), vec![2, 0, 0, 1, 0, 0, 1, 0, 0]);
    assert_eq!(cards("efactors"), vec![1, 0, 0, 1, 1, 0, 1, 0]);
    assert_eq!(
        s["intervals"][3],
        json!({"from": 8, "below": 15, "cards": 1})
    );
    assert_eq!(
        s["hardest"],
        json!([
            {"deck": "Stats", "id": "b", "lapses": 2, "efactor": 1.34},
            {"deck": "Stats", "id": "d", "lapses": 1, "efactor": 2.06},
            {"deck": "Stats", "id": "c", "lapses": 1, "efactor": 2.14}
        ])
    );
    assert_eq!(
        s["decks"],
        json!([{"name": "Stats", "cards": 5, "new": 1, "learning": 3, "mature": 1,
                "suspended": 0, "buried": 0, "mature_share": 0.2, "due_today": 3,
                "retention": 0.5}])
    );

    // The whole history: young 12 of 16, mature 1 of 1.
    let year = env.json(&today(), &["stats", "--deck", "Stats", "--format", "json"]);
    validate(&schema(), &year, "$");
    assert_eq!(year["retention"]["overall"], 13.0 / 17.0);
    assert_eq!(year["retention"]["young"], 0.75);
    assert_eq!(year["period"]["reviews"], 17);
    assert_eq!(year["period"]["redrills"], 6);
    assert_eq!(year["period"]["seconds"], 16.5);
    assert_eq!(year["period"]["days_studied"], 7);
    let first_day = &year["reviews_by_day"][365 - 69];
    assert_eq!(
        *first_day,
        json!({"date": "2026-03-01", "reviews": 4, "redrills": 2, "cram": 0, "seconds": 10.5})
    );

    let text = stdout(&env, &["stats", "--deck", "Stats", "--days", "30"]);
    for line in [
        "Statistics for deck Stats, last 30 days (today 2026-05-08)",
        "Cards: 5 (1 new, 3 learning, 1 mature, 0 suspended, 0 buried)",
        "Answers: 2 reviews, 1 re-drill, 0 cram; 6 s on 1 day",
        "Retention: 50.0% overall (0.0% young, 100.0% mature); today -, 7 days 50.0%, 30 days 50.0%, 365 days 76.5%",
        "Streak: 1 day (longest 3); studied 1 of the last 7 days, 1 of the last 30",
        "Forecast: 3 due today, 0 tomorrow, 3 in 7 days, 3 in 30 days",
        "Intervals: 1–<2 d 2, 2–<4 d 0, 4–<8 d 0, 8–<15 d 1, 15–<31 d 0, 31–<91 d 0, 91–<181 d 1, 181–<366 d 0, 366 d+ 0",
        "E-factors: 1.3–<1.5 1, 1.5–<1.7 0, 1.7–<1.9 0, 1.9–<2.1 1, 2.1–<2.3 1, 2.3–<2.5 0, 2.5–<2.7 1, 2.7+ 0",
        "Hardest: Stats/b (2 lapses, EF 1.34), Stats/d (1 lapse, EF 2.06), Stats/c (1 lapse, EF 2.14)",
        "Stats      5   20.0%    3      50.0%  sm2",
    ] {
        assert!(
            text.lines().any(|l| l == line),
            "missing {line:?} in\n{text}"
        );
    }

    let daily = stdout(
        &env,
        &[
            "stats", "--deck", "Stats", "--days", "30", "--format", "csv",
        ],
    );
    let rows: Vec<&str> = daily.lines().collect();
    assert_eq!(rows.len(), 31);
    assert_eq!(rows[0], "date,reviews,redrills,cram,seconds");
    assert_eq!(rows[29], "2026-05-07,2,1,0,6.0");
    assert_eq!(rows[30], "2026-05-08,0,0,0,0.0");
    let decks = stdout(
        &env,
        &[
            "stats", "--deck", "Stats", "--days", "30", "--format", "csv", "--table", "decks",
        ],
    );
    assert_eq!(
        decks,
        "name,cards,new,learning,mature,suspended,buried,mature_share,due_today,retention\n\
         Stats,5,1,3,1,0,0,0.2,3,0.5\n"
    );
    let log = stdout(
        &env,
        &[
            "stats", "--deck", "Stats", "--days", "30", "--format", "csv", "--table", "reviews",
        ],
    );
    assert_eq!(
        log,
        "deck,card,reviewed_at,grade,kind,duration_ms\n\
         Stats,a,2026-05-07T09:00:00+00:00,3,schedule,6000\n\
         Stats,b,2026-05-07T09:00:00+00:00,0,schedule,0\n\
         Stats,b,2026-05-07T09:00:00+00:00,4,redrill,0\n"
    );
}

#[test]
fn a_tag_scope_reads_the_log_itself_and_agrees() {
    let env = env_with_history();
    // Cards a and b: a passed 5 of 5 (the last one mature), b 3 of 5.
    let s = env.json(&today(), &["stats", "--tag", "t", "--format", "json"]);
    validate(&schema(), &s, "$");
    assert_eq!(s["scope"], json!({"deck": null, "tag": "t"}));
    assert_eq!(s["totals"]["cards"], 2);
    assert_eq!(s["retention"]["overall"], 0.8);
    assert_eq!(s["retention"]["young"], 7.0 / 9.0);
    assert_eq!(s["retention"]["mature"], 1.0);
    assert_eq!(s["period"]["reviews"], 10);
    assert_eq!(s["period"]["redrills"], 3);
    assert_eq!(s["streak"]["longest"], 2);
    assert_eq!(s["decks"].as_array().unwrap().len(), 1);
    assert_eq!(s["decks"][0]["retention"], 0.8);
}

#[test]
fn exports_write_states_and_the_log_with_offsets() {
    let env = env_with_history();
    let progress = stdout(
        &env,
        &["export", "progress", "--format", "csv", "--deck", "Stats"],
    );
    assert_eq!(
        progress,
        "deck,id,repetitions,efactor,interval_days,due,lapses,last_review\n\
         Stats,a,5,2.66,124,2026-09-08,0,2026-05-07T09:00:00+00:00\n\
         Stats,b,0,1.34,1,2026-05-08,2,2026-05-07T09:00:00+00:00\n\
         Stats,c,3,2.14,13,2026-03-22,1,2026-03-09T09:00:00+00:00\n\
         Stats,d,1,2.06,1,2026-03-04,1,2026-03-03T09:00:00+00:00\n\
         Stats,e,0,2.5,0,,0,\n"
    );
    let json = env.json(
        &today(),
        &["export", "progress", "--format", "json", "--deck", "Stats"],
    );
    assert_eq!(
        json[4],
        json!({"deck": "Stats", "id": "e", "repetitions": 0, "efactor": 2.5, "interval_days": 0,
               "due": null, "lapses": 0, "last_review": null})
    );
    let log = stats_log(&env);
    let lines: Vec<&str> = log.lines().collect();
    assert_eq!(lines.len(), 24);
    assert!(lines.contains(&"Stats,d,2026-03-02T03:30:00+00:00,4,schedule,1500"));
    assert!(lines.contains(&"Stats,a,2026-03-24T11:00:00+02:00,5,schedule,0"));
    assert_eq!(
        lines.iter().filter(|l| l.ends_with(",redrill,0")).count(),
        6
    );
    let since = stdout(
        &env,
        &[
            "export",
            "reviews",
            "--format",
            "json",
            "--since",
            "2026-03-24",
        ],
    );
    let since: Value = serde_json::from_str(&since).unwrap();
    assert_eq!(since.as_array().unwrap().len(), 4);
    assert_eq!(since[0]["reviewed_at"], "2026-03-24T11:00:00+02:00");

    // Written whole to a file, which is never replaced without --force.
    let target = env.dir.path().join("log.csv");
    let path = target.to_str().unwrap();
    env.at(&today())
        .args(["export", "reviews", "--format", "csv", "--output", path])
        .assert()
        .success()
        .stdout("");
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("deck,card,")
    );
    env.at(&today())
        .args(["export", "progress", "--format", "csv", "--output", path])
        .assert()
        .failure()
        .stderr(predicate::str::contains("already exists; pass --force"));
    env.at(&today())
        .args([
            "export", "progress", "--format", "csv", "-o", path, "--force",
        ])
        .assert()
        .success();
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .starts_with("deck,id,")
    );
}

#[test]
fn exported_reviews_replay_into_the_same_states() {
    let env = env_with_history();
    let csv = stdout(&env, &["export", "reviews", "--format", "csv"]);
    let json = stdout(&env, &["export", "reviews", "--format", "json"]);
    let progress = |e: &Env| {
        stdout(
            e,
            &["export", "progress", "--format", "csv", "--deck", "Stats"],
        )
    };
    let expected = progress(&env);

    let fresh = env_with_deck();
    let log = fresh.file("log.csv", &csv);
    fresh
        .at(&today())
        .args(["import", "--reviews"])
        .arg(&log)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "23 answers added, 0 already present, 4 cards recomputed, 0 answers of unknown cards skipped",
        ));
    assert_eq!(progress(&fresh), expected);
    assert_eq!(
        stdout(&fresh, &["export", "reviews", "--format", "csv"]),
        csv
    );
    let stats = |e: &Env| e.json(&today(), &["stats", "--deck", "Stats", "--format", "json"]);
    assert_eq!(stats(&fresh), stats(&env));

    // The same log again (as JSON this time) changes nothing.
    let before = fresh.db_bytes();
    let again = fresh.file("log.json", &json);
    let report = fresh.json(
        &today(),
        &["import", "--reviews", again.to_str().unwrap(), "--json"],
    );
    assert_eq!(
        (report["added"].as_u64(), report["skipped"].as_u64()),
        (Some(0), Some(23))
    );
    assert_eq!(progress(&fresh), expected);
    assert!(
        before == fresh.db_bytes(),
        "a second import wrote to the database"
    );
}

#[test]
fn imports_merge_histories_and_report_unknown_cards() {
    let env = env_with_deck();
    env.at(&day(0))
        .args(["answer", "--deck", "Stats", "a", "5"])
        .assert()
        .success();
    // Another machine answered a at 10:00 the same study day (a re-drill
    // once merged), b the day after, and a card this database lacks; a cram
    // answer never schedules.
    let log = env.file(
        "other.csv",
        "deck,card,reviewed_at,grade,kind\n\
         Stats,a,2026-03-01T10:00:00+00:00,2,schedule\n\
         Stats,b,2026-03-02T09:00:00+00:00,4,\n\
         Stats,b,2026-03-02T09:05:00+00:00,1,cram\n\
         Other,x,2026-03-02T09:00:00+00:00,4,schedule\n\
         Other,x,2026-03-03T09:00:00+00:00,4,schedule\n",
    );
    merged_log(&env, &log)
        .stdout(predicate::str::contains(
            "3 answers added, 0 already present, 2 cards recomputed, 2 answers of unknown cards skipped",
        ))
        .stdout(predicate::str::contains("unknown cards: Other/x (2)"));
    let log = stats_log(&env);
    assert_eq!(
        log,
        "deck,card,reviewed_at,grade,kind,duration_ms\n\
         Stats,a,2026-03-01T09:00:00+00:00,5,schedule,0\n\
         Stats,a,2026-03-01T10:00:00+00:00,2,redrill,0\n\
         Stats,b,2026-03-02T09:00:00+00:00,4,schedule,0\n\
         Stats,b,2026-03-02T09:05:00+00:00,1,cram,0\n"
    );
    // The per-day totals follow the rewritten log: a's own answer stays the
    // scheduling one, the other machine's becomes a re-drill.
    let s = env.json(&day(1), &["stats", "--deck", "Stats", "--format", "json"]);
    assert_eq!(
        s["period"],
        json!({"reviews": 2, "redrills": 1, "cram": 1, "seconds": 0.0, "days_studied": 2})
    );
    assert_eq!(s["retention"]["overall"], 1.0);
    let progress = stdout(
        &env,
        &["export", "progress", "--format", "csv", "--deck", "Stats"],
    );
    assert!(
        progress.contains("Stats,a,1,2.6,1,2026-03-02,0,"),
        "{progress}"
    );
    assert!(
        progress.contains("Stats,b,1,2.5,1,2026-03-03,0,"),
        "{progress}"
    );

    refused_log(
        &env,
        "bad.csv",
        "deck,card,reviewed_at,grade\nStats,a,2026-03-05T09:00:00Z,4\nStats,b,soon,4\n",
        "bad.csv:3:1: reviewed_at \"soon\"",
    );
    assert_eq!(stats_log(&env), log);
    // A time a merge cannot hold (before the year 855) is refused, naming
    // its answer, and nothing of the file is merged.
    refused_log(
        &env,
        "far.csv",
        "deck,card,reviewed_at,grade\nStats,a,2026-03-05T09:00:00Z,4\nStats,b,0800-03-05T09:00:00Z,4\n",
        "far.csv: answer 2: its time (0800-03-05T09:00:00+00:00) is out of the range recall holds",
    );
    assert_eq!(stats_log(&env), log);
    // The import put the triggers back: a new answer is counted again.
    env.at(&day(1))
        .args(["answer", "--deck", "Stats", "c", "5"])
        .assert()
        .success();
    let s = env.json(&day(1), &["stats", "--deck", "Stats", "--format", "json"]);
    assert_eq!(s["period"]["reviews"], 3);
}

/// A log that gives nothing to merge — no answers, or none for a card of
/// this database — is a mistake: an error naming the file, and nothing
/// written. (A log already merged is not: its answers are all present.)
#[test]
fn a_log_with_nothing_to_merge_is_an_error() {
    let env = env_with_deck();
    // The day's first open writes (its backup is recorded): before the snapshot.
    env.at(&day(1)).arg("decks").assert().success();
    let before = env.db_bytes();
    refused_log(
        &env,
        "empty.csv",
        "deck,card,reviewed_at,grade\n",
        "empty.csv: no answers in it: a review log has a header line",
    );
    refused_log(
        &env,
        "other.csv",
        "deck,card,reviewed_at,grade\n\
         Other,x,2026-03-01T09:00:00Z,4\n\
         Other,x,2026-03-02T09:00:00Z,4\n\
         Stats,zz,2026-03-02T09:00:00Z,4\n",
        "other.csv: none of its 3 answers is for a card of this database (cards are \
         matched by deck name and card id): Other/x (2), Stats/zz (1); nothing was imported",
    );
    refused_log(
        &env,
        "one.csv",
        "deck,card,reviewed_at,grade\nOther,y,2026-03-01T09:00:00Z,4\n",
        "one.csv: its one answer is not for a card of this database",
    );
    assert!(env.db_bytes() == before, "nothing was written");
}

/// Card ids far apart (a database whose ids were set by hand) cost the
/// merge nothing: its answers are grouped by each card's place among the
/// cards, not by id.
#[test]
fn a_log_merges_into_cards_whose_ids_are_far_apart() {
    let env = env_with_deck();
    let conn = rusqlite::Connection::open(&env.db).unwrap();
    conn.execute(
        "UPDATE cards SET id = 4000000000000 WHERE key = 'b' AND deck_id = \
         (SELECT id FROM decks WHERE name = 'Stats')",
        [],
    )
    .unwrap();
    drop(conn);
    let log = env.file(
        "far.csv",
        "deck,card,reviewed_at,grade\n\
         Stats,b,2026-03-01T09:00:00Z,4\n\
         Stats,a,2026-03-01T09:01:00Z,5\n\
         Stats,b,2026-03-02T09:00:00Z,5\n",
    );
    merged_log(&env, &log).stdout(predicate::str::contains(
        "3 answers added, 0 already present, 2 cards recomputed",
    ));
    let exported = stats_log(&env);
    assert_eq!(
        exported,
        "deck,card,reviewed_at,grade,kind,duration_ms\n\
         Stats,b,2026-03-01T09:00:00+00:00,4,schedule,0\n\
         Stats,a,2026-03-01T09:01:00+00:00,5,schedule,0\n\
         Stats,b,2026-03-02T09:00:00+00:00,5,schedule,0\n"
    );
}

#[test]
fn the_schema_checker_rejects_what_the_schema_forbids() {
    let s = schema();
    let good = env_with_deck().json(&today(), &["stats", "--deck", "Stats", "--format", "json"]);
    validate(&s, &good, "$");
    for (field, bad) in [
        ("schema_version", json!(2)),
        ("retention", json!({"overall": 1.5})),
        ("extra", json!(1)),
    ] {
        let mut broken = good.clone();
        broken[field] = bad;
        let caught = std::panic::catch_unwind(|| validate(&s, &broken, "$")).is_err();
        assert!(caught, "{field} was accepted");
    }
}

#[test]
fn undo_takes_the_answer_out_of_the_statistics() {
    let env = env_with_deck();
    let now = day(0);
    for grade in ["2", "4"] {
        env.at(&now)
            .args([
                "answer",
                "--deck",
                "Stats",
                "a",
                grade,
                "--duration-ms",
                "1000",
            ])
            .assert()
            .success();
    }
    let period = |env: &Env| {
        env.json(&now, &["stats", "--deck", "Stats", "--format", "json"])["period"].clone()
    };
    assert_eq!(
        period(&env),
        json!({"reviews": 1, "redrills": 1, "cram": 0, "seconds": 2.0, "days_studied": 1})
    );
    env.at(&now).arg("undo").assert().success();
    env.at(&now).arg("undo").assert().success();
    assert_eq!(
        period(&env),
        json!({"reviews": 0, "redrills": 0, "cram": 0, "seconds": 0.0, "days_studied": 0})
    );
    let s = env.json(&now, &["stats", "--deck", "Stats", "--format", "json"]);
    assert_eq!(s["streak"]["current"], 0);
    assert_eq!(s["retention"]["overall"], Value::Null);
}
