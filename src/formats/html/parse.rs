//! html5ever's tokenizer and tree builder, fed in small chunks and watched.
//!
//! html5ever follows the HTML standard, and some of the standard's steps
//! scan the stack of open elements (is there a `<p>` in button scope? on
//! every `<div>`), the list of active formatting elements, or the
//! attributes of the tag being read. On hostile input (200 000 nested
//! `<div>`s, a tag with 100 000 attributes) those scans make parsing
//! quadratic: seconds to minutes for a 1 MiB field. Every token is counted
//! against limits that real notes stay far below; past one, the tree
//! builder gets no more tokens and `parse` gives up, so that the caller
//! falls back to a linear strip. `cargo bench --bench html_hostile` times
//! the hostile cases the limits were set from: about 0.1 s at most for a
//! 1 MiB field on the 2-core VM.

use std::cell::Cell;

use html5ever::interface::Tracer;
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{
    BufferQueue, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts, create_element};
use html5ever::{Attribute, QualName, TokenizerResult, local_name, ns};

use super::tree::{Arena, Id, Node};

/// Bytes handed to the tokenizer at a time, between two stall checks.
const CHUNK: usize = 1024;

/// Tokens (tags, runs of text, comments) and attributes in one field.
/// html5ever spends up to a microsecond on each; a real note has one per
/// ten bytes or more.
const MAX_TOKENS: usize = 100_000;

/// The tree builder's work past what a flat note costs: for each token, the
/// handles it holds (open elements and active formatting elements, which
/// some steps scan) beyond `FREE_DEPTH`. Real notes nest a few levels deep.
const MAX_WORK: usize = 1_000_000;
const FREE_DEPTH: usize = 8;

/// The tokenizer checks each attribute of a tag against the tag's others:
/// the sum of the squares of the tags' attribute counts (two tags with
/// 4096 attributes each; a real tag has a handful).
const MAX_ATTRIBUTE_WORK: usize = 1 << 25;

/// Attribute separators (whitespace, `/`, quotes) read while no token came
/// out: the tag being read may have that many attributes. (A long comment
/// counts too; it falls back harmlessly.)
const MAX_STALLED: usize = 4096;

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
    let tokenizer = Tokenizer::new(Watch::new(builder, html.len() / 2 + 64), opts);
    let watch = &tokenizer.sink;
    let input = BufferQueue::default();
    let mut stalled = 0;
    for chunk in chunks(html) {
        let tokens = watch.tokens.get();
        input.push_back(StrTendril::from_slice(chunk));
        // Anything but `Done` is a pause (a script ended, a charset was
        // named) that a browser would act on; here the parse goes on.
        while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
        let separators = chunk
            .bytes()
            .filter(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c | b'/' | b'"' | b'\''))
            .count();
        stalled = separators
            + if watch.tokens.get() == tokens {
                stalled
            } else {
                0
            };
        if stalled > MAX_STALLED || watch.stopped.get() {
            return None;
        }
    }
    tokenizer.end();
    if tokenizer.sink.stopped.get() {
        return None;
    }
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
/// come out and the work they make, drops attributes nobody reads, and
/// past a limit passes nothing on.
struct Watch {
    builder: TreeBuilder<Id, Arena>,
    max_elements: usize,
    tokens: Cell<usize>,
    work: Cell<usize>,
    attribute_work: Cell<usize>,
    stopped: Cell<bool>,
}

impl Watch {
    fn new(builder: TreeBuilder<Id, Arena>, max_elements: usize) -> Watch {
        Watch {
            builder,
            max_elements,
            tokens: Cell::new(0),
            work: Cell::new(0),
            attribute_work: Cell::new(0),
            stopped: Cell::new(false),
        }
    }

    /// Counts a token; whether the tree builder may still have it.
    fn admit(&self, token: &mut Token) -> bool {
        let mut attributes = 0;
        if let Token::TagToken(tag) = token {
            attributes = tag.attrs.len();
            add(&self.attribute_work, attributes.saturating_mul(attributes));
            tag.attrs.retain(|a: &Attribute| kept(&a.name.local));
        }
        add(&self.tokens, 1 + attributes);
        add(&self.work, open(&self.builder).saturating_sub(FREE_DEPTH));
        let within = self.tokens.get() <= MAX_TOKENS
            && self.work.get() <= MAX_WORK
            && self.attribute_work.get() <= MAX_ATTRIBUTE_WORK
            && self.builder.sink.elements.get() <= self.max_elements;
        if !within {
            self.stopped.set(true);
        }
        within
    }
}

fn add(counter: &Cell<usize>, n: usize) {
    counter.set(counter.get().saturating_add(n));
}

impl TokenSink for Watch {
    type Handle = Id;

    fn process_token(&self, mut token: Token, line: u64) -> TokenSinkResult<Id> {
        if self.stopped.get() {
            return TokenSinkResult::Continue;
        }
        // A tag can raise one error per attribute: no sign of progress.
        if !matches!(token, Token::ParseError(_)) && !self.admit(&mut token) {
            return TokenSinkResult::Continue;
        }
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
