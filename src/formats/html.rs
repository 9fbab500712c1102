//! Anki fields (and `#html:true` text files) hold HTML; recall shows plain
//! text. This is a converter, not a browser: one linear pass, no tree, so
//! deeply nested or unclosed markup costs no more than its length. `<br>`
//! and block tags become line breaks, `<img>` becomes `[image: src]`,
//! entities are decoded, every other tag is dropped. (A full HTML parser
//! crate would pull in a DOM for the same plain-text result.)

/// Plain text for an HTML fragment.
pub fn to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    // Inside <script> or <style>: drop everything to the closing tag.
    let mut skipping: Option<&'static str> = None;
    while let Some(lt) = rest.find('<') {
        if skipping.is_none() {
            push_text(&mut out, &rest[..lt]);
        }
        let tail = &rest[lt + 1..];
        let Some(gt) = tail.find('>') else {
            // A lone `<` is text.
            if skipping.is_none() {
                push_text(&mut out, &rest[lt..]);
            }
            rest = "";
            break;
        };
        let tag = &tail[..gt];
        rest = &tail[gt + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .take(10)
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(until) = skipping {
            if closing && name == until {
                skipping = None;
            }
            continue;
        }
        match name.as_str() {
            "script" | "style" if !closing => {
                skipping = Some(if name == "script" { "script" } else { "style" });
            }
            "br" => out.push('\n'),
            "div" | "p" | "li" | "tr" | "ul" | "ol" | "table" | "h1" | "h2" | "h3" | "h4"
            | "h5" | "h6" | "pre" | "blockquote" | "hr"
                if !out.is_empty() && !out.ends_with('\n') =>
            {
                out.push('\n');
            }
            "img" => {
                if let Some(src) = attribute(tag, "src") {
                    out.push_str("[image: ");
                    out.push_str(&decode_entities(src));
                    out.push(']');
                }
            }
            _ => {}
        }
    }
    if skipping.is_none() {
        push_text(&mut out, rest);
    }
    tidy(&out)
}

/// How many media files a field refers to (`<img src>`, `[sound:…]`).
pub fn media_references(html: &str) -> usize {
    let lower = html.to_ascii_lowercase();
    lower.matches("<img").count() + html.matches("[sound:").count()
}

fn push_text(out: &mut String, text: &str) {
    // Source line breaks are not breaks in HTML; `<br>` is.
    let text = text.replace(['\r', '\n'], " ");
    out.push_str(&decode_entities(&text));
}

/// At most one blank line in a row, no trailing spaces, trimmed ends.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.split('\n') {
        let line = line.trim_end();
        if line.trim().is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.trim_matches('\n').to_string()
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

/// Decodes `&amp;`, `&#39;`, `&#x1F600;` and the named entities Anki
/// writes; anything unknown stays as written.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let end = tail.char_indices().take(12).find(|&(_, c)| c == ';');
        let decoded = end.and_then(|(end, _)| entity(&tail[1..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).filter(|&c| c != '\0');
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "laquo" => '«',
        "raquo" => '»',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "times" => '×',
        "divide" => '÷',
        "middot" => '·',
        "deg" => '°',
        "copy" => '©',
        "rarr" => '→',
        "larr" => '←',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_blocks_entities_and_tags() {
        assert_eq!(to_text("a<br>b<br/>c"), "a\nb\nc");
        assert_eq!(to_text("<div>one</div><div>two</div>"), "one\ntwo");
        assert_eq!(
            to_text("<b>bold</b> &amp; &lt;i&gt; &#39;q&#x27;"),
            "bold & <i> 'q'"
        );
        assert_eq!(to_text("x<script>alert(1)</script>y"), "xy");
        assert_eq!(to_text("<img src=\"cat.jpg\">"), "[image: cat.jpg]");
        assert_eq!(to_text("1 < 2"), "1 < 2");
        assert_eq!(to_text("&bogus; &#0;"), "&bogus; &#0;");
        assert_eq!(to_text("line\nbreak"), "line break");
    }

    #[test]
    fn deep_nesting_is_linear() {
        let deep = "<div>".repeat(200_000) + "x" + &"</div>".repeat(200_000);
        assert_eq!(to_text(&deep), "x");
        let unclosed = "<div".repeat(100_000);
        assert_eq!(to_text(&unclosed), unclosed);
    }

    #[test]
    fn media_is_counted() {
        assert_eq!(media_references("<IMG src=a.png> [sound:b.mp3]"), 2);
    }
}
