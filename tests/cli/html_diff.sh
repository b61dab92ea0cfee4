#!/usr/bin/env bash
# ptsim diff --html in a browser: 4K against 64K pages, both maps side by
# side and the ranges mapped differently outlined.
ptsim=$1
source "$(dirname "$0")/html_lib.bash"

"$ptsim" diff "--ram 256M" "--ram 256M --page-size 64K" --html "$tmp/diff.html" > "$tmp/diff.txt" ||
  fail "diff exit $?"
grep -q '^VA ranges mapped differently: [1-9]' "$tmp/diff.txt" || fail "--html changed the text"
browse "$tmp/diff.html" diff --diff --region "linear map" --region vmalloc
