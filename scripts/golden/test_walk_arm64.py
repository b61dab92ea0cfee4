#!/usr/bin/env python3
"""Self-test of walk_arm64.py on hand-built tables (python3 test_walk_arm64.py)."""

import json
import os
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import walk_arm64 as w  # noqa: E402

BASE = 0x40000000
PAGE_OFFSET = 0xFFFF000000000000
# Leaf attributes of Linux's PAGE_KERNEL on a 4K build: AF, inner shareable,
# PXN, UXN, DBM, dirty (bit 55), AttrIndx as given.
KERNEL = (1 << 10) | (3 << 8) | (1 << 53) | (1 << 54) | (1 << 51) | (1 << 55)


def build_ram(path):
    """PGD at +0x1000, PUD at +0x2000, PMD at +0x3000, PTE at +0x4000.
    PMD[0]: 2M block -> BASE+0x200000; PMD[1]: the PTE table, whose first
    16 entries are a contiguous run (CONT) and entry 17 a lone page."""
    ram = bytearray(0x10000)

    def put(table, idx, val):
        struct.pack_into("<Q", ram, table - BASE + 8 * idx, val)

    pgd, pud, pmd, pte = BASE + 0x1000, BASE + 0x2000, BASE + 0x3000, BASE + 0x4000
    put(pgd, 0, pud | 3 | (1 << 59) | (1 << 60))  # PXNTable | UXNTable
    put(pud, 0, pmd | 3)
    put(pmd, 0, (BASE + 0x200000) | 1 | KERNEL | (1 << 2))  # block, NORMAL-TAGGED
    put(pmd, 1, pte | 3)
    for i in range(16):
        put(pte, i, (BASE + 0x100000 + i * 0x1000) | 3 | KERNEL | (1 << 52))
    put(pte, 17, (BASE + 0x300000) | 3 | KERNEL | (1 << 7) | (4 << 2))  # ro, DEVICE/nGnRE
    with open(path, "wb") as f:
        f.write(ram)
    return pgd


class WalkTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.ram = os.path.join(self.tmp.name, "ram.bin")
        self.root = build_ram(self.ram)
        self.mem = w.PhysMem(["%s@0x%x" % (self.ram, BASE)])
        self.walker = w.Walker(self.mem, self.root, 48, True)

    def tearDown(self):
        self.tmp.cleanup()

    def test_translate_block_and_pages(self):
        self.assertEqual(self.walker.translate(PAGE_OFFSET + 0x1234), BASE + 0x201234)
        self.assertEqual(self.walker.translate(PAGE_OFFSET + 0x200000 + 0x5008),
                         BASE + 0x105008)
        self.assertEqual(self.walker.translate(PAGE_OFFSET + 0x211000), BASE + 0x300000)
        with self.assertRaises(ValueError):
            self.walker.translate(PAGE_OFFSET + 0x210000)  # entry 16: empty

    def test_runs_merge_only_contiguous_equal_leaves(self):
        runs = w.merge_runs(list(self.walker.leaves()), lambda lv, d, t: (lv, w.attr_bits(d), t))
        got = [(r["va_start"] - PAGE_OFFSET, r["va_end"] - PAGE_OFFSET, r["pa_start"], r["level"])
               for r in runs]
        self.assertEqual(got, [(0, 0x200000, BASE + 0x200000, 2),
                               (0x200000, 0x210000, BASE + 0x100000, 3),
                               (0x211000, 0x212000, BASE + 0x300000, 3)])
        words = w.arm_words(runs[1]["desc"], runs[1]["tattrs"])
        self.assertIn("CONT", words)
        self.assertIn("table:PXNTable,UXNTable", words)

    def test_table_pages_per_level(self):
        list(self.walker.leaves())
        self.assertEqual([(lv, pa) for lv, pa, *_ in self.walker.tables],
                         [(0, self.root), (1, BASE + 0x2000), (2, BASE + 0x3000),
                          (3, BASE + 0x4000)])

    def test_ptdump_lines(self):
        lines = w.ptdump(self.walker, w.linux_markers(48, 0x40B000))
        self.assertEqual(lines[0], "---[ Linear Mapping start ]---")
        self.assertEqual(
            lines[1], "0xffff000000000000-0xffff000000200000           2M PMD"
            "       RW NX SHD AF        BLK UXN    MEM/NORMAL-TAGGED")
        self.assertEqual(
            lines[2], "0xffff000000200000-0xffff000000210000          64K PTE"
            "       RW NX SHD AF    CON     UXN    MEM/NORMAL")
        self.assertEqual(lines[3], "0xffff000000210000-0xffff000000211000           4K PTE")
        self.assertEqual(
            lines[4], "0xffff000000211000-0xffff000000212000           4K PTE"
            "       ro NX SHD AF            UXN    DEVICE/nGnRE")
        # Rest of the PTE table, then PMD, PUD and PGD holes.
        self.assertEqual(lines[5], "0xffff000000212000-0xffff000000400000        1976K PTE")
        self.assertEqual(lines[6], "0xffff000000400000-0xffff000040000000        1020M PMD")
        self.assertEqual(lines[7], "0xffff000040000000-0xffff008000000000         511G PUD")
        self.assertEqual(lines[8], "0xffff008000000000-0xffff800000000000      130560G PGD")
        self.assertEqual(lines[9], "---[ Linear Mapping end ]---")
        self.assertEqual(lines[10], "---[ Modules start ]---")
        self.assertEqual(lines[-1], "0xfffffe0000000000-0x0000000000000000           2T PGD")

    def test_cli_writes_json(self):
        out = os.path.join(self.tmp.name, "t")
        subprocess.run([sys.executable, os.path.join(HERE, "walk_arm64.py"), "walk",
                        "--ram", "%s@0x%x" % (self.ram, BASE), "--root", hex(self.root),
                        "--out", out, "--ptdump"], check=True)
        with open(out + ".mappings.json") as f:
            maps = json.load(f)["mappings"]
        self.assertEqual(maps[0]["level"], "PMD")
        self.assertEqual(maps[0]["attrs"], ["RW", "NX", "SHD", "AF", "BLK", "UXN",
                                            "MEM/NORMAL-TAGGED"])
        self.assertEqual(maps[2]["pa_start"], "0x40300000")

    def test_tablecore_holds_exactly_the_table_pages(self):
        core = os.path.join(self.tmp.name, "t.core")
        subprocess.run([sys.executable, os.path.join(HERE, "walk_arm64.py"), "tablecore",
                        "--ram", "%s@0x%x" % (self.ram, BASE), "--root", hex(self.root),
                        "--out", core], check=True, capture_output=True)
        with open(core, "rb") as f:
            data = f.read()
        self.assertEqual(data[:4], b"\x7fELF")
        etype, machine = struct.unpack_from("<HH", data, 16)
        phoff, = struct.unpack_from("<Q", data, 32)
        phnum, = struct.unpack_from("<H", data, 56)
        self.assertEqual((etype, machine, phnum), (4, 183, 1))  # ET_CORE, EM_AARCH64
        ptype, _, off, _, paddr, filesz, memsz, _ = struct.unpack_from("<IIQQQQQQ", data, phoff)
        # The four tables are adjacent: one PT_LOAD of 16K from the PGD on.
        self.assertEqual((ptype, paddr, filesz, memsz), (1, self.root, 0x4000, 0x4000))
        with open(self.ram, "rb") as f:
            ram = f.read()
        self.assertEqual(data[off:off + 0x4000], ram[0x1000:0x5000])
        self.assertEqual(len(data), off + 0x4000)


if __name__ == "__main__":
    unittest.main()
