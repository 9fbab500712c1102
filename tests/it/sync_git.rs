//! `recall sync` with a real git repository: two databases, each with its
//! clone of a bare repository in a temp dir (the remote), through the
//! `recall` binary. Skipped, with a message, where `git` is not on PATH.

use std::path::Path;
use std::process::Command;

use crate::common::Env;

fn git_available() -> bool {
    let found = Command::new("git").arg("--version").output().is_ok();
    if !found {
        eprintln!("sync_git: `git` is not on PATH; skipping the git sync test");
    }
    found
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .envs(identity())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Who commits, and no user or system config of the machine's.
fn identity() -> [(&'static str, &'static str); 6] {
    [
        ("GIT_AUTHOR_NAME", "recall test"),
        ("GIT_AUTHOR_EMAIL", "test@example.com"),
        ("GIT_COMMITTER_NAME", "recall test"),
        ("GIT_COMMITTER_EMAIL", "test@example.com"),
        ("GIT_CONFIG_GLOBAL", "/dev/null"),
        ("GIT_CONFIG_NOSYSTEM", "1"),
    ]
}

/// `recall ARGS` on `env` at `now`, with git's identity; its stdout.
fn recall(env: &Env, now: &str, args: &[&str]) -> String {
    let out = env.at(now).envs(identity()).args(args).output().unwrap();
    assert!(
        out.status.success(),
        "recall {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A temp dir holding an empty bare repository `remote.git` (branch
/// main), the remote of a test; `None` (and a message) without git.
fn bare_remote() -> Option<(tempfile::TempDir, std::path::PathBuf)> {
    if !git_available() {
        return None;
    }
    let temp = tempfile::tempdir().unwrap();
    let remote = temp.path().join("remote.git");
    let path = remote.to_str().unwrap();
    git(
        temp.path(),
        &["init", "--quiet", "--bare", "-b", "main", path],
    );
    Some((temp, remote))
}

#[test]
fn two_databases_sync_through_a_bare_git_remote() {
    let Some((temp, remote)) = bare_remote() else {
        return;
    };
    let laptop = Env::new();
    let desk = Env::new();
    let clone = |name: &str| {
        let path = temp.path().join(name);
        git(
            temp.path(),
            &[
                "clone",
                "--quiet",
                remote.to_str().unwrap(),
                path.to_str().unwrap(),
            ],
        );
        path
    };
    let (laptop_dir, desk_dir) = (clone("laptop"), clone("desk"));
    let morning = "2026-03-01T09:00:00+01:00";
    let init = recall(
        &laptop,
        morning,
        &["sync", "init", laptop_dir.to_str().unwrap(), "--git"],
    );
    assert!(init.contains("git: committed, pushed"), "{init}");
    recall(&laptop, morning, &["answer", "1", "4"]);
    recall(&laptop, morning, &["sync"]);
    // The desk, in another zone, answers another card, and card 1 later.
    let evening = "2026-03-01T19:00:00-05:00";
    let first = recall(
        &desk,
        evening,
        &["sync", "init", desk_dir.to_str().unwrap()],
    );
    assert!(first.contains("1 answer merged"), "{first}");
    recall(&desk, evening, &["answer", "2", "3"]);
    recall(&desk, "2026-03-02T19:00:00-05:00", &["answer", "1", "5"]);
    let pushed = recall(&desk, evening, &["sync"]);
    assert!(
        pushed.contains("git: pulled, committed, pushed"),
        "{pushed}"
    );
    let pulled = recall(&laptop, morning, &["sync"]);
    assert!(pulled.contains("2 answers merged"), "{pulled}");
    // The same review log on both, and in the remote one commit per sync
    // that wrote, each touching only its device's own file.
    let log = |env: &Env| recall(env, morning, &["export", "reviews", "--format", "csv"]);
    assert_eq!(log(&laptop), log(&desk));
    assert_eq!(log(&laptop).lines().count(), 4, "{}", log(&laptop));
    let progress = |env: &Env| recall(env, morning, &["export", "progress", "--format", "csv"]);
    assert_eq!(progress(&laptop), progress(&desk));
    let files = git(&laptop_dir, &["log", "--name-only", "--format=%s"]);
    for commit in files.split("recall sync: device ").skip(1) {
        let touched: Vec<&str> = commit.lines().skip(1).filter(|l| !l.is_empty()).collect();
        assert_eq!(touched.len(), 1, "{files}");
        assert!(touched[0].starts_with("recall-sync/v1/devices/"), "{files}");
    }
    let status = recall(&laptop, morning, &["sync", "status", "--json"]);
    let status: serde_json::Value = serde_json::from_str(&status).unwrap();
    assert_eq!(status["unsent"], 0);
    assert_eq!(status["devices"][0]["events"], 2);
    assert_eq!(status["devices"][0]["unread_bytes"], 0);
}

#[test]
fn an_unreachable_remote_is_a_warning_and_the_next_sync_catches_up() {
    let Some((temp, remote)) = bare_remote() else {
        return;
    };
    let dir = temp.path().join("clone");
    git(
        temp.path(),
        &[
            "clone",
            "--quiet",
            remote.to_str().unwrap(),
            dir.to_str().unwrap(),
        ],
    );
    let env = Env::new();
    let now = "2026-03-01T09:00:00+00:00";
    recall(&env, now, &["sync", "init", dir.to_str().unwrap()]);
    let away = temp.path().join("away.git");
    std::fs::rename(&remote, &away).unwrap();
    recall(&env, now, &["answer", "1", "4"]);
    let offline = env.at(now).envs(identity()).arg("sync").output().unwrap();
    assert!(offline.status.success(), "offline is no failure");
    let stderr = String::from_utf8_lossy(&offline.stderr);
    assert!(stderr.contains("recall: warning: `git "), "{stderr}");
    assert!(String::from_utf8_lossy(&offline.stdout).contains("git: committed"));
    std::fs::rename(&away, &remote).unwrap();
    let back = recall(&env, now, &["sync"]);
    assert!(back.contains("pushed"), "{back}");
    let remote_log = git(&remote, &["log", "--format=%s", "main"]);
    assert_eq!(remote_log.lines().count(), 2, "{remote_log}");
}

#[test]
fn without_a_folder_sync_says_how_to_set_one_up() {
    let env = Env::new();
    let now = "2026-03-01T09:00:00+00:00";
    let none = env.at(now).arg("sync").output().unwrap();
    assert_eq!(none.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&none.stderr);
    assert!(stderr.contains("recall sync init DIR"), "{stderr}");
    let gone = env.dir.path().join("unmounted");
    let missing = env.at(now).arg("sync").arg(&gone).output().unwrap();
    assert_eq!(missing.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert!(stderr.contains("the sync folder is not there"), "{stderr}");
    assert!(!gone.exists(), "not made");
}
