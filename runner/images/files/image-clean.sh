#!/bin/sh
# Last step of every image recipe: drop what only the build needed, to keep the image small.
set -eu
rm -rf /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/* /var/lib/apt/lists/* /tmp/* /var/tmp/*
