#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# cp_bench.py BUILD_DIR [SECONDS]: control-plane latency under load while the
# dataplane switches a real-time source (prints numbers; not a timed test).
#
# Set-up (one switchyard process, engine dataplane, EAL --no-huge):
#  - two sy-gen sources (640x360p50 4:2:2 10-bit, 1 s, looped) fed in real
#    time (paced per 2 ms slot by this script) through a FIFO into a
#    net_pcap port; arrival time from the TSC (rx_timestamps off), inputs
#    not PTP-locked (the loop restarts RTP timestamps every second);
#  - output pgm switched between them every 200 ms by POST .../take;
#  - h2load --h1 --rps: 2,000 requests/s in total, half GET
#    /x-switchyard/v1/outputs/pgm, half PATCH /x-switchyard/v1/inputs/cam1
#    (label), 4 connections each, pinned with taskset to CPU 0 (the worker
#    lcore owns CPU 1);
#  - latency percentiles from h2load's --log-file (per request, us);
#  - dataplane counters (rx, tx, drops by reason) before and after.
# See docs/performance-control.md for the method and the numbers.
import http.client
import json
import os
import pathlib
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time

build = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else 'build').resolve()
secs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
SWITCHYARD = build / 'control' / 'switchyard'
SY_GEN = build / 'tools' / 'gen' / 'sy-gen'
wd = tempfile.mkdtemp(prefix='sy-cp-bench-')
FMT = '640x360p50'

subprocess.run([str(SY_GEN), '--out', wd + '/in.pcap', '--tai-start', '1700000000',
                '--video', FMT, '--source-id', '1', '--frames', '50', '--dst', '239.1.1.1:5004',
                '--video', FMT, '--source-id', '2', '--frames', '50', '--dst', '239.1.2.1:5004'],
               check=True, stdout=subprocess.DEVNULL)
data = pathlib.Path(wd + '/in.pcap').read_bytes()
# group the records into 2 ms slots of capture time
slots = {}
off = 24
t_first = None
n_pkts = 0
while off + 16 <= len(data):
    sec, ns, incl, _ = struct.unpack_from('<IIII', data, off)
    t = sec * 10**9 + ns
    t_first = t if t_first is None else t_first
    k = (t - t_first) // 2_000_000
    end = off + 16 + incl
    s = slots.setdefault(k, [off, end])
    s[1] = end
    off = end
    n_pkts += 1
slot_list = sorted(slots.items())
print('input: 2 x %s, %d packets per second of content, %.1f MB/s' %
      (FMT, n_pkts, len(data) / 1e6))

leg = lambda ip: [{'destination': ip, 'port': 5004}]
cfg = {
    'engine': 'dataplane',
    'http': {'listen': '127.0.0.1:0'},
    'dataplane': {'eal': ['--no-pci', '--no-huge', '-m', '1024', '--no-shconf', '--no-telemetry',
                          '--log-level=lib.eal:error', '-l', '0-1', '--file-prefix', 'cpbench'],
                  'workers': 1, 'mbufs': 65535,
                  'ports': [{'name': 'p0', 'devargs': 'net_pcap0,rx_pcap=%s/in.fifo,tx_pcap=/dev/null' % wd}]},
    'inputs': [{'id': 'cam1', 'video': {'format': FMT, 'legs': leg('239.1.1.1')}},
               {'id': 'cam2', 'video': {'format': FMT, 'legs': leg('239.1.2.1')}}],
    'outputs': [{'id': 'pgm', 'input': 'cam1', 'video': {'format': FMT, 'legs': leg('239.20.0.1')}}],
}
pathlib.Path(wd + '/cfg.json').write_text(json.dumps(cfg))
os.mkfifo(wd + '/in.fifo')
stop = threading.Event()
fed = {'bytes': 0, 'late_slots': 0}


def feeder():
    try:
        feed()
    except BrokenPipeError:
        pass  # switchyard stopped


def feed():
    with open(wd + '/in.fifo', 'wb') as f:
        f.write(data[:24])
        f.flush()
        t0 = time.monotonic_ns()
        loop = 0
        while not stop.is_set():
            for k, (a, b) in slot_list:
                due = t0 + loop * 1_000_000_000 + k * 2_000_000
                now = time.monotonic_ns()
                if due > now:
                    time.sleep((due - now) / 1e9)
                elif now - due > 10_000_000:
                    fed['late_slots'] += 1
                f.write(data[a:b])
                fed['bytes'] += b - a
                if stop.is_set():
                    return
            loop += 1


ft = threading.Thread(target=feeder, daemon=True)
ft.start()
proc = subprocess.Popen(['taskset', '-c', '0', str(SWITCHYARD), '--config', wd + '/cfg.json'],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
line = ''
while 'listening on' not in line:
    line = proc.stdout.readline()
    if not line:
        raise SystemExit('switchyard did not start: ' + proc.stderr.read())
port = int(line.rsplit(':', 1)[1].strip().strip('/'))
base = 'http://127.0.0.1:%d' % port


def get(path):
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
    c.request('GET', path)
    r = c.getresponse()
    body = r.read()
    c.close()
    return json.loads(body)


time.sleep(2)  # the capture flows, the initial take lands
before = get('/x-switchyard/v1/counters')
taker_n = {'ok': 0, 'fail': 0}


def taker():
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
    i = 0
    while not stop.is_set():
        body = json.dumps({'input': 'cam2' if i % 2 == 0 else 'cam1'})
        c.request('POST', '/x-switchyard/v1/outputs/pgm/take', body=body,
                  headers={'Content-Type': 'application/json'})
        r = c.getresponse()
        r.read()
        taker_n['ok' if r.status == 202 else 'fail'] += 1
        i += 1
        time.sleep(0.2)


tt = threading.Thread(target=taker, daemon=True)
tt.start()
pathlib.Path(wd + '/patch.json').write_text('{"label":"Camera 1"}')
h2 = shutil.which('h2load')
common = ['taskset', '-c', '0', h2, '--h1', '-c', '4', '--rps', '250', '-D', str(secs)]
g = subprocess.Popen(common + ['--log-file', wd + '/get.log', base + '/x-switchyard/v1/outputs/pgm'],
                     stdout=subprocess.PIPE, text=True)
p = subprocess.Popen(common + ['--log-file', wd + '/patch.log', '-d', wd + '/patch.json',
                               '-H', ':method: PATCH', '-H', 'Content-Type: application/json',
                               base + '/x-switchyard/v1/inputs/cam1'],
                     stdout=subprocess.PIPE, text=True)
gout, pout = g.communicate(), p.communicate()
after = get('/x-switchyard/v1/counters')
c = http.client.HTTPConnection('127.0.0.1', port, timeout=5)
c.request('GET', '/metrics')
metrics = c.getresponse().read().decode()
takes_done = [ln.split()[1] for ln in metrics.splitlines()
              if ln.startswith('switchyard_takes_done_total ')]
stop.set()
proc.terminate()
proc.wait(10)


def pct(path):
    lat = []
    codes = {}
    for ln in open(path):
        parts = ln.split()
        if len(parts) >= 3:
            codes[parts[1]] = codes.get(parts[1], 0) + 1
            lat.append(int(parts[2]))
    lat.sort()
    q = lambda x: lat[min(len(lat) - 1, int(x * len(lat)))] / 1000.0
    return len(lat), codes, q(0.5), q(0.99), q(0.999), lat[-1] / 1000.0 if lat else 0


for name, path, out in (('GET /x-switchyard/v1/outputs/pgm', wd + '/get.log', gout[0]),
                        ('PATCH /x-switchyard/v1/inputs/cam1', wd + '/patch.log', pout[0])):
    n, codes, p50, p99, p999, mx = pct(path)
    print('%-36s n=%d (%.0f/s) status=%s p50=%.3f ms p99=%.3f ms p99.9=%.3f ms max=%.3f ms' %
          (name, n, n / secs, codes, p50, p99, p999, mx))
es_b, es_a = before['engine_stats'], after['engine_stats']
print('takes: %d accepted, %d refused; landed (switchyard_takes_done_total, incl. the initial): %s' %
      (taker_n['ok'], taker_n['fail'], takes_done[0] if takes_done else '?'))
print('dataplane rx %d -> %d (+%d), tx %d -> %d (+%d)' %
      (es_b['rx_packets'], es_a['rx_packets'], es_a['rx_packets'] - es_b['rx_packets'],
       es_b['tx_packets'], es_a['tx_packets'], es_a['tx_packets'] - es_b['tx_packets']))
print('dataplane drops before: %s' % json.dumps(es_b['drops']))
print('dataplane drops after:  %s' % json.dumps(es_a['drops']))
print('input packets: cam1 +%d, cam2 +%d; output pgm +%d' % (
    after['inputs']['cam1']['packets'] - before['inputs']['cam1']['packets'],
    after['inputs']['cam2']['packets'] - before['inputs']['cam2']['packets'],
    after['outputs']['pgm']['packets'] - before['outputs']['pgm']['packets']))
print('feeder: %.1f MB written, %d slots more than 10 ms late' % (fed['bytes'] / 1e6, fed['late_slots']))
