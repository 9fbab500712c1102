//! Test harness: a temporary database and a command builder for it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A scratch directory with a database path in it.
pub struct Env {
    pub dir: TempDir,
    pub db: PathBuf,
}

impl Env {
    pub fn new() -> Env {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = dir.path().join("recall.db");
        Env { dir, db }
    }

    /// `recall` with this database and the clock frozen at `now` (RFC 3339).
    pub fn at(&self, now: &str) -> Command {
        let mut cmd = Command::new(assert_cmd::cargo::cargo_bin!("recall"));
        cmd.env("RECALL_DB", &self.db)
            .env("RECALL_NOW", now)
            .env_remove("RECALL_NEW_LIMIT")
            .env_remove("RECALL_REVIEW_LIMIT")
            .env_remove("RECALL_DAY_STARTS_AT")
            .env_remove("RECALL_KEEP_BACKUPS")
            .env_remove("RECALL_CONFIG")
            // The config file is this env's own (`config`), never the user's.
            .env("XDG_CONFIG_HOME", self.config_home())
            .env("NO_COLOR", "1");
        cmd
    }

    /// Where `XDG_CONFIG_HOME` points for this env's commands.
    pub fn config_home(&self) -> PathBuf {
        self.dir.path().join("xdg")
    }

    /// Writes the config file recall finds by default, and returns its path.
    pub fn config(&self, text: &str) -> PathBuf {
        self.file("xdg/recall/config.toml", text)
    }

    /// Writes `text` to a file in the scratch directory and returns its path.
    pub fn file(&self, name: &str, text: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, text).unwrap();
        path
    }

    /// Runs a command that must succeed and parses its stdout as JSON.
    pub fn json(&self, now: &str, args: &[&str]) -> serde_json::Value {
        let out = self.at(now).args(args).output().unwrap();
        assert!(
            out.status.success(),
            "recall {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "recall {args:?}: bad JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        })
    }

    /// The database file's bytes (and its WAL's), to prove nothing changed.
    ///
    /// SQLite's own counters in the file header (the file change counter
    /// and the version-valid-for number) are zeroed: a large import switches
    /// the journal mode, which bumps them without changing any data.
    pub fn db_bytes(&self) -> Vec<u8> {
        let mut bytes = std::fs::read(&self.db).unwrap_or_default();
        for counter in [24..28, 92..96] {
            if let Some(field) = bytes.get_mut(counter) {
                field.fill(0);
            }
        }
        bytes.extend(std::fs::read(wal(&self.db)).unwrap_or_default());
        bytes
    }
}

fn wal(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_owned();
    name.push("-wal");
    PathBuf::from(name)
}

/// A day at 09:00 UTC, `n` days after 2026-03-01.
pub fn day(n: i64) -> String {
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap() + chrono::Duration::days(n);
    format!("{date}T09:00:00+00:00")
}
