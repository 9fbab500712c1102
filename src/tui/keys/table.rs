//! The table of bindable actions and the help's layout: the data a
//! `KeyMap` starts from.

use super::super::app::{Action, Mode};

use Mode::{Back as Answer, Front, Help, Home, NothingDue, Stats, Summary};

/// An action a key can be bound to.
pub struct Bindable {
    /// Its name in the config's `[keys]` section.
    pub name: &'static str,
    pub action: Action,
    /// The screens where it applies.
    pub modes: &'static [Mode],
    pub default: &'static [&'static str],
    /// Added by `preset = "vim"`.
    pub vim: &'static [&'static str],
}

const SCREENS: &[Mode] = &[Home, Front, Answer, Summary, NothingDue, Stats];
/// Where `back` applies: not on the home screen, where going back would
/// quit, and Esc, pressed once too often, must not close the program.
const AWAY: &[Mode] = &[Front, Answer, Summary, NothingDue, Stats];
const REVIEW: &[Mode] = &[Front, Answer];
const SCROLL: &[Mode] = &[Home, Front, Answer, Help, Stats];
const PAGE: &[Mode] = &[Front, Answer, Help, Stats];
const FINISHED: &[Mode] = &[Summary, NothingDue];

const fn bind(
    name: &'static str,
    action: Action,
    modes: &'static [Mode],
    default: &'static [&'static str],
) -> Bindable {
    Bindable {
        name,
        action,
        modes,
        default,
        vim: &[],
    }
}

/// Every bindable action; the defaults are recall's keys as they always were.
pub const BINDABLE: &[Bindable] = &[
    bind("help", Action::Help, SCREENS, &["?"]),
    bind("back", Action::Back, AWAY, &["q", "esc"]),
    // On the home screen only `q` leaves (Action::Back there quits).
    bind("quit", Action::Back, &[Home], &["q"]),
    Bindable {
        vim: &["ctrl-p"],
        ..bind("up", Action::ScrollUp, SCROLL, &["up", "k"])
    },
    Bindable {
        vim: &["ctrl-n"],
        ..bind("down", Action::ScrollDown, SCROLL, &["down", "j"])
    },
    Bindable {
        vim: &["ctrl-u", "ctrl-b"],
        ..bind("page_up", Action::PageUp, PAGE, &["pageup", "K"])
    },
    Bindable {
        vim: &["ctrl-d", "ctrl-f"],
        ..bind("page_down", Action::PageDown, PAGE, &["pagedown", "J"])
    },
    Bindable {
        vim: &["l"],
        ..bind("open", Action::Open, &[Home], &["enter"])
    },
    bind("study_all", Action::StudyAll, &[Home], &["a"]),
    bind("stats", Action::Stats, &[Home], &["S"]),
    Bindable {
        vim: &["l"],
        ..bind("reveal", Action::Reveal, &[Front], &["space", "enter"])
    },
    bind("grade_0", Action::Grade(0), REVIEW, &["0"]),
    bind("grade_1", Action::Grade(1), REVIEW, &["1"]),
    bind("grade_2", Action::Grade(2), REVIEW, &["2"]),
    bind("grade_3", Action::Grade(3), REVIEW, &["3"]),
    bind("grade_4", Action::Grade(4), REVIEW, &["4"]),
    bind("grade_5", Action::Grade(5), REVIEW, &["5"]),
    bind(
        "undo",
        Action::Undo,
        &[Front, Answer, Summary, NothingDue],
        &["u"],
    ),
    bind("suspend", Action::Suspend, REVIEW, &["s"]),
    bind("bury", Action::Bury, REVIEW, &["b"]),
    bind("edit", Action::Edit, REVIEW, &["e"]),
    bind("cram", Action::Cram, FINISHED, &["c"]),
    bind("done", Action::Back, FINISHED, &["enter"]),
    bind("next_scope", Action::NextScope, &[Stats], &["tab"]),
    bind(
        "next_period",
        Action::NextPeriod,
        &[Stats],
        &["p", "backtab"],
    ),
];

/// One line of the help: the actions whose keys it shows, and what they do.
pub type HelpLine = (&'static [&'static str], &'static str);

/// What `?` shows: (screen, its lines).
pub const HELP: &[(&str, &[HelpLine])] = &[
    (
        "Home",
        &[
            (&["up", "down"], "choose a deck"),
            (&["open"], "study the chosen deck"),
            (&["study_all"], "study all decks"),
            (&["stats"], "statistics"),
            (&["quit"], "quit"),
        ],
    ),
    (
        "Review",
        &[
            (&["reveal"], "show the answer"),
            (
                &[
                    "grade_0", "grade_1", "grade_2", "grade_3", "grade_4", "grade_5",
                ],
                "grade: 0 blackout … 5 perfect",
            ),
            (&["undo"], "undo the last answer (several levels)"),
            (&["suspend"], "suspend the card"),
            (&["bury"], "bury the card until tomorrow"),
            (&["edit"], "edit the card in $EDITOR"),
            (&["up", "down"], "scroll a line"),
            (&["page_up", "page_down"], "scroll a page"),
            (&["back"], "back to the decks (answers are saved)"),
        ],
    ),
    (
        "Nothing due / summary",
        &[
            (&["cram"], "study ahead (schedule unchanged)"),
            (&["undo"], "undo the last answer"),
            (&["done", "back"], "back to the decks"),
        ],
    ),
    (
        "Statistics",
        &[
            (&["next_scope"], "next deck (all decks, then each deck)"),
            (&["next_period"], "next period (7, 30, 365 days)"),
            (&["up", "down"], "scroll a line"),
            (&["page_up", "page_down"], "scroll a page"),
            (&["back"], "back to the decks"),
        ],
    ),
    // No action: Ctrl-C, which cannot be rebound.
    (
        "Anywhere",
        &[(&["help"], "this help"), (&[], "quit at once")],
    ),
];
