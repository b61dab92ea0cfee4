"""A minimal ELF64 core file writer (System V gABI): an ET_CORE header and
one PT_LOAD per run of physically adjacent pages, p_paddr = the physical
address, the bytes following the program headers in order.  This is the
shape QEMU's dump-guest-memory gives memory, for files small enough to keep
as golden test inputs."""

import struct

EM_ARM = 40
EM_AARCH64 = 183


def write_core(path, machine, pages, page_size=4096):
    """pages: {physical address: bytes of one page}.  Returns the number of
    PT_LOAD segments written."""
    runs = []
    for pa in sorted(pages):
        if runs and runs[-1][0] + len(runs[-1][1]) == pa:
            runs[-1][1] += pages[pa]
        else:
            runs.append([pa, bytearray(pages[pa])])
    ehsize, phsize = 64, 56
    offset = ehsize + phsize * len(runs)
    ident = b"\x7fELF" + bytes([2, 1, 1, 0]) + bytes(8)  # ELF64, LSB, version 1
    ehdr = ident + struct.pack("<HHIQQQIHHHHHH", 4, machine, 1, 0, ehsize, 0, 0, ehsize,
                               phsize, len(runs), 64, 0, 0)
    phdrs = b""
    for pa, data in runs:
        phdrs += struct.pack("<IIQQQQQQ", 1, 4, offset, 0, pa, len(data), len(data), page_size)
        offset += len(data)
    with open(path, "wb") as f:
        f.write(ehdr + phdrs)
        for _, data in runs:
            f.write(data)
    return len(runs)
