# SPDX-License-Identifier: MIT
# The demo (issue 5) as a user runs it: `switchyard` with no arguments (here
# --listen on a free port) runs its four internal sources (black, bars with
# the -18 dBFS tone, two stamped moving patterns; 1080p50 + L24 stereo)
# through the real DPDK dataplane on a net_null port (--no-huge --no-pci).
# Takes over the switcher API land (take_done with the frame they landed on,
# the one the take_pending announced), the outputs' packet counters move at
# the rate of 1080p50 + audio, the panel is served, SIGTERM stops cleanly.
import time

from sytest import Switchyard, check, done

S = '/x-switchyard/v1'


def events_since(sy, seq):
    st, ev, _, _ = sy.get('%s/events?since=%d' % (S, seq))
    return ev if st == 200 else []


def wait_done(sy, out, inp, since, timeout=5.0):
    """The take_pending and take_done events of a take on out to inp."""
    pend = None
    t_end = time.time() + timeout
    while time.time() < t_end:
        for e in events_since(sy, since):
            if e.get('output') != out or e.get('input') != inp:
                continue
            if e['event'] == 'take_pending':
                pend = e
            if e['event'] == 'take_done':
                return pend, e
        time.sleep(0.05)
    return pend, None


def tai_ns(s):
    sec, ns = s.split(':')
    return int(sec) * 10**9 + int(ns)


def out_packets(sy):
    st, c, _, _ = sy.get(S + '/counters')
    return {o: v['packets'] for o, v in c['outputs'].items()}, c


sy = Switchyard(config=None, engine=None)
try:
    st, s, _, _ = sy.get(S + '/status')
    check(st == 200 and s['demo'] and s['engine'] == 'dataplane' and s['engine_switches_media'],
          'demo runs the dataplane engine: %s' % s)
    st, _, body, r = sy.get('/')
    check(st == 200 and b'<html' in body.lower(), 'panel served at /')
    # initial crosspoints (pgm bars, aux1 black) land
    t_end = time.time() + 5
    outs = {}
    while time.time() < t_end:
        st, ol, _, _ = sy.get(S + '/outputs')
        outs = {o['id']: o['input'] for o in ol}
        if outs == {'pgm': 'bars', 'aux1': 'black'}:
            break
        time.sleep(0.05)
    check(outs == {'pgm': 'bars', 'aux1': 'black'}, 'initial crosspoints on air: %s' % outs)

    seq = max([e['seq'] for e in events_since(sy, 0)] + [0])
    takes = [('pgm', 'box'), ('aux1', 'box2'), ('pgm', 'black'), ('aux1', 'bars'),
             ('pgm', 'box2')]
    for out, inp in takes:
        before, _ = out_packets(sy)
        st, d, _, _ = sy.request('POST', '%s/outputs/%s/take' % (S, out), body={'input': inp})
        check(st == 202, 'take %s <- %s accepted: %s' % (out, inp, st if st == 202 else (st, d)))
        pend, dn = wait_done(sy, out, inp, seq)
        check(pend is not None and dn is not None, 'take %s <- %s: pending and done' % (out, inp))
        if pend and dn:
            lag = tai_ns(dn['landed']) - tai_ns(pend['frame_at'])
            # an immediate take lands on the next frame whose first packet the
            # worker has not yet sent: the announced frame, or the one before it
            # when the take arrived within TRO of that frame's start
            # (docs/api.md), or a frame later when publishing was slow
            check(-20_000_000 <= lag <= 40_000_000,
                  'take %s <- %s landed on %s, announced %s' % (out, inp, dn['landed'],
                                                               pend['frame_at']))
            seq = dn['seq']
        time.sleep(0.3)
        after, c = out_packets(sy)
        # 1080p50: 4320 video packets a frame + 1000 audio a second
        check(after[out] - before[out] > 30_000,
              'output %s counters move: %d -> %d' % (out, before[out], after[out]))
    # a salvo through the dataplane (one published snapshot): both outputs
    # switch at their own first frame at or after the one shared TAI time
    st, _, _, _ = sy.request('PUT', S + '/salvos/open', body={
        'label': 'Open', 'takes': [{'output': 'pgm', 'input': 'bars'},
                                   {'output': 'aux1', 'input': 'box'}]})
    check(st in (200, 201), 'salvo stored: %s' % st)
    at = time.time_ns() + 37 * 10**9 + 1_000_000_000  # 1 s lead: robust on a loaded machine
    st, d, _, _ = sy.request('POST', S + '/salvos/open/fire',
                             body={'at': '%d:%d' % (at // 10**9, at % 10**9)})
    check(st in (200, 202), 'salvo fired: %s %s' % (st, d))
    frame = (at + 20_000_000 - 1) // 20_000_000 * 20_000_000  # 1080p50: 20 ms grid
    for out, inp in (('pgm', 'bars'), ('aux1', 'box')):
        pend, dn = wait_done(sy, out, inp, seq)  # both from the events before the fire
        check(pend is not None and dn is not None and tai_ns(pend['frame_at']) == frame
              and tai_ns(dn['landed']) == frame,
              'salvo: %s <- %s landed on the first frame at/after the salvo time (%s)'
              % (out, inp, dn and dn['landed']))
    st, ol, _, _ = sy.get(S + '/outputs')
    outs = {o['id']: o['input'] for o in ol}
    check(outs == {'pgm': 'bars', 'aux1': 'box'}, 'final crosspoints: %s' % outs)
    before, _ = out_packets(sy)
    time.sleep(1.0)
    after, c = out_packets(sy)
    rate = after['pgm'] - before['pgm']
    print('pgm: %d packets in ~1 s (1080p50 + audio: 217000); engine %s' % (rate, c['engine_stats']))
    check(rate > 100_000, 'pgm sends at the 1080p50 rate: %d packets/s' % rate)
    check(c['engine_stats']['tx_packets'] > 0 and c['engine_stats']['events_lost'] == 0,
          'engine counters')
finally:
    rc = sy.stop()
check(rc == 0, 'SIGTERM: clean exit (rc %s): %s' % (rc, sy.stderr[-500:]))
done()
