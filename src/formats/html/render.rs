//! The parsed tree as plain text: one walk, in document order, that keeps
//! its place with the tree's links instead of recursion (a field may nest
//! as deep as its parse allows).

use html5ever::{LocalName, local_name, ns};

use super::tree::{DOCUMENT, Data, Element, Id, Node};
use super::writer::Writer;

/// List items nested deeper than this are indented no further, so that
/// the text grows at most a constant times the markup.
const MAX_INDENT_LEVELS: usize = 8;

struct List {
    ordered: bool,
    next: i64,
}

struct Render<'a> {
    nodes: &'a [Node],
    w: Writer,
    lists: Vec<List>,
    /// List items open around the current node.
    items: usize,
    /// One per open table: whether the current row has had no cell yet.
    rows: Vec<bool>,
}

pub(super) fn render(nodes: &[Node], capacity: usize) -> String {
    let mut r = Render {
        nodes,
        w: Writer::new(capacity),
        lists: Vec::new(),
        items: 0,
        rows: Vec::new(),
    };
    let Some(mut node) = nodes[DOCUMENT].first_child else {
        return String::new();
    };
    'walk: loop {
        if r.enter(node)
            && let Some(child) = nodes[node].first_child
        {
            node = child;
            continue;
        }
        loop {
            r.leave(node);
            if let Some(next) = nodes[node].next {
                node = next;
                continue 'walk;
            }
            match nodes[node].parent {
                Some(parent) if parent != DOCUMENT => node = parent,
                _ => break 'walk,
            }
        }
    }
    r.w.finish()
}

/// Never shown, nor anything in them.
fn hidden(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("head")
            | local_name!("title")
            | local_name!("style")
            | local_name!("script")
            | local_name!("template")
            | local_name!("noscript")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("iframe")
    )
}

/// Elements a browser lays out as blocks: they start and end lines.
fn block(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("address")
            | local_name!("article")
            | local_name!("aside")
            | local_name!("blockquote")
            | local_name!("caption")
            | local_name!("center")
            | local_name!("dd")
            | local_name!("details")
            | local_name!("dialog")
            | local_name!("dir")
            | local_name!("div")
            | local_name!("dl")
            | local_name!("dt")
            | local_name!("fieldset")
            | local_name!("figcaption")
            | local_name!("figure")
            | local_name!("footer")
            | local_name!("form")
            | local_name!("h1")
            | local_name!("h2")
            | local_name!("h3")
            | local_name!("h4")
            | local_name!("h5")
            | local_name!("h6")
            | local_name!("header")
            | local_name!("hgroup")
            | local_name!("hr")
            | local_name!("legend")
            | local_name!("li")
            | local_name!("listing")
            | local_name!("main")
            | local_name!("menu")
            | local_name!("nav")
            | local_name!("ol")
            | local_name!("p")
            | local_name!("plaintext")
            | local_name!("pre")
            | local_name!("search")
            | local_name!("section")
            | local_name!("summary")
            | local_name!("table")
            | local_name!("tr")
            | local_name!("ul")
            | local_name!("xmp")
    )
}

/// Anki's editor shows TeX in one: `<anki-mathjax block="true">`.
fn is_mathjax(e: &Element) -> bool {
    &*e.name.local == "anki-mathjax"
}

/// Elements whose text keeps its spaces and line breaks.
fn preformatted(e: &Element) -> bool {
    let name = &e.name.local;
    matches!(
        *name,
        local_name!("pre") | local_name!("listing") | local_name!("xmp") | local_name!("plaintext")
    ) || e.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_ascii_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        // `pre`, `pre-wrap` and `pre-line` (the last collapses spaces in a
        // browser; here it keeps them, a small price for one rule).
        style.contains("white-space:pre")
    })
}

impl Render<'_> {
    /// Starts a node; whether to go into its children.
    fn enter(&mut self, id: Id) -> bool {
        let nodes = self.nodes;
        match &nodes[id].data {
            Data::Text(text) if self.w.pre > 0 => self.w.preformatted(text),
            Data::Text(text) => self.w.text(text),
            Data::Element(e) if hidden(&e.name.local) => {}
            // SVG and MathML: their text, nothing else.
            Data::Element(e) if e.name.ns != ns!(html) => return true,
            Data::Element(e) if is_mathjax(e) => self.mathjax(id, e),
            Data::Element(e) => {
                self.start(e);
                return true;
            }
            Data::Document | Data::Hidden => {}
        }
        false
    }

    /// An HTML element that shows, before its children.
    fn start(&mut self, e: &Element) {
        let name = &e.name.local;
        if block(name) {
            self.w.block_start();
        }
        if preformatted(e) {
            self.w.pre += 1;
        }
        match *name {
            local_name!("br") => self.w.line_break(),
            local_name!("img") => {
                if let Some(src) = e.attr("src").filter(|s| !s.trim().is_empty()) {
                    self.w.text(&format!("[image: {src}]"));
                }
            }
            local_name!("ul") | local_name!("menu") | local_name!("dir") => self.lists.push(List {
                ordered: false,
                next: 1,
            }),
            local_name!("ol") => self.lists.push(List {
                ordered: true,
                next: e.attr("start").and_then(integer).unwrap_or(1),
            }),
            local_name!("li") => self.item(e),
            local_name!("table") => self.rows.push(true),
            local_name!("tr") => {
                if let Some(first) = self.rows.last_mut() {
                    *first = true;
                }
            }
            local_name!("td") | local_name!("th") => {
                if let Some(first) = self.rows.last_mut()
                    && !std::mem::replace(first, false)
                {
                    self.w.separator(" | ");
                }
                self.w.in_cell += 1;
            }
            _ => {}
        }
    }

    /// Ends a node `enter` started, children or not.
    fn leave(&mut self, id: Id) {
        let Data::Element(e) = &self.nodes[id].data else {
            return;
        };
        let name = &e.name.local;
        if hidden(name) || e.name.ns != ns!(html) || is_mathjax(e) {
            return;
        }
        match *name {
            local_name!("ul") | local_name!("ol") | local_name!("menu") | local_name!("dir") => {
                self.lists.pop();
            }
            local_name!("li") => {
                self.items = self.items.saturating_sub(1);
                self.w.block_end();
                self.w.indent = 2 * self.items.min(MAX_INDENT_LEVELS);
            }
            local_name!("table") => {
                self.rows.pop();
            }
            local_name!("td") | local_name!("th") => {
                self.w.in_cell = self.w.in_cell.saturating_sub(1);
            }
            _ => {}
        }
        if preformatted(e) {
            self.w.pre = self.w.pre.saturating_sub(1);
        }
        if block(name) {
            self.w.block_end();
        }
    }

    /// `• ` or `1. ` (from the list's `start` or the item's `value`), and
    /// the item's lines indented two spaces past the list's.
    fn item(&mut self, e: &Element) {
        self.w.indent = 2 * self.items.min(MAX_INDENT_LEVELS);
        let marker = match self.lists.last_mut() {
            Some(list) if list.ordered => {
                let n = e.attr("value").and_then(integer).unwrap_or(list.next);
                list.next = n.saturating_add(1);
                format!("{n}. ")
            }
            _ => "• ".to_string(),
        };
        self.w.marker(&marker);
        self.items += 1;
        self.w.indent = 2 * self.items.min(MAX_INDENT_LEVELS);
    }

    /// `\(TeX\)`, or `\[TeX\]` for a block: the TeX as written, which is
    /// all the text inside.
    fn mathjax(&mut self, id: Id, e: &Element) {
        let display = e
            .attr("block")
            .is_some_and(|b| b.eq_ignore_ascii_case("true"));
        let mut tex = String::from(if display { "\\[" } else { "\\(" });
        for node in descendants(self.nodes, id) {
            if let Data::Text(text) = &self.nodes[node].data {
                tex.push_str(text);
            }
        }
        tex.push_str(if display { "\\]" } else { "\\)" });
        self.w.preformatted(&tex);
    }
}

/// The nodes under `root`, in document order, without recursion.
fn descendants(nodes: &[Node], root: Id) -> impl Iterator<Item = Id> + '_ {
    let mut next = nodes[root].first_child;
    std::iter::from_fn(move || {
        let current = next?;
        next = nodes[current].first_child.or_else(|| {
            let mut up = current;
            loop {
                if let Some(sibling) = nodes[up].next {
                    return Some(sibling);
                }
                up = nodes[up].parent.filter(|&p| p != root)?;
            }
        });
        Some(current)
    })
}

/// An attribute's integer as HTML reads one (`" 3rd"` is 3), kept within
/// a range where counting on from it cannot overflow.
fn integer(value: &str) -> Option<i64> {
    let value = value.trim_start_matches(|c: char| c.is_ascii_whitespace());
    let (sign, digits) = match value.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, value.strip_prefix('+').unwrap_or(value)),
    };
    let digits = &digits[..digits.bytes().take_while(u8::is_ascii_digit).count()];
    let digits = &digits[..digits.len().min(10)];
    digits.parse::<i64>().ok().map(|n| sign * n)
}
