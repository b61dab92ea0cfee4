# Shared by the html_*.sh tests (sourced; not a test itself): pages written
# with --html must be self-contained and work in a real browser, headless
# Chromium driven by html_browser.py.  Screenshots and the pages are kept
# under the build directory, in test-artifacts/html-map.
# Usage: source "$(dirname "$0")/html_lib.bash" after setting ptsim.
set -euo pipefail
html_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
artifacts="$(cd "$(dirname "$ptsim")" && pwd)/test-artifacts/html-map"
mkdir -p "$artifacts"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# A page must carry everything itself: no address of anything outside.
self_contained() {
  [ -s "$1" ] || fail "$1 is empty"
  if grep -Eqi 'https?://|<script[^>]+src=|<link[^>]+href=|@import' "$1"; then
    fail "$1 refers to something outside itself: $(grep -Eoi 'https?://[^"<> ]*|<script[^>]+src=[^>]*|<link[^>]*|@import[^;]*' "$1" | head -3)"
  fi
}

# browse PAGE NAME ARGS...: html_browser.py's checks (ARGS are its options),
# and the screenshot NAME.png.
browse() {
  local page=$1 name=$2
  shift 2
  self_contained "$page"
  timeout 180 python3 "$html_here/html_browser.py" "$page" --screenshot "$artifacts/$name.png" "$@" ||
    fail "$name: the page does not work in the browser"
  cp "$page" "$artifacts/$name.html"
}
