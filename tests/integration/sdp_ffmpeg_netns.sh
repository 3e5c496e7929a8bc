#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# sdp_ffmpeg_netns.sh: prove the SDPs Switchyard emits are right by use.
#
# For each ST 2110-20 vector: parse its SDP with sy-sdp and emit it again with
# the addresses of a private test network (new group, port and source), rewrite
# the capture to those addresses (tcprewrite), replay it with tcpreplay onto a
# veth pair between two network namespaces this test creates, and let FFmpeg
# receive it there from the emitted SDP. FFmpeg's per-frame MD5s
# (-c:v copy -f framemd5) must equal the ones published in
# ../shared/vectors/README.md. The -30 L24 stereo vector goes the same way and
# FFmpeg's ebur128 must read -23.0 LUFS.
#
# Nothing leaves the namespaces: sender 10.99.0.1, receiver 10.99.0.2, groups
# 239.99.x.y, TTL as captured (1). Needs root, ip, tcpreplay, tcprewrite,
# ffmpeg; exits 77 (skip) without them.
#   usage: sdp_ffmpeg_netns.sh SY_SDP_BINARY VECTORS_DIR
set -uo pipefail
sdp_tool=$1
vectors=$2

[ "$(id -u)" -eq 0 ] || { echo "SKIP: needs root for network namespaces"; exit 77; }
for c in ip tcpreplay tcprewrite ffmpeg; do
	command -v $c >/dev/null || { echo "SKIP: $c not installed"; exit 77; }
done

id=$$
tx=sytx$id rx=syrx$id
work=$(mktemp -d)
cleanup() {
	ip netns del "$tx" 2>/dev/null
	ip netns del "$rx" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

ip netns add "$tx" && ip netns add "$rx" || exit 1
ip link add "vtx$id" type veth peer name "vrx$id" || exit 1
ip link set "vtx$id" netns "$tx"
ip link set "vrx$id" netns "$rx"
ip -n "$tx" addr add 10.99.0.1/24 dev "vtx$id"
ip -n "$rx" addr add 10.99.0.2/24 dev "vrx$id"
for n in "$tx" "$rx"; do ip -n "$n" link set lo up; done
ip -n "$tx" link set "vtx$id" up mtu 9000
ip -n "$rx" link set "vrx$id" up mtu 9000
ip -n "$rx" route add 239.0.0.0/8 dev "vrx$id"
ip -n "$tx" route add 239.0.0.0/8 dev "vtx$id"
# the receiver must not drop bursts: a bigger socket buffer limit inside rx
ip netns exec "$rx" sysctl -q -w net.core.rmem_max=67108864 2>/dev/null || true

fail=0

# replay PCAP (already rewritten) after FFmpeg has started on SDP; $@ = ffmpeg output args
receive() { # pcap sdp out-file ffmpeg-args...
	local pcap=$1 sdp=$2 outf=$3
	shift 3
	ip netns exec "$rx" timeout 40 ffmpeg -nostdin -hide_banner -loglevel error \
		-protocol_whitelist file,udp,rtp -buffer_size 33554432 -i "$sdp" "$@" "$outf" \
		2>"$outf.err" &
	local pid=$!
	sleep 2 # FFmpeg opens the SDP and joins the group
	ip netns exec "$tx" tcpreplay -q -i "vtx$id" --pps=4000 "$pcap" >/dev/null 2>&1
	wait $pid
}

check_video() { # vector-base old-group old-port new-group new-port
	local base=$1 og=$2 op=$3 ng=$4 np=$5
	local mac
	mac=$(printf '01:00:5e:%02x:%02x:%02x' $(( $(echo "$ng" | cut -d. -f2) & 127 )) \
		"$(echo "$ng" | cut -d. -f3)" "$(echo "$ng" | cut -d. -f4)")
	"$sdp_tool" emit "$vectors/$base.sdp" --dst-ip "$ng" --src-ip 10.99.0.1 --port "$np" \
		>"$work/$base.sdp" || { echo "FAIL: sy-sdp emit $base"; fail=1; return; }
	tcprewrite --infile="$vectors/$base.pcap" --outfile="$work/$base.pcap" \
		--dstipmap="$og/32:$ng/32" --portmap="$op:$np" --enet-dmac="$mac" --fixcsum ||
		{ echo "FAIL: tcprewrite $base"; fail=1; return; }
	receive "$work/$base.pcap" "$work/$base.sdp" "$work/$base.md5" -frames:v 10 \
		-c:v copy -f framemd5
	local got want
	got=$(grep -v '^#' "$work/$base.md5" | awk -F', *' '{print $6}' | tr '\n' ' ')
	want=$(sed -n "/^$base.pcap:/,/^\$/p" "$vectors/README.md" | grep -Eo '[0-9a-f]{32}' |
		tr '\n' ' ')
	if [ -n "$want" ] && [ "$got" = "$want" ]; then
		echo "ok: $base: FFmpeg decoded 10 frames from the emitted SDP, MD5s match"
	else
		echo "FAIL: $base"
		echo "  emitted SDP:"; sed 's/^/    /' "$work/$base.sdp"
		echo "  want: $want"; echo "  got:  $got"
		sed 's/^/  ffmpeg: /' "$work/$base.md5.err" | head -20
		fail=1
	fi
}

check_video st2110-20_gst_320x180p25_ycbcr422_10bit_10f 239.10.20.1 5004 239.99.20.1 6004
check_video st2110-20_ffmpeg_320x180p25_ycbcr422_10bit_10f 239.10.20.3 5006 239.99.20.3 6006

# audio: L24 48 kHz stereo 1 kHz at -23 dBFS peak -> -23.0 LUFS integrated
base=st2110-30_gst_l24_48k_2ch_1ms_sine1k_m23dBFS_2s
"$sdp_tool" emit "$vectors/$base.sdp" --dst-ip 239.99.30.1 --src-ip 10.99.0.1 --port 6030 \
	>"$work/$base.sdp" || { echo "FAIL: sy-sdp emit $base"; fail=1; }
tcprewrite --infile="$vectors/$base.pcap" --outfile="$work/$base.pcap" \
	--dstipmap=239.10.30.1/32:239.99.30.1/32 --portmap=5030:6030 \
	--enet-dmac=01:00:5e:63:1e:01 --fixcsum
ip netns exec "$rx" timeout 40 ffmpeg -nostdin -hide_banner -protocol_whitelist file,udp,rtp \
	-i "$work/$base.sdp" -t 1.9 -af ebur128 -f null - >"$work/a.log" 2>&1 &
pid=$!
sleep 2
ip netns exec "$tx" tcpreplay -q -i "vtx$id" --pps=1000 "$work/$base.pcap" >/dev/null 2>&1
wait $pid
lufs=$(grep -A3 'Integrated loudness' "$work/a.log" | grep -Eo 'I: +-?[0-9.]+' | awk '{print $2}')
if [ "$lufs" = "-23.0" ]; then
	echo "ok: $base: FFmpeg received L24 from the emitted SDP, I = $lufs LUFS"
else
	echo "FAIL: $base: integrated loudness '$lufs', want -23.0"
	tail -20 "$work/a.log"
	fail=1
fi
exit $fail
