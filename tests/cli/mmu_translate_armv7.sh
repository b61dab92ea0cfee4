#!/usr/bin/env bash
# ptsim translate --arch armv7 over raw memory images built here word by
# word: a short-descriptor table (a section, a page table with a small page,
# a section in a no-access domain, holes) and an LPAE table (a 2M block and
# a 4K page), checked field by field against the Arm ARM's encodings.
set -euo pipefail
ptsim=$1
source "$(dirname "$0")/image_lib.bash"

# Short-descriptor: the first-level table at 0x80000000 (TTBCR.N=0).
img="$tmp/short.bin"
dd if=/dev/zero of="$img" bs=4096 count=8 status=none
put "$img" 0x3000 0x6001140e 4  # VA 0xc0000000: section 0x60000000, S, TEX 001 C B (WB-WA), AP 001, domain 0
put "$img" 0x0004 0x80004001 4  # VA 0x00100000: page table at 0x80004000, domain 0
put "$img" 0x4004 0x7000107e 4  # VA 0x00101000: small page 0x70001000, AP 011, TEX 001 C B
put "$img" 0x0008 0x60200442 4  # VA 0x00200000: section 0x60200000, AP 001, domain 2
short=(--arch armv7 --mem "$img@0x80000000" --reg TTBR0=0x80000000 --reg DACR=0x5)

out=$("$ptsim" translate "${short[@]}" 0xc0012345)
expect "section" "$out" '{"schema":"ptsim.translate/1","va":"0xc0012345","access":"el1r","ok":true,"pa":"0x60012345","level":1,"size":1048576,"attrs":{"memtype":"Normal WB-WA OSH","domain":0,"domain_access":"client","tex":1,"c":true,"b":true,"s":true,"ap":1,"ng":false,"pxn":false,"xn":false,"el1":"rwx","el0":"---"},"par":"0x600122d4","walk":[{"level":1,"addr":"0x80003000","desc":"0x6001140e"}]}'

# PA 0x70001000 | NS | Inner 101 | Outer 01 (not shareable).
out=$("$ptsim" translate "${short[@]}" --access el0w 0x00101abc | grep -o '"pa":"[0-9a-fx]*","level":[0-9]\|"par":"[0-9a-fx]*"' | tr '\n' ' ')
expect "small page" "$out" '"pa":"0x70001abc","level":2 "par":"0x70001254" '

# Faults and their 32-bit PAR: F=1, FS[3:0] in [4:1], FS[4] in [5].
for case in "0x00200000 el1r domain 1 0x00000013" "0x00102000 el1r translation 2 0x0000000f" \
            "0x30000000 el1r translation 1 0x0000000b" "0xc0000000 el0w permission 1 0x0000001b"; do
  read -r va acc kind level par <<< "$case"
  out=$("$ptsim" translate "${short[@]}" --access "$acc" "$va" | grep -o '"fault":"[a-z_]*","level":[0-9],"par":"[0-9a-fx]*"')
  expect "fault at $va" "$out" "\"fault\":\"$kind\",\"level\":$level,\"par\":\"$par\""
done

# The domain as manager: AP is not checked.
out=$("$ptsim" translate "${short[@]}" --reg DACR=0x35 --access el0w 0x00200000 | grep -o '"ok":[a-z]*')
expect "manager domain" "$out" '"ok":true'

"$ptsim" translate --text "${short[@]}" --access el0w 0x00200000 | grep -q 'PAR 0x00000013  fault FS 0b01001 (domain, level 1)' \
  || fail "text form of a domain fault"

# ptdump from the same image, as arch/arm/mm/dump.c prints it (6.1 markers;
# dump.c walks first-level entries in pairs, so the lone section at
# 0x00200000 runs on through its empty neighbour).
out=$("$ptsim" ptdump --arch armv7 --mem "$img@0x80000000" --reg TTBR0=0x80000000 | sed -n '2p;4p')
expect "ptdump" "$out" '0x00200000-0x00400000           2M PGD IO          RW x     
0xc0000000-0xc0200000           2M PGD KERNEL      RW x  SHD'
# --json: the same lines, and the runs with their domains.
"$ptsim" ptdump --arch armv7 --mem "$img@0x80000000" --reg TTBR0=0x80000000 --json |
  python3 -c '
import json, sys
t = json.load(sys.stdin)["tables"]["TTBR0"]
assert t["root"] == "0x80000000", t["root"]
runs = {r["va_start"]: r for r in t["mappings"]}
assert runs["0x00200000"]["domain"] == "IO" and runs["0x00200000"]["level"] == "PGD", runs
assert runs["0xc0000000"]["attrs"] == ["RW", "x", "SHD"], runs["0xc0000000"]
assert any(l.startswith("0xc0000000-0xc0200000") for l in t["lines"])
' || fail "ptdump --arch armv7 --json"
msg=$("$ptsim" ptdump --arch armv7 --mem "$img@0x80000000" --reg TTBR0=0x80000000 --reg TTBCR=1 2>&1) \
  && fail "ptdump with TTBCR.N=1 accepted"
expect "ptdump N=1" "$msg" "ptsim: error: ptdump --arch armv7 walks TTBR0's table as the whole pgd: TTBCR 0x1 gives it N = 1 (Linux sets TTBCR.N = 0, or T0SZ = 0 with LPAE)"

# trace-replay: a section hit after its miss, a domain fault, the ARMv7 TLBIs.
printf '0xc0000000 el1r\n0xc0000004 el1r\n0x00200000 el1r\nasid 3\ntlbi tlbimvais 0xc0000000\n0xc0000008 el1w\ntlbi tlbiasid 3\ntlbi tlbiall\n' > "$tmp/t.trace"
out=$("$ptsim" trace-replay "${short[@]}" --trace "$tmp/t.trace" --json)
expect "trace-replay" "$out" '{"schema":"ptsim.trace-replay/1","tlb":{"entries":1024,"ways":4,"micro_entries":0,"walk_cache_entries":0,"walk_cache_ways":4},"accesses":4,"hits":1,"micro_hits":0,"main_hits":1,"misses":3,"walks":3,"descriptor_reads":3,"reads_per_walk":1.0,"walk_cache_hits":0,"dacr_writes":0,"asid_switches":1,"tlbis":3,"faults":{"translation":0,"access_flag":0,"domain":1,"permission":0,"address_size":0,"external_abort":0}}'

# A micro-TLB, a walk cache and DACR writes: the page table entry of MiB 1
# is cached by the first walk, so the walk of 0x00102000 reads one
# descriptor; domain 2 turns manager and back to no access, and the entry
# the TLB keeps for 0x00200000 follows DACR without any TLBI; TLBIMVA drops
# the page and its walk cache entry, so the last walk reads two again.
printf '%s\n' '0x00101000 el1r' '0x00101004 el1r' '0x00102000 el1r' '0x00200000 el1r' \
  'dacr 0x35' '0x00200000 el1w' 'dacr 0x5' '0x00200004 el1r' 'tlbi tlbimva 0x00101000' \
  '0x00101000 el1r' > "$tmp/caches.trace"
out=$("$ptsim" trace-replay "${short[@]}" --micro-tlb 8 --walk-cache 16 --trace "$tmp/caches.trace" --json)
expect "trace-replay caches" "$out" '{"schema":"ptsim.trace-replay/1","tlb":{"entries":1024,"ways":4,"micro_entries":8,"walk_cache_entries":16,"walk_cache_ways":4},"accesses":7,"hits":2,"micro_hits":2,"main_hits":0,"misses":5,"walks":5,"descriptor_reads":7,"reads_per_walk":1.4,"walk_cache_hits":1,"dacr_writes":2,"asid_switches":0,"tlbis":1,"faults":{"translation":1,"access_flag":0,"domain":2,"permission":0,"address_size":0,"external_abort":0}}'
# The text form: every count right-aligned in one column, the longest
# label ("external_abort faults") included.
out=$("$ptsim" trace-replay "${short[@]}" --micro-tlb 8 --walk-cache 16 --trace "$tmp/caches.trace")
tail -n +2 <<< "$out" | awk '{ if (substr($0, 24, 12) !~ /^ *[0-9]+$/) { print "misaligned: " $0; bad = 1 } } END { exit bad }' ||
  fail "trace-replay text columns"
grep -q '^DACR writes  *2$' <<< "$out" || fail "trace-replay text: $out"
msg=$(printf '0x00101000 el1r\ndacr 0x20\n' | "$ptsim" trace-replay "${short[@]}" --trace - 2>&1) && fail "reserved DACR accepted"
expect "trace DACR" "$msg" "ptsim: error: standard input: trace line 2: 'dacr 0x20': DACR.D2 = 0x2: reserved domain access encoding (00 no access, 01 client, 11 manager; Arm ARM B4.1.43)"
msg=$(printf 'asid 256\n' | "$ptsim" trace-replay "${short[@]}" --trace - 2>&1) && fail "9-bit ASID accepted"
expect "trace ASID" "$msg" "ptsim: error: standard input: trace line 1: 'asid 256': an ARMv7 ASID is a number of at most 8 bits"

# LPAE: TTBCR.EAE=1, T0SZ=0: a 4-entry first-level table at 0x80000000.
img="$tmp/lpae.bin"
dd if=/dev/zero of="$img" bs=4096 count=4 status=none
put "$img" 0x0000 0x80001003 8          # L1[0]: table at 0x80001000
put "$img" 0x1008 0x0040000090000741 8  # L2[1]: 2M block 0x90000000, AF, SH 11, AP 01, XN (bit 54)
put "$img" 0x1010 0x80002003 8          # L2[2]: table at 0x80002000
put "$img" 0x2008 0x00000000a0001783 8  # L3[1]: page 0xa0001000, AF, SH 11, AP 10 (PL1 read-only)
lpae=(--arch armv7 --mem "$img@0x80000000" --reg TTBCR=0x80000000 --reg TTBR0=0x80000000 --reg MAIR0=0x44ff)

out=$("$ptsim" translate "${lpae[@]}" --access el0w 0x00212345)
expect "LPAE block" "$out" '{"schema":"ptsim.translate/1","va":"0x212345","access":"el0w","ok":true,"pa":"0x90012345","level":2,"size":2097152,"attrs":{"memtype":"Normal WB-WA ISH","attr_indx":0,"mair":"0xff","sh":3,"ap":1,"af":true,"ng":false,"cont":false,"pxn":false,"xn":true,"ap_table":0,"pxn_table":false,"xn_table":false,"el1":"rw-","el0":"rw-"},"par":"0xff00000090012b80","walk":[{"level":1,"addr":"0x80000000","desc":"0x0000000080001003"},{"level":2,"addr":"0x80001008","desc":"0x0040000090000741"}]}'

out=$("$ptsim" translate "${lpae[@]}" --access el1w 0x00401000 | grep -o '"fault":"[a-z_]*","level":[0-9],"par":"[0-9a-fx]*"')
expect "LPAE permission fault" "$out" '"fault":"permission","level":3,"par":"0x000000000000081f"'
out=$("$ptsim" translate "${lpae[@]}" 0x00402000 | grep -o '"fault":"[a-z_]*","level":[0-9],"par":"[0-9a-fx]*"')
expect "LPAE translation fault" "$out" '"fault":"translation","level":3,"par":"0x000000000000080f"'

# Refusals: a VA beyond 32 bits, a reserved DACR encoding.
msg=$("$ptsim" translate "${short[@]}" 0x100000000 2>&1) && fail "64-bit VA accepted"
expect "64-bit VA" "$msg" "ptsim: error: virtual address 0x100000000 is beyond the 32-bit virtual address space of ARMv7"
msg=$("$ptsim" translate "${short[@]}" --reg DACR=0x2 0x0 2>&1) && fail "reserved DACR accepted"
expect "reserved DACR" "$msg" "ptsim: error: DACR.D0 = 0x2: reserved domain access encoding (00 no access, 01 client, 11 manager; Arm ARM B4.1.43)"
echo "ok"
