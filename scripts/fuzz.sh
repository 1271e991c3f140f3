#!/usr/bin/env bash
# Fuzzes the interchange import (fuzz target `import`, see fuzz/fuzz_targets/import.rs).
#
#   scripts/fuzz.sh [SECONDS]     # default 60
#
# Installs cargo-fuzz into .tools/ (gitignored) if it is missing. cargo-fuzz needs nightly
# compiler flags (-Zsanitizer=address, sanitizer coverage); only the stable toolchain exists
# here, so the run sets RUSTC_BOOTSTRAP=1. The corpus grows in fuzz/corpus/import (gitignored),
# seeded from the committed fuzz/seeds/ (the three templates as interchange JSON); crashes land
# in fuzz/artifacts/import/. Exit status: 0 when nothing was found.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-60}"
tools="$root/.tools"

if [ ! -x "$tools/bin/cargo-fuzz" ]; then
    echo "== installing cargo-fuzz into $tools"
    cargo install cargo-fuzz --locked --root "$tools"
fi
export PATH="$tools/bin:$PATH"
export RUSTC_BOOTSTRAP=1

cd "$root/fuzz"
mkdir -p corpus/import
echo "== cargo fuzz run import for ${seconds}s ($(nproc) cores, load: $(cut -d' ' -f1-3 /proc/loadavg))"
start=$(date +%s)
set +e
cargo fuzz run import corpus/import seeds -- \
    -max_total_time="$seconds" -dict=import.dict -max_len=131072 -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
    2>&1 | tee "$root/fuzz/last-run.log"
status=${PIPESTATUS[0]}
set -e
echo "== finished after $(( $(date +%s) - start ))s with status $status; corpus: $(ls corpus/import | wc -l) inputs"
grep -E '^stat::number_of_executed_units|^stat::average_exec_per_sec|^stat::new_units_added' "$root/fuzz/last-run.log" || true
if ls artifacts/import/* >/dev/null 2>&1; then
    echo "== findings:"; ls -l artifacts/import/
fi
exit "$status"
