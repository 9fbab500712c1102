//! recall's plain card text as the HTML of an Anki field, so that Anki
//! shows it as recall does: `&`, `<`, `>` escaped, line breaks as `<br>`.
//! Text whose layout carries meaning (a line indented with a space or a
//! tab, a run of spaces or a tab inside a line: columns, or any
//! box-drawing character: a diagram) goes whole into a
//! `<pre>` with a monospace font instead, which keeps its spaces, its line
//! breaks and its columns. One rule for the whole field keeps it simple:
//! a field is either flowing text or preformatted.
//!
//! The pictures a card names (`[image: name]`, as recall's importers
//! write an `<img>`, and Markdown's `![alt](name)`) go out as `<img>`
//! tags, so Anki shows the file the package carries (`media`). Sounds
//! need nothing: `[sound:name]` is Anki's own tag.

use crate::domain::media::MediaKind;

/// The inline style of the `<pre>`: Anki's card CSS centres text and may
/// set a proportional font; a diagram needs its columns.
const PRE_OPEN: &str = "<pre style=\"font-family: monospace; text-align: left\">";

/// `text` as an Anki field's HTML (see the module comment).
pub fn field(text: &str) -> String {
    if is_preformatted(text) {
        format!("{PRE_OPEN}{}</pre>", with_images(text))
    } else {
        with_images(text).replace('\n', "<br>")
    }
}

/// `text` escaped, each picture it names (`domain::media::markers`) as an
/// `<img>` of the file's name in the package (`flat_name`).
fn with_images(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut done = 0;
    for (span, reference) in crate::domain::media::markers(text) {
        if reference.kind != MediaKind::Image || span.start < done {
            continue;
        }
        out.push_str(&escape(&text[done..span.start]));
        out.push_str("<img src=\"");
        let name = super::media::flat_name(reference.name);
        out.push_str(&escape(&name).replace('"', "&quot;"));
        out.push_str("\">");
        done = span.end;
    }
    out.push_str(&escape(&text[done..]));
    out
}

/// Whether the text's layout matters: an indented line, spaces in a row or
/// a tab (HTML would show one space), or a box drawing.
pub fn is_preformatted(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with(' ') || l.contains("  ") || l.contains('\t'))
        || text.chars().any(|c| ('\u{2500}'..='\u{259f}').contains(&c))
}

/// `&`, `<` and `>` as entities: the text is shown, never read as markup.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flowing_text_is_escaped_with_breaks() {
        assert_eq!(
            field("a < b && c > d\nnext"),
            "a &lt; b &amp;&amp; c &gt; d<br>next"
        );
    }

    #[test]
    fn diagrams_and_indented_text_are_preformatted() {
        for text in [
            "┌─┐\n└─┘",
            "code:\n    x = 1",
            "\tTabbed",
            "name  age\nBo    42",
        ] {
            let html = field(text);
            assert!(html.starts_with(PRE_OPEN), "{html}");
            assert!(html.ends_with("</pre>") && !html.contains("<br>"), "{html}");
        }
        assert_eq!(field("  a<b"), format!("{PRE_OPEN}  a&lt;b</pre>"));
    }

    #[test]
    fn pictures_become_img_tags_of_their_flat_names() {
        assert_eq!(
            field("See [image: a&b.png] and ![map](figs/map.png \"Map\")"),
            "See <img src=\"a&amp;b.png\"> and <img src=\"figs_map.png\">"
        );
        assert_eq!(field("[image: q\".png]"), "<img src=\"q&quot;.png\">");
        for text in [
            "[image: ]",
            "a ![b] c",
            "![x](https://e.org/x.png)",
            "[image: a\nb]",
        ] {
            assert!(!field(text).contains("<img"), "{text}");
        }
    }

    #[test]
    fn what_recall_reads_back_is_the_text() {
        for text in [
            "a < b && c > d\nnext",
            "┌─┐ x\n│ │\n└─┘",
            "  indented\nnot",
            "a [image: cat.jpg] b",
        ] {
            assert_eq!(crate::formats::html::to_text(&field(text)), text);
        }
    }
}
