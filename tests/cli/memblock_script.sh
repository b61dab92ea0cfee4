#!/usr/bin/env bash
# `ptsim memblock` runs a script and prints allocations, WARNs and the dump.
set -euo pipefail
ptsim="$1"
out=$(mktemp)
trap 'rm -f "$out"' EXIT

cat > "$out.in" <<'SCRIPT'
# a comment, then a blank line

add 0x100000 0x4000        # MEM_SIZE at 1 MiB
reserve 0x103ff0 0x10
alloc 0x10 0               # align 0 becomes SMP_CACHE_BYTES (32)
alloc_nid 0x100 0x100 MAX_NUMNODES
remove 0x0 0x1000
dump
alloc_range 0x100000 0x1000 0 ACCESSIBLE
SCRIPT
"$ptsim" memblock "$out.in" > "$out"
rm -f "$out.in"

expected='alloc -> 0x103fe0
warn: Usage of MAX_NUMNODES is deprecated. Use NUMA_NO_NODE instead
alloc -> 0x103e00
memory.cnt=1 total=0x4000
memory[0] base=0x100000 size=0x4000 flags=0x0 nid=16
reserved.cnt=2 total=0x120
reserved[0] base=0x103e00 size=0x100 flags=0x0 nid=16
reserved[1] base=0x103fe0 size=0x20 flags=0x0 nid=16
alloc -> 0x0
memory.cnt=1 total=0x4000
memory[0] base=0x100000 size=0x4000 flags=0x0 nid=16
reserved.cnt=2 total=0x120
reserved[0] base=0x103e00 size=0x100 flags=0x0 nid=16
reserved[1] base=0x103fe0 size=0x20 flags=0x0 nid=16'
if [ "$(cat "$out")" != "$expected" ]; then
  echo "unexpected output:"; diff <(echo "$expected") "$out" || true
  exit 1
fi

# Standard input, --smp-cache-bytes, and error return codes.
all=$(printf 'add 0x100000 0x4000\nalloc 0x10 0\n' | "$ptsim" memblock - --smp-cache-bytes 64)
got=$(head -1 <<< "$all")
[ "$got" = "alloc -> 0x103fc0" ] || { echo "smp-cache-bytes 64: got '$got'"; exit 1; }

full=$(for k in $(seq 0 128); do printf 'reserve %d 0x10\n' $((0x1000 + k * 0x100)); done |
  "$ptsim" memblock -)
echo "$full" | grep -qx 'error: reserve -> -12' || { echo "no -ENOMEM line"; echo "$full" | head; exit 1; }
echo "$full" | grep -qx 'reserved.cnt=128 total=0x800' || { echo "wrong count"; exit 1; }

# An arm (no LPAE) build: 32-bit phys_addr_t caps at 0xffffffff, no nids.
arm=$(printf 'add 0xfff00000 0x200000\nadd_node 0x1000 0x1000 3\n' |
  "$ptsim" memblock - --phys-addr-bits 32 --no-numa)
grep -qx 'memory\[1\] base=0xfff00000 size=0xfffff flags=0x0 nid=0' <<< "$arm" ||
  { echo "32-bit run: $arm"; exit 1; }
grep -qx 'memory\[0\] base=0x1000 size=0x1000 flags=0x0 nid=0' <<< "$arm" ||
  { echo "no-numa run: $arm"; exit 1; }

# --help says what configuration the runner models.
help=$("$ptsim" memblock --help)
for want in 'NUMA=1' 'MAX_NUMNODES 16' 'PAGE_SIZE 4096' '64-bit phys_addr_t' 'SMP_CACHE_BYTES 32'; do
  echo "$help" | grep -q -- "$want" || { echo "help lacks '$want'"; exit 1; }
done
echo ok
