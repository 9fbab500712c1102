//! Writing one setting into the config file (`recall sync init DIR` sets
//! `[sync] dir`): the file edited as text, so that the user's comments,
//! order and layout stay as they wrote them, and checked by reading it
//! back before it replaces the old one.

use std::io::Write;
use std::path::Path;

use super::file;
use crate::error::{Error, Result};

/// Sets `[sync] dir = "DIR"` in the config file at `path` (created if
/// missing); the line it is on.
pub fn set_sync_dir(path: &Path, dir: &str) -> Result<usize> {
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(Error::io(path, e)),
    };
    let parsed = file::parse(&name, &text)?;
    let value = format!("dir = {}", toml::Value::String(dir.to_string()));
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if let Some(at) = parsed.sync_dir {
        // A `dir = …` value on one line: replaced whole.
        lines[at.line - 1] = value;
    } else if let Some(header) = lines.iter().position(|l| l.trim() == "[sync]") {
        lines.insert(header + 1, value);
    } else {
        if lines.last().is_some_and(|l| !l.trim().is_empty()) {
            lines.push(String::new());
        }
        lines.push("[sync]".into());
        lines.push(value);
    }
    let mut edited = lines.join("\n");
    edited.push('\n');
    let line = file::parse(&name, &edited)?
        .sync_dir
        .map(|at| at.line)
        .ok_or_else(|| Error::File {
            file: name.clone(),
            message: "could not place [sync] dir in the file; set it by hand".into(),
        })?;
    let folder = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(|e| Error::io(folder, e))?;
    temp.write_all(edited.as_bytes())
        .and_then(|()| temp.as_file().sync_all())
        .map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn edited(before: &str, dir: &str) -> (String, usize) {
        let temp = tempfile::tempdir().expect("temp dir");
        let path = temp.path().join("config.toml");
        if !before.is_empty() {
            std::fs::write(&path, before).expect("written");
        }
        let line = set_sync_dir(&path, dir).expect("set");
        (std::fs::read_to_string(&path).expect("read"), line)
    }

    #[test]
    fn a_new_table_goes_at_the_end_and_comments_stay() {
        let (text, line) = edited("# mine\nnew_per_day = 5\n", "/data/sync \"x\"");
        assert_eq!(
            text,
            "# mine\nnew_per_day = 5\n\n[sync]\ndir = '/data/sync \"x\"'\n"
        );
        assert_eq!(line, 5);
    }

    #[test]
    fn an_existing_dir_is_replaced_and_other_sync_keys_kept() {
        let (text, line) = edited("[sync]\non_open = true\ndir = \"/old\"\n", "/new");
        assert_eq!(text, "[sync]\non_open = true\ndir = \"/new\"\n");
        assert_eq!(line, 3);
        let (text, _) = edited("[sync]\non_quit = true\n", "/d");
        assert_eq!(text, "[sync]\ndir = \"/d\"\non_quit = true\n");
    }

    #[test]
    fn a_missing_file_is_created() {
        assert_eq!(edited("", "/d"), ("[sync]\ndir = \"/d\"\n".to_string(), 2));
    }
}
