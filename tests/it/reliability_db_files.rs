//! The files around the database: a `backups/` folder that cannot be
//! written never stops an answer, a `--db` that is not a regular file is
//! refused by name (and never opened), and the folders recall creates are
//! private whatever the umask.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;
use std::time::Duration;

use predicates::prelude::*;

use crate::common::{Env, day};
use crate::reliability_support::{answer_4, deck_text, import_deck, integrity, reviews};

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

fn is_root() -> bool {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").unwrap().uid() == 0
}

/// `recall ARGS` on `env`'s database; as root (who ignores file modes) run
/// as `nobody` through util-linux's setpriv, as `reliability_faults` does.
fn as_user(env: &Env, now: &str, args: &[&str]) -> std::process::Output {
    let recall = assert_cmd::cargo::cargo_bin!("recall");
    let mut cmd = if is_root() {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(recall);
        c
    } else {
        Command::new(recall)
    };
    cmd.args(args)
        .env("RECALL_DB", &env.db)
        .env("RECALL_NOW", now)
        .env_remove("RECALL_KEEP_BACKUPS")
        .output()
        .unwrap()
}

/// The answer is recorded, and stderr says once what failed, where, and the
/// two ways out.
fn assert_answered_with_warning(env: &Env, out: &std::process::Output, stored: i64) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "the answer failed: {stderr}");
    assert_eq!(reviews(&env.db), stored, "the answer was not recorded");
    let folder = env.dir.path().join("backups").display().to_string();
    assert_eq!(stderr.matches("recall: warning:").count(), 1, "{stderr}");
    for words in ["daily backup was not made", &folder, "--keep-backups 0"] {
        assert!(stderr.contains(words), "no {words:?} in: {stderr}");
    }
}

#[test]
fn a_failing_daily_backup_never_blocks_an_answer() {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "B", &deck_text("B", 4, 0));
    let folder = env.dir.path().join("backups");

    // Occupied: a file where the folder should be.
    std::fs::write(&folder, "not a folder").unwrap();
    let card = cards[0].to_string();
    let out = env
        .at(&day(1))
        .args(["answer", &card, "4"])
        .output()
        .unwrap();
    assert_answered_with_warning(&env, &out, 1);
    // Not marked as done: the next command tries again, and says so again.
    let out = env
        .at(&day(1))
        .args(["answer", &cards[1].to_string(), "4"])
        .output()
        .unwrap();
    assert_answered_with_warning(&env, &out, 2);
    // Asked for, a backup fails loudly.
    env.at(&day(1))
        .arg("backup")
        .assert()
        .failure()
        .stderr(predicate::str::contains(folder.display().to_string()));
    env.at(&day(1))
        .args(["--keep-backups", "0", "next"])
        .assert()
        .success()
        .stderr(predicate::str::is_empty());

    // Unwritable: a folder the user may read but not write.
    std::fs::remove_file(&folder).unwrap();
    std::fs::create_dir(&folder).unwrap();
    if is_root() {
        for entry in std::fs::read_dir(env.dir.path()).unwrap() {
            let path = entry.unwrap().path();
            std::os::unix::fs::chown(&path, Some(65534), Some(65534)).unwrap();
        }
        std::os::unix::fs::chown(env.dir.path(), Some(65534), Some(65534)).unwrap();
    }
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o500)).unwrap();
    let out = as_user(&env, &day(2), &["answer", &cards[2].to_string(), "4"]);
    assert_answered_with_warning(&env, &out, 3);
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o700)).unwrap();
}

#[test]
fn a_database_path_that_is_not_a_regular_file_is_refused_by_name() {
    let env = Env::new();
    let folder = env.dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let fifo = env.dir.path().join("fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let link = env.dir.path().join("null-link");
    std::os::unix::fs::symlink("/dev/null", &link).unwrap();
    let deck = env.file("d.toml", deck_text("D", 2, 0));
    let good = env.dir.path().join("good.db");
    import_deck(&env, &day(0), "G", &deck_text("G", 2, 0));
    env.at(&day(0))
        .args(["backup", "--output"])
        .arg(&good)
        .assert()
        .success();

    let cases = [
        (folder.as_path(), "is a directory, not a recall database"),
        (
            fifo.as_path(),
            "is a FIFO (named pipe), not a recall database",
        ),
        (
            Path::new("/dev/null"),
            "is a character device, not a recall database",
        ),
        (
            link.as_path(),
            "is a character device, not a recall database",
        ),
    ];
    for (db, why) in cases {
        for args in [
            &["next"][..],
            &["answer", "1", "3"],
            &["import", deck.to_str().unwrap()],
            &["restore", good.to_str().unwrap()],
        ] {
            env.at(&day(0))
                .env("RECALL_DB", db)
                .args(args)
                .timeout(Duration::from_secs(20))
                .assert()
                .failure()
                .stderr(predicate::str::contains(format!("{}: {why}", db.display())));
        }
    }
    // A FIFO as the file to restore is refused too, never read.
    env.at(&day(0))
        .arg("restore")
        .arg(&fifo)
        .timeout(Duration::from_secs(20))
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "is a FIFO (named pipe), not a recall database",
        ));
    assert_eq!(std::fs::read_dir(&folder).unwrap().count(), 0);
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::metadata("/dev/null")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
}

/// Under `umask 000` the folders would be open to everyone, under `umask
/// 777` unusable: either way what recall creates is its owner's only.
#[test]
fn folders_recall_creates_are_private_whatever_the_umask() {
    for umask in ["000", "777"] {
        let env = Env::new();
        let db = env.dir.path().join("a/b/recall.db");
        let deck = env.file("d.toml", deck_text("D", 2, 0));
        let run = |now: &str, args: &[&str]| {
            let out = Command::new("sh")
                .arg("-c")
                .arg(format!("umask {umask}; exec \"$0\" \"$@\""))
                .arg(assert_cmd::cargo::cargo_bin!("recall"))
                .args(args)
                .env("RECALL_DB", &db)
                .env("RECALL_NOW", now)
                .env_remove("RECALL_KEEP_BACKUPS")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "umask {umask}: {args:?}: {stderr}");
            assert!(stderr.is_empty(), "umask {umask}: {args:?}: {stderr}");
        };
        run(&day(0), &["import", deck.to_str().unwrap()]);
        run(&day(1), &["decks"]);
        let backups = env.dir.path().join("a/b/backups");
        for folder in ["a", "a/b", "a/b/backups"] {
            assert_eq!(
                mode(&env.dir.path().join(folder)),
                0o700,
                "umask {umask}: {folder}"
            );
        }
        assert_eq!(mode(&db), 0o600, "umask {umask}");
        let copies: Vec<_> = std::fs::read_dir(&backups)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(copies.len(), 1, "umask {umask}: {copies:?}");
        assert_eq!(mode(&copies[0]), 0o600, "umask {umask}");
    }
}

/// A database kept behind a symlink: restore replaces the file the link
/// names (healthy or damaged), and the link stays a link.
#[test]
fn restore_writes_through_a_symlinked_database_path() {
    let env = Env::new();
    let real_dir = env.dir.path().join("real");
    std::fs::create_dir(&real_dir).unwrap();
    let real = real_dir.join("recall.db");
    std::os::unix::fs::symlink(&real, &env.db).unwrap();
    let cards = import_deck(&env, &day(0), "L", &deck_text("L", 3, 0));
    answer_4(&env, &day(0), cards[0]);
    let snap = env.dir.path().join("snap.db");
    env.at(&day(0))
        .args(["backup", "--output"])
        .arg(&snap)
        .assert()
        .success();
    answer_4(&env, &day(0), cards[1]);
    assert!(real.is_file(), "the database was made through the link");

    let is_link = || std::fs::symlink_metadata(&env.db).unwrap().is_symlink();
    env.at(&day(0)).arg("restore").arg(&snap).assert().success();
    assert!(is_link(), "the link was replaced");
    assert_eq!(reviews(&real), 1);

    std::fs::write(&real, b"garbage ".repeat(1000)).unwrap();
    env.at(&day(0))
        .arg("restore")
        .arg(&snap)
        .assert()
        .success()
        .stdout(predicate::str::contains("moved, untouched"));
    assert!(is_link(), "the link was replaced");
    assert_eq!(reviews(&real), 1);
    assert_eq!(integrity(&real), "ok");
    let staged: Vec<_> = std::fs::read_dir(&real_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("restore"))
        .collect();
    assert!(staged.is_empty(), "the staged copy was left: {staged:?}");
    answer_4(&env, &day(0), cards[2]);
}

/// The backups a change needs are not optional: with `backups/` unusable, a
/// migration and a restore refuse to go ahead, and nothing is changed.
#[test]
fn a_migration_or_restore_never_goes_ahead_without_its_backup() {
    let env = Env::new();
    crate::reliability_schema::older_database(&env.db, 1);
    let folder = env.dir.path().join("backups");
    std::fs::write(&folder, "not a folder").unwrap();
    let bytes = env.db_bytes();
    env.at(&day(0))
        .arg("decks")
        .assert()
        .failure()
        .stderr(predicate::str::contains(folder.display().to_string()));
    assert_eq!(env.db_bytes(), bytes, "migrated without its backup");

    std::fs::remove_file(&folder).unwrap();
    let cards = import_deck(&env, &day(0), "R", &deck_text("R", 2, 0));
    let good = env.dir.path().join("good.db");
    env.at(&day(0))
        .args(["backup", "--output"])
        .arg(&good)
        .assert()
        .success();
    env.at(&day(0))
        .args(["answer", &cards[0].to_string(), "4"])
        .assert()
        .success();
    std::fs::remove_dir_all(&folder).unwrap();
    std::fs::write(&folder, "not a folder").unwrap();
    let bytes = env.db_bytes();
    env.at(&day(0))
        .arg("restore")
        .arg(&good)
        .assert()
        .failure()
        .stderr(predicate::str::contains(folder.display().to_string()));
    assert_eq!(env.db_bytes(), bytes, "restored without its backup");
    assert_eq!(reviews(&env.db), 1);
}

/// A full disk under `backups/`: a 64 KiB tmpfs mounted on it in a private
/// mount namespace where that is allowed, else a limit on the size of
/// written files (`ulimit -f`, SIGXFSZ ignored) that the backup copy of a
/// 190 KB database exceeds while the answer's few WAL pages do not.
#[test]
fn a_daily_backup_on_a_full_disk_never_blocks_an_answer() {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "F", &deck_text("F", 4, 0));
    let folder = env.dir.path().join("backups");
    std::fs::create_dir(&folder).unwrap();
    let probe = Command::new("unshare")
        .args(["-m", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$0\""])
        .arg(&folder)
        .output();
    let tmpfs = probe.is_ok_and(|o| o.status.success())
        && std::env::var_os("RECALL_TEST_NO_TMPFS").is_none();
    let script = if tmpfs {
        "mount -t tmpfs -o size=64k tmpfs \"$BACKUPS\" && exec \"$RECALL\" answer \"$CARD\" 4"
    } else {
        "trap '' XFSZ; ulimit -f 200; exec \"$RECALL\" answer \"$CARD\" 4"
    };
    eprintln!(
        "full disk simulated with {}",
        if tmpfs { "tmpfs" } else { "ulimit -f" }
    );
    let mut cmd = if tmpfs {
        let mut c = Command::new("unshare");
        c.args(["-m", "sh", "-c", script]);
        c
    } else {
        let mut c = Command::new("sh");
        c.args(["-c", script]);
        c
    };
    let out = cmd
        .env("BACKUPS", &folder)
        .env("CARD", cards[0].to_string())
        .env("RECALL", assert_cmd::cargo::cargo_bin!("recall"))
        .env("RECALL_DB", &env.db)
        .env("RECALL_NOW", day(1))
        .env_remove("RECALL_KEEP_BACKUPS")
        .output()
        .unwrap();
    assert_answered_with_warning(&env, &out, 1);
    if !tmpfs {
        // (The tmpfs, and what was written to it, went with its namespace.)
        let left = std::fs::read_dir(&folder).unwrap().count();
        assert_eq!(left, 0, "a partial copy was left");
    }
}
