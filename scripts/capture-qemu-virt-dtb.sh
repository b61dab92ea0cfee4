#!/usr/bin/env bash
# Captures the device trees QEMU generates for -M virt (arm64 and arm) as
# .dts golden files for the machine tests: the built-in `virt` presets must
# read the same as these.  Needs qemu-system-arm (Debian package
# qemu-system-arm, which provides both binaries) and device-tree-compiler.
# QEMU fills kaslr-seed and rng-seed with fresh random values each run.
set -euo pipefail
out="$(dirname "$0")/../tests/golden/machine"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

capture() {  # capture NAME QEMU ARGS...
  local name="$1"; shift
  "$@" -nographic -machine "dumpdtb=$tmp/$name.dtb" > /dev/null 2>&1 || true
  {
    echo "// $("$1" --version | head -1)"
    echo "// $*"
    dtc -q -I dtb -O dts "$tmp/$name.dtb"
  } > "$out/$name.dts"
  echo "wrote $out/$name.dts"
}

capture qemu-virt-arm64-1g qemu-system-aarch64 -M virt -cpu cortex-a57 -m 1G
capture qemu-virt-arm64-5g qemu-system-aarch64 -M virt -cpu cortex-a57 -m 5G
capture qemu-virt-arm-1g qemu-system-arm -M virt -m 1G
