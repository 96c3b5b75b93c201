//! The command line: `archlint [PATH...]`, `check`, `rules`, `explain`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::{self, Settings};
use crate::engine::{self, CheckOptions};
use crate::finding::Level;
use crate::registry::{self, RULES};
use crate::report::{self, human::HumanOptions, Counts};

pub const EXIT_OK: i32 = 0;
pub const EXIT_FINDINGS: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "archlint",
    version,
    about = "Reviews a backend repository the way a senior backend architect would",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check the given paths (the default command).
    Check(CheckArgs),
    /// List every rule with its area, default level and summary.
    Rules {
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
    },
    /// Print a rule's documentation page.
    Explain {
        /// A rule id such as `api/list-pagination`.
        rule: String,
    },
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum ListFormat {
    Human,
    Json,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Human,
    Json,
}

#[derive(Args, Debug, Clone)]
struct CheckArgs {
    /// Files or folders to check.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Write the report to this file instead of standard output.
    #[arg(long, short = 'o')]
    output: Option<PathBuf>,
    /// Exit with 1 when a finding is at or above this level.
    #[arg(long, value_enum, default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Only run these rules or areas (comma-separated or repeated): `api`, `sec/missing-auth`.
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
    /// Do not run these rules or areas.
    #[arg(long, value_delimiter = ',')]
    ignore: Vec<String>,
    /// Configuration file (default: archlint.toml in the checked folder).
    #[arg(long)]
    config: Option<PathBuf>,
    /// Print findings only, without the summary.
    #[arg(long, short)]
    quiet: bool,
    /// Never colour the output (also: the NO_COLOR environment variable).
    #[arg(long)]
    no_color: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq, Eq)]
enum FailOn {
    Error,
    Warning,
    Info,
}

impl FailOn {
    fn level(self) -> Level {
        match self {
            FailOn::Error => Level::Error,
            FailOn::Warning => Level::Warning,
            FailOn::Info => Level::Info,
        }
    }
}

/// Runs the command line and returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { EXIT_USAGE } else { EXIT_OK };
        }
    };
    match cli.command {
        Some(Command::Check(args)) => check(args),
        Some(Command::Rules { format }) => list_rules(format),
        Some(Command::Explain { rule }) => explain(&rule),
        None => check(cli.check),
    }
}

fn list_rules(format: ListFormat) -> i32 {
    let mut out = String::new();
    match format {
        ListFormat::Human => {
            let width = RULES.iter().map(|r| r.id.len()).max().unwrap_or(10);
            for r in RULES {
                out.push_str(&format!(
                    "{:width$}  {:4}  {:8}  {}\n",
                    r.id,
                    r.area(),
                    r.default_level.as_str(),
                    r.summary()
                ));
            }
        }
        ListFormat::Json => {
            let rules: Vec<serde_json::Value> = RULES
                .iter()
                .map(|r| {
                    serde_json::json!({
                        "id": r.id, "area": r.area(), "default_level": r.default_level.as_str(),
                        "summary": r.summary(), "docs": registry::doc_path(r.id),
                    })
                })
                .collect();
            out = serde_json::to_string_pretty(&rules).unwrap_or_default();
            out.push('\n');
        }
    }
    print!("{out}");
    EXIT_OK
}

fn explain(rule: &str) -> i32 {
    match registry::doc_of(rule) {
        Some(doc) => {
            print!("{doc}");
            EXIT_OK
        }
        None => {
            eprintln!("error: unknown rule `{rule}` (run `archlint rules` for the list)");
            EXIT_USAGE
        }
    }
}

/// The folder reported paths are relative to: the working directory when every path
/// lies inside it (so paths match the repository in CI), else the first folder given.
fn report_root(paths: &[PathBuf]) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let absolute: Vec<PathBuf> = paths.iter().map(|p| absolutize(&cwd, p)).collect();
    if absolute.iter().all(|p| p.starts_with(&cwd)) {
        return cwd;
    }
    match absolute.first() {
        Some(p) if p.is_dir() => p.clone(),
        Some(p) => p.parent().map(Path::to_path_buf).unwrap_or(cwd),
        None => cwd,
    }
}

fn absolutize(cwd: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        crate::spec::normalise_path(p)
    } else {
        crate::spec::normalise_path(&cwd.join(p))
    }
}

fn load_settings(args: &CheckArgs, paths: &[PathBuf]) -> Result<Settings, String> {
    let explicit = args.config.clone();
    let candidate = explicit.clone().or_else(|| {
        let dir = paths
            .first()
            .filter(|p| p.is_dir())
            .cloned()
            .unwrap_or_else(|| PathBuf::from("."));
        let found = dir.join(config::FILE_NAME);
        found.is_file().then_some(found)
    });
    match candidate {
        Some(path) => Settings::load(&path).map_err(|e| e.render()),
        None => Ok(Settings::defaults()),
    }
}

fn check(args: CheckArgs) -> i32 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let paths: Vec<PathBuf> = args.paths.iter().map(|p| absolutize(&cwd, p)).collect();
    for (given, abs) in args.paths.iter().zip(&paths) {
        if !abs.exists() {
            eprintln!("error: `{}` does not exist", given.display());
            return EXIT_USAGE;
        }
    }
    if let Err(e) = engine::validate_selectors(&args.select)
        .and_then(|_| engine::validate_selectors(&args.ignore))
    {
        eprintln!("error: {e}");
        return EXIT_USAGE;
    }
    let settings = match load_settings(&args, &paths) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return EXIT_USAGE;
        }
    };
    let options = CheckOptions {
        root: report_root(&paths),
        paths,
        select: args.select.clone(),
        ignore: args.ignore.clone(),
    };
    let outcome = engine::check(&options, &settings);
    let counts = Counts::of(&outcome.findings);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color =
        to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let text = match args.format {
        Format::Json => {
            report::json::render(&outcome.findings, outcome.files_checked, outcome.documents)
        }
        Format::Human => {
            let width = if to_terminal { terminal_width() } else { 100 };
            let mut text = report::human::render(&outcome.findings, &HumanOptions { color, width });
            if !args.quiet {
                text.push_str(&report::summary_line(
                    counts,
                    outcome.files_checked,
                    outcome.documents,
                ));
                text.push('\n');
            }
            text
        }
    };
    let written = match &args.output {
        Some(path) => std::fs::write(path, &text)
            .map_err(|e| format!("cannot write `{}`: {e}", path.display())),
        None => std::io::stdout()
            .write_all(text.as_bytes())
            .map_err(|e| e.to_string()),
    };
    if let Err(e) = written {
        eprintln!("error: {e}");
        return EXIT_USAGE;
    }
    if !args.quiet {
        eprintln!(
            "checked {} in {:.2}s",
            report::plural(outcome.files_checked, "file"),
            outcome.elapsed.as_secs_f64()
        );
    }
    let threshold = args.fail_on.level();
    if outcome.findings.iter().any(|f| f.level >= threshold) {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}
