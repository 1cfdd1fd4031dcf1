# shellcheck shell=bash
# The in-page terminal's shell: `bash --noprofile --rcfile terminal-rc.sh -i` on the target, in a
# pty the runner keeps (runner/terminal/). It is the learner's session, the one the steps run in:
#
#   start          reads the steps' saved state (learner.sh): cwd, exported variables, functions
#   each prompt    saves its own state the way a step does (a `cd` or `export` typed here is what
#                  the next step starts from), then takes the steps' state if a step changed it
#   each command   before the first command of a line: the steps' state again, if it changed
#                  while the prompt waited (a step's `cd` is where the next command runs)
#   history        shared: a shell step's commands are added to this shell's history file
#
# The functions are the kernel's own (session.sh), so both sides write and read one format. The
# runner hands over, in the environment: TUTORIAL_TERMINAL_SESSION (session.sh), _STATE (the
# session folder), _ROOT (the workspace), _OWNER (uid:gid to hand lab files back to, or empty).
# Every other variable it is started with is the runner's (as the kernel's `env` record).
# shellcheck disable=SC2034,SC2154

# shellcheck disable=SC1090
source "$TUTORIAL_TERMINAL_SESSION" library || return
__k_state=$TUTORIAL_TERMINAL_STATE __k_root=$TUTORIAL_TERMINAL_ROOT __k_owner=${TUTORIAL_TERMINAL_OWNER:-}
# Names are listed through a pipe (a fork per prompt is nothing here), not a scratch file in the
# session folder: Reset removes that folder, and a failed listing would forget the wrong names.
__k_scratch=
unset TUTORIAL_TERMINAL_SESSION TUTORIAL_TERMINAL_STATE TUTORIAL_TERMINAL_ROOT TUTORIAL_TERMINAL_OWNER
__k_list -e
# shellcheck disable=SC2004 # __k_R is associative (session.sh): the key is a name, not arithmetic
for __k_t_n in "${__k_names[@]}"; do __k_skip "$__k_t_n" || __k_R[$__k_t_n]=${!__k_t_n}; done
unset __k_t_n
__k_cwd=$__k_root

# The steps' state, if it is not what this shell last read or wrote: forget ours, take theirs,
# then the runner's variables and the learner's changes to them, as a step gets them.
__k_t_sync() {
  local before=$__k_loaded
  __k_adopt
  [[ $__k_loaded == "$before" && -n ${1:-} ]] && return 0
  __k_prepare '' ''
  unset TUTORIAL_RUN_ID
}

__k_t_prompt() {
  local rc=$?
  # Reset empties the workspace, the session folder with it: this shell's state starts it again.
  [[ -d $__k_state ]] || command -p mkdir -p -m 700 -- "$__k_state" 2>/dev/null
  # Never written through a link planted there (say by the lab's root, into a file of yours).
  [[ -L $HISTFILE ]] && command -p rm -f -- "$HISTFILE"
  history -a 2>/dev/null
  __k_t_step_history
  __k_save
  __k_hand_back
  __k_t_sync changed-only
  __k_t_fresh=1
  return "$rc"
}

# What shell steps ran since the last prompt (session.sh's __k_remember) joins this shell's history,
# so Up finds it. Not `history -n`: it counts lines by what this shell wrote, and others' lines
# arriving in between throw that count off.
__k_t_step_history() {
  local f=$__k_state/step-history i
  [[ -f $f && ! -L $f ]] || return 0
  local -a lines
  mapfile -t lines <"$f" 2>/dev/null || return 0
  ((${#lines[@]} < __k_t_steps_seen)) && __k_t_steps_seen=0 # a Reset started the file again
  for ((i = __k_t_steps_seen; i < ${#lines[@]}; i++)); do
    [[ -n ${lines[i]} ]] && history -s -- "${lines[i]}"
  done
  __k_t_steps_seen=${#lines[@]}
}

# Runs before every simple command typed here (not inside functions): only the first of a
# command line looks at the state file.
__k_t_fresh=
__k_t_preexec() {
  [[ -n $__k_t_fresh ]] || return 0
  __k_t_fresh=
  __k_t_sync changed-only
}

HISTFILE=$__k_state/terminal-history
# A shell that starts again (the runner restarted) has the steps' lines in its own file already.
__k_t_steps_seen=0
if [[ -f $HISTFILE && -f $__k_state/step-history ]]; then
  mapfile -t __k_t_lines <"$__k_state/step-history" && __k_t_steps_seen=${#__k_t_lines[@]}
  unset __k_t_lines
fi
HISTSIZE=5000
HISTFILESIZE=5000
shopt -s histappend checkwinsize
PS1='\[\e[1;32m\]\u@\h\[\e[0m\]:\[\e[1;34m\]\w\[\e[0m\]\$ '
PROMPT_COMMAND=__k_t_prompt
__k_t_sync
trap '__k_t_preexec' DEBUG
