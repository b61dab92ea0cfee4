#!/usr/bin/env python3
"""Write the System.map lines ptsim needs for one Debian kernel flavour.

Usage: sysmap-subset.py SYSTEM_MAP PACKAGE_DESCRIPTION OUT [memblock-debug.txt ...]

Keeps the image layout symbols, the vectors, swapper_pg_dir, memblock and the
functions of the boot path, plus every function named as a caller in the
given memblock=debug traces ("... name+0xoff/0xsize")."""
import re
import sys

WANTED = """_text _stext _etext __start_rodata __end_rodata __init_begin _sinittext
_einittext __init_end _sdata _edata __bss_start __bss_stop _end swapper_pg_dir
__idmap_text_start __idmap_text_end __vectors_start __vectors_end
__stubs_start __stubs_end __vectors_lma __stubs_lma vector_table
kernel_sec_start kernel_sec_end memblock high_memory arm_lowmem_limit
init_mm empty_zero_page top_pmd pkmap_page_table mem_types
setup_arch paging_init adjust_lowmem_bounds arm_memblock_init
arm_mm_memblock_reserve prepare_page_table map_lowmem map_kernel
create_mapping __create_mapping early_alloc early_pte_alloc
devicemaps_init kmap_init early_fixmap_init early_fixmap_shutdown
early_mm_init build_mem_type_table dma_contiguous_remap bootmem_init
setup_machine_fdt early_init_dt_scan start_kernel""".split()


def main():
    sysmap, desc, out = sys.argv[1:4]
    callers = set()
    for trace in sys.argv[4:]:
        for line in open(trace, errors="replace"):
            callers.update(re.findall(r" ([A-Za-z_][A-Za-z0-9_.]*)\+0x[0-9a-f]+/0x[0-9a-f]+", line))
    want = set(WANTED) | callers
    lines = [l for l in open(sysmap) if len(l.split()) == 3 and l.split()[2] in want]
    found = {l.split()[2] for l in lines}
    with open(out, "w") as f:
        f.write("# Subset of %s\n# from %s\n" % (sysmap.rsplit("/", 1)[-1], desc))
        f.write("# Kept: image layout, vectors, swapper_pg_dir, memblock, boot-path functions\n"
                "# and every caller named in this kernel's memblock=debug traces.\n")
        missing = sorted(want - found)
        if missing:
            f.write("# Not in this System.map: %s\n" % " ".join(missing))
        f.writelines(lines)


if __name__ == "__main__":
    main()
