#!/usr/bin/env python3
"""Cut a memblock=debug trace at the end of paging_init.

Usage: trace_cut.py memblock-debug.txt memblock-paging_init-return.txt OUT

The console log has no marker for "paging_init returned", so the cut is
found from the memblock state gdb read at that moment: every
memblock_reserve made up to then lies inside a region of the returned
`reserved` array, and the first one that does not was made after
paging_init.  The cut goes before that reservation and the allocation
request line that led to it."""
import re
import sys


def reserved_regions(path):
    text = open(path).read()
    arrays = re.findall(r"\{\{(.*?)\}\}", text, re.S)
    regs = []
    for m in re.finditer(r"base = (0x[0-9a-f]+),\s*size = (0x[0-9a-f]+)", arrays[-1]):
        base, size = int(m.group(1), 16), int(m.group(2), 16)
        regs.append((base, base + size))
    return regs


def main():
    trace, state, out = sys.argv[1:4]
    regs = reserved_regions(state)
    lines = open(trace).readlines()
    cut = len(lines)
    for i, line in enumerate(lines):
        m = re.search(r"memblock_reserve: \[(0x[0-9a-f]+)-(0x[0-9a-f]+)\]", line)
        if not m:
            continue
        lo, hi = int(m.group(1), 16), int(m.group(2), 16) + 1
        if not any(b <= lo and hi <= e for b, e in regs):
            cut = i
            if i > 0 and "memblock_alloc" in lines[i - 1]:
                cut = i - 1
            break
    with open(out, "w") as f:
        f.write("".join(lines[:cut]))


if __name__ == "__main__":
    main()
