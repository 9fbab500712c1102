//! The UI details of issue 14 through the state machine: the session refills
//! when a card is set aside, help opens at the screen's section, the grade
//! bar says what each grade does.

use recall::domain::QueueKind;
use recall::storage::Store;
use recall::tui::{Action, App, Flow, Mode, Screen, finish_edit, step};

use crate::common::{Env, day};
use crate::tui::{ctx, deck, draw, press, seed};

fn front(app: &App) -> String {
    match &app.screen {
        Screen::Review(shown) => shown.card.front.clone(),
        _ => panic!("not reviewing"),
    }
}

fn limited(db: &std::path::Path, new: u32) -> recall::workflows::Context {
    let mut ctx = ctx(db, &day(0));
    ctx.limits.new_per_deck = new;
    ctx
}

#[test]
fn a_new_card_suspended_or_buried_leaves_room_for_another_today() {
    let env = Env::new();
    seed(&env.db);
    // geo has three new cards; two a day.
    let mut app = App::review(limited(&env.db, 2), deck("geo")).unwrap();
    assert_eq!(app.session().unwrap().remaining(), 2);
    assert_eq!(front(&app), "Capital of France?");
    press(&mut app, &[Action::Suspend]);
    assert_eq!(app.session().unwrap().remaining(), 2, "refilled");
    assert_eq!(front(&app), "Largest planet?");
    press(&mut app, &[Action::Bury]);
    assert_eq!(front(&app), "H2O is commonly called?");
    assert_eq!(app.current().unwrap().kind, QueueKind::New);
    // Nothing more to refill from: the last one, answered, ends the day.
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    assert_eq!(app.mode(), Mode::Summary);
}

#[test]
fn a_refill_keeps_the_queue_order_and_the_redrills() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(limited(&env.db, 2), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal, Action::Grade(2)]);
    assert_eq!(front(&app), "Largest planet?");
    press(&mut app, &[Action::Suspend]);
    // The third new card fills the quota; France comes back as a re-drill.
    assert_eq!(front(&app), "H2O is commonly called?");
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    assert_eq!(front(&app), "Capital of France?");
    assert_eq!(app.current().unwrap().kind, QueueKind::Redrill);
}

#[test]
fn help_opens_at_the_section_of_the_screen_it_was_called_from() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Help]);
    let screen = draw(&mut app, 60, 16);
    let first = screen.lines().nth(2).unwrap();
    assert!(first.contains("Review"), "{screen}");
    insta::assert_snapshot!("help_from_review", screen);
    // It scrolls up to the sections before it.
    press(&mut app, &[Action::PageUp, Action::PageUp]);
    assert!(
        draw(&mut app, 60, 16)
            .lines()
            .nth(2)
            .unwrap()
            .contains("Home")
    );
}

#[test]
fn the_grade_bar_says_what_each_grade_does() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal]);
    let screen = draw(&mut app, 100, 30);
    assert!(screen.contains("wrong, familiar"), "{screen}");
    assert_eq!(screen.matches("↻ again today").count(), 4, "{screen}");
    insta::assert_snapshot!("grade_bar_wide", screen);
}

#[test]
fn the_too_small_notice_names_the_key_that_quits_from_that_screen() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    let home = draw(&mut app, 30, 8).replace("\"\n\"", " ");
    assert!(home.contains("press q"), "{home}");
    // In a session q only goes back to the decks.
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    let review = draw(&mut app, 30, 8).replace("\"\n\"", " ");
    assert!(
        review.contains("Ctrl-C") && !review.contains("press q"),
        "{review}"
    );
}

#[test]
fn recall_help_says_recall_alone_opens_the_deck_list() {
    let env = Env::new();
    env.at(&day(0))
        .arg("--help")
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "Run `recall` with no command to open the deck list (the home screen)",
        ));
}

#[test]
fn a_bad_edit_snippet_reopens_in_the_editor_with_the_text_kept() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    let Flow::Edit { card, text } = step(&mut app, Action::Edit) else {
        panic!("no edit effect");
    };
    let bad = text.replace(
        "back = \"Paris\"",
        "back = \"Paris (on the Seine)\nunclosed",
    );
    finish_edit(&mut app, card, Ok(bad.clone()));
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("card.toml:"),
        "{status:?}"
    );
    assert!(
        status.text.contains("Press e to reopen the editor"),
        "{status:?}"
    );
    // e opens the refused text again, the problem noted on top.
    let Flow::Edit { text: again, .. } = step(&mut app, Action::Edit) else {
        panic!("no edit effect");
    };
    assert!(
        again.starts_with("# recall: not saved: card.toml:"),
        "{again}"
    );
    assert!(again.ends_with(&bad), "{again}");
    let fixed = again.replace("Seine)\nunclosed", "Seine)\"");
    finish_edit(&mut app, card, Ok(fixed));
    assert!(!app.status.clone().unwrap().error, "{:?}", app.status);
    let stored = Store::open(&env.db).unwrap().card(card).unwrap().unwrap();
    assert_eq!(stored.back, "Paris (on the Seine)");
    // Saved: the next e opens the card as stored.
    let Flow::Edit { text, .. } = step(&mut app, Action::Edit) else {
        panic!("no edit effect");
    };
    assert!(!text.contains("# recall:"), "{text}");
}

#[test]
fn the_statistics_screen_scrolls_to_its_last_deck_and_its_charts_have_axes() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal, Action::Grade(4)]);
    let mut app = App::home(ctx(&env.db, &day(1))).unwrap();
    press(&mut app, &[Action::Stats]);
    // 100×20: the deck table starts below the screen's last line.
    let top = draw(&mut app, 100, 20);
    assert!(!top.contains("│geo "), "{top}");
    // The footer names ↑↓ too: the marks are the last column's.
    let marks = |s: &str| -> String {
        s.lines()
            .filter_map(|l| l.trim_end_matches('"').chars().last())
            .filter(|c| "↑↓".contains(*c))
            .collect()
    };
    assert_eq!(marks(&top), "↓", "{top}");
    // Axes: months over the heatmap, dates under the forecast.
    assert!(top.contains("Answers per day, last year"), "{top}");
    assert!(top.contains(" Mar "), "{top}");
    press(&mut app, &[Action::PageDown, Action::PageDown]);
    let bottom = draw(&mut app, 100, 20);
    assert!(
        bottom.contains("Mar 2 ") && bottom.contains("Mar 12"),
        "{bottom}"
    );
    assert!(bottom.contains("│geo "), "{bottom}");
    assert_eq!(marks(&bottom), "↑", "{bottom}");
    press(&mut app, &[Action::ScrollUp]);
    assert_ne!(draw(&mut app, 100, 20), bottom);
    // The heatmap's title follows the period, and so do its columns.
    press(&mut app, &[Action::NextPeriod]);
    let week = draw(&mut app, 100, 30);
    assert!(week.contains("Answers per day, last 7 days"), "{week}");
    let mon = week.lines().find(|l| l.contains("│Mon")).unwrap();
    assert!(
        mon.chars().filter(|c| "·░▒▓█".contains(*c)).count() <= 2,
        "{week}"
    );
}

#[test]
fn how_far_a_card_scrolls_follows_the_terminal_size_not_the_last_draw() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("aws")).unwrap();
    press(&mut app, &[Action::Reveal]);
    assert!(
        !draw(&mut app, 40, 12).contains("minute."),
        "below the fold"
    );
    // Enlarged: the whole card fits, so nothing scrolls, before any draw.
    app.resize(ratatui::layout::Rect::new(0, 0, 100, 40));
    press(&mut app, &[Action::PageDown]);
    let Screen::Review(shown) = &app.screen else {
        panic!("not reviewing");
    };
    assert_eq!(shown.scroll, 0, "scrolled by the small screen's limits");
    // Small again: a page down shows the end.
    app.resize(ratatui::layout::Rect::new(0, 0, 40, 12));
    press(&mut app, &[Action::PageDown, Action::PageDown]);
    assert!(draw(&mut app, 40, 12).contains("minute."));
}
