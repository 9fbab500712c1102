//! Leeches and sibling burying over simulated days (`RECALL_NOW`), through
//! the CLI: what `recall next` offers and what `recall answer` reports.

use serde_json::Value;

use crate::common::{Env, day};

const LEECHY: &str = "name = \"Hard\"\n[[cards]]\nid = \"h\"\nfront = \"Q\"\nback = \"A\"\n";

fn env_with(deck: &str) -> Env {
    let env = Env::new();
    let file = env.file("deck.toml", deck);
    env.at(&day(0)).arg("import").arg(&file).assert().success();
    env
}

fn next(env: &Env, now: &str, deck: &str) -> Value {
    env.json(now, &["next", "--deck", deck, "--json"])
}

fn answer(env: &Env, now: &str, card: &Value, grade: u8) -> Value {
    let id = card["id"].as_i64().unwrap().to_string();
    env.json(now, &["answer", &id, &grade.to_string(), "--json"])
}

/// The card's (suspended, tags) as stored.
fn flags(env: &Env, key: &str) -> (bool, String) {
    let db = rusqlite::Connection::open(&env.db).unwrap();
    db.query_row(
        "SELECT suspended, tags FROM cards WHERE key = ?1",
        [key],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .unwrap()
}

/// Fails the card once on day `d` (its one scheduling answer of the day)
/// and returns what `answer` said.
fn lapse(env: &Env, d: i64) -> Value {
    let now = day(d);
    let card = next(env, &now, "Hard")["card"].clone();
    assert!(!card.is_null(), "the card is due on day {d}");
    answer(env, &now, &card, 1)
}

#[test]
fn a_card_that_lapses_eight_times_is_tagged_leech_and_suspended() {
    let env = env_with(LEECHY);
    for d in 0..7 {
        let said = lapse(&env, d);
        assert_eq!(said["lapses"], d + 1);
        assert!(said.get("leech").is_none(), "no leech at {} lapses", d + 1);
    }
    assert_eq!(flags(&env, "h"), (false, String::new()));
    let said = lapse(&env, 7);
    assert_eq!(
        (said["lapses"].clone(), said["leech"].clone()),
        (8.into(), "suspend".into())
    );
    assert_eq!(flags(&env, "h"), (true, "leech".to_string()));
    // Suspended: not even today's re-drill comes back, nor tomorrow's review.
    assert!(next(&env, &day(7), "Hard")["card"].is_null());
    assert!(next(&env, &day(8), "Hard")["card"].is_null());
    // The text output says so too, and undo takes it all back.
    env.json(&day(7), &["undo", "--json"]);
    assert_eq!(flags(&env, "h"), (false, String::new()));
    let out = env
        .at(&day(7))
        .args(["answer", "--deck", "Hard", "h", "0"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Leech: card") && text.contains("suspended and tagged leech"),
        "{text}"
    );
    // Re-importing the deck file keeps the tag recall gave.
    let file = env.file("deck.toml", LEECHY);
    env.at(&day(8)).arg("import").arg(&file).assert().success();
    assert_eq!(flags(&env, "h"), (true, "leech".to_string()));
}

#[test]
fn the_review_screen_announces_a_leech_and_drops_it_from_the_session() {
    use recall::domain::leech::{LeechAction, LeechPolicy};
    use recall::tui::{Action, App, Screen};

    let env = env_with(&format!(
        "{LEECHY}[[cards]]\nid = \"next\"\nfront = \"Q2\"\nback = \"A2\"\n"
    ));
    let mut ctx = crate::tui::ctx(&env.db, &day(0));
    ctx.store.set_leech_policy(LeechPolicy {
        threshold: 1,
        action: LeechAction::Suspend,
    });
    let mut app = App::review(ctx, crate::tui::deck("Hard")).unwrap();
    crate::tui::press(&mut app, &[Action::Reveal, Action::Grade(0)]);
    let status = app.status.clone().expect("a status line").text;
    assert_eq!(
        status,
        "Leech: “Q” suspended (tag leech). u brings it back."
    );
    // Not re-drilled: the next card, then the end.
    crate::tui::press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    assert!(
        matches!(app.screen, Screen::Summary(_)),
        "the leech came back"
    );
    crate::tui::press(&mut app, &[Action::Undo, Action::Undo]);
    assert_eq!(flags(&env, "h"), (false, String::new()), "undo unsuspends");

    // The session's last card: the summary still says it. Tag only: the
    // card stays, as a re-drill.
    for (action, said) in [
        (
            LeechAction::Suspend,
            "Leech: “Q” suspended (tag leech). u brings it back.",
        ),
        (LeechAction::Tag, "Leech: “Q” tagged leech."),
    ] {
        let env = env_with(LEECHY);
        let mut ctx = crate::tui::ctx(&env.db, &day(0));
        ctx.store.set_leech_policy(LeechPolicy {
            threshold: 1,
            action,
        });
        let mut app = App::review(ctx, crate::tui::deck("Hard")).unwrap();
        crate::tui::press(&mut app, &[Action::Reveal, Action::Grade(0)]);
        let reviewing = matches!(app.screen, Screen::Review(_));
        assert_eq!(reviewing, action == LeechAction::Tag, "{action:?}");
        assert_eq!(app.status.clone().unwrap().text, said);
    }
}

#[test]
fn tag_only_leeches_keep_coming_and_are_flagged_again_every_half_threshold() {
    let env = env_with(LEECHY);
    env.config("leech_threshold = 4\nleech_action = \"tag\"\n");
    let mut leech_at = Vec::new();
    for d in 0..10 {
        let said = lapse(&env, d);
        if said.get("leech").is_some() {
            assert_eq!(said["leech"], "tag");
            leech_at.push(said["lapses"].as_i64().unwrap());
        }
    }
    assert_eq!(leech_at, [4, 6, 8, 10]);
    assert_eq!(flags(&env, "h"), (false, "leech".to_string()));
}

const SIBLINGS: &str = r#"
name = "Sib"

[[cards]]
id = "capital"
front = "Capital of France?"
back = "Paris"
reverse = true

[[cards]]
id = "aurora"
front = "{{c1::Aurora}} is {{c2::MySQL}}-compatible"

[[cards]]
id = "alone"
front = "Q"
back = "A"
"#;

/// Studies the deck on day `d` until nothing is left (all graded 4), and
/// returns the card keys shown, in order.
fn study_day(env: &Env, d: i64) -> Vec<String> {
    let now = day(d);
    let mut shown = Vec::new();
    loop {
        let card = next(env, &now, "Sib")["card"].clone();
        if card.is_null() {
            return shown;
        }
        shown.push(card["card_id"].as_str().unwrap().to_string());
        answer(env, &now, &card, 4);
        assert!(shown.len() < 20, "no end to day {d}: {shown:?}");
    }
}

#[test]
fn siblings_never_come_up_the_same_day_and_all_come_up_in_time() {
    let env = env_with(SIBLINGS);
    let note = |key: &str| key.split(':').next().unwrap().to_string();
    let mut seen = Vec::new();
    for d in 0..4 {
        let shown = study_day(&env, d);
        let mut notes: Vec<String> = shown.iter().map(|k| note(k)).collect();
        notes.sort();
        let before = notes.len();
        notes.dedup();
        assert_eq!(
            notes.len(),
            before,
            "day {d} showed siblings together: {shown:?}"
        );
        seen.extend(shown);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen,
        [
            "alone",
            "aurora:c1",
            "aurora:c2",
            "capital",
            "capital:reverse"
        ],
        "every card came up within four days"
    );
    // Day 0 showed one card of each note, the new-card limit notwithstanding.
    let fresh = env_with(SIBLINGS);
    assert_eq!(study_day(&fresh, 0), ["capital", "aurora:c1", "alone"]);
}

#[test]
fn with_bury_siblings_off_every_new_card_comes_up_at_once() {
    let env = env_with(SIBLINGS);
    env.config("bury_siblings = false\n");
    assert_eq!(
        study_day(&env, 0),
        [
            "capital",
            "capital:reverse",
            "aurora:c1",
            "aurora:c2",
            "alone"
        ]
    );
}

#[test]
fn cards_held_back_for_a_sibling_leave_room_for_other_notes() {
    // Six notes of two cards each under a new limit of 4: four notes' first
    // cards, not two notes' pairs cut at the limit.
    let mut deck = String::from("name = \"Sib\"\n");
    for i in 0..6 {
        deck.push_str(&format!(
            "[[cards]]\nid = \"n{i}\"\nfront = \"Q{i}\"\nback = \"A{i}\"\nreverse = true\n"
        ));
    }
    let env = env_with(&deck);
    env.config("new_per_day = 4\n");
    assert_eq!(study_day(&env, 0), ["n0", "n1", "n2", "n3"]);
    // Day 1: the four reviews hold their reverses back; new are n4 and n5.
    assert_eq!(study_day(&env, 1), ["n0", "n1", "n2", "n3", "n4", "n5"]);
    assert_eq!(
        study_day(&env, 2),
        [
            "n4",
            "n5",
            "n0:reverse",
            "n1:reverse",
            "n2:reverse",
            "n3:reverse"
        ]
    );
}
