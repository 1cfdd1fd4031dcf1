#!/bin/bash
# `docker`, as the tutorial's steps see it: the real Docker CLI, plus `--label runnable-tutorial=true`
# on the commands that create containers, images, networks and volumes, so a reset can remove exactly
# what the tutorial made and nothing of the learner's own. Installed as `docker` ahead of the real
# CLI on PATH (/usr/local/bin/docker in the lab image, <workspace>/.runner/bin/docker on the host).
# Everything else is passed through untouched; the real CLI replaces this process (exec), so stdin,
# the terminal, signals and the exit code are its own. Commands that may pull an image (run, create,
# pull, build, and compose up/pull/build/create/run) run it as a child instead, with the same stdin,
# stdout, stderr and exit code, so that a failure for want of a registry can be explained after its
# own error (see offline_explain).
# Kept whole: one executable installed alone ahead of the real CLI (no library beside it to source),
# and one pass over a docker command line decides both the label and the offline explanation.
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

# ---- Offline: why an image could not be had --------------------------------------------------
# Without a registry (a classroom, CI), `docker run nginx:1.25.3` or a Dockerfile's
# `FROM python:3.13.9` ends in a DNS error about registry-1.docker.io. After the real CLI's own
# error, these functions say in two lines what was asked for, that no registry answers, which
# images of that name this machine has (with the versions their software really has, asked of
# the images themselves) and what to write instead. Nothing is said when the image is here or a
# registry answers.

# Options that are flags (no value); every other option of these commands takes one.
RUN_FLAGS=' -d --detach -i --interactive -t --tty -P --publish-all --rm --init --privileged --read-only -q --quiet --no-healthcheck --oom-kill-disable --disable-content-trust --sig-proxy --help '
PULL_FLAGS=' -a --all-tags -q --quiet --disable-content-trust --help '
BUILD_FLAGS=' --pull --no-cache -q --quiet --rm --force-rm --compress --squash --load --push --disable-content-trust --check --help '

# Printed by a throwaway container of an image: the versions of what it carries, e.g.
# "Python 3.13.5, Django 4.2.28" or "nginx 1.26.3". Expanded by the container's sh, not here:
# shellcheck disable=SC2016
VERSION_PROBE='out=
v=$(python3 -c "import platform; print(platform.python_version())" 2>/dev/null) && out="Python $v"
v=$(python3 -c "import importlib.metadata as m; print(m.version(\"django\"))" 2>/dev/null) && out="${out:+$out, }Django $v"
v=$(nginx -v 2>&1) && out="${out:+$out, }nginx ${v##*/}"
v=$(postgres --version 2>/dev/null) && out="${out:+$out, }PostgreSQL ${v##* }"
printf "%s" "$out"'

global=()
# The engine, asked with the global options (-H, --context) the learner gave.
ask() { "$real" "${global[@]}" "$@"; }

say() { printf 'offline: %s\n' "$*" >&2; }

# The first word that is neither an option nor an option's value. $1: the command's flags.
first_operand() {
  local flags=$1 word k takes
  shift
  while [ $# -gt 0 ]; do
    word=$1
    case "$word" in
      --)
        printf '%s' "${2:-}"
        return
        ;;
      --*=*) shift ;;
      --*) if [[ "$flags" == *" $word "* ]]; then shift; else shift 2; fi ;;
      -?*)
        # One-letter flags may be grouped (-it); a letter that takes a value ends the group,
        # its value attached (-p8000:8000) or the next word (-p 8000:8000).
        k=1 takes=0
        while [ "$k" -lt "${#word}" ]; do
          if [[ "$flags" == *" -${word:$k:1} "* ]]; then
            k=$((k + 1))
            continue
          fi
          [ $((k + 1)) -eq "${#word}" ] && takes=1
          break
        done
        shift
        [ "$takes" -eq 1 ] && shift
        ;;
      *)
        printf '%s' "$word"
        return
        ;;
    esac
  done
}

# `docker build`'s Dockerfile: -f/--file, else <context>/Dockerfile; nothing for stdin or a URL.
dockerfile_of() {
  local file='' word context
  context=$(first_operand "$BUILD_FLAGS" "$@")
  while [ $# -gt 0 ]; do
    word=$1
    shift
    case "$word" in
      -f | --file) file=${1:-} ;;
      --file=*) file=${word#--file=} ;;
      -f?*) file=${word#-f} ;;
    esac
  done
  case "$context" in '' | - | *://* | git@*) return ;; esac
  [ -n "$file" ] || file=$context/Dockerfile
  [ "$file" = - ] || printf '%s' "$file"
}

# The images a Dockerfile's FROM lines name, one a line, without its own stages and `scratch`.
from_images() {
  local line keyword rest word image stages=' scratch '
  shopt -s nocasematch
  while IFS= read -r line || [ -n "$line" ]; do
    read -r keyword rest <<<"$line"
    [[ "$keyword" == from ]] || continue
    image=''
    for word in $rest; do
      case "$word" in --*) continue ;; esac
      if [ -z "$image" ]; then
        image=$word
      elif [[ "$word" != as ]]; then
        stages="$stages$word "
      fi
    done
    # Stages named earlier, build arguments ($VERSION) and scratch are not images to pull.
    [[ -z "$image" || "$stages" == *" $image "* || "$image" == *'$'* ]] && continue
    printf '%s\n' "$image"
  done <"$1"
  shopt -u nocasematch
}

# docker.io/library/python:3.13.9 → python:3.13.9; no tag means :latest. Fails for other registries.
hub_ref() {
  local ref=$1 head
  ref=${ref#docker.io/}
  ref=${ref#index.docker.io/}
  ref=${ref#library/}
  head=${ref%%/*}
  [[ "$head" != "$ref" && ("$head" == *[.:]* || "$head" == localhost) ]] && return 1
  [[ "${ref##*/}" == *[:@]* ]] || ref=$ref:latest
  printf '%s' "$ref"
}

image_present() { ask image inspect --format '{{.Id}}' "$1" >/dev/null 2>&1; }

# The isolated lab's shared image store (lab-engine.sh, lab-mirror.yml): a registry's storage,
# mounted read-only, from which the lab's own engine pulls the tutorial's images on demand. Until
# a step pulled one, the lab's engine does not hold it, yet it is on this machine: the store is
# asked too. TUTORIAL_IMAGE_STORE moves it for the shim's own tests.
STORE=${TUTORIAL_IMAGE_STORE:-/var/lib/lab-mirror}/docker/registry/v2/repositories

# The store's images, one repo:tag a line; $1: a repository (python) or nothing for all of them.
# Only bash globs: the store's layout is repositories/library/<repo>/_manifests/tags/<tag>.
store_images() {
  local dir tag repo pattern=${1:-*}
  [ -d "$STORE/library" ] || return 0
  # shellcheck disable=SC2231 # $pattern is a glob on purpose (* for every repository)
  for dir in "$STORE"/library/$pattern/_manifests/tags/*; do
    [ -d "$dir" ] || continue
    tag=${dir##*/}
    repo=${dir%/_manifests/tags/*}
    printf '%s:%s\n' "${repo##*/}" "$tag"
  done
}

# Pulls the store's images of $1 (all of them without $1) into the lab's engine, quietly, so
# they can be listed and asked for their versions like any local image. Offline and from local
# disk (a few seconds), and only after a command has already failed.
pull_from_store() {
  local image
  while IFS= read -r image; do
    [ -n "$image" ] && ! image_present "$image" && ask pull -q "$image" >/dev/null 2>&1
  done <<<"$(store_images "${1:-}")"
  return 0
}

# Whether Docker Hub answers the engine: `docker search` asks it directly, however pulls are set up.
hub_answers() { ask search --limit 1 "$1" >/dev/null 2>&1; }

# "python:3.13 (Python 3.13.5, Django 4.2.28)": an image and what it really carries.
describe_image() {
  local versions
  versions=$(ask run --rm --network none --label runnable-tutorial=true --entrypoint sh "$1" -c "$VERSION_PROBE" 2>/dev/null)
  printf '%s%s' "$1" "${versions:+ ($versions)}"
}

# Explains one image that was asked for and could not be had. $1: how it was asked for (run, pull,
# build), $2: the reference, $3: where it was named, if not on the command line (a compose service).
explain_image() {
  local how=$1 ref repo tag candidate best='' list='' fallback='' where=${3:+ ($3)}
  ref=$(hub_ref "$2") || return 0
  image_present "$ref" && return 0
  repo=${ref%@*}
  repo=${repo%:*}
  tag=${ref#"$repo"}
  tag=${tag#[:@]}
  hub_answers "$repo" && return 0
  if [ "$how" = build ]; then
    say "the Dockerfile's FROM $2$where is not on this machine, and no registry answers here (Docker Hub cannot be reached), so it cannot be pulled."
  else
    say "$2$where is not on this machine, and no registry answers here (Docker Hub cannot be reached), so it cannot be pulled."
  fi
  pull_from_store "$repo"
  # The tags of that name that are here; the best stand-in is the longest tag that the one asked
  # for starts with (python:3.13 for python:3.13.9), else latest, else the first.
  while IFS= read -r candidate; do
    [[ -z "$candidate" || "$candidate" == *'<none>'* ]] && continue
    list="${list:+$list, }$(describe_image "$candidate")"
    [ -n "$fallback" ] || fallback=$candidate
    [ "${candidate#*:}" = latest ] && fallback=$candidate
    case "$tag" in "${candidate#*:}".*)
      [ "${#candidate}" -gt "${#best}" ] && best=$candidate
      ;;
    esac
  done <<<"$(ask image ls --format '{{.Repository}}:{{.Tag}}' "$repo" 2>/dev/null)"
  [ -n "$best" ] || best=$fallback
  if [ -n "$best" ]; then
    if [ "$how" = build ]; then
      say "this machine has $list instead: change the line to \`FROM $best\`."
    else
      say "this machine has $list instead: use $best in place of $2."
    fi
    return 0
  fi
  pull_from_store
  while IFS= read -r candidate; do
    [[ -z "$candidate" || "$candidate" == *'<none>'* ]] && continue
    list="${list:+$list, }$(describe_image "$candidate")"
  done <<<"$(ask image ls --filter label=runnable-tutorial.standin=true --format '{{.Repository}}:{{.Tag}}' 2>/dev/null)"
  [ -n "$list" ] && list="; the stand-ins here are $list"
  say "this machine has no $repo image$list."
}

# Compose's own options before its subcommand (-f, -p, ...), kept to ask `compose config` the same
# question; these take a value as the next word.
COMPOSE_VALUES=' -f --file -p --project-name --project-directory --env-file --profile --ansi --progress --parallel '
# ... and these do not (for first_operand, which takes every other option to have a value).
COMPOSE_FLAGS=' --compatibility --dry-run --all-resources --help -h '

# The images a compose project pulls or builds from, one "pull<TAB><image><TAB><service>" or
# "build<TAB><Dockerfile><TAB><service>" a line (a folder may have spaces), read from `docker compose config`, whose normalized YAML
# puts services at two spaces, their keys at four and build's keys at six (absolute context).
compose_sources() {
  local line service='' image='' context='' dockerfile='' building=0 in_services=0
  flush() {
    [ -n "$service" ] || return 0
    if [ "$building" -eq 1 ]; then
      case "${dockerfile:-Dockerfile}" in
        /*) printf 'build\t%s\t%s\n' "${dockerfile}" "$service" ;;
        *) [ -n "$context" ] && printf 'build\t%s/%s\t%s\n' "$context" "${dockerfile:-Dockerfile}" "$service" ;;
      esac
    elif [ -n "$image" ]; then
      printf 'pull\t%s\t%s\n' "$image" "$service"
    fi
  }
  while IFS= read -r line; do
    case "$line" in
      'services:') in_services=1 ;;
      [a-z]*) flush; service='' in_services=0 ;;
      '  '[!\ ]*:)
        [ "$in_services" -eq 1 ] || continue
        flush
        service=${line#  }
        service=${service%:}
        image='' context='' dockerfile='' building=0
        ;;
      '    build:') building=1 ;;
      '    image: '*) image=${line#    image: } ;;
      '      context: '*) [ "$building" -eq 1 ] && context=${line#      context: } ;;
      '      dockerfile: '*) [ "$building" -eq 1 ] && dockerfile=${line#      dockerfile: } ;;
      '    '[!\ ]*) ;; # another key of the service: build's own keys have ended
    esac
  done
  flush
}

# $@: the words after `compose`. Explains each service image or Dockerfile FROM that is missing.
compose_explain() {
  local options=() word kind what service ref
  while [ $# -gt 0 ]; do
    word=$1
    case "$word" in
      --*=*) options+=("$word") ;;
      -*)
        options+=("$word")
        if [[ "$COMPOSE_VALUES" == *" $word "* ]]; then
          shift
          options+=("${1:-}")
        fi
        ;;
      *) break ;;
    esac
    shift
  done
  while IFS=$'\t' read -r kind what service; do
    case "$kind" in
      pull) explain_image pull "$what" "service $service of the compose file" ;;
      build)
        [ -r "$what" ] || continue
        while IFS= read -r ref; do
          [ -n "$ref" ] && explain_image build "$ref" "service $service of the compose file"
        done <<<"$(from_images "$what")"
        ;;
    esac
  done <<<"$(ask compose "${options[@]}" config 2>/dev/null | compose_sources)"
}

# $1: the failed CLI's exit code, $2: run, create, pull, build or compose, then the global options,
# --, and the words after the command.
offline_explain() {
  local code=$1 how=$2 ref file
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do
    global+=("$1")
    shift
  done
  shift
  case "$how" in
    run | create)
      # 125: Docker itself failed, not the container's command.
      [ "$code" -eq 125 ] || return 0
      ref=$(first_operand "$RUN_FLAGS" "$@")
      [ -n "$ref" ] && explain_image run "$ref"
      ;;
    pull)
      ref=$(first_operand "$PULL_FLAGS" "$@")
      [ -n "$ref" ] && explain_image pull "$ref"
      ;;
    compose) compose_explain "$@" ;;
    build)
      file=$(dockerfile_of "$@")
      [ -n "$file" ] && [ -r "$file" ] || return 0
      while IFS= read -r ref; do
        [ -n "$ref" ] && explain_image build "$ref"
      done <<<"$(from_images "$file")"
      ;;
  esac
  return 0
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

# Commands that may fetch an image from a registry: their failure gets an explanation when the
# image is not here and no registry answers (offline-explain below).
fetches=''
case "$first" in
  run | create | pull | build) fetches=$first ;;
  container) case "$second" in run | create) fetches=$second ;; esac ;;
  image) case "$second" in pull | build) fetches=$second ;; esac ;;
  builder | buildx) case "$second" in build) fetches=build ;; esac ;;
  # Which compose subcommand it is does not matter much: `up`, `pull`, `build`, `create` and `run`
  # may pull or build, and the explanation only speaks of images that are missing.
  compose) fetches=compose ;;
esac
case "$first" in container | image | builder | buildx) rest=$((i + 2)) ;; *) rest=$((i + 1)) ;; esac

# Of compose, only the subcommands that may pull or build run as a child (see below); the others
# (logs -f, exec -it, ...) get the real CLI itself.
if [ "$fetches" = compose ]; then
  compose_command=$(first_operand "$COMPOSE_FLAGS" "${args[@]:$rest}")
  case "$compose_command" in up | pull | build | create | run) ;; *) fetches='' ;; esac
fi

if [ "$words" -eq 0 ]; then
  command=("$@")
else
  cut=$((i + words))
  command=("${args[@]:0:$cut}" --label runnable-tutorial=true "${args[@]:$cut}")
fi
if [ -z "$fetches" ]; then
  exec "$real" "${command[@]}"
fi

# The real CLI runs as a child, not exec'd, so that its failure can be explained afterwards. Its
# stdin, stdout, stderr (a terminal stays a terminal) and output are untouched; only when it has
# failed does the shim look at why, and its exit code is passed on either way.
"$real" "${command[@]}"
code=$?
if [ "$code" -ne 0 ]; then
  offline_explain "$code" "$fetches" "${args[@]:0:$i}" -- "${args[@]:$rest}"
fi
exit "$code"
