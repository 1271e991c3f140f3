#!/usr/bin/env bash
# Regenerates every icon size the Tauri bundler needs from icons/pactum.svg (the one source
# of the icon), with the Tauri CLI from ui/node_modules. Works offline. Pactum is a desktop
# app, so the Android and iOS sets the CLI also writes are dropped.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root/ui"
npx --no-install tauri icon ../icons/pactum.svg -o ../icons
rm -rf ../icons/android ../icons/ios
