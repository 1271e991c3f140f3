#!/usr/bin/env bash
# Crash soak: the integration crash test (tests/it/crash.rs) with 10,000 SIGKILLs instead of the
# normal run's 200, in a release build. A child process saves drafts and freezes versions in a
# loop; it is killed at random moments, and every acknowledged write must survive, byte-exact,
# with an intact hash chain and `PRAGMA integrity_check` = ok. A database is reused for 500
# kills, then verified and replaced.
#
#   scripts/crash-soak.sh            10,000 kills (about 10 minutes on 2 cores)
#   scripts/crash-soak.sh 50000      another number of kills
#
# The exit status is the test's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
kills="${1:-${PACTUM_CRASH_KILLS:-10000}}"
PACTUM_CRASH_KILLS="$kills" cargo test --release --test it crash:: -- --nocapture
