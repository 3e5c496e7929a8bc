#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
dp_freeze_test.py: input loss mode "freeze" (dp.h DP_LOSS_FREEZE) end to end,
checked from the output capture alone.

A sy-gen stamped source (320x180p50, source id 1, frames 0..N-1, narrow
gapped) is sent at its own pace from one end of a veth pair in a network
namespace this test creates (the script re-runs itself inside it); sy-dp-run
receives it on the other end (net_af_packet: a net_pcap rx would give the
worker no real-time gap, so no loss) and writes output "pgm" (on_loss
freeze, restamp) and "aux" (follow) to a net_pcap tx. The sender pauses
PAUSE_S before frame PAUSE_AFTER, then sends the rest; after the capture
the input is lost again, and while pgm repeats its last frame a take
(after TAKE_MS) puts an internal stamped source (source id 2) on it. Checks:
  - events: input lost, restored, lost again; counters: freeze_frames on pgm
    only, no freeze drop reason, every packet received;
  - pgm's stamps: 0..PAUSE_AFTER-1, then frame PAUSE_AFTER-1 repeated for the
    pause less the loss detection, then PAUSE_AFTER..N-1, then N-1 repeated
    until the take, then source 2's consecutive frames (the take done, the
    repeat in progress ended whole); every frame complete and not torn (sy-analyze
    --expect-no-torn over everything but the last frame, cut by the end of
    the run); the repeated frames byte-identical (MD5) to the original;
  - RTP timestamp deltas: exactly one frame (1800) between repeats, whole
    frames everywhere (more than one only where the loss timeout, the return
    or the take left slots empty); sequence numbers continuous (16 and 32
    bits);
  - repeats leave on the frame grid: their first packets 20 ms apart (±4 ms);
  - aux (follow): only the source's frames, each once;
  - the mbuf pools are back at their start counts after the run (the kept
    frames released; no leak).

Usage: dp_freeze_test.py SY_GEN SY_DP_RUN SY_ANALYZE WORKDIR
"""
import json
import os
import socket
import struct
import subprocess
import sys
import time

N = 100
PAUSE_AFTER = 40
PAUSE_S = 0.4
FRAME_NS = 20_000_000
PKTS_PER_FRAME = 180
# loss timeout: 5 frames, well above the sender's (Python) and the inline
# runner's scheduling hiccups on a busy CI machine
LOSS_MS = 100
# the runner's clock starts with the dataplane; the sender ~0.5 s later and
# ends ~2.9 s in: the take lands while pgm repeats frame N-1
TAKE_MS = 3400
RUN_MS = 4000
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)
    else:
        print("ok:", msg)


if len(sys.argv) < 6 or sys.argv[5] != "--inside":
    if os.geteuid() != 0:
        print("SKIP: needs root for a network namespace")
        sys.exit(77)
    ns = "sy-frz-%d" % os.getpid()
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        for cmd in (["ip", "link", "add", "vsend", "type", "veth", "peer", "name", "vdp"],
                    ["ip", "link", "set", "lo", "up"], ["ip", "link", "set", "vsend", "up"],
                    ["ip", "link", "set", "vdp", "up", "promisc", "on"]):
            subprocess.run(["ip", "netns", "exec", ns] + cmd, check=True)
        rc = subprocess.run(["ip", "netns", "exec", ns, sys.executable, __file__] +
                            sys.argv[1:5] + ["--inside"]).returncode
    finally:
        subprocess.run(["ip", "netns", "del", ns])
    sys.exit(rc)

sy_gen, sy_dp_run, sy_analyze, wd = sys.argv[1:5]
os.makedirs(wd, exist_ok=True)


def pcap_records(path):
    """[(time ns, frame bytes)] of a classic little-endian pcap."""
    data = open(path, "rb").read()
    nano = struct.unpack_from("<I", data, 0)[0] == 0xA1B23C4D
    out, off = [], 24
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack_from("<IIII", data, off)
        out.append((sec * 10**9 + (frac if nano else frac * 1000), data[off + 16:off + 16 + incl]))
        off += 16 + incl
    return out


def write_pcap(path, recs):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
        for t, b in recs:
            f.write(struct.pack("<IIII", t // 10**9, t % 10**9, len(b), len(b)) + b)


def dst_of(b):
    return "%d.%d.%d.%d:%d" % (b[30], b[31], b[32], b[33], struct.unpack_from(">H", b, 36)[0])


def analyze(sdp, pcap, extra=()):
    p = subprocess.run([sy_analyze, "--json", "-", "--md5", "--sdp", sdp] + list(extra) + [pcap],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    return p.returncode, json.loads(p.stdout) if p.stdout else {}, p.stderr


subprocess.run([sy_gen, "--out", wd + "/in.pcap", "--sdp", wd + "/in_%d.sdp", "--video",
                "320x180p50", "--source-id", "1", "--frames", str(N), "--timing", "narrow",
                "--dst", "239.1.1.1:5004", "--src", "10.0.0.1"],
               check=True, stdout=subprocess.DEVNULL)
insdp = open(wd + "/in_1.sdp").read()
for name, ip in (("pgm", "239.20.0.1"), ("aux", "239.20.0.2")):
    open("%s/%s.sdp" % (wd, name), "w").write(insdp.replace("239.1.1.1", ip)
                                                  .replace("10.0.0.1", "10.1.0.9"))
write_pcap(wd + "/empty.pcap", [])
out_pcap = wd + "/out.pcap"
if os.path.exists(out_pcap):
    os.unlink(out_pcap)

flow = lambda dst: {"format_of": "cam1_v", "dst": dst, "src": "10.1.0.9:5004", "ssrc": 7}
cfg = {
    "eal": ["--no-pci", "--no-huge", "-m", "256", "--no-shconf", "--no-telemetry",
            "--log-level=lib.eal:error", "-l", "0", "--file-prefix", "dpfrz%d" % os.getpid()],
    "workers": 1,
    "freeze_inputs": 2, "freeze_pkts": 256,
    "ports": [{"name": "net", "devargs": "net_af_packet0,iface=vdp"},
              {"name": "out", "devargs": "net_pcap0,rx_pcap=%s/empty.pcap,tx_pcap=%s"
               % (wd, out_pcap)}],
    "inputs": [{"name": "cam1_v", "sdp": wd + "/in_1.sdp", "media": 0, "port": 0,
                "ptp_locked": False, "loss_timeout_ns": LOSS_MS * 1_000_000},
               {"name": "gen2", "sdp": wd + "/in_1.sdp", "port": 1, "internal": "moving",
                "source_id": 2}],
    "sources": [{"name": "cam1", "inputs": ["cam1_v"]}, {"name": "gen", "inputs": ["gen2"]}],
    "outputs": [
        {"name": "pgm", "port": 1, "restamp": True, "source": "cam1", "on_loss": "freeze",
         "flows": [flow("239.20.0.1:5004")]},
        {"name": "aux", "port": 1, "restamp": True, "source": "cam1", "on_loss": "follow",
         "flows": [flow("239.20.0.2:5004")]},
    ],
    "takes": [{"output": "pgm", "source": "gen", "after_ms": TAKE_MS}],
    "run_ms": RUN_MS,
}
json.dump(cfg, open(wd + "/cfg.json", "w"), indent=1)


def packet_sockets():
    return len(open("/proc/net/packet").read().splitlines())


before = packet_sockets()
dp = subprocess.Popen([sy_dp_run, wd + "/cfg.json"], stdout=subprocess.PIPE, text=True)
t_end = time.monotonic() + 10
while packet_sockets() <= before and time.monotonic() < t_end and dp.poll() is None:
    time.sleep(0.01)
time.sleep(0.5)

# the sender: the capture at its own pace, PAUSE_S before frame PAUSE_AFTER
recs = pcap_records(wd + "/in.pcap")
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(("vsend", 0))
t0, start, paused = recs[0][0], time.monotonic(), False
for t, pkt in recs:
    if not paused and t >= t0 + PAUSE_AFTER * FRAME_NS:
        paused = True
        start += PAUSE_S
    d = start + (t - t0) / 1e9 - time.monotonic()
    if d > 0:
        time.sleep(d)
    s.send(pkt)
out, _ = dp.communicate(timeout=60)
check(dp.returncode == 0, "sy-dp-run exit 0 (%s)" % dp.returncode)
res = json.loads(out)
json.dump(res, open(wd + "/result.json", "w"), indent=1)

# events and counters
evs = [e["kind"] if "kind" in e else e.get("event") for e in res["events"]]
lost = [e for e in res["events"] if "lost" in json.dumps(e).lower()]
print("events:", res["events"][:6])
c = res["counters"]
check(c["inputs"][0]["pkts"] == N * PKTS_PER_FRAME, "every packet received (%d)" % c["inputs"][0]["pkts"])
check(c["inputs"][0]["losses"] == 2, "input lost twice: the pause and the end (%d)" %
      c["inputs"][0]["losses"])
done = [e for e in res["events"] if e["kind"] == "take_done" and e["output"] == "pgm"]
check(len(done) == 2 and done[1]["source"] == "gen" and res["takes_not_done"] == 0,
      "pgm: the take to gen done while frozen: %s" % done[1:])
pgm_c, aux_c = c["outputs"][0]["flows"][0], c["outputs"][1]["flows"][0]
check(aux_c["freeze_frames"] == 0, "aux (follow) repeats nothing")
freeze_drops = {k: v for k, v in c["drops"].items() if k.startswith("freeze")}
check(not freeze_drops, "no freeze drop reason counted: %s" % freeze_drops)
check(c["pool_avail"] == res["pool_avail_start"],
      "mbuf pools back at their start counts: %s vs %s" % (c["pool_avail"], res["pool_avail_start"]))

# the output capture
recs = pcap_records(out_pcap)
pgm = [(t, b) for t, b in recs if dst_of(b) == "239.20.0.1:5004"]
aux = [(t, b) for t, b in recs if dst_of(b) == "239.20.0.2:5004"]
rc, rep, err = analyze(wd + "/pgm.sdp", out_pcap)
fl = [f for f in rep["flows"] if f["dst"] == "239.20.0.1:5004"][0]
frames = fl["video"]["frame_list"]
ctr = [f["frame_counter"] if f["source_id"] == 1 else None for f in frames]
gen = [f["frame_counter"] for f in frames if f["source_id"] == 2]
first_gen = min([i for i, f in enumerate(frames) if f["source_id"] == 2] or [len(frames)])
runs = []
for x in ctr:
    if runs and runs[-1][0] == x:
        runs[-1][1] += 1
    else:
        runs.append([x, 1])
print("pgm runs:", [r for r in runs if r[1] > 1], "frames", len(frames))
expect_prefix = list(range(PAUSE_AFTER))
r1 = [r[1] for r in runs if r[0] == PAUSE_AFTER - 1]
r2 = [r[1] for r in runs if r[0] == N - 1]
check(ctr[:PAUSE_AFTER] == expect_prefix, "pgm: frames 0..%d first" % (PAUSE_AFTER - 1))
# detection: the last packet of frame 39 (~19 ms after its start) + LOSS_MS,
# the first repeat on the next grid frame (+120 ms); back at +420 ms
check(len(r1) == 1 and 12 <= r1[0] <= 18,
      "pgm: frame %d shown for the pause less the detection (%s frames: 1 + repeats)"
      % (PAUSE_AFTER - 1, r1))
uniq = [r[0] for r in runs if r[0] is not None]
check(uniq == list(range(N)) and None not in ctr[:first_gen],
      "pgm: then %d..%d, each run unbroken, nothing else: %s" %
      (PAUSE_AFTER, N - 1, [(r, i) for i, r in enumerate(runs) if r[0] != i][:4]))
check(len(r2) == 1 and r2[0] >= 5, "pgm: frame %d repeated after the capture ended (%s)" % (N - 1, r2))
check(len(gen) >= 10 and gen == list(range(gen[0], gen[0] + len(gen))) and
      all(x is None for x in ctr[first_gen:]),
      "pgm: then source 2's frames, consecutive (%d)" % len(gen))
check(pgm_c["freeze_frames"] == (r1[0] if r1 else 0) + (r2[0] if r2 else 0) - 2,
      "counter freeze_frames = the repeats (%d)" % pgm_c["freeze_frames"])
md5 = {}
for f, x in zip(frames[:-1], ctr):  # the last one: cut by the end of the run
    md5.setdefault(x, set()).add(f["md5"])
check(len(md5.get(PAUSE_AFTER - 1, ())) == 1 and len(md5.get(N - 1, ())) == 1,
      "pgm: repeated frames byte-identical to the original")
bad = [f["index"] for f in frames[:-1] if not f["complete"] or f["torn"] is not None]
check(not bad, "pgm: every frame but the last complete, none torn (%s)" % bad[:5])
deltas = [f["rtp_delta"] for f in frames[1:]]
odd = [(i + 1, d) for i, d in enumerate(deltas) if d != 1800]
check(2 <= len(odd) <= 4 and all(d % 1800 == 0 and 1800 < d <= 8 * 1800 for _, d in odd),
      "pgm: RTP deltas one frame, except a few whole frames at the two detections, "
      "the return and the take: %s" % odd)
inner = [frames[i]["rtp_delta"] for i in range(2, len(frames))
         if ctr[i] is not None and ctr[i] == ctr[i - 1] == ctr[i - 2]]
check(inner and all(d == 1800 for d in inner), "pgm: repeats exactly one frame apart (%d)"
      % len(inner))
seq = fl["sequence"]
check(seq["lost"] == 0 and seq["duplicates"] == 0 and seq["reordered"] == 0,
      "pgm: sequence continuous (%s)" % {k: seq[k] for k in ("lost", "duplicates", "reordered")})
s32 = fl.get("sequence32") or {}
check(s32.get("lost", 0) == 0, "pgm: extended sequence continuous")

# whole frames: the analyzer's verdict on everything but the last frame
last_ts = struct.unpack_from(">I", pgm[-1][1], 46)[0]
write_pcap(wd + "/pgm_whole.pcap", [(t, b) for t, b in pgm
                                     if struct.unpack_from(">I", b, 46)[0] != last_ts])
rc2, _, err2 = analyze(wd + "/pgm.sdp", wd + "/pgm_whole.pcap", ["--expect-no-torn"])
check(rc2 == 0, "sy-analyze --expect-no-torn: %s" % err2.strip())

# repeats on the grid: the first packet of repeat j of a run within 8 ms of
# the run's first repeat + j x 20 ms (the capture clock of net_pcap tx shows
# the same few-ms jitter on forwarded and generated frames: scheduling of
# the machine, not drift), and 20 ms apart on average
starts, seen = [], set()
for t, b in pgm:
    ts = struct.unpack_from(">I", b, 46)[0]
    if ts not in seen:
        seen.add(ts)
        starts.append(t)
# (the first repeat follows the original by the whole frame slots the loss
# detection left empty: as many as its RTP delta says)
badg, means = [], []
for x in (PAUSE_AFTER - 1, N - 1):
    idx = [i for i in range(1, min(len(ctr), len(starts))) if ctr[i] == x and ctr[i - 1] == x]
    if len(idx) < 3:
        badg.append((x, "too few repeats"))
        continue
    for j, i in enumerate(idx):
        err = (starts[i] - starts[idx[0]]) / 1e6 - 20 * j
        if abs(err) > 8:
            badg.append((x, j, round(err, 2)))
    means.append((starts[idx[-1]] - starts[idx[0]]) / 1e6 / (len(idx) - 1))
check(not badg and all(abs(m - 20) < 1 for m in means),
      "pgm: repeats on the 20 ms grid: off by more than 8 ms: %s; mean intervals %s ms"
      % (badg[:5], [round(m, 3) for m in means]))
# the first repeat: the whole frame slots its RTP delta says after the original
first = [i for i in range(1, len(ctr)) if ctr[i] is not None and ctr[i] == ctr[i - 1] and
         (i < 2 or ctr[i - 2] != ctr[i])]
offs = [round((starts[i] - starts[i - 1]) / 1e6 - 20 * frames[i]["rtp_delta"] / 1800, 2)
        for i in first]
check(len(first) == 2 and all(abs(o) <= 8 for o in offs),
      "pgm: first repeats on the grid of the original (%s ms off)" % offs)

# aux: follow
rc3, rep3, _ = analyze(wd + "/aux.sdp", out_pcap)
afl = [f for f in rep3["flows"] if f["dst"] == "239.20.0.2:5004"][0]
actr = [f["frame_counter"] for f in afl["video"]["frame_list"]]
check(actr == list(range(N)), "aux (follow): frames 0..%d, each once" % (N - 1))

if failures:
    print("%d check(s) failed" % len(failures))
    sys.exit(1)
print("all checks passed")
