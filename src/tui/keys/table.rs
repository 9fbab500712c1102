//! The table of bindable actions and the help's layout: the data a
//! `KeyMap` starts from.

use super::super::app::{Action, Mode};
use super::super::browser::BrowserAction;

use super::super::typed::TypedAction;
use Mode::{
    Back as Answer, Browse, BrowsePrompt, BrowseQuery, Front, Help, Home, NothingDue, Stats,
    Summary, Typing,
};

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
    /// Its default keys give way to a config that binds them to another
    /// action on its screens: keys added after configs were written
    /// (`o`, `r`), which must not turn a working `[keys]` into an error.
    pub yields: bool,
}

const SCREENS: &[Mode] = &[Home, Front, Answer, Summary, NothingDue, Stats, Browse];
/// Where `back` applies: not on the home screen, where going back would
/// quit, and Esc, pressed once too often, must not close the program.
const AWAY: &[Mode] = &[Front, Answer, Summary, NothingDue, Stats, Browse];
const REVIEW: &[Mode] = &[Front, Answer];
/// Card actions of both the review screen and the browser.
const CARD: &[Mode] = &[Front, Answer, Browse];
const SCROLL: &[Mode] = &[Home, Front, Answer, Help, Stats, Browse];
const PAGE: &[Mode] = &[Home, Front, Answer, Help, Stats, Browse];
const TYPING: &[Mode] = &[BrowseQuery, BrowsePrompt];
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
        yields: false,
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
    // A typed answer (issue 21): on its field every other key is typed;
    // on the answer, Enter or Space records the suggested grade.
    bind(
        "check_typed",
        Action::Typed(TypedAction::Submit),
        &[Typing],
        &["enter"],
    ),
    bind(
        "skip_typing",
        Action::Typed(TypedAction::Cancel),
        &[Typing],
        &["esc"],
    ),
    bind(
        "typed_erase",
        Action::Typed(TypedAction::Erase),
        &[Typing],
        &["backspace"],
    ),
    bind(
        "typed_delete",
        Action::Typed(TypedAction::Delete),
        &[Typing],
        &["delete"],
    ),
    bind(
        "typed_left",
        Action::Typed(TypedAction::Left),
        &[Typing],
        &["left"],
    ),
    bind(
        "typed_right",
        Action::Typed(TypedAction::Right),
        &[Typing],
        &["right"],
    ),
    bind(
        "typed_home",
        Action::Typed(TypedAction::Home),
        &[Typing],
        &["home"],
    ),
    bind(
        "typed_end",
        Action::Typed(TypedAction::End),
        &[Typing],
        &["end"],
    ),
    bind(
        "accept",
        Action::AcceptSuggestion,
        &[Answer],
        &["enter", "space"],
    ),
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
    bind("suspend", Action::Suspend, CARD, &["s"]),
    Bindable {
        yields: true,
        ..bind("open_media", Action::OpenMedia, REVIEW, &["o"])
    },
    Bindable {
        yields: true,
        ..bind("play_sound", Action::PlaySound, REVIEW, &["r"])
    },
    bind("bury", Action::Bury, CARD, &["b"]),
    bind("edit", Action::Edit, CARD, &["e"]),
    bind("cram", Action::Cram, FINISHED, &["c"]),
    bind("done", Action::Back, FINISHED, &["enter"]),
    bind("next_scope", Action::NextScope, &[Stats], &["tab"]),
    bind(
        "next_period",
        Action::NextPeriod,
        &[Stats],
        &["p", "backtab"],
    ),
    // The card browser. On its query line and prompts every other key is
    // typed, so only keys that type nothing are bound there.
    bind("browse", Action::Browse, &[Home, Front, Answer], &["/"]),
    bind(
        "search",
        Action::Browser(BrowserAction::FocusQuery),
        &[Browse],
        &["/"],
    ),
    bind(
        "results",
        Action::Browser(BrowserAction::FocusList),
        &[BrowseQuery],
        &["enter", "down", "tab"],
    ),
    bind("leave_search", Action::Back, &[BrowseQuery], &["esc"]),
    bind(
        "erase",
        Action::Browser(BrowserAction::Erase),
        TYPING,
        &["backspace"],
    ),
    bind(
        "confirm",
        Action::Browser(BrowserAction::Confirm),
        &[BrowsePrompt],
        &["enter"],
    ),
    bind(
        "cancel",
        Action::Browser(BrowserAction::Cancel),
        &[BrowsePrompt],
        &["esc"],
    ),
    Bindable {
        vim: &["g"],
        ..bind(
            "first",
            Action::Browser(BrowserAction::First),
            &[Home, Browse],
            &["home"],
        )
    },
    Bindable {
        vim: &["G"],
        ..bind(
            "last",
            Action::Browser(BrowserAction::Last),
            &[Home, Browse],
            &["end"],
        )
    },
    bind(
        "mark",
        Action::Browser(BrowserAction::Mark),
        &[Browse],
        &["space", "v"],
    ),
    bind(
        "unsuspend",
        Action::Browser(BrowserAction::Unsuspend),
        &[Browse],
        &["S"],
    ),
    bind(
        "unbury",
        Action::Browser(BrowserAction::Unbury),
        &[Browse],
        &["B"],
    ),
    bind(
        "reset",
        Action::Browser(BrowserAction::Reset),
        &[Browse],
        &["r"],
    ),
    bind(
        "move",
        Action::Browser(BrowserAction::Move),
        &[Browse],
        &["m"],
    ),
    bind(
        "delete",
        Action::Browser(BrowserAction::Delete),
        &[Browse],
        &["d"],
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
            (&["page_up", "page_down"], "a page of decks up or down"),
            (&["first", "last"], "the first or the last deck"),
            (&["open"], "study the chosen deck"),
            (&["study_all"], "study all decks"),
            (&["stats"], "statistics"),
            (&["browse"], "find any card (the card browser)"),
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
            (&["check_typed"], "typed answer: check it, show the answer"),
            (&["skip_typing"], "typed answer: flip the card untyped"),
            (&["accept"], "typed answer: the suggested grade"),
            (&["undo"], "undo the last answer (several levels)"),
            (&["suspend"], "suspend the card"),
            (&["bury"], "bury the card until tomorrow"),
            (&["edit"], "edit the card in $EDITOR"),
            (&["open_media"], "open the card's pictures in the viewer"),
            (&["play_sound"], "play the card's sound"),
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
    (
        "Card browser",
        &[
            (&["browse"], "open it (home and review screens)"),
            (&["search"], "type a search (it runs as you type)"),
            (&["results"], "from the search back to the list"),
            (&["up", "down"], "move"),
            (&["page_up", "page_down"], "a page"),
            (&["first", "last"], "first / last card"),
            (&["mark"], "mark the card (actions apply to all marked)"),
            (&["suspend", "unsuspend"], "suspend / unsuspend"),
            (&["bury", "unbury"], "bury / unbury"),
            (&["reset"], "reset to new (history kept)"),
            (&["edit"], "edit the card in $EDITOR"),
            (&["move"], "move to another deck"),
            (&["delete"], "delete, after a backup (asks first)"),
            (&["back"], "back where it was opened"),
        ],
    ),
    // No action: Ctrl-C, which cannot be rebound.
    (
        "Anywhere",
        &[(&["help"], "this help"), (&[], "quit at once")],
    ),
];
