#!/usr/bin/env bash
# ptsim machine --dtb reads a dtc-compiled board, and refuses malformed
# blobs with exit 3 and a message naming libfdt's reason and the offset.
set -uo pipefail
ptsim="$1"
src="${PTSIM_SOURCE_DIR:?}/tests/golden/machine"
source "$(dirname "$0")/machine_lib.bash"

refused() {  # refused FILE TEXT...: exit 3 and a message with each TEXT
  local file="$1"; shift
  "$ptsim" machine --dtb "$file" > "$tmp/out" 2> "$tmp/err"
  local rc=$?
  [ "$rc" -eq 3 ] || { echo "$file: exit $rc, want 3"; cat "$tmp/err"; exit 1; }
  [ ! -s "$tmp/out" ] || { echo "$file: printed a description of a bad blob"; exit 1; }
  want "$(cat "$tmp/err")" "$@"
}

dtc -q -I dts -O dtb -o "$tmp/board.dtb" "$src/two_cell_board.dts" || { echo "dtc failed"; exit 1; }
out=$("$ptsim" machine --dtb "$tmp/board.dtb") || { echo "reading the board failed"; exit 1; }
want "$out" "memory: 3 banks, 3584M" "0x880000000-0x8ffffffff (2G)" "initrd: 0x88000000-0x88800000 (64-bit cells)" \
  "kaslr-seed: 0x123456789abcdef0" "uart: /soc/serial@1c28000 0x41c28000-0x41c283ff (1K)" \
  'command line (/chosen bootargs): "console=ttyS0 mem=3G nokaslr"' "  mem: 3G"

# Truncated: header says more than the file holds.
head -c 200 "$tmp/board.dtb" > "$tmp/short.dtb"
refused "$tmp/short.dtb" "FDT_ERR_TRUNCATED at offset 0xc8" "ptsim: error: $tmp/short.dtb"

# Bad magic.
{ printf '\xde\xad\xbe\xef'; tail -c +5 "$tmp/board.dtb"; } > "$tmp/magic.dtb"
refused "$tmp/magic.dtb" "FDT_ERR_BADMAGIC at offset 0x0" "magic is 0xdeadbeef"

# Not a blob at all, and an empty file.
printf 'hello\n' > "$tmp/text.dtb"
refused "$tmp/text.dtb" "FDT_ERR_TRUNCATED at offset 0x6"
: > "$tmp/empty.dtb"
refused "$tmp/empty.dtb" "at offset 0x0"

# A missing file.
refused "$tmp/nonexistent.dtb" "cannot open device tree blob"
echo ok
