//! One integration-test binary (as ripgrep does): the real `recall` binary
//! against temporary databases, with `RECALL_NOW` walking through days.

mod common;

mod cli;
mod decks;
mod schema;
mod stats;
