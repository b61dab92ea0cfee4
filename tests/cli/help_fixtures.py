#!/usr/bin/env python3
"""Writes, in the current directory, the files the --help examples name:
ram.bin (a raw image of RAM from 0x40000000), guest.core (the same tables as
an ELF core, as QEMU's dump-guest-memory writes one) and accesses.txt (a
trace for trace-replay).

The tables follow the shape of the default arm64 boot (4K granule, 48-bit VA,
TTBR1_EL1 = 0x41fa0000, TCR_EL1 = 0x35b5503510, MAIR_EL1 = 0x040044ffff):
the linear map of 1 GiB at 0xffff000000000000 in 2 MiB blocks, read-write,
never executable, and the kernel image's first 2 MiB at 0xffff800008000000,
read-only and executable.
"""
import struct

RAM = 0x40000000
ROOT = 0x41FA0000  # pgd (level 0)
LINEAR_L1 = ROOT + 0x1000
LINEAR_L2 = ROOT + 0x2000
KIMAGE_L1 = ROOT + 0x3000
KIMAGE_L2 = ROOT + 0x4000
TABLES_END = ROOT + 0x5000

TABLE = 0b11
BLOCK = 0b01
AF = 1 << 10
SH_INNER = 3 << 8
AP_RO = 2 << 6
PXN = 1 << 53
UXN = 1 << 54

tables = bytearray(TABLES_END - ROOT)


def put(pa, value):
    struct.pack_into("<Q", tables, pa - ROOT, value)


def entry(table, index):
    return table + 8 * index


put(entry(ROOT, 0), LINEAR_L1 | TABLE)  # 0xffff000000000000
put(entry(ROOT, 0x100), KIMAGE_L1 | TABLE)  # 0xffff800000000000
put(entry(LINEAR_L1, 0), LINEAR_L2 | TABLE)
for i in range(512):
    put(entry(LINEAR_L2, i), (RAM + i * 0x200000) | AF | SH_INNER | PXN | UXN | BLOCK)
put(entry(KIMAGE_L1, 0), KIMAGE_L2 | TABLE)
put(entry(KIMAGE_L2, 0x40), (RAM + 0x200000) | AF | SH_INNER | AP_RO | UXN | BLOCK)

with open("ram.bin", "wb") as f:
    f.seek(ROOT - RAM)
    f.write(tables)

# ELF64 little-endian ET_CORE: header, one PT_LOAD of the table pages.
EHDR, PHDR, DATA = 64, 56, 0x1000
header = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)
header += struct.pack("<HHIQQQIHHHHHH", 4, 183, 1, 0, EHDR, 0, 0, EHDR, PHDR, 1, 0, 0, 0)
load = struct.pack("<IIQQQQQQ", 1, 7, DATA, 0, ROOT, len(tables), len(tables), 0x1000)
with open("guest.core", "wb") as f:
    f.write(header + load)
    f.seek(DATA)
    f.write(tables)

with open("accesses.txt", "w") as f:
    f.write("# the linear map twice, the kernel image, a write to read-only text\n")
    f.write("0xffff000000001000 el1r\n0xffff000000001008 el1w\n")
    f.write("0xffff800008000000 el1x\n0xffff800008000040 el1w\n")
