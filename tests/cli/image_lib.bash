# Shared by the tests that build memory images word by word (sourced; not a
# test itself): mmu_translate.sh, mmu_translate_armv7.sh.
# Usage: source "$(dirname "$0")/image_lib.bash" after setting ptsim.
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# put FILE OFFSET VALUE BYTES: a little-endian word into an image.
put() {
  local v=$3 bytes="" i
  for ((i = 0; i < $4; i++)); do
    bytes+=$(printf '\\x%02x' $(( (v >> (8 * i)) & 0xff )))
  done
  printf "$bytes" | dd of="$1" bs=1 seek=$(($2)) conv=notrunc status=none
}
fail() { echo "FAIL: $*" >&2; exit 1; }
expect() {  # expect NAME ACTUAL EXPECTED
  [ "$2" == "$3" ] || fail "$1: got
$2
expected
$3"
}
