//! A read-only database and a full disk: every command fails with a clear
//! message and a non-zero exit, and what was stored is untouched.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::{Env, day};
use crate::reliability_support::{count, deck_text, import_deck, integrity};

/// An env with a deck, two answers, and the day's backup already made.
fn studied_env() -> (Env, i64) {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "Faults", &deck_text("Faults", 5, 0));
    for card in &cards[..2] {
        env.at(&day(0))
            .args(["answer", &card.to_string(), "4"])
            .assert()
            .success();
    }
    (env, cards[2])
}

/// What every command must show: a failure whose message names the file and
/// says what happened in words, never a raw "database error".
fn assert_clear_failure(args: &[String], out: &std::process::Output, words: &[&str]) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "recall {args:?} succeeded: {stderr}");
    assert!(stderr.starts_with("recall: "), "{args:?}: {stderr}");
    assert!(
        stderr.contains("recall.db"),
        "{args:?} does not name the file: {stderr}"
    );
    assert!(!stderr.contains("database error"), "{args:?}: {stderr}");
    assert!(
        words.iter().any(|w| stderr.contains(w)),
        "{args:?}: none of {words:?} in: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
}

/// Every subcommand, reads and writes.
fn every_command(card: i64, deck: &Path) -> Vec<Vec<String>> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    vec![
        s(&[]),
        s(&["decks"]),
        s(&["next", "--json"]),
        s(&["answer", &card.to_string(), "5"]),
        s(&["undo"]),
        s(&["import", &deck.display().to_string()]),
        s(&["backup"]),
    ]
}

/// The stored answers and cards, to compare before and after.
fn snapshot(db: &Path) -> (i64, i64, i64) {
    (
        count(db, "SELECT COUNT(*) FROM reviews"),
        count(db, "SELECT COUNT(*) FROM cards"),
        count(db, "SELECT COALESCE(SUM(repetitions), 0) FROM cards"),
    )
}

fn is_root(dir: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(dir).unwrap().uid() == 0
}

fn chmod(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
fn a_read_only_database_fails_every_command_clearly() {
    let (env, card) = studied_env();
    let deck = env.file("more.toml", deck_text("More", 3, 0));
    let before = snapshot(&env.db);
    let bytes = env.db_bytes();
    let dir = env.dir.path().to_path_buf();
    // Root ignores file modes, so as root the commands run as `nobody` (via
    // util-linux's setpriv); the folder and file stay root's, readable by all.
    let root = is_root(&dir);
    if root {
        assert!(
            Command::new("setpriv").arg("--version").output().is_ok(),
            "tests run as root: setpriv (util-linux) is needed to drop to an unprivileged user"
        );
        chmod(&dir, 0o755);
        chmod(&env.db, 0o644);
    } else {
        chmod(&env.db, 0o444);
        chmod(&dir, 0o555);
    }
    for args in every_command(card, &deck) {
        let mut cmd = if root {
            let mut c = Command::new("setpriv");
            c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(assert_cmd::cargo::cargo_bin!("recall"));
            c
        } else {
            Command::new(assert_cmd::cargo::cargo_bin!("recall"))
        };
        let out = cmd
            .args(&args)
            .env("RECALL_DB", &env.db)
            .env("RECALL_NOW", day(0))
            .output()
            .unwrap();
        assert_clear_failure(&args, &out, &["read-only", "cannot open", "ermission"]);
    }
    chmod(&dir, 0o700);
    chmod(&env.db, 0o600);
    assert_eq!(env.db_bytes(), bytes, "the read-only database was changed");
    assert_eq!(integrity(&env.db), "ok");
    assert_eq!(snapshot(&env.db), before);
}

/// Runs `script` (then `after`, with no limit) with `$FULL` a folder on a full file system: a 2 MB tmpfs in
/// a private mount namespace where that is allowed (root, or user
/// namespaces), else a 4 KiB limit on the size of written files (`ulimit -f`, with SIGXFSZ
/// ignored so writes fail instead of killing the process).
fn on_a_full_disk(work: &Path, script: &str, after: &str) -> std::process::Output {
    let full = work.join("full");
    std::fs::create_dir_all(&full).unwrap();
    let probe = Command::new("unshare")
        .args([
            "-m",
            "sh",
            "-c",
            "mount -t tmpfs -o size=64k tmpfs \"$0\"",
            full.to_str().unwrap(),
        ])
        .output();
    // RECALL_TEST_NO_TMPFS=1 tries the fallback where tmpfs would work.
    let tmpfs = probe.is_ok_and(|o| o.status.success())
        && std::env::var_os("RECALL_TEST_NO_TMPFS").is_none();
    let (setup, limit) = if tmpfs {
        (
            "mount -t tmpfs -o size=2m tmpfs \"$FULL\" && cp \"$SRC\" \"$FULL/recall.db\" && \
             { dd if=/dev/zero of=\"$FULL/filler\" bs=4096 2>/dev/null || true; }",
            "",
        )
    } else {
        (
            "cp \"$SRC\" \"$FULL/recall.db\"",
            "trap '' XFSZ; ulimit -f 8;",
        )
    };
    eprintln!(
        "full disk simulated with {}",
        if tmpfs { "tmpfs" } else { "ulimit -f" }
    );
    let mut cmd = if tmpfs {
        let mut c = Command::new("unshare");
        c.args(["-m", "sh", "-c"]);
        c
    } else {
        let mut c = Command::new("sh");
        c.arg("-c");
        c
    };
    cmd.arg(format!(
        "set -e; {setup}; set +e; ( {limit} {script} ); {after}"
    ))
    .env("FULL", &full)
    .env("SRC", work.join("recall.db"))
    .env("RECALL", assert_cmd::cargo::cargo_bin!("recall"))
    .env("RECALL_DB", full.join("recall.db"))
    .env("RECALL_NOW", day(0))
    .output()
    .unwrap()
}

#[test]
fn a_full_disk_fails_every_command_clearly_and_keeps_the_data() {
    let (env, card) = studied_env();
    let deck = env.file("more.toml", deck_text("More", 2000, 100));
    let before = snapshot(&env.db);
    let work = env.dir.path().to_path_buf();
    let results = work.join("results");
    std::fs::create_dir_all(&results).unwrap();
    let commands = every_command(card, &deck);
    // Each command's exit code and stderr, then the database copied out.
    let mut script = String::new();
    for (i, args) in commands.iter().enumerate() {
        let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
        script.push_str(&format!(
            "\"$RECALL\" {} >/dev/null 2>\"$OUT/{i}.err\"; echo $? > \"$OUT/{i}.rc\"\n",
            quoted.join(" ")
        ));
    }
    let out_dir = format!("OUT='{}'\n", results.display());
    let out = on_a_full_disk(
        &work,
        &format!("{out_dir}{script}"),
        &format!("{out_dir}cp \"$FULL\"/recall.db* \"$OUT/\""),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let mut failed_writes = 0;
    for (i, args) in commands.iter().enumerate() {
        let rc: i32 = std::fs::read_to_string(results.join(format!("{i}.rc")))
            .unwrap()
            .trim()
            .parse()
            .unwrap();
        let stderr = std::fs::read(results.join(format!("{i}.err"))).unwrap();
        let output = std::process::Output {
            status: std::os::unix::process::ExitStatusExt::from_raw(rc << 8),
            stdout: Vec::new(),
            stderr,
        };
        // Reading may still work on a full disk; writing must fail clearly.
        let writes = matches!(
            args.first().map(String::as_str),
            Some("answer" | "undo" | "import" | "backup")
        );
        if writes || rc != 0 {
            assert_clear_failure(
                args,
                &output,
                &["disk is full", "failed", "No space", "too large"],
            );
            failed_writes += usize::from(writes);
        }
    }
    assert_eq!(failed_writes, 4);
    let copied: PathBuf = results.join("recall.db");
    assert_eq!(integrity(&copied), "ok");
    assert_eq!(
        snapshot(&copied),
        before,
        "stored data changed on the full disk"
    );
}
