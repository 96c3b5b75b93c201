//! The command line: `archlint [PATH...]`, `check`, `rules`, `explain`.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::baseline::{self, Baseline};
use crate::changed;
use crate::config::{self, Settings};
use crate::engine::{self, CheckOptions};
use crate::finding::Level;
use crate::registry::{self, RULES};
use crate::report::sarif::SarifOptions;
use crate::report::{self, human::HumanOptions, markdown::MarkdownOptions, Counts};

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
    Check(Box<CheckArgs>),
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
    /// Write a commented archlint.toml with the policy this repository already follows.
    Init {
        /// The repository folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        /// Replace an existing archlint.toml.
        #[arg(long)]
        force: bool,
        /// Print the file instead of writing it.
        #[arg(long)]
        stdout: bool,
    },
    /// Print the JSON schema of archlint.toml (for editors).
    ConfigSchema,
    /// Print the endpoints the source code declares (method, path, handler, evidence).
    Routes {
        /// The repository folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Configuration file (default: archlint.toml in the folder).
        #[arg(long)]
        config: Option<PathBuf>,
    },
    /// Print the database schema replayed from the SQL migrations.
    Schema {
        /// The repository folder.
        #[arg(default_value = ".")]
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = ListFormat::Human)]
        format: ListFormat,
        /// Configuration file (default: archlint.toml in the folder).
        #[arg(long)]
        config: Option<PathBuf>,
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
    /// SARIF 2.1.0, for GitHub code scanning.
    Sarif,
    /// GitHub Actions workflow commands (annotations).
    Github,
    /// A Markdown summary, for $GITHUB_STEP_SUMMARY or a pull-request comment.
    Markdown,
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
    /// Also write SARIF to this file, beside the report in --format.
    #[arg(long, value_name = "FILE")]
    sarif_output: Option<PathBuf>,
    /// Also write the Markdown summary to this file (e.g. $GITHUB_STEP_SUMMARY).
    #[arg(long, value_name = "FILE")]
    markdown_output: Option<PathBuf>,
    /// SARIF `automationDetails.id`: keeps separate code-scanning alerts per category.
    #[arg(long, value_name = "NAME")]
    sarif_category: Option<String>,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE", conflicts_with = "write_baseline")]
    baseline: Option<PathBuf>,
    /// Record every current finding in this baseline file, print nothing else, exit 0.
    #[arg(long, value_name = "FILE")]
    write_baseline: Option<PathBuf>,
    /// Report only findings in files changed since this git ref (rules still read
    /// the whole repository).
    #[arg(long, value_name = "REF")]
    changed_since: Option<String>,
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
        Some(Command::Check(args)) => check(*args),
        Some(Command::Rules { format }) => list_rules(format),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Init {
            path,
            force,
            stdout,
        }) => init(&path, force, stdout),
        Some(Command::Routes {
            path,
            format,
            config,
        }) => routes(&path, format, config),
        Some(Command::Schema {
            path,
            format,
            config,
        }) => schema(&path, format, config),
        Some(Command::ConfigSchema) => {
            print!("{}", config::json_schema());
            EXIT_OK
        }
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

/// The `--config` file, else `archlint.toml` in the first folder given.
fn load_settings(explicit: Option<PathBuf>, paths: &[PathBuf]) -> Result<Settings, String> {
    let candidate = explicit.or_else(|| {
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
    let settings = match load_settings(args.config.clone(), &paths) {
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
    let mut outcome = engine::check(&options, &settings);
    // The process ends after the report: the OS takes the model back faster than
    // freeing it piece by piece would.
    std::mem::forget(std::mem::take(&mut outcome.project));

    if let Some(reference) = &args.changed_since {
        match changed::changed_files(&options.root, reference) {
            Ok(changed) => outcome
                .findings
                .retain(|r| changed.contains(r.finding.location.path())),
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        }
    }
    if let Some(path) = &args.write_baseline {
        let text = baseline::render(&outcome.findings);
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_USAGE;
        }
        eprintln!(
            "wrote {} to the baseline `{}`",
            report::plural(outcome.findings.len(), "finding"),
            path.display()
        );
        return EXIT_OK;
    }
    let mut baseline_note = None;
    if let Some(path) = &args.baseline {
        let accepted = match Baseline::load(path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("error: {e}");
                return EXIT_USAGE;
            }
        };
        let findings = std::mem::take(&mut outcome.findings);
        let (kept, result) = accepted.filter(findings, |entry| {
            let rule_ran = engine::enabled(&options, &settings, &entry.rule);
            rule_ran && outcome.checked_paths.contains(&entry.path)
        });
        outcome.findings = kept;
        baseline_note = Some(format!(
            "baseline: {} accepted, {} no longer {}{}",
            report::plural(result.accepted, "finding"),
            report::plural(result.stale, "entry").replace("entrys", "entries"),
            if result.stale == 1 { "occurs" } else { "occur" },
            if result.stale > 0 {
                " (refresh it with --write-baseline)"
            } else {
                ""
            }
        ));
    }

    let counts = Counts::of(&outcome.findings);
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let color =
        to_terminal && !args.no_color && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
    let sarif_options = SarifOptions {
        category: args.sarif_category.clone(),
    };
    let text = match args.format {
        Format::Json => report::json::render(&outcome.findings, &outcome),
        Format::Sarif => report::sarif::render(&outcome.findings, &sarif_options),
        Format::Github => report::github::render(&outcome.findings),
        Format::Markdown => report::markdown::render(
            &outcome.findings,
            outcome.files_checked,
            &MarkdownOptions {
                link_base: github_blob_base(),
            },
        ),
        Format::Human => {
            let width = if to_terminal { terminal_width() } else { 100 };
            let mut text = report::human::render(&outcome.findings, &HumanOptions { color, width });
            if !args.quiet {
                text.push_str(&report::summary_line(
                    counts,
                    outcome.files_checked,
                    outcome.documents,
                    outcome.sql_files,
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
    if let Some(path) = &args.sarif_output {
        let sarif = report::sarif::render(&outcome.findings, &sarif_options);
        if let Err(e) = std::fs::write(path, sarif) {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_USAGE;
        }
    }
    if let Some(path) = &args.markdown_output {
        let summary = report::markdown::render(
            &outcome.findings,
            outcome.files_checked,
            &MarkdownOptions {
                link_base: github_blob_base(),
            },
        );
        // Appending: $GITHUB_STEP_SUMMARY collects every step's output.
        let appended = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .and_then(|mut f| f.write_all(summary.as_bytes()));
        if let Err(e) = appended {
            eprintln!("error: cannot write `{}`: {e}", path.display());
            return EXIT_USAGE;
        }
    }
    if !args.quiet {
        if let Some(note) = baseline_note {
            eprintln!("{note}");
        }
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

/// In GitHub Actions, Markdown links point at the checked-out commit on github.com so
/// they work from the run summary and from pull-request comments.
fn github_blob_base() -> Option<String> {
    let var = |name| std::env::var(name).ok().filter(|v: &String| !v.is_empty());
    Some(format!(
        "{}/{}/blob/{}/",
        var("GITHUB_SERVER_URL")?,
        var("GITHUB_REPOSITORY")?,
        var("GITHUB_SHA")?
    ))
}

/// Reads one repository folder into the project model, for the commands that print a
/// model rather than findings.
fn load_folder(path: &Path, config: Option<PathBuf>) -> Result<crate::model::Project, i32> {
    if !path.is_dir() {
        eprintln!("error: `{}` is not a folder", path.display());
        return Err(EXIT_USAGE);
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = absolutize(&cwd, path);
    let settings = load_settings(config, std::slice::from_ref(&root)).map_err(|e| {
        eprintln!("{e}");
        EXIT_USAGE
    })?;
    let options = CheckOptions {
        root: root.clone(),
        paths: vec![root],
        ..Default::default()
    };
    Ok(engine::load_project(&options, &settings))
}

fn routes(path: &Path, format: ListFormat, config: Option<PathBuf>) -> i32 {
    let project = match load_folder(path, config) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let text = match format {
        ListFormat::Human => report::routes::render_text(&project.code.routes),
        ListFormat::Json => report::routes::render_json(&project.code.routes),
    };
    print!("{text}");
    EXIT_OK
}

fn schema(path: &Path, format: ListFormat, config: Option<PathBuf>) -> i32 {
    let project = match load_folder(path, config) {
        Ok(project) => project,
        Err(code) => return code,
    };
    let text = match format {
        ListFormat::Human => report::schema::render_text(&project.sql.schema),
        ListFormat::Json => report::schema::render_json(&project.sql.schema),
    };
    print!("{text}");
    EXIT_OK
}

fn init(path: &Path, force: bool, to_stdout: bool) -> i32 {
    if !path.is_dir() {
        eprintln!("error: `{}` is not a folder", path.display());
        return EXIT_USAGE;
    }
    let target = path.join(config::FILE_NAME);
    if target.exists() && !force && !to_stdout {
        eprintln!(
            "error: `{}` already exists (use --force to replace it, or --stdout to print a new one)",
            target.display()
        );
        return EXIT_USAGE;
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let root = absolutize(&cwd, path);
    let options = CheckOptions {
        root: root.clone(),
        paths: vec![root],
        ..Default::default()
    };
    // The defaults, not an existing file: init describes what the repository does.
    let project = engine::load_project(&options, &Settings::defaults());
    let text = crate::init::render(&crate::init::infer(&project));
    if to_stdout {
        print!("{text}");
        return EXIT_OK;
    }
    match std::fs::write(&target, text) {
        Ok(()) => {
            eprintln!("wrote `{}`", target.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!("error: cannot write `{}`: {e}", target.display());
            EXIT_USAGE
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
}
