//! html5ever's tokenizer and tree builder, fed in small chunks and watched.
//!
//! html5ever follows the HTML standard, and some of the standard's steps
//! scan the stack of open elements (is there a `<p>` in button scope? on
//! every `<div>`), the list of active formatting elements, or the
//! attributes of the tag being read. On hostile input (200 000 nested
//! `<div>`s, a tag with 100 000 attributes) those scans make parsing
//! quadratic: minutes for a 1 MiB field. Between chunks the parse is
//! checked against limits that real notes stay far below; past one,
//! `parse` gives up and the caller falls back to a linear strip.

use std::cell::Cell;

use html5ever::interface::Tracer;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, create_element};
use html5ever::{Attribute, QualName, TokenizerResult, local_name, ns};

use super::tree::{Arena, Id, Node};

/// Bytes handed to the tokenizer at a time, between two checks.
const CHUNK: usize = 1024;

/// Tokens (tags, runs of text, comments) in one field. html5ever spends
/// up to a microsecond on each; a real note has one per ten bytes or more.
const MAX_TOKENS: usize = 100_000;

/// The tree builder's work past what a flat note costs: for each token, the
/// handles it holds (open elements and active formatting elements, which
/// some steps scan) beyond `FREE_DEPTH`. Real notes nest a few levels deep.
const MAX_WORK: usize = 1_000_000;
const FREE_DEPTH: usize = 8;

/// Attribute separators (whitespace, `/`, quotes) read while no token came
/// out: a tag with that many attributes, whose duplicate check is
/// quadratic. (A long comment also counts; it falls back harmlessly.)
const MAX_STALLED: usize = 8192;

/// Attributes that matter: the text shows `src`, `start`, `value`, `block`
/// and `style`; `type`, `color`, `face`, `size` and `encoding` steer the
/// tree builder. The rest are dropped before the tree builder sees them,
/// since it copies, sorts and compares attribute lists.
fn kept(name: &html5ever::LocalName) -> bool {
    matches!(
        *name,
        local_name!("src")
            | local_name!("start")
            | local_name!("value")
            | local_name!("style")
            | local_name!("type")
            | local_name!("color")
            | local_name!("face")
            | local_name!("size")
            | local_name!("encoding")
    ) || &**name == "block"
}

/// The tree of `html` parsed as the contents of a `<body>` (how a note's
/// field is parsed in Anki's editor), or `None` past a limit.
pub(super) fn parse(html: &str) -> Option<Vec<Node>> {
    let arena = Arena::new();
    let body = QualName::new(None, ns!(html), local_name!("body"));
    let body = create_element(&arena, body, Vec::new());
    let builder = TreeBuilder::new_for_fragment(arena, body, None, TreeBuilderOpts::default());
    let opts = TokenizerOpts {
        initial_state: Some(builder.tokenizer_state_for_context_elem(false)),
        discard_bom: false,
        ..TokenizerOpts::default()
    };
    let tokenizer = Tokenizer::new(Watch::new(builder), opts);
    let max_elements = html.len() / 2 + 64;
    let input = BufferQueue::default();
    let mut stalled = 0;
    for chunk in chunks(html) {
        let tokens = tokenizer.sink.tokens.get();
        input.push_back(StrTendril::from_slice(chunk));
        while let TokenizerResult::Script(_) = tokenizer.feed(&input) {}
        let separators = chunk
            .bytes()
            .filter(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'"' | b'\''))
            .count();
        stalled = separators
            + if tokenizer.sink.tokens.get() == tokens {
                stalled
            } else {
                0
            };
        let sink = &tokenizer.sink.builder.sink;
        let work = tokenizer.sink.work.get();
        if stalled > MAX_STALLED
            || sink.elements.get() > max_elements
            || work > MAX_WORK
            || tokenizer.sink.tokens.get() > MAX_TOKENS
        {
            return None;
        }
    }
    tokenizer.end();
    Some(tokenizer.sink.builder.sink.into_nodes())
}

/// `text` in pieces of about `CHUNK` bytes, cut at character boundaries.
fn chunks(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut end = CHUNK.min(rest.len());
        while !rest.is_char_boundary(end) {
            end += 1;
        }
        let (chunk, tail) = rest.split_at(end);
        rest = tail;
        Some(chunk)
    })
}

/// How many handles the tree builder holds: open elements, active
/// formatting elements and a few singletons.
fn open(builder: &TreeBuilder<Id, Arena>) -> usize {
    struct Count(Cell<usize>);
    impl Tracer for Count {
        type Handle = Id;
        fn trace_handle(&self, _node: &Id) {
            self.0.set(self.0.get() + 1);
        }
    }
    let count = Count(Cell::new(0));
    builder.trace_handles(&count);
    count.0.get()
}

/// Sits between the tokenizer and the tree builder: counts the tokens that
/// come out and the work they make, and drops attributes nobody reads.
struct Watch {
    builder: TreeBuilder<Id, Arena>,
    tokens: Cell<usize>,
    work: Cell<usize>,
}

impl Watch {
    fn new(builder: TreeBuilder<Id, Arena>) -> Watch {
        Watch {
            builder,
            tokens: Cell::new(0),
            work: Cell::new(0),
        }
    }
}

impl TokenSink for Watch {
    type Handle = Id;

    fn process_token(&self, mut token: Token, line: u64) -> TokenSinkResult<Id> {
        match &mut token {
            // A tag can raise one error per attribute: no sign of progress.
            Token::ParseError(_) => return self.builder.process_token(token, line),
            Token::TagToken(tag) if tag.kind == TagKind::StartTag => {
                tag.attrs.retain(|a: &Attribute| kept(&a.name.local));
            }
            _ => {}
        }
        self.tokens.set(self.tokens.get() + 1);
        self.work
            .set(self.work.get() + open(&self.builder).saturating_sub(FREE_DEPTH));
        self.builder.process_token(token, line)
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder
            .adjusted_current_node_present_but_not_in_html_namespace()
    }
}
