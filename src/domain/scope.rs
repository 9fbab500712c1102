//! Which cards a session, a search or a statistic looks at: a deck (by
//! name, as the user typed it), a tag, both or neither. A domain notion:
//! the storage layer turns it into SQL, the CLI and the TUI build it.

/// Which cards a session or a statistic looks at.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub deck: Option<String>,
    pub tag: Option<String>,
}
