//! Packages Anki made of recall's exports with progress (by
//! `tests/anki/roundtrip.py --fixtures tests/fixtures/anki`): the studied
//! deck of `anki_export_progress::studied` exported by recall, imported into
//! Anki 26.9 with its scheduling and exported again by Anki's own exporter,
//! as a deck package and as a collection package (current format, schema
//! 18). recall reads back the cards, schedules and review log it wrote.

use std::path::{Path, PathBuf};

use crate::anki_export_progress::{as_buttons, imported, log, states, studied};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(name)
}

#[test]
fn anki_s_packages_of_an_export_with_progress_read_back_as_recall_had_it() {
    let env = studied();
    let (want_states, want_log) = (states(&env), as_buttons(log(&env)));
    assert_eq!(want_log.len(), 14);
    for name in [
        "recall-progress-by-anki.apkg",
        "recall-colpkg-by-anki.colpkg",
    ] {
        let (other, said) = imported(&fixture(name));
        assert!(
            said.contains(
                "4 scheduled from Anki, 14 answers from Anki's log, 1 suspended, 1 buried"
            ),
            "{name}: {said}"
        );
        assert_eq!(states(&other), want_states, "{name}");
        assert_eq!(log(&other), want_log, "{name}");
    }
}
