//! The card browser through the App (snapshots, actions) and in a real
//! terminal: find a suspended card, unsuspend it, study it today.

use recall::storage::Store;
use recall::tui::browser::BrowserAction;
use recall::tui::{Action, App, Flow, Mode, Screen, finish_edit, step};

use crate::common::{Env, day};
use crate::pty::Tui;
use crate::tui::{ctx, deck, draw, press, seed};

fn typed(app: &mut App, text: &str) {
    for c in text.chars() {
        assert_eq!(
            step(app, Action::Browser(BrowserAction::Type(c))),
            Flow::Continue
        );
    }
}

fn status(app: &App) -> String {
    app.status
        .as_ref()
        .map(|s| s.text.clone())
        .unwrap_or_default()
}

fn suspended(db: &std::path::Path, deck: &str, key: &str) -> bool {
    let store = Store::open(db).unwrap();
    let id = store.card_by_key(deck, key).unwrap().unwrap();
    store.card(id).unwrap().unwrap().suspended
}

#[test]
fn the_browser_lists_searches_and_shows_a_cards_history() {
    let env = Env::new();
    seed(&env.db);
    // Two answers for france, so the detail has a history.
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal, Action::Grade(2)]);
    let mut app = App::review(ctx(&env.db, &day(1)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);

    let mut app = App::home(ctx(&env.db, &day(1))).unwrap();
    press(&mut app, &[Action::Browse]);
    assert_eq!(app.mode(), Mode::BrowseQuery);
    let screen = draw(&mut app, 100, 24);
    assert!(
        !screen.contains('\u{1b}') && !screen.contains('\u{7}'),
        "{screen}"
    );
    insta::assert_snapshot!("browser", screen);

    typed(&mut app, "france");
    insta::assert_snapshot!("browser_history", draw(&mut app, 100, 24));
    typed(&mut app, " is:fresh");
    let screen = draw(&mut app, 100, 24);
    assert!(screen.contains("column 11"), "{screen}");
    assert!(screen.contains("Capital of France?"), "list kept: {screen}");
    insta::assert_snapshot!("browser_error", screen);
    insta::assert_snapshot!("browser_narrow", draw(&mut app, 40, 12));
}

#[test]
fn suspend_from_the_browser_and_back_home_counts_it_out() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    press(&mut app, &[Action::Browse]);
    typed(&mut app, "deck:geo");
    press(
        &mut app,
        &[
            Action::Browser(BrowserAction::FocusList),
            Action::Browser(BrowserAction::Mark),
            Action::Browser(BrowserAction::Mark),
        ],
    );
    assert_eq!(app.mode(), Mode::Browse);
    press(&mut app, &[Action::Suspend]);
    assert_eq!(status(&app), "Suspended: 2 cards.");
    assert!(suspended(&env.db, "geo", "france") && suspended(&env.db, "geo", "jupiter"));
    assert!(!suspended(&env.db, "geo", "h2o"));
    press(&mut app, &[Action::Suspend]);
    assert!(status(&app).contains("1 card"), "{}", status(&app));
    press(&mut app, &[Action::Browser(BrowserAction::Unsuspend)]);
    assert_eq!(status(&app), "Unsuspended: 1 card.");
    press(&mut app, &[Action::Back]);
    assert!(matches!(app.screen, Screen::Home));
    let geo = app.decks.iter().find(|d| d.summary.name == "geo").unwrap();
    assert_eq!(geo.to_study, 1, "two suspended, one left");
}

#[test]
fn opened_from_a_review_the_browser_returns_to_it_with_the_queue_rebuilt() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    let first = app.current().unwrap().card;
    press(&mut app, &[Action::Browse, Action::Back]);
    assert_eq!(app.current().unwrap().card, first, "nothing changed");

    press(&mut app, &[Action::Browse]);
    typed(&mut app, "france");
    press(
        &mut app,
        &[
            Action::Browser(BrowserAction::FocusList),
            Action::Bury,
            Action::Back,
        ],
    );
    let now = app.current().expect("still reviewing").card;
    assert_ne!(now, first, "the buried card left the session");
    assert_eq!(app.session().unwrap().remaining(), 2);
}

#[test]
fn move_resolves_the_deck_as_typed_and_an_unknown_one_says_so() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    press(&mut app, &[Action::Browse]);
    typed(&mut app, "h2o");
    press(
        &mut app,
        &[
            Action::Browser(BrowserAction::FocusList),
            Action::Browser(BrowserAction::Move),
        ],
    );
    assert_eq!(app.mode(), Mode::BrowsePrompt);
    typed(&mut app, "gep");
    press(&mut app, &[Action::Browser(BrowserAction::Confirm)]);
    assert!(status(&app).contains("did you mean"), "{}", status(&app));
    assert_eq!(app.mode(), Mode::BrowsePrompt, "the prompt stays to fix it");
    press(
        &mut app,
        &[
            Action::Browser(BrowserAction::Erase),
            Action::Browser(BrowserAction::Erase),
            Action::Browser(BrowserAction::Erase),
        ],
    );
    typed(&mut app, "AWS");
    insta::assert_snapshot!("browser_move", draw(&mut app, 80, 14));
    press(&mut app, &[Action::Browser(BrowserAction::Confirm)]);
    assert_eq!(status(&app), "Moved 1 card to aws.");
    let store = Store::open(&env.db).unwrap();
    assert!(store.card_by_key("aws", "h2o").unwrap().is_some());
}

#[test]
fn delete_asks_first_and_keeps_a_backup() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    press(&mut app, &[Action::Browse]);
    typed(&mut app, "jupiter");
    press(
        &mut app,
        &[
            Action::Browser(BrowserAction::FocusList),
            Action::Browser(BrowserAction::Delete),
        ],
    );
    typed(&mut app, "n");
    assert_eq!(status(&app), "Nothing deleted.");
    let store = Store::open(&env.db).unwrap();
    assert!(store.card_by_key("geo", "jupiter").unwrap().is_some());

    press(&mut app, &[Action::Browser(BrowserAction::Delete)]);
    insta::assert_snapshot!("browser_delete", draw(&mut app, 100, 14));
    typed(&mut app, "y");
    let text = status(&app);
    assert!(text.starts_with("Deleted 1 card (0 answers)"), "{text}");
    assert!(store.card_by_key("geo", "jupiter").unwrap().is_none());
    let backup = text.rsplit("a backup is in ").next().unwrap();
    let backup = std::path::Path::new(backup.trim_end_matches('.'));
    let copy = Store::open(backup).unwrap();
    assert!(
        copy.card_by_key("geo", "jupiter").unwrap().is_some(),
        "the backup holds the card"
    );
}

#[test]
fn find_a_suspended_card_unsuspend_it_and_study_it_today_in_a_real_terminal() {
    let env = Env::new();
    let deck = env.file(
        "geo.toml",
        "name = \"geo\"\n[[cards]]\nid = \"france\"\nfront = \"Capital of France?\"\nback = \"Paris\"\n",
    );
    env.at(&day(0)).arg("import").arg(&deck).assert().success();
    env.at(&day(0))
        .args(["suspend", "geo/france"])
        .assert()
        .success();

    // The home screen lists the bundled decks too: geo's row, counted.
    let decks = env.json(&day(0), &["decks", "--json"]);
    let row = decks
        .as_array()
        .unwrap()
        .iter()
        .position(|d| d["name"] == "geo")
        .unwrap();
    let mut tui = Tui::start(&env, &day(0), &[]);
    tui.wait_for("geo");
    tui.keys("/");
    tui.wait_for("Search:");
    tui.keys("is:suspended");
    // Not "1 of 1": the unfiltered list's "1 of 194" contains that too.
    let screen = tui.wait_for(" 1 of 1 ");
    assert!(screen.contains("Capital of France?"), "{screen}");
    assert!(screen.contains("suspended"), "{screen}");
    tui.keys("\r");
    tui.keys("S");
    tui.wait_for("Unsuspended: 1 card.");
    tui.keys("q");
    tui.wait_for("decks");
    tui.keys(&"j".repeat(row));
    tui.keys("\r");
    tui.wait_for("Capital of France?");
    tui.keys("q");
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
    assert!(tui.restored());
}

#[test]
fn on_the_search_line_letters_are_typed_and_in_the_list_they_are_actions() {
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
    use recall::tui::keys::action;
    let key = |c: char| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE);
    for c in ['q', 'j', 's', '?', '/', ' ', ':', 'é'] {
        assert_eq!(
            action(Mode::BrowseQuery, key(c)),
            Some(Action::Browser(BrowserAction::Type(c)))
        );
        assert_eq!(
            action(Mode::BrowsePrompt, key(c)),
            Some(Action::Browser(BrowserAction::Type(c)))
        );
    }
    let special = |code| KeyEvent::new(code, KeyModifiers::NONE);
    assert_eq!(
        action(Mode::BrowseQuery, special(KeyCode::Backspace)),
        Some(Action::Browser(BrowserAction::Erase))
    );
    assert_eq!(
        action(Mode::BrowseQuery, special(KeyCode::Enter)),
        Some(Action::Browser(BrowserAction::FocusList))
    );
    assert_eq!(
        action(Mode::BrowseQuery, special(KeyCode::Esc)),
        Some(Action::Back)
    );
    assert_eq!(
        action(Mode::BrowsePrompt, special(KeyCode::Esc)),
        Some(Action::Browser(BrowserAction::Cancel))
    );
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(action(Mode::BrowseQuery, ctrl_c), Some(Action::Quit));
    assert_eq!(action(Mode::Browse, key('s')), Some(Action::Suspend));
    assert_eq!(
        action(Mode::Browse, key('S')),
        Some(Action::Browser(BrowserAction::Unsuspend))
    );
    assert_eq!(
        action(Mode::Browse, key('/')),
        Some(Action::Browser(BrowserAction::FocusQuery))
    );
    assert_eq!(action(Mode::Browse, key('q')), Some(Action::Back));
    assert_eq!(action(Mode::Home, key('/')), Some(Action::Browse));
    assert_eq!(action(Mode::Front, key('/')), Some(Action::Browse));
}

#[test]
fn edit_from_the_browser_saves_the_card_and_the_detail_shows_it() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    press(&mut app, &[Action::Browse]);
    typed(&mut app, "h2o");
    press(&mut app, &[Action::Browser(BrowserAction::FocusList)]);
    let Flow::Edit { card, text } = step(&mut app, Action::Edit) else {
        panic!("no edit");
    };
    assert!(text.contains("water"), "{text}");
    finish_edit(
        &mut app,
        card,
        Ok(text.replace("water", "dihydrogen monoxide")),
    );
    assert_eq!(status(&app), "Card saved; its progress is kept.");
    let screen = draw(&mut app, 100, 14);
    assert!(screen.contains("dihydrogen monoxide"), "{screen}");
    finish_edit(&mut app, card, Ok("front = ".into()));
    assert!(
        status(&app).starts_with("Card not changed:"),
        "{}",
        status(&app)
    );
    assert_eq!(app.mode(), Mode::Browse, "still browsing");
}

#[test]
fn time_spent_in_the_browser_is_not_the_answers_time() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    let card = app.current().unwrap().card;
    let at = |secs: i64| {
        let t0 = chrono::DateTime::parse_from_rfc3339(&day(0)).unwrap();
        recall::clock::Clock::fixed(t0 + chrono::Duration::seconds(secs), 4)
    };
    app.ctx.clock = at(2);
    press(&mut app, &[Action::Browse]);
    app.ctx.clock = at(62);
    press(&mut app, &[Action::Back]);
    app.ctx.clock = at(65);
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    let history = Store::open(&env.db).unwrap().card_history(card).unwrap();
    assert_eq!(history[0].duration_ms, 5_000, "2 s before, 3 s after");
}
