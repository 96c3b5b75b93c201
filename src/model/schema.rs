//! The replayed database schema: tables, columns, keys and indexes, plus the per-statement
//! migration events the migration-safety rules read.
