//! Which `.sql` files are migrations, and in what order they run.
//!
//! Classification reads paths only: the migration tools themselves decide by file name,
//! so archlint follows the same conventions (sqlx, diesel, golang-migrate, Flyway,
//! Prisma, numbered files in a migrations folder, a dumped `schema.sql`). Migrations in
//! different folders are separate histories (several services, several databases).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// One component of a version: digit runs compare as numbers, so `2` < `10` and
/// Flyway's `1.10` > `1.9`; any digit run sorts before text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionPart {
    /// Digits without leading zeros (compared by length, then lexically: no overflow).
    Number(String),
    Text(String),
}

impl Ord for VersionPart {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (VersionPart::Number(a), VersionPart::Number(b)) => {
                a.len().cmp(&b.len()).then_with(|| a.cmp(b))
            }
            (VersionPart::Number(_), VersionPart::Text(_)) => Ordering::Less,
            (VersionPart::Text(_), VersionPart::Number(_)) => Ordering::Greater,
            (VersionPart::Text(a), VersionPart::Text(b)) => a.cmp(b),
        }
    }
}

impl PartialOrd for VersionPart {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct VersionKey(pub Vec<VersionPart>);

impl VersionKey {
    /// Every digit run of `text` as a number (separators dropped), any other run as text.
    /// Digits joined by `-` are one number: `2021-04-24-115720` is a timestamp (diesel),
    /// and must sort after `20141007131146`, not before it.
    pub fn parse(text: &str) -> VersionKey {
        let mut parts = Vec::new();
        let mut chars = text.chars().peekable();
        while let Some(&c) = chars.peek() {
            if c.is_ascii_digit() {
                let mut digits = String::new();
                loop {
                    while let Some(&d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                        digits.push(d);
                        chars.next();
                    }
                    let mut ahead = chars.clone();
                    if ahead.next() == Some('-') && ahead.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                        continue;
                    }
                    break;
                }
                let trimmed = digits.trim_start_matches('0');
                parts.push(VersionPart::Number(trimmed.to_string()));
            } else if c.is_alphanumeric() {
                let mut word = String::new();
                while let Some(&w) = chars
                    .peek()
                    .filter(|w| w.is_alphanumeric() && !w.is_ascii_digit())
                {
                    word.push(w);
                    chars.next();
                }
                parts.push(VersionPart::Text(word));
            } else {
                chars.next();
            }
        }
        VersionKey(parts)
    }

    fn text(text: &str) -> VersionKey {
        VersionKey(vec![VersionPart::Text(text.to_string())])
    }
}

/// The tool convention a migration file follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Convention {
    /// `NNN_name.sql` in a migrations folder (sqlx, dbmate, goose, plain scripts).
    Numbered,
    /// `<version>_name/up.sql` (diesel).
    Diesel,
    /// `<version>_name/migration.sql` (Prisma).
    Prisma,
    /// `NNN_name.up.sql` (golang-migrate, reversible sqlx).
    UpDown,
    /// `V1.2__name.sql` and repeatable `R__name.sql` (Flyway).
    Flyway,
    /// An unnumbered `.sql` file in a folder named `migrations`/`migrate`.
    Folder,
    /// A dumped schema (`schema.sql`, `structure.sql`) with no migrations beside it.
    Dump,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MigrationKind {
    /// A dump runs first: it is the state history starts from.
    Dump,
    Versioned,
    /// Flyway repeatable migrations run after every versioned one.
    Repeatable,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationInfo {
    /// The folder that holds this history (`db/migrations`; `""` for the root).
    pub dir: String,
    pub version: VersionKey,
    pub kind: MigrationKind,
    pub convention: Convention,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileClass {
    Migration(MigrationInfo),
    Query,
    /// Data loading (seeds, fixtures, test data): checked for parse errors only.
    Seed,
    /// Not read at all: down/undo migrations, a dump made redundant by migrations.
    Ignored(&'static str),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MigrationHistory {
    pub dir: String,
    /// Indices into the classified paths, in replay order.
    pub files: Vec<usize>,
}

/// Folder names under which numbered `.sql` files are migrations.
const MIGRATION_DIRS: &[&str] = &[
    "migrations",
    "migration",
    "migrate",
    "db",
    "database",
    "schema",
    "schemas",
    "ddl",
    "docker-entrypoint-initdb.d",
    "initdb",
    "initdb.d",
];

/// Folders whose name says they hold queries, whatever their files are called.
const QUERY_DIRS: &[&str] = &["queries", "query"];

const SEED_DIRS: &[&str] = &[
    "seed",
    "seeds",
    "seeders",
    "seeding",
    "seed_data",
    "seed-data",
    "fixtures",
    "testdata",
    "test_data",
    "test-data",
    // Sample databases for demos and local setups (`docker/sample_data/`).
    "sample_data",
    "sample-data",
    "samples",
    "demo",
    "demo_data",
];

/// File stems of a dumped or hand-written whole schema.
const DUMP_STEMS: &[&str] = &[
    "schema",
    "structure",
    "init",
    "ddl",
    "tables",
    "create_tables",
    "create-tables",
];

fn starts_with_digit(s: &str) -> bool {
    s.bytes().next().is_some_and(|b| b.is_ascii_digit())
}

/// The leading version of a file name: digits, possibly in groups joined by `.`, `_` or
/// `-` (`2019-01-01-000000`, `1.2.3`), stopping before a separator not followed by a digit.
fn leading_version(name: &str) -> &str {
    let bytes = name.as_bytes();
    let mut end = 0;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b.is_ascii_digit() {
            i += 1;
            end = i;
        } else if matches!(b, b'.' | b'_' | b'-')
            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
        {
            i += 1;
        } else {
            break;
        }
    }
    name.get(..end).unwrap_or("")
}

/// Flyway `V1.2__name` / `U1__name`: the version between the prefix letter and `__`.
fn flyway_version(stem: &str, prefix: char) -> Option<&str> {
    let rest = stem.strip_prefix(prefix)?;
    let (version, _) = rest.split_once("__")?;
    let valid = starts_with_digit(version)
        && version
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_');
    valid.then_some(version)
}

/// Classifies one path alone; [`classify_all`] also decides whether a dump is redundant.
pub fn classify(path: &str) -> FileClass {
    lift_version_folder(classify_file(path))
}

/// `migration/sqlite/0.5/01__x.sql`: one history whose files are grouped in a folder per
/// release. The folder is part of the version, and the history is its parent, so that
/// what release 0.7 drops is seen by the tables of release 0.5.
fn lift_version_folder(class: FileClass) -> FileClass {
    let FileClass::Migration(mut info) = class else {
        return class;
    };
    let Some((parent, folder)) = info.dir.rsplit_once('/') else {
        return FileClass::Migration(info);
    };
    let folder_version = folder.trim_start_matches(['v', 'V']);
    let is_version = folder_version.starts_with(|c: char| c.is_ascii_digit())
        && folder_version.contains('.')
        && folder_version
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.');
    if is_version {
        let mut parts = VersionKey::parse(folder_version).0;
        // Keep the release apart from the file's own number.
        parts.push(VersionPart::Text(String::new()));
        parts.extend(info.version.0);
        info.version = VersionKey(parts);
        info.dir = parent.to_string();
    }
    FileClass::Migration(info)
}

fn classify_file(path: &str) -> FileClass {
    let lower = path.to_ascii_lowercase();
    let (dir, name) = lower.rsplit_once('/').unwrap_or(("", lower.as_str()));
    let original_dir = path.get(..dir.len()).unwrap_or(dir);
    let stem = name.strip_suffix(".sql").unwrap_or(name);
    let dirs: Vec<&str> = if dir.is_empty() {
        Vec::new()
    } else {
        dir.split('/').collect()
    };
    let parent = dirs.last().copied().unwrap_or("");
    let migration = |version: VersionKey, kind, convention, dir: &str| {
        FileClass::Migration(MigrationInfo {
            dir: dir.to_string(),
            version,
            kind,
            convention,
        })
    };

    if name == "down.sql"
        || stem.ends_with(".down")
        || (starts_with_digit(stem) && (stem.ends_with("_down") || stem.ends_with("-down")))
    {
        return FileClass::Ignored("a down migration");
    }
    if flyway_version(stem, 'u').is_some() {
        return FileClass::Ignored("a Flyway undo migration");
    }
    if dirs.iter().any(|d| SEED_DIRS.contains(d)) {
        return FileClass::Seed;
    }

    if (name == "up.sql" || name == "migration.sql") && starts_with_digit(parent) {
        let history = original_dir
            .rsplit_once('/')
            .map_or("", |(grandparent, _)| grandparent);
        let convention = if name == "up.sql" {
            Convention::Diesel
        } else {
            Convention::Prisma
        };
        return migration(
            VersionKey::parse(leading_version(parent)),
            MigrationKind::Versioned,
            convention,
            history,
        );
    }
    if let Some(up) = stem.strip_suffix(".up").filter(|s| starts_with_digit(s)) {
        return migration(
            VersionKey::parse(leading_version(up)),
            MigrationKind::Versioned,
            Convention::UpDown,
            original_dir,
        );
    }
    if let Some(version) = flyway_version(stem, 'v') {
        return migration(
            VersionKey::parse(version),
            MigrationKind::Versioned,
            Convention::Flyway,
            original_dir,
        );
    }
    if let Some(description) = stem.strip_prefix("r__") {
        return migration(
            VersionKey::text(description),
            MigrationKind::Repeatable,
            Convention::Flyway,
            original_dir,
        );
    }

    let in_query_dir = dirs.iter().any(|d| QUERY_DIRS.contains(d));
    let in_migration_dir = dirs.iter().any(|d| MIGRATION_DIRS.contains(d));
    if starts_with_digit(stem) && in_migration_dir && !in_query_dir {
        return migration(
            VersionKey::parse(leading_version(stem)),
            MigrationKind::Versioned,
            Convention::Numbered,
            original_dir,
        );
    }
    if stem.contains("seed") {
        return FileClass::Seed;
    }
    let dump_stem = DUMP_STEMS.contains(&stem)
        || stem.ends_with("_schema")
        || stem.ends_with("-schema")
        || stem.ends_with(".schema");
    if dump_stem && !in_query_dir {
        return migration(
            VersionKey::default(),
            MigrationKind::Dump,
            Convention::Dump,
            original_dir,
        );
    }
    if matches!(parent, "migrations" | "migrate") {
        return migration(
            VersionKey::text(stem),
            MigrationKind::Versioned,
            Convention::Folder,
            original_dir,
        );
    }
    FileClass::Query
}

fn is_within(dir: &str, ancestor: &str) -> bool {
    ancestor.is_empty()
        || dir == ancestor
        || dir
            .strip_prefix(ancestor)
            .is_some_and(|rest| rest.starts_with('/'))
}

/// Classifies every path. A dump is the history only where no migrations live in its
/// folder or below it: beside real migrations it is a redundant copy of their result.
pub fn classify_all(paths: &[&str]) -> Vec<FileClass> {
    let mut classes: Vec<FileClass> = paths.iter().map(|p| classify(p)).collect();
    let migration_dirs: BTreeSet<&str> = classes
        .iter()
        .filter_map(|c| match c {
            FileClass::Migration(m) if m.kind != MigrationKind::Dump => Some(m.dir.as_str()),
            _ => None,
        })
        .collect();
    let redundant: Vec<bool> = classes
        .iter()
        .map(|c| match c {
            FileClass::Migration(m) if m.kind == MigrationKind::Dump => {
                // Sorted order keeps every folder under `m.dir` right after it.
                migration_dirs
                    .range(m.dir.as_str()..)
                    .take_while(|d| d.starts_with(m.dir.as_str()))
                    .any(|d| is_within(d, &m.dir))
            }
            _ => false,
        })
        .collect();
    for (class, redundant) in classes.iter_mut().zip(redundant) {
        if redundant {
            *class = FileClass::Ignored("a schema dump beside migrations that produce it");
        }
    }
    classes
}

/// Groups migrations into histories by folder and orders each: dumps first, then
/// versions ascending (ties by path), then repeatable migrations by name.
pub fn order_migrations(paths: &[&str], classes: &[FileClass]) -> Vec<MigrationHistory> {
    let mut by_dir: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (index, class) in classes.iter().enumerate() {
        if let FileClass::Migration(info) = class {
            by_dir.entry(info.dir.as_str()).or_default().push(index);
        }
    }
    let info = |index: usize| match classes.get(index) {
        Some(FileClass::Migration(info)) => Some(info),
        _ => None,
    };
    by_dir
        .into_iter()
        .map(|(dir, mut files)| {
            files.sort_by(|&a, &b| {
                let key = |i: usize| info(i).map(|m| (m.kind, &m.version));
                key(a)
                    .cmp(&key(b))
                    .then_with(|| paths.get(a).cmp(&paths.get(b)))
            });
            MigrationHistory {
                dir: dir.to_string(),
                files,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn migration(path: &str) -> MigrationInfo {
        match classify(path) {
            FileClass::Migration(info) => info,
            other => panic!("{path} classified as {other:?}"),
        }
    }

    #[test]
    fn tool_conventions_are_migrations_with_their_history_folder() {
        let sqlx = migration("migrations/20220101000000_create_users.sql");
        assert_eq!(sqlx.dir, "migrations");
        assert_eq!(sqlx.convention, Convention::Numbered);
        assert_eq!(
            migration("db/migrations/0001_init.sql").dir,
            "db/migrations"
        );

        let diesel = migration("api/migrations/2019-01-01-000000_create_users/up.sql");
        assert_eq!(
            (diesel.dir.as_str(), diesel.convention),
            ("api/migrations", Convention::Diesel)
        );
        let prisma = migration("prisma/migrations/20230101120000_init/migration.sql");
        assert_eq!(
            (prisma.dir.as_str(), prisma.convention),
            ("prisma/migrations", Convention::Prisma)
        );
        assert_eq!(migration("db/1_init.up.sql").convention, Convention::UpDown);

        let flyway = migration("src/main/resources/db/migration/V1.2.3__add_index.sql");
        assert_eq!(flyway.convention, Convention::Flyway);
        assert_eq!(flyway.version, VersionKey::parse("1.2.3"));
        assert_eq!(
            migration("sql/R__views.sql").kind,
            MigrationKind::Repeatable
        );
        assert_eq!(
            migration("schema/001-init.sql").convention,
            Convention::Numbered
        );
        assert_eq!(
            migration("migrations/1.sql").convention,
            Convention::Numbered
        );
        assert_eq!(
            migration("migrations/create_users.sql").convention,
            Convention::Folder
        );
    }

    #[test]
    fn dashed_timestamps_sort_with_plain_ones() {
        assert!(VersionKey::parse("20141007131146") < VersionKey::parse("2021-04-24-115720"));
        assert!(VersionKey::parse("2_x") < VersionKey::parse("10_y"));
    }

    #[test]
    fn release_folders_are_one_history() {
        let a = migration("store/migration/sqlite/0.5/01__memo.sql");
        let b = migration("store/migration/sqlite/0.10/00__drop.sql");
        assert_eq!(a.dir, "store/migration/sqlite");
        assert_eq!(a.dir, b.dir);
        assert!(a.version < b.version, "{:?} {:?}", a.version, b.version);
    }

    #[test]
    fn down_and_undo_files_are_ignored() {
        for path in [
            "migrations/2019-01-01-000000_x/down.sql",
            "migrations/1_init.down.sql",
            "db/migration/U2__undo.sql",
        ] {
            assert!(matches!(classify(path), FileClass::Ignored(_)), "{path}");
        }
    }

    #[test]
    fn seeds_queries_and_everything_else() {
        assert_eq!(classify("db/seeds/001_users.sql"), FileClass::Seed);
        assert_eq!(
            classify("docker/sample_data/mysql_example.sql"),
            FileClass::Seed
        );
        assert_eq!(classify("db/seed.sql"), FileClass::Seed);
        assert_eq!(
            classify("tests/fixtures/migrations/0001_x.sql"),
            FileClass::Seed
        );
        assert_eq!(classify("queries/users.sql"), FileClass::Query);
        assert_eq!(classify("db/queries/001_list.sql"), FileClass::Query);
        assert_eq!(classify("reports/01_monthly.sql"), FileClass::Query);
        assert_eq!(classify("src/get_user.sql"), FileClass::Query);
        // A data migration is still a migration.
        assert!(matches!(
            classify("migrations/0003_seed_roles.sql"),
            FileClass::Migration(_)
        ));
    }

    #[test]
    fn versions_compare_numerically() {
        assert!(VersionKey::parse("2") < VersionKey::parse("10"));
        assert!(VersionKey::parse("1.9") < VersionKey::parse("1.10"));
        assert!(VersionKey::parse("1") < VersionKey::parse("1.1"));
        assert_eq!(VersionKey::parse("0001"), VersionKey::parse("1"));
        let huge = "9".repeat(60);
        assert!(VersionKey::parse(&huge) > VersionKey::parse("1"));
        assert!(VersionKey::parse("2") < VersionKey::text("a"));
        assert_eq!(
            leading_version("2019-01-01-000000_create"),
            "2019-01-01-000000"
        );
        assert_eq!(leading_version("001-init"), "001");
        assert_eq!(leading_version("1.2_x"), "1.2");
    }

    #[test]
    fn histories_are_ordered_by_version_then_path_and_separated_by_folder() {
        let paths = [
            "svc-b/migrations/10_later.sql",
            "svc-a/migrations/10_x.sql",
            "svc-a/migrations/2_x.sql",
            "svc-a/migrations/R__views.sql",
            "svc-a/migrations/02_also_two.sql",
            "db/migration/V1.10__b.sql",
            "db/migration/V1.9__a.sql",
            "svc-b/migrations/9_first.sql",
        ];
        let classes = classify_all(&paths);
        let histories = order_migrations(&paths, &classes);
        let named: Vec<(String, Vec<&str>)> = histories
            .iter()
            .map(|h| (h.dir.clone(), h.files.iter().map(|&i| paths[i]).collect()))
            .collect();
        assert_eq!(
            named,
            vec![
                (
                    "db/migration".to_string(),
                    vec!["db/migration/V1.9__a.sql", "db/migration/V1.10__b.sql"]
                ),
                (
                    "svc-a/migrations".to_string(),
                    vec![
                        "svc-a/migrations/02_also_two.sql",
                        "svc-a/migrations/2_x.sql",
                        "svc-a/migrations/10_x.sql",
                        "svc-a/migrations/R__views.sql"
                    ]
                ),
                (
                    "svc-b/migrations".to_string(),
                    vec![
                        "svc-b/migrations/9_first.sql",
                        "svc-b/migrations/10_later.sql"
                    ]
                ),
            ]
        );
    }

    #[test]
    fn a_dump_is_the_history_only_without_migrations_beside_it() {
        let alone = ["db/structure.sql", "queries/list.sql"];
        let classes = classify_all(&alone);
        assert!(matches!(&classes[0], FileClass::Migration(m) if m.kind == MigrationKind::Dump));

        let beside = [
            "db/schema.sql",
            "db/migrations/001_init.sql",
            "other/schema.sql",
        ];
        let classes = classify_all(&beside);
        assert!(matches!(classes[0], FileClass::Ignored(_)));
        assert!(
            matches!(&classes[1], FileClass::Migration(m) if m.kind == MigrationKind::Versioned)
        );
        // A dump in an unrelated folder ("db2" is not under "db") stays.
        assert!(matches!(&classes[2], FileClass::Migration(m) if m.kind == MigrationKind::Dump));
        let prefix = ["db/schema.sql", "db2/migrations/001_init.sql"];
        assert!(matches!(&classify_all(&prefix)[0], FileClass::Migration(_)));
        let root = ["schema.sql", "migrations/001_init.sql"];
        assert!(matches!(classify_all(&root)[0], FileClass::Ignored(_)));
    }
}
