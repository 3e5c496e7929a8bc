#!/bin/sh
# SPDX-License-Identifier: MIT
# demo.sh: the README's "run" command until the switcher exists (issues 4, 5).
# Reads every third-party ST 2110 capture and SDP in the shared vectors with
# the project's own tools: sy-sdp checks each SDP (warnings included) and
# sy-analyze rebuilds the video frames (per-frame MD5, comparable with the
# published ones), reads the audio samples and checks sequence continuity.
#   usage: tools/demo.sh [BUILD_DIR] [VECTORS_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
vectors=${2:-$here/../shared/vectors}
[ -x "$build/tools/analyze/sy-analyze" ] || { echo "build first: meson setup build && ninja -C build" >&2; exit 1; }

echo "== SDPs (sy-sdp check)"
for s in "$vectors"/*.sdp; do
	echo "-- $(basename "$s")"
	"$build/tools/sy-sdp" check "$s"
done

echo
echo "== captures (sy-analyze)"
set --
for s in "$vectors"/*.sdp; do set -- "$@" --sdp "$s"; done
"$build/tools/analyze/sy-analyze" "$@" "$vectors"/*.pcap
