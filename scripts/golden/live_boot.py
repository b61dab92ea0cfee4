"""Shared steps of the live-ptdump captures (arm64/live_ptdump.py and
arm/live_ptdump.py): boot QEMU with a gdb stub and the serial console in a
file, wait for the guest's STOP line, stop the VM with gdb to read registers
and save RAM, let it run on to DONE, and split the console log into the
golden files."""

import gzip
import os
import re
import shutil
import subprocess
import time

# Stored compressed when bigger than this.
GZIP_ABOVE = 100 << 10


def wait_for(path, text, proc, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if os.path.exists(path) and text in open(path, errors="replace").read():
            return
        if proc.poll() is not None:
            raise RuntimeError("QEMU exited before %r appeared" % text)
        time.sleep(0.2)
    raise RuntimeError("%r never appeared in %s" % (text, path))


def gdb(port, gdb_arch, commands, log):
    argv = ["gdb-multiarch", "-q", "-nx", "-batch", "-ex", "set architecture " + gdb_arch,
            "-ex", "set pagination off", "-ex", "set remotetimeout 600",
            "-ex", "target remote localhost:%d" % port]
    for c in commands:
        argv += ["-ex", c]
    with open(log, "w") as f:
        subprocess.run(argv, stdout=f, stderr=subprocess.STDOUT, timeout=900, check=True)
    return open(log).read()


def pmemsave_commands(ram, ram_base, size):
    """gdb commands saving guest RAM in pieces of at most 1 GiB (pmemsave
    takes a 32-bit size), and the FILE@BASE specs of the pieces."""
    cmds, pieces = [], []
    for off in range(0, size, 1 << 30):
        name = "%s.%d" % (ram, off >> 30)
        pieces.append("%s@0x%x" % (name, ram_base + off))
        cmds.append("monitor pmemsave 0x%x 0x%x %s" % (
            ram_base + off, min(1 << 30, size - off), os.path.basename(name)))
    return cmds, pieces


def run(qemu_argv, work, port, gdb_arch, stop_commands):
    """Boots, stops at STOP, runs stop_commands (which must not kill the VM:
    gdb detaches and the guest runs on), waits for DONE.  Returns the gdb
    log and the console log."""
    serial = os.path.join(work, "serial.log")
    if os.path.exists(serial):
        os.unlink(serial)
    q = subprocess.Popen(["nice"] + qemu_argv + [
        "-serial", "file:" + serial, "-monitor", "none",
        "-gdb", "tcp:localhost:%d" % port], cwd=work)
    try:
        wait_for(serial, "===== STOP =====", q, 1800)
        text = gdb(port, gdb_arch, stop_commands + ["detach"], os.path.join(work, "gdb.log"))
        wait_for(serial, "===== DONE =====", q, 1800)
        q.wait(timeout=300)
    finally:
        if q.poll() is None:
            q.terminate()
        q.wait()
    log = open(serial, errors="replace").read().replace("\r", "")
    if "===== UNCHANGED =====" not in log:
        raise RuntimeError("the second ptdump differs from the first: see %s" % serial)
    return text, log


SECTIONS = {"KERNEL_PAGE_TABLES": "kernel_page_tables.txt", "MARKERS": "markers.txt",
            "VMALLOCINFO": "vmallocinfo.txt"}


def split_serial(log, out):
    """The sections kept as files, and the console log with them replaced
    by the file names."""
    parts = re.split(r"^===== (\w+) =====$", log, flags=re.M)
    for i in range(1, len(parts) - 1, 2):
        if parts[i] in SECTIONS:
            with open(os.path.join(out, SECTIONS[parts[i]]), "w") as f:
                f.write(parts[i + 1].strip("\n") + "\n")
    with open(os.path.join(out, "serial.log"), "w") as f:
        for i in range(0, len(parts)):
            if i % 2 == 1:
                f.write("===== %s =====\n" % parts[i])
            elif i == 0 or parts[i - 1] not in SECTIONS:
                f.write(parts[i].strip("\n") + "\n")
            else:
                f.write("(in %s)\n" % SECTIONS[parts[i - 1]])


def store_core(core, out):
    """Copies the table core into out/, gzip-compressed if it is big (with
    no name or time in the gzip header: the same tables, the same bytes)."""
    for old in ("tables.core", "tables.core.gz"):
        if os.path.exists(os.path.join(out, old)):
            os.unlink(os.path.join(out, old))
    if os.path.getsize(core) <= GZIP_ABOVE:
        shutil.copy(core, os.path.join(out, "tables.core"))
        return
    with open(core, "rb") as fi, open(os.path.join(out, "tables.core.gz"), "wb") as fo:
        with gzip.GzipFile(filename="", mode="wb", fileobj=fo, mtime=0, compresslevel=9) as g:
            shutil.copyfileobj(fi, g)


def write_regs(path, header, text):
    keep = [l for l in text.splitlines()
            if not l.startswith(("warning:", "The target architecture", "determining executable",
                                 "[Inferior")) and "Try using the" not in l]
    with open(path, "w") as f:
        f.write("".join("# %s\n" % h for h in header))
        f.write("\n".join(keep) + "\n")


def compare(mine_path, kernel_path):
    mine = open(mine_path).read().splitlines()
    kernel = open(kernel_path).read().splitlines()
    bad = [(i, a, b) for i, (a, b) in enumerate(zip(mine, kernel)) if a != b]
    print("walker ptdump: %d lines, kernel: %d lines, %d differ" % (
        len(mine), len(kernel), len(bad) + abs(len(mine) - len(kernel))))
    for i, a, b in bad[:20]:
        print("  line %d\n    walker %s\n    kernel %s" % (i + 1, a, b))
