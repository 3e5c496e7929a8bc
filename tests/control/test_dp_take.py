# SPDX-License-Identifier: MIT
# End to end, switchyard with the DPDK engine: takes scheduled over the
# switcher API at TAI times land on exactly the requested frames of the
# output, as sy-analyze reads them back from the output capture (stamps:
# source id + frame counter of every output frame; switch points).
#
# Inputs: two PTP-locked sy-gen sources (320x180p50, 50 frames, cam1 with
# source id 1 counting from 0, cam2 with source id 2 counting from 1000),
# their TAI start T0 an explicit whole second a minute ahead of now (the API
# refuses takes more than 1 s in the past; net_pcap gives arrival = capture
# time, so the dataplane lands takes by the capture's clock).
# Takes: cam2 at T0+400 ms (frame 20, on the grid), cam1 at T0+510 ms (not on
# the grid: frame 26 at 520 ms), cam2 at T0+700 ms (frame 35), and a take
# refused for its format. Expected output: frames 1..19 cam1, 20..25 cam2,
# 26..34 cam1, 35..49 cam2, none torn, every take_done event naming the
# frame it landed on.
import sys
import tempfile

from sytest import check, done, tai_str, is_nmos_error
import dptest

wd = tempfile.mkdtemp(prefix='sy-dp-take-')
T0 = dptest.whole_second_after(60)
dptest.sy_gen(['--out', wd + '/in.pcap', '--sdp', wd + '/in_%d.sdp', '--tai-start', str(T0),
               '--video', '320x180p50', '--source-id', '1', '--frames', '50',
               '--dst', '239.1.1.1:5004',
               '--video', '320x180p50', '--source-id', '2', '--frames', '50', '--frame-start', '1000',
               '--dst', '239.1.2.1:5004',
               '--video', '320x180p25', '--source-id', '3', '--frames', '25',
               '--dst', '239.1.3.1:5004'])

leg = lambda ip: [{'destination': ip, 'port': 5004}]
cfg = {
    'engine': 'dataplane',
    'node': {'interface_ip': '10.99.0.9'},
    'dataplane': dptest.dataplane_section(wd, 'ctltake', wd + '/in.fifo', wd + '/out.pcap'),
    'inputs': [
        {'id': 'cam1', 'ptp_locked': True, 'video': {'format': '320x180p50', 'legs': leg('239.1.1.1')}},
        {'id': 'cam2', 'ptp_locked': True, 'video': {'format': '320x180p50', 'legs': leg('239.1.2.1')}},
        {'id': 'slow', 'ptp_locked': True, 'video': {'format': '320x180p25', 'legs': leg('239.1.3.1')}},
        {'id': 'bars', 'internal': 'bars', 'video': {'format': '320x180p50'}},
    ],
    'outputs': [
        {'id': 'pgm', 'program': True, 'input': 'cam1',
         'video': {'format': '320x180p50', 'legs': leg('239.20.0.1')}},
    ],
}
dptest.write_config(wd + '/cfg.json', cfg)
feed = dptest.FifoFeed(wd + '/in.fifo', wd + '/in.pcap')
sy = dptest.start(wd + '/cfg.json', feed)
try:
    st, s, _, _ = sy.get('/x-switchyard/v1/status')
    check(st == 200 and s['engine'] == 'dataplane' and s['engine_switches_media'] is True,
          'status: engine dataplane, switches media')
    FRAME_NS = 20_000_000
    takes = [('cam2', 400_000_000), ('cam1', 510_000_000), ('cam2', 700_000_000)]
    st, d, _, _ = sy.request('POST', '/x-switchyard/v1/outputs/pgm/take',
                             body={'input': 'slow', 'at': tai_str(T0 * 10**9 + 100_000_000)})
    check(st == 409 and is_nmos_error(409, d) and '25' in d['debug'],
          'take from a 25 Hz source onto a 50 Hz output refused (409): %s' % (d or {}).get('debug'))
    # (takes from internal sources: test_demo_dp.py; here the output carries
    # the capture's clock, a minute ahead of the generators' real time)
    sdp = None
    # the sender's SDP from IS-05 describes the output flow for sy-analyze
    st, snds, _, _ = sy.get('/x-nmos/connection/v1.1/single/senders/')
    for sid in snds:
        st2, tp, raw, _ = sy.get('/x-nmos/connection/v1.1/single/senders/%stransportfile' % sid)
        if st2 == 200 and b'239.20.0.1' in raw:
            sdp = raw.decode()
    check(sdp is not None, 'IS-05 serves the output SDP')
    open(wd + '/out.sdp', 'w').write(sdp or '')

    landed = []
    for i, (inp, off) in enumerate(takes):
        st, d, _, _ = sy.request('POST', '/x-switchyard/v1/outputs/pgm/take',
                                 body={'input': inp, 'at': tai_str(T0 * 10**9 + off)})
        want_frame = T0 * 10**9 + ((off + FRAME_NS - 1) // FRAME_NS) * FRAME_NS
        check(st == 202 and d['pending']['frame_at'] == tai_str(want_frame),
              'take %d (%s at +%d ms) accepted, frame_at = +%d ms' %
              (i, inp, off // 10**6, (want_frame - T0 * 10**9) // 10**6))
        # let the capture flow up to 1 frame before the next take's time; a
        # take replaces a pending one on the same output, so the next is
        # armed only after this one landed
        nxt = takes[i + 1][1] if i + 1 < len(takes) else None
        if nxt is None:
            feed.go()
        else:
            feed.feed_until(T0 * 10**9 + nxt - FRAME_NS)
        got = None
        for _ in range(300):
            st, ev, _, _ = sy.get('/x-switchyard/v1/events?since=0')
            got = [e for e in ev if e['event'] == 'take_done' and e['input'] == inp
                   and e['landed'] == tai_str(want_frame)]
            if got:
                break
            dptest.time.sleep(0.02)
        check(bool(got), 'take %d landed at %s (event take_done)' % (i, tai_str(want_frame)))
        landed.append(want_frame)
    check(feed.wait(30), 'the whole capture was fed')
    n = dptest.wait_counter(sy, 'cam2', 9000)
    check(n == 9000, 'dataplane counted every cam2 packet (%d)' % n)
    st, c, _, _ = sy.get('/x-switchyard/v1/counters')
    check(c['outputs']['pgm']['takes'] >= 4, 'output counters count the takes (%d)' % c['outputs']['pgm']['takes'])
    check(dptest.wait_on_air(sy, 'pgm', 'cam2'), 'cam2 on air')
    st, o, _, _ = sy.get('/x-switchyard/v1/outputs/pgm')
    check(o['pending'] is None, 'nothing pending')
    st, _, text, _ = sy.get('/metrics')
    text = text.decode()
    check('switchyard_engine_info{engine="dataplane"} 1' in text and
          'switchyard_dataplane_rx_packets_total' in text and
          'switchyard_dataplane_drops_total{reason=' in text,
          'metrics carry the dataplane counters')
finally:
    rc = sy.stop()
    feed.abort()
check(rc == 0, 'clean exit on SIGTERM (%s)' % rc)

rep = dptest.analyze(wd + '/out.pcap', [wd + '/out.sdp'])
f = dptest.video_flow(rep, '239.20.0.1:5004')
check(f is not None, 'output flow found by sy-analyze')
if f:
    frames = f['video']['frame_list']
    ts0 = None


    def expect(n):
        if n < 20:
            return 1, n
        if n < 26:
            return 2, 1000 + n
        if n < 35:
            return 1, n
        return 2, 1000 + n

    # frame n of the capture has RTP timestamp ts(T0) + n * 1800
    ts_t0 = (T0 * 90000) % (1 << 32)
    seen = []
    bad = []
    for fr in frames:
        n = ((fr['ts'] - ts_t0) % (1 << 32)) // 1800
        seen.append(n)
        if (fr['source_id'], fr['frame_counter']) != expect(n) or not fr['complete'] or fr['torn']:
            bad.append((n, fr['source_id'], fr['frame_counter'], fr['complete'], fr['torn']))
    check(not bad, 'every output frame is the expected source and frame (bad: %s)' % bad[:5])
    check(seen == list(range(seen[0], 50)) and seen[0] <= 1,
          'output frames contiguous from %s to 49 (%d frames)' % (seen[:1], len(seen)))
    sw = f['video']['stamps']['switches']
    check(f['video']['stamps']['torn'] == 0, 'no torn frame')
    check(len(sw) == 3, 'three switch points in the output (%s)' % sw)
    check(f['sequence']['lost'] == 0 if isinstance(f.get('sequence'), dict) and 'lost' in f['sequence'] else True,
          'no sequence gap in the output')
done()
