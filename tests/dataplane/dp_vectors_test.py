#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
dp_vectors_test.py: takes between the real GStreamer and FFmpeg captures
(random RTP timestamps, each frame one burst, real jitter: not PTP-locked),
merged into one input capture (FFmpeg's shifted to overlap GStreamer's).

Checks from the output alone: every output frame complete, its MD5 equal to
the MD5 (vectors/README.md) of the source frame the test computes from its
own take requests and the input arrival times (first new frame whose first
packet arrives at/after the switch time; old frames that started before it),
continuous sequence and restamped cadence (3600 ticks at 25p). Refusals: a
take from a source of another format and from a source lacking the output's
audio flow are refused with a clear error and change nothing.

Usage: dp_vectors_test.py SY_GEN SY_DP_RUN SY_ANALYZE WORKDIR VECTORS_DIR
"""
import json
import os
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dp_switch_test import read_pcap  # noqa: E402
from dp_malformed_test import write_pcap  # noqa: E402

GST = "st2110-20_gst_320x180p25_ycbcr422_10bit_10f"
FFM = "st2110-20_ffmpeg_320x180p25_ycbcr422_10bit_10f"
AUD = "st2110-30_gst_l24_48k_2ch_1ms_sine1k_m23dBFS_2s"
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def readme_md5(vdir, name):
    out, on = [], False
    for line in open(os.path.join(vdir, "README.md")):
        if line.startswith(name + ".pcap:"):
            on = True
            continue
        if on:
            if line.startswith("- frame"):
                out.append(line.split(":")[1].strip())
            elif out:
                break
    return out


def frame_starts(pkts):
    starts, last = [], None
    for ts, p in pkts:
        if p[46:50] != last:
            last = p[46:50]
            starts.append(ts // 1000 * 1000)
    return starts


def main():
    sy_gen, sy_run, sy_an, wd, vdir = sys.argv[1:6]
    os.makedirs(wd, exist_ok=True)
    g = list(read_pcap(os.path.join(vdir, GST + ".pcap")))
    f = list(read_pcap(os.path.join(vdir, FFM + ".pcap")))
    a = list(read_pcap(os.path.join(vdir, AUD + ".pcap")))
    t0 = g[0][0]
    shift_f = t0 + 13_000_000 - f[0][0]     # FFmpeg 13 ms after GStreamer
    shift_a = t0 - a[0][0]
    f = [(ts + shift_f, p) for ts, p in f]
    a = [(ts + shift_a, p) for ts, p in a]
    merged = sorted(g + f + a, key=lambda x: x[0])
    write_pcap(wd + "/in.pcap", merged)
    md5 = {"gst": readme_md5(vdir, GST), "ffm": readme_md5(vdir, FFM)}
    check(len(md5["gst"]) == 10 and len(md5["ffm"]) == 10, "README MD5 lists")
    starts = {"gst": frame_starts(g), "ffm": frame_starts(f)}
    # a 50p format for the refusal (sy-gen writes its SDP)
    subprocess.run([sy_gen, "--out", wd + "/p50.pcap", "--sdp", wd + "/p50.sdp",
                    "--video", "320x180p50", "--frames", "1", "--dst", "239.100.9.1:5004"],
                   check=True, stdout=subprocess.DEVNULL)

    # takes: capture times (immediate) and one scheduled on the 25p TAI grid
    # (the capture clock is taken as TAI: offset 0)
    plan = [("ffm", "at_capture_ns", t0 + 90_000_000),
            ("gst", "at_capture_ns", t0 + 170_000_000),
            ("ffm", "at_tai_ns", t0 + 230_000_000)]
    sched = []
    cur = "gst"
    for src, mode, t in plan:
        if mode == "at_tai_ns":
            t_s = -(-t // 40_000_000) * 40_000_000
        else:   # armed at the first packet at/after t of the output's inputs
            t_s = min(ts // 1000 * 1000 for ts, p in g + f if ts // 1000 * 1000 >= t)
        first = next(k for k, s in enumerate(starts[src]) if s >= t_s)
        last_old = max(k for k, s in enumerate(starts[cur]) if s < t_s)
        sched.append((src, first, cur, last_old))
        cur = src
    exp = []
    k, cur = 0, "gst"
    for src, first, old, last_old in sched:
        exp += [(old, i) for i in range(k, last_old + 1)]
        k, cur = first, src
    exp += [(cur, i) for i in range(k, 10)]

    cfg = dict(
        eal=["--no-pci", "--no-huge", "-m", "256", "--no-shconf", "--no-telemetry",
             "--log-level=lib.eal:error", "-l", "0", "--file-prefix", "dpvec%d" % os.getpid()],
        workers=1,
        ports=[dict(name="p0", devargs="net_pcap0,rx_pcap=%s/in.pcap,tx_pcap=%s/out.pcap"
                    % (wd, wd), rx_timestamps=True)],
        inputs=[dict(name="gst_v", sdp=os.path.join(vdir, GST + ".sdp")),
                dict(name="ffm_v", sdp=os.path.join(vdir, FFM + ".sdp")),
                dict(name="gst_a", sdp=os.path.join(vdir, AUD + ".sdp")),
                dict(name="p50_v", sdp=wd + "/p50.sdp")],
        sources=[dict(name="gst", inputs=["gst_v"]), dict(name="ffm", inputs=["ffm_v"]),
                 dict(name="p50", inputs=["p50_v"]), dict(name="gsta", inputs=["gst_v", "gst_a"])],
        outputs=[
            dict(name="pgm", port=0, restamp=True, source="gst", flows=[
                dict(format_of="gst_v", dst="239.200.0.1:5004", src="10.1.0.1:5004",
                     ssrc=0x5100, pt=96)]),
            dict(name="grp", port=0, restamp=True, source="gsta", flows=[
                dict(format_of="gst_v", dst="239.200.0.2:5004", src="10.1.0.1:5004",
                     ssrc=0x5200, pt=96),
                dict(format_of="gst_a", dst="239.200.1.2:5006", src="10.1.0.1:5006",
                     ssrc=0x5201, pt=97)])],
        takes=[{"output": "pgm", "source": s, m: t} for s, m, t in plan] +
              [{"output": "pgm", "source": "p50", "at_capture_ns": t0 + 300_000_000},
               {"output": "grp", "source": "ffm", "at_capture_ns": t0 + 100_000_000}])
    with open(wd + "/cfg.json", "w") as fp:
        json.dump(cfg, fp, indent=1)
    res = subprocess.run([sy_run, wd + "/cfg.json"], capture_output=True, text=True)
    check(res.returncode == 0, "sy-dp-run: %s" % res.stderr[-400:])
    rep = json.loads(res.stdout)
    ref = rep["refused"]
    check(len(ref) == 2, "refusals: %s" % ref)
    for r in ref:
        print("refused: %s <- %s: %s" % (r["output"], r["source"], r["text"]))
        check(r["error"] == "SY_E_FORMAT", "refusal code %s" % r["error"])
    check(any("320x180p50" in r["text"] and "320x180p25" in r["text"] for r in ref),
          "format refusal names both formats")
    check(any("audio" in r["text"] and r["output"] == "grp" for r in ref),
          "missing-audio refusal")

    sdp = open(os.path.join(vdir, GST + ".sdp")).read().replace("239.10.20.1", "239.200.0.1")
    with open(wd + "/out.sdp", "w") as fp:
        fp.write(sdp)
    with open(wd + "/out2.sdp", "w") as fp:
        fp.write(sdp.replace("239.200.0.1", "239.200.0.2"))
    an = subprocess.run([sy_an, "--json", "-", "--md5", "--sdp", wd + "/out.sdp", "--sdp",
                         wd + "/out2.sdp", wd + "/out.pcap"], capture_output=True, text=True)
    flows = {x["dst"]: x for x in json.loads(an.stdout)["flows"]}
    v = flows["239.200.0.1:5004"]
    fl = v["video"]["frame_list"]
    got = [x["md5"] for x in fl]
    want = [md5[s][i] for s, i in exp]
    print("expected sequence:", " ".join("%s%d" % (s, i) for s, i in exp))
    check(v["video"]["frames_incomplete"] == 0, "incomplete frames")
    check(got == want, "frame MD5 sequence differs: got %d frames, want %d; first diff %s" % (
        len(got), len(want), next(((n, a1, b1) for n, (a1, b1) in enumerate(zip(got, want))
                                   if a1 != b1), None)))
    check(v["sequence"]["lost"] == 0 and v["sequence"]["reordered"] == 0, "sequence")
    d = {(y["ts"] - x["ts"]) % (1 << 32) for x, y in zip(fl, fl[1:])}
    check(d <= {3600, 7200}, "restamped deltas %s" % sorted(d))
    g2 = flows.get("239.200.0.2:5004")
    check(g2 is not None and [x["md5"] for x in g2["video"]["frame_list"]] == md5["gst"],
          "group output (its take refused) carries GStreamer's 10 frames unchanged")
    ga = flows.get("239.200.1.2:5006")
    check(ga is not None and ga["sequence"]["lost"] == 0 and ga["packets"] > 300,
          "group audio forwarded")
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
