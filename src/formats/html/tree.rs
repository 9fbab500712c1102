//! The tree html5ever builds, kept in one arena: nodes are indexes, links
//! are indexes, so nothing recurses (not building, not walking, not
//! dropping) however deep the markup nests.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::{Attribute, LocalName, Namespace, QualName, local_name, ns};

pub(super) type Id = usize;

pub(super) const DOCUMENT: Id = 0;

pub(super) enum Data {
    Document,
    Element(Element),
    Text(String),
    /// Comments, processing instructions and template contents: kept as
    /// nodes for the tree builder, never shown.
    Hidden,
}

pub(super) struct Element {
    pub(super) name: QualName,
    /// Only the attributes the text needs (`kept`): the rest never shows.
    attrs: Vec<(LocalName, StrTendril)>,
    template_contents: Option<Id>,
}

impl Element {
    pub(super) fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(n, _)| &**n == name)
            .map(|(_, v)| &**v)
    }
}

/// The attributes the text is made from.
fn kept(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("src") | local_name!("start") | local_name!("value") | local_name!("style")
    ) || &**name == "block"
}

pub(super) struct Node {
    pub(super) data: Data,
    pub(super) parent: Option<Id>,
    pub(super) first_child: Option<Id>,
    last_child: Option<Id>,
    prev: Option<Id>,
    pub(super) next: Option<Id>,
}

/// The sink html5ever writes into. `elements` counts every element it
/// creates, so the caller can stop a parse that creates far more elements
/// than the input has tags.
pub(super) struct Arena {
    nodes: RefCell<Vec<Node>>,
    pub(super) elements: Cell<usize>,
}

/// An element's name handed to the tree builder. Owned (atoms are cheap to
/// clone), so no borrow of the arena is held while html5ever calls back in.
#[derive(Debug)]
pub(super) struct Name(QualName);

impl html5ever::tree_builder::ElemName for Name {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl Arena {
    pub(super) fn new() -> Arena {
        let document = Node::new(Data::Document);
        Arena {
            nodes: RefCell::new(vec![document]),
            elements: Cell::new(0),
        }
    }

    pub(super) fn into_nodes(self) -> Vec<Node> {
        self.nodes.into_inner()
    }

    fn add(&self, data: Data) -> Id {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node::new(data));
        nodes.len() - 1
    }

    fn detach(nodes: &mut [Node], id: Id) {
        let (parent, prev, next) = {
            let node = &mut nodes[id];
            let links = (node.parent, node.prev, node.next);
            node.parent = None;
            node.prev = None;
            node.next = None;
            links
        };
        let Some(parent) = parent else { return };
        match prev {
            Some(prev) => nodes[prev].next = next,
            None => nodes[parent].first_child = next,
        }
        match next {
            Some(next) => nodes[next].prev = prev,
            None => nodes[parent].last_child = prev,
        }
    }

    /// Puts `id` under `parent`, before `before` (or last when `None`).
    fn link(nodes: &mut [Node], parent: Id, id: Id, before: Option<Id>) {
        // html5ever never asks for a loop; the walk would not end if it did.
        if id == parent || before == Some(id) {
            return;
        }
        Arena::detach(nodes, id);
        let prev = match before {
            Some(b) => nodes[b].prev,
            None => nodes[parent].last_child,
        };
        nodes[id].parent = Some(parent);
        nodes[id].prev = prev;
        nodes[id].next = before;
        match prev {
            Some(p) => nodes[p].next = Some(id),
            None => nodes[parent].first_child = Some(id),
        }
        match before {
            Some(b) => nodes[b].prev = Some(id),
            None => nodes[parent].last_child = Some(id),
        }
    }

    /// Text joins a text node right before the insertion point, as in a DOM.
    fn insert(&self, parent: Id, child: NodeOrText<Id>, before: Option<Id>) {
        let mut nodes = self.nodes.borrow_mut();
        let id = match child {
            NodeOrText::AppendNode(id) => id,
            NodeOrText::AppendText(text) => {
                let prev = match before {
                    Some(b) => nodes[b].prev,
                    None => nodes[parent].last_child,
                };
                if let Some(Data::Text(existing)) = prev.map(|p| &mut nodes[p].data) {
                    existing.push_str(&text);
                    return;
                }
                nodes.push(Node::new(Data::Text(text.to_string())));
                nodes.len() - 1
            }
        };
        Arena::link(&mut nodes, parent, id, before);
    }
}

impl Node {
    fn new(data: Data) -> Node {
        Node {
            data,
            parent: None,
            first_child: None,
            last_child: None,
            prev: None,
            next: None,
        }
    }
}

impl TreeSink for Arena {
    type Handle = Id;
    type Output = Arena;
    type ElemName<'a> = Name;

    fn finish(self) -> Arena {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Id {
        DOCUMENT
    }

    fn elem_name(&self, target: &Id) -> Name {
        match &self.nodes.borrow()[*target].data {
            Data::Element(e) => Name(e.name.clone()),
            // html5ever asks only about elements; a name that matches no
            // rule is the harmless answer otherwise.
            _ => Name(QualName::new(None, ns!(), local_name!(""))),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Id {
        self.elements.set(self.elements.get() + 1);
        let template_contents = flags.template.then(|| self.add(Data::Hidden));
        let attrs = attrs
            .into_iter()
            .filter(|a| kept(&a.name.local))
            .map(|a| (a.name.local, a.value))
            .collect();
        self.add(Data::Element(Element {
            name,
            attrs,
            template_contents,
        }))
    }

    fn create_comment(&self, _text: StrTendril) -> Id {
        self.add(Data::Hidden)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Id {
        self.add(Data::Hidden)
    }

    fn append(&self, parent: &Id, child: NodeOrText<Id>) {
        self.insert(*parent, child, None);
    }

    fn append_based_on_parent_node(&self, element: &Id, prev: &Id, child: NodeOrText<Id>) {
        let parent = self.nodes.borrow()[*element].parent;
        match parent {
            Some(parent) => self.insert(parent, child, Some(*element)),
            None => self.insert(*prev, child, None),
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Id) -> Id {
        match &self.nodes.borrow()[*target].data {
            Data::Element(Element {
                template_contents: Some(id),
                ..
            }) => *id,
            // Only templates are asked; anything else gets itself.
            _ => *target,
        }
    }

    fn same_node(&self, x: &Id, y: &Id) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Id, child: NodeOrText<Id>) {
        let parent = self.nodes.borrow()[*sibling].parent;
        if let Some(parent) = parent {
            self.insert(parent, child, Some(*sibling));
        }
    }

    // Attributes html5ever merges into <html> and <body> never show.
    fn add_attrs_if_missing(&self, _target: &Id, _attrs: Vec<Attribute>) {}

    fn remove_from_parent(&self, target: &Id) {
        Arena::detach(&mut self.nodes.borrow_mut(), *target);
    }

    fn reparent_children(&self, node: &Id, new_parent: &Id) {
        if node == new_parent {
            return;
        }
        let mut nodes = self.nodes.borrow_mut();
        while let Some(child) = nodes[*node].first_child {
            Arena::link(&mut nodes, *new_parent, child, None);
        }
    }
}
