#!/usr/bin/env bash
# ptsim machine shows the built-in machines as their device trees give them,
# and writes each as a DTB that reads back the same.
set -uo pipefail
ptsim="$1"
source "$(dirname "$0")/machine_lib.bash"

out=$("$ptsim" machine) || { echo "ptsim machine failed"; exit 1; }
want "$out" "machine: preset virt" "kernel image debian-6.1-arm64, loaded at 0x40200000" "0x40000000-0x7fffffff (1G)  /memory@40000000" \
  "uart: /pl011@9000000 0x09000000-0x09000fff (4K)"

out=$("$ptsim" machine --machine vexpress-a9) || exit 1
want "$out" "0x60000000-0x9fffffff (1G)  /memory@60000000" "vram@4c000000: 0x4c000000-0x4c7fffff (8M) no-map"

out=$("$ptsim" machine --machine rpi2 --ram 512M) || exit 1
want "$out" "PAGE_OFFSET 0x80000000" "0x00000000-0x1fffffff (512M)  /memory@0" "linux,cma: dynamic, size 64M reusable" \
  "uart: /soc/serial@7e201000 0x3f201000"

out=$("$ptsim" machine --list) || exit 1
want "$out" "machine virt-arm" "kernel-image debian-6.1-armmp"

for m in virt virt-arm vexpress-a9 rpi2; do
  "$ptsim" machine --machine "$m" --write-dtb "$tmp/$m.dtb" > "$tmp/$m.txt" || { echo "$m: write failed"; exit 1; }
  "$ptsim" machine --dtb "$tmp/$m.dtb" > "$tmp/$m.back.txt" || { echo "$m: read back failed"; exit 1; }
  # Alike but for the source line and the preset's board line.
  if ! diff <(grep -v '^machine:\|^board:' "$tmp/$m.txt") <(grep -v '^machine:' "$tmp/$m.back.txt"); then
    echo "$m: the written DTB reads back differently"; exit 1
  fi
done

out=$("$ptsim" machine --machine virt --json) || exit 1
want "$out" '"base": "0x40000000"' '"size": 1073741824' '"stdout_path": "/pl011@9000000"'

# Built-in kernel image layouts.
out=$("$ptsim" machine --machine vexpress-a9 --kernel-image seed-vexpress) || exit 1
want "$out" "kernel image (preset seed-vexpress):" "_stext             0xc0008280" "__init_end         0xc10d8000"

"$ptsim" machine --machine nosuch 2> "$tmp/err"
[ $? -eq 3 ] || { echo "unknown machine: want exit 3"; exit 1; }
want "$(cat "$tmp/err")" "no built-in machine 'nosuch' (known: virt, virt-arm, vexpress-a9, rpi2)"

"$ptsim" machine --machine vexpress-a9 --ram 2G 2> "$tmp/err"
[ $? -eq 3 ] || { echo "too much RAM: want exit 3"; exit 1; }
want "$(cat "$tmp/err")" "up to 1024 MiB"

"$ptsim" machine --machine virt --dtb "$tmp/virt.dtb" 2> /dev/null
[ $? -eq 2 ] || { echo "--machine with --dtb: want exit 2"; exit 1; }
echo ok
