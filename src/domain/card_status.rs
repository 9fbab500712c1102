//! A card's one-word state, and the text test, as the card list shows and
//! searches them: pure, shared by `storage::search` and the list's readers.

/// What a card is, in one word, as the browser's list shows it: the
/// flags first (a suspended card is "suspended" whatever its schedule).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    New,
    Learning,
    Review,
    Suspended,
    Buried,
}

impl Status {
    /// The same classes as `is:` and the statistics (mature: 21 days and 2 repetitions).
    pub fn of(
        suspended: bool,
        buried: bool,
        due: Option<i64>,
        repetitions: u32,
        interval: u32,
    ) -> Status {
        match due {
            _ if suspended => Status::Suspended,
            _ if buried => Status::Buried,
            None => Status::New,
            Some(_) if repetitions >= 2 && interval >= crate::domain::stats::MATURE_DAYS => {
                Status::Review
            }
            Some(_) => Status::Learning,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::Learning => "learning",
            Status::Review => "review",
            Status::Suspended => "suspended",
            Status::Buried => "buried",
        }
    }
}

/// Whether `text` holds `needle` (already lowercase), ignoring case: what a
/// text term asks of a card's front, back or notes.
pub fn contains_folded(text: &str, needle: &str) -> bool {
    if needle.is_empty() {
        return true;
    }
    if text.is_ascii() && needle.is_ascii() {
        // No allocation for the common case: most cards are ASCII.
        return text
            .as_bytes()
            .windows(needle.len())
            .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()));
    }
    text.to_lowercase().contains(needle)
}
