//! Several recall processes on one database at once: answer loops, an
//! import and `decks` running side by side, and a TUI session while imports
//! and `stats` run. Nobody may see "database is locked", and no answer may
//! be lost or doubled.

use std::thread;

use crate::common::{Env, day};
use crate::reliability_crash::{assert_answers_intact, assert_stored_once};
use crate::reliability_support::{
    Student, answers_by_card_and_day, deck_text, import_deck, recall, scaled, stderr_of,
};

/// Runs one command to the end; its stderr if it failed or said anything
/// about locks.
fn run(cmd: &mut std::process::Command) -> Result<(), String> {
    let mut child = cmd.spawn().unwrap();
    let stderr = stderr_of(&mut child);
    let status = child.wait().unwrap();
    if status.success() && !stderr.contains("locked") && !stderr.contains("busy") {
        Ok(())
    } else {
        Err(format!("{status}: {stderr}"))
    }
}

#[test]
fn first_opens_of_a_new_database_race_safely() {
    let env = Env::new();
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let mut cmd = recall(&env, &day(0));
            cmd.arg("decks");
            thread::spawn(move || run(&mut cmd))
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
    assert_eq!(crate::reliability_support::integrity(&env.db), "ok");
}

#[test]
fn answer_loops_import_and_decks_run_side_by_side() {
    let env = Env::new();
    let cards = import_deck(&env, &day(0), "Shared", &deck_text("Shared", 10, 0));
    let per_loop = scaled(12, 150) as i64;
    let loops = 3i64;
    let big = env.file(
        "big.toml",
        deck_text("Concurrent import", scaled(2000, 10_000), 20),
    );
    let env = std::sync::Arc::new(env);

    let mut handles = Vec::new();
    for l in 0..loops {
        let (env, cards) = (env.clone(), cards.clone());
        handles.push(thread::spawn(move || {
            for i in 0..per_loop {
                let tag = l * 1_000_000 + i + 1;
                let card = cards[(tag as usize) % cards.len()];
                run(recall(&env, &day(1))
                    .args(["answer", &card.to_string(), "3", "--duration-ms"])
                    .arg(tag.to_string()))
                .map_err(|e| format!("answer {tag}: {e}"))?;
            }
            Ok(())
        }));
    }
    {
        let env = env.clone();
        handles.push(thread::spawn(move || {
            run(recall(&env, &day(1)).arg("import").arg(&big)).map_err(|e| format!("import: {e}"))
        }));
    }
    {
        let env = env.clone();
        handles.push(thread::spawn(move || {
            for _ in 0..per_loop {
                run(recall(&env, &day(1)).arg("decks")).map_err(|e| format!("decks: {e}"))?;
                run(recall(&env, &day(1)).args(["next", "--json"]))
                    .map_err(|e| format!("next: {e}"))?;
            }
            Ok(())
        }));
    }
    let errors: Vec<String> = handles
        .into_iter()
        .filter_map(|h| h.join().unwrap().err())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");

    let acked: Vec<i64> = (0..loops)
        .flat_map(|l| (1..=per_loop).map(move |i| l * 1_000_000 + i))
        .collect();
    assert_answers_intact(&env, &acked, &[]);
}

#[test]
fn a_tui_session_answers_while_import_and_stats_run() {
    let env = std::sync::Arc::new(Env::new());
    import_deck(&env, &day(1), "Shared", &deck_text("Shared", 20, 0));
    let big = env.file(
        "big.toml",
        deck_text("Concurrent import", scaled(1500, 10_000), 20),
    );
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let busy = |name: &'static str, args: Vec<std::ffi::OsString>| {
        let (env, stop) = (env.clone(), stop.clone());
        thread::spawn(move || {
            let mut runs = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) || runs == 0 {
                run(recall(&env, &day(1)).args(&args)).map_err(|e| format!("{name}: {e}"))?;
                runs += 1;
            }
            Ok::<_, String>(runs)
        })
    };
    let importer = busy("import", vec!["import".into(), big.into()]);
    let stats = busy(
        "stats",
        vec!["stats".into(), "--format".into(), "json".into()],
    );

    // Answer the deck's 20 cards at a human-ish pace (each write waits for
    // the imports' transactions), then quit.
    let mut student = Student::start(&env, 1, "Shared");
    while student.step() {
        if student.pending.is_none() {
            thread::sleep(std::time::Duration::from_millis(30));
        }
    }
    student.tui.keys("q");
    assert_eq!(student.tui.exit_code(), 0);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let imports = importer.join().unwrap().unwrap();
    let stats = stats.join().unwrap().unwrap();
    eprintln!("during the session: {imports} imports, {stats} stats runs");

    assert_eq!(student.acked.len(), 20);
    assert_stored_once(&env, answers_by_card_and_day(&env.db), &student.acked, &[]);
}
