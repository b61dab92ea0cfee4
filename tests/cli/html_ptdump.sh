#!/usr/bin/env bash
# ptsim ptdump --mem --html in a browser: a 4K-granule TTBR1 table built
# here, with a 2 MiB block and two pages, one of them mapping the tables.
ptsim=$1
source "$(dirname "$0")/html_lib.bash"

python3 - "$tmp/ram.bin" <<'PY'
import struct, sys
img = bytearray(16 * 4096)
def put(off, val): struct.pack_into("<Q", img, off, val)
put(0x0000, 0x40001003)          # L0[0] -> table 0x40001000
put(0x1000, 0x40002003)          # L1[0] -> table 0x40002000
put(0x2000, 0x00e0000080000401)  # L2[0]: 2M block at 0x80000000 (outside the image: I/O)
put(0x2008, 0x40003003)          # L2[1] -> table 0x40003000
put(0x3000, 0x0040000040000443)  # L3[0]: page 0x40000000, the tables themselves
put(0x3008, 0x0008000040001083)  # L3[1]: page 0x40001000, read-only
open(sys.argv[1], "wb").write(img)
PY
"$ptsim" ptdump --mem "$tmp/ram.bin@0x40000000" --reg TTBR1_EL1=0x40000000 --reg TCR_EL1=0x580100010 \
  --html "$tmp/ptdump.html" > "$tmp/ptdump.txt" || fail "ptdump exit $?"
grep -q '^---\[ Linear Mapping start \]---' "$tmp/ptdump.txt" || fail "--html changed the dump"
browse "$tmp/ptdump.html" ptdump-mem --tables --kind block --kind page \
  --region "Linear Mapping start" --region "TTBR1_EL1 range"
