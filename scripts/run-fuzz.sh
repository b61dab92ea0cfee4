#!/usr/bin/env bash
# Runs every libFuzzer target of build/fuzz for FUZZ_SECONDS each (default
# 60) on a scratch copy of its seed corpus (tests/fuzz/corpus/<target>),
# and prints one line per target: runs, coverage (cov: edges, ft: features,
# from libFuzzer's final stats) and whether it found anything.  Findings
# (crash-*, leak-*, timeout-*, oom-*) and logs are kept in build/fuzz/out/.
# Exit status: 1 if any target found something.
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
out=build/fuzz/out
mkdir -p "$out"

# The largest input each target is given: a compacted DTB, a System.map
# subset, a memblock script, a command line (COMMAND_LINE_SIZE is 2048 on
# arm64), an ELF core, a trace after its 4 KiB page, an ARMv7 trace after
# its configuration byte and 16 KiB of tables, registers + tables.
declare -A max_len=(
  [dtb]=16384 [symbols]=8192 [memblock_script]=8192 [cmdline]=2048
  [elf_core]=4096 [trace]=8192 [trace_armv7]=24577 [walk]=16432
)

status=0
printf '%-16s %8s %10s %8s %8s  %s\n' target seconds runs cov ft finding
for bin in build/fuzz/fuzz/*_fuzz; do
  name=$(basename "$bin" _fuzz)
  work="$out/$name"
  rm -rf "$work" && mkdir -p "$work/corpus" "$work/artifacts"
  cp tests/fuzz/corpus/"$name"/* "$work/corpus/" 2>/dev/null
  dict=()
  [ -f "tests/fuzz/$name.dict" ] && dict=(-dict="tests/fuzz/$name.dict")
  nice "$bin" "$work/corpus" "${dict[@]}" -max_total_time="$seconds" -max_len="${max_len[$name]:-4096}" \
    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$work/artifacts/" \
    >"$work/log" 2>&1
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
  stats=$(grep -E '^#[0-9]+' "$work/log" | grep -o 'cov: [0-9]* ft: [0-9]*' | tail -1)
  cov=$(echo "$stats" | awk '{print $2}')
  ft=$(echo "$stats" | awk '{print $4}')
  finding=none
  found=$(ls "$work/artifacts" 2>/dev/null)
  if [ -n "$found" ]; then
    finding=$(echo "$found" | tr '\n' ' ')
    status=1
  fi
  printf '%-16s %8s %10s %8s %8s  %s\n' "$name" "$seconds" "${runs:-?}" "${cov:-?}" "${ft:-?}" "$finding"
done
exit $status
