//! The fallback for markup past the parser's limits (`parse.rs`): one
//! linear pass that drops tags, comments and the insides of `<script>`,
//! `<style>` and the like, breaks lines at `<br>` and block tags, marks
//! list items, shows images and decodes entities. Lists, tables and
//! `<pre>` lose their finer layout; nothing else is lost.

use super::entities::decode_entities;
use super::writer::Writer;

pub(super) fn strip(html: &str) -> String {
    let mut w = Writer::new(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        w.text(&decode_entities(&rest[..lt]));
        let tail = &rest[lt + 1..];
        if let Some(comment) = tail.strip_prefix("!--") {
            rest = comment.find("-->").map_or("", |end| &comment[end + 3..]);
            continue;
        }
        let opens_tag = tail
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_alphabetic() || matches!(b, b'/' | b'!' | b'?'));
        if !opens_tag {
            // `< 10`, `a <3`: text.
            w.text("<");
            rest = tail;
            continue;
        }
        let Some(gt) = tail.find('>') else {
            // A tag that never ends is text, as on the parser's path.
            w.text(&decode_entities(&rest[lt..]));
            rest = "";
            break;
        };
        rest = tag(&mut w, &tail[..gt], &tail[gt + 1..]);
    }
    w.text(&decode_entities(rest));
    w.finish()
}

/// Writes what one tag (the text between `<` and `>`) stands for, and
/// returns the text after it: after its end tag for the elements whose
/// content is never shown.
fn tag<'a>(w: &mut Writer, tag: &str, rest: &'a str) -> &'a str {
    let closing = tag.starts_with('/');
    let name: String = tag
        .trim_start_matches('/')
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "script" | "style" | "title" | "head" | "template" | "noscript" | "iframe" if !closing => {
            return after_end_tag(rest, &name);
        }
        "br" => w.line_break(),
        "img" => {
            if let Some(src) = attribute(tag, "src").filter(|s| !s.trim().is_empty()) {
                w.text(&format!("[image: {}]", decode_entities(src)));
            }
        }
        "li" if !closing => {
            w.block_start();
            w.marker("• ");
        }
        "td" | "th" if !closing => w.text(" "),
        "div" | "p" | "li" | "tr" | "ul" | "ol" | "table" | "h1" | "h2" | "h3" | "h4" | "h5"
        | "h6" | "pre" | "blockquote" | "hr" | "section" | "article" | "dl" | "dt" | "dd"
        | "header" | "footer" | "nav" | "aside" | "main" | "figure" | "caption" => {
            w.block_end();
        }
        _ => {}
    }
    rest
}

/// What follows `</name>` (any case), or nothing if it never comes.
fn after_end_tag<'a>(text: &'a str, name: &str) -> &'a str {
    let mut rest = text;
    while let Some(at) = rest.find("</") {
        let after = &rest[at + 2..];
        let matches = after
            .get(..name.len())
            .is_some_and(|n| n.eq_ignore_ascii_case(name));
        if matches {
            return after.find('>').map_or("", |gt| &after[gt + 1..]);
        }
        rest = after;
    }
    ""
}

fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let lower = tag.to_ascii_lowercase();
    let at = lower.find(&format!("{name}="))? + name.len() + 1;
    let value = &tag[at..];
    match value.chars().next()? {
        q @ ('"' | '\'') => value[1..].split(q).next(),
        _ => value.split(|c: char| c.is_whitespace() || c == '/').next(),
    }
}
