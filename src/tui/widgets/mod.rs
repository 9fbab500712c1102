//! One file per screen (and the text layout they share). Render only; each
//! scrolling screen also says how far it scrolls in an area (`Scroll`).

pub mod browser;
mod browser_detail;
pub mod help;
pub mod home;
pub mod image;
pub mod review;
pub mod stats;
pub mod summary;
pub mod text;
pub mod typed;

/// How far a screen's text can scroll in the area it is drawn in, and how
/// far a page moves: worked out from the area, by the same layout the
/// screen draws with, whenever an update needs it (never carried back from
/// a draw).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scroll {
    pub max: u16,
    pub page: u16,
}

impl Scroll {
    /// Nothing to scroll (or nothing drawn yet).
    pub const NONE: Scroll = Scroll { max: 0, page: 1 };

    /// `lines` of text shown `height` at a time; a page keeps one line of
    /// the last in view.
    pub fn of(lines: usize, height: u16) -> Scroll {
        let lines = u16::try_from(lines).unwrap_or(u16::MAX);
        Scroll {
            max: lines.saturating_sub(height),
            page: height.saturating_sub(1).max(1),
        }
    }
}
