#!/usr/bin/env bash
# cmake --install into a temporary prefix, then build examples/walk_example
# against the installed package (find_package(ptsim)) and run it.
set -u
ptsim="$1"
fail() { echo "FAIL: $*"; exit 1; }
build_dir=$(cd "$(dirname "$ptsim")" && pwd)
src="${PTSIM_SOURCE_DIR:?PTSIM_SOURCE_DIR unset}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cmake --install "$build_dir" --prefix "$tmp/prefix" > "$tmp/install.log" 2>&1 ||
  fail "cmake --install: $(tail -5 "$tmp/install.log")"
[ -f "$tmp/prefix/include/ptsim/report/walk_report.h" ] || fail "public header not installed"
[ -f "$tmp/prefix/lib/libptsim.a" ] || fail "libptsim.a not installed"
[ -f "$tmp/prefix/lib/cmake/ptsim/ptsimConfig.cmake" ] || fail "package config not installed"
[ -f "$tmp/prefix/share/man/man1/ptsim.1" ] || fail "man page not installed"
# Installed consumers see include/ only: no private header of src/ may be installed.
[ -z "$(find "$tmp/prefix/include" -name '*.h' -path '*cli*')" ] || fail "private headers installed"

generator=()
command -v ninja > /dev/null && generator=(-G Ninja)
cmake -S "$src/examples/walk_example" -B "$tmp/example" "${generator[@]}" \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_BUILD_TYPE=Debug > "$tmp/configure.log" 2>&1 ||
  fail "configure example: $(tail -20 "$tmp/configure.log")"
cmake --build "$tmp/example" > "$tmp/build.log" 2>&1 || fail "build example: $(tail -30 "$tmp/build.log")"

out=$("$tmp/example/walk_example") || fail "walk_example exit $?"
grep -q 'PA 0x40100234' <<<"$out" || fail "walk result missing: $out"
# The example links the installed archive, not the build tree's.
grep -q "$tmp/prefix/lib/libptsim.a" "$tmp/example/build.ninja" "$tmp/example/CMakeFiles"/*/link.txt 2>/dev/null ||
  grep -rq "$tmp/prefix/lib/libptsim.a" "$tmp/example" || fail "example did not link the installed library"
echo ok
