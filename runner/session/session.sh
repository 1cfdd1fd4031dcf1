#!/usr/bin/env bash
# The learner's shell session on one target, like the terminal they would type the steps into.
#
#   bash session.sh serve   the KERNEL: a long-lived bash that keeps the learner's cwd, exported
#                           variables, functions and aliases in memory and runs each step handed
#                           to it on stdin (the runner's side: runner/session/kernel.ts)
#   bash session.sh once    one step in a process of its own, configured by STEP_* variables:
#                           services, and a step that comes while the kernel is busy
#   source session.sh library   only the functions: the in-page terminal (terminal-rc.sh)
#
# Life of a kernel:
#
#   (none) ──spawn + hello──► idle ──run──► stepping ──S exits, or cancel→TERM/KILL──► idle
#                              ▲  │                      (end marker on stdout and stderr)
#                              │  └─ stdin closes (the runner is gone): end the step, exit
#                              │
#   crash / kill -9 / lab restarted ──► (none) ──next step──► spawn: state read back from learner.sh
#
# Processes while a step runs:
#   kernel K ── monitor M (waits, cleans up, reports) ── step S (own process group) ── commands
# S and M are forks of K, so S starts with K's memory: no state is restored per step. Commands S
# starts carry TUTORIAL_RUN_ID=<run id>; cancel and cleanup find them by that and by S's group.
#
# State on disk (learner.sh in the session folder), so a new kernel or `once` starts where the
# last step left off: only what the learner's steps changed. The runner's own variables (PATH,
# HOME, PIP_NO_INDEX, DOCKER_HOST, ...) are handed over fresh with every step; a learner's change
# to one of them is kept relative to the runner's value (`export PATH=$HOME/bin:$PATH` keeps
# "$HOME/bin:" in front of whatever PATH the runner gives next time).
#
# Kept whole: the kernel's loop, its forks (monitor, step) and `once` share every function here and
# the state file's format; one script is what is copied to each target and started there, and the
# protocol below reads best next to the code that speaks it.
# Variables are set by __k_field and read in forks and in the state file:
# shellcheck disable=SC2034,SC2154,SC2030,SC2031

# Runner → kernel records on stdin: NUL-terminated fields.
#   hello NONCE STATE_DIR ROOT OWNER DRIVER   once, first
#   env N K=V...                               the runner's variables, when they change
#   run RUN_ID MODE CWD FILE                   MODE shell | python | repl; CWD may be empty
#   cancel RUN_ID                              ends that step's processes (TERM, 2 s, KILL)
# Kernel → runner, between the step's own output: "\0NONCE ready PID\n" once;
#   "\0NONCE start RUN_ID M_PID S_PID\n" on stdout; "\0NONCE end RUN_ID RC\n" on stdout and stderr.

declare -gA __k_R=() __k_okind=() __k_opre=() __k_osuf=()
__k_cwd='' __k_loaded='' __k_state='' __k_root='' __k_owner='' __k_driver='' __k_nonce=''
# Only the kernel's own lookups use this PATH (not exported); steps get the runner's.
__k_path=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
shopt -s expand_aliases

# Names the environment always has that are neither the runner's nor the learner's.
__k_skip() { case $1 in PWD | OLDPWD | SHLVL | _ | TUTORIAL_RUN_ID | STEP_*) return 0 ;; esac; return 1; }

# Lists names into __k_names. The kernel and its steps go through a scratch file of their own
# (no fork); a `once` process, which may run beside them, forks.
__k_scratch=
__k_list() {
  if [[ -n $__k_scratch ]]; then
    compgen "$@" >"$__k_scratch" 2>/dev/null
    mapfile -t __k_names <"$__k_scratch"
  else
    mapfile -t __k_names < <(compgen "$@")
  fi
}

# Drops the learner's state from memory: every exported variable, function and alias.
__k_forget() {
  local n
  __k_list -e
  for n in "${__k_names[@]}"; do unset "$n"; done
  __k_list -A function
  for n in "${__k_names[@]}"; do [[ $n == __k_* ]] || unset -f "$n"; done
  unalias -a
  __k_okind=() __k_opre=() __k_osuf=()
  __k_cwd=$__k_root
}

# Before a step: takes the saved state if it differs from what is in memory (a step run by `once`
# changed it, or Reset removed it). Costs a read of a small file.
__k_adopt() {
  local file=$__k_state/learner.sh text=
  [[ -f $file ]] && IFS= read -r -d '' text <"$file"
  [[ $text == "$__k_loaded" ]] && return 0
  __k_forget
  # shellcheck disable=SC1090
  [[ -n $text ]] && source "$file"
  __k_loaded=$text
}

# In the step's process: the runner's variables, fresh, then the learner's changes to them.
__k_prepare() { # RUN_ID CWD
  local n
  for n in "${!__k_R[@]}"; do export "$n=${__k_R[$n]}"; done
  for n in "${!__k_okind[@]}"; do
    case ${__k_okind[$n]} in
      unset) unset "$n" ;;
      set) export "$n=${__k_opre[$n]}" ;;
      wrap) [[ -n ${__k_R[$n]+x} ]] && export "$n=${__k_opre[$n]}${__k_R[$n]}${__k_osuf[$n]}" ;;
    esac
  done
  export TUTORIAL_RUN_ID=$1
  cd -- "$__k_cwd" 2>/dev/null || cd -- "$__k_root" || return 1
  if [[ -n $2 ]]; then
    [[ -d $2 ]] || command -p mkdir -p -- "$2" || return 1
    cd -- "$2" || return 1
  fi
}

# The learner's state as a script: cwd, their exported variables, their changes to the runner's,
# functions, aliases; written to file $1. The names are listed first: in the kernel, __k_list goes
# through the scratch file, which is where the dump itself goes (see __k_save).
__k_dump() {
  local n v r __k_vars __k_funcs
  __k_list -e
  __k_vars=("${__k_names[@]}")
  __k_list -A function
  __k_funcs=("${__k_names[@]}")
  {
    printf '__k_cwd=%q\n' "$PWD"
    for n in "${__k_vars[@]}"; do
      __k_skip "$n" && continue
      v=${!n}
      if [[ -n ${__k_R[$n]+x} ]]; then
        r=${__k_R[$n]}
        [[ $v == "$r" ]] && continue
        if [[ -n $r && $v == *"$r"* ]]; then
          printf '__k_okind[%q]=wrap __k_opre[%q]=%q __k_osuf[%q]=%q\n' "$n" "$n" "${v%%"$r"*}" "$n" "${v#*"$r"}"
        else
          printf '__k_okind[%q]=set __k_opre[%q]=%q\n' "$n" "$n" "$v"
        fi
      else
        printf 'export %s=%q\n' "$n" "$v"
      fi
    done
    for n in "${!__k_R[@]}"; do [[ -v $n ]] || printf '__k_okind[%q]=unset\n' "$n"; done
    for n in "${__k_funcs[@]}"; do [[ $n == __k_* ]] || declare -f -- "$n"; done
    alias -p
  } >|"$1"
}

# Writes the state file, only when it changed (and whole: renamed into place). The temporary
# file is made by mktemp (a fresh, unpredictable name, created with O_EXCL), so a symlink planted
# where the runner writes, say by a lab step as root, is never written through; -T renames over
# the entry itself, never into a folder a link points to.
# In the kernel the dump goes to the step's scratch file first (written every step already, by
# __k_list): a step that changed nothing, most of them, then costs no fork and no exec at all
# (mktemp and rm were two thirds of a trivial step's time on the host).
__k_save() {
  local next text=
  if [[ -n $__k_scratch ]]; then
    __k_dump "$__k_scratch" 2>/dev/null || return 0
    IFS= read -r -d '' text <"$__k_scratch"
    [[ $text == "$__k_loaded" ]] && return 0
    next=$(command -p mktemp "$__k_state/learner.sh.XXXXXX" 2>/dev/null) || return 0
    printf '%s' "$text" >|"$next" 2>/dev/null || { command -p rm -f -- "$next"; return 0; }
  else
    next=$(command -p mktemp "$__k_state/learner.sh.XXXXXX" 2>/dev/null) || return 0
    __k_dump "$next" 2>/dev/null || { command -p rm -f -- "$next"; return 0; }
    IFS= read -r -d '' text <"$next"
    if [[ $text == "$__k_loaded" ]]; then
      command -p rm -f -- "$next"
      return 0
    fi
  fi
  command -p mv -fT -- "$next" "$__k_state/learner.sh" 2>/dev/null || command -p mv -f -- "$next" "$__k_state/learner.sh"
  # What is on disk is now this shell's own (the terminal keeps it; a step's fork drops it).
  __k_loaded=$text
}

# `python` as the learner types it, if it really runs (a pyenv shim may exist without a Python behind it).
__k_python() { if python -c '' >/dev/null 2>&1; then python "$@"; else python3 "$@"; fi; }

# The lab runs steps as root. On Linux what they create would then belong to root on the learner's
# own disk too (bind mounts keep owners): hand it back to the runner's user.
__k_hand_back() {
  [[ -n $__k_owner ]] || return 0
  command -p find "$__k_root" -xdev \( -uid 0 -o -gid 0 \) -exec chown -h "$__k_owner" {} + 2>/dev/null || true
}

# Fills __k_pids with the live processes of step S's run: in S's process group or tagged with the
# run id, above pid MIN (what S started has higher pids; 0 scans all). Zombies do not count: they
# are dead, only not yet reaped by whoever adopted them. Builtins only: this runs after every step.
__k_members() { # RUN_ID S_PID MIN_PID
  local d pid stat env
  __k_pids=()
  for d in /proc/[1-9]*; do
    pid=${d#/proc/}
    if ((pid <= $3)) || [[ $pid == "$BASHPID" ]]; then continue; fi
    IFS= read -r stat 2>/dev/null <"$d/stat" || continue
    stat=${stat##*) } # "STATE PPID PGRP ..." after the command name, which may hold anything
    [[ $stat == [ZX]* ]] && continue
    stat=${stat#* }
    stat=${stat#* }
    if [[ ${stat%% *} == "$2" ]]; then
      __k_pids+=("$pid")
      continue
    fi
    mapfile -d '' -t env 2>/dev/null <"$d/environ" || continue
    local IFS=$'\n'
    [[ $'\n'"${env[*]}"$'\n' == *$'\n'"TUTORIAL_RUN_ID=$1"$'\n'* ]] && __k_pids+=("$pid")
    unset IFS
  done
}

# Ends what is left of step S's run: TERM, up to GRACE ms, then KILL.
__k_end_run() { # RUN_ID S_PID GRACE_MS MIN_PID
  # A full scan (after a cancel) costs more: look less often.
  local waited=0 pause=0.02 ms=20
  (($4)) || pause=0.05 ms=50
  __k_members "$1" "$2" "$4"
  ((${#__k_pids[@]})) || return 0
  kill -TERM -- "-$2" 2>/dev/null
  kill -TERM "${__k_pids[@]}" 2>/dev/null
  while ((waited < $3)); do
    sleep "$pause"
    waited=$((waited + ms))
    __k_members "$1" "$2" "$4"
    ((${#__k_pids[@]})) || return 0
  done
  for _ in 1 2 3; do
    kill -KILL -- "-$2" 2>/dev/null
    kill -KILL "${__k_pids[@]}" 2>/dev/null
    sleep 0.02
    __k_members "$1" "$2" "$4"
    ((${#__k_pids[@]})) || return 0
  done
}

# A shell step's commands join the terminal's history (terminal-rc.sh takes new lines of this file
# at each prompt), so the learner can press Up for what a step ran, as if typed. Never through a link.
__k_remember() {
  local h=$__k_state/step-history
  [[ $__k_mode == shell && -f $__k_file && ! -L $h ]] || return 0
  printf '%s\n' "$(<"$__k_file")" >>"$h" 2>/dev/null
  return 0
}

__k_mark() { printf '\0%s %s\n' "$__k_nonce" "$*"; }

# Reads one NUL-terminated field from the runner.
__k_field() { IFS= read -r -d '' "$1"; }

# Kernel start: the spawn's environment is not the learner's; then the runner's hello.
__k_serve() {
  local n verb
  for n in $(compgen -e); do unset "$n"; done
  PATH=$__k_path
  __k_field verb && [[ $verb == hello ]] || return 2
  __k_field __k_nonce && __k_field __k_state && __k_field __k_root && __k_field __k_owner && __k_field __k_driver || return 2
  __k_cwd=$__k_root __k_scratch=$__k_state/.names.kernel
  __k_mark ready "$$"
}

# `once`: the request is in STEP_* variables; every other variable given is the runner's.
__k_once() {
  __k_state=$STEP_STATE __k_root=$STEP_ROOT __k_owner=${STEP_OWNER:-} __k_driver=$STEP_DRIVER
  __k_mode=$STEP_MODE __k_file=$STEP_FILE __k_step_cwd=$STEP_CWD __k_run=$TUTORIAL_RUN_ID __k_cwd=$STEP_ROOT
  unset STEP_STATE STEP_ROOT STEP_CWD STEP_MODE STEP_FILE STEP_DRIVER STEP_OWNER
  local n
  __k_list -e
  for n in "${__k_names[@]}"; do __k_skip "$n" || __k_R[$n]=${!n}; done
}

case ${1:-} in
  serve)
    __k_serve || exit
    __k_m='' __k_m_run=''
    while __k_field __k_verb; do
      case $__k_verb in
        env)
          __k_field __k_count
          __k_R=()
          for ((__k_i = 0; __k_i < __k_count; __k_i++)); do
            __k_field __k_kv
            __k_R[${__k_kv%%=*}]=${__k_kv#*=}
          done
          ;;
        cancel)
          __k_field __k_run
          [[ $__k_run == "$__k_m_run" && -n $__k_m ]] && kill -USR1 "$__k_m" 2>/dev/null
          ;;
        run)
          if ! { __k_field __k_run && __k_field __k_mode && __k_field __k_step_cwd && __k_field __k_file; }; then break; fi
          __k_adopt
          __k_remember
          # M: the monitor. At the top level, so the step's `source` is not inside a function
          # (where `declare` would make locals).
          (
            trap '__k_cancel=1' USR1
            __k_cancel='' __k_ended=''
            exec 4>&1 5>&2
            set -m # S gets a process group of its own, so one signal reaches all it started
            (
              exec </dev/null
              __k_scratch=$__k_state/.names.step
              __k_prepare "$__k_run" "$__k_step_cwd" || exit 1
              if [[ $__k_mode == shell ]]; then trap '__k_rc=$?; set +e; __k_save; exit $__k_rc' EXIT; fi
              case $__k_mode in
                shell)
                  # Stop at the first failing command, as a reader would stop reading on an error.
                  set -e
                  # shellcheck disable=SC1090
                  source "$__k_file"
                  ;;
                python) __k_python "$__k_file" ;;
                repl) __k_python "$__k_driver" "$__k_file" ;;
                *) echo "session: unknown mode $__k_mode" >&2 && exit 2 ;;
              esac
            ) &
            __k_s=$!
            set +m
            exec 2>/dev/null # job notices of a killed S must not reach the step's stderr
            __k_mark start "$__k_run" "$BASHPID" "$__k_s" >&4
            while :; do
              wait "$__k_s"
              __k_rc=$?
              if [[ -n $__k_cancel && -z $__k_ended ]]; then
                __k_ended=1
                __k_end_run "$__k_run" "$__k_s" 2000 0
                continue # collect S's status
              fi
              break
            done
            # What the step left in its process group (`cmd &`) ends with it, before it is reported.
            if [[ -z $__k_ended ]] && kill -0 -- "-$__k_s" 2>/dev/null; then
              __k_end_run "$__k_run" "$__k_s" 500 "$__k_s"
            fi
            __k_hand_back
            [[ -n $__k_cancel ]] && __k_rc=cancelled
            __k_mark end "$__k_run" "$__k_rc" >&4
            __k_mark end "$__k_run" "$__k_rc" >&5
            # Tagged processes that left the group (setsid, double fork) are looked for after the
            # report: a scan of every newer process would hold up each step's end.
            [[ -n $__k_ended ]] || __k_end_run "$__k_run" "$__k_s" 500 "$__k_s"
          ) &
          __k_m=$! __k_m_run=$__k_run
          ;;
        *) break ;;
      esac
    done
    # stdin closed: the runner is gone. End the step in progress, then leave.
    [[ -n $__k_m ]] && kill -USR1 "$__k_m" 2>/dev/null
    wait
    ;;
  once)
    __k_once
    __k_adopt
    __k_prepare "$__k_run" "$__k_step_cwd" || exit 1
    trap '__k_rc=$?; set +e; [[ $__k_mode == shell ]] && __k_save; __k_hand_back; exit $__k_rc' EXIT
    case $__k_mode in
      shell | background)
        set -e
        # shellcheck disable=SC1090
        source "$__k_file"
        ;;
      python) __k_python "$__k_file" ;;
      repl) __k_python "$__k_driver" "$__k_file" ;;
      *) echo "session: unknown mode $__k_mode" >&2 && exit 2 ;;
    esac
    ;;
  library) ;; # sourced by terminal-rc.sh for the functions above: the terminal's shell is the same session
  *)
    echo "usage: session.sh serve | once | library" >&2
    exit 2
    ;;
esac
