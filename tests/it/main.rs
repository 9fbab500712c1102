//! One integration-test binary (as ripgrep does): the real `recall` binary
//! against temporary databases, with `RECALL_NOW` walking through days.

mod common;

mod anki_fixtures;
mod anki_history;
mod anki_packages;
mod cards;
mod cli;
mod decks;
mod import_formats;
mod import_large;
mod import_tools;
mod pty;
mod reliability_backup;
mod reliability_concurrency;
mod reliability_crash;
mod reliability_escapes;
mod reliability_faults;
mod reliability_hostile;
mod reliability_hostile_formats;
mod reliability_outputs;
mod reliability_soak;
mod reliability_support;
mod schema;
mod stats;
mod tui;
mod tui_pty;
mod tui_stats;
