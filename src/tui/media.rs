//! The media of the card on screen: its pictures decoded for the review
//! screen (`widgets::image` draws them), its files for `o` and its sounds
//! for `r`. Resolved from the markers in the card's text (`domain::media`)
//! through the store when the card or its side changes (`sync`), never by
//! rewriting the text.
//!
//! Pictures are drawn only with a `Picker`: the protocol the terminal
//! answered for at start-up (`detect`), half-blocks everywhere else, none
//! under `NO_COLOR` or `[media] images = false` (the text's
//! `[image: name]` stays the only sign). A file that is not a picture, an
//! SVG, or one too big to decode shows as its name, as before.

use std::cell::RefCell;
use std::io::Read;
use std::path::PathBuf;
use std::time::Duration;

use ratatui_image::picker::Picker;
use ratatui_image::picker::cap_parser::QueryStdioOptions;
use ratatui_image::protocol::StatefulProtocol;

use crate::config::MediaConfig;
use crate::domain::media::{MediaKind, references};
use crate::domain::{Card, CardId};
use crate::storage::Store;

use super::app::{App, Screen};
use super::effects::Effect;
use super::launch;

/// Pictures past these are shown as their names: decoding one would take
/// seconds or hundreds of MiB (a crafted PNG declares any size it likes).
const MAX_IMAGE_BYTES: u64 = 64 << 20;
const MAX_SIDE_PIXELS: u32 = 8192;
const MAX_DECODE_BYTES: u64 = 256 << 20;

/// How long start-up waits for the terminal to say what it can draw.
const QUERY_TIMEOUT: Duration = Duration::from_millis(500);

/// A picture of the card on screen.
pub struct CardImage {
    pub name: String,
    /// Ready to draw; `None`: shown as its name (why in `note`).
    pub protocol: Option<RefCell<StatefulProtocol>>,
    pub note: &'static str,
}

/// The media state of the review screen.
pub struct Media {
    pub config: MediaConfig,
    /// `None`: pictures are not drawn (NO_COLOR, the config), or not yet
    /// needed (a half-block picker is made on the first picture).
    picker: Option<Picker>,
    /// The terminal is to be asked for its protocol when the first picture
    /// is drawn (`detect`).
    query_pending: bool,
    enabled: bool,
    /// The card and side the lists below are for.
    shown: Option<(CardId, bool)>,
    pub images: Vec<CardImage>,
    /// The card's pictures' files in text order, for `o`; its sounds', for `r`.
    pub pictures: Vec<PathBuf>,
    pub sounds: Vec<PathBuf>,
    /// "no player found" was said once already this sitting.
    pub said_no_player: bool,
    /// Where players are looked for: `$PATH` as recall started.
    pub search_path: Option<std::ffi::OsString>,
    /// Links named as the cards name their files (`launch::named`), for
    /// the viewer and player to see an extension; gone when recall ends.
    links: Option<tempfile::TempDir>,
}

impl Media {
    /// Pictures in half-blocks (deterministic: what tests draw) unless the
    /// config turns them off; `detect` upgrades to the terminal's protocol.
    pub fn new(config: MediaConfig) -> Media {
        Media {
            enabled: config.images,
            config,
            picker: None,
            query_pending: false,
            shown: None,
            images: Vec::new(),
            pictures: Vec::new(),
            sounds: Vec::new(),
            said_no_player: false,
            search_path: std::env::var_os("PATH"),
            links: None,
        }
    }

    /// Arms the question to the terminal (stdout a tty, raw mode on) of
    /// which graphics protocol it speaks, asked when the first picture is
    /// drawn: a session without pictures never waits for the answer (up to
    /// 500 ms on a terminal that gives none; the TUI's first card took 510
    /// ms in the benchmark's pseudo-terminal when it was asked at start-up).
    /// `color`: false under `NO_COLOR`, which turns pictures off.
    pub fn detect(&mut self, color: bool) {
        use std::io::IsTerminal;
        // What was loaded before (the first card) is loaded again with it.
        self.reload();
        if !color {
            self.enabled = false;
        }
        self.query_pending = self.enabled && std::io::stdout().is_terminal() && !in_multiplexer();
    }

    /// Asks the terminal now; one that does not answer in time gets
    /// half-blocks.
    fn query(&mut self) {
        let options = QueryStdioOptions {
            timeout: QUERY_TIMEOUT,
            ..QueryStdioOptions::default()
        };
        // The crate picks kitty where the terminal answers its graphics
        // query, else sixel where its device attributes list it, else
        // iTerm2 by the environment, else half-blocks; it needs the cell
        // size in pixels for any but half-blocks (tests/it/media_pty.rs).
        if let Ok(picker) = Picker::from_query_stdio_with_options(options) {
            self.picker = Some(picker);
        }
    }

    /// Loads the card's media again on the next `sync` (its text changed).
    pub fn reload(&mut self) {
        self.shown = None;
    }

    /// Whether `sync` last loaded a card or side other than the one before
    /// (autoplay plays each card's sound once per side).
    fn is_for(&self, card: CardId, revealed: bool) -> bool {
        self.shown == Some((card, revealed))
    }

    /// Loads the media of `card` (its back's too once `revealed`) unless
    /// they are loaded already; `None`: no card on screen.
    pub fn sync(&mut self, store: &Store, card: Option<(&Card, bool)>) {
        let key = card.map(|(c, revealed)| (c.id, revealed));
        if key == self.shown {
            return;
        }
        self.shown = key;
        self.images.clear();
        self.pictures.clear();
        self.sounds.clear();
        let Some((card, revealed)) = card else {
            return;
        };
        let sides: &[&str] = if revealed {
            &[&card.front, &card.back, &card.notes]
        } else {
            &[&card.front]
        };
        for side in sides {
            for reference in references(side) {
                let file = store.media_file(&card.deck, reference.name).ok().flatten();
                let path = file.as_ref().map(|f| self.named(&f.path, reference.name));
                match reference.kind {
                    MediaKind::Sound => self.sounds.extend(path),
                    MediaKind::Image => {
                        self.pictures.extend(path);
                        let image = self.load(reference.name, file.as_ref());
                        self.images.push(image);
                    }
                }
            }
        }
    }

    /// `path` under a link named `name` (its last part), where one can be
    /// made: a viewer given `media/3e/3e32…` knows nothing of `.png`.
    fn named(&mut self, path: &std::path::Path, name: &str) -> PathBuf {
        if self.links.is_none() {
            self.links = tempfile::Builder::new()
                .prefix("recall-media-")
                .tempdir()
                .ok();
        }
        match &self.links {
            Some(dir) => launch::named(dir.path(), path, name),
            None => path.to_path_buf(),
        }
    }

    fn load(&mut self, name: &str, file: Option<&crate::storage::StoredMedia>) -> CardImage {
        let shown_as_name = |note| CardImage {
            name: name.to_string(),
            protocol: None,
            note,
        };
        let Some(file) = file else {
            return shown_as_name("not imported");
        };
        if !self.enabled {
            return shown_as_name("pictures are off");
        }
        if file.mime == "image/svg+xml" {
            return shown_as_name("SVG is shown as its name");
        }
        let Some(image) = decode(&file.path) else {
            return shown_as_name("not a picture recall can draw");
        };
        if std::mem::take(&mut self.query_pending) {
            self.query();
        }
        let picker = self.picker.get_or_insert_with(Picker::halfblocks);
        CardImage {
            name: name.to_string(),
            protocol: Some(RefCell::new(picker.new_resize_protocol(image))),
            note: "",
        }
    }
}

impl App {
    /// The media of the card on screen, loaded if it changed (called after
    /// every action); with `[media] autoplay`, the effect that plays a
    /// card's sound when it (or its answer) first shows.
    pub fn sync_media(&mut self) -> Effect {
        let card = match &self.screen {
            Screen::Review(shown) => Some((&shown.card, shown.revealed)),
            _ => None,
        };
        let fresh = card.is_some_and(|(c, revealed)| !self.media.is_for(c.id, revealed));
        self.media.sync(&self.ctx.store, card);
        if fresh && self.media.config.autoplay && !self.media.sounds.is_empty() {
            return self.media_effect(true);
        }
        Effect::None
    }

    /// `o` (pictures to the viewer) or `r` (the first sound to the player).
    pub(super) fn media_effect(&mut self, sound: bool) -> Effect {
        if !matches!(self.screen, Screen::Review(_)) {
            return Effect::None;
        }
        let config = &self.media.config;
        if !sound {
            if self.media.pictures.is_empty() {
                self.info("This card has no picture recall holds.");
                return Effect::None;
            }
            return Effect::Launch {
                command: launch::opener(config.opener.as_deref()),
                files: self.media.pictures.clone(),
            };
        }
        let Some(first) = self.media.sounds.first().cloned() else {
            self.info("This card has no sound recall holds.");
            return Effect::None;
        };
        match launch::player(config.player.as_deref(), self.media.search_path.clone()) {
            Some(command) => Effect::Launch {
                command,
                files: vec![first],
            },
            None => {
                if !self.media.said_no_player {
                    self.media.said_no_player = true;
                    self.error(
                        "No sound player found (mpv, ffplay, afplay, paplay): \
                         install one, or set [media] player in the config.",
                    );
                }
                Effect::None
            }
        }
    }
}

/// The picture at `path`, if it is one (PNG, JPEG, GIF, WebP) within the
/// limits.
fn decode(path: &std::path::Path) -> Option<image::DynamicImage> {
    let file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::new();
    file.take(MAX_IMAGE_BYTES + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return None;
    }
    let mut reader = image::ImageReader::new(std::io::Cursor::new(bytes))
        .with_guessed_format()
        .ok()?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE_PIXELS);
    limits.max_image_height = Some(MAX_SIDE_PIXELS);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader.decode().ok()
}

/// Whether recall runs inside tmux or screen. There the query goes to a
/// terminal that may never answer (tmux passes it on only with
/// passthrough, to an outer terminal that may not be attached), and the
/// crate's reader, left waiting on the keyboard after the timeout, took
/// the first key typed (seen in tmux: a typed answer lost its first
/// letter). Half-blocks there.
fn in_multiplexer() -> bool {
    std::env::var_os("TMUX").is_some()
        || std::env::var("TERM").is_ok_and(|t| t.starts_with("screen") || t.starts_with("tmux"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_that_are_not_pictures_do_not_decode() {
        let dir = tempfile::tempdir().unwrap();
        let text = dir.path().join("notimage.png");
        std::fs::write(&text, b"this is text, not a picture").unwrap();
        assert!(decode(&text).is_none());
        // A PNG header claiming 100 000 × 100 000 pixels: refused, not allocated.
        let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
        huge.extend_from_slice(&100_000u32.to_be_bytes());
        huge.extend_from_slice(&100_000u32.to_be_bytes());
        huge.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        let bomb = dir.path().join("bomb.png");
        std::fs::write(&bomb, huge).unwrap();
        assert!(decode(&bomb).is_none());
    }
}
