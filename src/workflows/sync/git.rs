//! Git around a sync, through the user's own `git` command (no shell, no
//! network of recall's own): their authentication, config and hooks just
//! work, and it costs no build time, where `gix` would cost both. Every
//! failure is kept as a warning: the local part of the sync stands, and
//! the next sync pushes what this one could not (docs/sync.md › Git).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What git did, and what failed.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct GitOutcome {
    pub pulled: bool,
    pub committed: bool,
    pub pushed: bool,
    /// Each failure, with git's own message.
    pub warnings: Vec<String>,
}

/// Whether `dir` is inside a git work tree.
pub fn is_work_tree(dir: &Path) -> bool {
    run(dir, &["rev-parse", "--is-inside-work-tree"], false).is_ok_and(|out| out.trim() == "true")
}

/// Runs `git -C dir ARGS`; its stdout, or its stderr as the error. Off a
/// terminal git never asks for a password: it would wait for ever.
fn run<S: AsRef<str>>(dir: &Path, args: &[S], interactive: bool) -> Result<String, String> {
    let args: Vec<&str> = args.iter().map(AsRef::as_ref).collect();
    let mut command = Command::new("git");
    command
        .arg("-C")
        .arg(dir)
        .args(&args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if !interactive {
        command.stdin(Stdio::null()).env("GIT_TERMINAL_PROMPT", "0");
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if output.status.success() {
        Ok(String::from_utf8_lossy(&output.stdout).into_owned())
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        Err(format!(
            "`git {}` failed: {}",
            args.join(" "),
            // Git's first line says what failed; the rest is advice.
            stderr
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty())
                .unwrap_or("(no message)")
        ))
    }
}

/// Where pushes go.
#[derive(Debug, PartialEq, Eq)]
enum Upstream {
    Set,
    /// The remote has the branch, which is not the upstream yet.
    Remote(String, String),
    /// No upstream yet: the first push sets it.
    PushTo(String),
    /// No remote (or several and no upstream): commit only.
    None,
}

/// `git init DIR` unless DIR is in a work tree already; whether it ran.
pub fn init_repo(dir: &Path) -> std::result::Result<bool, String> {
    if is_work_tree(dir) {
        return Ok(false);
    }
    run(dir, &["init", "--quiet"], false).map(|_| true)
}

impl GitOutcome {
    fn keep(&mut self, result: Result<String, String>) -> bool {
        match result {
            Ok(_) => true,
            Err(e) => {
                self.warnings.push(e);
                false
            }
        }
    }

    /// Whether the branch has an upstream to pull from and push to. A
    /// fresh clone of an empty repository has none, but its one remote:
    /// once that remote has the branch (another device pushed it), it
    /// becomes the upstream.
    fn upstream(&mut self, dir: &Path, interactive: bool) -> Upstream {
        if run(dir, &["rev-parse", "--abbrev-ref", "@{upstream}"], false).is_ok() {
            return Upstream::Set;
        }
        let remotes = run(dir, &["remote"], false).unwrap_or_default();
        let remotes: Vec<&str> = remotes.lines().collect();
        let [remote] = remotes[..] else {
            return Upstream::None;
        };
        let Ok(branch) = run(dir, &["symbolic-ref", "--short", "HEAD"], false) else {
            return Upstream::None;
        };
        let tracking = format!("{remote}/{}", branch.trim());
        if !self.keep(run(dir, &["fetch", "--quiet", remote], interactive)) {
            return Upstream::None;
        }
        if run(dir, &["rev-parse", "--verify", "--quiet", &tracking], false).is_err() {
            return Upstream::PushTo(remote.to_string());
        }
        // A branch without commits yet cannot have an upstream: the pull
        // names the remote branch, and sets it afterwards.
        Upstream::Remote(remote.to_string(), branch.trim().to_string())
    }

    /// `git pull --rebase`, when there is an upstream. Each device commits
    /// only its own files, so the rebase cannot conflict; if it fails
    /// anyway it is aborted, leaving the work tree as it was.
    pub fn pull(&mut self, dir: &Path, interactive: bool) {
        let pulled = match self.upstream(dir, interactive) {
            Upstream::Set => run(dir, &["pull", "--rebase", "--quiet"], interactive),
            Upstream::Remote(remote, branch) => run(
                dir,
                &["pull", "--rebase", "--quiet", &remote, &branch],
                interactive,
            )
            .and_then(|_| {
                run(
                    dir,
                    &["branch", "--set-upstream-to", &format!("{remote}/{branch}")],
                    false,
                )
            }),
            Upstream::PushTo(_) | Upstream::None => return,
        };
        if pulled.is_err() {
            // Fails harmlessly when no rebase was left in progress.
            let _ = run(dir, &["rebase", "--abort"], false);
        }
        self.pulled = self.keep(pulled);
    }

    /// Commits `paths` (this device's files) if they changed, and pushes;
    /// a push refused because another device pushed first is pulled and
    /// pushed once more.
    pub fn commit_and_push(
        &mut self,
        dir: &Path,
        paths: &[PathBuf],
        device: &str,
        interactive: bool,
    ) {
        let paths: Vec<String> = paths
            .iter()
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        let with_paths = |args: &[&'static str]| -> Vec<String> {
            let mut all: Vec<String> = args.iter().map(|a| (*a).to_string()).collect();
            all.push("--".into());
            all.extend(paths.iter().cloned());
            all
        };
        if paths.is_empty() || !self.keep(run(dir, &with_paths(&["add"]), false)) {
            return;
        }
        let changed = run(dir, &with_paths(&["diff", "--cached", "--quiet"]), false).is_err();
        if changed {
            // Only these paths: whatever else the user staged stays staged.
            let message = format!("recall sync: device {device}");
            let mut commit = with_paths(&["commit", "--quiet", "-m"]);
            commit.insert(3, message);
            self.committed = self.keep(run(dir, &commit, false));
        }
        let pushed = match self.upstream(dir, interactive) {
            Upstream::None => return,
            Upstream::Set => run(dir, &["push", "--quiet"], interactive),
            Upstream::PushTo(remote) | Upstream::Remote(remote, _) => run(
                dir,
                &["push", "--quiet", "-u", &remote, "HEAD"],
                interactive,
            ),
        };
        self.pushed = match pushed {
            Ok(_) => true,
            // Offline or refused (the pull failed too): said once.
            Err(_) if !self.warnings.is_empty() => false,
            Err(refused) => {
                // Another device pushed since the pull: once more.
                let again = run(dir, &["pull", "--rebase", "--quiet"], interactive)
                    .and_then(|_| run(dir, &["push", "--quiet"], interactive));
                again.is_ok() || !self.keep(Err(refused))
            }
        };
    }
}
