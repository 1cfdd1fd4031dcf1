#!/bin/sh
# Makes Debian's Python behave like the official python image for `pip install -r requirements.txt`.
# Runs inside the image's root filesystem (chroot offline, RUN online), as root.
set -eu

# Debian marks its Python as managed by apt (PEP 668), so pip would refuse to install anything;
# the official image has no such marker, and the tutorial runs pip as root like it does there.
rm -f /usr/lib/python3*/EXTERNALLY-MANAGED

# Debian's python3-psycopg2 is the distribution "psycopg2"; requirement files usually name the
# wheel-only "psycopg2-binary", which offers the same `psycopg2` module. Metadata under that name
# lets `pip install psycopg2-binary` find it already installed instead of failing offline.
version=$(python3 -c 'import importlib.metadata as m; print(m.version("psycopg2"))')
site=/usr/lib/python3/dist-packages
name=psycopg2_binary-$version.dist-info
mkdir -p "$site/$name"
printf 'Metadata-Version: 2.1\nName: psycopg2-binary\nVersion: %s\nSummary: Alias of the Debian package python3-psycopg2 (runnable-tutorial stand-in)\n' \
  "$version" >"$site/$name/METADATA"
echo debian >"$site/$name/INSTALLER"
printf '%s/METADATA,,\n%s/INSTALLER,,\n%s/RECORD,,\n' "$name" "$name" "$name" >"$site/$name/RECORD"
