#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
dp_malformed_test.py: a capture of good ST 2110 traffic (sy-gen video + audio)
with malformed and foreign packets mixed in (each a mutated copy of a good
packet, inserted right after it). The dataplane must count every bad packet
under its reason (dataplane/dp_drop.def), forward none of them, not crash,
and leave the output exactly as without them (complete frames, continuous
sequence, every good packet forwarded).

Usage: dp_malformed_test.py SY_GEN SY_DP_RUN SY_ANALYZE WORKDIR
"""
import json
import os
import random
import struct
import subprocess
import sys

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dp_switch_test import read_pcap, csum16  # noqa: E402

failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL:", msg)


def fix_ip(p):
    p = bytearray(p)
    p[24:26] = b"\0\0"
    p[24:26] = struct.pack("!H", 0xFFFF - csum16(bytes(p[14:34])))
    return p


def set_lens(p, new_len):
    """Frame cut/extended to new_len with IPv4/UDP lengths and checksum fixed."""
    p = bytearray(p[:new_len]) + bytearray(max(0, new_len - len(p)))
    p[16:18] = struct.pack("!H", new_len - 14)
    p[38:40] = struct.pack("!H", new_len - 34)
    p[40:42] = b"\0\0"
    return fix_ip(p)


# reason -> (applies to video 'v' / audio 'a' / any, mutation)
def m_ip_checksum(p):
    p = bytearray(p)
    p[24] ^= 0x5A
    return p


def m_ip_version(p):
    p = bytearray(p)
    p[14] = 0x65
    return fix_ip(p)


def m_ip_total_len(p):
    p = bytearray(p)
    p[16:18] = struct.pack("!H", len(p) - 14 + 40)
    return fix_ip(p)


def m_ip_fragment(p):
    p = bytearray(p)
    p[20] |= 0x20
    return fix_ip(p)


def m_udp_len(p):
    p = bytearray(p)
    # longer than the IP payload (a shorter UDP length is accepted by
    # src/sy_net as trailing bytes, and then fails the payload checks)
    p[38:40] = struct.pack("!H", struct.unpack("!H", p[38:40])[0] + 4)
    return p


def m_truncated(p):
    return bytearray(p[:30])  # inside the IPv4 header


def m_rtp_version(p):
    p = bytearray(p)
    p[42] = (p[42] & 0x3F) | 0x40
    return p


def m_rtp_header(p):
    p = bytearray(p)
    p[42] |= 0x0F  # 15 CSRCs: not ST 2110
    return p


def m_rtp_pt(p):
    p = bytearray(p)
    p[43] = (p[43] & 0x80) | 111
    return p


def m_srd(p):
    p = bytearray(p)
    # first SRD length + 2: lengths no longer sum to the payload
    ln = struct.unpack("!H", p[56:58])[0]
    p[56:58] = struct.pack("!H", ln + 2)
    return p


def m_srd_format(p):
    p = bytearray(p)
    p[58:60] = struct.pack("!H", (p[58] & 0x80) << 8 | 4000)  # row beyond 180
    return p


def m_audio_len(p):
    return set_lens(p, len(p) - 3)


def m_not_udp(p):
    p = bytearray(p)
    p[23] = 1
    return fix_ip(p)


def m_not_ipv4(p):
    p = bytearray(p)
    p[12:14] = b"\x08\x06"
    return p


def m_no_flow(p):
    p = bytearray(p)
    p[36:38] = struct.pack("!H", 6000)
    p[40:42] = b"\0\0"
    return p


def m_src_mismatch(p):
    p = bytearray(p)
    p[26:30] = bytes([10, 99, 0, 77])
    p[40:42] = b"\0\0"
    return fix_ip(p)


MUT = {
    "ip_checksum": ("any", m_ip_checksum),
    "ip_version": ("any", m_ip_version),
    "ip_total_len": ("any", m_ip_total_len),
    "ip_fragment": ("any", m_ip_fragment),
    "udp_len": ("any", m_udp_len),
    "truncated": ("any", m_truncated),
    "rtp_version": ("any", m_rtp_version),
    "rtp_header": ("any", m_rtp_header),
    "rtp_pt": ("any", m_rtp_pt),
    "srd": ("v", m_srd),
    "srd_format": ("v", m_srd_format),
    "audio_len": ("a", m_audio_len),
    "not_udp": ("any", m_not_udp),
    "not_ipv4": ("any", m_not_ipv4),
    "no_flow": ("any", m_no_flow),
    "src_mismatch": ("any", m_src_mismatch),
}
NOT_MALFORMED = {"not_udp", "not_ipv4", "no_flow", "src_mismatch"}


def write_pcap(path, pkts):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B23C4D, 2, 4, 0, 0, 65535, 1))
        for ts, p in pkts:
            f.write(struct.pack("<IIII", ts // 1_000_000_000, ts % 1_000_000_000, len(p), len(p)))
            f.write(p)


def main():
    sy_gen, sy_run, sy_an, wd = sys.argv[1:5]
    os.makedirs(wd, exist_ok=True)
    subprocess.run([sy_gen, "--out", wd + "/good.pcap", "--sdp", wd + "/in_%d.sdp",
                    "--video", "320x180p50", "--frames", "20", "--dst", "239.100.0.1:5004",
                    "--audio", "L24/48000/2", "--dst", "239.100.1.1:5006"],
                   check=True, stdout=subprocess.DEVNULL)
    rng = random.Random(99)
    pkts = list(read_pcap(wd + "/good.pcap"))
    n_good = len(pkts)
    injected = {}
    out = []
    for ts, p in pkts:
        out.append((ts, p))
        if rng.random() < 0.08:
            is_video = p[32] == 0
            choices = [r for r, (k, _) in MUT.items()
                       if k == "any" or (k == "v") == is_video]
            r = rng.choice(choices)
            out.append((ts, bytes(MUT[r][1](p))))
            injected[r] = injected.get(r, 0) + 1
    write_pcap(wd + "/in.pcap", out)
    check(set(injected) == set(MUT), "not every reason injected: %s" % sorted(injected))
    cfg = dict(
        eal=["--no-pci", "--no-huge", "-m", "256", "--no-shconf", "--no-telemetry",
             "--log-level=lib.eal:error", "-l", "0", "--file-prefix", "dpmf%d" % os.getpid()],
        workers=1,
        ports=[dict(name="p0", devargs="net_pcap0,rx_pcap=%s/in.pcap,tx_pcap=%s/out.pcap"
                    % (wd, wd), rx_timestamps=True)],
        inputs=[dict(name="v", sdp=wd + "/in_1.sdp"), dict(name="a", sdp=wd + "/in_2.sdp")],
        sources=[dict(name="s", inputs=["v", "a"])],
        outputs=[dict(name="o", port=0, source="s", flows=[
            dict(format_of="v", dst="239.200.0.1:5004", src="10.1.0.1:5004", ssrc=1, pt=96),
            dict(format_of="a", dst="239.200.1.1:5006", src="10.1.0.1:5006", ssrc=2, pt=97)])])
    with open(wd + "/cfg.json", "w") as f:
        json.dump(cfg, f, indent=1)
    res = subprocess.run([sy_run, wd + "/cfg.json"], capture_output=True, text=True)
    check(res.returncode == 0, "sy-dp-run exit %d: %s" % (res.returncode, res.stderr[-500:]))
    rep = json.loads(res.stdout)
    c = rep["counters"]
    drops = c["drops"]
    for r, n in sorted(injected.items()):
        check(drops.get(r, 0) == n, "%s: counted %d, injected %d" % (r, drops.get(r, 0), n))
        print("%-14s injected %3d counted %3d" % (r, n, drops.get(r, 0)))
    extra = {k: v for k, v in drops.items() if k not in injected}
    check(not extra, "drops not injected: %s" % extra)
    mal = sum(n for r, n in injected.items() if r not in NOT_MALFORMED)
    got_mal = sum(i["malformed"] for i in c["inputs"])
    # malformed packets whose addresses were too damaged to name an input
    # (truncated before the UDP ports) are not attributed to an input
    unattributed = injected.get("truncated", 0)
    check(mal - unattributed <= got_mal <= mal,
          "inputs' malformed %d, injected %d (%d unattributable)" % (got_mal, mal, unattributed))
    check(c["tx_pkts"] == n_good, "tx %d, good packets %d" % (c["tx_pkts"], n_good))
    check(c["rx_pkts"] == len(out), "rx %d of %d" % (c["rx_pkts"], len(out)))
    sdp = open(wd + "/in_1.sdp").read().replace("239.100.0.1", "239.200.0.1")
    with open(wd + "/out.sdp", "w") as f:
        f.write(sdp)
    an = subprocess.run([sy_an, "--json", "-", "--sdp", wd + "/out.sdp", wd + "/out.pcap"],
                        capture_output=True, text=True)
    flows = {f["dst"]: f for f in json.loads(an.stdout)["flows"]}
    v = flows.get("239.200.0.1:5004")
    check(v is not None and v["video"]["frames_complete"] == 20 and
          v["video"]["stamps"]["torn"] == 0 and v["malformed"]["total"] == 0 and
          v["sequence"]["lost"] == 0, "output video not clean: %s" % (
              v and {k: v[k] for k in ("faults", "packets")}))
    if failures:
        print("%d failures" % len(failures))
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
