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
    // `&#0;` is U+FFFD in a browser (it was kept as written before).
    assert_eq!(to_text("&bogus; &#0;"), "&bogus; \u{fffd}");
    assert_eq!(to_text("line\nbreak"), "line break");
}

#[test]
fn a_bare_less_than_is_text() {
    assert_eq!(to_text("< 10 Personen"), "< 10 Personen");
    assert_eq!(to_text("a<b"), "a<b");
    assert_eq!(to_text("<b>x</b> a<b"), "x a<b");
    assert_eq!(to_text("x < y > z"), "x < y > z");
    assert_eq!(to_text("1 <3 2"), "1 <3 2");
    assert_eq!(to_text("a <"), "a <");
}

#[test]
fn blocks_break_lines_and_inline_elements_do_not() {
    for tag in [
        "div",
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "nav",
        "figure",
        "figcaption",
        "address",
        "details",
        "summary",
        "dl",
        "dt",
        "dd",
        "center",
    ] {
        assert_eq!(to_text(&format!("a<{tag}>b</{tag}>c")), "a\nb\nc", "{tag}");
    }
    for tag in [
        "b", "i", "u", "s", "em", "strong", "span", "a", "sup", "sub", "small", "code", "font",
        "mark", "abbr", "q", "kbd", "label",
    ] {
        assert_eq!(to_text(&format!("a<{tag}>b</{tag}>c")), "abc", "{tag}");
    }
    assert_eq!(to_text("a<hr>b"), "a\nb");
    assert_eq!(to_text("a<ul><li>b</li></ul>c"), "a\n• b\nc");
    assert_eq!(to_text("a<table><tr><td>b</td></tr></table>c"), "a\nb\nc");
    assert_eq!(to_text("<div>a</div>\n  <div>b</div>"), "a\nb");
    assert_eq!(to_text("<div><div>a</div></div><div>b</div>"), "a\nb");
}

#[test]
fn whitespace_collapses_as_in_html() {
    assert_eq!(to_text("a \n\t b"), "a b");
    assert_eq!(to_text("<b>a </b> b"), "a b");
    assert_eq!(to_text("<div>  a \n b  </div>"), "a b");
    assert_eq!(to_text("a<br>  b"), "a\nb");
    // The fast path (no markup) lays text out the same way.
    assert_eq!(to_text("  a \r\n b  "), to_text("  a \r\n b  <b></b>"));
    assert_eq!(to_text("  a \r\n b  "), "a b");
}

#[test]
fn preformatted_text_keeps_its_lines_and_indentation() {
    let code = "fn main() {\n    let x = 1;\n\n\n    println!(\"{x}\");\n}";
    assert_eq!(to_text(&format!("<pre>{code}</pre>")), code);
    assert_eq!(to_text(&format!("<pre><code>{code}</code></pre>")), code);
    assert_eq!(to_text("a<pre>  x\n  y</pre>b"), "a\n  x\n  y\nb");
    assert_eq!(
        to_text("<span style=\"white-space: pre\">a  b\n c</span>"),
        "a  b\n c"
    );
    // Tags inside are still tags; entities still decode.
    assert_eq!(to_text("<pre>a <b>&lt;</b>\n\tb</pre>"), "a <\n\tb");
}

#[test]
fn blank_lines_spaces_and_ends_are_tidied() {
    assert_eq!(to_text("a<br><br><br><br>b"), "a\n\nb");
    assert_eq!(to_text("<div>a</div><div><br></div><div>b</div>"), "a\n\nb");
    assert_eq!(to_text("a &nbsp;<br>b"), "a\nb");
    assert_eq!(to_text("<br><br>a<br><br>"), "a");
    assert_eq!(to_text("<p></p><div> </div>a<div></div>"), "a");
    assert_eq!(to_text("a&nbsp;b"), "a b");
    assert_eq!(to_text("a&nbsp;&nbsp;b"), "a  b");
    assert_eq!(to_text("a\u{a0}b"), "a b");
}

#[test]
fn every_named_entity_decodes_and_invalid_ones_stay() {
    assert_eq!(to_text("&eacute;&hearts;&rarr;&ne;&alpha;"), "é♥→≠α");
    assert_eq!(to_text("&CounterClockwiseContourIntegral;"), "∳");
    assert_eq!(to_text("&nLt;"), "\u{226a}\u{20d2}");
    assert_eq!(to_text("&#65;&#x42;&#X43;&#x1F600;"), "ABC😀");
    // Legacy names without `;` decode, as in a browser.
    assert_eq!(to_text("&copy 2024 &notit;"), "© 2024 ¬it;");
    assert_eq!(
        to_text("&bogus; &#; &#x; &amp &#128; &#xD800; &#x110000;"),
        "&bogus; &#; &#x; & € \u{fffd} \u{fffd}"
    );
}

#[test]
fn decode_entities_decodes_only_entities() {
    assert_eq!(decode_entities("<b>&amp;</b> a\r\nb"), "<b>&</b> a\r\nb");
    assert_eq!(decode_entities("&lt;&gt&quot;&apos;"), "<>\"'");
    assert_eq!(decode_entities("&#99999999999999999999;"), "\u{fffd}");
    assert_eq!(decode_entities("&&#38;&"), "&&&");
    assert_eq!(decode_entities("plain"), "plain");
    assert_eq!(
        decode_entities("&CounterClockwiseContourIntegral"),
        "&CounterClockwiseContourIntegral"
    );
}

#[test]
fn lists_get_markers_and_indentation() {
    assert_eq!(to_text("<ul><li>a</li><li>b</li></ul>"), "• a\n• b");
    assert_eq!(
        to_text("<ul><li>a<ul><li>b<ul><li>c</li></ul></li></ul></li><li>d</li></ul>"),
        "• a\n  • b\n    • c\n• d"
    );
    assert_eq!(to_text("<ol><li>a</li><li>b</li></ol>"), "1. a\n2. b");
    assert_eq!(to_text("<ol start=\"3\"><li>a<li>b</ol>"), "3. a\n4. b");
    assert_eq!(to_text("<ol><li value=7>a<li>b</ol>"), "7. a\n8. b");
    assert_eq!(
        to_text("<ol><li>a<ul><li>b</li></ul></li><li>c</li></ol>"),
        "1. a\n  • b\n2. c"
    );
    assert_eq!(to_text("<ul><li>a<br>b</li></ul>"), "• a\n  b");
    assert_eq!(
        to_text("<ul><li><p>a</p></li><li><div>b</div></li></ul>"),
        "• a\n• b"
    );
    assert_eq!(to_text("<ul><li></li><li>b</li></ul>"), "•\n• b");
}

#[test]
fn deep_lists_stop_indenting() {
    let deep = "<ul><li>x".repeat(20);
    let last = to_text(&deep)
        .lines()
        .last()
        .unwrap_or_default()
        .to_string();
    assert_eq!(last, format!("{}• x", " ".repeat(16)));
}

#[test]
fn table_rows_are_lines_with_cells_between_bars() {
    let table = "<table><thead><tr><th>Engine</th><th>Threads</th></tr></thead>\
                 <tbody><tr><td>Redis</td><td>one</td></tr>\
                 <tr><td>Memcached</td><td>many</td></tr></tbody></table>";
    assert_eq!(
        to_text(table),
        "Engine | Threads\nRedis | one\nMemcached | many"
    );
    assert_eq!(
        to_text("<table><tr><td> a<br>b </td><td><div>c</div></td></tr></table>"),
        "a b | c"
    );
    assert_eq!(
        to_text("<table><tr><td></td><td>b</td></tr></table>"),
        "| b"
    );
}

#[test]
fn images_and_sounds() {
    assert_eq!(to_text("<img src=\"x.png\">"), "[image: x.png]");
    assert_eq!(
        to_text("<img src=\"a&amp;b.png\" alt=\"alt\">"),
        "[image: a&b.png]"
    );
    assert_eq!(to_text("a <img src=x.png> b"), "a [image: x.png] b");
    assert_eq!(to_text("<img alt=\"none\">"), "");
    assert_eq!(
        to_text("[sound:x.mp3] <b>[sound:y.ogg]</b>"),
        "[sound:x.mp3] [sound:y.ogg]"
    );
}

#[test]
fn anki_mathjax_becomes_tex_delimiters() {
    assert_eq!(to_text("<anki-mathjax>x^2</anki-mathjax>"), "\\(x^2\\)");
    assert_eq!(
        to_text("a <anki-mathjax block=\"true\">\\sum_i  x_i</anki-mathjax> b"),
        "a \\[\\sum_i  x_i\\] b"
    );
    assert_eq!(
        to_text("<anki-mathjax>a &lt; b</anki-mathjax>"),
        "\\(a < b\\)"
    );
    assert_eq!(to_text("\\(x &lt; 1\\)"), "\\(x < 1\\)");
    // A style on it changes nothing after it.
    assert_eq!(
        to_text("<anki-mathjax style=\"white-space:pre\">x</anki-mathjax> a\n  b"),
        "\\(x\\) a b"
    );
}

#[test]
fn hidden_things_never_show() {
    assert_eq!(to_text("<style>p { color: red }</style>a"), "a");
    assert_eq!(to_text("<head><title>T</title></head>a"), "a");
    assert_eq!(to_text("a<!-- note -->b"), "ab");
    assert_eq!(to_text("<template><p>t</p></template>a"), "a");
    assert_eq!(to_text("<script>if (a < b) {}</script>a"), "a");
    assert_eq!(
        to_text("<span title=\"t\" class=\"c\" style=\"color:red\">a</span>"),
        "a"
    );
    assert_eq!(to_text("<a href=\"https://example.org\">link</a>"), "link");
}

#[test]
fn a_charset_or_a_script_does_not_end_the_parse() {
    let tail = "x".repeat(3000);
    let html = format!("<meta charset=\"utf-8\"><script>a</script>{tail}<br>y");
    assert_eq!(to_text(&html), format!("{tail}\ny"));
}

#[test]
fn a_rendered_card_reads_as_text() {
    let card = "<style>.card { font-family: arial; }</style>\n\
                <div class=\"card\">Which engine is <b>multi-threaded</b>?\n\n\
                <hr id=answer>\n\nMemcached<br>\n<i>not</i> Redis</div>";
    assert_eq!(
        to_text(card),
        "Which engine is multi-threaded?\nMemcached\nnot Redis"
    );
}

#[test]
fn deep_nesting_is_linear() {
    let deep = "<div>".repeat(200_000) + "x" + &"</div>".repeat(200_000);
    assert_eq!(to_text(&deep), "x");
    let unclosed = "<div".repeat(100_000);
    assert_eq!(to_text(&unclosed), unclosed);
}

#[test]
fn markup_past_the_parser_limits_still_gives_its_text() {
    let deep = "<span>".repeat(100_000) + "a<br>b &amp; <img src=i.png>";
    assert!(parse::parse(&deep).is_none());
    assert_eq!(to_text(&deep), "a\nb & [image: i.png]");
    let attrs: String = (0..20_000).map(|i| format!(" a{i}")).collect();
    let attrs = format!("<b{attrs}>bold</b> text");
    assert!(parse::parse(&attrs).is_none());
    assert_eq!(to_text(&attrs), "bold text");
    // Many tags, each short of the stall limit: their squares add up.
    let tag: String = (0..3000).map(|i| format!(" a{i}")).collect();
    let tags = format!("<i{tag}>x</i>").repeat(10);
    assert!(parse::parse(&tags).is_none());
    assert_eq!(to_text(&tags), "x".repeat(10));
    let flat = "<p>x".repeat(150_000);
    assert!(parse::parse(&flat).is_none());
    assert_eq!(to_text(&flat), "x\n".repeat(150_000).trim_end());
    // Below the limits, the same kinds of markup are parsed.
    assert!(parse::parse(&"<span>".repeat(50)).is_some());
    assert!(parse::parse(&"<p>x".repeat(10_000)).is_some());
}

#[test]
fn the_fallback_strip_keeps_text_breaks_and_images() {
    let html = "<div>a</div><!-- c --><SCRIPT>x</script>b<br>c\
                <ul><li>d</li></ul><img src='i.png'> &amp; 1 < 2 a<b";
    assert_eq!(
        strip::strip(html),
        "a\nb\nc\n• d\n[image: i.png] & 1 < 2 a<b"
    );
}

#[test]
fn odd_markup_does_not_panic() {
    for html in [
        "",
        "<",
        "&",
        "<!--",
        "</",
        "<a",
        "&#",
        "&#x",
        "<table><td>x",
        "<svg><p>x</svg>y",
        "<template>",
        "<select><option>a<option>b",
        "\0<b>\0</b>",
        "<pre>\n\n",
        "</br>",
        "<ol start=-5><li>a",
        "<ol start=99999999999999999999><li>a",
        "<math><mi>x</math>",
        "<table><tr><td><table><td>x</table>y",
        "<frameset>",
        "<plaintext>a<b>",
        "<li>a",
        "<anki-mathjax>",
        "<b><p>a</b>b</p>",
        "<a><a>x</a>",
        "<html><body>x</body></html>",
    ] {
        let _ = to_text(html);
        let _ = strip::strip(html);
        let _ = decode_entities(html);
    }
    assert_eq!(to_text("<li>a"), "• a");
    assert_eq!(to_text("<ol start=-5><li>a"), "-5. a");
}

#[test]
fn breaks_and_entities_alone_read_as_the_parser_reads_them() {
    for html in [
        "a<br>b",
        "a<BR/>b<Br />c",
        "&amp;&lt;b&gt;<br><br><br>&nbsp;x&nbsp;",
        "&copy 2024<br>&notit; &#0; &#x; &#128;&bogus;",
        " a \r\n b \0<br>  ",
        "<br>",
    ] {
        assert_eq!(
            only_breaks(html).as_deref(),
            Some(parsed(html).as_str()),
            "{html:?}"
        );
    }
    assert_eq!(only_breaks("a<br>b<b>c</b>"), None);
    assert_eq!(only_breaks("a<br clear=all>"), None);
    assert_eq!(only_breaks("a<br"), None);
}

#[test]
fn media_is_counted() {
    assert_eq!(media_references("<IMG src=a.png> [sound:b.mp3]"), 2);
}
