//! The graphics protocol chosen at start-up (issue 21): recall in a
//! pseudo-terminal that answers ratatui-image's query as kitty or as a
//! sixel terminal does, then draws the card's picture in that protocol.

use std::time::{Duration, Instant};

use crate::common::Env;
use crate::media::{fixture, import};
use crate::pty::Tui;

const NOW: &str = "2031-01-01T09:00:00+00:00";

/// The query ends with a status request (`CSI 5 n`) every terminal
/// answers; before it come the kitty graphics query and DA1.
const QUERY_END: &[u8] = b"\x1b[5n";
/// kitty: the graphics query answered OK, DA1, the cell size (20 × 10 px).
const KITTY: &[u8] = b"\x1b_Gi=31;OK\x1b\\\x1b[?62;22c\x1b[6;20;10t\x1b[0n";
/// A sixel terminal (xterm -ti vt340, foot): DA1 lists 4; no kitty answer.
const SIXEL: &[u8] = b"\x1b[?63;1;2;4;6;22c\x1b[6;20;10t\x1b[0n";

/// Waits (up to 10 s) until recall's output holds `needle`.
fn wait_for_bytes(tui: &Tui, needle: &[u8]) -> bool {
    let deadline = Instant::now() + Duration::from_secs(10);
    while Instant::now() < deadline {
        if tui
            .raw
            .lock()
            .unwrap()
            .windows(needle.len())
            .any(|w| w == needle)
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    false
}

fn review_answering(answer: &'static [u8]) -> (Env, Tui) {
    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    let tui = Tui::start_answering(
        &env,
        NOW,
        &["review", "--deck", "Media"],
        &[],
        vec![(QUERY_END, answer)],
    );
    (env, tui)
}

#[test]
fn a_kitty_answer_draws_the_picture_with_kittys_graphics() {
    let (_env, mut tui) = review_answering(KITTY);
    tui.wait_for("Heart");
    // Transmit and display (a=T), the kitty protocol's; no sixel.
    assert!(wait_for_bytes(&tui, b"\x1b_Gq=2,i="), "no kitty image sent");
    assert!(wait_for_bytes(&tui, b",a=T,"));
    assert!(!tui.raw.lock().unwrap().windows(2).any(|w| w == b"\x1bP"));
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}

#[test]
fn a_sixel_answer_draws_the_picture_in_sixels() {
    let (_env, mut tui) = review_answering(SIXEL);
    tui.wait_for("Heart");
    // A sixel image: DCS … q, then its palette (#n;2;r;g;b).
    assert!(wait_for_bytes(&tui, b"\x1bP"), "no sixel image sent");
    assert!(wait_for_bytes(&tui, b";2;100;0;0"), "no red in the palette");
    assert!(!tui.raw.lock().unwrap().windows(3).any(|w| w == b"_Gq"));
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
}
