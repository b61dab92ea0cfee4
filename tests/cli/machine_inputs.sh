#!/usr/bin/env bash
# ptsim machine parses the kernel command line and kernel symbols, and
# refuses bad values with exit 3 naming the parameter or the file:line.
set -uo pipefail
ptsim="$1"
source "$(dirname "$0")/machine_lib.bash"

refused() {  # refused TEXT ARGS...: exit 3 with TEXT in the message
  local text="$1"; shift
  "$ptsim" machine "$@" > /dev/null 2> "$tmp/err"
  local rc=$?
  [ "$rc" -eq 3 ] || { echo "ptsim machine $*: exit $rc, want 3"; exit 1; }
  want "$(cat "$tmp/err")" "$text"
}

out=$("$ptsim" machine --cmdline 'console=ttyAMA0 mem=512M rodata=on nokaslr memblock=debug crashkernel=256M -- single') \
  || exit 1
want "$out" 'command line (--cmdline): "console=ttyAMA0' "  mem: 512M" "  rodata: on" "  nokaslr" \
  "  memblock=debug" "  crashkernel: 256M" "  other: console=ttyAMA0" "  for init: single"

refused "rodata=yes is not valid: Linux 6.1 takes full, on or off" --cmdline "rodata=yes"
refused "mem=12Q is not valid" --cmdline "mem=12Q"
refused "kpti=maybe is not valid" --cmdline "kpti=maybe"

printf 'ffff800008000000 T _text\nffff800008010000 T _stext\n' > "$tmp/kallsyms"
refused "lacks _etext, __start_rodata" --kernel-symbols "$tmp/kallsyms"
printf 'c0008000 T _text\nnot a symbol line\n' > "$tmp/System.map"
refused "$tmp/System.map:2: 'not a symbol line' is not a symbol line" --kernel-symbols "$tmp/System.map"
refused "cannot open kernel symbols file" --kernel-symbols "$tmp/none"

"$ptsim" machine --kernel-symbols "$tmp/System.map" --kernel-image seed-vexpress 2> /dev/null
[ $? -eq 2 ] || { echo "--kernel-symbols with --kernel-image: want exit 2"; exit 1; }
echo ok
