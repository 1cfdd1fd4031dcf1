#!/bin/bash
# `docker`, as the tutorial's steps see it: the real Docker CLI, plus `--label runnable-tutorial=true`
# on the commands that create containers, images, networks and volumes, so a reset can remove exactly
# what the tutorial made and nothing of the learner's own. Installed as `docker` ahead of the real
# CLI on PATH (/usr/local/bin/docker in the lab image, <workspace>/.runner/bin/docker on the host).
# Everything else is passed through untouched; the real CLI replaces this process (exec), so stdin,
# the terminal, signals and the exit code are its own.
#
# Written for bash 3.2 too (macOS): no associative arrays, no mapfile.

# Only bash builtins until the real CLI runs: PATH may hold nothing else useful.
absolute_path() {
  local dir=${1%/*} name=${1##*/}
  [ "$dir" = "$1" ] && dir=.
  (cd "$dir" 2>/dev/null && printf '%s/%s\n' "$(pwd -P)" "$name")
}

# Another copy of this shim (e.g. a stale install) would recurse forever: it is not the real CLI.
is_shim() {
  local head
  IFS= read -r -n 2 head <"$1" 2>/dev/null || return 1
  [ "$head" = '#!' ] || return 1
  [[ "$(<"$1")" == *runnable-tutorial=true* ]]
}

self=$(absolute_path "$0")

# The real CLI: the next `docker` on PATH that is not this script, else /usr/bin/docker.
find_real_docker() {
  local dir candidate
  local IFS=:
  for dir in $PATH; do
    candidate="${dir:-.}/docker"
    if [ ! -f "$candidate" ] || [ ! -x "$candidate" ]; then continue; fi
    [ "$(absolute_path "$candidate")" = "$self" ] && continue
    is_shim "$candidate" && continue
    echo "$candidate"
    return 0
  done
  if [ -x /usr/bin/docker ] && [ "$self" != /usr/bin/docker ] && ! is_shim /usr/bin/docker; then
    echo /usr/bin/docker
    return 0
  fi
  return 1
}

real=$(find_real_docker) || {
  echo "docker (runnable-tutorial shim at $self): no real docker CLI found on PATH after this one, nor at /usr/bin/docker. Install Docker (docker.io or Docker Desktop)." >&2
  exit 127
}

# Global options come before the command; these take a value as the next word.
takes_value() {
  case "$1" in
    --config | -c | --context | -H | --host | -l | --log-level | --tlscacert | --tlscert | --tlskey) return 0 ;;
    *) return 1 ;;
  esac
}

args=("$@")
count=$#
i=0
while [ "$i" -lt "$count" ]; do
  word=${args[$i]}
  case "$word" in
    --) break ;;
    --*=*) i=$((i + 1)) ;;
    -*)
      if takes_value "$word"; then i=$((i + 2)); else i=$((i + 1)); fi
      ;;
    *) break ;;
  esac
done

# $i is the index of the command word. How many words name an object-creating command (0: none)?
first=${args[$i]:-}
second=${args[$((i + 1))]:-}
words=0
case "$first" in
  run | create | build) words=1 ;;
  container) case "$second" in run | create) words=2 ;; esac ;;
  image | builder | buildx) case "$second" in build) words=2 ;; esac ;;
  network | volume) case "$second" in create) words=2 ;; esac ;;
esac

if [ "$words" -eq 0 ]; then
  exec "$real" "$@"
fi

cut=$((i + words))
exec "$real" "${args[@]:0:$cut}" --label runnable-tutorial=true "${args[@]:$cut}"
