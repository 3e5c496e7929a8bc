#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
dp_threaded_test.py: two workers on their own lcores (dp_start), each owning
one port's input flows: port 0 carries sources 1-2, port 1 sources 3-4
(sy-gen captures). Output A (port 0) follows source 1, output B (port 1)
source 3; each worker transmits on its own tx queue (net_pcap: one file per
queue). Checks: every frame (from the first after start) of each output complete and from the right
source, sequence continuous, nothing on the other worker's queue, and a
take across workers refused with a clear error.

Usage: dp_threaded_test.py SY_GEN SY_DP_RUN SY_ANALYZE WORKDIR
"""
import json
import os
import subprocess
import sys

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def main():
    sy_gen, sy_run, sy_an, wd = sys.argv[1:5]
    os.makedirs(wd, exist_ok=True)
    for p, (a, b) in enumerate([(1, 2), (3, 4)]):
        args = [sy_gen, "--out", "%s/in%d.pcap" % (wd, p), "--sdp", "%s/in%d_%%d.sdp" % (wd, p)]
        for s in (a, b):
            args += ["--video", "320x180p50", "--frames", "30", "--source-id", str(s),
                     "--dst", "239.100.0.%d:5004" % s]
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
        for f in (wd + "/o%da.pcap" % p, wd + "/o%db.pcap" % p):
            if os.path.exists(f):
                os.unlink(f)
    inputs, sources = [], []
    for s in range(1, 5):
        p = 0 if s <= 2 else 1
        inputs.append(dict(name="v%d" % s, port=p,
                           sdp="%s/in%d_%d.sdp" % (wd, p, 1 if s in (1, 3) else 2)))
        sources.append(dict(name="s%d" % s, inputs=["v%d" % s]))
    ports = [dict(name="p%d" % p, worker=p, rx_timestamps=True,
                  devargs="net_pcap%d,rx_pcap=%s/in%d.pcap,tx_pcap=%s/o%da.pcap,tx_pcap=%s/o%db.pcap"
                  % (p, wd, p, wd, p, wd, p)) for p in (0, 1)]
    outputs = [dict(name=n, port=p, source=src, flows=[dict(
        format_of="v1", dst="239.200.0.%d:5004" % (p + 1), src="10.1.0.1:5004", ssrc=p + 1,
        pt=96)]) for n, p, src in (("A", 0, "s1"), ("B", 1, "s3"))]
    cfg = dict(
        eal=["--no-pci", "--no-huge", "-m", "512", "--no-shconf", "--no-telemetry",
             "--log-level=lib.eal:error", "--lcores", "0@0,1@1,2@1",
             "--file-prefix", "dpthr%d" % os.getpid()],
        workers=2, threaded=True, idle_ms=300, ports=ports, inputs=inputs,
        sources=sources, outputs=outputs,
        takes=[{"output": "A", "source": "s3", "at_tai_ns": 1700000000300000000}])
    with open(wd + "/cfg.json", "w") as f:
        json.dump(cfg, f, indent=1)
    res = subprocess.run([sy_run, wd + "/cfg.json"], capture_output=True, text=True, timeout=60)
    check(res.returncode == 0, "sy-dp-run: %s" % res.stderr[-400:])
    rep = json.loads(res.stdout)
    c = rep["counters"]
    check(c["rx_pkts"] == 4 * 30 * 180, "rx %d" % c["rx_pkts"])
    # the initial crosspoints are immediate takes armed by the first packet:
    # they start at the next frame (PTP-locked: frame 1)
    check(c["tx_pkts"] == 2 * 29 * 180, "tx %d" % c["tx_pkts"])
    check(len(rep["refused"]) == 1 and "different workers" in rep["refused"][0]["text"],
          "cross-worker take not refused: %s" % rep["refused"])
    sdp = open(wd + "/in0_1.sdp").read()
    for n, p, sid, q in (("A", 0, 1, "a"), ("B", 1, 3, "b")):
        with open("%s/out%s.sdp" % (wd, n), "w") as f:
            f.write(sdp.replace("239.100.0.1", "239.200.0.%d" % (p + 1)))
        an = subprocess.run([sy_an, "--json", "-", "--sdp", "%s/out%s.sdp" % (wd, n),
                             "%s/o%d%s.pcap" % (wd, p, q)], capture_output=True, text=True)
        flows = json.loads(an.stdout)["flows"]
        check(len(flows) == 1, "output %s: %d flows in its queue file" % (n, len(flows)))
        if flows:
            v = flows[0]
            got = [(x["source_id"], x["frame_counter"]) for x in v["video"]["frame_list"]]
            check(got == [(sid, k) for k in range(1, 30)], "output %s frames %s" % (n, got[:4]))
            check(v["sequence"]["lost"] == 0, "output %s sequence" % n)
        other = "%s/o%d%s.pcap" % (wd, p, "b" if q == "a" else "a")
        check(os.path.getsize(other) <= 24, "other worker's queue of port %d not empty" % p)
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
