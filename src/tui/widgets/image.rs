//! The card's first picture, drawn in the space its text leaves on the
//! review screen (`tui::media` has it decoded, with the protocol chosen
//! at start-up). Scaled to fit that space, keeping its proportions; where
//! the space is too small (a long card, a small terminal), or the picture
//! could not be decoded, nothing is drawn: the text's `[image: name]`
//! already names it. Each draw works from the area it is given, so a
//! resize only scales it again.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::{StatefulWidget, Widget};
use ratatui_image::{Resize, StatefulImage};

use crate::tui::media::Media;

/// Less room than this and the picture is left out.
const MIN_ROWS: u16 = 3;
const MIN_COLS: u16 = 6;

/// The first drawable picture of the card on screen.
pub struct CardPicture<'a> {
    pub media: &'a Media,
}

impl Widget for CardPicture<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if area.height < MIN_ROWS || area.width < MIN_COLS {
            return;
        }
        let Some(picture) = self.media.images.iter().find_map(|i| i.protocol.as_ref()) else {
            return;
        };
        // Only the review screen draws, once per frame: never borrowed twice.
        let Ok(mut state) = picture.try_borrow_mut() else {
            return;
        };
        // Scale, not Fit: Anki's pictures are often small icons, which
        // would otherwise take a cell or two.
        StatefulImage::default()
            .resize(Resize::Scale(None))
            .render(area, buf, &mut *state);
    }
}
