#!/usr/bin/env bash
# Builds the real desktop app (production front end over Tauri's custom protocol; a plain
# `cargo build` would make a dev binary that waits for a Vite server) and starts it.
# Arguments go to the app: `scripts/start-app.sh --db /path/to/pactum.db`. Without --db the
# app uses $PACTUM_DB or ~/.local/share/pactum/pactum.db.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$root/scripts/install-deps.sh" >/dev/null
(cd "$root" && ui/node_modules/.bin/tauri build --debug --no-bundle)
exec "${CARGO_TARGET_DIR:-$root/target}/debug/pactum-desktop" "$@"
