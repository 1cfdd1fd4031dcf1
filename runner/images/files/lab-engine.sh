#!/bin/sh
# Entry of the isolated lab (tini runs it as PID 1's child): starts the lab's own Docker engine,
# and in front of it a read-only registry mirror of the tutorial's images, then runs the command
# (`sleep infinity`). Nothing here talks to the Docker engine the lab itself runs on.
#
#   /var/lib/docker         the engine's state: a volume of its own per lab (Reset removes it)
#   /var/lib/lab-mirror     the shared image store, mounted read-only (may be absent)
#   /var/log/lab-engine     dockerd's and the mirror's logs, for `docker exec myserver01 cat ...`
set -u
mkdir -p /var/log/lab-engine
# A lab that was stopped (culled, restarted) keeps /var/run: the pid files of the engine it ran
# then would name a process that no longer exists, or a different one, and dockerd would refuse.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid

# LAB_MIRROR_SEED=1: this is the short-lived lab that fills the store (writable registry).
config=/etc/lab-engine/mirror.yml
if [ "${LAB_MIRROR_SEED:-}" = 1 ]; then
  config=/etc/lab-engine/mirror-seed.yml
  mkdir -p /var/lib/lab-mirror/docker
fi
mirror_args=""
# Mounted from the first start, even while empty: the store is filled later (before the first
# Docker step) and the registry serves whatever is there at each request.
if [ -d /var/lib/lab-mirror ]; then
  # Only on the lab's own loopback: no other lab and nothing outside can reach it. Docker treats
  # 127.0.0.0/8 as an insecure (plain http) registry by default, so no TLS is needed.
  /usr/bin/docker-registry serve "$config" >/var/log/lab-engine/mirror.log 2>&1 &
  mirror_args="--registry-mirror=http://127.0.0.1:5000"
fi

# The lab's containers go under the lab's own cgroup, so a memory, CPU or pids limit on the lab
# holds for everything started inside it (cgroup v1 puts them at the root of each hierarchy
# otherwise). cgroup v2 with a private namespace already nests them.
parent=""
own=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup)
if [ -n "$own" ] && [ "$own" != "/" ]; then parent="--cgroup-parent=$own/lab-engine"; fi

# shellcheck disable=SC2086 # the optional arguments are single words or empty
dockerd --host=unix:///var/run/docker.sock $mirror_args $parent >/var/log/lab-engine/dockerd.log 2>&1 &

exec "$@"
