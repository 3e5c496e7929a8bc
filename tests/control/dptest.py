# SPDX-License-Identifier: MIT
# Helpers for the end-to-end tests of switchyard with the DPDK engine
# ("dataplane") inside the real binary: sy-gen writes the input capture, the
# dataplane reads it through a net_pcap port and writes what it sends to an
# output capture that sy-analyze reads.
#
# Why a FIFO: net_pcap replays its rx file as fast as it can from the moment
# the workers start, long before a test could schedule a take over HTTP. So
# the rx "file" is a named pipe: the test writes the pcap header (switchyard
# opens the port and starts), schedules its takes, and only then streams the
# packets. Arrival time = capture time (rx timestamps), so every take lands
# by the capture's TAI clock, not by how fast the pipe is read.
#
# Each run gets its own EAL --file-prefix, --no-huge, --no-pci, --no-shconf;
# meson runs these tests one at a time (is_parallel: false).
import json
import os
import pathlib
import struct
import subprocess
import threading
import time

from sytest import Switchyard

SY_GEN = os.environ.get('SY_GEN', 'sy-gen')
SY_ANALYZE = os.environ.get('SY_ANALYZE', 'sy-analyze')

PCAP_HEADER = 24


def sy_gen(args):
    subprocess.run([SY_GEN] + args, check=True, stdout=subprocess.DEVNULL)


def whole_second_after(seconds_from_now, offset_s=37):
    """A TAI second in the future (integer seconds are on the 50 Hz grid)."""
    return (time.time_ns() // 1_000_000_000) + offset_s + seconds_from_now


def dataplane_section(wd, prefix, rx, tx, workers=1):
    return {
        'eal': ['--no-pci', '--no-huge', '-m', '512', '--no-shconf', '--no-telemetry',
                '--log-level=lib.eal:error', '-l', '0-%d' % workers,
                '--file-prefix', '%s%d' % (prefix, os.getpid())],
        'workers': workers,
        'ports': [{'name': 'p0', 'devargs': 'net_pcap0,rx_pcap=%s,tx_pcap=%s' % (rx, tx),
                   'rx_timestamps': True, 'rx_ts_unit_ns': 1000}],
    }


def pcap_records(data):
    """[(capture time ns, start offset, end offset)] of a classic pcap."""
    magic = struct.unpack_from('<I', data, 0)[0]
    nano = magic == 0xa1b23c4d
    if magic not in (0xa1b23c4d, 0xa1b2c3d4):
        raise ValueError('not a little-endian classic pcap')
    out = []
    off = PCAP_HEADER
    while off + 16 <= len(data):
        sec, frac, incl, _ = struct.unpack_from('<IIII', data, off)
        t = sec * 10**9 + (frac if nano else frac * 1000)
        out.append((t, off, off + 16 + incl))
        off += 16 + incl
    return out


class FifoFeed:
    """Feeds a capture file into a FIFO: the header at once, then packets up
    to a capture time on each feed_until() (so the test can arm a take
    before the dataplane can see the frames it is about)."""

    def __init__(self, fifo, capture):
        self.fifo = fifo
        self.data = pathlib.Path(capture).read_bytes()
        self.recs = pcap_records(self.data)
        self.next_rec = 0
        if os.path.exists(fifo):
            os.unlink(fifo)
        os.mkfifo(fifo)
        self.limit_ns = -1
        self.cv = threading.Condition()
        self.done_ev = threading.Event()
        self.error = None
        self.t = threading.Thread(target=self._run, daemon=True)
        self.t.start()

    def _run(self):
        try:
            with open(self.fifo, 'wb') as f:  # blocks until switchyard opens the port
                f.write(self.data[:PCAP_HEADER])
                f.flush()
                while self.next_rec < len(self.recs):
                    with self.cv:
                        while self.recs[self.next_rec][0] >= self.limit_ns:
                            self.cv.wait()
                        limit = self.limit_ns
                    start = self.recs[self.next_rec][1]
                    while (self.next_rec < len(self.recs) and
                           self.recs[self.next_rec][0] < limit):
                        self.next_rec += 1
                    end = self.recs[self.next_rec - 1][2]
                    f.write(self.data[start:end])
                    f.flush()
        except OSError as e:
            self.error = e
        self.done_ev.set()

    def feed_until(self, t_ns):
        """Write every packet captured before t_ns (returns at once)."""
        with self.cv:
            self.limit_ns = max(self.limit_ns, t_ns)
            self.cv.notify()

    def go(self):
        self.feed_until(1 << 62)

    def wait(self, timeout=30):
        return self.done_ev.wait(timeout)

    def abort(self):
        """Unblock the writer thread if switchyard never opened the FIFO."""
        if not self.done_ev.is_set():
            try:
                fd = os.open(self.fifo, os.O_RDONLY | os.O_NONBLOCK)
                os.close(fd)
            except OSError:
                pass
        self.go()


def write_config(path, cfg):
    pathlib.Path(path).write_text(json.dumps(cfg, indent=1))


def start(cfg_path, fifo_feed, state=None, args=()):
    """Start switchyard (engine dataplane); the feed must be set up first."""
    try:
        return Switchyard(config=cfg_path, engine='dataplane', state=state, args=args,
                          dataplane=True)
    except Exception:
        fifo_feed.abort()
        raise


def wait_counter(sy, input_id, want_packets, timeout=30):
    """Wait until the dataplane counted want_packets on an input."""
    end = time.time() + timeout
    got = -1
    while time.time() < end:
        st, c, _, _ = sy.get('/x-switchyard/v1/counters')
        if st == 200:
            got = c['inputs'][input_id]['packets']
            if got >= want_packets:
                return got
        time.sleep(0.1)
    return got


def wait_on_air(sy, output, input_id, timeout=5):
    """Wait until the engine reported input_id on air on output."""
    end = time.time() + timeout
    o = None
    while time.time() < end:
        st, o, _, _ = sy.get('/x-switchyard/v1/outputs/' + output)
        if st == 200 and o['input'] == input_id:
            return True
        time.sleep(0.05)
    return False


def analyze(capture, sdps, extra=()):
    args = [SY_ANALYZE, '--json', '-', '--md5']
    for s in sdps:
        args += ['--sdp', str(s)]
    p = subprocess.run(args + list(extra) + [str(capture)], stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if p.returncode not in (0, 1):
        raise RuntimeError('sy-analyze failed: %s' % p.stderr)
    return json.loads(p.stdout)


def video_flow(report, dst):
    for f in report['flows']:
        if f['dst'] == dst and f.get('video'):
            return f
    return None
