//! Pictures beside a text deck (`![alt](fig.png)` in Markdown, `image =
//! "fig.png"` or an inline `[image: fig.png]` in TOML): the files the
//! cards name, relative to the deck file's folder, copied in at import.
//! A CrowdAnki export keeps its files in `media/` beside `deck.json`: a
//! name not found beside the deck is looked for there too.
//! Never from outside that folder: an absolute name, `..`, or a symlink
//! that leads out is refused with a warning, and the card shows the name.

use std::path::Path;

use super::media::{MAX_MEDIA_FILE_BYTES, MediaBundle};
use crate::domain::DeckDraft;
use crate::domain::media::{named_by, unsafe_relative_name};

/// The files `decks` name beside `deck_file`, and warnings for those
/// refused or not found.
pub fn beside(deck_file: &Path, decks: &[DeckDraft]) -> (Option<MediaBundle>, Vec<String>) {
    let mut warnings = Vec::new();
    let names = named_by(decks);
    if names.is_empty() {
        return (None, warnings);
    }
    let folder = deck_file.parent().unwrap_or(Path::new("."));
    let folder = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let Ok(root) = folder.canonicalize() else {
        return (None, warnings);
    };
    let mut bundle = match MediaBundle::new() {
        Ok(bundle) => bundle,
        Err(e) => return (None, vec![e]),
    };
    for name in &names {
        match one(&root, name, &mut bundle) {
            Ok(()) => {}
            Err(why) => warnings.push(format!(
                "media file {name:?} {why}: its cards show its name"
            )),
        }
    }
    if bundle.files().is_empty() {
        return (None, warnings);
    }
    (Some(bundle), warnings)
}

/// `name` (from the deck's text) under `root`, into the bundle.
fn one(root: &Path, name: &str, bundle: &mut MediaBundle) -> Result<(), String> {
    if let Some(why) = unsafe_relative_name(name) {
        return Err(format!("refused ({why})"));
    }
    // Resolved, symlinks and all, it must still be under the deck's folder.
    let path = root
        .join(name)
        .canonicalize()
        .or_else(|_| root.join("media").join(name).canonicalize())
        .map_err(|_| "is not beside the deck file".to_string())?;
    if !path.starts_with(root) {
        return Err("refused (a link out of the deck's folder)".into());
    }
    let meta = std::fs::metadata(&path).map_err(|e| format!("cannot be read ({e})"))?;
    if !meta.is_file() {
        return Err("is not a regular file".into());
    }
    if meta.len() > MAX_MEDIA_FILE_BYTES {
        return Err(format!(
            "is over the limit of {MAX_MEDIA_FILE_BYTES} bytes ({} bytes)",
            meta.len()
        ));
    }
    let file = std::fs::File::open(&path).map_err(|e| format!("cannot be read ({e})"))?;
    bundle.add(name, meta.len(), file)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::CardDraft;

    fn deck(front: &str) -> DeckDraft {
        DeckDraft {
            name: "d".into(),
            description: String::new(),
            position: None,
            cards: vec![CardDraft {
                key: "k".into(),
                front: front.into(),
                back: "b".into(),
                notes: String::new(),
                tags: Vec::new(),
                typed: false,
            }],
        }
    }

    #[test]
    fn files_beside_the_deck_come_in_and_escapes_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let decks = dir.path().join("decks");
        std::fs::create_dir_all(decks.join("img")).unwrap();
        std::fs::write(decks.join("img/fig.png"), b"png").unwrap();
        std::fs::create_dir_all(decks.join("media")).unwrap();
        std::fs::write(decks.join("media/crowd.png"), b"crowdanki").unwrap();
        std::fs::write(dir.path().join("secret.png"), b"secret").unwrap();
        #[cfg(unix)]
        std::os::unix::fs::symlink(dir.path().join("secret.png"), decks.join("link.png")).unwrap();
        let text = "![a](img/fig.png) ![b](../secret.png) [image: link.png] ![c](gone.png) \
                    [image: crowd.png]";
        let (bundle, warnings) = beside(&decks.join("deck.md"), &[deck(text)]);
        let bundle = bundle.unwrap();
        let names: Vec<_> = bundle.files().iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["crowd.png", "img/fig.png"]);
        let all = warnings.join("\n");
        assert!(all.contains("\"../secret.png\" refused"), "{all}");
        assert!(all.contains("\"gone.png\" is not beside"), "{all}");
        #[cfg(unix)]
        assert!(all.contains("\"link.png\" refused (a link out"), "{all}");
    }
}
