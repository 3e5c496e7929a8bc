#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""
dp_host_test.py: host duties of a dataplane port (dataplane/dp_host.c), from
pcap in to pcap out, dissected by tshark (checksums verified by tshark).

Port p0 (10.1.0.9, 02:00:00:00:00:09) receives two network inputs:
239.100.0.1 from source 10.99.0.1 (SSM) and 239.100.0.2 from any source.
The input capture holds an ARP request for 10.1.0.9, one for another
address, an IGMPv3 general query (Max Resp 1 s) and a group-specific query
for 239.100.0.2 (Max Resp 0.2 s). sy-dp-run runs 1.5 s. Expected out:
  - exactly one ARP reply: to the requester, op 2, our MAC/IP, its MAC/IP;
  - the unsolicited state-change report for the snapshot's groups at start
    (ALLOW(239.100.0.1, {10.99.0.1}) + TO_EX(239.100.0.2, {})) and one
    repeat of each record (Robustness 2) at a random time within 1 s;
  - the query responses: IS_EX(239.100.0.2) within 0.2 s of the queries
    (group-specific, or the general response if due sooner, RFC 3376 5.2),
    IS_IN(239.100.0.1, {10.99.0.1}) within 1 s;
  - every IGMP frame: IPv4 to 224.0.0.22, TTL 1, Router Alert, IP and IGMP
    checksums good (tshark), from our MAC and address.

Usage: dp_host_test.py SY_GEN SY_DP_RUN WORKDIR
"""
import json
import os
import struct
import subprocess
import sys

MY_MAC = bytes.fromhex("020000000009")
MY_IP = bytes([10, 1, 0, 9])
PEER_MAC = bytes.fromhex("020000000050")
PEER_IP = bytes([10, 1, 0, 50])
ROUTER_MAC = bytes.fromhex("020000000001")
ROUTER_IP = bytes([10, 1, 0, 1])
failures = []


def check(cond, msg):
    print(("ok - " if cond else "FAIL: ") + msg)
    if not cond:
        failures.append(msg)


def csum(b):
    if len(b) % 2:
        b += b"\0"
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


def arp_request(target):
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, PEER_MAC, PEER_IP, b"\0" * 6,
                       bytes(target))
    f = b"\xff" * 6 + PEER_MAC + b"\x08\x06" + body
    return f + b"\0" * (60 - len(f))


def igmp_query(dst, group, max_resp_code):
    igmp = struct.pack("!BBH4sBBH", 0x11, max_resp_code, 0, bytes(group), 2, 125, 0)
    igmp = igmp[:2] + struct.pack("!H", csum(igmp)) + igmp[4:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x46, 0xC0, 24 + len(igmp), 0, 0x4000, 1, 2, 0,
                     ROUTER_IP, bytes(dst)) + b"\x94\x04\x00\x00"
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    mac = bytes([0x01, 0x00, 0x5E, dst[1] & 0x7F, dst[2], dst[3]])
    f = mac + ROUTER_MAC + b"\x08\x00" + ip + igmp
    return f + b"\0" * max(0, 60 - len(f))


def write_pcap(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1_700_000_000, i, len(fr), len(fr)))
            f.write(fr)


def main():
    sy_gen, sy_dp_run, wd = sys.argv[1:4]
    os.makedirs(wd, exist_ok=True)
    subprocess.run([sy_gen, "--out", wd + "/fmt.pcap", "--sdp", wd + "/fmt_%d.sdp",
                    "--video", "320x180p50", "--frames", "1", "--dst", "239.100.0.1:5004",
                    "--src", "10.99.0.1"], check=True, stdout=subprocess.DEVNULL)
    write_pcap(wd + "/in.pcap", [
        arp_request(MY_IP),
        arp_request([10, 1, 0, 77]),
        igmp_query([224, 0, 0, 1], [0, 0, 0, 0], 10),
        igmp_query([239, 100, 0, 2], [239, 100, 0, 2], 2),
    ])
    v = wd + "/fmt_1.sdp"
    cfg = {
        "eal": ["--no-pci", "--no-huge", "-m", "256", "--no-shconf", "-l", "0",
                "--file-prefix", "dphost", "--log-level", "lib.eal:error"],
        "workers": 1,
        "ports": [{"name": "p0", "ip": "10.1.0.9", "mac": "02:00:00:00:00:09",
                   "devargs": "net_pcap0,rx_pcap=%s/in.pcap,tx_pcap=%s/out.pcap" % (wd, wd)}],
        "inputs": [{"name": "ssm", "sdp": v},
                   {"name": "asm", "sdp": v, "dst": "239.100.0.2:5004", "src": "0.0.0.0"}],
        "sources": [], "outputs": [], "run_ms": 1500,
    }
    json.dump(cfg, open(wd + "/run.json", "w"), indent=1)
    res = json.loads(subprocess.run([sy_dp_run, wd + "/run.json"], stdout=subprocess.PIPE,
                                    check=True).stdout)
    d = res["counters"]["drops"]
    check(d.get("host_arp") == 2 and d.get("host_igmp") == 2,
          "host duties consumed 2 ARP and 2 IGMP frames: %s" % d)
    fields = ["frame.time_epoch", "eth.src", "eth.dst", "arp.opcode", "arp.src.hw_mac",
              "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4", "ip.src", "ip.dst",
              "ip.ttl", "ip.checksum.status", "ip.opt.type", "igmp.type", "igmp.checksum.status",
              "igmp.record_type", "igmp.maddr", "igmp.saddr"]
    args = ["tshark", "-r", wd + "/out.pcap", "-o", "ip.check_checksum:TRUE", "-T", "fields",
            "-E", "separator=|", "-E", "aggregator=,"]
    for f in fields:
        args += ["-e", f]
    p = subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check(p.returncode == 0, "tshark reads the output: %s" % p.stderr.strip())
    rows = [dict(zip(fields, line.split("|"))) for line in p.stdout.splitlines() if line]
    arp = [r for r in rows if r["arp.opcode"]]
    igmp = [r for r in rows if r["igmp.type"]]
    print("out: %d frames, %d ARP, %d IGMP" % (len(rows), len(arp), len(igmp)))
    check(len(arp) == 1, "exactly one ARP frame out (the reply): %d" % len(arp))
    if arp:
        a = arp[0]
        check(a["arp.opcode"] == "2" and a["arp.src.hw_mac"] == "02:00:00:00:00:09" and
              a["arp.src.proto_ipv4"] == "10.1.0.9" and a["arp.dst.hw_mac"] == "02:00:00:00:00:50"
              and a["arp.dst.proto_ipv4"] == "10.1.0.50" and a["eth.dst"] == "02:00:00:00:00:50",
              "ARP reply: %s" % a)
    check(len(igmp) >= 4 and all(
        r["igmp.type"] == "0x22" and r["ip.dst"] == "224.0.0.22" and r["ip.ttl"] == "1" and
        r["ip.src"] == "10.1.0.9" and r["eth.src"] == "02:00:00:00:00:09" and
        r["ip.checksum.status"] == "1" and r["igmp.checksum.status"] == "1" and
        "148" in r["ip.opt.type"].split(",") for r in igmp),
        "IGMPv3 reports to 224.0.0.22, TTL 1, Router Alert, checksums good (tshark)")
    if not igmp:
        sys.exit(1)
    t0 = float(igmp[0]["frame.time_epoch"])

    def recs(r):
        ty = r["igmp.record_type"].split(",")
        ga = r["igmp.maddr"].split(",")
        return list(zip(ty, ga))

    for r in igmp:
        print("  +%.3f s %s src %s" % (float(r["frame.time_epoch"]) - t0, recs(r), r["igmp.saddr"]))
    check(set(recs(igmp[0])) == {("5", "239.100.0.1"), ("4", "239.100.0.2")} and
          "10.99.0.1" in igmp[0]["igmp.saddr"],
          "first report: the state change ALLOW(239.100.0.1, {10.99.0.1}) + TO_EX(239.100.0.2)")
    for rec in (("5", "239.100.0.1"), ("4", "239.100.0.2")):
        ts = [float(r["frame.time_epoch"]) - t0 for r in igmp if rec in recs(r)]
        check(len(ts) == 2 and ts[1] <= 1.05,
              "record %s sent twice (Robustness 2), the repeat within 1 s: %s" % (rec, ts))

    def first(rtype, group):
        for r in igmp:
            if (rtype, group) in recs(r):
                return float(r["frame.time_epoch"]) - t0, r
        return None, None

    t, _ = first("2", "239.100.0.2")
    check(t is not None and t <= 0.25, "IS_EX(239.100.0.2) within 0.2 s of the query (%s)" % t)
    t, r = first("1", "239.100.0.1")
    check(t is not None and t <= 1.05 and "10.99.0.1" in r["igmp.saddr"],
          "IS_IN(239.100.0.1, {10.99.0.1}) within 1 s of the general query (%s)" % t)
    if failures:
        print("%d failure(s)" % len(failures))
        sys.exit(1)


if __name__ == "__main__":
    main()
