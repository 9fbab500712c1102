//! Anki fields, rendered Anki cards and `#html:true` text files hold HTML;
//! recall shows plain text. html5ever (Servo's parser, which follows the
//! HTML standard) builds the tree a browser would build, and the text is
//! laid out from it as a browser lays out text, in plain lines: blocks and
//! `<br>` break lines, whitespace collapses except in `<pre>`, lists get
//! `• ` or `1. `, table rows are one line with ` | ` between cells,
//! `<img>` becomes `[image: src]`, Anki's `<anki-mathjax>` becomes `\(…\)`
//! or `\[…\]`; scripts, styles, comments and attributes never show.
//!
//! Text without `<` or `&`, or whose only markup is `<br>` and entities,
//! is laid out without a parse (the tree would hold only text and `<br>`s,
//! and a parse costs a few microseconds). Markup past the limits in
//! `parse.rs` (hostile nesting that would make parsing quadratic) goes
//! through a linear strip instead (`strip.rs`).

mod entities;
mod parse;
mod render;
mod strip;
mod tree;
mod writer;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

pub use entities::decode_entities;

/// Plain text for an HTML fragment.
pub fn to_text(html: &str) -> String {
    if !html.contains(['<', '&']) {
        let mut w = writer::Writer::new(html.len());
        w.text(html);
        return w.finish();
    }
    if let Some(text) = only_breaks(html) {
        return text;
    }
    parsed(html)
}

fn parsed(html: &str) -> String {
    let html = unended_tag_is_text(html);
    match parse::parse(&html) {
        Some(nodes) => render::render(&nodes, html.len()),
        None => strip::strip(&html),
    }
}

/// The text of markup that is only `<br>`s and entities, or `None`.
fn only_breaks(html: &str) -> Option<String> {
    const BREAKS: [&str; 3] = ["<br>", "<br/>", "<br />"];
    let mut w = writer::Writer::new(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let (text, tag) = rest.split_at(lt);
        let br = BREAKS.iter().find(|br| {
            tag.get(..br.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(br))
        })?;
        w.text(&decode_entities(text));
        w.line_break();
        rest = &tag[br.len()..];
    }
    w.text(&decode_entities(rest));
    Some(w.finish())
}

/// A browser drops a tag cut off by the end of the text (`a<b` shows as
/// `a`). A note's field that ends that way was more likely typed than
/// cut, so the `<`s after the last `>` are text.
fn unended_tag_is_text(html: &str) -> Cow<'_, str> {
    let tail = html.rfind('>').map_or(0, |gt| gt + 1);
    if !html[tail..].contains('<') {
        return Cow::Borrowed(html);
    }
    Cow::Owned(format!(
        "{}{}",
        &html[..tail],
        html[tail..].replace('<', "&lt;")
    ))
}

/// How many media files a field refers to (`<img src>`, `[sound:…]`).
pub fn media_references(html: &str) -> usize {
    let lower = html.to_ascii_lowercase();
    lower.matches("<img").count() + html.matches("[sound:").count()
}
