#!/usr/bin/env bash
# ptsim translate, ptdump and trace-replay over a raw memory image built here
# word by word: a 48-bit, 4K-granule TTBR1 table with a 2M block, two pages
# and holes.
set -euo pipefail
ptsim=$1
source "$(dirname "$0")/image_lib.bash"

dd if=/dev/zero of="$tmp/ram.bin" bs=4096 count=16 status=none
put "$tmp/ram.bin" 0x0000 0x40001003 8          # L0[0]: table at 0x40001000
put "$tmp/ram.bin" 0x1000 0x40002003 8          # L1[0]: table at 0x40002000
put "$tmp/ram.bin" 0x2000 0x00e0000080000401 8  # L2[0]: 2M block at 0x80000000, AF, PXN, UXN
put "$tmp/ram.bin" 0x2008 0x40003003 8          # L2[1]: table at 0x40003000
put "$tmp/ram.bin" 0x3000 0x0040000050000443 8  # L3[0]: page 0x50000000, AF, AP=01 (EL0 RW), UXN
put "$tmp/ram.bin" 0x3008 0x0008000050001083 8  # L3[1]: page 0x50001000, AF=0, AP=10 (read-only), DBM
TCR=0x580100010                # T0SZ=T1SZ=16, TG1 4K, IPS 48 bits
HA=$((TCR | (1 << 39) | (1 << 40)))
common=(--mem "$tmp/ram.bin@0x40000000" --reg TTBR1_EL1=0x40000000 --reg TCR_EL1=$TCR --reg MAIR_EL1=0x44ff)

out=$("$ptsim" translate "${common[@]}" 0xffff000000001234)
expect "block" "$out" '{"schema":"ptsim.translate/1","va":"0xffff000000001234","access":"el1r","ok":true,"pa":"0x80001234","level":2,"size":2097152,"attrs":{"attr_indx":0,"mair":"0xff","memtype":"Normal WB-RWA","sh":0,"ap":0,"af":true,"ng":false,"dbm":false,"cont":false,"pxn":true,"uxn":true,"el1":"rw-","el0":"---"},"par":"0xff00000080001a00","walk":[{"level":0,"addr":"0x40000000","desc":"0x0000000040001003"},{"level":1,"addr":"0x40001000","desc":"0x0000000040002003"},{"level":2,"addr":"0x40002000","desc":"0x00e0000080000401"}]}'

# Faults: access flag (AF=0, TCR.HA=0), permission (EL0 on an EL1-only
# block), translation out of range (level 0) and at level 2.
out=$("$ptsim" translate "${common[@]}" 0xffff000000201000 | grep -o '"ok":false,"fault":"[a-z_]*","level":[0-9],"par":"[0-9a-fx]*"')
expect "access flag" "$out" '"ok":false,"fault":"access_flag","level":3,"par":"0x0000000000000817"'
out=$("$ptsim" translate "${common[@]}" --access el0r 0xffff000000000000 | grep -o '"fault":"[a-z_]*","level":[0-9],"par":"[0-9a-fx]*"')
expect "permission" "$out" '"fault":"permission","level":2,"par":"0x000000000000081d"'
out=$("$ptsim" translate "${common[@]}" 0xff00000000000000 | grep -o '"fault":"[a-z_]*","level":[0-9]')
expect "out of range" "$out" '"fault":"translation","level":0'
out=$("$ptsim" translate "${common[@]}" 0xffff000000400000 | grep -o '"fault":"[a-z_]*","level":[0-9]')
expect "invalid L2" "$out" '"fault":"translation","level":2'

# With HA and HD the MMU sets AF and, on a write, clears AP[2] of the DBM
# page: the second translation of the same run sees the updated descriptor.
out=$("$ptsim" translate "${common[@]}" --reg TCR_EL1=$HA --access el1w 0xffff000000201008 0xffff000000201008 \
  | grep -o '"ap":[0-9],"af":[a-z]*\|"af_set":true\|"dirty_set":true\|"desc":"0x[0-9a-f]*"}\]' | tr '\n' ' ')
expect "hardware updates" "$out" '"ap":0,"af":true "af_set":true "dirty_set":true "desc":"0x0008000050001083"}] "ap":0,"af":true "desc":"0x0008000050001403"}] '

# PAN: an EL1 read of EL0-accessible memory faults, and the PAR is S1E1RP's.
out=$("$ptsim" translate "${common[@]}" --reg PAN=1 0xffff000000200000 | grep -o '"fault":"[a-z_]*","level":[0-9],"par":"[0-9a-fx]*"')
expect "PAN" "$out" '"fault":"permission","level":3,"par":"0x000000000000081f"'

# The text form names the range and the PAR.
"$ptsim" translate --text "${common[@]}" 0xffff000000200010 | grep -q 'PAR_EL1 0xff00000050000a00  PA 0x50000000 ATTR 0xff SH 0 NS' \
  || fail "text output"

# ptdump: Linux's format, runs merged, holes at their level.
out=$("$ptsim" ptdump "${common[@]}")
expect "ptdump" "$out" '---[ Linear Mapping start ]---
0xffff000000000000-0xffff000000200000           2M PMD       RW NX     AF        BLK UXN    MEM/NORMAL
0xffff000000200000-0xffff000000201000           4K PTE   USR RW x      AF            UXN    MEM/NORMAL
0xffff000000201000-0xffff000000202000           4K PTE       ro x                           MEM/NORMAL
0xffff000000202000-0xffff000000400000        2040K PTE
0xffff000000400000-0xffff000040000000        1020M PMD
0xffff000040000000-0xffff008000000000         511G PUD
0xffff008000000000-0xffff800000000000      130560G PGD
---[ Linear Mapping end ]---
0xffff800000000000-0x0000000000000000         128T PGD'

# trace-replay: hits, misses, walks and faults counted.
cat > "$tmp/trace" <<'TRACE'
# two accesses to the block, one to a page, a fault, then a TLBI
0xffff000000001000 el1r
0xffff000000001008 el1w
0xffff000000200000 el0r
0xffff000000400000 el1r
tlbi vmalle1
0xffff000000001000 el1r
asid 3
tlbi vae1 0xffff000000001000 3
TRACE
out=$("$ptsim" trace-replay "${common[@]}" --trace "$tmp/trace" --json)
expect "replay" "$out" '{"schema":"ptsim.trace-replay/1","tlb":{"entries":1024,"ways":4,"micro_entries":0,"walk_cache_entries":0,"walk_cache_ways":4},"accesses":5,"hits":1,"micro_hits":0,"main_hits":1,"misses":4,"walks":4,"descriptor_reads":13,"reads_per_walk":3.25,"walk_cache_hits":0,"af_updates":0,"dirty_updates":0,"asid_switches":1,"tlbis":2,"faults":{"translation":1,"access_flag":0,"permission":0,"address_size":0,"external_abort":0}}'

# Bad input is a clear error with exit code 3, never a crash.
set +e
msg=$("$ptsim" translate "${common[@]}" --reg TCR_EL1=0x800000000 0x0 2>&1); rc=$?
[ $rc -eq 3 ] && [[ "$msg" == *"TCR_EL1.RES0 = 0x800000000"* ]] || fail "RES0 bit: rc=$rc $msg"
msg=$("$ptsim" translate --mem "$tmp/ram.bin" --reg TCR_EL1=$TCR 0x0 2>&1); rc=$?
[ $rc -eq 3 ] && [[ "$msg" == *"not an ELF core"* ]] || fail "raw without @PA: rc=$rc $msg"
head -c 100 /dev/urandom > "$tmp/junk"; printf '\177ELF' | dd of="$tmp/junk" conv=notrunc status=none
msg=$("$ptsim" translate --mem "$tmp/junk" --reg TCR_EL1=$TCR 0x0 2>&1); rc=$?
[ $rc -eq 3 ] || fail "malformed ELF: rc=$rc $msg"
printf '0xffff000000001000 el2r\n' > "$tmp/bad-trace"
msg=$("$ptsim" trace-replay "${common[@]}" --trace "$tmp/bad-trace" 2>&1); rc=$?
[ $rc -eq 3 ] && [[ "$msg" == *"trace line 1"* ]] || fail "bad trace: rc=$rc $msg"
msg=$("$ptsim" translate "${common[@]}" --access el2r 0x0 2>&1); rc=$?
[ $rc -eq 2 ] || fail "bad access: rc=$rc $msg"
set -e
echo ok
