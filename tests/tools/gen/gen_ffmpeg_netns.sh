#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gen_ffmpeg_netns.sh: FFmpeg, a receiver nobody here wrote, decodes what
# sy-gen writes, from the SDP sy-gen writes, to the very frames sy-gen
# rendered: its per-frame MD5s (-c:v copy -f framemd5) must equal the
# manifest's frame_md5 list. Formats: 320x180p25 and 1280x720p50, 4:2:2
# 10-bit GPM, and 720p50 BPM (8 frames each; FFmpeg's bit-exact formats).
#
# The capture is replayed with tcpreplay onto a veth pair between two network
# namespaces this test creates (sender 10.99.0.1, receiver 10.99.0.2, group
# 239.99.x.y, TTL 1); nothing leaves them. Needs root, ip, tcpreplay,
# ffmpeg; exits 77 (skip) without them.
#   usage: gen_ffmpeg_netns.sh SY_GEN
set -uo pipefail
gen=$1

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for network namespaces"; exit 77; }
for c in ip tcpreplay ffmpeg python3; do
	command -v $c >/dev/null || { echo "SKIP: $c not installed"; exit 77; }
done

id=$$
tx=sygtx$id rx=sygrx$id
work=$(mktemp -d)
cleanup() {
	ip netns del "$tx" 2>/dev/null
	ip netns del "$rx" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$tx" && ip netns add "$rx" || exit 1
ip link add "vgt$id" type veth peer name "vgr$id" || exit 1
ip link set "vgt$id" netns "$tx"
ip link set "vgr$id" netns "$rx"
ip -n "$tx" addr add 10.99.0.1/24 dev "vgt$id"
ip -n "$rx" addr add 10.99.0.2/24 dev "vgr$id"
for n in "$tx" "$rx"; do ip -n "$n" link set lo up; done
ip -n "$tx" link set "vgt$id" up mtu 9000
ip -n "$rx" link set "vgr$id" up mtu 9000
ip -n "$rx" route add 239.0.0.0/8 dev "vgr$id"
ip -n "$tx" route add 239.0.0.0/8 dev "vgt$id"
ip netns exec "$rx" sysctl -q -w net.core.rmem_max=67108864 2>/dev/null || true

fail=0
check() { # name pps sy-gen-args...
	local name=$1 pps=$2
	shift 2
	"$gen" --out "$work/$name.pcap" --sdp "$work/$name.sdp" --manifest "$work/$name.json" \
		"$@" --src 10.99.0.1 --frames 8 2>"$work/$name.gen" ||
		{ echo "FAIL: sy-gen $name"; cat "$work/$name.gen"; fail=1; return; }
	ip netns exec "$rx" timeout 40 ffmpeg -nostdin -hide_banner -loglevel error \
		-protocol_whitelist file,udp,rtp -buffer_size 67108864 -i "$work/$name.sdp" \
		-frames:v 8 -c:v copy -f framemd5 "$work/$name.md5" 2>"$work/$name.err" &
	local pid=$!
	sleep 2 # FFmpeg opens the SDP and joins the group
	ip netns exec "$tx" tcpreplay -q -i "vgt$id" --pps="$pps" "$work/$name.pcap" \
		>/dev/null 2>&1
	wait $pid
	local got want
	got=$(grep -v '^#' "$work/$name.md5" 2>/dev/null | awk -F', *' '{print $6}' | tr '\n' ' ')
	want=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["flows"][0]["frame_md5"]) + " ")' \
		"$work/$name.json")
	if [ "$got" = "$want" ]; then
		echo "ok: $name: FFmpeg decoded 8 frames from sy-gen's SDP, MD5s = manifest frame_md5"
	else
		echo "FAIL: $name"
		sed 's/^/  sdp: /' "$work/$name.sdp"
		echo "  want: $want"; echo "  got:  $got"
		sed 's/^/  ffmpeg: /' "$work/$name.err" | head -20
		fail=1
	fi
}

check small 20000 --video 320x180p25 --dst 239.99.21.1:6004
check hd 50000 --video 1280x720p50 --dst 239.99.21.2:6006
check bpm 50000 --video 1280x720p50 --packing BPM --dst 239.99.21.3:6008
exit $fail
