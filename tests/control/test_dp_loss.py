# SPDX-License-Identifier: MIT
# Input loss with the DPDK engine inside switchyard: an input stops for 400 ms
# of real time after frame 39 and comes back. Output "pgm" ("on_loss":
# "black") shows black from the next frame after the loss is detected (two
# frame periods without packets) and the input again from its first frame
# after it returns; output "aux" ("follow") simply stops. The API reports
# input_lost / input_ok events and the input's status "lost" while away.
#
# Network: a namespace this test creates (the script re-runs itself inside
# it: switchyard, the sender and the HTTP client all live there) with a veth
# pair: a paced sender (AF_PACKET, the sy-gen capture at its own timing)
# on one end, switchyard's net_af_packet port on the other (a net_pcap rx
# FIFO would block the worker while the feed pauses, so no loss could be
# seen); the outputs go to a net_pcap port writing out.pcap.
#
# Clock: the input is declared not PTP-locked, so its frames are placed by
# arrival on the dataplane's TAI clock, the clock of the loss detection and
# of the black generator.
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time

from sytest import check, done
import dptest

if len(sys.argv) < 2 or sys.argv[1] != '--inside':
    ns = 'sy-loss-%d' % os.getpid()
    subprocess.run(['ip', 'netns', 'add', ns], check=True)
    try:
        for cmd in (['ip', 'link', 'add', 'vsend', 'type', 'veth', 'peer', 'name', 'vdp'],
                    ['ip', 'link', 'set', 'lo', 'up'], ['ip', 'link', 'set', 'vsend', 'up'],
                    ['ip', 'link', 'set', 'vdp', 'up', 'promisc', 'on']):
            subprocess.run(['ip', 'netns', 'exec', ns] + cmd, check=True)
        rc = subprocess.run(['ip', 'netns', 'exec', ns, sys.executable, __file__, '--inside']).returncode
    finally:
        subprocess.run(['ip', 'netns', 'del', ns])
    sys.exit(rc)

wd = tempfile.mkdtemp(prefix='sy-dp-loss-')
T0 = dptest.whole_second_after(60)
FRAME_NS = 20_000_000
N = 100
PAUSE_AFTER = 40  # frames sent before the pause
PAUSE_S = 0.4
dptest.sy_gen(['--out', wd + '/in.pcap', '--sdp', wd + '/in_%d.sdp', '--tai-start', str(T0),
               '--video', '320x180p50', '--source-id', '1', '--frames', str(N),
               '--timing', 'narrow', '--dst', '239.1.1.1:5004'])
with open(wd + '/empty.pcap', 'wb') as f:
    f.write(open(wd + '/in.pcap', 'rb').read()[:24])


class Sender:
    """Sends the capture on vsend at its own pace, pausing PAUSE_S before
    frame PAUSE_AFTER."""

    def __init__(self, capture):
        data = open(capture, 'rb').read()
        self.recs = [(t, data[a + 16:b]) for t, a, b in dptest.pcap_records(data)]
        self.paused = threading.Event()
        self.finished = threading.Event()
        self.t = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
        s.bind(('vsend', 0))
        t0 = self.recs[0][0]
        start = time.monotonic()
        for t, pkt in self.recs:
            if t >= t0 + PAUSE_AFTER * FRAME_NS and not self.paused.is_set():
                self.paused.set()
                start += PAUSE_S
            d = start + (t - t0) / 1e9 - time.monotonic()
            if d > 0:
                time.sleep(d)
            s.send(pkt)
        self.finished.set()


leg = lambda ip: [{'destination': ip, 'port': 5004}]
dps = dptest.dataplane_section(wd, 'ctlloss', None, None)
dps['ports'] = [{'name': 'net', 'devargs': 'net_af_packet0,iface=vdp'},
                {'name': 'out', 'devargs': 'net_pcap0,rx_pcap=%s/empty.pcap,tx_pcap=%s/out.pcap'
                 % (wd, wd)}]
cfg = {
    'engine': 'dataplane',
    'node': {'interface_ip': '10.99.0.9'},
    'dataplane': dps,
    'inputs': [
        {'id': 'cam1', 'ptp_locked': False, 'port': 'net', 'video': {'format': '320x180p50', 'legs': leg('239.1.1.1')}},
    ],
    'outputs': [
        {'id': 'pgm', 'program': True, 'input': 'cam1', 'on_loss': 'black', 'port': 'out',
         'restamp': True,
         'video': {'format': '320x180p50', 'legs': leg('239.20.0.1')}},
        {'id': 'aux', 'input': 'cam1', 'on_loss': 'follow', 'port': 'out',
         'video': {'format': '320x180p50', 'legs': leg('239.20.0.2')}},
        {'id': 'frz', 'input': 'cam1', 'on_loss': 'freeze', 'port': 'out', 'restamp': True,
         'video': {'format': '320x180p50', 'legs': leg('239.20.0.3')}},
    ],
}
dptest.write_config(wd + '/cfg.json', cfg)
snd = Sender(wd + '/in.pcap')
from sytest import Switchyard
sy = Switchyard(config=wd + '/cfg.json', engine='dataplane', dataplane=True)
sdps = []
try:
    st, snds, _, _ = sy.get('/x-nmos/connection/v1.1/single/senders/')
    for sid in snds:
        st2, _, raw, _ = sy.get('/x-nmos/connection/v1.1/single/senders/%stransportfile' % sid)
        if st2 == 200:
            p = '%s/out_%d.sdp' % (wd, len(sdps))
            open(p, 'wb').write(raw)
            sdps.append(p)
    check(len(sdps) == 3, 'IS-05 serves the three output SDPs')

    snd.t.start()
    check(snd.paused.wait(10), 'sender reached the pause')
    n = dptest.wait_counter(sy, 'cam1', PAUSE_AFTER * 180)
    check(n == PAUSE_AFTER * 180, 'first %d frames received (%d packets)' % (PAUSE_AFTER, n))
    time.sleep(PAUSE_S / 2)  # the input is away: lost after 40 ms
    st, i, _, _ = sy.get('/x-switchyard/v1/inputs/cam1')
    check(st == 200 and i['status'] == 'lost', 'input status lost while away: %s' % i.get('status'))
    st, ev, _, _ = sy.get('/x-switchyard/v1/events?since=0')
    check(any(e['event'] == 'input_lost' and e['input'] == 'cam1' for e in ev),
          'event input_lost')
    time.sleep(PAUSE_S / 2 + 0.1)
    st, i, _, _ = sy.get('/x-switchyard/v1/inputs/cam1')
    check(i['status'] == 'ok', 'input status ok again: %s' % i['status'])
    check(snd.finished.wait(30), 'the whole capture was sent')
    n = dptest.wait_counter(sy, 'cam1', N * 180)
    check(n == N * 180, 'every packet received (%d)' % n)
    st, ev, _, _ = sy.get('/x-switchyard/v1/events?since=0')
    names = [e['event'] for e in ev if e.get('input') == 'cam1' and e['event'].startswith('input_')]
    check(names[:2] == ['input_lost', 'input_ok'],
          'events input_lost, input_ok (then lost again: the sender ended): %s' % names)
    st, c, _, _ = sy.get('/x-switchyard/v1/counters')
    print('engine:', c['engine_stats'], c['outputs'])
    check(c['outputs']['pgm']['takes'] == 1 and c['outputs']['aux']['takes'] == 1,
          'loss takes are not counted as operator takes')
finally:
    rc = sy.stop()
check(rc == 0, 'clean exit on SIGTERM (%s)' % rc)

rep = dptest.analyze(wd + '/out.pcap', sdps)


def runs(flow):
    """[(kind, count)], kind 'cam1' (stamped, source 1) or the MD5 of an
    unstamped frame; and the counters of the stamped frames."""
    out, ctr, torn = [], [], 0
    for fr in flow['video']['frame_list']:
        torn += fr['torn'] is not None or not fr['complete']
        k = 'cam1' if fr['source_id'] == 1 else fr['md5']
        if fr['source_id'] == 1:
            ctr.append(fr['frame_counter'])
        if not out or out[-1][0] != k:
            out.append([k, 0])
        out[-1][1] += 1
    return out, ctr, torn


pgm = dptest.video_flow(rep, '239.20.0.1:5004')
aux = dptest.video_flow(rep, '239.20.0.2:5004')
frz = dptest.video_flow(rep, '239.20.0.3:5004')
check(frz is not None, 'the freeze output flow is in the capture')
if frz:
    # freeze: cam1 0..39, frame 39 repeated through the pause, then 40..99
    r, ctr, torn = runs(frz)
    dedup = [c for k, c in enumerate(ctr) if k == 0 or c != ctr[k - 1]]
    check(len(r) == 1 and r[0][0] == 'cam1', 'frz: every frame is a cam1 frame (stamped): %s'
          % [(k if k == 'cam1' else k[:8], n) for k, n in r])
    check(dedup == list(range(N)), 'frz: cam1 frames 0..%d in order' % (N - 1))
    check(14 <= ctr.count(PAUSE_AFTER - 1) <= 21,
          'frz: frame %d held through the 400 ms pause (%d times)'
          % (PAUSE_AFTER - 1, ctr.count(PAUSE_AFTER - 1)))
    check(torn == 0, 'frz: no torn or incomplete frame (%d)' % torn)
check(pgm is not None and aux is not None, 'both output flows in the capture')
if pgm and aux:
    r, ctr, torn = runs(pgm)
    print('pgm:', [(k if k == 'cam1' else k[:8], n) for k, n in r])
    check(len(r) == 3 and r[0][0] == 'cam1' and r[2][0] == 'cam1' and r[1][0] != 'cam1',
          'pgm: cam1, then one unstamped picture (black), then cam1')
    if os.environ.get('SY_PATTERN_MD5') and len(r) == 3:
        black = subprocess.run([os.environ['SY_PATTERN_MD5'], 'black'], stdout=subprocess.PIPE,
                               text=True, check=True).stdout.strip()
        check(r[1][0] == black, 'pgm: the picture in the pause is black (sy_pattern_render)')
    check(len(r) == 3 and 14 <= r[1][1] <= 20, 'pgm: black for the 400 ms pause less the '
          'detection (%s frames)' % (r[1][1] if len(r) == 3 else '?'))
    check(ctr == list(range(N)), 'pgm: cam1 frames 0..%d, each once, none lost: %s...' %
          (N - 1, ctr[:3]))
    check(torn == 0, 'pgm: no torn or incomplete frame (%d)' % torn)
    r, ctr, torn = runs(aux)
    check(len(r) == 1 and r[0][0] == 'cam1' and ctr == list(range(N)) and torn == 0,
          'aux (follow): only cam1 frames 0..%d, nothing in the pause' % (N - 1))
done()
