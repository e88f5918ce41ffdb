#!/bin/sh
# Renders a sample's ladder as PNG and compares it with the stored
# reference image (tests/golden/expected/<sample>.ladder.png) within the
# tolerance of png-compare. The reference is drawn with DejaVu Sans Mono
# (Debian package fonts-dejavu-core, installed by tools/setup): without
# that font the picture cannot match, so the test is skipped (77).
# Usage: check-ladder-png.sh CLI PNG_COMPARE SAMPLE CALL_ID REFERENCE
set -eu
cli=$1 compare=$2 sample=$3 call=$4 reference=$5
if ! fc-match -f '%{family}\n' 'DejaVu Sans Mono' 2>/dev/null | grep -q 'DejaVu Sans Mono'; then
    echo "DejaVu Sans Mono is not installed (fonts-dejavu-core): cannot compare pictures"
    exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$cli" ladder --call "$call" -o "$tmp/ladder.png" "$sample"
"$compare" "$tmp/ladder.png" "$reference"
