# The catalogue of refusals: one row per bad input, run through the ptsim
# binary.  Sourced by tests/cli/errors_catalogue.sh (which fails on a wrong
# exit code or message and on a stale docs/errors.md) and by
# scripts/gen-errors-md.sh (which writes docs/errors.md from the same rows).
#
#   errors_catalogue PTSIM SOURCE_DIR   prints the Markdown table on stdout;
#                                       returns 1 if a row's exit code or
#                                       message is not the expected one.

# Inputs the rows use, written into the current directory so that the
# messages name short relative paths.
errors_catalogue_inputs() {
  local src="$1"
  head -c 100 "$src/tests/golden/arm64/virt-2g/virt.dtb" > truncated.dtb
  cp "$src/tests/golden/machine/fuzz/dtb-version9-null-name.dtb" version9.dtb
  printf 'this text file is not a device tree blob, whatever its name says\n' > text.dtb
  printf 'ffff800008000000 T _text\nffff800008010000 T\n' > bad-line.map
  printf '0000000000000000 T _text\n0000000000000000 T _stext\n' > zeroed.kallsyms
  head -c 4096 /dev/zero > ram.bin
  printf '\177ELF\2\1\1\0' > short.core
  # An ELF64 core header whose program headers lie past the end of the file.
  python3 - <<'PY'
import struct
eh = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
eh += struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, 0x1000, 0, 0, 64, 56, 4, 0, 0, 0)
open("truncated.core", "wb").write(eh)
PY
  printf '0xffff000000001000 el1r\n0x1000 el2r\n' > bad.trace
  # QEMU virt with 256 TiB of RAM at 0x40000000 (--ram stops at 255 GiB).
  "$ptsim" machine --machine virt --write-dtb virt.dtb > /dev/null
  dtc -q -I dtb -O dts virt.dtb | sed 's/reg = <0x00 0x40000000 0x00 0x40000000>;/reg = <0x00 0x40000000 0x10000 0x00>;/' \
    | dtc -q -I dts -O dtb -o virt-256t.dtb
  : > empty.map
  # The real 4K kernel's System.map, without the subset's comment lines.
  grep -v '^#' "$src/tests/golden/arm64/System.map.subset" > debian-4k.map
  : > empty.bin
  # A 4 KiB level 0 table whose entry 0 points at the table itself.
  python3 -c 'import struct, sys; sys.stdout.buffer.write(struct.pack("<Q", 0x40000003) + bytes(4088))' > cyclic.bin
  # Fills memory.regions (128, and allow_resize) and reserved, then makes
  # the resize of memory.regions hit the one free gap: Linux BUG()s.
  {
    echo allow_resize
    for k in $(seq 1 128); do printf 'add 0x%x 0x4000\n' $((k * 0x10000)); done
    for k in $(seq 1 127); do printf 'reserve 0x%x 0x4000\n' $((k * 0x10000)); done
    printf 'reserve 0x800000 0x2000\nadd 0x900000 0x4000\n'
  } > resize-bug.mbt
}

# row EXIT_CODE 'MESSAGE PART' 'WHAT THE INPUT IS' ARGS... [< via ERRORS_STDIN]
errors_row() {
  local want_rc="$1" want_msg="$2" what="$3"
  shift 3
  local stderr rc
  stderr=$(printf '%b' "${ERRORS_STDIN:-}" | "$ptsim" "$@" 2>&1 >/dev/null)
  rc=$?
  stderr=$(head -1 <<< "$stderr")
  if [ "$rc" -ne "$want_rc" ]; then
    echo "row '$what': exit $rc, want $want_rc ($stderr)" >&2
    errors_failed=1
  fi
  if ! grep -qF -- "$want_msg" <<< "$stderr"; then
    echo "row '$what': message '$stderr' lacks '$want_msg'" >&2
    errors_failed=1
  fi
  local shown="ptsim $*"
  [ -n "${ERRORS_STDIN:-}" ] && shown="printf '${ERRORS_STDIN}' | $shown"
  printf '| %s | `%s` | %s | `%s` |\n' "$what" "$shown" "$rc" "${stderr//|/\\|}"
}

errors_catalogue() {
  local ptsim="$1" src="$2"
  errors_failed=0
  # 4K granule and 48-bit VAs in both ranges, 48-bit PA (T0SZ=T1SZ=16, TG1=4K, IPS=5).
  local tcr=0x580100010
  errors_catalogue_inputs "$src"
  cat <<'MD'
# Refused inputs

Every refusal below is a row of `scripts/errors-catalogue.bash`: the test
`tests/cli/errors_catalogue.sh` runs each input through `ptsim` and checks
the exit code and the message, and `scripts/gen-errors-md.sh` writes this
file from the same run (the test fails when this file is stale).

Exit codes (include/ptsim/error.h):

| code | meaning |
|------|---------|
| 0 | success |
| 2 | usage: the command line itself is wrong (unknown option or value, missing argument, a configuration Linux has no Kconfig for) |
| 3 | bad input: an input file or value breaks a rule (the message names the file, line or offset, the value and the rule) |
| 4 | Linux would BUG()/panic() here and the model cannot go on |
| 5 | internal: an invariant of ptsim itself failed (a bug in ptsim; please report it) |

Messages go to standard error, after `ptsim: error: ` (usage errors from the
option parser itself have no prefix).  A message names the input (file,
option or register), where in it (line, offset, address), the value and the
rule it breaks; where there is one clear fix it ends with `(fix: ...)`.
Exit code 5 has no row: no input should produce it (the fuzzers,
docs/fuzzing.md, look for one).  The input files named here are written by
`errors_catalogue_inputs` in the same script.

| input | command | exit | message |
|-------|---------|------|---------|
MD
  errors_row 3 "FDT_ERR_TRUNCATED" "DTB cut short (first 100 bytes of a 1 MiB blob)" \
    machine --dtb truncated.dtb
  errors_row 3 "FDT_ERR_BADMAGIC" "not a DTB (text file)" machine --dtb text.dtb
  errors_row 3 "FDT_ERR_BADVERSION" "DTB with header version 9 (found by the fuzzer)" \
    machine --dtb version9.dtb
  errors_row 3 "cannot open device tree blob" "missing DTB file" machine --dtb missing.dtb
  errors_row 3 "is not a symbol line" "System.map line without a name" \
    machine --machine virt --kernel-symbols bad-line.map
  errors_row 3 "every address is 0" "kallsyms read without privilege (every address 0)" \
    machine --machine virt --kernel-symbols zeroed.kallsyms
  ERRORS_STDIN='add 0x1000\n' errors_row 3 "expected 'add BASE SIZE'" \
    "memblock script line with a missing argument" memblock -
  ERRORS_STDIN='frobnicate 1 2\n' errors_row 3 "unknown operation 'frobnicate'" \
    "memblock script line with an unknown operation" memblock -
  errors_row 4 "BUG: memblock_reserve(addr, new_alloc_size)" \
    "memblock script whose array resize Linux would BUG() on" memblock resize-bug.mbt
  errors_row 3 "is not a number" "kernel command line mem=abc" \
    machine --machine virt --cmdline mem=abc
  errors_row 2 "has no configuration with 4K pages and VA_BITS=50" "impossible geometry" \
    geometry --page-size 4K --va-bits 50
  errors_row 2 "not in {arm64,arm}" "unknown --arch" geometry --arch x86
  errors_row 2 "gives no physical address (fix: give FILE@PA" "walk --mem without @PA" walk --mem ram.bin --root 0x40000000 0x0
  errors_row 3 "cannot open memory image" "missing memory image" \
    translate --mem missing.bin@0x40000000 --reg TCR_EL1=$tcr 0x0
  errors_row 3 "not an ELF core" "raw image given without @PA" translate --mem ram.bin --reg TCR_EL1=$tcr 0x0
  errors_row 3 "shorter than an ELF64 header" "ELF core cut inside its header" \
    translate --mem short.core --reg TCR_EL1=$tcr 0x0
  errors_row 3 "do not fit in the file" "ELF core whose program headers are past its end" \
    translate --mem truncated.core --reg TCR_EL1=$tcr 0x0
  errors_row 3 "TCR_EL1" "TCR_EL1 with a RES0 bit set (bit 63)" \
    translate --mem ram.bin@0x40000000 --reg TCR_EL1=0x8000000000000000 0x0
  errors_row 3 "beyond the 32-bit virtual address space" "ARMv7 VA above 4 GiB" \
    translate --arch armv7 --mem ram.bin@0x80000000 --reg TTBR0=0x80000000 0x100000000
  errors_row 3 "reserved domain access encoding" "ARMv7 DACR with the reserved encoding 0b10" \
    translate --arch armv7 --mem ram.bin@0x80000000 --reg DACR=0x20 0x0
  errors_row 3 "TTBCR.RES0" "ARMv7 TTBCR with a RES0 bit set (short-descriptor, bit 3)" \
    translate --arch armv7 --mem ram.bin@0x80000000 --reg TTBCR=0x8 0x0
  errors_row 3 "UNPREDICTABLE memory attribute" "ARMv7 MAIR0 attribute reserved in LPAE" \
    translate --arch armv7 --mem ram.bin@0x80000000 --reg TTBCR=0x80000000 --reg MAIR0=0x8 0x0
  errors_row 3 "walks TTBR0's table as the whole pgd" "arm ptdump with TTBCR.N other than 0" \
    ptdump --arch armv7 --mem ram.bin@0x80000000 --reg TTBCR=0x2
  errors_row 3 "expected 'VA ACCESS'" "trace line with an unknown access kind" \
    trace-replay --mem ram.bin@0x40000000 --reg TCR_EL1=$tcr --trace bad.trace
  errors_row 3 "cannot open trace" "missing trace file" \
    trace-replay --mem ram.bin@0x40000000 --reg TCR_EL1=$tcr --trace missing.trace
  errors_row 3 "no symbols" "empty System.map" machine --machine virt --kernel-symbols empty.map
  errors_row 3 "init_idmap_pg_dir..init_idmap_pg_end is 0x5000 bytes but head.S needs 0x30000" \
    "4K kernel's System.map booted with 64K pages (page-table areas too small)" \
    boot --page-size 64K --kernel-symbols debian-4k.map
  errors_row 3 "is not a number (fix: give it in hex" "--mem physical address written as a size" \
    walk --mem ram.bin@1G --root 0x40000000 0x0
  errors_row 3 "is empty" "empty memory image" walk --mem empty.bin@0x40000000 --root 0x40000000 0x0
  errors_row 2 "--mem needs --root" "walk --mem without --root" walk --mem ram.bin@0x40000000 0x0
  errors_row 3 "is not NAME=VALUE" "register setting without =" \
    translate --mem ram.bin@0x40000000 --reg TCR_EL1 0x0
  errors_row 3 "is not one translation uses" "unknown register" \
    translate --mem ram.bin@0x40000000 --reg TCR=$tcr 0x0
  errors_row 3 "cyclic tables" "table entry pointing at its own table (ptdump)" \
    ptdump --mem cyclic.bin@0x40000000 --reg TTBR1_EL1=0x40000000 --reg TCR_EL1=$tcr
  errors_row 2 "must be ADDR=NAME" "ptdump --marker without =" \
    ptdump --mem ram.bin@0x40000000 --reg TCR_EL1=$tcr --marker Kernel
  errors_row 2 "--ram resizes a built-in machine" "--ram with a DTB" boot --dtb version9.dtb --ram 2G
  errors_row 2 "is not one ptsim models" "unknown --kconfig option" boot --kconfig KASAN=y
  errors_row 3 "is not aligned to the 4096-byte page" "load address not page aligned" \
    boot --load-address 0x40200800
  errors_row 3 "is not inside the machine's RAM" "load address outside RAM" boot --load-address 0x80000000
  errors_row 3 "table memory limit" "machine too large: DTB with 256 TiB, 64K pages, 52-bit VA, rodata=full" \
    boot --dtb virt-256t.dtb --page-size 64K --va-bits 52
  errors_row 3 "table memory limit" "machine too large for a lowered limit: 4 GiB, 4K pages" \
    boot --ram 4G --max-table-memory 4M
  errors_row 2 "contradict each other" "arm --smp with --up" boot --arch arm --smp --up
  return $errors_failed
}
