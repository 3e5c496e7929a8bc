#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
dp_arp_test.py: a unicast output destination resolved by ARP
(dataplane/dp_host.c neighbour cache, dp_tx.h emit), pcap in to pcap out,
dissected by tshark.

Port p0 (10.1.0.9, 02:00:00:00:00:09) receives a 320x180p50 video input
(239.1.1.1, 3 frames); output "uni" sends it to the unicast 10.99.0.50:5004
with no dst_mac. Some packets into the second frame the capture holds an
ARP reply from 10.99.0.50 (02:00:00:00:00:50). Expected out:
  - ARP requests for 10.99.0.50: broadcast, op 1, from our MAC/address;
  - no frame to 00:00:00:00:00:00;
  - every video packet received after the reply sent to 10.99.0.50 with
    destination MAC 02:00:00:00:00:50, none before;
  - drop counter arp_unresolved = the output packets before the reply (the
    video packets received before it, less the first frame's, which the
    take at start does not switch to: before_switch).

Usage: dp_arp_test.py SY_GEN SY_DP_RUN WORKDIR
"""
import json
import os
import struct
import subprocess
import sys

MY_MAC = bytes.fromhex("020000000009")
MY_IP = bytes([10, 1, 0, 9])
PEER_MAC = bytes.fromhex("020000000050")
PEER_IP = bytes([10, 99, 0, 50])
failures = []


def check(cond, msg):
    print(("ok - " if cond else "FAIL: ") + msg)
    if not cond:
        failures.append(msg)


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


def arp_reply():
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, PEER_MAC, PEER_IP, MY_MAC, MY_IP)
    f = MY_MAC + PEER_MAC + b"\x08\x06" + body
    return f + b"\0" * (60 - len(f))


def main():
    sy_gen, sy_dp_run, wd = sys.argv[1:4]
    os.makedirs(wd, exist_ok=True)
    subprocess.run([sy_gen, "--out", wd + "/video.pcap", "--sdp", wd + "/in_%d.sdp",
                    "--video", "320x180p50", "--frames", "3", "--dst", "239.1.1.1:5004",
                    "--src", "10.0.0.1"], check=True, stdout=subprocess.DEVNULL)
    video = pcap_records(wd + "/video.pcap")
    n = len(video)
    k = n // 3 + 40         # video packets before the reply: into the second frame
    recs = video[:k] + [(video[k - 1][0] + 1000, arp_reply())] + video[k:]
    write_pcap(wd + "/in.pcap", recs)
    out_pcap = wd + "/out.pcap"
    if os.path.exists(out_pcap):
        os.unlink(out_pcap)
    cfg = {
        "eal": ["--no-pci", "--no-huge", "-m", "256", "--no-shconf", "--no-telemetry", "-l", "0",
                "--file-prefix", "dparp%d" % os.getpid(), "--log-level", "lib.eal:error"],
        "workers": 1,
        "ports": [{"name": "p0", "ip": "10.1.0.9", "mac": "02:00:00:00:00:09",
                   "devargs": "net_pcap0,rx_pcap=%s/in.pcap,tx_pcap=%s" % (wd, out_pcap),
                   "rx_timestamps": True}],
        "inputs": [{"name": "cam", "sdp": wd + "/in_1.sdp"}],
        "sources": [{"name": "cam", "inputs": ["cam"]}],
        "outputs": [{"name": "uni", "port": 0, "restamp": True, "source": "cam", "flows": [
            {"format_of": "cam", "dst": "10.99.0.50:5004", "src": "10.1.0.9:5004",
             "ssrc": 0x5100, "pt": 96}]}],
        "run_ms": 300,
    }
    json.dump(cfg, open(wd + "/run.json", "w"), indent=1)
    p = subprocess.run([sy_dp_run, wd + "/run.json"], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    check(p.returncode == 0, "sy-dp-run exit 0: %s" % p.stderr[-400:])
    if p.returncode != 0:
        sys.exit(1)
    res = json.loads(p.stdout)
    c = res["counters"]
    d = c["drops"]
    print("video packets %d, reply after %d; drops %s" % (n, k, d))
    check(c["inputs"][0]["pkts"] == n, "every video packet received (%d)" % c["inputs"][0]["pkts"])
    # the take arms at the first packet; the input's first frame (PTP-locked:
    # its grid time is before that arrival) is not the output's
    bsw = d.get("before_switch", 0)
    check(bsw <= n // 3, "at most the first frame dropped before the switch (%d)" % bsw)
    check(d.get("arp_unresolved") == k - bsw and k - bsw >= 40,
          "arp_unresolved = output packets before the reply: %s vs %d" %
          (d.get("arp_unresolved"), k - bsw))
    others = {r: v for r, v in d.items()
              if r not in ("arp_unresolved", "before_switch", "host_arp", "host_igmp")}
    check(not others, "no other drop reason: %s" % others)
    check(d.get("host_arp") == 1, "the ARP reply consumed by host duties")

    fields = ["eth.src", "eth.dst", "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4",
              "arp.dst.proto_ipv4", "ip.dst", "udp.dstport"]
    args = ["tshark", "-r", out_pcap, "-T", "fields", "-E", "separator=|"]
    for f in fields:
        args += ["-e", f]
    t = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(t.returncode == 0, "tshark reads the output: %s" % t.stderr.strip())
    rows = [dict(zip(fields, line.split("|"))) for line in t.stdout.splitlines() if line]
    arp = [r for r in rows if r["arp.opcode"]]
    vid = [r for r in rows if r["ip.dst"] == "10.99.0.50"]
    print("out: %d frames, %d ARP, %d video" % (len(rows), len(arp), len(vid)))
    check(len(arp) >= 1 and all(
        r["arp.opcode"] == "1" and r["eth.dst"] == "ff:ff:ff:ff:ff:ff" and
        r["eth.src"] == "02:00:00:00:00:09" and r["arp.src.hw_mac"] == "02:00:00:00:00:09" and
        r["arp.src.proto_ipv4"] == "10.1.0.9" and r["arp.dst.proto_ipv4"] == "10.99.0.50"
        for r in arp), "ARP requests for 10.99.0.50 from the port: %s" % arp[:2])
    check(not any(r["eth.dst"] == "00:00:00:00:00:00" for r in rows),
          "no frame to 00:00:00:00:00:00")
    check(len(vid) == n - k, "video packets after the reply sent: %d of %d" % (len(vid), n - k))
    check(vid and all(r["eth.dst"] == "02:00:00:00:00:50" and r["udp.dstport"] == "5004"
                      for r in vid), "every unicast video packet to 02:00:00:00:00:50")
    sent = c["outputs"][0]["flows"][0]["pkts"]
    check(sent == n - k, "output counter pkts = %d" % sent)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
