# The runnable blocks of docs/tutorial/*.md, shared by scripts/update-tutorial.sh
# (which rewrites them) and tests/cli/tutorial.sh (which requires them unchanged).
#
# A runnable block is a fenced block opened by the line ```console.  In it,
# each line beginning with "$ " is a command (one line of shell: `ptsim ...`,
# possibly piped through grep or sed -n, never head or grep -m, whose early
# exit would kill ptsim with SIGPIPE only sometimes); the lines after it, up to the
# next command or the closing ```, are what it prints, stdout and stderr
# together.  A command that exits non-zero gets a last line
# "[exit status N]".  Other fenced blocks are left alone.
#
# The commands of one page run in order in one fresh directory, so a page may
# write a file with one command and read it with the next, and `ptsim` is the
# binary under test.

# tutorial_render PAGE PTSIM: prints PAGE with every runnable block's output
# replaced by what its command prints now.  Fails on a block that does not
# begin with a command or is never closed.
tutorial_render() {
  local page=$1 ptsim=$2 work line cmd out rc in_block=0 at=0 expect_cmd=0
  ptsim=$(realpath "$ptsim") || return 1
  work=$(mktemp -d) || return 1
  mkdir "$work/bin" "$work/run"
  ln -s "$ptsim" "$work/bin/ptsim"
  while IFS= read -r line || [ -n "$line" ]; do
    at=$((at + 1))
    if [ $in_block -eq 0 ]; then
      printf '%s\n' "$line"
      if [ "$line" = '```console' ]; then
        in_block=1
        expect_cmd=1
      fi
      continue
    fi
    if [ "$line" = '```' ]; then
      printf '%s\n' "$line"
      in_block=0
      continue
    fi
    if [ "${line:0:2}" != '$ ' ]; then
      if [ $expect_cmd -eq 1 ]; then
        echo "$page:$at: a console block must begin with a '\$ ' command line" >&2
        rm -rf "$work"
        return 1
      fi
      continue  # the old output
    fi
    expect_cmd=0
    printf '%s\n' "$line"
    cmd=${line:2}
    if [[ $cmd =~ \|[[:space:]]*head([[:space:]]|$)|grep[[:space:]]+(-[a-zA-Z]*m|--max-count) ]]; then
      echo "$page:$at: '$cmd' ends its pipe early (head, grep -m): use sed -n" >&2
      rm -rf "$work"
      return 1
    fi
    out=$(cd "$work/run" && LC_ALL=C PATH="$work/bin:$PATH" bash -o pipefail -c "$cmd" 2>&1 </dev/null)
    rc=$?
    [ -n "$out" ] && printf '%s\n' "$out"
    [ $rc -ne 0 ] && printf '[exit status %d]\n' $rc
  done < "$page"
  rm -rf "$work"
  if [ $in_block -ne 0 ]; then
    echo "$page: a console block is not closed" >&2
    return 1
  fi
}
