#!/usr/bin/env bash
# Runs the engine benchmarks (benches/library.rs, criterion) and prints the machine, the load
# and the summary table that BENCHMARKS.md is written from.
#
#   scripts/bench.sh              # everything (~5 min; the first run also generates the
#                                 # 10,000-agreement library into target/bench-data/, ~1 min)
#   scripts/bench.sh search       # criterion filter: only benchmarks whose id contains "search"
#                                 # (the percentile phase always runs)
#
# The full output goes to target/bench-data/last-run.log, the summary to
# target/bench-data/summary.md.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${CARGO_TARGET_DIR:-target}"
mkdir -p "$target/bench-data"
log="$target/bench-data/last-run.log"

machine() {
    echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "nproc:   $(nproc)"
    echo "cpu:     $(lscpu | sed -n 's/^Model name: *//p')"
    echo "memory:  $(free -g | awk '/^Mem:/ {print $2 " GB"}')"
    echo "disk:    $(df -h --output=source,fstype,size,avail "$target" | tail -1 | tr -s ' ')"
    echo "rustc:   $(rustc --version)"
    echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git status --porcelain 2>/dev/null | grep -q . && echo ' (uncommitted changes in the tree)')"
}

echo "== machine"
machine
echo "load:    $(uptime)"
echo
echo "== cargo bench --bench library -- $*"
rm -f "$target/bench-data/summary.md"
# The binary ends with the summary; it is printed once, below, next to the machine.
cargo bench --bench library -- "$@" 2>&1 | tee "$log" | sed '/^=== Pactum benchmark summary/,$d'

echo
echo "== machine"
machine
echo "load after: $(uptime)"
echo
if [ -f "$target/bench-data/summary.md" ]; then
    cat "$target/bench-data/summary.md"
else
    sed -n '/^=== Pactum benchmark summary/,$p' "$log"
fi
