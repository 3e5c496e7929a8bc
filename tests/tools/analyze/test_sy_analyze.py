#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
test_sy_analyze.py: tests of sy-analyze (tools/analyze), one group per run:

  vectors  the shared third-party captures: per-frame MD5s equal
           vectors/README.md, no fault, packet-for-packet agreement with
           tshark's RTP fields, exit codes.
  crafted  captures written by sy_analyze_craft (src/'s packetizer, exact
           packet times): Cinst / VRX / histogram / latency equal the values
           computed by hand below; stamps: switch point and torn frame.
  gen      captures from sy-gen (skipped while sy-gen is not built): clean
           flows have no fault and the right verdict, every injected fault
           class is reported exactly as the manifest lists it, 2022-7 legs,
           spliced two-source captures, tshark agreement.

usage: test_sy_analyze.py GROUP SY_ANALYZE SY_ANALYZE_CRAFT SY_GEN
Prints "N passed, N failed"; exit status 0 only when nothing failed.
"""
import json
import math
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

GROUP, ANALYZE, CRAFT, SYGEN = sys.argv[1:5]
VECTORS = os.environ.get("SY_VECTORS_DIR", "/work/shared/vectors")
TMP = tempfile.mkdtemp(prefix="sy-analyze-test-")
passed = failed = 0


def check(cond, what):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what, flush=True)


def eq(got, want, what):
    check(got == want, "%s: got %r, want %r" % (what, got, want))


def analyze(*args, expect_rc=None):
    """Run sy-analyze with --json; return (rc, report dict, stderr)."""
    out = os.path.join(TMP, "report.json")
    p = subprocess.run([ANALYZE, "--json", out] + list(args), capture_output=True, text=True)
    rep = None
    if p.returncode in (0, 1) and os.path.exists(out):
        with open(out) as f:
            rep = json.load(f)
        os.unlink(out)
    if expect_rc is not None:
        eq(p.returncode, expect_rc, "exit status of sy-analyze %s (stderr %s)"
           % (" ".join(args), p.stderr.strip()[-300:]))
    return p.returncode, rep, p.stderr


def flow(rep, dst):
    for f in rep["flows"]:
        if f["dst"] == dst:
            return f
    check(False, "flow %s in the report" % dst)
    return None


def tshark_agrees(pcap, ports, sdps=()):
    """sy-analyze --packets equals tshark's rtp.seq/timestamp/marker, packet
    for packet, per destination port."""
    mine = os.path.join(TMP, "packets.txt")
    subprocess.run([ANALYZE, "--packets", mine, "--no-frames", *sum((["--sdp", s] for s in sdps), []),
                    pcap], capture_output=True, check=False)
    a = {}
    with open(mine) as f:
        for line in f:
            dst, seq, ts, m = line.split()
            a.setdefault(int(dst.split(":")[1]), []).append((int(seq), int(ts), int(m)))
    cmd = ["tshark", "-r", pcap]
    for p in ports:
        cmd += ["-d", "udp.port==%d,rtp" % p]
    cmd += ["-T", "fields", "-e", "udp.dstport", "-e", "rtp.seq", "-e", "rtp.timestamp",
            "-e", "rtp.marker"]
    out = subprocess.run(cmd, capture_output=True, text=True).stdout
    b = {}
    for line in out.splitlines():
        f = line.split("\t")
        if len(f) < 4 or not f[1]:
            continue
        b.setdefault(int(f[0]), []).append((int(f[1]), int(f[2]), 1 if f[3] in ("1", "True") else 0))
    for p in ports:
        got, want = a.get(p, []), b.get(p, [])
        check(len(want) > 0 and got == want,
              "%s port %d: sy-analyze %d packets, tshark %d; first difference at %s"
              % (os.path.basename(pcap), p, len(got), len(want),
                 next((i for i, (x, y) in enumerate(zip(got, want)) if x != y), "end")))


# ---------------------------------------------------------------- vectors

def readme_md5s():
    md5 = {}
    cur = None
    with open(os.path.join(VECTORS, "README.md")) as f:
        for line in f:
            m = re.match(r"^(st2110-20_\S+\.pcap):$", line.strip())
            if m:
                cur = m.group(1)
                md5[cur] = []
                continue
            m = re.match(r"^- frame (\d+): ([0-9a-f]{32})$", line.strip())
            if m and cur:
                md5[cur].append(m.group(2))
    return md5


def test_vectors():
    md5 = readme_md5s()
    check(len(md5) == 2, "README lists MD5s of two video vectors")
    for pcap, sums in md5.items():
        base = pcap[:-5]
        path, sdp = os.path.join(VECTORS, pcap), os.path.join(VECTORS, base + ".sdp")
        rc, rep, _ = analyze("--sdp", sdp, "--expect-clean", "--expect-no-loss", "--expect-no-torn",
                             path, expect_rc=0)
        f = rep["flows"][0]
        eq(len(rep["flows"]), 1, pcap + " flows")
        eq([fr["md5"] for fr in f["video"]["frame_list"]], sums, pcap + " per-frame MD5")
        eq(f["faults"], [], pcap + " faults")
        eq((f["video"]["frames_complete"], f["video"]["frames_incomplete"]), (10, 0),
           pcap + " complete/incomplete")
        eq(f["packets"], 1060, pcap + " packets")
        eq(f["video"]["rtp_delta"]["histogram"], [{"delta": 3600, "count": 9}], pcap + " RTP delta")
        eq((f["video"]["packets_per_frame_min"], f["video"]["packets_per_frame_max"]), (106, 106),
           pcap + " packets per frame")
        eq(f["video"]["srd_max"], 3, pcap + " SRDs per packet")
        eq(f["video"]["ext_seq_used"], False, pcap + " extended seq")
        eq(f["video"]["stamps"]["stamped"], 0, pcap + " has no stamps")
        check(f["video"]["timing"]["measured"], pcap + " timing measured")
        eq(f["video"]["timing"]["n_packets"], 106, pcap + " N")
        eq(f["video"]["timing"]["tpr0"], "arrival", pcap + " TPR0 from arrival (random RTP offset)")
        # software senders without pacing burst: --expect-narrow must say so
        rc2, rep2, err = analyze("--sdp", sdp, "--no-frames", "--expect-narrow", path)
        v = rep2["flows"][0]["video"]["timing"]["verdict"]
        eq(rc2, 0 if v in ("narrow", "narrow-linear") else 1, pcap + " --expect-narrow exit vs verdict " + v)
        tshark_agrees(path, [int(f["dst"].split(":")[1])], [sdp])
    for base, pk, spp in (("st2110-30_gst_l24_48k_2ch_1ms_sine1k_m23dBFS_2s", 2000, 48),
                          ("st2110-30_gst_l24_48k_8ch_1ms_sine1k_m23dBFS_1s", 1000, 48),
                          ("st2110-30_gst_l16_48k_2ch_1ms_sine1k_m23dBFS_1s", 1000, 48)):
        path, sdp = os.path.join(VECTORS, base + ".pcap"), os.path.join(VECTORS, base + ".sdp")
        rc, rep, _ = analyze("--sdp", sdp, "--expect-clean", path, expect_rc=0)
        f = rep["flows"][0]
        a = f["audio"]
        eq(f["packets"], pk, base + " packets")
        eq((a["samples_per_packet_min"], a["samples_per_packet_max"], a["packet_time_ns"]),
           (spp, spp, 1000000), base + " packet time")
        eq((a["ts_discontinuities"], a["ptime_errors"]), (0, 0), base + " continuity")
        check(all(p is not None and abs(p + 23) < 0.2 for p in a["peak_dbfs"]),
              base + " peaks -23 dBFS: %r" % a["peak_dbfs"])
        check(a["tsdf_windows"] >= 1 and a["tsdf_max_us"] < 100000, base + " TS-DF measured")
        eq(f["faults"], [], base + " faults")
        tshark_agrees(path, [int(f["dst"].split(":")[1])], [sdp])
    # without an SDP: RTP level only
    path = os.path.join(VECTORS, "st2110-20_ffmpeg_320x180p25_ycbcr422_10bit_10f.pcap")
    rc, rep, _ = analyze(path, expect_rc=0)
    f = rep["flows"][0]
    eq((f["essence"], f["ssrc"], f["packets"], f["markers"]), ("unknown", 0x12345678, 1060, 10),
       "ffmpeg vector without SDP")
    check("video" not in f, "no video section without an SDP")
    # a packet cut by the capture (caplen < len): attributed to its flow as malformed, not lost
    hdr, recs = read_pcap(path)
    h, d = recs[50]
    sec, frac, incl, orig = struct.unpack("<IIII", h)
    recs[50] = (struct.pack("<IIII", sec, frac, 60, orig), d[:60])
    cut = os.path.join(TMP, "cut.pcap")
    write_pcap(cut, hdr, recs)
    rc, rep, _ = analyze("--sdp", os.path.join(VECTORS, "st2110-20_ffmpeg_320x180p25_ycbcr422_10bit_10f.sdp"),
                         "--expect-no-loss", cut, expect_rc=0)
    f = rep["flows"][0]
    seq50 = struct.unpack(">H", d[14 + 20 + 8 + 2:14 + 20 + 8 + 4])[0]
    eq((f["packets"], f["sequence"]["lost"], f["malformed"]["total"], [p["seq"] for p in f["malformed"]["packets"]]),
       (1060, 0, 1, [seq50]), "cut packet: counted, malformed with its seq, no loss")
    eq((f["video"]["frames_incomplete"], f["video"]["stamps"]["torn"]), (1, 1), "cut packet: its frame incomplete")
    # exit status 2: usage, unreadable input
    eq(subprocess.run([ANALYZE], capture_output=True).returncode, 2, "no capture: exit 2")
    eq(subprocess.run([ANALYZE, "--bogus", path], capture_output=True).returncode, 2, "bad option: exit 2")
    eq(subprocess.run([ANALYZE, os.path.join(TMP, "missing.pcap")], capture_output=True).returncode, 2,
       "missing capture: exit 2")
    eq(subprocess.run([ANALYZE, "--sdp", path, path], capture_output=True).returncode, 2,
       "a capture given as SDP: exit 2")


# ---------------------------------------------------------------- crafted

N, T_FRAME_NS = 360, 40000000


def craft(name, burst, specs):
    pcap, sdp = os.path.join(TMP, name + ".pcap"), os.path.join(TMP, name + ".sdp")
    p = subprocess.run([CRAFT, pcap, sdp, str(burst)] + specs, capture_output=True, text=True)
    eq(p.returncode, 0, "craft %s: %s" % (name, p.stderr))
    return pcap, sdp


def hand_timing(burst, frames):
    """ST 2110-21 values of a crafted capture, by hand (see sy_analyze_craft.c).
    T_FRAME 40 ms, N 360, R_ACTIVE 1080/1125: T_RS = 40e6 * 0.96 / 360 = 320000/3 ns,
    T_drain = 40e6 / 360 / 1.1 = 101010.1 ns, TRO_default = 28/750 * 40 ms = 4480000/3 ns.
    Bursts of B packets every B * T_RS: between bursts at least floor(B * T_RS / T_drain)
    = floor(1.056 B) >= B drains, so the bucket is empty at each burst and the burst
    counts 0, 1, ..., B-1: Cinst max B-1, histogram[k] = bursts for k < B.
    Burst b arrives at the read time of its first packet j = B b: reads = B b + 1, so the
    k-th packet of the burst sees VRX = k: VRX 0 .. B-1 (the previous frame is long read).
    Limits: Cmax narrow max(4, floor(360 / (43200 * 0.96 * 0.04))) = 4, wide 16;
    VRX_FULL narrow 8, wide 720. Latency = ceil(4480000 / 3) = 1493334 ns; RTP offset 0."""
    bursts = frames * N // burst
    hist = [0] * 64
    for k in range(burst):
        hist[min(k, 63)] += bursts
    cmax = burst - 1
    if cmax <= 4 and cmax <= 8:
        verdict, reason = "narrow", "NONE"
    elif cmax <= 16:
        verdict, reason = "wide", "NONE"
    else:
        verdict, reason = "not compliant", "CINST"
    return dict(cinst_max=cmax, vrx_min=0, vrx_max=burst - 1, cinst_histogram=hist,
                verdict=verdict, reason=reason, cmax_narrow=4, cmax_wide=16,
                vrx_full_narrow=8, vrx_full_wide=720, latency_min_ns=math.ceil(4480000 / 3),
                latency_max_ns=math.ceil(4480000 / 3), rtp_offset_min_ticks=0,
                rtp_offset_max_ticks=0, schedule="gapped", tpr0="rtp", n_packets=N,
                t_rs_dns=1066667)


def test_crafted():
    frames = 6
    specs = ["1:%d" % (100 + i) for i in range(frames)]
    for burst in (1, 6, 20):
        pcap, sdp = craft("b%d" % burst, burst, specs)
        want = hand_timing(burst, frames)
        rc, rep, err = analyze("--sdp", sdp, "--expect-narrow", pcap)
        eq(rc, 0 if want["verdict"] == "narrow" else 1, "burst %d: --expect-narrow exit" % burst)
        f = flow(rep, "239.1.1.1:5004")
        t = f["video"]["timing"]
        for k, v in want.items():
            eq(t[k], v, "burst %d: %s" % (burst, k))
        eq(f["faults"], [], "burst %d: no fault" % burst)
        per = [(fr["cinst_max"], fr["vrx_min"], fr["vrx_max"], fr["rtp_offset_ticks"], fr["latency_ns"])
               for fr in f["video"]["frame_list"]]
        eq(per, [(burst - 1, 0, burst - 1, 0, 1493334)] * frames, "burst %d: per-frame timing" % burst)
        eq([(fr["source_id"], fr["frame_counter"]) for fr in f["video"]["frame_list"]],
           [(1, 100 + i) for i in range(frames)], "burst %d: stamps per frame" % burst)
        eq(f["video"]["rtp_delta"]["histogram"], [{"delta": 3600, "count": frames - 1}],
           "burst %d: RTP delta" % burst)
        # the capture clock 1 ms ahead of TAI: latency is the same once told
        if burst == 1:
            rc, rep, _ = analyze("--sdp", sdp, "--tai-offset-ns", "-1000000", "--no-frames", pcap)
            eq(flow(rep, "239.1.1.1:5004")["video"]["timing"]["latency_min_ns"], 1493334 + 1000000,
               "--tai-offset-ns moves the latency")
            tshark_agrees(pcap, [5004], [sdp])
    # a clean switch: source 1 frames 100..104, then source 2 frames 7..11
    specs = ["1:%d" % (100 + i) for i in range(5)] + ["2:%d" % (7 + i) for i in range(5)]
    pcap, sdp = craft("switch", 1, specs)
    rc, rep, _ = analyze("--sdp", sdp, "--expect-no-torn", "--expect-clean", pcap, expect_rc=0)
    v = flow(rep, "239.1.1.1:5004")["video"]
    eq(v["stamps"]["switches"], [{"frame": 5, "from_source": 1, "from_frame": 104, "to_source": 2,
                                  "to_frame": 7, "within_frame": False}], "clean switch point")
    eq(v["stamps"]["torn_frames"], [], "clean switch: no torn frame")
    eq(v["stamps"]["counter_jumps"], 0, "clean switch: counters step by one")
    # a torn switch: frame 5 has source 1's rows on top, source 2's below
    specs = ["1:%d" % (100 + i) for i in range(5)] + ["1:105/2:7"] + ["2:%d" % (8 + i) for i in range(4)]
    pcap, sdp = craft("torn", 1, specs)
    rc, rep, err = analyze("--sdp", sdp, "--expect-no-torn", pcap, expect_rc=1)
    check("torn" in err, "--expect-no-torn says why: " + err)
    v = flow(rep, "239.1.1.1:5004")["video"]
    eq(v["stamps"]["torn_frames"], [{"frame": 5, "ts": v["frame_list"][5]["ts"], "reason": "bands_differ",
                                     "stamp": {"source_id": 1, "frame_counter": 105},
                                     "other": {"source_id": 2, "frame_counter": 7}}], "torn frame listed")
    eq(v["stamps"]["switches"], [{"frame": 5, "from_source": 1, "from_frame": 105, "to_source": 2,
                                  "to_frame": 7, "within_frame": True}], "switch inside the torn frame")
    eq(v["stamps"]["torn"], 1, "one torn frame")
    eq(v["frames_complete"], 10, "torn frame is complete by coverage")


# ---------------------------------------------------------------- sy-gen

def read_pcap(path):
    with open(path, "rb") as f:
        data = f.read()
    hdr, recs, off = data[:24], [], 24
    while off + 16 <= len(data):
        sec, frac, incl, orig = struct.unpack("<IIII", data[off:off + 16])
        recs.append((data[off:off + 16], data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return hdr, recs


def write_pcap(path, hdr, recs):
    with open(path, "wb") as f:
        f.write(hdr)
        for h, d in recs:
            f.write(h + d)


def rtp_ts(pkt):
    # Ethernet 14 + IPv4 (IHL) + UDP 8, then RTP timestamp at +4
    ihl = (pkt[14] & 15) * 4
    return struct.unpack(">I", pkt[14 + ihl + 8 + 4:14 + ihl + 8 + 8])[0]


def gen(name, *args):
    pcap, sdp, man = (os.path.join(TMP, name + e) for e in (".pcap", ".sdp", ".json"))
    p = subprocess.run([SYGEN, "--out", pcap, "--sdp", sdp, "--manifest", man] + list(args),
                       capture_output=True, text=True)
    eq(p.returncode, 0, "sy-gen %s: %s" % (" ".join(args), p.stderr.strip()[-300:]))
    manifest = None
    if p.returncode == 0:
        with open(man) as f:
            manifest = json.load(f)
    return pcap, sdp, manifest


def mlist(m, key):
    return sorted((m.get("faults") or {}).get(key, []))


def test_gen():
    if not os.access(SYGEN, os.X_OK):
        print("sy-gen not built: the gen group has nothing to run")
        check(True, "skipped")
        return
    # clean 1080p59.94 narrow: no fault, narrow, 1501/1502, stamps 0..9
    pcap, sdp, man = gen("clean1080", "--video", "1080p59.94", "--frames", "10")
    rc, rep, err = analyze("--sdp", sdp, "--expect-narrow", "--expect-clean", "--expect-no-torn",
                           "--expect-no-loss", pcap, expect_rc=0)
    f = rep["flows"][0]
    v = f["video"]
    eq(f["faults"], [], "clean 1080p59.94: faults")
    eq(v["timing"]["verdict"], "narrow", "clean 1080p59.94: verdict")
    eq(v["timing"]["tpr0"], "rtp", "clean 1080p59.94: TPR0 from RTP")
    eq(v["timing"]["rtp_offset_ok"], True, "clean 1080p59.94: RTP offset")
    eq(sorted(h["delta"] for h in v["rtp_delta"]["histogram"]), [1501, 1502], "59.94 RTP delta 1501/1502")
    eq(v["rtp_delta"]["bad"], 0, "59.94 RTP deltas in range")
    eq([(fr["source_id"], fr["frame_counter"]) for fr in v["frame_list"]], [(1, i) for i in range(10)],
       "clean 1080p59.94: stamps")
    eq(f["packets"], man["flows"][0]["packets"], "clean 1080p59.94: packets = manifest")
    eq([fr["md5"] for fr in v["frame_list"]], man["flows"][0].get("frame_md5"),
       "clean 1080p59.94: per-frame MD5 = sy-gen's")
    eq(v["frames"], 10, "clean 1080p59.94: frames")
    tshark_agrees(pcap, [int(f["dst"].split(":")[1])])
    # 2160p59.94 narrow
    pcap, sdp, man = gen("clean2160", "--video", "2160p59.94", "--frames", "3")
    rc, rep, err = analyze("--sdp", sdp, "--expect-narrow", "--expect-clean", "--no-frames", pcap, expect_rc=0)
    eq(rep["flows"][0]["video"]["timing"]["verdict"], "narrow", "2160p59.94 narrow: verdict")
    eq(rep["flows"][0]["video"]["timing"]["cmax_narrow"], 24, "2160p59.94: Cmax narrow 24")
    pcap, sdp, man = gen("burst2160", "--video", "2160p59.94", "--frames", "2", "--timing", "burst")
    rc, rep, err = analyze("--sdp", sdp, "--expect-narrow", "--no-frames", pcap, expect_rc=1)
    t = rep["flows"][0]["video"]["timing"]
    eq((t["verdict"], t["reason"]), ("not compliant", "CINST"), "2160p59.94 burst: verdict")
    check("reason CINST" in err, "--expect-narrow names the reason: " + err.strip())
    # burst: not compliant, reason CINST; wide: wide
    for timing, verdict, reason, rc_want in (("burst", "not compliant", "CINST", 1),
                                             ("wide", "wide", "NONE", 1),
                                             ("narrow-linear", "narrow-linear", "NONE", 0)):
        pcap, sdp, man = gen("t_" + timing, "--video", "1080p59.94", "--frames", "4", "--timing", timing)
        rc, rep, err = analyze("--sdp", sdp, "--expect-narrow", "--no-frames", pcap, expect_rc=rc_want)
        t = rep["flows"][0]["video"]["timing"]
        eq((t["verdict"], t["reason"]), (verdict, reason), "timing %s: verdict" % timing)
    # every fault class, exactly as injected (720p59.94: 2880 packets/frame at 1200 B? small enough)
    faults = ["--loss-burst", "3@100", "--reorder", "200", "--dup", "300", "--truncate", "400",
              "--bad-srd-len", "500", "--bad-srd-offset", "600", "--wrong-pt", "700",
              "--wrong-ssrc", "800", "--no-marker", "2", "--loss", "0.0005", "--seed", "7"]
    pcap, sdp, man = gen("faults", "--video", "720p59.94", "--frames", "6", *faults)
    rc, rep, err = analyze("--sdp", sdp, "--expect-no-loss", pcap, expect_rc=1)
    f = rep["flows"][0]
    m = man["flows"][0]
    eq(sorted(f["sequence"]["lost_seq"]), mlist(m, "lost_seq"), "faults: lost seq")
    eq(f["sequence"]["lost"], len(mlist(m, "lost_seq")), "faults: lost count")
    eq(sorted(f["sequence"]["dup_seq"]), mlist(m, "dup_seq"), "faults: duplicate seq")
    eq(sorted(f["sequence"]["reordered_seq"]), mlist(m, "reordered_seq"), "faults: reordered seq")
    eq(sorted(f["wrong_pt_seq"]), mlist(m, "wrong_pt_seq"), "faults: wrong PT seq")
    eq(sorted(f["wrong_ssrc_seq"]), mlist(m, "wrong_ssrc_seq"), "faults: wrong SSRC seq")
    mal = f["malformed"]["packets"]
    check(len(mlist(m, "truncated_seq")) == 1 and
          set(mlist(m, "truncated_seq")) <= set(p["seq"] for p in mal), "faults: truncated seq listed")
    eq(sorted(p["seq"] for p in mal), sorted(mlist(m, "truncated_seq") + mlist(m, "bad_srd_seq")),
       "faults: malformed = truncated + bad SRD")
    eq(sorted(i for i, fr in enumerate(f["video"]["frame_list"]) if not fr["marker"]),
       mlist(m, "no_marker_frames"), "faults: frames without marker")
    for k in ("loss", "duplicate", "reorder", "malformed", "wrong_pt", "wrong_ssrc", "marker",
              "incomplete_frame"):
        check(k in f["faults"], "faults: %s reported (%r)" % (k, f["faults"]))
    tshark_agrees(pcap, [5004])
    # a whole frame lost: one RTP delta of two periods, one frame skipped, one counter jump
    pcap, sdp, man = gen("lostframe", "--video", "720p59.94", "--frames", "5", "--loss-burst", "2160@2160")
    rc, rep, err = analyze("--sdp", sdp, "--no-frames", "--expect-no-loss", pcap, expect_rc=1)
    v = rep["flows"][0]["video"]
    eq((rep["flows"][0]["sequence"]["lost"], v["frames"], v["rtp_delta"]["bad"], v["rtp_delta"]["frames_skipped"],
        v["stamps"]["counter_jumps"]), (2160, 4, 1, 1, 1), "lost frame: loss, frames, delta, skipped, counter jump")
    # 2022-7: two legs, independent random loss, each leg its own flow
    pcap, sdp, man = gen("dup7", "--video", "720p59.94", "--frames", "4", "--2022-7", "5",
                         "--loss-a", "0.002", "--loss-b", "0.002", "--seed", "3")
    rc, rep, err = analyze("--sdp", sdp, "--no-frames", pcap)
    m = man["flows"][0]
    eq(len(rep["flows"]), 2, "2022-7: two flows")
    legs = sorted(rep["flows"], key=lambda x: x["dup_leg"] if x["dup_leg"] is not None else 9)
    eq(sorted(legs[0]["sequence"]["lost_seq"]), mlist(m, "lost_seq"), "2022-7 leg A lost seq")
    eq(sorted(legs[1]["sequence"]["lost_seq"]), mlist(m.get("leg_b", {}), "lost_seq"), "2022-7 leg B lost seq")
    eq([l["dup_leg"] for l in legs], [0, 1], "2022-7 legs known from the SDP DUP group")
    # audio + anc beside video: clean
    pcap, sdp, man = gen("multi", "--video", "720p50", "--frames", "5", "--audio", "L24/48000/2",
                         "--anc")
    rc, rep, err = analyze("--sdp", sdp, "--expect-clean", "--no-frames", pcap, expect_rc=0)
    ess = sorted(f["essence"] for f in rep["flows"])
    eq(ess, ["anc", "audio", "video"], "multi: essences")
    for f in rep["flows"]:
        if f["essence"] == "anc":
            eq(f["anc"]["checksum_errors"], 0, "anc: checksums")
            eq(f["anc"]["marker_errors"], 0, "anc: markers")
            eq(f["anc"]["atc_counter_jumps"], 0, "anc: ATC counter continuous")
        if f["essence"] == "audio":
            eq(f["audio"]["ts_discontinuities"], 0, "audio: continuity")
            eq(f["audio"]["samples_per_packet_max"], 48, "audio: 1 ms")
    tshark_agrees(pcap, sorted(int(f["dst"].split(":")[1]) for f in rep["flows"]))
    # ANC checksum: flip bit 1 of the first UDW of one ANC packet (the sum no longer matches)
    anc = next(f for f in rep["flows"] if f["essence"] == "anc")
    port = int(anc["dst"].split(":")[1])
    hdr, recs = read_pcap(pcap)
    k = [i for i, (h, d) in enumerate(recs) if struct.unpack(">H", d[36:38])[0] == port][2]
    h, d = recs[k]
    d = bytearray(d)
    d[14 + 20 + 8 + 12 + 8 + 8] ^= 0x02
    recs[k] = (h, bytes(d))
    bad = os.path.join(TMP, "anc_bad.pcap")
    write_pcap(bad, hdr, recs)
    rc, rep2, err = analyze("--sdp", sdp, "--expect-clean", "--no-frames", bad, expect_rc=1)
    a = flow(rep2, anc["dst"])
    eq((a["anc"]["checksum_errors"], a["malformed"]["by_reason"], a["faults"]),
       (1, {"ANC_CHECKSUM": 1}, ["malformed", "anc_checksum", "atc"]),
       "ANC checksum error detected (its ATC missing: a counter jump)")
    # audio: one lost packet is one timestamp discontinuity
    pcap, sdp, man = gen("audioloss", "--audio", "L24/48000/2", "--duration-ms", "100", "--loss-burst", "1@10")
    rc, rep, err = analyze("--sdp", sdp, "--expect-no-loss", pcap, expect_rc=1)
    f = rep["flows"][0]
    eq((f["sequence"]["lost_seq"], f["audio"]["ts_discontinuities"], f["faults"]),
       (mlist(man["flows"][0], "lost_seq"), 1, ["loss", "ts_discontinuity"]), "audio loss")
    # stamps: two sources spliced (frames 0..4 from A, 5..9 from B), then torn
    pa, sdp, _ = gen("srcA", "--video", "720p50", "--frames", "10", "--source-id", "1")
    pb, _, _ = gen("srcB", "--video", "720p50", "--frames", "10", "--source-id", "2", "--frame-start", "50")
    hdr, ra = read_pcap(pa)
    _, rb = read_pcap(pb)
    eq(len(ra), len(rb), "sources A and B have the same packets")
    tss = sorted(set(rtp_ts(d) for _, d in ra))
    frame_of = {t: i for i, t in enumerate(tss)}
    spliced = [ra[i] if frame_of[rtp_ts(ra[i][1])] < 5 else rb[i] for i in range(len(ra))]
    write_pcap(os.path.join(TMP, "splice.pcap"), hdr, spliced)
    rc, rep, err = analyze("--sdp", sdp, "--expect-no-torn", "--expect-clean", os.path.join(TMP, "splice.pcap"),
                           expect_rc=0)
    v = rep["flows"][0]["video"]
    eq(v["stamps"]["switches"], [{"frame": 5, "from_source": 1, "from_frame": 4, "to_source": 2,
                                  "to_frame": 55, "within_frame": False}], "spliced: switch point")
    # torn: frame 5 takes its first half of packets from A, the rest from B
    f5 = [i for i in range(len(ra)) if frame_of[rtp_ts(ra[i][1])] == 5]
    half = f5[len(f5) // 2]
    torn = [ra[i] if (frame_of[rtp_ts(ra[i][1])] < 5 or (i in f5 and i < half)) else rb[i]
            for i in range(len(ra))]
    write_pcap(os.path.join(TMP, "torn.pcap"), hdr, torn)
    rc, rep, err = analyze("--sdp", sdp, "--expect-no-torn", os.path.join(TMP, "torn.pcap"), expect_rc=1)
    v = rep["flows"][0]["video"]
    eq([(t["frame"], t["reason"]) for t in v["stamps"]["torn_frames"]], [(5, "bands_differ")],
       "spliced torn frame listed")
    eq(v["stamps"]["switches"], [{"frame": 5, "from_source": 1, "from_frame": 5, "to_source": 2,
                                  "to_frame": 55, "within_frame": True}], "spliced torn: switch inside frame 5")


def anc_capture(path, marker_on):
    """4 frames of an ANC flow, 2 RTP packets each (RFC 8331 allows a frame to
    span packets; M goes on the last): marker_on = index of the packet that
    carries M in each frame."""
    def csum(h):
        v = sum(struct.unpack("!10H", h))
        v = (v & 0xffff) + (v >> 16)
        return ~((v & 0xffff) + (v >> 16)) & 0xffff
    recs, seq, t = [], 0, 1_800_000_000 * 10**9
    for fr in range(4):
        for k in range(2):
            rtp = struct.pack("!BBHII", 0x80, (0x80 if k == marker_on else 0) | 100, seq, fr * 1800, 0x1234)
            payload = rtp + struct.pack("!HHBBH", 0, 0, 0, 0, 0)  # ext seq, Length 0, ANC_Count 0, F 00
            udp = struct.pack("!HHHH", 5000, 5006, 8 + len(payload), 0) + payload
            ip = bytearray(struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0,
                                       bytes([10, 0, 0, 1]), bytes([239, 1, 1, 9])))
            ip[10:12] = struct.pack("!H", csum(bytes(ip)))
            frame = bytes([1, 0, 0x5e, 1, 1, 9, 2, 0, 0, 0, 0, 1]) + b"\x08\x00" + bytes(ip) + udp
            recs.append((struct.pack("<IIII", t // 10**9, t % 10**9, len(frame), len(frame)), frame))
            seq, t = seq + 1, t + 100000
    write_pcap(path, struct.pack("<IHHiIII", 0xa1b23c4d, 2, 4, 0, 0, 65535, 1), recs)


def test_anc_markers():
    """Found in review: an RFC 8331 flow with frames of several RTP packets was
    flagged for every packet without M. M on the last packet is clean; M on the
    first is 7 misplaced markers (an M followed by its own frame's packet, 4x;
    a frame ending without M, 3x)."""
    sdp = os.path.join(TMP, "anc2.sdp")
    with open(sdp, "w") as f:
        f.write("v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=anc\r\nt=0 0\r\nm=video 5006 RTP/AVP 100\r\n"
                "c=IN IP4 239.1.1.9/64\r\na=rtpmap:100 smpte291/90000\r\n"
                "a=ts-refclk:ptp=IEEE1588-2008:00-00-00-FF-FE-00-00-01:127\r\na=mediaclk:direct=0\r\n")
    good, bad = os.path.join(TMP, "anc_last.pcap"), os.path.join(TMP, "anc_first.pcap")
    anc_capture(good, 1)
    anc_capture(bad, 0)
    rc, rep, err = analyze("--sdp", sdp, "--expect-clean", good, expect_rc=0)
    a = rep["flows"][0]["anc"]
    eq((a["marker_errors"], a["markers"], a["no_marker"]), (0, 4, 4), "anc: M on the last packet of each frame")
    rc, rep, err = analyze("--sdp", sdp, "--expect-clean", bad, expect_rc=1)
    f = rep["flows"][0]
    eq(f["anc"]["marker_errors"], 7, "anc: M on the first packet of each frame")
    check("marker" in f["faults"], "anc: misplaced markers are a fault")


try:
    {"vectors": test_vectors, "crafted": lambda: (test_crafted(), test_anc_markers()),
     "gen": test_gen}[GROUP]()
except Exception as e:  # a crash is a failure, with its reason
    import traceback
    traceback.print_exc()
    failed += 1
shutil.rmtree(TMP, ignore_errors=True)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
