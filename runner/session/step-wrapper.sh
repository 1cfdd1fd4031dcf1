#!/usr/bin/env bash
# Runs one tutorial step inside the learner's session, like typing it into the same terminal:
# restores the working directory, exported variables, functions and aliases that earlier steps
# left, runs the step, then saves them for the next step (and for a runner restart).
#
# Inputs (environment, removed before the step runs):
#   STEP_STATE   session folder holding `cwd` and `env.sh`
#   STEP_ROOT    workspace root, the starting directory of a new session
#   STEP_CWD     absolute directory the step asks for (created if missing), or empty
#   STEP_MODE    shell | background | python | repl
#   STEP_FILE    the step's code
#   STEP_DRIVER  the Python REPL driver (repl mode)
#   STEP_OWNER   uid:gid to give the workspace's root-owned files to when the step ends, or empty
__state=$STEP_STATE __root=$STEP_ROOT __cwd=$STEP_CWD __mode=$STEP_MODE __file=$STEP_FILE __driver=$STEP_DRIVER
__owner=$STEP_OWNER
unset STEP_STATE STEP_ROOT STEP_CWD STEP_MODE STEP_FILE STEP_DRIVER STEP_OWNER

shopt -s expand_aliases
if [ -f "$__state/env.sh" ]; then source "$__state/env.sh"; fi
cd "$(cat "$__state/cwd" 2>/dev/null)" 2>/dev/null || cd "$__root" || exit 1
if [ -n "$__cwd" ]; then
  mkdir -p "$__cwd" && cd "$__cwd" || exit 1
fi

__tutorial_save_session() {
  local rc=$?
  # A service runs beside the session; only foreground steps change it.
  if [ "$__mode" = shell ]; then
    pwd >"$__state/cwd.next" && mv -f "$__state/cwd.next" "$__state/cwd"
    {
      (unset PWD OLDPWD SHLVL _ TUTORIAL_RUN_ID; export -p)
      declare -f
      alias -p
    } >"$__state/env.next" 2>/dev/null && mv -f "$__state/env.next" "$__state/env.sh"
  fi
  # The lab runs steps as root. On Linux what they create would then belong to root on the
  # learner's own disk too (bind mounts keep owners), and the runner, running as the learner,
  # could neither edit nor delete it: hand it back.
  if [ -n "$__owner" ]; then
    find "$__root" -xdev \( -uid 0 -o -gid 0 \) -exec chown -h "$__owner" {} + 2>/dev/null || true
  fi
  exit "$rc"
}
trap __tutorial_save_session EXIT

# `python` as the learner types it, if it really runs (a pyenv shim may exist without a Python behind it).
__python() { if python -c '' >/dev/null 2>&1; then python "$@"; else python3 "$@"; fi; }

case "$__mode" in
  shell | background)
    # Stop at the first failing command, as a reader would stop reading on an error.
    set -e
    source "$__file"
    ;;
  python) __python "$__file" ;;
  repl) __python "$__driver" "$__file" ;;
  *) echo "step-wrapper: unknown mode $__mode" >&2; exit 2 ;;
esac
