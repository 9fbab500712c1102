//! The signals that would end recall while it owns the terminal.
//!
//! Any signal whose default action ends the process would leave the
//! terminal in raw mode on the alternate screen, with echo off. Each one
//! that can be caught is caught by one thread, which restores the terminal
//! and exits as the signal would have (128 + its number). Answers are
//! committed one by one as they are given, so ending here loses nothing.
//!
//! Left out, on purpose: SIGKILL and SIGSTOP (cannot be caught); SIGSEGV,
//! SIGILL, SIGFPE and SIGBUS (faults of the process itself, where returning
//! from a handler re-runs the faulting instruction: the panic hook and the
//! OS handle those); SIGPIPE (ignored by Rust's runtime, writes fail
//! instead); SIGCHLD, SIGURG, SIGWINCH, SIGCONT (ignored by default) and
//! the stop signals (the process stops and resumes).

use std::io::Write;

use ratatui::crossterm::terminal::{LeaveAlternateScreen, disable_raw_mode};
use ratatui::crossterm::{cursor, execute};
use signal_hook::consts::signal::{
    SIGABRT, SIGALRM, SIGHUP, SIGINT, SIGIO, SIGPROF, SIGQUIT, SIGSYS, SIGTERM, SIGTRAP, SIGUSR1,
    SIGUSR2, SIGVTALRM, SIGXCPU, SIGXFSZ,
};

/// Every catchable signal whose default action ends the process.
pub fn ending_signals() -> Vec<i32> {
    let mut signals = vec![
        SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF, SIGXCPU,
        SIGXFSZ, SIGIO, SIGABRT, SIGSYS, SIGTRAP,
    ];
    #[cfg(any(target_os = "linux", target_os = "android"))]
    {
        signals.extend([libc::SIGPWR, libc::SIGSTKFLT]);
        // Real-time signals end the process too; libc's own are below SIGRTMIN.
        signals.extend(libc::SIGRTMIN()..=libc::SIGRTMAX());
    }
    signals
}

/// Starts the thread that restores the terminal on any of them.
pub fn restore_terminal_on_signals() {
    let Ok(mut signals) = signal_hook::iterator::Signals::new(ending_signals()) else {
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            // Not through `stdout()`: the main thread may hold its lock.
            let _ = disable_raw_mode();
            let mut out: Box<dyn Write> =
                match std::fs::OpenOptions::new().write(true).open("/dev/tty") {
                    Ok(tty) => Box::new(tty),
                    Err(_) => Box::new(std::io::stderr()),
                };
            let _ = execute!(out, LeaveAlternateScreen, cursor::Show);
            std::process::exit(128 + signal);
        }
    });
}
