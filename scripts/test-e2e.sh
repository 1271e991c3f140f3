#!/usr/bin/env bash
# End-to-end test of the real desktop app: builds it as users get it (`tauri build --debug`
# with the .deb bundle, which also proves the packaging), builds the `pactum` CLI and the
# seeding example, makes test databases (one with 10,000 agreements), starts Xvfb and
# tauri-driver, and runs tests/e2e under mocha. Saves the screenshots under docs/screenshots/
# and the app figures (first paint, cold start, memory, save latency) to
# target/e2e-figures.json. Every process it starts is stopped on exit, also on failure; the
# exit status is the tests'.
#
# Environment: PACTUM_E2E_SKIP_BUILD=1 reuses the last build; PACTUM_E2E_DISPLAY (default 99)
# and PACTUM_E2E_PORT (default 4444; the native driver uses the next port) avoid clashes;
# PACTUM_E2E_BIG_COUNT (default 10000) sizes the large library; PACTUM_E2E_TESTS picks test
# files (default: all); PACTUM_E2E_APP runs them against another build of the app.
#
# Test hook: the app started here sees PACTUM_TEST_DIALOG_PATH, which makes its import and
# export commands skip the native file dialogs and use that path (src-tauri/src/files.rs).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
display="${PACTUM_E2E_DISPLAY:-99}"
port="${PACTUM_E2E_PORT:-4444}"
native_port=$((port + 1))

work="$(mktemp -d -t pactum-e2e.XXXXXX)"
xvfb_pid=""
driver_pid=""

cleanup() {
  local status=$?
  # SIGTERM lets tauri-driver stop WebKitWebDriver and the app; SIGKILL would orphan them.
  if [[ -n "$driver_pid" ]] && kill -0 "$driver_pid" 2>/dev/null; then
    kill -TERM "$driver_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$driver_pid" 2>/dev/null || break; sleep 0.1; done
  fi
  if [[ -n "$xvfb_pid" ]] && kill -0 "$xvfb_pid" 2>/dev/null; then
    kill -TERM "$xvfb_pid" 2>/dev/null || true
    wait "$xvfb_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

bash "$root/scripts/install-deps.sh"

if [[ "${PACTUM_E2E_SKIP_BUILD:-}" != "1" ]]; then
  started=$SECONDS
  (cd "$root" && ui/node_modules/.bin/tauri build --debug --bundles deb)
  echo "test-e2e: app built and bundled in $((SECONDS - started)) s"
  started=$SECONDS
  # Both from the engine package, together: the example brings in the dev-dependencies, so the
  # features match those of `cargo test` and nothing it built is built again.
  cargo build --manifest-path "$root/Cargo.toml" --bin pactum --example seed_library
  echo "test-e2e: CLI and seeding example built in $((SECONDS - started)) s"
fi
seed="$target/debug/examples/seed_library"

# PACTUM_E2E_APP runs the tests against another build of the app (BENCHMARKS.md measures a
# release build this way); the .deb check below still looks at the debug bundle.
app="${PACTUM_E2E_APP:-$target/debug/pactum-desktop}"
cli="$target/debug/pactum"
deb="$(ls "$target"/debug/bundle/deb/*.deb 2>/dev/null | head -n 1 || true)"
[[ -x "$app" ]] || { echo "test-e2e: $app is missing" >&2; exit 1; }
[[ -x "$cli" ]] || { echo "test-e2e: $cli is missing" >&2; exit 1; }
[[ -x "$seed" ]] || { echo "test-e2e: $seed is missing" >&2; exit 1; }
[[ -n "$deb" ]] || { echo "test-e2e: no .deb under $target/debug/bundle/deb" >&2; exit 1; }
dpkg-deb --contents "$deb" | grep -Eq ' (\./)?usr/bin/pactum-desktop$' \
  || { echo "test-e2e: $deb lacks /usr/bin/pactum-desktop" >&2; exit 1; }

# A library with two agreements, a damaged file, and a path whose folder cannot exist.
db="$work/library/pactum.db"
mkdir -p "$(dirname "$db")"
first_title="Kundendienst Müller Maschinenbau 2025"
second_title="SaaS Support Northwind Traders"
"$cli" --db "$db" new --template it-support-de --title "$first_title"
"$cli" --db "$db" new --template saas-support-en --title "$second_title"
damaged="$work/damaged/pactum.db"
mkdir -p "$(dirname "$damaged")"
printf 'This file only pretends to be a Pactum database.\n' >"$damaged"
printf 'a file, not a folder\n' >"$work/blocker"
unopenable="$work/blocker/pactum.db"

# The large library for the performance test.
big_count="${PACTUM_E2E_BIG_COUNT:-10000}"
# Seeding takes minutes in a debug build, so the seeded file is cached under target/e2e-data/,
# named after the count and a hash of what shapes it (templates, migrations, the seeder); each
# run works on a copy.
big="$work/big/pactum.db"
mkdir -p "$(dirname "$big")" "$target/e2e-data"
key="$(cat "$root"/templates/*.json "$root"/migrations/* "$root/examples/seed_library.rs" | sha256sum | cut -c1-12)"
cached="$target/e2e-data/library-$big_count-$key.db"
if [[ ! -f "$cached" ]]; then
  rm -f "$target"/e2e-data/library-"$big_count"-*.db
  started=$SECONDS
  "$seed" "$cached.partial" "$big_count"
  mv "$cached.partial" "$cached"
  echo "test-e2e: seeded $big_count agreements in $((SECONDS - started)) s (cached in $cached)"
fi
cp "$cached" "$big"

# The file the test hook answers every file dialog with.
mkdir -p "$work/dialog"
export PACTUM_TEST_DIALOG_PATH="$work/dialog/answer.json"

if [[ -e "/tmp/.X${display}-lock" ]]; then
  echo "test-e2e: display :$display is taken; set PACTUM_E2E_DISPLAY" >&2
  exit 1
fi
Xvfb ":$display" -screen 0 1280x800x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do [[ -e "/tmp/.X11-unix/X${display}" ]] && break; sleep 0.1; done
export DISPLAY=":$display"

"$root/.tools/bin/tauri-driver" --port "$port" --native-port "$native_port" >"$work/driver.log" 2>&1 &
driver_pid=$!
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

mkdir -p "$root/docs/screenshots"
status=0
(
  cd "$root/tests/e2e"
  PACTUM_APP="$app" \
  PACTUM_DRIVER_URL="http://127.0.0.1:$port/" \
  PACTUM_E2E_DB="$db" \
  PACTUM_E2E_TITLES="[\"$first_title\", \"$second_title\"]" \
  PACTUM_E2E_DAMAGED_DB="$damaged" \
  PACTUM_E2E_UNOPENABLE_DB="$unopenable" \
  PACTUM_SCREENSHOT="$root/docs/screenshots/library.png" \
  PACTUM_SCREENSHOTS="$root/docs/screenshots" \
  PACTUM_CLI="$cli" \
  PACTUM_E2E_WORK="$work" \
  PACTUM_E2E_BIG_DB="$big" \
  PACTUM_E2E_BIG_COUNT="$big_count" \
  PACTUM_E2E_BENCH_OUT="$target/e2e-figures.json" \
    npx --no-install mocha --timeout 120000 ${PACTUM_E2E_TESTS:-library.test.js journeys.test.js approval.test.js xss.test.js performance.test.js pdf.test.js}
) || status=$?

if [[ "$status" -ne 0 ]]; then
  echo "test-e2e: failed; tauri-driver said:" >&2
  tail -n 40 "$work/driver.log" >&2 || true
fi
exit "$status"
