#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The switcher API (/x-switchyard/v1/) of the real binary (engine "sim"):
# takes now and at a TAI time, format refusal, salvos sharing one TAI time with
# each output landing on its own first frame boundary at or after it (50 and
# 59.94), preview/cut, locks and protects, labels in UTF-8, tally, audit,
# events (polled and streamed as SSE), /metrics; bearer-token writes; and the
# honest 503 of engine "none".
import json
import socket
import time
from fractions import Fraction

from sytest import (Switchyard, check, done, is_nmos_error, tai_now, tai_parse, tai_str)

A = '/x-switchyard/v1/'


def first_frame_at_or_after(t_ns, num, den):
    # frame k starts at k*den/num s; smallest k with start >= t; start rounded up to ns
    k = -((-t_ns * num) // (den * 1_000_000_000))
    start = Fraction(k * den * 1_000_000_000, num)
    return -((-start.numerator) // start.denominator)


sy = Switchyard()
try:
    st, s, _, _ = sy.get(A + 'status')
    check(st == 200 and s['engine'] == 'sim' and s['engine_switches_media'] is False,
          'status says engine sim, no media switched')
    st, ins, _, _ = sy.get(A + 'inputs')
    check([i['id'] for i in ins] == ['cam1', 'cam2', 'bars', 'ntsc1', 'ntsc2'], 'inputs in config order')
    check(ins[1]['label'] == '摄像机 2', 'Chinese label round-trips')
    st, outs, _, _ = sy.get(A + 'outputs')
    check(outs[0]['input'] == 'bars', 'pgm starts on its configured input (bars)')

    # take now
    st, o, _, _ = sy.request('POST', A + 'take', body={'output': 'aux1', 'input': 'cam2'},
                             headers={'X-Switchyard-Client': 'alice'})
    check(st == 202 and o['requested_input'] == 'cam2', 'POST take -> 202')
    time.sleep(0.06)
    st, o, _, _ = sy.get(A + 'outputs/aux1')
    check(o['input'] == 'cam2' and o['pending'] is None, 'take landed (engine reported it)')
    # refused: other format
    st, d, _, _ = sy.request('POST', A + 'outputs/aux1/take', body={'input': 'ntsc1'})
    check(st == 409 and is_nmos_error(409, d) and 'differs' in d['debug'],
          'take of a 59.94 input onto a 50 Hz output -> 409: %s' % d['debug'])
    st, d, _, _ = sy.request('POST', A + 'outputs/aux1/take', body={'input': 'nope'})
    check(st == 404 and is_nmos_error(404, d), 'unknown input -> 404')
    st, d, _, _ = sy.request('POST', A + 'outputs/nope/take', body={'input': 'cam1'})
    check(st == 404, 'unknown output -> 404')

    # take at a TAI time: pending until then, lands on the frame boundary
    t = tai_now() + 300_000_123
    st, o, _, _ = sy.request('POST', A + 'outputs/us1/take', body={'input': 'ntsc2', 'at': tai_str(t)})
    want = first_frame_at_or_after(t, 60000, 1001)
    check(st == 202 and o['pending'] and tai_parse(o['pending']['frame_at']) == want,
          'scheduled take on 59.94: frame_at = first frame at or after t (%s)' % o['pending'])
    st, o, _, _ = sy.get(A + 'outputs/us1')
    check(o['input'] is None and o['pending'] is not None, 'not on air before its time')
    time.sleep(0.45)
    st, o, _, _ = sy.get(A + 'outputs/us1')
    check(o['input'] == 'ntsc2' and tai_parse(o['last_take']) == want, 'landed at frame_at')

    # salvo: pgm (50) and us1 (59.94) at one TAI time
    st, d, _, _ = sy.request('PUT', A + 'salvos/news', body={
        'label': '新闻 News', 'takes': [{'output': 'pgm', 'input': 'cam1'},
                                      {'output': 'us1', 'input': 'ntsc1'}]})
    check(st == 201 and d['label'] == '新闻 News', 'salvo defined (201)')
    st, d, _, _ = sy.request('PUT', A + 'salvos/bad', body={
        'takes': [{'output': 'pgm', 'input': 'ntsc1'}]})
    check(st == 409, 'salvo with a format mismatch refused at definition (409)')
    t = tai_now() + 200_000_007
    st, d, _, _ = sy.request('POST', A + 'salvos/news/fire', body={'at': tai_str(t)})
    check(st == 202 and d['at'] == tai_str(t), 'salvo fired at one TAI time')
    by = {o['id']: o for o in d['outputs']}
    f50 = tai_parse(by['pgm']['pending']['frame_at'])
    f5994 = tai_parse(by['us1']['pending']['frame_at'])
    check(f50 == first_frame_at_or_after(t, 50, 1) and f50 >= t and f50 - t < 20_000_000,
          'pgm (50) lands on its first frame at or after t')
    check(f5994 == first_frame_at_or_after(t, 60000, 1001) and f5994 >= t and
          f5994 - t < 16_683_334, 'us1 (59.94) lands on its own first frame at or after t')
    time.sleep(0.35)
    st, outs, _, _ = sy.get(A + 'outputs')
    by = {o['id']: o for o in outs}
    check(by['pgm']['input'] == 'cam1' and by['us1']['input'] == 'ntsc1', 'salvo landed on both')
    st, d, _, _ = sy.request('POST', A + 'salvos/news/fire', body={'at': '12:0'})
    check(st == 400, 'salvo in the past -> 400')
    st, lst, _, _ = sy.get(A + 'salvos')
    check([x['id'] for x in lst] == ['news'], 'salvo list')

    # preview and cut
    st, o, _, _ = sy.request('PUT', A + 'outputs/pgm/preview', body={'input': 'cam2'})
    check(st == 200 and o['preview'] == 'cam2', 'preview selected')
    st, tally, _, _ = sy.get(A + 'tally')
    check(tally['cam1']['tally'] == 'red' and tally['cam2']['tally'] == 'green', 'tally red/green')
    st, o, _, _ = sy.request('POST', A + 'outputs/pgm/cut')
    time.sleep(0.06)
    st, o, _, _ = sy.get(A + 'outputs/pgm')
    check(o['input'] == 'cam2' and o['preview'] == 'cam1', 'cut swaps program and preview')

    # locks / protects
    alice = {'X-Switchyard-Client': 'alice'}
    bob = {'X-Switchyard-Client': 'bob'}
    st, o, _, _ = sy.request('PUT', A + 'outputs/aux1/lock', body={'kind': 'protect'}, headers=alice)
    check(st == 200 and o['lock'] == {'kind': 'protect', 'owner': 'alice'}, 'alice protects aux1')
    st, d, _, _ = sy.request('POST', A + 'outputs/aux1/take', body={'input': 'cam1'}, headers=bob)
    check(st == 423 and is_nmos_error(423, d), 'bob cannot take a protected output (423)')
    st, d, _, _ = sy.request('POST', A + 'outputs/aux1/take', body={'input': 'cam1'}, headers=alice)
    check(st == 202, 'alice can take her protected output')
    st, d, _, _ = sy.request('DELETE', A + 'outputs/aux1/lock', headers=bob)
    check(st == 423, 'bob cannot unlock it without force')
    st, o, _, _ = sy.request('PUT', A + 'outputs/aux1/lock', body={'kind': 'lock'}, headers=alice)
    st, d, _, _ = sy.request('POST', A + 'outputs/aux1/take', body={'input': 'cam2'}, headers=alice)
    check(st == 423, 'a lock stops even its owner')
    st, d, _, _ = sy.request('POST', A + 'salvos/news/fire', headers=bob)
    st2, d2, _, _ = sy.request('PUT', A + 'salvos/aux', headers=bob, body={
        'takes': [{'output': 'pgm', 'input': 'bars'}, {'output': 'aux1', 'input': 'bars'}]})
    st3, d3, _, _ = sy.request('POST', A + 'salvos/aux/fire', headers=bob)
    st4, o4, _, _ = sy.get(A + 'outputs/pgm')
    check(st3 == 423 and o4['requested_input'] != 'bars',
          'a salvo touching a locked output is refused as a whole (423, pgm untouched)')
    st, o, _, _ = sy.request('DELETE', A + 'outputs/aux1/lock', body={'force': True}, headers=bob)
    check(st == 200 and o['lock']['kind'] == 'none', 'forced unlock')

    # labels
    st, o, _, _ = sy.request('PATCH', A + 'inputs/cam1', body={'label': '主机位 Main'})
    check(st == 200 and o['label'] == '主机位 Main', 'relabel an input (UTF-8)')
    st, d, _, _ = sy.request('PATCH', A + 'inputs/cam1', body={'label': 'a\u0007b'})
    check(st == 400, 'control characters in a label -> 400')
    st, d, _, _ = sy.request('PATCH', A + 'outputs/pgm', body={'label': 'x' * 200})
    check(st == 400, 'over-long label -> 400')

    # audit
    st, audit, _, _ = sy.get(A + 'audit')
    actions = [(a['action'], a['client']) for a in audit]
    check(('take', 'alice') in actions and ('lock', 'alice') in actions and
          ('salvo_fire', 'tester') in actions and ('label', 'tester') in actions,
          'audit has takes, locks, salvos, labels with their clients')
    check(all('time' in a and ':' in a['time'] for a in audit), 'audit entries carry TAI times')
    last = audit[-1]['seq']
    st, audit2, _, _ = sy.get(A + 'audit?since=%d' % (last - 1))
    check(len(audit2) == 1, 'audit?since=N returns newer entries only')

    # events (polled) and SSE
    st, ev, _, _ = sy.get(A + 'events')
    check(any(e['event'] == 'take_done' for e in ev), 'event log has take_done')
    s = socket.create_connection(('127.0.0.1', sy.port), timeout=3)
    s.sendall(b'GET /x-switchyard/v1/events/stream HTTP/1.1\r\nHost: x\r\n\r\n')
    head = s.recv(4096)
    check(b'text/event-stream' in head, 'SSE stream opens')
    sy.request('POST', A + 'outputs/aux1/take', body={'input': 'cam1'})
    buf = b''
    deadline = time.time() + 2
    while b'event: take_done' not in buf and time.time() < deadline:
        buf += s.recv(65536)
    check(b'event: take_pending' in buf and b'event: take_done' in buf, 'SSE carries the take')
    s.close()

    # metrics
    st, _, body, r = sy.get('/metrics')
    text = body.decode()
    check(st == 200 and r.getheader('Content-Type').startswith('text/plain; version=0.0.4'),
          '/metrics is Prometheus text')
    check('switchyard_takes_done_total' in text and 'switchyard_engine_info{engine="sim"} 1' in text,
          'metrics carry takes and the engine')
    # counters
    st, c, _, _ = sy.get(A + 'counters')
    check(st == 200 and c['engine'] == 'sim' and c['outputs']['pgm']['takes'] >= 2, 'counters')
    # panel
    st, _, body, r = sy.get('/')
    check(st == 200 and b'Switchyard' in body and r.getheader('Content-Type').startswith('text/html'),
          'panel served from the binary')
    st, _, body, r = sy.get('/panel.js')
    check(st == 200 and b'EventSource' in body, 'panel script served')
    st, d, _, _ = sy.get('/../etc/passwd')
    check(st in (400, 404), 'no path traversal')
finally:
    rc = sy.stop()
check(rc == 0, 'clean exit')

# bearer token for writes
import tempfile, os
tf = tempfile.NamedTemporaryFile('w', delete=False)
tf.write('s3cret\n')
tf.close()
sy = Switchyard(args=['--token-file', tf.name])
try:
    st, d, _, r = sy.request('POST', A + 'take', body={'output': 'pgm', 'input': 'cam1'})
    check(st == 401 and is_nmos_error(401, d) and r.getheader('WWW-Authenticate'),
          'write without token -> 401')
    st, d, _, _ = sy.request('POST', A + 'take', body={'output': 'pgm', 'input': 'cam1'},
                             headers={'Authorization': 'Bearer wrong'})
    check(st == 401, 'wrong token -> 401')
    st, d, _, _ = sy.request('POST', A + 'take', body={'output': 'pgm', 'input': 'cam1'},
                             headers={'Authorization': 'Bearer s3cret'})
    check(st == 202, 'right token -> 202')
    st, d, _, _ = sy.get(A + 'outputs')
    check(st == 200, 'reads need no token')
    st, d, _, r = sy.request('OPTIONS', A + 'take')
    check(st == 200 and 'POST' in r.getheader('Access-Control-Allow-Methods') and
          'Authorization' in r.getheader('Access-Control-Allow-Headers'), 'CORS preflight')
finally:
    sy.stop()
    os.unlink(tf.name)

# engine none: honest 503, nothing pretended
sy = Switchyard(engine='none')
try:
    st, s, _, _ = sy.get(A + 'status')
    check(s['engine'] == 'none', 'status says engine none')
    st, o, _, _ = sy.get(A + 'outputs/pgm')
    check(o['input'] is None and o['requested_input'] == 'bars', 'nothing on air without an engine')
    st, d, _, _ = sy.request('POST', A + 'take', body={'output': 'pgm', 'input': 'cam1'})
    check(st == 503 and is_nmos_error(503, d) and 'engine' in d['debug'], 'take -> 503 with NMOS error')
    st, o, _, _ = sy.get(A + 'outputs/pgm')
    check(o['requested_input'] == 'bars', 'failed take changed nothing')
    st, d, _, _ = sy.get(A + 'counters')
    check(st == 503, 'counters -> 503')
    st, snd, _, _ = sy.get('/x-nmos/connection/v1.1/single/senders/')
    st, d, _, _ = sy.request('PATCH', '/x-nmos/connection/v1.1/single/senders/' + snd[0] + 'staged',
                             body={'activation': {'mode': 'activate_immediate'}})
    check(st == 503 and is_nmos_error(503, d), 'IS-05 immediate activation -> 503')
finally:
    sy.stop()
done()
