//! `--output FILE` never replaces what it should not, and a killed export
//! leaves nothing behind.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::common::{Env, day};
use crate::reliability_support::{
    Rng, deck_text, finish_or_kill, import_deck, integrity, recall, scaled,
};

/// Every command that takes `--output`, with the deck the env holds.
fn output_commands() -> Vec<Vec<&'static str>> {
    vec![
        vec!["backup"],
        vec!["export", "deck", "O", "--format", "csv"],
        vec!["export", "progress", "--format", "csv"],
        vec!["export", "reviews", "--format", "json"],
        vec!["stats", "--format", "csv"],
    ]
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn output_never_replaces_a_special_file_or_the_live_database() {
    let env = Env::new();
    import_deck(&env, &day(0), "O", &deck_text("O", 3, 0));
    let fifo = env.dir.path().join("fifo");
    let mkfifo = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(mkfifo.is_ok_and(|s| s.success()), "mkfifo");
    let folder = env.dir.path().join("folder");
    std::fs::create_dir(&folder).unwrap();
    let db_before = std::fs::read(&env.db).unwrap();
    let targets: Vec<(PathBuf, &str)> = vec![
        (fifo.clone(), "is a FIFO"),
        ("/dev/null".into(), "is a character device"),
        (folder.clone(), "is a directory"),
        (env.db.clone(), "live database"),
    ];
    for command in output_commands() {
        for (target, message) in &targets {
            env.at(&day(0))
                .args(&command)
                .arg("--force")
                .arg("--output")
                .arg(target)
                .timeout(Duration::from_secs(60))
                .assert()
                .failure()
                .stderr(predicates::str::contains(*message));
        }
    }
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(null.file_type().is_char_device());
    assert!(names_in(&folder).is_empty());
    assert_eq!(integrity(&env.db), "ok");
    assert_eq!(std::fs::read(&env.db).unwrap().len(), db_before.len());
}

#[test]
fn output_writes_through_a_symlink_and_a_dangling_one_needs_force() {
    let env = Env::new();
    import_deck(&env, &day(0), "O", &deck_text("O", 3, 0));
    let real = env.dir.path().join("real.csv");
    let link = env.dir.path().join("link.csv");
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let export = |force: bool| {
        let mut cmd = env.at(&day(0));
        cmd.args(["export", "deck", "O", "--format", "csv", "--output"])
            .arg(&link);
        if force {
            cmd.arg("--force");
        }
        cmd.assert()
    };
    export(false)
        .failure()
        .stderr(predicates::str::contains("is a symlink to"));
    assert!(!real.exists());
    export(true).success();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&real)
            .unwrap()
            .contains("Question 0")
    );
    export(false)
        .failure()
        .stderr(predicates::str::contains("already exists; pass --force"));
}

/// SIGKILLs `recall backup --output` and `export --output` at random
/// moments: the output folder holds the complete file or nothing, never a
/// temporary file, and `backups/` holds only whole backups (or what a
/// killed backup leaves there, which rotation removes).
#[test]
fn a_killed_output_leaves_the_whole_file_or_nothing() {
    let env = Env::new();
    import_deck(&env, &day(0), "O", &deck_text("O", 2_000, 200));
    let out_dir = env.dir.path().join("out");
    std::fs::create_dir(&out_dir).unwrap();
    let mut rng = Rng::new("a_killed_output_leaves_the_whole_file_or_nothing");
    for round in 0..scaled(12, 120) {
        let target = out_dir.join(format!("copy-{round}.db"));
        let mut cmd = recall(&env, &day(0));
        if round % 2 == 0 {
            cmd.args(["backup", "--output"]).arg(&target);
        } else {
            cmd.args(["export", "deck", "O", "--format", "json", "--output"])
                .arg(&target);
        }
        let mut child = cmd.spawn().unwrap();
        let deadline = Instant::now() + rng.below(Duration::from_millis(60));
        let (finished, _) = finish_or_kill(&mut child, deadline);
        let names = names_in(&out_dir);
        let expected = format!("copy-{round}.db");
        assert!(
            names.iter().all(|n| n.starts_with("copy-")),
            "a temporary file was left: {names:?}"
        );
        if finished {
            assert!(names.contains(&expected), "acknowledged but absent");
        }
        if names.contains(&expected) && round % 2 == 0 {
            assert_eq!(integrity(&target), "ok");
        }
    }
    let backups = env.dir.path().join("backups");
    for name in names_in(&backups) {
        let path = backups.join(&name);
        if name.ends_with(".db") && std::fs::metadata(&path).unwrap().len() > 0 {
            assert_eq!(integrity(&path), "ok", "{name}");
        }
    }
}
