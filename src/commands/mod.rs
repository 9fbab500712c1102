//! One module per subcommand. Commands are thin: they read arguments, call
//! the study/storage/format layers, and print.

pub mod answer;
pub mod backup;
pub mod check;
pub mod decks;
pub mod export;
pub mod export_progress;
pub mod import;
pub mod import_reviews;
pub mod next;
pub mod stats;

use std::io::Write;

use serde::Serialize;

use crate::clock::Clock;
use crate::domain::Limits;
use crate::error::Result;
use crate::storage::Store;

/// What every command works with.
pub struct Context {
    pub store: Store,
    pub clock: Clock,
    pub limits: Limits,
}

/// Pretty JSON and a newline: easy for people and for `jq`.
/// C1, bidi and zero-width characters are written as `\uXXXX` escapes.
pub fn print_json(out: &mut dyn Write, value: &impl Serialize) -> Result<()> {
    let json = serde_json::to_string_pretty(value).map_err(std::io::Error::from)?;
    writeln!(out, "{}", crate::domain::text::escape_json(&json))?;
    Ok(())
}

/// Pads `text` to `width` terminal columns (counting chars is close enough
/// for deck names; the TUI measures real widths).
pub fn pad(text: &str, width: usize) -> String {
    let len = text.chars().count();
    format!("{text}{}", " ".repeat(width.saturating_sub(len)))
}

/// Where an export goes: stdout, or a file that is written whole or not at
/// all (a temporary file beside it, renamed into place by `finish`). An
/// existing file is never replaced unless `force` is given.
pub struct Output {
    sink: Box<dyn Write>,
    file: Option<std::io::BufWriter<std::fs::File>>,
    /// (temporary file, target) while a file output is unfinished.
    pending: Option<(std::path::PathBuf, std::path::PathBuf)>,
}

impl Output {
    pub fn open(path: Option<&std::path::Path>, force: bool) -> Result<Output> {
        use crate::error::Error;
        let Some(path) = path else {
            return Ok(Output {
                // Escaped when stdout is a terminal, data otherwise.
                sink: Box::new(crate::terminal::Screen::stdout()),
                file: None,
                pending: None,
            });
        };
        if path.exists() && !force {
            return Err(Error::File {
                file: path.display().to_string(),
                message: "already exists; pass --force to replace it".into(),
            });
        }
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(format!(".recall-tmp-{}", std::process::id()));
        let temp = path.with_file_name(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let file = options.open(&temp).map_err(|e| Error::io(&temp, e))?;
        Ok(Output {
            sink: Box::new(std::io::sink()),
            file: Some(std::io::BufWriter::new(file)),
            pending: Some((temp, path.to_path_buf())),
        })
    }

    /// Flushes and, for a file, syncs it and moves it into place. Without
    /// this call the temporary file is removed and the target left alone.
    pub fn finish(mut self) -> Result<()> {
        use crate::error::Error;
        self.flush()?;
        if let (Some(file), Some((temp, target))) = (&self.file, &self.pending) {
            file.get_ref().sync_all().map_err(|e| Error::io(temp, e))?;
            std::fs::rename(temp, target).map_err(|e| Error::io(target, e))?;
            self.pending = None;
        }
        Ok(())
    }
}

impl Write for Output {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match &mut self.file {
            Some(file) => file.write(buf),
            None => self.sink.write(buf),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match &mut self.file {
            Some(file) => file.flush(),
            None => self.sink.flush(),
        }
    }
}

impl Drop for Output {
    fn drop(&mut self) {
        // Still pending only when `finish` was not reached: leave no partial file.
        if let Some((temp, _)) = &self.pending {
            let _ = std::fs::remove_file(temp);
        }
    }
}
