//! `e`: the card as a TOML snippet in `$EDITOR` (or `vi`), in a private
//! temporary file that is removed afterwards.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use tempfile::NamedTempFile;

/// Runs the editor on `text`; the edited text, or why there is none.
pub fn edit(text: &str) -> Result<String, String> {
    let file = private_file(text).map_err(|e| {
        format!(
            "{}: a file for the card: {e}",
            std::env::temp_dir().display()
        )
    })?;
    let path = file.path();
    // Read by name, not through the open handle: editors that save by
    // writing a new file and renaming it over this one are common. The
    // file (whichever it is by then) is removed when `file` drops.
    run_editor(path)?;
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
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

/// `text` in a new file of the temporary directory that only this user
/// can read (the card may be private), named `.toml` for editors that
/// colour by extension.
fn private_file(text: &str) -> std::io::Result<NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix("recall-card-").suffix(".toml");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o600));
    }
    let mut file = builder.tempfile()?;
    file.write_all(text.as_bytes())?;
    file.flush()?;
    Ok(file)
}

/// `$VISUAL`, then `$EDITOR`, then `vi`; a value may carry arguments
/// (`code --wait`).
fn run_editor(path: &Path) -> Result<(), String> {
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

    #[test]
    fn the_card_goes_to_a_file_only_its_owner_can_read_and_is_removed_after() {
        let file = private_file("front = \"secret\"\n").unwrap();
        let path = file.path().to_path_buf();
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            "front = \"secret\"\n"
        );
        assert!(path.to_string_lossy().ends_with(".toml"), "{path:?}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{mode:o}");
        }
        drop(file);
        assert!(!path.exists(), "left behind: {path:?}");
    }
}
