#!/bin/sh
# SPDX-License-Identifier: MIT
# run_bench.sh BUILD_DIR [WORKDIR]: the dataplane benchmark (prints numbers;
# not a test). The switch path (sy-dp-bench: one input flow -> 1, 2, 4
# outputs) and dpdk-testpmd io-forward on the same ports, in the same run:
#   port 0: net_pcap rx_pcap=<generated 1080p50 RFC 4175 capture, 1200-byte
#           payloads, 8640 packets>, infinite_rx=1;  port 1: net_null no-rx=1
# 1. callgrind instructions per input packet (exact, repeatable):
#    sy-dp-bench: 200 000 packets, --toggle-collect='dp_worker_iter*';
#    testpmd: the forwarding lcore's thread total / packets forwarded
#    (--separate-threads; includes its empty polls and start-up, ~0.1 %).
# 2. ns per input packet: sy-dp-bench thread CPU time over 5 M packets;
#    testpmd: 10 s run, forwarding core busy-polling (wall / packets).
# 3. memory: peak RSS of each process (GNU time %M) with its mbuf pool sizes
#    (EAL -m 1024 --no-huge reserves 1 GiB of virtual memory; RSS counts
#    what is touched: pools, rings, the preloaded capture).
set -eu
B=$1
W=${2:-/tmp/sy-dp-bench.$$}
mkdir -p "$W"
cd "$W"
EAL="--no-pci --no-huge -m 1024 --no-shconf --no-telemetry --log-level=lib.eal:error"
"$B/tools/gen/sy-gen" --out b.pcap --sdp b.sdp --video 1920x1080p50 --frames 2 \
	--dst 239.100.0.1:5004 >/dev/null
echo "capture: $(ls -l b.pcap | awk '{print $5}') bytes, 8640 packets of 1262 bytes"

tp_run() { # $1: extra wrapper; prints forwarded packets
	timeout -s INT "$2" $1 dpdk-testpmd $EAL -l 0,1 --file-prefix sybtp$$ \
		--vdev net_pcap0,rx_pcap=b.pcap,infinite_rx=1 --vdev net_null0,no-rx=1 -- \
		--no-flush-rx --forward-mode=io --total-num-mbufs=32768 --nb-cores=1 \
		--stats-period 100 > tp.log 2>&1 || true
	grep -E "RX-packets" tp.log | tail -1 | awk '{print $2}'
}

echo "== callgrind, instructions per input packet"
rm -f cg.tp*
n=$(tp_run "valgrind --tool=callgrind --callgrind-out-file=cg.tp --separate-threads=yes" 20)
ir=$(for f in cg.tp-*; do callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",","",$1); print $1}'; done | sort -n | tail -1)
tp_ir=$(awk -v a="$ir" -v b="$n" 'BEGIN { printf "%.1f", a / b }')
echo "testpmd io-forward        : $tp_ir Ir/pkt ($ir Ir / $n packets)"
for fo in 1 2 4; do
	valgrind --tool=callgrind --callgrind-out-file=cg.dp$fo --collect-atstart=no \
		'--toggle-collect=dp_worker_iter*' "$B/dataplane/bench/sy-dp-bench" b.sdp b.pcap \
		$fo 200000 $EAL -l 0 --file-prefix sybdp$$ > dp$fo.log 2> dp$fo.err
	ir=$(awk '/Collected/ {print $4}' dp$fo.err)
	np=$(awk '/packets_in/ {print $4}' dp$fo.log)
	awk -v a="$ir" -v b="$np" -v f=$fo -v t="$tp_ir" 'BEGIN {
		printf "sy-dp switch, fan-out %d  : %.1f Ir/pkt (%.2fx testpmd)\n", f, a / b, a / b / t }'
done

echo "== wall clock, ns per input packet"
n=$(tp_run "/usr/bin/time -o tp.rss -f %M" 10)
awk -v b="$n" -v r="$(cat tp.rss)" 'BEGIN { printf "testpmd io-forward        : %.1f ns/pkt (%d packets in 10 s); peak RSS %.0f MiB (32768 mbufs)\n", 1e10 / b, b, r / 1024 }'
for fo in 1 2 4; do
	/usr/bin/time -o dp.rss -f %M "$B/dataplane/bench/sy-dp-bench" b.sdp b.pcap $fo 5000000 \
		$EAL -l 0 --file-prefix sybdp$$ > dpw.log
	awk -v f=$fo -v r="$(cat dp.rss)" '/packets_in/ {
		printf "sy-dp switch, fan-out %d  : %.1f ns/pkt (thread CPU, %d packets in, %d out); peak RSS %.0f MiB (32767 packet + 2 x 8191 header/indirect mbufs)\n", f, $10, $4, $6, r / 1024 }' dpw.log
done
