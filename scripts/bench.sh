#!/usr/bin/env bash
# Benchmark: archlint on a generated OpenAPI document of about 3.5 MB
# (1,000 resources: 2,000 paths, 5,000 operations, 4,000 schemas).
# Prints wall time (hyperfine when installed, else five timed runs) and peak memory.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
work=target/bench/openapi
mkdir -p "$work"
python3 scripts/gen_openapi.py "$work/openapi.yaml" "${RESOURCES:-1000}"
ls -l "$work/openapi.yaml" | awk '{printf "document: %.2f MB, ", $5/1048576}'
wc -l < "$work/openapi.yaml" | awk '{print $1 " lines"}'
bin=target/release/archlint
if command -v hyperfine >/dev/null; then
  hyperfine --warmup 2 --runs 10 -i "$bin -q $work"
else
  for _ in 1 2 3 4 5; do
    start=$(date +%s.%N); "$bin" -q "$work" >/dev/null 2>&1 || true; end=$(date +%s.%N)
    echo "run: $(echo "$end - $start" | bc) s"
  done
fi
if [ -x /usr/bin/time ]; then
  /usr/bin/time -v "$bin" -q "$work" 2>&1 >/dev/null | grep -E "Maximum resident|Elapsed"
fi
