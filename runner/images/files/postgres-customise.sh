#!/bin/sh
# Makes Debian's PostgreSQL 17 behave like the official postgres:17 image: no cluster made at
# install time (the entrypoint makes one on first start, in the volume), a data folder at the
# official path, and a socket folder the postgres user may write to.
# Runs inside the image's root filesystem (chroot offline, RUN online), as root.
set -eu

# postgresql-17's postinst creates a "main" cluster under /var/lib/postgresql/17 with its
# configuration in /etc/postgresql/17; the official image has neither, and it would only take room.
rm -rf /etc/postgresql/17 /var/lib/postgresql/17

# The official image's PGDATA. Empty here: docker-entrypoint.sh runs initdb on first start.
mkdir -p /var/lib/postgresql/data
chown -R postgres:postgres /var/lib/postgresql
chmod 1777 /var/lib/postgresql/data

# The Unix socket folder; the official image makes it writable for whichever user runs postgres.
mkdir -p /var/run/postgresql
chown postgres:postgres /var/run/postgresql
chmod 3777 /var/run/postgresql

# Scripts and SQL files run once, when the database is first created.
mkdir -p /docker-entrypoint-initdb.d
