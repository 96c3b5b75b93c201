#!/usr/bin/env python3
"""Writes a synthetic migration history for benchmarking archlint's SQL reading.

Usage: gen_migrations.py OUT_DIR [FILES]

Each file is a sqlx-style `migrations/NNNN_name.sql` with a realistic mix: new
tables with keys and foreign keys, indexes (some concurrent), added and altered
columns, renames, drops, data backfills, comments and a dollar-quoted function
body now and then. Deterministic: the same arguments give the same files.
"""
import os
import random
import sys


def main() -> None:
    out = sys.argv[1]
    files = int(sys.argv[2]) if len(sys.argv) > 2 else 750
    rng = random.Random(42)
    mig = os.path.join(out, "migrations")
    os.makedirs(mig, exist_ok=True)
    tables = []
    total_lines = 0
    for n in range(1, files + 1):
        lines = [f"-- migration {n}: generated for the archlint benchmark", ""]
        for _ in range(rng.randint(3, 8)):
            kind = rng.random()
            if kind < 0.35 or len(tables) < 3:
                name = f"table_{len(tables)}"
                parent = rng.choice(tables) if tables else None
                cols = [
                    "    id BIGSERIAL PRIMARY KEY",
                    "    name TEXT NOT NULL",
                    "    status VARCHAR(32) NOT NULL DEFAULT 'new'",
                    "    amount NUMERIC(12, 2)",
                    "    payload JSONB",
                    "    created_at TIMESTAMPTZ NOT NULL DEFAULT now()",
                    "    updated_at TIMESTAMPTZ",
                ] + [f"    attribute_{i} {rng.choice(['TEXT', 'INTEGER', 'BOOLEAN NOT NULL DEFAULT false', 'DATE'])}" for i in range(rng.randint(4, 14))]
                if parent:
                    cols.append(f"    {parent}_id BIGINT NOT NULL REFERENCES {parent} (id) ON DELETE CASCADE")
                lines.append(f"CREATE TABLE {name} (")
                lines.append(",\n".join(cols))
                lines.append(");")
                if parent and rng.random() < 0.7:
                    lines.append(f"CREATE INDEX {name}_{parent}_id_idx ON {name} ({parent}_id);")
                lines.append(f"COMMENT ON TABLE {name} IS 'entity {len(tables)}; created by migration {n}';")
                tables.append(name)
            elif kind < 0.55:
                t = rng.choice(tables)
                lines.append(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {t}_status_{n}_idx ON {t} (status, created_at);")
            elif kind < 0.70:
                t = rng.choice(tables)
                lines.append(f"ALTER TABLE {t} ADD COLUMN note_{n} TEXT;")
                lines.append(f"UPDATE {t} SET note_{n} = 'x; not a separator' WHERE id < 1000;")
            elif kind < 0.80:
                t = rng.choice(tables)
                lines.append(f"ALTER TABLE {t} ALTER COLUMN status TYPE VARCHAR(64);")
            elif kind < 0.90:
                lines.append(f"CREATE OR REPLACE FUNCTION touch_{n}() RETURNS trigger AS $$")
                lines.append("BEGIN")
                lines.append("    NEW.updated_at = now(); -- semicolons inside the body")
                lines.append("    RETURN NEW;")
                lines.append("END;")
                lines.append("$$ LANGUAGE plpgsql;")
            else:
                t = rng.choice(tables)
                lines.append(f"/* drop a column nobody reads; see ticket {n} */")
                lines.append(f"ALTER TABLE {t} ADD COLUMN legacy_{n} INTEGER;")
                lines.append(f"ALTER TABLE {t} DROP COLUMN legacy_{n};")
            lines.append("")
        text = "\n".join(lines) + "\n"
        total_lines += text.count("\n")
        with open(os.path.join(mig, f"{n:04d}_step_{n}.sql"), "w") as f:
            f.write(text)
    print(f"{files} migration files, {total_lines} lines, {len(tables)} tables")


if __name__ == "__main__":
    main()
