use std::io::Write;
use std::path::Path;

use super::*;

fn write_whole(path: &Path, force: bool, protected: &[&Path], text: &str) -> Result<()> {
    let mut out = Output::open(Some(path), force, protected)?;
    out.write_all(text.as_bytes())?;
    out.finish()
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn message(result: Result<()>) -> String {
    result.expect_err("the output was refused").to_string()
}

#[test]
fn a_new_file_is_written_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    write_whole(&path, false, &[], "a,b\n").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "a,b\n");
    assert_eq!(names_in(dir.path()), ["out.csv"]);
}

#[test]
fn an_output_in_progress_has_no_name_so_a_kill_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    let mut out = Output::open(Some(&path), false, &[]).unwrap();
    out.write_all(&[b'x'; 100_000]).unwrap();
    out.flush().unwrap();
    // Written and flushed, yet nothing in the folder: a SIGKILL now leaves
    // no file (Linux's unnamed files; elsewhere a named temporary file).
    if cfg!(target_os = "linux") {
        assert_eq!(names_in(dir.path()), Vec::<String>::new());
    }
    drop(out);
    assert_eq!(names_in(dir.path()), Vec::<String>::new());
}

#[test]
fn an_existing_file_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.csv");
    std::fs::write(&path, "old").unwrap();
    let refused = message(write_whole(&path, false, &[], "new"));
    assert!(
        refused.contains("already exists; pass --force"),
        "{refused}"
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
    write_whole(&path, true, &[], "new").unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    assert_eq!(names_in(dir.path()), ["out.csv"]);
}

#[test]
fn special_files_are_never_replaced_even_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut cases = vec![
        (dir.path().to_path_buf(), "a directory"),
        ("/dev/null".into(), "a character device"),
    ];
    if made.is_ok_and(|s| s.success()) {
        cases.push((fifo, "a FIFO (named pipe)"));
    }
    for (path, kind) in cases {
        let refused = message(write_whole(&path, true, &[], "x"));
        assert!(
            refused.contains(&format!("is {kind}, not a regular file")),
            "{refused}"
        );
    }
    use std::os::unix::fs::FileTypeExt;
    let null = std::fs::metadata("/dev/null").unwrap();
    assert!(
        null.file_type().is_char_device(),
        "/dev/null is still a device"
    );
    assert_eq!(names_in(dir.path()), ["fifo"]);
}

#[test]
fn the_live_database_and_its_wal_are_never_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("recall.db");
    let wal = dir.path().join("recall.db-wal");
    std::fs::write(&db, "live").unwrap();
    std::fs::write(&wal, "wal").unwrap();
    let link = dir.path().join("alias.db");
    std::os::unix::fs::symlink(&db, &link).unwrap();
    for target in [&db, &wal, &link] {
        let refused = message(write_whole(target, true, &[&db], "x"));
        assert!(refused.contains("live database"), "{refused}");
    }
    assert_eq!(std::fs::read_to_string(&db).unwrap(), "live");
    assert_eq!(std::fs::read_to_string(&wal).unwrap(), "wal");
}

#[test]
fn a_symlink_is_written_through_and_kept() {
    let dir = tempfile::tempdir().unwrap();
    let real = dir.path().join("real.csv");
    let link = dir.path().join("link.csv");
    std::fs::write(&real, "old").unwrap();
    std::os::unix::fs::symlink("real.csv", &link).unwrap();
    let refused = message(write_whole(&link, false, &[], "new"));
    assert!(refused.contains("already exists"), "{refused}");
    write_whole(&link, true, &[], "new").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
}

#[test]
fn a_dangling_symlink_needs_force_and_then_creates_its_target() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink("missing.csv", &link).unwrap();
    let refused = message(write_whole(&link, false, &[], "x"));
    assert!(refused.contains("is a symlink to"), "{refused}");
    assert!(!dir.path().join("missing.csv").exists());
    write_whole(&link, true, &[], "x").unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("missing.csv")).unwrap(),
        "x"
    );
}

#[test]
fn the_named_fallback_never_clobbers_without_force_and_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("out.csv");
    std::fs::write(&target, "old").unwrap();
    let (mut file, temp) = named_temp_file(dir.path(), &target).unwrap();
    file.write_all(b"new").unwrap();
    let Temp::Named(path) = temp else {
        panic!("a named temporary file")
    };
    let kept = path.to_path_buf();
    let error = persist(path, &target, false).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
    assert!(!kept.exists(), "the temporary file is removed when refused");
}
