# Sourced by run-studio and run-tests: each step says what it does, and a
# step that fails says which it was, with its output.

# step DESCRIPTION COMMAND…: runs COMMAND with its output shown
step() {
  local what=$1
  shift
  echo "== $what"
  if ! "$@"; then
    echo "${0##*/}: $what failed: the output above says why." >&2
    exit 1
  fi
}

# quiet_step DESCRIPTION COMMAND…: the same, its output shown only when it fails
quiet_step() {
  local what=$1 log
  shift
  log=$(mktemp)
  echo "== $what"
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "${0##*/}: $what failed: the output above says why." >&2
    exit 1
  fi
  rm -f "$log"
}

# configure DIR OPTION…: meson setup, or again with these options
configure() {
  local dir=$1
  shift
  if [ -f "$dir/build.ninja" ]; then
    quiet_step "Configuring $dir" meson setup --reconfigure "$dir" "$@"
  else
    quiet_step "Configuring $dir" meson setup "$dir" "$@"
  fi
}
