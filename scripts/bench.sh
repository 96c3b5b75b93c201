#!/usr/bin/env bash
# Benchmarks, release build:
#  - openapi: a generated OpenAPI document of about 3.9 MB (1,000 resources: 2,000
#    paths, 5,000 operations, 4,000 schemas);
#  - sql: a generated history of 750 migration files (about 42,000 lines);
#  - python: a generated FastAPI service of 620 modules (about 207,000 lines), beside
#    the floor: tree-sitter parsing alone of the same files (examples/parse_floor.rs).
# Prints wall time (hyperfine when installed, else five timed runs) and peak memory.
# ARCHLINT_TIMINGS=1 makes archlint print the time and memory of each phase.
# Usage: scripts/bench.sh [openapi|sql|python]...   (default: all)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=target/release/archlint

measure() {
  local dir=$1
  if command -v hyperfine >/dev/null; then
    hyperfine --warmup 2 --runs 10 -i "$bin -q $dir"
  else
    for _ in 1 2 3 4 5; do
      start=$(date +%s.%N); "$bin" -q "$dir" >/dev/null 2>&1 || true; end=$(date +%s.%N)
      echo "run: $(echo "$end - $start" | bc) s"
    done
  fi
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -v "$bin" -q "$dir" 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed"
  fi
}

for what in "${@:-openapi sql python}"; do
  for target in $what; do
    case $target in
      openapi)
        work=target/bench/openapi
        mkdir -p "$work"
        python3 scripts/gen_openapi.py "$work/openapi.yaml" "${RESOURCES:-1000}"
        ls -l "$work/openapi.yaml" | awk '{printf "document: %.2f MB, ", $5/1048576}'
        wc -l < "$work/openapi.yaml" | awk '{print $1 " lines"}'
        measure "$work"
        ;;
      sql)
        work=target/bench/sql
        rm -rf "$work"
        python3 scripts/gen_migrations.py "$work" "${MIGRATIONS:-750}"
        measure "$work"
        ;;
      python)
        work=target/bench/python
        rm -rf "$work"
        python3 scripts/gen_python.py "$work" "${MODULES:-620}"
        cargo build --release --quiet --example parse_floor
        floor=target/release/examples/parse_floor
        if command -v hyperfine >/dev/null; then
          # Both in one hyperfine run, so that the ratio is taken under the same load.
          hyperfine -N --warmup 3 --runs "${RUNS:-20}" "$bin -q $work" "$floor $work"
          /usr/bin/time -v "$bin" -q "$work" 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed"
        else
          for _ in 1 2 3; do "$floor" "$work"; done
          measure "$work"
        fi
        ;;
      *) echo "unknown benchmark: $target" >&2; exit 2 ;;
    esac
  done
done
