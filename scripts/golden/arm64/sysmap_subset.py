#!/usr/bin/env python3
"""Prints the System.map lines of the captured kernel that the arm64 boot
model needs: the image layout, the page-table roots, memblock's globals,
and every function named as a caller in the memblock=debug lines of the
captured serial logs.  Usage: sysmap_subset.py SCRATCH > System.map.subset"""
import glob
import os
import re
import sys

KVER = "6.1.0-56-arm64"
WANT = """_text _stext _etext __start_rodata __end_rodata __inittext_begin
__inittext_end __initdata_begin __initdata_end __init_begin __init_end _sdata
_data _edata __bss_start __bss_stop _end swapper_pg_dir swapper_pg_end
init_pg_dir init_pg_end init_idmap_pg_dir init_idmap_pg_end idmap_pg_dir
idmap_pg_end reserved_pg_dir tramp_pg_dir bm_pte bm_pmd bm_pud memblock
memblock_memory_init_regions memblock_reserved_init_regions kimage_voffset
memstart_addr memstart_offset_seed arm64_use_ng_mappings __fdt_pointer
__idmap_text_start __idmap_text_end __idmap_kpti_flag empty_zero_page
__hyp_text_start __hyp_text_end __entry_tramp_text_start __entry_tramp_text_end
__mmuoff_data_start __mmuoff_data_end _kernel_size_le_lo32 idmap_t0sz
paging_init setup_arch arm64_memblock_init map_mem map_kernel early_fixmap_init
early_ioremap_init setup_machine_fdt fixmap_remap_fdt create_idmap
early_pgtable_alloc __create_pgd_mapping mark_linear_text_alias_ro
mark_rodata_ro free_initmem start_kernel""".split()


def main():
    scratch = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    golden = os.path.join(here, "..", "..", "..", "tests", "golden", "arm64")
    callers = set()
    for log in glob.glob(os.path.join(golden, "*", "serial.log")):
        for line in open(log, errors="replace"):
            if "memblock" not in line:
                continue
            for m in re.finditer(r"\b([A-Za-z_][\w.]*)\+0x[0-9a-f]+/0x[0-9a-f]+", line):
                callers.add(m.group(1))
    want = set(WANT) | callers
    path = os.path.join(scratch, "dbg", "usr", "lib", "debug", "boot", "System.map-" + KVER)
    versions = open(os.path.join(scratch, "versions.txt")).read().split("\n")
    print("# System.map subset of Linux 6.1.0-56-arm64 (Debian 6.1.192-2), from the")
    print("# linux-image-6.1.0-56-arm64-dbg package (usr/lib/debug/boot/System.map-%s)." % KVER)
    print("# Linux version 6.1.0-56-arm64 (debian-kernel@lists.debian.org) (gcc-12 (Debian")
    print("# 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP Debian")
    print("# 6.1.192-2 (2026-11-16)")
    print("# Packages: " + "; ".join(
        " ".join(v.split(": ")[1] for v in versions[i:i + 2]) for i in range(0, len(versions) - 1, 2)))
    print("# Lines kept: image layout, table roots, memblock globals and every")
    print("# memblock=debug caller in tests/golden/arm64/*/serial.log; order as in System.map.")
    seen = set()
    for line in open(path):
        name = line.split()[2]
        if name in want:
            print(line.rstrip("\n"))
            seen.add(name)
    missing = sorted(want - seen)
    if missing:
        print("# not in System.map: " + " ".join(missing))


if __name__ == "__main__":
    main()
