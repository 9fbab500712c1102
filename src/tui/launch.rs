//! The programs `o` and `r` start: the system viewer for a card's media
//! (`xdg-open`, `open` on macOS, or `[media] opener`) and a sound player
//! (the first of mpv, ffplay, afplay, paplay on PATH, or `[media] player`).
//! Each is spawned detached — no terminal, no stdin, output discarded — and
//! reaped by a thread of its own, so the review screen never waits for it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Players tried in order, each with the arguments that make it play one
/// file and exit without a window.
const PLAYERS: &[(&str, &[&str])] = &[
    ("mpv", &["--no-video", "--really-quiet"]),
    ("ffplay", &["-nodisp", "-autoexit", "-loglevel", "quiet"]),
    ("afplay", &[]),
    ("paplay", &[]),
];

/// The viewer's command line: the config's, else the platform's.
pub fn opener(config: Option<&[String]>) -> Vec<String> {
    match config {
        Some(words) => words.to_vec(),
        None if cfg!(target_os = "macos") => vec!["open".into()],
        None => vec!["xdg-open".into()],
    }
}

/// The player's command line: the config's, else the first player found
/// on `path` (`$PATH`'s value); `None`: none there.
pub fn player(config: Option<&[String]>, path: Option<OsString>) -> Option<Vec<String>> {
    if let Some(words) = config {
        return Some(words.to_vec());
    }
    let dirs: Vec<PathBuf> = path.map(|p| std::env::split_paths(&p).collect())?;
    PLAYERS.iter().find_map(|(name, args)| {
        let found = dirs.iter().any(|d| is_executable(&d.join(name)));
        found.then(|| {
            std::iter::once(*name)
                .chain(args.iter().copied())
                .map(String::from)
                .collect()
        })
    })
}

fn is_executable(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
    }
    #[cfg(not(unix))]
    {
        path.is_file()
    }
}

/// A link in `dir` to `target`, named after the last part of `name` (the
/// card's name for it) behind the start of its hash, so that two names
/// never share a link; `target` itself where no link can be made.
pub fn named(dir: &Path, target: &Path, name: &str) -> PathBuf {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let hash = target
        .file_name()
        .map(|h| h.to_string_lossy())
        .unwrap_or_default();
    let prefix: String = hash.chars().take(12).collect();
    let link = dir.join(format!("{prefix}-{base}"));
    #[cfg(unix)]
    {
        if link.symlink_metadata().is_ok() || std::os::unix::fs::symlink(target, &link).is_ok() {
            return link;
        }
    }
    target.to_path_buf()
}

/// Starts `command` with `file` as its last argument, detached. `Err`: why
/// it could not start (shown in the status line).
pub fn spawn(command: &[String], file: &Path) -> Result<(), String> {
    let Some((program, args)) = command.split_first() else {
        return Err("no program configured".into());
    };
    let mut child = Command::new(program)
        .args(args)
        .arg(file)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("could not start {program}: {e}"))?;
    // Reaped when it ends, so no zombie stays behind; never joined.
    let _ = std::thread::Builder::new()
        .name("recall-media".into())
        .spawn(move || child.wait());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_player_on_path_is_used_unless_the_config_names_one() {
        let dir = tempfile::tempdir().unwrap();
        let bin = dir.path();
        let add = |name: &str| {
            let path = bin.join(name);
            std::fs::write(&path, "#!/bin/sh\n").unwrap();
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
            }
        };
        let path = || Some(bin.as_os_str().to_owned());
        assert_eq!(player(None, path()), None);
        add("paplay");
        assert_eq!(player(None, path()), Some(vec!["paplay".to_string()]));
        add("ffplay");
        let found = player(None, path()).unwrap();
        assert_eq!(found[..3], ["ffplay", "-nodisp", "-autoexit"]);
        let mine = vec!["cvlc".to_string(), "--play-and-exit".to_string()];
        assert_eq!(player(Some(&mine), path()), Some(mine.clone()));
        assert_eq!(player(None, None), None);
    }

    #[test]
    fn files_are_linked_under_the_name_the_card_gives_them() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("3e328af0960a95ee");
        std::fs::write(&target, b"png").unwrap();
        let link = named(dir.path(), &target, "img/heart.png");
        #[cfg(unix)]
        assert_eq!(link, dir.path().join("3e328af0960a-heart.png"));
        assert_eq!(std::fs::read(&link).unwrap(), b"png");
        // Again: the same link, no error.
        assert_eq!(named(dir.path(), &target, "img/heart.png"), link);
    }

    #[test]
    fn a_program_that_is_not_there_is_an_error_not_a_panic() {
        let err = spawn(&["/nonexistent/viewer".into()], Path::new("x.png")).unwrap_err();
        assert!(err.contains("/nonexistent/viewer"), "{err}");
        assert!(spawn(&[], Path::new("x.png")).is_err());
    }
}
