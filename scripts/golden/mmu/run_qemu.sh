#!/usr/bin/env bash
# Regenerates the AT golden files: the cases (gen_cases.py) and QEMU's
# PAR_EL1 answers, from a bare-metal probe (at_probe.S) run at EL2 under
# qemu-system-aarch64 -M virt,virtualization=on -cpu max.
# Needs the Debian packages qemu-system-arm and binutils-aarch64-linux-gnu.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../../tests/golden/mmu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 "$here/gen_cases.py" > "$out/cases.txt"
aarch64-linux-gnu-as "$here/at_probe.S" -o "$tmp/probe.o"
aarch64-linux-gnu-ld -Ttext=0x40000000 -e _start "$tmp/probe.o" -o "$tmp/probe.elf"
python3 - "$out/cases.txt" "$tmp" <<'PY'
import struct, sys
cases, tmp = sys.argv[1], sys.argv[2]
mem, rows = {}, []
for line in open(cases):
    f = line.split()
    if not f or f[0].startswith('#'):
        continue
    if f[0] == 'mem':
        mem[int(f[1], 0)] = int(f[2], 0)
    else:
        rows.append([int(x, 0) for x in f[2:]])
base = 0x48000000
blob = bytearray(max(mem) + 8 - base)
for pa, v in mem.items():
    struct.pack_into('<Q', blob, pa - base, v)
open(f'{tmp}/mem.bin', 'wb').write(blob)
with open(f'{tmp}/cases.bin', 'wb') as c:
    for ttbr0, ttbr1, tcr, mair, sctlr, op, va in rows:
        c.write(struct.pack('<7Q', ttbr0, ttbr1, tcr, mair, sctlr, va, op))
    c.write(struct.pack('<7Q', 0, 0, 0, 0, 0, 0, 2**64 - 1))
PY
timeout 60 qemu-system-aarch64 -M virt,virtualization=on -cpu max -m 1G -nographic -semihosting \
  -kernel "$tmp/probe.elf" \
  -device loader,file="$tmp/mem.bin",addr=0x48000000,force-raw=on \
  -device loader,file="$tmp/cases.bin",addr=0x47000000,force-raw=on > "$tmp/par.txt" || true
answers=$(tr -d '\r' < "$tmp/par.txt" | grep -cE '^[0-9a-f]{16}$' || true)
cases=$(grep -c '^case' "$out/cases.txt")
if [ "$answers" != "$cases" ]; then
  echo "QEMU gave $answers answers for $cases cases:" >&2
  cat "$tmp/par.txt" >&2
  exit 1
fi
{
  echo "# PAR_EL1 from $(qemu-system-aarch64 --version | head -1), -M virt,virtualization=on -cpu max"
  paste -d' ' <(grep '^case' "$out/cases.txt" | cut -d' ' -f2) <(tr -d '\r' < "$tmp/par.txt" | grep -E '^[0-9a-f]{16}$' | sed 's/^/0x/')
} > "$out/qemu_par.txt"
echo "$(grep -c '^[0-9]' "$out/qemu_par.txt") answers in $out/qemu_par.txt"
