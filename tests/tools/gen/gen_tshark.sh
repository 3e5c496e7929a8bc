#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# gen_tshark.sh: a third party (Wireshark's tshark) agrees with sy-gen's
# manifest packet for packet, finds no checksum or other expert errors, and
# sy-sdp accepts the SDPs sy-gen wrote.
#
# One capture with a narrow 59.94 video flow (loss, a burst, reorder, dup,
# wrong PT, no marker), an L24 audio flow, an ANC flow and a 2022-7 video
# pair with skew and independent loss. From the manifest alone this script
# predicts every flow's RTP sequence numbers in send order, every RTP
# timestamp (computed here from the frame grid index: floor(g * den * 90000 /
# num) mod 2^32 for video/ANC, sample index mod 2^32 for audio) and every
# marker, and compares them with tshark's dissection of the capture.
#   usage: gen_tshark.sh SY_GEN SY_SDP
set -uo pipefail
gen=$1
sdp_tool=$2
command -v tshark >/dev/null || { echo "SKIP: tshark not installed"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0

"$gen" --out "$work/s.pcap" --sdp "$work/s%d.sdp" --manifest "$work/s.json" --seed 7 \
	--tai-start 1700000302.5 \
	--video 1280x720p59.94 --frames 3 --loss 0.002 --loss-burst 4@100 --reorder 50 \
	--dup 60 --wrong-pt 70 --no-marker 1 \
	--audio L24/48000/2 --ptime 125us --dup 5 \
	--anc \
	--video 320x180p50 --frames 5 --seq-start 65530 --2022-7 2.5 --loss-a 0.01 \
	--loss-b 0.01 --leg B --reorder 7 \
	2>"$work/gen.err" || { echo "FAIL: sy-gen"; cat "$work/gen.err"; exit 1; }

decode=()
for p in 5004 5006 5008 5010; do decode+=(-d "udp.port==$p,rtp"); done
tshark -r "$work/s.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE "${decode[@]}" \
	-T fields -E separator=, -e ip.dst -e udp.dstport -e rtp.seq -e rtp.timestamp \
	-e rtp.marker -e rtp.p_type -e ip.checksum.status -e udp.checksum.status \
	>"$work/t.csv" 2>"$work/t.err" || { echo "FAIL: tshark"; cat "$work/t.err"; exit 1; }
tshark -r "$work/s.pcap" -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE "${decode[@]}" \
	-q -z expert,warn >"$work/expert.txt" 2>/dev/null
if grep -Eq '^(Errors|Warns)' "$work/expert.txt"; then
	echo "FAIL: tshark expert info:"; cat "$work/expert.txt"; fail=1
else
	echo "ok: tshark: no checksum errors or warnings in $(wc -l <"$work/t.csv") packets"
fi

python3 - "$work/s.json" "$work/t.csv" <<'EOF' || fail=1
import json, sys
m = json.load(open(sys.argv[1]))
rows = [l.strip().split(',') for l in open(sys.argv[2])]
bad = 0
for r in rows:
    if r[6] != '1' or r[7] != '1':
        print('FAIL: checksum status', r); bad = 1

def expected(flow, leg):
    """(seq16, ts, marker) in send order, from the manifest only."""
    f = leg['faults']
    n = flow['packets_clean']
    kind = flow['kind']
    pkts = []
    for k in range(n):
        seq32 = (flow['seq_start'] + k) & 0xffffffff
        if kind == 'video':
            fmt = flow['format']
            ppf = flow['packets_per_field'] * flow['fields']
            frame, j = divmod(k, ppf)
            field = j // flow['packets_per_field']
            g = flow['first_grid_index'] + frame * flow['fields'] + field
            num, den = fmt['rate_num'] * flow['fields'], fmt['rate_den']
            ts = g * den * 90000 // num
            marker = (j + 1) % flow['packets_per_field'] == 0
            last = j == ppf - 1
        elif kind == 'anc':
            fmt = flow['format']
            fields = flow['fields']
            g = flow['first_grid_index'] + k
            ts = g * fmt['rate_den'] * 90000 // (fmt['rate_num'] * fields)
            frame = k // fields
            marker = True
            last = (k + 1) % fields == 0
        else:
            ts = flow['first_sample'] + k * flow['format']['frames_per_packet']
            frame, marker, last = 0, False, False
        if last and frame in f['no_marker_frames']:
            marker = False
        pkts.append([seq32 & 0xffff, ts & 0xffffffff, marker])
    lost = set(f['lost_seq'])
    out = [p for p in pkts if p[0] not in lost]
    for s in f['reordered_seq']:  # s was sent after its successor
        i = next(i for i, p in enumerate(out) if p[0] == s)
        out[i], out[i + 1] = out[i + 1], out[i]
    final = []
    for p in out:
        final.append(p)
        if p[0] in f['dup_seq']:
            final.append(p)
    return final

for flow in m['flows']:
    legs = [flow] + ([flow['leg_b']] if 'leg_b' in flow else [])
    for li, leg in enumerate(legs):
        ip, port = leg['dst'].split(':')
        got = [[int(r[2]), int(r[3]), r[4] in ('1', 'True')] for r in rows
               if r[0] == ip and r[1] == port]
        want = expected(flow, leg)
        name = '%s flow %d leg %s' % (flow['kind'], flow['index'], 'AB'[li])
        if got != want or len(got) != leg['packets']:
            bad = 1
            print('FAIL: %s: %d packets in tshark, %d predicted, manifest %d'
                  % (name, len(got), len(want), leg['packets']))
            for i, (a, b) in enumerate(zip(got, want)):
                if a != b:
                    print('  first difference at %d: tshark %s manifest %s' % (i, a, b))
                    break
        else:
            nf = sum(len(v) for v in leg['faults'].values())
            print('ok: %s: %d packets, seq/ts/marker as the manifest predicts (%d fault entries)'
                  % (name, len(got), nf))
        wrong_pt = set(leg['faults']['wrong_pt_seq'])
        for r in rows:
            if r[0] == ip and r[1] == port:
                if (int(r[5]) != flow['pt']) != (int(r[2]) in wrong_pt):
                    print('FAIL: %s: PT %s on seq %s' % (name, r[5], r[2])); bad = 1
sys.exit(bad)
EOF

for s in "$work"/s*.sdp; do
	if "$sdp_tool" check "$s" >"$work/check.txt" 2>&1; then
		echo "ok: sy-sdp check $(basename "$s")"
	else
		echo "FAIL: sy-sdp check $(basename "$s")"; cat "$work/check.txt"; cat "$s"; fail=1
	fi
done
[ "$(ls "$work"/s*.sdp | wc -l)" -eq 4 ] || { echo "FAIL: want 4 SDP files"; fail=1; }
grep -q '^a=group:DUP primary secondary' "$work/s4.sdp" ||
	{ echo "FAIL: no DUP group in s4.sdp"; fail=1; }
exit $fail
