//! The schema as the migration files define it, read from their text: the
//! tables, their columns, and the `check (column in (…))` word lists, with
//! every later migration applied over the earlier ones. Tests compare it
//! with the domain's vocabularies and the two engines' trees with each other.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column name → whether it is `not null` (a primary key is).
    pub columns: BTreeMap<String, bool>,
    /// Column → the words its `check (column in (…))` allows.
    pub words: BTreeMap<String, BTreeSet<String>>,
    /// Constraints other than word lists, each as written, types left out:
    /// `primary key (…)`, `unique (…)`, `references t (…)` and other checks.
    pub constraints: BTreeSet<String>,
}

/// Table → what it holds, after every migration of `tree` (`sqlite` or
/// `postgres`) in file-name order.
pub fn read(tree: &str) -> BTreeMap<String, Table> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("migrations")
        .join(tree);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("migrations directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "sql"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no migrations in {}", dir.display());
    let mut schema = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("migration");
        for statement in statements(&text) {
            apply(&mut schema, &statement);
        }
    }
    schema
}

/// The statements of a file, comments gone, whitespace folded, lowercase.
fn statements(text: &str) -> Vec<String> {
    let without_comments: String = text
        .lines()
        .map(|l| l.split("--").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join(" ");
    // A `;` inside a trigger body (`begin … end`) or a `$$` function body
    // does not end the statement.
    let mut statements: Vec<String> = Vec::new();
    let mut open = false;
    for piece in without_comments.split(';') {
        let piece = piece
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .to_lowercase();
        if open {
            let last = statements.last_mut().expect("open statement");
            last.push_str("; ");
            last.push_str(&piece);
        } else if !piece.is_empty() {
            statements.push(piece.clone());
        }
        let current = statements.last().map_or("", String::as_str);
        open = (current.starts_with("create trigger")
            && current.contains(" begin ")
            && !current.ends_with("end"))
            || current.matches("$$").count() % 2 == 1;
    }
    statements
}

/// Splits on commas outside parentheses.
fn top_level(body: &str) -> Vec<String> {
    let (mut parts, mut depth, mut current) = (Vec::new(), 0i32, String::new());
    for c in body.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(current.trim().to_owned());
                current.clear();
                continue;
            }
            _ => {}
        }
        current.push(c);
    }
    if !current.trim().is_empty() {
        parts.push(current.trim().to_owned());
    }
    parts
}

/// The text inside the parentheses that open at `open`.
fn group(s: &str, open: usize) -> &str {
    let mut depth = 0;
    for (i, c) in s[open..].char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return &s[open + 1..open + i];
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced parentheses in {s:?}")
}

/// `check (col in ('a', 'b'))` → (col, {a, b}); any other check → None.
fn word_list(check_body: &str) -> Option<(String, BTreeSet<String>)> {
    let (column, rest) = check_body.split_once(" in (")?;
    let column = column.trim();
    if column.contains(' ') || column.contains('(') {
        return None;
    }
    let list = rest.strip_suffix(')')?;
    let words = list
        .split(',')
        .map(|w| w.trim().trim_matches('\'').to_owned())
        .collect();
    Some((column.to_owned(), words))
}

/// Records a constraint or word list found in `text` (a column definition
/// or a table constraint) for `column` (None for a table constraint).
fn constraints_in(table: &mut Table, column: Option<&str>, text: &str) {
    let mut search = 0;
    while let Some(at) = text[search..].find("check (").map(|i| i + search) {
        let body = group(text, at + "check ".len());
        match word_list(body) {
            Some((col, words)) => {
                table.words.insert(col, words);
            }
            // SQLite's stand-in for Postgres' `jsonb` type.
            None if body.starts_with("json_valid(") => {}
            None => {
                table.constraints.insert(format!("check ({body})"));
            }
        }
        search = at + 1;
    }
    if let Some(col) = column {
        if text.contains("primary key") {
            table.constraints.insert(format!("primary key ({col})"));
        }
        if text.contains(" unique") {
            table.constraints.insert(format!("unique ({col})"));
        }
        if let Some(at) = text.find("references ") {
            let target = &text[at..];
            let end = target.find(')').map_or(target.len(), |i| i + 1);
            table
                .constraints
                .insert(format!("{col} {}", &target[..end]));
        }
    } else {
        let text = match text.strip_prefix("constraint ") {
            Some(rest) => rest.split_once(' ').map_or(rest, |(_, r)| r),
            None => text,
        };
        if !text.starts_with("check") {
            table.constraints.insert(text.to_owned());
        }
    }
}

fn apply(schema: &mut BTreeMap<String, Table>, s: &str) {
    let words: Vec<&str> = s.split(' ').collect();
    match words.as_slice() {
        ["create", "table", ..] => {
            let name = words[2..]
                .iter()
                .find(|w| !matches!(**w, "if" | "not" | "exists"))
                .expect("table name")
                .trim_end_matches('(')
                .to_owned();
            let open = s.find('(').expect("table body");
            let mut table = Table::default();
            for item in top_level(group(s, open)) {
                let first = item.split(' ').next().unwrap_or("");
                if matches!(
                    first,
                    "constraint" | "check" | "unique" | "primary" | "foreign"
                ) {
                    constraints_in(&mut table, None, &item);
                } else {
                    let not_null = item.contains("not null") || item.contains("primary key");
                    table.columns.insert(first.to_owned(), not_null);
                    constraints_in(&mut table, Some(first), &item);
                }
            }
            schema.insert(name, table);
        }
        ["drop", "table", name, ..] => {
            schema.remove(*name);
        }
        ["alter", "table", name, "rename", "to", new] => {
            let table = schema.remove(*name).expect("renamed table");
            schema.insert((*new).to_owned(), table);
        }
        ["alter", "table", name, "add", "column", column, ..] => {
            let definition = s.split_once(" add column ").expect("column").1;
            let table = schema.get_mut(*name).expect("altered table");
            table
                .columns
                .insert((*column).to_owned(), definition.contains("not null"));
            constraints_in(table, Some(column), definition);
        }
        ["alter", "table", name, "drop", "column", column] => {
            let table = schema.get_mut(*name).expect("altered table");
            assert!(table.columns.remove(*column).is_some(), "{s}");
            table.words.remove(*column);
            table.constraints.retain(|c| {
                !(c.starts_with(&format!("{column} references"))
                    || c.ends_with(&format!("({column})")))
            });
        }
        // SQLite's way to change a column's check: a new column takes its place.
        ["alter", "table", name, "rename", "column", from, "to", to] => {
            let table = schema.get_mut(*name).expect("altered table");
            let not_null = table.columns.remove(*from).expect("renamed column");
            table.columns.insert((*to).to_owned(), not_null);
            if let Some(words) = table.words.remove(*from) {
                table.words.insert((*to).to_owned(), words);
            }
        }
        ["drop", "index", ..] => {}
        ["alter", "table", name, "drop", "constraint", ..] => {
            // Dropped to be added again changed; the `add` that follows
            // replaces the word list of its column.
            assert!(schema.contains_key(*name), "{s}");
        }
        ["alter", "table", name, "add", "constraint", ..] => {
            let definition = s.split_once(" add ").expect("constraint").1;
            let table = schema.get_mut(*name).expect("altered table");
            constraints_in(table, None, definition);
        }
        ["create", "index", ..] | ["create", "unique", "index", ..] => {
            if words[1] == "unique" {
                let on = s.split_once(" on ").expect("index table").1;
                let (table, rest) = on.split_once(' ').expect("index columns");
                let table = schema.get_mut(table).expect("indexed table");
                table.constraints.insert(format!("unique index {rest}"));
            }
        }
        // Triggers and their functions are each engine's own way to keep
        // the audit trail append-only; the conformance suite tests that.
        ["create", "trigger", ..] | ["create", "function", ..] => {}
        // Data moves (insert … select, update) change no shape.
        ["insert", ..] | ["update", ..] | ["delete", ..] | ["pragma", ..] => {}
        ["begin", ..] | ["commit"] => {}
        _ => panic!("a migration statement this reader does not know: {s}"),
    }
}

#[test]
fn every_domain_word_list_is_the_check_constraint_of_its_columns() {
    let vocabularies = marketrelay::domain::vocabulary::all();
    for tree in ["sqlite", "postgres"] {
        let schema = read(tree);
        let mut claimed = BTreeSet::new();
        for v in &vocabularies {
            assert!(
                v.round_trips,
                "{}: as_str, parse and serde disagree",
                v.name
            );
            let words: BTreeSet<String> = v.words.iter().map(|w| (*w).to_owned()).collect();
            assert_eq!(words.len(), v.words.len(), "{}: a word twice", v.name);
            for column in v.columns {
                let (table, col) = column.split_once('.').expect("table.column");
                let allowed = schema
                    .get(table)
                    .and_then(|t| t.words.get(col))
                    .unwrap_or_else(|| panic!("{tree}: no check constraint on {column}"));
                assert_eq!(allowed, &words, "{tree}: {column} and {}", v.name);
                claimed.insert((table.to_owned(), col.to_owned()));
            }
        }
        // Every word list in the schema belongs to a domain type.
        for (table, t) in &schema {
            for col in t.words.keys() {
                assert!(
                    claimed.contains(&(table.clone(), col.clone())),
                    "{tree}: {table}.{col} has a word list no domain vocabulary claims"
                );
            }
        }
    }
}

#[test]
fn the_two_migration_trees_define_the_same_schema() {
    let (sqlite, postgres) = (read("sqlite"), read("postgres"));
    assert!(sqlite.len() > 10, "{sqlite:#?}");
    let names = |s: &BTreeMap<String, Table>| s.keys().cloned().collect::<Vec<_>>();
    assert_eq!(names(&sqlite), names(&postgres), "tables");
    for (name, lite) in &sqlite {
        let pg = &postgres[name];
        assert_eq!(
            lite.columns, pg.columns,
            "{name}: columns and their not null"
        );
        assert_eq!(lite.words, pg.words, "{name}: word lists");
        assert_eq!(lite.constraints, pg.constraints, "{name}: constraints");
    }
}
