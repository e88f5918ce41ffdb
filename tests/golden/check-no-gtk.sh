#!/bin/sh
# Fails when the given binary links GTK or GDK (directly or indirectly).
set -eu
libs=$(ldd "$1")
echo "$libs" | grep -q 'libglib-2.0' || { echo "ldd output unexpected:"; echo "$libs"; exit 1; }
if echo "$libs" | grep -E 'libgtk|libgdk-3'; then
    echo "$1 links GTK"
    exit 1
fi
echo "$1 does not link GTK"
