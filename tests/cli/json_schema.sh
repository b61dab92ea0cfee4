#!/usr/bin/env bash
# Every command's --json output names its schema and version (docs/json.md).
set -u
ptsim="$1"
fail() { echo "FAIL: $*"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

check() {  # check SCHEMA FILE: every JSON line of FILE has "schema": SCHEMA
  python3 - "$1" "$2" <<'PY' || fail "schema $1"
import json, sys
want, path = sys.argv[1], sys.argv[2]
text = open(path).read().strip()
docs = [json.loads(text)] if text.startswith("{\n") else [json.loads(l) for l in text.splitlines()]
assert docs, "no output"
for d in docs:
    assert d.get("schema") == want, (want, d.get("schema"))
PY
}

"$ptsim" boot --json > "$tmp/boot" || fail "boot"
check ptsim.boot.arm64/1 "$tmp/boot"
"$ptsim" boot --arch arm --json > "$tmp/arm" || fail "boot arm"
check ptsim.boot.arm/1 "$tmp/arm"
"$ptsim" geometry --json > "$tmp/geometry" || fail "geometry"
check ptsim.geometry/1 "$tmp/geometry"
"$ptsim" walk --json > "$tmp/walk" || fail "walk"
check ptsim.walk/1 "$tmp/walk"
"$ptsim" machine --machine virt --json > "$tmp/machine" || fail "machine"
check ptsim.machine/1 "$tmp/machine"
"$ptsim" diff "" "--page-size 16K" --json > "$tmp/diff" || fail "diff"
check ptsim.diff.arm64/1 "$tmp/diff"
"$ptsim" diff --arch arm "" "--lpae" --json > "$tmp/diff-arm" || fail "diff arm"
check ptsim.diff.arm/1 "$tmp/diff-arm"
"$ptsim" explain --arch arm --json > "$tmp/explain" || fail "explain"
check ptsim.explain.boot/1 "$tmp/explain"

# translate and trace-replay read memory: one 4K table at 0x40000000 whose
# entry 0 is a 1 GiB block of normal memory at 0 (TTBR0, T0SZ=25, 4K granule).
python3 - "$tmp/ram.bin" <<'PY'
import struct, sys
block = 0x0 | (1 << 10) | (3 << 8) | 0x1  # AF, inner shareable, AttrIndx 0, block
open(sys.argv[1], "wb").write(struct.pack("<Q", block) + bytes(4088))
PY
regs=(--mem "$tmp/ram.bin@0x40000000" --reg TTBR0_EL1=0x40000000 --reg TCR_EL1=0x80800019 --reg MAIR_EL1=0xff)
"$ptsim" translate "${regs[@]}" 0x1234 > "$tmp/translate" || fail "translate"
check ptsim.translate/1 "$tmp/translate"
printf '0x1234 el1r\n0x2000 el1w\n' > "$tmp/trace"
"$ptsim" trace-replay "${regs[@]}" --trace "$tmp/trace" --json > "$tmp/replay" || fail "trace-replay"
check ptsim.trace-replay/1 "$tmp/replay"
"$ptsim" ptdump "${regs[@]}" --ttbr0 --json > "$tmp/ptdump" || fail "ptdump"
check ptsim.ptdump/1 "$tmp/ptdump"
printf 'add 0x40000000 0x40000000\nreserve 0x40200000 0x1800000\nalloc 0x1000 0x1000\n' |
  "$ptsim" memblock - --json > "$tmp/memblock" || fail "memblock"
check ptsim.memblock/1 "$tmp/memblock"
python3 - "$tmp/memblock" <<'PY' || fail "memblock --json content"
import json, sys
j = json.load(open(sys.argv[1]))
assert j["output"][0] == "alloc -> 0x7ffff000", j["output"]
assert j["memory"] == [{"base": "0x40000000", "flags": 0, "nid": 16, "size": "0x40000000"}], j["memory"]
assert [r["base"] for r in j["reserved"]] == ["0x40200000", "0x7ffff000"], j["reserved"]
PY
echo ok
