//! `e`: the card as a TOML snippet in `$EDITOR` (or `vi`), in a private
//! temporary file that is removed afterwards.

use std::path::PathBuf;
use std::process::Command;

/// Runs the editor on `text`; the edited text, or why there is none.
pub fn edit(text: &str) -> Result<String, String> {
    let path = temp_path();
    write_private(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    let result = run_editor(&path).and_then(|()| {
        std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))
    });
    let _ = std::fs::remove_file(&path);
    result
}

/// The first line of the note `with_problem` puts on a refused snippet.
const PROBLEM: &str = "# recall: not saved: ";

/// A refused snippet as it opens again: the problem in a TOML comment on
/// top (the previous one dropped), the user's text unchanged below it.
pub fn with_problem(text: &str, problem: &str) -> String {
    let kept: String = text
        .split_inclusive('\n')
        .skip_while(|line| line.starts_with("# recall: "))
        .collect();
    let problem = problem.replace('\n', " ");
    format!("{PROBLEM}{problem}\n# recall: fix it and save; an empty file cancels.\n{kept}")
}

fn temp_path() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    std::env::temp_dir().join(format!("recall-card-{}-{nanos}.toml", std::process::id()))
}

fn write_private(path: &PathBuf, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)?.write_all(text.as_bytes())
}

/// `$VISUAL`, then `$EDITOR`, then `vi`; a value may carry arguments
/// (`code --wait`).
fn run_editor(path: &PathBuf) -> Result<(), String> {
    let command = ["VISUAL", "EDITOR"]
        .iter()
        .filter_map(|var| std::env::var(var).ok())
        .find(|v| !v.trim().is_empty())
        .unwrap_or_else(|| "vi".into());
    let mut words = command.split_whitespace();
    let program = words.next().unwrap_or("vi");
    let status = Command::new(program)
        .args(words)
        .arg(path)
        .status()
        .map_err(|e| format!("cannot run the editor {program:?} ($EDITOR): {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("the editor {program:?} exited with {status}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_snippet_opens_again_with_the_problem_on_top_and_the_text_kept() {
        let text = "front = [\nback = \"mine\"\n";
        let again = with_problem(text, "card.toml:1:9: invalid array");
        assert!(again.starts_with("# recall: not saved: card.toml:1:9: invalid array\n"));
        assert!(again.ends_with(text), "{again}");
        // Refused once more: one note on top, the newest.
        let twice = with_problem(&again, "card.toml:3:1: other");
        assert_eq!(twice.matches("# recall:").count(), 2, "{twice}");
        assert!(twice.contains("other") && !twice.contains("invalid array"));
        assert!(twice.ends_with(text), "{twice}");
    }
}
