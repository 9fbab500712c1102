//! Retired cards: bundled cards that a release no longer ships. They are
//! suspended and tagged `retired` rather than deleted, so a learner who
//! studied them keeps their history (`recall cards tag:retired` finds them).

/// The tag a retired card carries.
pub const RETIRED_TAG: &str = "retired";

/// Whether space-separated `tags` hold the retired tag.
pub fn is_retired(tags: &str) -> bool {
    tags.split_whitespace().any(|t| t == RETIRED_TAG)
}

/// `tags` with the retired tag added, keeping the others; `None` when the
/// card is retired already, so that it is neither written nor reported twice.
pub fn retire_tags(tags: &str) -> Option<String> {
    if is_retired(tags) {
        return None;
    }
    Some(
        format!("{} {RETIRED_TAG}", tags.trim())
            .trim_start()
            .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retiring_adds_the_tag_once_and_keeps_the_others() {
        assert_eq!(retire_tags("").as_deref(), Some("retired"));
        assert_eq!(
            retire_tags("aws leech").as_deref(),
            Some("aws leech retired")
        );
        assert_eq!(retire_tags("aws retired"), None);
        // A tag that merely contains the word is not the tag.
        assert_eq!(
            retire_tags("unretired").as_deref(),
            Some("unretired retired")
        );
    }
}
