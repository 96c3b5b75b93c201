//! `archlint schema`: the replayed database schema as a reviewer's map, in text or JSON.

use serde_json::{json, Value};

use crate::model::schema::{SchemaHistory, SchemaModel, Table};

fn line_of(location: &crate::finding::Location) -> usize {
    location.file.line_col(location.span.start).line
}

fn columns_text(columns: &[String]) -> String {
    columns.join(", ")
}

fn table_text(history: &SchemaHistory, table: &Table, out: &mut String) {
    out.push_str(&format!(
        "\n  {}  ({}:{}){}\n",
        table.name,
        table.created.path(),
        line_of(&table.created),
        if table.complete {
            ""
        } else {
            "  [incomplete: a statement shaping it was not read]"
        }
    ));
    let pk: &[String] = table
        .primary_key
        .as_ref()
        .map_or(&[], |k| k.columns.as_slice());
    let name_width = table
        .columns
        .iter()
        .map(|c| c.display_name.chars().count())
        .max()
        .unwrap_or(0);
    let type_width = table
        .columns
        .iter()
        .map(|c| c.data_type.chars().count())
        .max()
        .unwrap_or(0);
    for c in &table.columns {
        let mut notes = Vec::new();
        if pk.contains(&c.name) {
            notes.push("PK".to_string());
        }
        if !c.nullable {
            notes.push("not null".to_string());
        }
        if c.has_default {
            notes.push("default".to_string());
        }
        out.push_str(
            format!(
                "    {:name_width$}  {:type_width$}  {}\n",
                c.display_name,
                c.data_type,
                notes.join(", ")
            )
            .trim_end(),
        );
        out.push('\n');
    }
    if table.primary_key.is_none() {
        out.push_str("    (no primary key)\n");
    }
    for fk in &table.foreign_keys {
        let mark = match history.foreign_key_unindexed(table, fk) {
            Some(true) => "   ! no index",
            _ => "",
        };
        out.push_str(&format!(
            "    FK ({}) -> {} ({}){mark}\n",
            columns_text(&fk.columns),
            fk.referenced_table,
            columns_text(&fk.referenced_columns)
        ));
    }
    for key in &table.unique_constraints {
        out.push_str(&format!("    UNIQUE ({})\n", columns_text(&key.columns)));
    }
    for index in &table.indexes {
        out.push_str(&format!(
            "    {}INDEX {}({}){}\n",
            if index.unique { "UNIQUE " } else { "" },
            index
                .name
                .as_deref()
                .map(|n| format!("{n} "))
                .unwrap_or_default(),
            columns_text(&index.columns),
            if index.partial { " WHERE ..." } else { "" }
        ));
    }
}

pub fn render_text(schema: &SchemaModel) -> String {
    if schema.histories.is_empty() {
        return "no SQL migrations found\n".to_string();
    }
    let mut out = String::new();
    for history in &schema.histories {
        let dir = if history.dir.is_empty() {
            "."
        } else {
            &history.dir
        };
        // Model histories (`(SQLAlchemy models)`) are read from source files, not run.
        let unit = if history.dir.starts_with('(') {
            "model file"
        } else {
            "migration"
        };
        out.push_str(&format!(
            "{dir}: {}, {} {unit}{}, {} table{}\n",
            history.dialect.name(),
            history.files.len(),
            if history.files.len() == 1 { "" } else { "s" },
            history.tables.len(),
            if history.tables.len() == 1 { "" } else { "s" },
        ));
        for table in history.tables.values() {
            table_text(history, table, &mut out);
        }
        out.push('\n');
    }
    out
}

pub fn render_json(schema: &SchemaModel) -> String {
    let histories: Vec<Value> = schema
        .histories
        .iter()
        .map(|history| {
            let tables: Vec<Value> = history
                .tables
                .values()
                .map(|table| {
                    let mut value = serde_json::to_value(table).unwrap_or(Value::Null);
                    if let Some(fks) = value.get_mut("foreign_keys").and_then(Value::as_array_mut) {
                        for (fk_value, fk) in fks.iter_mut().zip(&table.foreign_keys) {
                            fk_value["indexed"] =
                                json!(history.foreign_key_unindexed(table, fk).map(|u| !u));
                        }
                    }
                    value
                })
                .collect();
            json!({
                "dir": history.dir,
                "dialect": history.dialect.name(),
                "migrations": history.files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
                "tables": tables,
                "unparsed_statements": history.unparsed_statements,
            })
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&json!({ "version": 1, "histories": histories }))
        .unwrap_or_default();
    text.push('\n');
    text
}
