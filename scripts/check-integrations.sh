#!/usr/bin/env bash
# Checks what archlint hands to other tools with those tools' own validators:
#  - SARIF from fixture runs against the official SARIF 2.1.0 schema plus GitHub's
#    ingestion rules (Microsoft's SARIF multitool, `--rule-kind "Sarif;Ghas"`);
#  - action.yml and the example workflow with check-jsonschema and zizmor;
#  - the file `archlint init` writes against archlint.schema.json.
# The validators come from the npm registry and PyPI, into target/ci-tools (kept
# between runs like the rest of target/). Needs a built target/debug/archlint.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLS="${ARCHLINT_CI_TOOLS:-$PWD/target/ci-tools}"
MULTITOOL_VERSION=5.7.0
mkdir -p "$TOOLS"

multitool="$TOOLS/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
if [ ! -x "$multitool" ]; then
  npm install --silent --no-audit --no-fund --prefix "$TOOLS/npm" \
    "@microsoft/sarif-multitool@$MULTITOOL_VERSION" >/dev/null
  # npm does not run the package's install script that marks the binary executable.
  chmod u+x "$multitool"
fi
if [ ! -x "$TOOLS/venv/bin/zizmor" ]; then
  python3 -m venv "$TOOLS/venv"
  "$TOOLS/venv/bin/pip" install --quiet --disable-pip-version-check \
    check-jsonschema==0.39.0 zizmor==1.32.0
fi

archlint="$PWD/target/debug/archlint"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints the validator's findings and returns how many there are. The multitool exits
# 0 even when the log is invalid, so its own SARIF output is what counts.
validate() {
  local input=$1 out=$2
  "$multitool" validate --rule-kind "Sarif;Ghas" --output "$out" "$input" >/dev/null
  python3 - "$out" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
results = [r for run in log.get("runs", []) for r in run.get("results", [])
           if r.get("level", "warning") in ("error", "warning")]
for r in results:
    print(f'  {r.get("level", "warning")} {r.get("ruleId")}: {r.get("message", {}).get("text") or r.get("message", {}).get("arguments")}')
sys.exit(min(len(results), 100))
PY
}

status=0
for target in fixtures/demo fixtures; do
  sarif="$work/$(echo "$target" | tr / _).sarif"
  "$archlint" check "$target" -q --format sarif --sarif-category "ci/$target" -o "$sarif" || [ $? -eq 1 ]
  results=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["runs"][0]["results"]))' "$sarif")
  if validate "$sarif" "$work/validation.sarif"; then
    echo "SARIF of $target: valid ($results results; schema and GitHub ingestion rules)"
  else
    echo "SARIF of $target: INVALID"
    status=1
  fi
done

# The check above must be able to fail: a log GitHub would reject has to be caught.
python3 - "$work/fixtures_demo.sarif" "$work/broken.sarif" <<'PY'
import json, sys
log = json.load(open(sys.argv[1]))
result = log["runs"][0]["results"][0]
result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "/absolute/path.yaml"
json.dump(log, open(sys.argv[2], "w"))
PY
if validate "$work/broken.sarif" "$work/broken-validation.sarif" >/dev/null; then
  echo "the SARIF validator accepted a broken log: the check above proves nothing"
  status=1
else
  echo "SARIF negative control: a broken log is rejected, as it must be"
fi

"$TOOLS/venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
"$TOOLS/venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows examples/github-workflow.yml
"$TOOLS/venv/bin/zizmor" --offline --quiet --config .ci/zizmor.yml action.yml examples/github-workflow.yml

"$archlint" init fixtures/demo --stdout > "$work/archlint.toml"
"$TOOLS/venv/bin/check-jsonschema" --schemafile archlint.schema.json "$work/archlint.toml"

exit $status
