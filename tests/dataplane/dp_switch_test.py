#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
dp_switch_test.py: pcap in -> sy-dp-run -> pcap out, checked from the output
alone (sy-analyze stamps + this script's own packet checks).

Scenario "locked" (default): 4 PTP-locked sy-gen sources (video 320x180p50 with
stamps + L24 stereo audio, a distinct tone per source), 2 outputs (video +
audio groups), N random takes (immediate at a capture time, or scheduled at a
TAI time). The test computes, from its own requests and the input capture,
the exact frame at which every take must land, and checks:
  - 0 torn and 0 incomplete frames on each output (sy-analyze);
  - the output frame sequence is exactly (source, frame counter) as computed:
    every take at its frame, no frame repeated or skipped;
  - RTP sequence (16 and 32 bit) continuous on every output flow, SSRC/PT;
  - headers: MACs, addresses, ports, DSCP, TTL, IPv4 checksum valid, UDP
    checksum 0 (output A) or valid (output B, incremental update);
  - audio follows video: the first audio packet of the new source is the one
    at the video switch point, audio timestamps continuous;
  - fan-out: both outputs on one source at once carry identical payloads.

Scenario "unlocked": the same sources declared not PTP-locked (placed by
arrival time), outputs restamped: still 0 torn, continuous sequence and a
continuous timestamp cadence on each output, audio within one packet of the
video switch.

Scenario "interlaced": as "locked" with 320x180i50 (two fields per frame,
each with its own timestamp and marker): takes land between frames only.

Usage: dp_switch_test.py SY_GEN SY_DP_RUN SY_ANALYZE WORKDIR [locked|unlocked|interlaced] [N_TAKES]
"""
import json
import os
import random
import struct
import subprocess
import sys

FRAME_NS = 20_000_000  # 50p (40 ms for the interlaced scenario: 1080i-style 25 frames)
VIDEO = "320x180p50"
TAI0 = 1_700_000_000 * 1_000_000_000
N_SRC = 4
FRAMES = 330
# 1 ms packets of these tones repeat only every 1000 packets (1.001 cycles
# per packet...), so a payload names its source and, near a known time,
# its packet
TONES = [1001, 2003, 3007, 4001]
AUDIO_PKT_NS = 1_000_000

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        if len(failures) < 40:
            print("FAIL:", msg)


def read_pcap(path):
    """Yield (ts_ns, bytes) of a classic pcap (us or ns)."""
    with open(path, "rb") as f:
        hdr = f.read(24)
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic == 0xA1B2C3D4:
            mult = 1000
        elif magic == 0xA1B23C4D:
            mult = 1
        else:
            raise SystemExit("%s: not a little-endian classic pcap" % path)
        while True:
            ph = f.read(16)
            if len(ph) < 16:
                return
            sec, frac, incl, _orig = struct.unpack("<IIII", ph)
            yield sec * 1_000_000_000 + frac * mult, f.read(incl)


def ip_str(b):
    return "%d.%d.%d.%d" % tuple(b)


def csum16(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def mcast_mac(ip):
    a = [int(x) for x in ip.split(".")]
    return bytes([0x01, 0x00, 0x5E, a[1] & 0x7F, a[2], a[3]])


def gen(sy_gen, wd):
    args = [sy_gen, "--out", wd + "/in.pcap", "--sdp", wd + "/in_%d.sdp",
            "--manifest", wd + "/in.json"]
    for s in range(1, N_SRC + 1):
        # sources 2 and 4 send each frame as one burst (as GStreamer/FFmpeg
        # do), 1 and 3 are gapped narrow senders: new frames lead old ones
        timing = "burst" if s % 2 == 0 else "narrow"
        args += ["--video", VIDEO, "--source-id", str(s), "--frames", str(FRAMES),
                 "--timing", timing,
                 "--dst", "239.100.0.%d:5004" % s, "--src", "10.99.0.%d" % s,
                 "--audio", "L24/48000/2", "--tone", str(TONES[s - 1]),
                 "--dst", "239.100.1.%d:5006" % s, "--src", "10.99.0.%d" % s]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


OUTS = [
    dict(name="A", v=("239.200.0.1", 5004), a=("239.200.1.1", 5006), src_ip="10.1.0.9",
         ssrc_v=0xA0000001, ssrc_a=0xA0000002, pt_v=98, pt_a=99, dscp=34, ttl=32,
         src_mac="02:00:00:00:00:0a", csum="zero"),
    dict(name="B", v=("239.200.0.2", 5004), a=("239.200.1.2", 5006), src_ip="10.1.0.10",
         ssrc_v=0xB0000001, ssrc_a=0xB0000002, pt_v=96, pt_a=97, dscp=46, ttl=16,
         src_mac="02:00:00:00:00:0b", csum="update"),
]


def plan_takes(n_takes, rng, frame_starts, input_first, locked):
    """Random takes per output; returns list of dicts with the expected frame."""
    takes = []
    cur = {0: 1, 1: 2}             # output -> source (1-based) of the initial xpt
    last_switch = {0: 1, 1: 1}     # frame index of the last switch per output
    per_out = n_takes // 2
    for o in (0, 1):
        for _ in range(per_out):
            src = rng.choice([s for s in range(1, N_SRC + 1) if s != cur[o]])
            base = last_switch[o] + 2  # 2 frames after the previous switch frame
            t = TAI0 + base * FRAME_NS + rng.randrange(0, FRAME_NS)
            if t > TAI0 + (FRAMES - 8) * FRAME_NS:
                break
            if rng.random() < 0.5:
                mode = "at_tai_ns"
                t_s = TAI0 + -(-(t - TAI0) // FRAME_NS) * FRAME_NS  # frame at/after T
            else:
                mode = "at_capture_ns"
                # armed at the first packet (us-truncated capture time) of an
                # input listening to the output, at or after t
                t_s = first_arrival_at_or_after(input_first, (cur[o], src), t)
            if locked:   # frames placed by their RTP (grid) time
                exp = -(-(t_s - TAI0) // FRAME_NS)
                last_old = exp - 1
            else:        # by the arrival of their first packet
                exp = next(k for k, a in enumerate(frame_starts[src]) if a >= t_s)
                last_old = max(k for k, a in enumerate(frame_starts[cur[o]]) if a < t_s)
            takes.append(dict(out=o, src=src, prev=cur[o], mode=mode, t=t, frame=exp,
                              last_old=last_old))
            cur[o] = src
            last_switch[o] = exp
    return takes


def first_arrival_at_or_after(arrivals, srcs, t):
    best = None
    for s in srcs:
        lst = arrivals[s]
        lo, hi = 0, len(lst)
        while lo < hi:
            mid = (lo + hi) // 2
            if lst[mid] < t:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(lst) and (best is None or lst[lo] < best):
            best = lst[lo]
    return best


def main():
    global FRAME_NS, FRAMES, VIDEO
    sy_gen, sy_run, sy_an, wd = sys.argv[1:5]
    mode = sys.argv[5] if len(sys.argv) > 5 else "locked"
    n_takes = int(sys.argv[6]) if len(sys.argv) > 6 else 200
    locked = mode in ("locked", "interlaced")
    if mode == "interlaced":
        # 320x180i50: 25 frames of two fields; a take must land between
        # frames (after the second field), never between fields
        VIDEO, FRAME_NS, FRAMES = "320x180i50", 40_000_000, 170
    os.makedirs(wd, exist_ok=True)
    rng = random.Random(4242 if locked else 777)
    gen(sy_gen, wd)

    # input capture: arrival times per source (us-truncated, as net_pcap
    # delivers them), audio payload -> (source, ts)
    arrivals = {s: [] for s in range(1, N_SRC + 1)}
    audio_id = {}
    in_payload = {}
    frame_starts = {s: [] for s in range(1, N_SRC + 1)}
    arrivals_audio = {s: [] for s in range(1, N_SRC + 1)}
    last_vts = {}
    for ts, pkt in read_pcap(wd + "/in.pcap"):
        dst = ip_str(pkt[30:34])
        kind, s = int(dst.split(".")[2]), int(dst.split(".")[3])
        arrivals[s].append(ts // 1000 * 1000)
        rtp = pkt[42:]
        if kind == 1:
            arrivals_audio[s].append(ts // 1000 * 1000)
        if kind == 0 and last_vts.get(s) != rtp[4:8]:
            last_vts[s] = rtp[4:8]
            frame_starts[s].append(ts // 1000 * 1000)
        if kind == 1:
            audio_id.setdefault(bytes(rtp[12:]), []).append(
                (s, struct.unpack("!I", rtp[4:8])[0], ts // 1000 * 1000))
    takes = plan_takes(n_takes, rng, frame_starts, arrivals, locked)

    inputs, sources = [], []
    for s in range(1, N_SRC + 1):
        inputs.append(dict(name="v%d" % s, sdp="%s/in_%d.sdp" % (wd, 2 * s - 1)))
        inputs.append(dict(name="a%d" % s, sdp="%s/in_%d.sdp" % (wd, 2 * s)))
        if not locked:
            inputs[-2]["ptp_locked"] = False
            inputs[-1]["ptp_locked"] = False
        sources.append(dict(name="s%d" % s, inputs=["v%d" % s, "a%d" % s]))
    outputs = []
    for i, o in enumerate(OUTS):
        outputs.append(dict(name=o["name"], port=0, restamp=not locked, udp_csum=o["csum"],
                            source="s%d" % (i + 1), flows=[
            dict(format_of="v1", dst="%s:%d" % o["v"], src="%s:%d" % (o["src_ip"], 5004),
                 ssrc=o["ssrc_v"], pt=o["pt_v"], dscp=o["dscp"], ttl=o["ttl"],
                 src_mac=o["src_mac"]),
            dict(format_of="a1", dst="%s:%d" % o["a"], src="%s:%d" % (o["src_ip"], 5006),
                 ssrc=o["ssrc_a"], pt=o["pt_a"], dscp=o["dscp"], ttl=o["ttl"],
                 src_mac=o["src_mac"])]))
    cfg = dict(
        eal=["--no-pci", "--no-huge", "-m", "512", "--no-shconf", "--no-telemetry",
             "--log-level=lib.eal:error", "-l", "0", "--file-prefix", "dpsw%d" % os.getpid()],
        workers=1, hold_pkts=1024,
        ports=[dict(name="p0", devargs="net_pcap0,rx_pcap=%s/in.pcap,tx_pcap=%s/out.pcap"
                    % (wd, wd), rx_timestamps=True, rx_ts_unit_ns=1000)],
        inputs=inputs, sources=sources, outputs=outputs,
        takes=[{"output": OUTS[t["out"]]["name"], "source": "s%d" % t["src"],
                t["mode"]: t["t"]} for t in takes])
    with open(wd + "/cfg.json", "w") as f:
        json.dump(cfg, f, indent=1)
    res = subprocess.run([sy_run, wd + "/cfg.json"], check=True, capture_output=True, text=True)
    report = json.loads(res.stdout)
    with open(wd + "/run.json", "w") as f:
        json.dump(report, f, indent=1)
    c = report["counters"]
    n_sched = sum(t["mode"] == "at_tai_ns" for t in takes)
    print("takes planned: %d (%d scheduled, %d immediate)" % (len(takes), n_sched,
                                                              len(takes) - n_sched))
    check(len(takes) >= min(n_takes, 200) - 2, "too few takes planned: %d" % len(takes))
    check(report["takes_not_done"] == 0, "takes not done: %d" % report["takes_not_done"])
    check(not report["refused"], "refused: %s" % report["refused"])
    man = json.load(open(wd + "/in.json"))
    check(c["rx_pkts"] == sum(f["packets"] for f in man["flows"]), "rx %d" % c["rx_pkts"])
    for bad in ("no_mbuf", "hold_full", "tx_full", "held_at_exit", "no_flow"):
        check(bad not in c["drops"], "drop %s: %s" % (bad, c["drops"].get(bad)))

    # output SDP for the analyzer (format of the sources, output addresses)
    sdp_v = open("%s/in_1.sdp" % wd).read()
    for i, o in enumerate(OUTS):
        txt = sdp_v.replace("239.100.0.1", o["v"][0]).replace("10.99.0.1", o["src_ip"])
        txt = txt.replace("RTP/AVP 96", "RTP/AVP %d" % o["pt_v"]).replace(
            "96 raw", "%d raw" % o["pt_v"]).replace("fmtp:96", "fmtp:%d" % o["pt_v"])
        with open("%s/out_%s.sdp" % (wd, o["name"]), "w") as f:
            f.write(txt)
    an = subprocess.run([sy_an, "--json", "-", "--sdp", wd + "/out_A.sdp", "--sdp",
                         wd + "/out_B.sdp", wd + "/out.pcap"], capture_output=True, text=True)
    rep = json.loads(an.stdout)
    flows = {f["dst"]: f for f in rep["flows"]}

    # expected output frame sequence per output
    for i, o in enumerate(OUTS):
        fv = flows.get("%s:%d" % o["v"])
        check(fv is not None, "output %s: no video flow" % o["name"])
        if fv is None:
            continue
        st = fv["video"]["stamps"]
        check(st["torn"] == 0, "output %s: %d torn frames %s" % (o["name"], st["torn"],
                                                                 st["torn_frames"][:3]))
        check(fv["video"]["frames_incomplete"] == 0,
              "output %s: %d incomplete frames" % (o["name"], fv["video"]["frames_incomplete"]))
        seq = fv["sequence"]
        check(seq["lost"] == 0 and seq["duplicates"] == 0 and seq["reordered"] == 0,
              "output %s video sequence: %s" % (o["name"], {k: seq[k] for k in
                                                          ("lost", "duplicates", "reordered")}))
        if fv.get("sequence32"):
            s32 = fv["sequence32"]
            check(s32["lost"] == 0 and s32["duplicates"] == 0,
                  "output %s: 32-bit sequence %s" % (o["name"], s32))
        check(fv["ssrc"] == o["ssrc_v"], "output %s: ssrc %x" % (o["name"], fv["ssrc"]))
        check(fv["wrong_ssrc"] == 0 and fv["wrong_pt"] == 0, "output %s: wrong ssrc/pt"
              % o["name"])
        fl = fv["video"]["frame_list"]
        got = [(f["source_id"], f["frame_counter"]) for f in fl]
        my = [t for t in takes if t["out"] == i]
        if locked:
            first = got[0][1] if got else 0
            exp = []
            for k in range(first, first + len(got)):
                s = i + 1
                for t in my:
                    if t["frame"] <= k:
                        s = t["src"]
                exp.append((s, k))
            bad = [(n, g, e) for n, (g, e) in enumerate(zip(got, exp)) if g != e]
            check(not bad, "output %s: %d frames differ from the computed schedule, first %s"
                  % (o["name"], len(bad), bad[:3]))
            check(got and got[-1][1] == FRAMES - 1, "output %s: last frame %s"
                  % (o["name"], got[-1] if got else None))
        else:
            # unlocked: each take lands on a whole frame of the new source,
            # at most one frame late; counters of one source consecutive
            sw = [(n, a, b) for n, (a, b) in enumerate(zip(got, got[1:])) if a[0] != b[0]]
            check(len(sw) == len(my), "output %s: %d switches for %d takes"
                  % (o["name"], len(sw), len(my)))
            for (n, a, b), t in zip(sw, my):
                check(b[0] == t["src"], "output %s: switch %d to source %d, asked %d"
                      % (o["name"], n, b[0], t["src"]))
                check(b[1] == t["frame"] and a[1] == t["last_old"],
                      "output %s: take at frame %d landed at %d (after %d)"
                      % (o["name"], t["frame"], b[1], a[1]))
            ts = [f["ts"] for f in fl]
            d = {(b - a) % (1 << 32) for a, b in zip(ts, ts[1:])}
            check(d <= {1800, 3600}, "output %s: restamped deltas %s" % (o["name"], sorted(d)[:5]))
        print("output %s: %d frames, %d switches (analyzer), torn %d"
              % (o["name"], len(got), len(st["switches"]), st["torn"]))

    # own packet checks: headers, audio follows video, fan-out
    last_seq = {}
    audio_seen = {0: [], 1: []}
    out_payload = {}
    n = 0
    for ts, pkt in read_pcap(wd + "/out.pcap"):
        n += 1
        dst, dport = ip_str(pkt[30:34]), struct.unpack("!H", pkt[36:38])[0]
        oi = 0 if dst.endswith(".1") else 1
        o = OUTS[oi]
        is_audio = dst.startswith("239.200.1.")
        check(pkt[0:6] == mcast_mac(dst), "dst mac %s" % pkt[0:6].hex())
        check(pkt[6:12].hex(":") == o["src_mac"], "src mac %s" % pkt[6:12].hex(":"))
        check(pkt[12:14] == b"\x08\x00" and pkt[14] == 0x45, "not IPv4/20")
        check(pkt[15] >> 2 == o["dscp"] and pkt[22] == o["ttl"], "dscp/ttl")
        check(ip_str(pkt[26:30]) == o["src_ip"], "src ip %s" % ip_str(pkt[26:30]))
        check(csum16(pkt[14:34]) == 0xFFFF, "IPv4 checksum wrong")
        ucs = struct.unpack("!H", pkt[40:42])[0]
        if o["csum"] == "zero":
            check(ucs == 0, "UDP checksum not zero")
        else:
            plen = struct.unpack("!H", pkt[38:40])[0]
            ph = pkt[26:34] + b"\0\x11" + struct.pack("!H", plen)
            check(ucs == 0 or csum16(ph + pkt[34:34 + plen]) == 0xFFFF, "UDP checksum wrong")
        rtp = pkt[42:]
        pt, seq = rtp[1] & 0x7F, struct.unpack("!H", rtp[2:4])[0]
        check(pt == (o["pt_a"] if is_audio else o["pt_v"]), "pt %d" % pt)
        key = (oi, is_audio)
        if key in last_seq:
            check(seq == (last_seq[key] + 1) & 0xFFFF, "seq jump %d->%d on %s"
                  % (last_seq[key], seq, key))
        last_seq[key] = seq
        rts = struct.unpack("!I", rtp[4:8])[0]
        if is_audio:
            sid = audio_id.get(bytes(rtp[12:]))
            check(sid is not None, "audio payload of no input")
            if sid:
                audio_seen[oi].append((sid, rts))
        else:
            out_payload.setdefault((rts, bytes(rtp[14:30])), set()).add(oi)
    print("output packets checked: %d" % n)

    # audio: continuous timestamps; the new source's first audio packet is
    # the one nearest the video switch point K (the frame's grid time when
    # locked, its first packet's arrival when not): first with time >= K - 0.5 ms
    for oi in (0, 1):
        a = audio_seen[oi]
        d = {(y[1] - x[1]) % (1 << 32) for x, y in zip(a, a[1:])}
        check(d == {48}, "output %s audio ts deltas %s" % (OUTS[oi]["name"], sorted(d)[:6]))
        sw = [(x, y) for x, y in zip(a, a[1:]) if x[0][0][0] != y[0][0][0]]
        my = [t for t in takes if t["out"] == oi]
        check(len(sw) == len(my), "output %s: %d audio switches for %d takes"
              % (OUTS[oi]["name"], len(sw), len(my)))
        for (x, y), t in zip(sw, my):
            if locked:
                k_ns = TAI0 + t["frame"] * FRAME_NS
            else:
                k_ns = frame_starts[t["src"]][t["frame"]]
            # candidates of that payload from the new source; nearest to K
            cands = [c for c in y[0] if c[0] == t["src"]]
            check(cands, "output %s: audio switch to the wrong source" % OUTS[oi]["name"])
            if not cands:
                continue
            if locked:
                exp_ts = (k_ns * 48000 // 1_000_000_000) % (1 << 32)
                got = min(cands, key=lambda c: abs((c[1] - exp_ts + (1 << 31)) % (1 << 32)
                                                   - (1 << 31)))
                check(got[1] == exp_ts, "output %s: audio switched at ts %d, video at %d"
                      % (OUTS[oi]["name"], got[1], exp_ts))
            else:
                got = min(cands, key=lambda c: abs(c[2] - k_ns))
                exp = min(c for c in arrivals_audio[t["src"]] if c >= k_ns - 500_000)
                check(got[2] == exp, "output %s: audio switched at arrival %d, expected %d "
                      "(video switch at %d)" % (OUTS[oi]["name"], got[2], exp, k_ns))
    # fan-out: frames both outputs carried from one source have equal payload
    shared = sum(1 for v in out_payload.values() if len(v) == 2)
    print("fan-out packets (same payload on both outputs): %d" % shared)
    if locked:
        check(shared > 0, "no fan-out happened")
    ev = [e for e in report["events"] if e["kind"] == "take_done"]
    check(len(ev) == len(takes) + 2, "%d take events for %d takes" % (len(ev), len(takes)))
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
