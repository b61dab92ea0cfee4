#!/usr/bin/env bash
# ptsim ptdump --arch armv7 --mem --html in a browser, over the page-table
# pages of running Debian 6.1 armmp and armmp-lpae kernels
# (tests/golden/arm/live_ptdump*): the dump is unchanged by --html, and the
# page draws the kernel's regions, its sections and pages, and its tables.
ptsim=$1
source "$(dirname "$0")/html_lib.bash"
golden="${PTSIM_SOURCE_DIR:?}/tests/golden/arm"

# short descriptors: swapper_pg_dir at PA 0x40204000 (live_ptdump/pgd.txt)
"$ptsim" ptdump --arch armv7 --mem "$golden/live_ptdump/tables.core" --reg TTBR0=0x40204000 \
  --html "$tmp/short.html" > "$tmp/short.txt" || fail "ptdump exit $?"
"$ptsim" ptdump --arch armv7 --mem "$golden/live_ptdump/tables.core" --reg TTBR0=0x40204000 \
  > "$tmp/plain.txt" || fail "ptdump without --html exit $?"
cmp -s "$tmp/short.txt" "$tmp/plain.txt" || fail "--html changed the dump"
browse "$tmp/short.html" ptdump-armv7 --tables --kind block --kind page \
  --region "Kernel Mapping" --region "vmalloc() Area" --region "Vectors"

# LPAE: TTBCR.EAE with T0SZ = 0, so TTBR0 covers the whole pgd (0x40203000)
"$ptsim" ptdump --arch armv7 --mem "$golden/live_ptdump-lpae/tables.core" --reg TTBR0=0x40203000 \
  --reg TTBCR=0x80000000 --html "$tmp/lpae.html" > /dev/null || fail "ptdump LPAE exit $?"
browse "$tmp/lpae.html" ptdump-armv7-lpae --tables --kind block --kind page \
  --region "Kernel Mapping" --region "Fixmap Area"
echo ok
