//! The real TUI in a pseudo-terminal while another process restores an
//! older copy of the collection underneath it: the next grade is refused,
//! the screen says so, and the session goes on with the restored cards.

use crate::common::{Env, day};
use crate::pty::Tui;
use crate::reliability_support::geo_backed_up_then_answered;

const GEO: &str = "name = \"geo\"\n\
    [[cards]]\nid = \"france\"\nfront = \"Capital of France?\"\nback = \"Paris\"\n\
    [[cards]]\nid = \"jupiter\"\nfront = \"Largest planet?\"\nback = \"Jupiter\"\n";

#[test]
fn a_tui_grade_after_a_restore_underneath_is_refused_and_the_session_reloads() {
    let env = Env::new();
    // After the backup: france is answered and comes back as a re-drill.
    let old = geo_backed_up_then_answered(&env, GEO, "france", "2");

    let mut tui = Tui::start(&env, &day(0), &["review", "--deck", "geo"]);
    tui.wait_for("Largest planet?");
    tui.keys(" ");
    tui.wait_for("Jupiter");
    tui.keys("5");
    tui.wait_for("Capital of France?");
    env.at(&day(0)).arg("restore").arg(&old).assert().success();
    tui.keys(" ");
    tui.wait_for("Paris");
    tui.keys("4");
    let screen = tui.wait_for("changed underneath this session");
    // The restored collection's queue: both cards new again.
    assert!(screen.contains("2 left"), "{screen}");
    tui.keys("q");
    assert_eq!(tui.exit_code(), 0);
    assert!(tui.restored(), "terminal left in the alternate screen");

    let log = env.json(&day(0), &["export", "reviews", "--format", "json"]);
    assert_eq!(
        log,
        serde_json::json!([]),
        "a grade landed in the restored copy"
    );
}
