#!/usr/bin/env bash
# Regenerates the ARMv7 AT golden files: the cases (gen_cases.py) and QEMU's
# PAR answers, from a bare-metal probe (at_probe.S) run at Non-secure PL1
# under qemu-system-arm -M virt,secure=on -cpu cortex-a15, then compares them with
# the Arm ARM reference (ref_walk.py).
# Needs the Debian packages qemu-system-arm and binutils-arm-linux-gnueabihf
# (not the test suite's dependencies: the tests read the stored files).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=$here/../../../tests/golden/mmu-armv7
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

python3 "$here/gen_cases.py" > "$out/cases.txt"
arm-linux-gnueabihf-as -march=armv7ve "$here/at_probe.S" -o "$tmp/probe.o"
arm-linux-gnueabihf-ld -Ttext=0x40000000 -e _start "$tmp/probe.o" -o "$tmp/probe.elf"
python3 - "$out/cases.txt" "$tmp" <<'PY'
import struct, sys
cases, tmp = sys.argv[1], sys.argv[2]
ops = {"ATS1CPR": 0, "ATS1CPW": 1, "ATS1CUR": 2, "ATS1CUW": 3}
mem, rows = {}, []
for line in open(cases):
    f = line.split()
    if not f or f[0].startswith('#'):
        continue
    if f[0] == 'mem':
        mem[int(f[1], 0)] = (int(f[2], 0), (len(f[2]) - 2) // 2)
    else:
        regs = [int(x, 0) for x in f[2:12]]
        rows.append(regs + [ops[f[12]], int(f[13], 0)])
base = 0x48000000
blob = bytearray(max(mem) + 8 - base)
for pa, (v, width) in mem.items():
    struct.pack_into('<Q' if width == 8 else '<I', blob, pa - base, v)
open(f'{tmp}/mem.bin', 'wb').write(blob)
with open(f'{tmp}/cases.bin', 'wb') as c:
    for t0, t1, ttbcr, dacr, sctlr, prrr, nmrr, mair0, mair1, cid, op, va in rows:
        c.write(struct.pack('<16I', t0 & 0xffffffff, t0 >> 32, t1 & 0xffffffff, t1 >> 32,
                            ttbcr, dacr, sctlr, prrr, nmrr, mair0, mair1, cid, op, va, 0, 0))
    c.write(struct.pack('<16I', *([0] * 12 + [0xffffffff, 0, 0, 0])))
PY
timeout 120 qemu-system-arm -M virt,secure=on -cpu cortex-a15 -m 1G -nographic -semihosting \
  -kernel "$tmp/probe.elf" \
  -device loader,file="$tmp/mem.bin",addr=0x48000000,force-raw=on \
  -device loader,file="$tmp/cases.bin",addr=0x47000000,force-raw=on > "$tmp/par.txt" || true
pars=$(tr -d '\r' < "$tmp/par.txt" | grep -E '^([0-9a-f]{8}|[0-9a-f]{16})$' || true)
answers=$(printf '%s\n' "$pars" | grep -c . || true)
cases=$(grep -c '^case' "$out/cases.txt")
if [ "$answers" != "$cases" ]; then
  echo "QEMU gave $answers answers for $cases cases:" >&2
  tail -5 "$tmp/par.txt" >&2
  exit 1
fi
{
  echo "# PAR from $(qemu-system-arm --version | head -1), -M virt,secure=on -cpu cortex-a15, Non-secure PL1"
  paste -d' ' <(grep '^case' "$out/cases.txt" | cut -d' ' -f2) <(printf '%s\n' "$pars" | sed 's/^/0x/')
} > "$out/qemu_par.txt"
echo "$(grep -c '^[0-9]' "$out/qemu_par.txt") answers in $out/qemu_par.txt"
python3 "$here/ref_walk.py" "$out" || true
