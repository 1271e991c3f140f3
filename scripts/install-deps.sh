#!/usr/bin/env bash
# Installs what building and testing Pactum's desktop app needs, on Debian 12 or Ubuntu, as
# root or through sudo. Idempotent: each step runs only when its result is missing or stale,
# so a second run only checks.
#   - system packages (apt): compilers, WebKitGTK, Xvfb and WebKitWebDriver for headless
#     end-to-end tests, fonts, ImageMagick, PDF tools; Node.js and npm when `node` is missing
#   - npm packages of ui/ and tests/e2e/ (npm ci, falling back to npm install)
#   - tauri-driver into .tools/bin (cargo install)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

apt_packages=(
  build-essential pkg-config file libwebkit2gtk-4.1-dev
  xvfb xauth webkit2gtk-driver fonts-dejavu-core imagemagick poppler-utils qpdf
)
command -v node >/dev/null 2>&1 || apt_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_packages+=(npm)
# tests/e2e/close-window.py sends the window manager's close request (ctypes + libX11).
command -v python3 >/dev/null 2>&1 || apt_packages+=(python3)

missing=()
for package in "${apt_packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} > 0)); then
  if [[ "$(id -u)" -eq 0 ]]; then
    as_root=()
  elif command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "install-deps: missing ${missing[*]}; run this script as root or install sudo" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  "${as_root[@]}" apt-get update
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
else
  echo "install-deps: system packages present"
fi

# Vite 7 needs Node.js 20.19 or newer; older distributions ship an older one.
if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)'; then
  echo "install-deps: Node.js $(node --version) is too old: the UI build needs 20.19 or newer" >&2
  exit 1
fi

# npm ci when node_modules is missing or older than the manifest or lockfile. `npm ci` can
# reject the lockfile where the registry lacks the other platforms' optional @tauri-apps/cli
# packages; `npm install` then resolves for this platform.
npm_install() {
  local dir="$1"
  local stamp="$dir/node_modules/.package-lock.json"
  if [[ -f "$stamp" && ! "$dir/package.json" -nt "$stamp" && ! "$dir/package-lock.json" -nt "$stamp" ]]; then
    echo "install-deps: ${dir#"$root"/}/node_modules is up to date"
    return
  fi
  echo "install-deps: installing npm packages in ${dir#"$root"/}"
  (cd "$dir" && { npm ci --no-audit --no-fund || npm install --no-audit --no-fund; })
}
npm_install "$root/ui"
npm_install "$root/tests/e2e"

if [[ -x "$root/.tools/bin/tauri-driver" ]]; then
  echo "install-deps: tauri-driver present"
else
  if ! command -v cargo >/dev/null 2>&1; then
    echo "install-deps: cargo is missing; install Rust (rustup) first" >&2
    exit 1
  fi
  echo "install-deps: installing tauri-driver into .tools"
  cargo install tauri-driver --version '^2' --locked --root "$root/.tools"
fi
