#!/usr/bin/env python3
"""Writes the binary seeds of tests/fuzz/corpus that are made, not copied:
register sets with small translation tables for walk_fuzz, an ELF core for
elf_core_fuzz, a table page plus trace for trace_fuzz and table memory plus
an ARMv7 trace for trace_armv7_fuzz.  Run from the
repository root; the output is committed, so this only documents and
regenerates it."""
import os
import struct

BASE = 0x40000000
C = "tests/fuzz/corpus"


def tcr(tg0, tg1, t0sz, t1sz, ips=5):
    return t0sz | (tg0 << 14) | (t1sz << 16) | (tg1 << 30) | (ips << 32)


def walk_seed(name, tcr_value, ttbr_offset, tables):
    """tables: {offset: [(index, descriptor)]} in a RAM image at BASE."""
    size = max(o + 8 * (i + 1) for o, es in tables.items() for i, _ in es)
    mem = bytearray(size)
    for off, entries in tables.items():
        for i, d in entries:
            struct.pack_into("<Q", mem, off + 8 * i, d)
    head = struct.pack("<6Q", tcr_value, ttbr_offset, ttbr_offset, 0x000000000044ff04, 1,
                       0xffff000000201000)
    open(f"{C}/walk/{name}", "wb").write(head + bytes(mem))


TABLE, BLOCK_AF, PAGE_AF = 0x3, 0x401, 0x403
# 4K, 48-bit: L0 -> L1 -> L2 block and L2 -> L3 page.
walk_seed("4k-48", tcr(0, 2, 16, 16), 0,
          {0: [(0, BASE + 0x1000 | TABLE), (256, BASE + 0x1000 | TABLE)],
           0x1000: [(0, BASE + 0x2000 | TABLE)],
           0x2000: [(0, BASE | BLOCK_AF), (1, BASE + 0x3000 | TABLE)],
           0x3000: [(0, BASE | PAGE_AF), (1, BASE + 0x1000 | PAGE_AF)]})
# 4K, 39-bit with a level-1 table pointing at itself and one outside RAM.
walk_seed("4k-39-cyclic", tcr(0, 2, 25, 25), 0,
          {0: [(0, BASE | TABLE), (1, 0x8000000000 | TABLE), (2, BASE | BLOCK_AF)]})
# 16K, 47-bit and 64K, 42-bit: one table page that is its own next level
# (the image stays small; the bigger granules need aligned table pages).
walk_seed("16k-47", tcr(2, 1, 17, 17), 0, {0: [(0, BASE | TABLE), (1, BASE | BLOCK_AF)]})
walk_seed("64k-42", tcr(1, 3, 22, 22), 0, {0: [(0, BASE | TABLE), (1, BASE | BLOCK_AF)]})

# ELF64 core, little-endian, one PT_LOAD of 64 bytes at BASE.
ehdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
ehdr += struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, 64, 0, 0, 64, 56, 1, 0, 0, 0)
phdr = struct.pack("<IIQQQQQQ", 1, 7, 120, BASE, BASE, 64, 64, 0x1000)
open(f"{C}/elf_core/one-segment.core", "wb").write(ehdr + phdr + bytes(range(64)))

# trace_fuzz: the first 4 KiB is RAM at BASE (TTBR0 at BASE, TTBR1 at BASE+0x1000).
page = bytearray(4096)
struct.pack_into("<Q", page, 0, BASE + 0x1000 | TABLE)
trace = b"""# accesses and maintenance
0x400000 el1r
0x8000001000 el0w
asid 5
0xffff000000001000 el1x
tlbi vmalle1
tlbi vae1 0x400000 5
tlbi aside1 5
"""
open(f"{C}/trace/basic", "wb").write(bytes(page) + trace)

# trace_armv7_fuzz: a configuration byte (bit 0 LPAE, bit 1 micro-TLB and
# walk cache), 16 KiB of RAM at BASE, then the trace.  Short format: TTBR0's
# 4 KiB table (TTBCR.N = 2) maps VA 0 with a page table at BASE + 0x2000
# (its hardware table at +2048, as Linux lays it out) and VA 1 MiB with a
# section; LPAE: TTBR0's level 1 entry 0 -> level 2 at BASE + 0x2000 -> a
# 2 MiB block.
armv7_trace = b"""# accesses, DACR writes and maintenance
0x1000 el1r
0x1004 el0r
0x100000 el1w
dacr 0x55555557
0x1008 el1r
dacr 0x5555555d
0x100000 el1r
tlbi tlbimva 0x1000
asid 3
0x200000 el1x
tlbi tlbiasid 3
tlbi tlbiall
"""
os.makedirs(f"{C}/trace_armv7", exist_ok=True)
short = bytearray(16384)
struct.pack_into("<I", short, 0, (BASE + 0x2800) | 0x1)         # page table, domain 0
struct.pack_into("<I", short, 0x2800 + 4, 0x50001000 | 0x32)    # small page, AP 011
struct.pack_into("<I", short, 4, 0x50100000 | 0x0c02 | (1 << 5))  # section, AP 11, domain 1
open(f"{C}/trace_armv7/short", "wb").write(bytes([2]) + bytes(short) + armv7_trace)
lpae = bytearray(16384)
struct.pack_into("<Q", lpae, 0, (BASE + 0x2000) | 0x3)          # L1[0] -> table
struct.pack_into("<Q", lpae, 0x2000, 0x50000000 | 0x441)        # L2[0]: 2 MiB block, AF, AP 01
open(f"{C}/trace_armv7/lpae", "wb").write(bytes([3]) + bytes(lpae) + armv7_trace)
