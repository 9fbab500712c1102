//! The filters of Anki's templates (`{{cloze:Text}}`, `{{text:Front}}`, …)
//! as a terminal can show them. Where Anki's output is meant for its web
//! view (a hint behind a link, a box to type into, speech), the text the
//! card needs is kept; an unknown filter (an add-on's) leaves the field as
//! it is.

use super::template::CardContext;
use crate::formats::{cloze, html};

/// `text` (field `field`'s) through `filters`, in the order they apply.
pub fn apply(text: &str, filters: &[&str], field: &str, card: &CardContext<'_>) -> String {
    // As in Anki: `type:` ends the chain, whatever comes before it.
    let filters: &[&str] = match filters {
        ["cloze", "type"] => &["type-cloze"],
        ["nc", "type"] => &["type-nc"],
        [.., "type"] => &["type"],
        _ => filters,
    };
    let mut out = text.to_string();
    for filter in filters {
        out = one(filter, &out, field, card);
    }
    out
}

fn one(filter: &str, text: &str, field: &str, card: &CardContext<'_>) -> String {
    let number = card.ord + 1;
    match filter {
        "text" => escape(&html::to_text(text)),
        "cloze" => cloze::reveal_for_card(text, number, card.question()),
        "cloze-only" => cloze::only(text, number, card.question()),
        "hint" if text.trim().is_empty() => String::new(),
        // Anki hides it behind a link named after the field; shown, the
        // text comes under the link.
        "hint" => format!("<div>{}</div><div>{text}</div>", escape(field)),
        // Anki shows a box to type the answer into on the front, and the
        // expected answer on the back; recall shows that answer.
        "type" | "type-nc" if card.question() => String::new(),
        "type" | "type-nc" => text.to_string(),
        "type-cloze" if card.question() => String::new(),
        "type-cloze" => typed_cloze(text, number),
        "furigana" => ruby(text, |base, reading| format!("{base}({reading})")),
        "kanji" => ruby(text, |base, _| base.to_string()),
        "kana" => ruby(text, |_, reading| reading.to_string()),
        // `tts`, the empty filter of `{{::Field}}` and add-ons' filters.
        _ => text.to_string(),
    }
}

/// What Anki expects typed for a cloze: the card's deletions, one entry
/// when they all say the same.
fn typed_cloze(text: &str, number: u32) -> String {
    let all = cloze::only(text, number, false);
    let mut parts: Vec<&str> = all.split(", ").collect();
    parts.dedup();
    if parts.len() == 1 {
        parts[0].to_string()
    } else {
        all
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Anki's ruby text: `base[reading]`, where the base runs back to the
/// previous space or `>` (a space before it is taken too) and a reading is
/// one line. `[sound:…]` tags are left alone.
fn ruby(text: &str, join: impl Fn(&str, &str) -> String) -> String {
    let text = text.replace("&nbsp;", " ");
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(open) = rest.find('[') {
        let before = &rest[..open];
        let base_start = before.rfind([' ', '>']).map_or(0, |i| i + 1);
        let reading = rest[open + 1..]
            .find(['\n', ']'])
            .filter(|&len| len > 0 && rest[open + 1 + len..].starts_with(']'))
            .map(|len| &rest[open + 1..open + 1 + len]);
        match reading {
            Some(reading) if base_start < open && !reading.starts_with("sound:") => {
                // The space before the base belongs to the match.
                let keep = if before[..base_start].ends_with(' ') {
                    base_start - 1
                } else {
                    base_start
                };
                out.push_str(&before[..keep]);
                out.push_str(&join(&before[base_start..], reading));
                rest = &rest[open + 1 + reading.len() + 1..];
            }
            _ => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on(side: Option<&str>, filters: &[&str], text: &str) -> String {
        let fields = crate::formats::anki::render::FieldMap::default();
        let card = CardContext {
            fields: &fields,
            ord: 0,
            front_side: side,
        };
        apply(text, filters, "Field", &card)
    }

    #[test]
    fn cloze_and_type_on_each_side() {
        let text = "{{c1::Paris::city}} and {{c2::Rome}}";
        assert_eq!(on(None, &["cloze"], text), "[city] and Rome");
        assert_eq!(on(Some(""), &["cloze"], text), "Paris and Rome");
        assert_eq!(on(None, &["cloze"], "{{c2::x}}"), "");
        assert_eq!(on(None, &["type"], "answer"), "");
        assert_eq!(on(Some(""), &["type"], "answer"), "answer");
        assert_eq!(on(Some(""), &["cloze", "type"], "{{c1::a}} {{c1::a}}"), "a");
        assert_eq!(on(Some(""), &["cloze-only"], text), "Paris");
    }

    #[test]
    fn text_hint_and_unknown_filters() {
        assert_eq!(on(None, &["text"], "<b>a &lt; b</b>"), "a &lt; b");
        assert_eq!(
            on(None, &["hint"], "look"),
            "<div>Field</div><div>look</div>"
        );
        assert_eq!(on(None, &["hint"], " "), "");
        assert_eq!(on(None, &["tts en_US"], "hello"), "hello");
        assert_eq!(on(None, &["my-addon", ""], "x"), "x");
        // Applied right to left: cloze first, then text.
        assert_eq!(on(Some(""), &["cloze", "text"], "<i>{{c1::a}}</i>"), "a");
    }

    #[test]
    fn ruby_text() {
        let text = "日本語[にほんご] を 話[はな]す [sound:x.mp3]";
        assert_eq!(on(None, &["kanji"], text), "日本語 を話す [sound:x.mp3]");
        assert_eq!(on(None, &["kana"], text), "にほんご をはなす [sound:x.mp3]");
        assert_eq!(on(None, &["furigana"], "話[はな]す"), "話(はな)す");
        assert_eq!(on(None, &["kana"], "[a] b[] c[\n]"), "[a] b[] c[\n]");
    }
}
