//! `recall config`: every effective setting and where it came from.

use std::io::Write;
use std::path::Path;

use serde::Serialize;

use super::print_json;
use crate::cli::ConfigArgs;
use crate::config::{Config, Origin, Source};
use crate::domain::text::escape_line;
use crate::error::Result;

#[derive(Serialize)]
struct SettingJson<'a> {
    key: &'a str,
    value: &'a serde_json::Value,
    /// "flag", "env", "file" or "default".
    source: &'static str,
    /// The flag, the variable, or "FILE:LINE".
    from: Option<String>,
}

#[derive(Serialize)]
struct ConfigJson<'a> {
    /// The config file read, if any.
    file: Option<String>,
    database: String,
    settings: Vec<SettingJson<'a>>,
}

pub fn run(config: &Config, db: &Path, args: &ConfigArgs, out: &mut dyn Write) -> Result<()> {
    let file = config.file().map(|p| p.display().to_string());
    let settings = settings_json(config, file.as_deref());
    if args.json {
        let report = ConfigJson {
            file,
            database: db.display().to_string(),
            settings,
        };
        return print_json(out, &report);
    }
    print_text(config, db, &settings, out)
}

/// Each setting with where it came from; `file`: the config file read.
fn settings_json<'a>(config: &'a Config, file: Option<&str>) -> Vec<SettingJson<'a>> {
    config
        .settings
        .iter()
        .map(|s| {
            let (source, from) = match &s.origin {
                Origin::Flag(flag) => ("flag", Some((*flag).to_string())),
                Origin::Env(var) => ("env", Some((*var).to_string())),
                Origin::File(line) => ("file", file.map(|f| format!("{f}:{line}"))),
                Origin::Default => ("default", None),
            };
            SettingJson {
                key: &s.key,
                value: &s.value,
                source,
                from,
            }
        })
        .collect()
}

fn print_text(
    config: &Config,
    db: &Path,
    settings: &[SettingJson<'_>],
    out: &mut dyn Write,
) -> Result<()> {
    let file_line = match &config.source {
        Source::Read(path) => path.display().to_string(),
        Source::Missing(Some(path)) => format!("none ({} does not exist)", path.display()),
        Source::Missing(None) => "none (no config directory)".to_string(),
        Source::Skipped => "none (--no-config)".to_string(),
    };
    writeln!(out, "config file: {}", escape_line(&file_line))?;
    writeln!(
        out,
        "database:    {}",
        escape_line(&db.display().to_string())
    )?;
    writeln!(
        out,
        "precedence:  flag > environment > config file > default\n"
    )?;
    // Keys are recall's own ASCII names: chars are columns.
    let width = settings
        .iter()
        .map(|s| s.key.chars().count())
        .max()
        .unwrap_or(0);
    for s in settings {
        let value = shown(s.value);
        let from = match (&s.from, s.source) {
            (Some(from), "flag" | "env") => format!("{} {from}", s.source),
            (Some(from), _) => from.clone(),
            (None, source) => source.to_string(),
        };
        writeln!(
            out,
            "{:<width$}  {:<24} {}",
            escape_line(s.key),
            escape_line(&value),
            escape_line(&from)
        )?;
    }
    Ok(())
}

/// A value as the text listing shows it: strings bare, lists space-separated.
fn shown(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(" "),
        value => value.to_string(),
    }
}
