# Shared by the shell tests of the command's help.

# ptsim_commands PTSIM: the commands `PTSIM --help` lists under "Subcommands:",
# one per line.
ptsim_commands() {
  "$1" --help | awk '/^Subcommands:/ { on = 1; next }
    on && /^  [a-z]/ { print $1; next } on && !/^  / { on = 0 }'
}
