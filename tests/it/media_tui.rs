//! The review screen with a card's picture (issue 21), drawn in
//! half-blocks (what the App draws with until start-up asks the terminal:
//! deterministic, 10×20-pixel cells), as snapshots of the text and of the
//! picture's colours; and the pictures that are shown as their names.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::style::Color;
use recall::domain::Scope;
use recall::tui::{Action, App, Theme, ui};

use crate::common::Env;
use crate::media::{fixture, import};
use crate::tui::{ctx, press};

const NOW: &str = "2031-01-01T09:00:00+00:00";

/// The fixtures' deck (the bundled decks are there too).
fn media_deck() -> Scope {
    Scope {
        deck: Some("Media".into()),
        tag: None,
    }
}

fn buffer(app: &mut App, width: u16, height: u16) -> Buffer {
    app.resize(ratatui::layout::Rect::new(0, 0, width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal
        .draw(|frame| ui::render(&*app, &Theme::new(false), frame))
        .unwrap();
    terminal.backend().buffer().clone()
}

/// The screen's text, then the picture as drawn: each cell's upper and
/// lower half as a letter (R, G, B, W, K for black, `?` for a blend at a
/// boundary), from the half-block character and its two colours.
fn picture(buf: &Buffer) -> String {
    let letter = |c: Color| match c {
        Color::Rgb(r, g, b) => match (r >= 128, g >= 128, b >= 128) {
            (true, false, false) => 'R',
            (false, true, false) => 'G',
            (false, false, true) => 'B',
            (true, true, true) => 'W',
            (false, false, false) => 'K',
            _ => '?',
        },
        _ => '.',
    };
    let mut text = String::new();
    let mut colours = String::new();
    for y in 0..buf.area.height {
        let mut row = String::new();
        let mut upper = String::new();
        let mut lower = String::new();
        for x in 0..buf.area.width {
            let cell = &buf[(x, y)];
            row.push_str(cell.symbol());
            let (top, bottom) = match cell.symbol() {
                "▀" => (cell.fg, cell.bg),
                "▄" => (cell.bg, cell.fg),
                _ => (cell.bg, cell.bg),
            };
            if matches!(top, Color::Rgb(..)) {
                upper.push(letter(top));
                lower.push(letter(bottom));
            }
        }
        text.push_str(row.trim_end());
        text.push('\n');
        if !upper.is_empty() {
            colours.push_str(&format!("{y:2}: {upper}\n    {lower}\n"));
        }
    }
    format!("{text}--- picture (upper / lower half of each cell) ---\n{colours}")
}

#[test]
fn the_card_shows_its_picture_in_half_blocks_and_scales_on_resize() {
    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    let mut app = App::review(ctx(&env.db, NOW), media_deck()).unwrap();
    let front = picture(&buffer(&mut app, 60, 20));
    assert!(front.contains("[image: heart.png]"), "{front}");
    insta::assert_snapshot!("media_front_half_blocks", front);
    // Smaller: scaled again, never over the text or the footer; on a
    // terminal too small for the review screen, not drawn at all.
    let small = picture(&buffer(&mut app, 44, 14));
    insta::assert_snapshot!("media_front_small", small);
    let smallest = picture(&buffer(&mut app, 40, 12));
    let lines: Vec<&str> = smallest.lines().collect();
    assert!(lines[3].contains("Heart [image: heart.png]"), "{smallest}");
    assert!(lines[11].starts_with("Space show answer"), "{smallest}");
    assert!(
        smallest.contains("\n10: ") && !smallest.contains("\n11: "),
        "{smallest}"
    );
    let too_small = picture(&buffer(&mut app, 30, 8));
    assert!(too_small.ends_with("---\n"), "no picture: {too_small}");
    press(&mut app, &[Action::Reveal]);
    let back = picture(&buffer(&mut app, 60, 20));
    assert!(back.contains("[sound:beat.mp3]"), "{back}");
    assert!(!back.ends_with("---\n"), "a picture: {back}");
}

#[test]
fn pictures_that_cannot_be_drawn_show_as_their_names() {
    let env = Env::new();
    import(&env, &fixture("media-hostile.apkg"));
    let mut app = App::review(ctx(&env.db, NOW), media_deck()).unwrap();
    let names: Vec<(String, bool, &str)> = app
        .media
        .images
        .iter()
        .map(|i| (i.name.clone(), i.protocol.is_some(), i.note))
        .collect();
    assert_eq!(
        names,
        [
            ("heart.png".to_string(), true, ""),
            ("../evil.png".to_string(), false, "not imported"),
            ("huge.png".to_string(), false, "not imported"),
            (
                "notimage.png".to_string(),
                false,
                "not a picture recall can draw"
            ),
        ]
    );
    let screen = picture(&buffer(&mut app, 80, 24));
    assert!(screen.contains("notimage.png]"), "{screen}");
    assert!(screen.contains("[image: ../evil.png]"), "{screen}");
}

#[test]
fn images_off_in_the_config_draws_none() {
    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    let mut context = ctx(&env.db, NOW);
    context.ui.media.images = false;
    let mut app = App::review(context, media_deck()).unwrap();
    let screen = picture(&buffer(&mut app, 60, 20));
    assert!(screen.ends_with("---\n"), "no picture: {screen}");
    assert!(screen.contains("[image: heart.png]"), "{screen}");
}

/// A program that appends its two arguments to `launched.txt`.
fn fake_program(env: &Env) -> (std::path::PathBuf, std::path::PathBuf) {
    let log = env.dir.path().join("launched.txt");
    let script = env.file(
        "bin/fake",
        format!("#!/bin/sh\necho \"$1 $2\" >> {}\n", log.display()),
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (script, log)
}

/// The lines of `log` once it has `count` (they are written by detached
/// children: waited for, up to 10 s, without blocking the App).
fn launched(log: &std::path::Path, count: usize) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(log).unwrap_or_default();
        if text.lines().count() >= count || std::time::Instant::now() > deadline {
            return text;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn o_and_r_start_the_configured_programs_on_the_cards_files() {
    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    let (script, log) = fake_program(&env);
    let mut context = ctx(&env.db, NOW);
    let command = |tag: &str| Some(vec![script.display().to_string(), tag.to_string()]);
    context.ui.media.opener = command("open");
    context.ui.media.player = command("play");
    let mut app = App::review(context, media_deck()).unwrap();
    press(&mut app, &[Action::OpenMedia]);
    press(&mut app, &[Action::PlaySound]);
    assert!(
        app.status.as_ref().unwrap().text.contains("no sound"),
        "the front has no sound: {:?}",
        app.status
    );
    press(&mut app, &[Action::Reveal, Action::PlaySound]);
    let lines = launched(&log, 2);
    // Each file under a link named as the card names it (viewers go by
    // the extension), to the stored file.
    let opened = lines.lines().find_map(|l| l.strip_prefix("open ")).unwrap();
    assert!(opened.ends_with("-heart.png"), "{lines}");
    let stored = env
        .dir
        .path()
        .join("media/3e")
        .join(crate::media::HEART_SHA256);
    assert_eq!(
        std::fs::read(opened).unwrap(),
        std::fs::read(stored).unwrap()
    );
    let played = lines.lines().find_map(|l| l.strip_prefix("play ")).unwrap();
    assert!(played.ends_with("-beat.mp3"), "{lines}");
}

#[test]
fn autoplay_plays_the_sound_once_when_the_answer_shows() {
    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    let (script, log) = fake_program(&env);
    let mut context = ctx(&env.db, NOW);
    context.ui.media.player = Some(vec![script.display().to_string(), "auto".into()]);
    context.ui.media.autoplay = true;
    let mut app = App::review(context, media_deck()).unwrap();
    press(
        &mut app,
        &[Action::ScrollDown, Action::Reveal, Action::ScrollDown],
    );
    let lines = launched(&log, 1);
    assert_eq!(lines.lines().count(), 1, "once, on the answer: {lines}");
    assert!(lines.starts_with("auto "), "{lines}");
}

#[test]
fn without_a_player_the_card_says_so_once() {
    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    let mut app = App::review(ctx(&env.db, NOW), media_deck()).unwrap();
    // No player configured, and none on this (empty) PATH.
    app.media.search_path = None;
    press(&mut app, &[Action::Reveal, Action::PlaySound]);
    let said = app.status.clone().unwrap();
    assert!(
        said.error && said.text.contains("No sound player found"),
        "{said:?}"
    );
    press(&mut app, &[Action::PlaySound]);
    assert_eq!(app.status, None, "said once only");
}
