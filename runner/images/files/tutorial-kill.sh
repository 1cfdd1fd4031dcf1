#!/bin/bash
# tutorial-kill RUN_ID [GRACE_MS]: ends every process of one tutorial run inside the lab container.
# The runner starts each run with TUTORIAL_RUN_ID=<id> in its environment, and children inherit it,
# even `sleep 1000 &` and double-forked daemons that left the process group. So: find every process
# whose /proc/<pid>/environ holds that variable, send TERM, wait up to GRACE_MS (default 2000) for
# them to go, then KILL what is left. Exits 0 when none is left, 1 if some survived.
set -u

if [ $# -lt 1 ] || [ -z "$1" ]; then
  echo "usage: tutorial-kill RUN_ID [GRACE_MS]" >&2
  exit 2
fi
marker="TUTORIAL_RUN_ID=$1"
# Should the caller carry the tag itself, the scanners below must not.
unset TUTORIAL_RUN_ID
grace_ms=${2:-2000}

# Prints the pids tagged with the run id, except this script's own process and its subshells.
tagged() {
  local dir pid
  for dir in /proc/[0-9]*; do
    pid=${dir#/proc/}
    [ "$pid" = "$$" ] && continue
    [ "$pid" = "$BASHPID" ] && continue
    # environ is NUL-separated; a zombie's is empty, so zombies are not listed (their parent reaps them).
    if tr '\0' '\n' <"$dir/environ" 2>/dev/null | grep -qxF -- "$marker"; then
      echo "$pid"
    fi
  done
}

signal_all() {
  local pids
  pids=$(tagged)
  [ -n "$pids" ] || return 1
  # shellcheck disable=SC2086 # word splitting of the pid list is intended
  kill -s "$1" $pids 2>/dev/null
  return 0
}

signal_all TERM || exit 0
waited=0
while [ "$waited" -lt "$grace_ms" ]; do
  sleep 0.1
  waited=$((waited + 100))
  [ -n "$(tagged)" ] || exit 0
done

# KILL in rounds: a process may fork between the scan and the signal.
for _ in 1 2 3 4 5; do
  signal_all KILL || exit 0
  sleep 0.1
done
[ -z "$(tagged)" ]
