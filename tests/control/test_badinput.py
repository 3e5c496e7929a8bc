#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Bad input against the real binary: malformed JSON, duplicate keys, wrong
# types, unknown keys and ids, out-of-range values, oversized bodies, URLs and
# headers, header syntax llhttp 8.1 lets through, slow clients, a slow event
# subscriber; each gets the right 4xx (NMOS error body) and nothing changes.
# Keep-alive and pipelining keep working around it.
import json
import re
import socket
import threading
import time

from sytest import Switchyard, check, done, is_nmos_error

A = '/x-switchyard/v1/'
C = '/x-nmos/connection/v1.1/single/'

sy = Switchyard()


def snapshot():
    return [sy.get(A + p)[1] for p in ('outputs', 'inputs', 'salvos')]


def expect(method, path, raw, status, what, ctype='application/json'):
    st, d, _, _ = sy.request(method, path, raw=raw, headers={'Content-Type': ctype})
    check(st == status and is_nmos_error(status, d), '%s -> %d (%s %s)' % (what, status, st,
                                                                          d and d.get('debug')))
    return d


try:
    time.sleep(0.05)
    sy.request('PUT', A + 'salvos/s1', body={'takes': [{'output': 'aux1', 'input': 'cam1'}]})
    before = snapshot()
    d = expect('POST', A + 'take', b'{"output": "pgm", "input": ', 400, 'truncated JSON')
    check(re.search(r'body:1:\d+', d['debug']) is not None, 'syntax error names line:column')
    expect('POST', A + 'take', b'{"output":"pgm","input":"cam1","input":"cam2"}', 400,
           'duplicate key')
    expect('POST', A + 'take', b'["pgm"]', 400, 'array instead of object')
    expect('POST', A + 'take', b'{"output":"pgm","input":7}', 400, 'input of the wrong type')
    expect('POST', A + 'take', b'{"output":"pgm","input":"cam1","extra":1}', 400, 'unknown key')
    expect('POST', A + 'take', b'{"output":"pgm","input":"cam1","at":"soon"}', 400, 'bad TAI time')
    expect('POST', A + 'take', b'{"output":"pgm","input":"cam1","at":"1:1000000000"}', 400,
           'nanoseconds out of range')
    expect('POST', A + 'take', b'{"output":"pgm","input":"nope"}', 404, 'unknown input id')
    expect('POST', A + 'take', b'{"output":"pgm","input":"cam1"}', 415, 'wrong content type',
           ctype='text/plain')
    expect('POST', A + 'take', b'\xff\xfe{}', 400, 'invalid UTF-8')
    expect('PUT', A + 'outputs/pgm/lock', b'{"kind":"bolt"}', 400, 'unknown lock kind')
    expect('PUT', A + 'outputs/pgm/lock', b'{"kind":"lock","force":"yes"}', 400, 'force not boolean')
    expect('PUT', A + 'salvos/s2', b'{"takes":[{"output":"pgm","input":"cam1"},'
           b'{"output":"pgm","input":"cam2"}]}', 400, 'salvo naming an output twice')
    expect('PUT', A + 'salvos/s2', b'{"takes":[]}', 400, 'empty salvo')
    expect('PUT', A + 'salvos/' + 'x' * 40, b'{"takes":[{"output":"pgm","input":"cam1"}]}', 400,
           'salvo id too long')
    expect('POST', A + 'salvos/nope/fire', b'{}', 404, 'unknown salvo')
    expect('DELETE', A + 'outputs', b'', 405, 'DELETE on a collection')
    st, snd, _, _ = sy.get(C + 'senders/')
    sid = snd[0][:-1]
    expect('PATCH', C + 'senders/' + sid + '/staged',
           b'{"transport_params":[{"destination_port":70000},{"destination_port":1}]}', 400,
           'IS-05 port out of range')
    expect('PATCH', C + 'senders/' + sid + '/staged',
           b'{"transport_params":[{"destination_ip":"300.1.1.1"},{}]}', 400, 'IS-05 bad address')
    expect('PATCH', C + 'senders/' + sid + '/staged', b'{"master_enable":"true"}', 400,
           'IS-05 master_enable not boolean')
    expect('PATCH', C + 'senders/' + sid + '/staged',
           b'{"activation":{"mode":"activate_scheduled_absolute"}}', 400,
           'IS-05 scheduled without requested_time')
    expect('PATCH', C + 'senders/' + sid + '/staged', b'{"activation":{"mode":"later"}}', 400,
           'IS-05 unknown activation mode')
    expect('PATCH', C + 'senders/' + sid + '/staged', b'{"receiver_id":"not-a-uuid"}', 400,
           'IS-05 receiver_id not a UUID')
    expect('PATCH', C + 'senders/00000000-0000-4000-8000-000000000000/staged', b'{}', 404,
           'IS-05 unknown sender')
    expect('POST', '/x-nmos/connection/v1.1/bulk/senders', b'{"id":1}', 400, 'bulk not an array')
    st, stg, _, _ = sy.get(C + 'senders/' + sid + '/staged')
    check(stg['transport_params'][0]['destination_port'] == 5004, 'IS-05 staged unchanged')

    # oversized body (config max_body_bytes 65536): 413 before the body is read
    big = b'{"label":"' + b'x' * 70000 + b'"}'
    out = sy.raw(b'PATCH /x-switchyard/v1/inputs/cam1 HTTP/1.1\r\nHost: x\r\n'
                 b'Content-Type: application/json\r\nContent-Length: %d\r\n\r\n' % len(big))
    check(out.startswith(b'HTTP/1.1 413') and b'"code":413' in out, '413 on Content-Length')
    chunked = b'PATCH /x-switchyard/v1/inputs/cam1 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n' \
              b'Content-Type: application/json\r\n\r\n' + b''.join(
                  b'%x\r\n%s\r\n' % (8000, b'x' * 8000) for _ in range(10)) + b'0\r\n\r\n'
    out = sy.raw(chunked)
    check(out.startswith(b'HTTP/1.1 413'), '413 on a chunked body over the limit')
    out = sy.raw(b'GET /' + b'a' * 3000 + b' HTTP/1.1\r\nHost: x\r\n\r\n')
    check(out.startswith(b'HTTP/1.1 414'), '414 on a long URL')
    out = sy.raw(b'GET / HTTP/1.1\r\nHost: x\r\n' + b''.join(
        b'X-H%d: %s\r\n' % (i, b'v' * 200) for i in range(50)) + b'\r\n')
    check(out.startswith(b'HTTP/1.1 431'), '431 on a large header block')
    out = sy.raw(b'GET / HTTP/1.1\r\nHost: x\r\n' + b''.join(
        b'X-%d: v\r\n' % i for i in range(100)) + b'\r\n')
    check(out.startswith(b'HTTP/1.1 431'), '431 on too many headers')
    out = sy.raw(b'GET / HTTP/1.1\r\nHost : x\r\n\r\n')
    check(out.startswith(b'HTTP/1.1 400'), '400 on "Name : value"')
    out = sy.raw(b'GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n')
    check(out.startswith(b'HTTP/1.1 400'), '400 on an obs-folded header')
    out = sy.raw(b'GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n')
    check(out.startswith(b'HTTP/1.1 400'), '400 on Content-Length with Transfer-Encoding')
    out = sy.raw(b'BREW / HTTP/1.1\r\nHost: x\r\n\r\n')
    check(out.startswith(b'HTTP/1.1 400') or out.startswith(b'HTTP/1.1 405'), 'unknown method refused')
    out = sy.raw(b'GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n')
    check(out.startswith(b'HTTP/1.1 400'), '400 on an encoded NUL in the path')

    # slow client (request_timeout_ms 2000): 408 and close
    t0 = time.time()
    s = socket.create_connection(('127.0.0.1', sy.port), timeout=5)
    s.sendall(b'GET /x-switchyard/v1/status HTTP/1.1\r\nHost: x\r\n')
    out = b''
    try:
        while True:
            c = s.recv(4096)
            if not c:
                break
            out += c
    except socket.timeout:
        pass
    dt = time.time() - t0
    check(out.startswith(b'HTTP/1.1 408') and 1.5 < dt < 4, 'slowloris gets 408 after ~2 s (%.2f s)' % dt)
    s.close()
    # a byte every 0.5 s does not extend the deadline
    s = socket.create_connection(('127.0.0.1', sy.port), timeout=5)
    t0 = time.time()
    closed = False
    for ch in b'GET /x-switchyard/v1/status HTTP/1.1\r\n':
        try:
            s.sendall(bytes([ch]))
        except OSError:
            closed = True
            break
        time.sleep(0.5)
        if time.time() - t0 > 3.5:
            break
    try:
        s.settimeout(0.5)
        got = s.recv(4096)
        closed = closed or got.startswith(b'HTTP/1.1 408') or got == b''
    except OSError:
        closed = True
    check(closed, 'trickling bytes does not keep a request alive')
    s.close()

    # keep-alive + pipelining: three requests in one write, three answers in order
    out = sy.raw(b'GET /x-switchyard/v1/outputs/pgm HTTP/1.1\r\nHost: x\r\n\r\n'
                 b'GET /x-switchyard/v1/outputs/aux1 HTTP/1.1\r\nHost: x\r\n\r\n'
                 b'GET /x-switchyard/v1/outputs/us1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
    ids = re.findall(rb'"id":"(\w+)","label"', out)
    check(out.count(b'HTTP/1.1 200') == 3 and ids == [b'pgm', b'aux1', b'us1'],
          'pipelined requests answered in order on one connection')

    after = snapshot()
    check(before == after, 'nothing changed after all the bad input')

    # slow SSE subscriber: its queue is bounded, it gets dropped, others are fine
    slow = socket.socket()
    slow.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    slow.connect(('127.0.0.1', sy.port))
    slow.sendall(b'GET /x-switchyard/v1/events/stream HTTP/1.1\r\nHost: x\r\n\r\n')
    time.sleep(0.1)
    n = 4000
    req = b''.join(b'PATCH /x-switchyard/v1/inputs/cam2 HTTP/1.1\r\nHost: x\r\n'
                   b'Content-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' %
                   (len(body), body) for body in
                   [json.dumps({'label': 'L%05d' % i + 'y' * 100}).encode() for i in range(n)])
    pc = socket.create_connection(('127.0.0.1', sy.port), timeout=10)
    th = threading.Thread(target=pc.sendall, args=(req,))
    th.start()
    got = 0
    buf = b''
    t0 = time.time()
    while got < n and time.time() - t0 < 20:
        c = pc.recv(1 << 20)
        if not c:
            break
        buf += c
        got = buf.count(b'HTTP/1.1 200')
    th.join()
    pc.close()
    check(got == n, 'pipelined %d label changes all answered (%d)' % (n, got))
    st, _, m, _ = sy.get('/metrics')
    dropped = int(re.search(rb'switchyard_sse_dropped_total (\d+)', m).group(1))
    check(dropped >= 1, 'the subscriber that never reads was dropped (%d)' % dropped)
    slow.close()
    st, d, _, _ = sy.get(A + 'status')
    check(st == 200, 'server still healthy')
finally:
    rc = sy.stop()
check(rc == 0, 'clean exit')
done()
