//! The TUI's writes as effects: `App::update` only asks, `tui::apply`
//! writes, and a write checks in its own transaction that the card is still
//! the one that was on screen when the key was pressed.

use recall::tui::{Action, App, Effect, Flow, apply};

use crate::common::{Env, day};
use crate::reliability_support::count;
use crate::tui::{ctx, deck, press, seed, shown_key};

fn reviews(env: &Env) -> i64 {
    count(&env.db, "SELECT COUNT(*) FROM reviews")
}

#[test]
fn an_update_writes_nothing_and_the_effect_it_returns_does() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal]);
    let first = shown_key(&app);

    let effect = app.update(Action::Grade(4));
    assert!(matches!(effect, Effect::Grade { .. }), "{effect:?}");
    assert_eq!(reviews(&env), 0, "the update itself wrote");
    assert_eq!(shown_key(&app), first, "the session moved before the write");

    assert_eq!(apply(&mut app, effect), Flow::Continue);
    assert_eq!(reviews(&env), 1);
    assert_ne!(shown_key(&app), first, "the next card shows once written");
}

#[test]
fn a_grade_for_a_card_answered_elsewhere_meanwhile_writes_nothing_and_reloads() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal]);
    let key = shown_key(&app);
    let grade = app.update(Action::Grade(5));
    // Another process answers the same card between the key and the write.
    env.at(&day(0))
        .args(["answer", "--deck", "geo", &key, "2"])
        .assert()
        .success();

    apply(&mut app, grade);
    let said = app.status.as_ref().map(|s| s.text.clone()).unwrap();
    assert!(said.contains("changed underneath this session"), "{said}");
    assert_eq!(reviews(&env), 1, "only the other process's answer");
    // The session goes on, from the queue as the database has it now.
    assert_eq!(app.mode(), recall::tui::Mode::Front);
}
