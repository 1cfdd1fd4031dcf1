#!/bin/sh
# Makes Debian's nginx look like the official nginx image (whose conf.d/default.conf and pages
# the recipe copies in): no Debian default site, logs to the container's output.
set -eu

# Debian serves /var/www/html through sites-enabled/default; the official image has no such site.
rm -f /etc/nginx/sites-enabled/default

# `docker logs` shows what nginx logs, as in the official image.
ln -sf /dev/stdout /var/log/nginx/access.log
ln -sf /dev/stderr /var/log/nginx/error.log
