//! Media (issue 21): Anki packages made by the real Anki
//! (`tests/fixtures/anki/make_media.py`) and decks with pictures beside
//! them, imported into `media/` beside the database; crafted packages and
//! files refused or shown as names.

use std::path::{Path, PathBuf};

use recall::storage::Store;

use crate::common::Env;

const NOW: &str = "2031-01-01T09:00:00+00:00";
/// sha256 of the 4×2 `heart.png` make_media.py draws.
pub const HEART_SHA256: &str = "3e328af0960a95ee2614be7cd099615096f39e2f01e05cad8ddd98ea35c0c377";

pub fn fixture(file: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/anki")
        .join(file)
}

/// Imports `file`, which must succeed; returns stdout.
pub fn import(env: &Env, file: &Path) -> String {
    let out = env.at(NOW).arg("import").arg(file).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// Every file under `dir`, relative to it, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).unwrap();
                found.push(rel.display().to_string());
            }
        }
    }
    found.sort();
    found
}

#[test]
fn legacy_and_current_packages_store_their_media_by_hash() {
    for package in ["media-legacy.apkg", "media-current.apkg"] {
        let env = Env::new();
        let stdout = import(&env, &fixture(package));
        assert!(stdout.contains("2 media file(s)"), "{package}: {stdout}");
        assert!(!stdout.contains("kept as text"), "{package}: {stdout}");
        let store = Store::open(&env.db).unwrap();
        let heart = store.media_file("Media", "heart.png").unwrap().unwrap();
        assert_eq!(heart.sha256, HEART_SHA256, "{package}");
        assert_eq!(heart.mime, "image/png");
        let bytes = std::fs::read(&heart.path).unwrap();
        assert_eq!(bytes.len() as u64, heart.size);
        assert_eq!(&bytes[1..4], b"PNG");
        assert_eq!(
            heart.path,
            env.dir.path().join("media/3e").join(HEART_SHA256)
        );
        let beat = store.media_file("Media", "beat.mp3").unwrap().unwrap();
        assert_eq!(beat.mime, "audio/mpeg");
        // Only what the cards name: `unused.png` is not stored.
        assert!(store.media_file("Media", "unused.png").unwrap().is_none());
        assert_eq!(files_under(&env.dir.path().join("media")).len(), 2);
        // The card's text keeps its marker, as Anki's corpus check needs.
        let text = env
            .json(NOW, &["cards", "deck:Media", "--json"])
            .to_string();
        assert!(text.contains("[image: heart.png]"), "{text}");
        assert!(store.missing_media().unwrap().is_empty());
    }
}

#[test]
fn importing_again_or_into_two_decks_keeps_one_file() {
    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    import(&env, &fixture("media-legacy.apkg"));
    let out = env
        .at(NOW)
        .args(["import", "--deck", "Other"])
        .arg(fixture("media-current.apkg"))
        .output()
        .unwrap();
    assert!(out.status.success());
    let store = Store::open(&env.db).unwrap();
    assert_eq!(store.media_counts().unwrap(), (4, 2));
    assert_eq!(files_under(&env.dir.path().join("media")).len(), 2);
}

#[test]
fn a_dry_run_writes_no_media() {
    let env = Env::new();
    let out = env
        .at(NOW)
        .args(["import", "--dry-run"])
        .arg(fixture("media-current.apkg"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(!env.dir.path().join("media").exists());
}

#[test]
fn hostile_media_are_refused_by_name_and_nothing_lands_outside_media() {
    let env = Env::new();
    let stdout = import(&env, &fixture("media-hostile.apkg"));
    assert!(
        stdout.contains("\"../evil.png\" refused"),
        "the .. name: {stdout}"
    );
    assert!(
        stdout.contains("\"huge.png\" (2147483648 bytes declared)"),
        "the 2 GiB declared size: {stdout}"
    );
    let store = Store::open(&env.db).unwrap();
    assert!(store.media_file("Media", "../evil.png").unwrap().is_none());
    assert!(store.media_file("Media", "huge.png").unwrap().is_none());
    // Not a picture, but a file like any other: stored, and shown as its
    // name by the review screen (tests/it/media_tui.rs).
    assert!(store.media_file("Media", "notimage.png").unwrap().is_some());
    // Nothing beside the database but itself and media/.
    let mut top: Vec<String> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("recall.db") && n != "xdg")
        .collect();
    top.sort();
    assert_eq!(top, ["media"]);
    assert!(!env.dir.path().join("evil.png").exists());
    let stored = files_under(&env.dir.path().join("media"));
    assert_eq!(stored.len(), 2, "{stored:?}");
    let missing: Vec<String> = store
        .missing_media()
        .unwrap()
        .into_iter()
        .map(|m| m.name)
        .collect();
    // The sound was never in the package; the crafted two were refused.
    assert_eq!(missing, ["../evil.png", "huge.png", "beat.mp3"]);
}

#[test]
fn pictures_beside_markdown_and_toml_decks_are_copied_in() {
    let env = Env::new();
    let png = std::fs::read(fixture("media-current.apkg")).unwrap();
    env.file("decks/img/fig.png", &png[..100]);
    env.file("outside.png", b"secret");
    let md = env.file(
        "decks/anatomy.md",
        "---\nQ: What is this?\n\n![a figure](img/fig.png)\nA: a figure\n---\n\
         Q: Escape?\n\n![x](../outside.png)\nA: no\n---\n",
    );
    let toml = env.file(
        "decks/maps.toml",
        "name = \"maps\"\n[[cards]]\nfront = \"Where?\"\nback = \"here\"\nimage = \"img/fig.png\"\n",
    );
    let stdout = import(&env, &md);
    assert!(stdout.contains("1 media file(s)"), "{stdout}");
    assert!(stdout.contains("\"../outside.png\" refused"), "{stdout}");
    import(&env, &toml);
    let store = Store::open(&env.db).unwrap();
    let md_fig = store.media_file("anatomy", "img/fig.png").unwrap().unwrap();
    let toml_fig = store.media_file("maps", "img/fig.png").unwrap().unwrap();
    assert_eq!(md_fig.sha256, toml_fig.sha256);
    assert_eq!(std::fs::read(&md_fig.path).unwrap(), &png[..100]);
    let cards = env.json(NOW, &["cards", "deck:maps", "--json"]).to_string();
    assert!(
        cards.contains("Where?\\n\\n[image: img/fig.png]"),
        "{cards}"
    );
}

#[test]
fn check_reports_missing_media_and_fix_removes_unreferenced_files() {
    let env = Env::new();
    import(&env, &fixture("media-hostile.apkg"));
    let out = env.at(NOW).args(["check", "--media"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    for line in [
        "Media: card mediaNote: ../evil.png not imported",
        "Media: card mediaNote: huge.png not imported",
        "Media: card mediaNote: beat.mp3 not imported",
        "media: 2 named by decks, 2 file(s); 3 missing; 0 unreferenced",
    ] {
        assert!(stdout.contains(line), "{line:?} in:\n{stdout}");
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 media files missing"));

    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    let media = env.dir.path().join("media");
    std::fs::remove_file(media.join("3e").join(HEART_SHA256)).unwrap();
    let stray = "ab".repeat(32);
    env.file(
        &format!("media/ab/{stray}"),
        b"left by a rolled-back import",
    );
    let out = env.at(NOW).args(["check", "--media"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("heart.png its file is gone"), "{stdout}");
    assert!(
        stdout.contains("1 unreferenced (--fix deletes them)"),
        "{stdout}"
    );
    let out = env
        .at(NOW)
        .args(["check", "--media", "--fix"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("(deleted)"));
    assert!(!media.join("ab").join(&stray).exists());
    // Importing again brings the lost file back; then all is well.
    import(&env, &fixture("media-current.apkg"));
    env.at(NOW).args(["check", "--media"]).assert().success();
}

#[test]
fn check_of_a_deck_file_names_the_pictures_it_lacks() {
    let env = Env::new();
    env.file("decks/here.png", b"png");
    let md = env.file(
        "decks/d.md",
        "---\nQ: one\n\n![x](here.png)\nA: a\n---\nQ: two\n\n![y](gone.png)\nA: b\n---\n",
    );
    let out = env.at(NOW).arg("check").arg(&md).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(
        stdout.contains("media file \"gone.png\" is not beside the deck file"),
        "{stdout}"
    );
    assert!(!stdout.contains("here.png"), "{stdout}");
}

#[test]
fn a_card_moved_to_another_deck_keeps_its_picture() {
    let env = Env::new();
    import(&env, &fixture("media-current.apkg"));
    import(
        &env,
        &env.file(
            "other.toml",
            "name = \"Other\"\n[[cards]]\nfront = \"f\"\nback = \"b\"\n",
        ),
    );
    let mut store = Store::open(&env.db).unwrap();
    let cards = env.json(NOW, &["cards", "deck:Media", "--json"]);
    let id = cards["cards"][0]["id"].as_i64().unwrap();
    let (other, _) = store.resolve_deck("Other").unwrap();
    assert_eq!(store.move_cards(&[id], other).unwrap(), 1);
    let heart = store.media_file("Other", "heart.png").unwrap().unwrap();
    assert_eq!(heart.sha256, HEART_SHA256);
    assert!(store.missing_media().unwrap().is_empty());
}

#[test]
fn the_media_table_of_the_config_is_read_and_checked_by_line() {
    let env = Env::new();
    let file = env.config("[media]\nimages = false\nplayer = \"mpv --no-video\"\n");
    let out = env.at(NOW).args(["config", "--json"]).output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let config: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let setting = |key: &str| {
        config["settings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["key"] == key)
            .unwrap_or_else(|| panic!("no {key}: {config}"))
            .clone()
    };
    assert_eq!(setting("media.images")["value"], false);
    assert_eq!(setting("media.player")["value"], "mpv --no-video");
    assert_eq!(setting("media.player")["source"], "file");
    assert_eq!(setting("media.opener")["source"], "default");
    assert_eq!(setting("media.autoplay")["value"], false);
    env.config("[media]\nimages = true\nviewer = \"feh\"\n");
    let out = env.at(NOW).arg("decks").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!("{}:3", file.display())) && stderr.contains("viewer"),
        "{stderr}"
    );
}
