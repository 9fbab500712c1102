//! One integration-test binary (as ripgrep does): the real `recall` binary
//! against temporary databases, with `RECALL_NOW` walking through days.

// Tests may unwrap (clippy.toml allows it in #[test] functions); the helpers
// they share are test code too, where a panic is a failing test.
#![allow(clippy::unwrap_used)]

mod common;
mod craft;
mod craft_boxes;
mod craft_fixtures;

mod anki_export;
mod anki_export_fixtures;
mod anki_export_layouts;
mod anki_export_media;
mod anki_export_progress;
mod anki_fixtures;
mod anki_history;
mod anki_packages;
mod cards;
mod cli;
mod config;
mod decks;
mod decks_craft;
mod decks_ids;
mod fsrs;
mod import_formats;
mod import_large;
mod import_tools;
mod layers;
mod leech_siblings;
mod media;
mod media_pty;
mod media_tui;
mod pty;
mod reliability_backup;
mod reliability_bounds;
mod reliability_concurrency;
mod reliability_crash;
mod reliability_db_files;
mod reliability_escapes;
mod reliability_faults;
mod reliability_hostile;
mod reliability_hostile_formats;
mod reliability_identity;
mod reliability_identity_pty;
mod reliability_ids;
mod reliability_outputs;
mod reliability_schema;
mod reliability_soak;
mod reliability_support;
mod schema;
mod stats;
mod sync;
mod sync_events;
mod sync_git;
mod sync_support;
mod tui;
mod tui_browser;
mod tui_details;
mod tui_effects;
mod tui_pty;
mod tui_stats;
mod tui_typed;
mod typed;
