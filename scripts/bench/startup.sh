#!/usr/bin/env bash
# Start-up time of small surveystats commands (whole process), with hyperfine; writes startup.md for RESULTS.md.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
CLI="${SURVEYSTATS_CLI:-$HERE/../../.build-release/release/surveystats}"
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null
[[ -x "$CLI" ]] || { echo "build first: swift build -c release --scratch-path .build-release --product surveystats"; exit 2; }
mkdir -p "$HERE/data"
TINY="$HERE/data/tiny.csv"
head -n 21 "$HERE/data/survey_1e5.csv" > "$TINY" 2>/dev/null || python3 "$HERE/gen_data.py" --rows 20 --out "$TINY"
hyperfine -N --warmup 5 --runs 40 --export-markdown "$HERE/startup.tmp.md" \
  "$CLI --version" \
  "$CLI describe --data $TINY q1 q2 --by region" \
  "$HERE/.venv/bin/python -c pass" \
  "$HERE/.venv/bin/python -c 'import pandas'"
{
  echo "Machine load average at measurement: $(cut -d' ' -f1-3 /proc/loadavg). Target: < 50 ms for a small command."
  echo
  sed "s#$(dirname "$CLI")/##g; s#$HERE/##g" "$HERE/startup.tmp.md"
} > "$HERE/startup.md"
rm -f "$HERE/startup.tmp.md"
cat "$HERE/startup.md"
