#!/usr/bin/env bash
# Where Linux would BUG(), `ptsim memblock` prints the BUG line and the state,
# stops the script and exits 4.
set -uo pipefail
ptsim="$1"

script() {
  echo allow_resize
  for k in $(seq 1 128); do printf 'add 0x%x 0x4000\n' $((k * 0x10000)); done
  for k in $(seq 1 127); do printf 'reserve 0x%x 0x4000\n' $((k * 0x10000)); done
  echo 'reserve 0x800000 0x2000'
  echo 'add 0x900000 0x4000'
  echo 'alloc 0x10 0x10'
}
out=$(script | "$ptsim" memblock - 2> /dev/null)
rc=$?
[ "$rc" -eq 4 ] || { echo "exit $rc, want 4"; exit 1; }
grep -qx 'BUG: memblock_reserve(addr, new_alloc_size)' <<< "$out" || { echo "no BUG line"; exit 1; }
grep -qx 'memory.cnt=128 total=0x200000' <<< "$out" || { echo "no dump"; exit 1; }
[ "$(grep -c '^memory.cnt=' <<< "$out")" -eq 1 ] || { echo "state dumped more than once"; exit 1; }
! grep -q '^alloc ->' <<< "$out" || { echo "the script went on after BUG"; exit 1; }
echo ok
