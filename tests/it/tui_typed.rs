//! A typed answer on the review screen (issue 21): the field, the
//! comparison with the suggested grade marked, and the grade it records.

use recall::domain::{CardDraft, DeckDraft};
use recall::storage::{ImportOptions, Store};
use recall::tui::typed::TypedAction::{Cancel, Erase, Left, Submit, Type};
use recall::tui::{Action, App, Mode};

use crate::common::{Env, day};
use crate::tui::{ctx, deck, draw, press};

fn seed(env: &Env) {
    let mut store = Store::open(&env.db).unwrap();
    let card = |key: &str, front: &str, back: &str| CardDraft {
        key: key.into(),
        front: front.into(),
        back: back.into(),
        notes: String::new(),
        tags: vec![],
        typed: true,
    };
    let deck = DeckDraft {
        name: "typed".into(),
        description: String::new(),
        position: None,
        cards: vec![
            card("fr", "Capital of France?", "Paris"),
            card("pi", r"What is $\pi$ to two places?", r"$\pi \approx 3.14$"),
        ],
    };
    store.import(&[deck], ImportOptions::default(), 0).unwrap();
}

fn typing(app: &mut App, text: &str) {
    let keys: Vec<Action> = text.chars().map(|c| Action::Typed(Type(c))).collect();
    press(app, &keys);
}

fn grades(env: &Env) -> Vec<u8> {
    let store = Store::open(&env.db).unwrap();
    let id = store.card_by_key("typed", "fr").unwrap().unwrap();
    store
        .card_history(id)
        .unwrap()
        .iter()
        .map(|r| r.grade)
        .collect()
}

#[test]
fn the_answer_is_typed_compared_and_its_suggestion_recorded() {
    let env = Env::new();
    seed(&env);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("typed")).unwrap();
    assert_eq!(app.mode(), Mode::Typing);
    // Digits and letters type; the cursor edits in place.
    typing(&mut app, "Pars");
    press(&mut app, &[Action::Typed(Left)]);
    typing(&mut app, "i");
    press(&mut app, &[Action::Typed(Left), Action::Typed(Erase)]);
    typing(&mut app, "i");
    insta::assert_snapshot!("typed_field", draw(&mut app, 60, 14));
    press(&mut app, &[Action::Typed(Submit)]);
    assert_eq!(app.mode(), Mode::Back);
    insta::assert_snapshot!("typed_compared", draw(&mut app, 72, 18));
    press(&mut app, &[Action::AcceptSuggestion]);
    assert_eq!(grades(&env), [4]);

    // The next card: its formula shows as Unicode, and Esc flips it as
    // an untyped card (Space reveals, a digit grades, no suggestion).
    assert_eq!(app.mode(), Mode::Typing);
    press(&mut app, &[Action::Typed(Cancel)]);
    assert_eq!(app.mode(), Mode::Front);
    press(&mut app, &[Action::Reveal]);
    let screen = draw(&mut app, 60, 14);
    assert!(screen.contains("What is π to two places?"), "{screen}");
    assert!(screen.contains("π ≈ 3.14"), "{screen}");
    assert!(
        !screen.contains("your answer") && !screen.contains('▸'),
        "{screen}"
    );
    press(&mut app, &[Action::AcceptSuggestion]);
    assert_eq!(app.mode(), Mode::Back, "no suggestion, nothing graded");
}

#[test]
fn a_digit_overrides_the_suggestion_and_undo_brings_the_field_back() {
    let env = Env::new();
    seed(&env);
    let mut app = App::review(ctx(&env.db, &day(0)), deck("typed")).unwrap();
    typing(&mut app, "paris");
    press(&mut app, &[Action::Typed(Submit), Action::Grade(2)]);
    assert_eq!(grades(&env), [2]);
    press(&mut app, &[Action::Typed(Cancel), Action::Undo]);
    assert_eq!(grades(&env), Vec::<u8>::new());
    assert_eq!(
        app.mode(),
        Mode::Typing,
        "the card comes back to be typed again"
    );
}
