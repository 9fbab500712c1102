//! The TUI through its state machine (`App`) over a temporary database with
//! a fixed clock, and every screen as a snapshot (ratatui's TestBackend).

use std::path::Path;

use chrono::DateTime;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use recall::clock::Clock;
use recall::domain::Scope;
use recall::domain::{CardDraft, DeckDraft, Limits, QueueKind, Schedule};
use recall::storage::{ImportOptions, Store};
use recall::tui::{Action, App, Flow, Mode, Screen, Theme, finish_edit, step, ui};
use recall::workflows::Context;

use crate::common::{Env, day};

fn card(key: &str, front: &str, back: &str, notes: &str) -> CardDraft {
    CardDraft {
        key: key.into(),
        front: front.into(),
        back: back.into(),
        notes: notes.into(),
        tags: vec![],
        typed: false,
    }
}

const DIAGRAM: &str = "Multi-AZ:\n\
┌──────────────┐  sync   ┌──────────────┐\n\
│ primary (AZ a)│ ──────▶ │ standby (AZ b)│\n\
└──────────────┘         └──────────────┘\n\
\n\
The standby takes no reads; it exists for failover, which flips the DNS name in about a minute.";

pub fn seed(db: &Path) {
    let mut store = Store::open(db).unwrap();
    let geo = DeckDraft {
        name: "geo".into(),
        description: "Capitals and planets".into(),
        position: None,
        cards: vec![
            card("france", "Capital of France?", "Paris", ""),
            card(
                "jupiter",
                "Largest planet?",
                "Jupiter\nIt is a gas giant.",
                "Twice as massive as all the other planets together.",
            ),
            card("h2o", "H2O is commonly called?", "water", ""),
        ],
    };
    let aws = DeckDraft {
        name: "aws".into(),
        description: "Hostile \u{1b}]2;PWNED\u{7} description".into(),
        position: None,
        cards: vec![
            card("multi-az", "What does Multi-AZ look like?", DIAGRAM, ""),
            card(
                "hostile",
                "Title test \u{1b}]2;PWNED\u{7} front",
                "Title test \u{1b}]2;PWNEDBACK\u{7} back\tafter a tab",
                "",
            ),
        ],
    };
    store
        .import(&[geo, aws], ImportOptions::default(), 0)
        .unwrap();
}

pub fn ctx(db: &Path, now: &str) -> Context {
    Context {
        store: Store::open(db).unwrap(),
        clock: Clock::fixed(DateTime::parse_from_rfc3339(now).unwrap(), 4),
        limits: Limits::default(),
        ui: Default::default(),
        typed: Default::default(),
        notice: None,
    }
}

pub fn deck(name: &str) -> Scope {
    Scope {
        deck: Some(name.into()),
        tag: None,
    }
}

/// The screen at `width`×`height`, as the run loop draws it: the App told
/// its size first (its scroll limits follow from it).
pub fn draw(app: &mut App, width: u16, height: u16) -> String {
    app.resize(ratatui::layout::Rect::new(0, 0, width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| ui::render(&*app, &Theme::new(false), frame))
        .unwrap();
    terminal.backend().to_string()
}

pub fn press(app: &mut App, actions: &[Action]) {
    for action in actions {
        assert_eq!(step(app, *action), Flow::Continue, "{action:?}");
    }
}

/// The id within its deck of the card on screen.
pub fn shown_key(app: &App) -> String {
    match &app.screen {
        Screen::Review(shown) => shown.card.key.clone(),
        _ => panic!("no card on screen"),
    }
}

fn front(app: &App) -> String {
    match &app.screen {
        Screen::Review(shown) => shown.card.front.clone(),
        _ => panic!("not reviewing"),
    }
}

fn schedule(db: &Path, deck: &str, key: &str) -> Schedule {
    let store = Store::open(db).unwrap();
    let id = store.card_by_key(deck, key).unwrap().unwrap();
    store.card(id).unwrap().unwrap().schedule
}

#[test]
fn screens() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    insta::assert_snapshot!("home", draw(&mut app, 60, 14));
    insta::assert_snapshot!("too_small", draw(&mut app, 30, 8));

    press(&mut app, &[Action::Help]);
    insta::assert_snapshot!("help", draw(&mut app, 60, 30));
    press(
        &mut app,
        &[Action::CloseHelp, Action::ScrollDown, Action::Open],
    );
    assert_eq!(front(&app), "Capital of France?");
    insta::assert_snapshot!("front", draw(&mut app, 60, 14));
    press(&mut app, &[Action::Reveal]);
    insta::assert_snapshot!("back_with_grade_bar", draw(&mut app, 72, 16));
    insta::assert_snapshot!("back_narrow", draw(&mut app, 40, 12));
    press(&mut app, &[Action::Grade(2)]);
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    assert_eq!(app.current().unwrap().kind, QueueKind::Redrill);
    press(&mut app, &[Action::Reveal]);
    insta::assert_snapshot!("redrill", draw(&mut app, 72, 16));
    press(&mut app, &[Action::Grade(4)]);
    assert!(matches!(app.screen, Screen::Summary(_)));
    insta::assert_snapshot!("summary", draw(&mut app, 60, 14));

    // Same day, same deck: nothing left, and studying ahead is offered.
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    assert_eq!(app.mode(), Mode::NothingDue);
    insta::assert_snapshot!("nothing_due", draw(&mut app, 60, 14));
    press(&mut app, &[Action::Cram]);
    assert_eq!(app.current().unwrap().kind, QueueKind::Cram);

    let mut app = App::review(ctx(&env.db, &day(0)), deck("aws")).unwrap();
    press(&mut app, &[Action::Reveal]);
    insta::assert_snapshot!("diagram", draw(&mut app, 40, 16));
    press(&mut app, &[Action::Grade(5), Action::Reveal]);
    let screen = draw(&mut app, 60, 14);
    assert!(!screen.contains('\u{1b}') && !screen.contains('\u{7}'));
    insta::assert_snapshot!("escape_sequences", screen);
}

#[test]
fn the_deck_list_moves_a_page_at_a_time_and_to_either_end() {
    use recall::tui::browser::BrowserAction::{First, Last};
    let env = Env::new();
    seed(&env.db);
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    draw(&mut app, 60, 14);
    let last = app.decks.len() - 1;
    assert!(last >= 1, "the seed has two decks");
    press(&mut app, &[Action::Browser(Last)]);
    assert_eq!(app.selected, last);
    press(&mut app, &[Action::Browser(First)]);
    assert_eq!(app.selected, 0);
    press(&mut app, &[Action::PageDown, Action::PageDown]);
    assert_eq!(app.selected, last, "a page down stops at the last deck");
    press(&mut app, &[Action::PageUp]);
    assert_eq!(app.selected, 0);
}

/// A page down moves the selection by exactly the deck rows on screen.
#[test]
fn a_page_of_decks_is_what_the_screen_shows() {
    let env = Env::new();
    let decks: Vec<DeckDraft> = (0..30)
        .map(|i| DeckDraft {
            name: format!("deck {i:02}"),
            description: String::new(),
            position: None,
            cards: vec![card("k", "front", "back", "")],
        })
        .collect();
    Store::open(&env.db)
        .unwrap()
        .import(&decks, ImportOptions::default(), 0)
        .unwrap();
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    let screen = draw(&mut app, 60, 14);
    let shown = screen.lines().filter(|l| l.contains("deck ")).count();
    let page = recall::tui::widgets::home::deck_rows(ratatui::layout::Rect::new(0, 0, 60, 14));
    assert_eq!(shown, usize::from(page), "{screen}");
    press(&mut app, &[Action::PageDown]);
    assert_eq!(app.selected, usize::from(page));
}

#[test]
fn long_text_scrolls_and_diagrams_are_clipped_not_wrapped() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("aws")).unwrap();
    press(&mut app, &[Action::Reveal]);
    let screen = draw(&mut app, 40, 12);
    assert!(screen.contains("┌──"), "{screen}");
    assert!(screen.contains('▸'), "clipped with a marker: {screen}");
    assert!(!screen.contains("failover"), "below the fold: {screen}");
    press(&mut app, &[Action::PageDown, Action::PageDown]);
    let screen = draw(&mut app, 40, 12);
    assert!(screen.contains("minute."), "scrolled to the end: {screen}");
    press(&mut app, &[Action::PageUp, Action::PageUp]);
    assert!(draw(&mut app, 40, 12).contains("Multi-AZ look like?"));
}

#[test]
fn a_multi_day_scenario_follows_sm2_and_redrills_do_not_reschedule() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    assert_eq!(step(&mut app, Action::Grade(5)), Flow::Continue);
    assert_eq!(app.mode(), Mode::Front, "grading before reveal is refused");
    for q in [5, 4, 3] {
        press(&mut app, &[Action::Reveal, Action::Grade(q)]);
    }
    // h2o was graded 3: a re-drill that leaves its schedule alone.
    let before = schedule(&env.db, "geo", "h2o");
    assert_eq!(
        (before.interval, before.due.map(|d| d.to_string())),
        (1, Some("2026-03-02".into()))
    );
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    assert_eq!(schedule(&env.db, "geo", "h2o"), before);
    assert!(matches!(app.screen, Screen::Summary(ref s) if s.answers == 4 && s.due_tomorrow == 3));

    // Day 1: all three are due; the second pass gives 6 days.
    let mut app = App::review(ctx(&env.db, &day(1)), deck("geo")).unwrap();
    assert_eq!(app.session().unwrap().remaining(), 3);
    assert_eq!(app.current().unwrap().kind, QueueKind::Review);
    press(&mut app, &[Action::Reveal]);
    assert!(
        draw(&mut app, 72, 16).contains("4 · 6d"),
        "grade bar shows the interval"
    );
    for _ in 0..3 {
        press(&mut app, &[Action::Reveal, Action::Grade(4)]);
    }
    assert_eq!(schedule(&env.db, "geo", "france").interval, 6);
    // Day 7: the interval grows by the e-factor (6 × 2.6 = 15.6 → 16 for france).
    let mut app = App::review(ctx(&env.db, &day(7)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal]);
    assert_eq!(front(&app), "Capital of France?");
    press(&mut app, &[Action::Grade(5)]);
    assert_eq!(schedule(&env.db, "geo", "france").interval, 16);
}

#[test]
fn undo_takes_back_several_answers_exactly() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(
        &mut app,
        &[
            Action::Reveal,
            Action::Grade(5),
            Action::Reveal,
            Action::Grade(1),
        ],
    );
    assert_ne!(schedule(&env.db, "geo", "jupiter"), Schedule::NEW);
    press(&mut app, &[Action::Undo]);
    assert_eq!(front(&app), "Largest planet?");
    assert_eq!(app.mode(), Mode::Front);
    assert_eq!(schedule(&env.db, "geo", "jupiter"), Schedule::NEW);
    press(&mut app, &[Action::Undo]);
    assert_eq!(front(&app), "Capital of France?");
    assert_eq!(schedule(&env.db, "geo", "france"), Schedule::NEW);
    let decks = env.json(&day(0), &["decks", "--json"]);
    let geo = decks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "geo")
        .unwrap();
    assert_eq!(
        geo["done_today"], 0,
        "the log holds nothing of the undone answers"
    );
    press(&mut app, &[Action::Undo]);
    assert!(
        app.status
            .as_ref()
            .unwrap()
            .text
            .contains("Nothing to undo")
    );
}

#[test]
fn suspend_and_bury_take_cards_out_and_undo_puts_them_back() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Suspend]);
    assert_eq!(front(&app), "Largest planet?");
    press(&mut app, &[Action::Bury]);
    assert_eq!(front(&app), "H2O is commonly called?");
    assert_eq!(app.session().unwrap().remaining(), 1);
    drop(app);

    // After a restart the same day: neither comes back.
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    assert_eq!(app.session().unwrap().remaining(), 1);
    press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    assert_eq!(app.mode(), Mode::Summary);
    // The next day the buried card is back; the suspended one is not.
    let app = App::review(ctx(&env.db, &day(1)), deck("geo")).unwrap();
    assert_eq!(front(&app), "H2O is commonly called?");
    let mut fronts = vec![];
    let mut app = app;
    while app.mode() == Mode::Front {
        fronts.push(front(&app));
        press(&mut app, &[Action::Reveal, Action::Grade(5)]);
    }
    assert_eq!(fronts, ["H2O is commonly called?", "Largest planet?"]);

    // Undo of a suspension.
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Suspend, Action::Undo]);
    assert_eq!(front(&app), "Capital of France?");
    assert_eq!(app.session().unwrap().remaining(), 3);
}

#[test]
fn quitting_and_reopening_continues_with_the_redrills() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::home(ctx(&env.db, &day(0))).unwrap();
    press(
        &mut app,
        &[
            Action::ScrollDown,
            Action::Open,
            Action::Reveal,
            Action::Grade(2),
        ],
    );
    assert_eq!(step(&mut app, Action::Back), Flow::Continue, "back home");
    assert_eq!(app.mode(), Mode::Home);
    assert_eq!(step(&mut app, Action::Back), Flow::Quit);
    drop(app);

    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    let mut seen = vec![];
    while app.mode() == Mode::Front {
        seen.push((front(&app), app.current().unwrap().kind));
        press(&mut app, &[Action::Reveal, Action::Grade(4)]);
    }
    assert_eq!(
        seen,
        [
            ("Largest planet?".to_string(), QueueKind::New),
            ("H2O is commonly called?".to_string(), QueueKind::New),
            ("Capital of France?".to_string(), QueueKind::Redrill),
        ]
    );
}

#[test]
fn an_edit_changes_the_text_and_keeps_the_progress() {
    let env = Env::new();
    seed(&env.db);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("geo")).unwrap();
    press(&mut app, &[Action::Reveal, Action::Grade(2)]);
    let progress = schedule(&env.db, "geo", "france");
    // Only the re-drill is left after the other two.
    press(
        &mut app,
        &[
            Action::Reveal,
            Action::Grade(5),
            Action::Reveal,
            Action::Grade(5),
        ],
    );
    let Flow::Edit { card, text } = step(&mut app, Action::Edit) else {
        panic!("no edit effect");
    };
    assert!(text.contains("front = \"Capital of France?\""), "{text}");
    finish_edit(
        &mut app,
        card,
        Ok(text.replace("Paris", "Paris (on the Seine)")),
    );
    assert!(!app.status.as_ref().unwrap().error);
    let store = Store::open(&env.db).unwrap();
    let stored = store.card(card).unwrap().unwrap();
    assert_eq!(stored.back, "Paris (on the Seine)");
    assert_eq!(stored.schedule, progress);

    finish_edit(&mut app, card, Ok("front = \"\"\nback = \"x\"\n".into()));
    let status = app.status.clone().unwrap();
    assert!(
        status.error && status.text.contains("front is empty"),
        "{status:?}"
    );
    finish_edit(&mut app, card, Ok("front = [\n".into()));
    assert!(app.status.clone().unwrap().text.contains("card.toml:"));
}

#[test]
fn the_home_screen_shows_the_bundled_update_once() {
    let env = Env::new();
    seed(&env.db);
    let mut context = ctx(&env.db, &day(0));
    context.notice = Some("the bundled decks were updated: 1 card changed, 0 added".into());
    let mut app = App::home(context).unwrap();
    let screen = draw(&mut app, 100, 20);
    assert!(
        screen.contains("the bundled decks were updated: 1 card changed"),
        "{screen}"
    );
    press(&mut app, &[Action::Help, Action::CloseHelp]);
    assert_eq!(app.status, None);
    assert!(!draw(&mut app, 100, 20).contains("bundled decks"));
}
