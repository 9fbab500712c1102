//! The statistics screen through the App: `S` from home, `Tab` through the
//! deck scopes, `p` through the periods, `q` back; a snapshot of the screen.

use recall::tui::{Action, App, Mode, Screen};

use crate::common::{Env, day};
use crate::tui::{ctx, deck, draw, press, seed};

/// The heading's "scope · period" as the screen shows it.
fn label(app: &App) -> &str {
    match &app.screen {
        Screen::Stats(view) => &view.label,
        _ => panic!("not on the statistics screen"),
    }
}

#[test]
fn the_statistics_screen_cycles_scope_and_period() {
    let env = Env::new();
    seed(&env.db);
    // Three days of geo (one card graded 2, so a lapse in the retention),
    // one answer in aws.
    for n in 0..3 {
        let mut app = App::review(ctx(&env.db, &day(n)), deck("geo")).unwrap();
        let mut answers = 0;
        while app.current().is_some() {
            let grade = if n == 1 && answers == 0 { 2 } else { 5 };
            press(&mut app, &[Action::Reveal, Action::Grade(grade)]);
            answers += 1;
        }
    }
    let mut app = App::review(ctx(&env.db, &day(2)), deck("aws")).unwrap();
    press(&mut app, &[Action::Reveal, Action::Grade(4)]);

    let mut app = App::home(ctx(&env.db, &day(3))).unwrap();
    press(&mut app, &[Action::Stats]);
    assert_eq!(app.mode(), Mode::Stats);
    assert_eq!(label(&app), "all decks · last 365 days");
    insta::assert_snapshot!("stats", draw(&mut app, 90, 34));

    // Home lists aws before geo; Tab walks them, then back to all decks.
    let mut scopes = Vec::new();
    for _ in 0..3 {
        press(&mut app, &[Action::NextScope]);
        scopes.push(label(&app).to_string());
    }
    assert_eq!(
        scopes,
        [
            "deck aws · last 365 days",
            "deck geo · last 365 days",
            "all decks · last 365 days"
        ]
    );
    press(&mut app, &[Action::NextScope, Action::NextPeriod]);
    assert_eq!(label(&app), "deck aws · last 7 days");
    let screen = draw(&mut app, 90, 34);
    assert!(screen.contains("deck aws · last 7 days"), "{screen}");
    press(&mut app, &[Action::NextPeriod]);
    assert_eq!(label(&app), "deck aws · last 30 days");

    press(&mut app, &[Action::Back]);
    assert_eq!(app.mode(), Mode::Home);
}
