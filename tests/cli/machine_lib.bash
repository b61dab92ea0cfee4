# Shared by the machine_*.sh tests (sourced; not a test itself).
# Usage: source "$(dirname "$0")/machine_lib.bash" after setting ptsim.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

want() {  # want OUTPUT TEXT...: OUTPUT contains every TEXT
  local out="$1"; shift
  for text in "$@"; do
    grep -qF -- "$text" <<< "$out" || { echo "output lacks '$text':"; echo "$out"; exit 1; }
  done
}
