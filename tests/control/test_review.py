#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Regressions for defects found in review of the control plane:
# - "Expect: 100-continue" is answered with 100 before the body (curl used to
#   stall ~1 s), any other expectation gets 417 and changes nothing;
# - an IS-05 PATCH whose immediate activation is refused (engine 'none': 503)
#   leaves staged parameters exactly as they were (docs/api.md: nothing
#   changes on a 4xx/5xx);
# - the final synchronous state save is never overwritten by an older pool
#   write still in flight (generation check; unique temp files).
import json
import os
import socket
import tempfile
import time

from sytest import Switchyard, check, done

A = '/x-switchyard/v1/'
C = '/x-nmos/connection/v1.1/single/'

# --- Expect ------------------------------------------------------------------
sy = Switchyard()
try:
    body = b'{"label":"expect-ok"}'
    s = socket.create_connection(('127.0.0.1', sy.port), timeout=5)
    s.sendall(b'PATCH ' + A.encode() + b'outputs/pgm HTTP/1.1\r\nHost: x\r\n'
              b'Content-Type: application/json\r\nExpect: 100-continue\r\n'
              b'Content-Length: %d\r\n\r\n' % len(body))
    t0 = time.monotonic()
    first = s.recv(4096)
    check(first.startswith(b'HTTP/1.1 100 Continue\r\n\r\n'),
          '100 Continue before the body (%r)' % first[:40])
    check(time.monotonic() - t0 < 0.5, 'no stall waiting for the body')
    s.sendall(body)
    rest = first[len(b'HTTP/1.1 100 Continue\r\n\r\n'):]
    while b'\r\n\r\n' not in rest:
        rest += s.recv(4096)
    check(rest.startswith(b'HTTP/1.1 200'), 'then the final 200 (%r)' % rest[:20])
    s.close()
    st, doc, _, _ = sy.request('PATCH', A + 'outputs/pgm', body={'label': 'nope'},
                               headers={'Expect': 'teapot'})
    check(st == 417 and doc and doc.get('code') == 417, 'other expectation: 417 NMOS error (%s)' % st)
    st, out, _, _ = sy.get(A + 'outputs/pgm')
    check(out['label'] == 'expect-ok', 'the 417 changed nothing (%s)' % out['label'])
finally:
    sy.stop()

# --- IS-05 refused activation changes nothing --------------------------------
sy = Switchyard(engine='none')
try:
    st, rcv, _, _ = sy.get(C + 'receivers/')
    rid = rcv[0][:-1]
    st, before, _, _ = sy.get(C + 'receivers/' + rid + '/staged')
    st, doc, _, _ = sy.request('PATCH', C + 'receivers/' + rid + '/staged', body={
        'sender_id': '6f0a4e1c-3b2d-4c5e-9f80-1a2b3c4d5e6f', 'master_enable': True,
        'activation': {'mode': 'activate_immediate'},
        'transport_params': [{'multicast_ip': '239.77.0.9', 'destination_port': 5990},
                             {'multicast_ip': '239.78.0.9', 'destination_port': 5992}]})
    check(st == 503, 'immediate activation without an engine: 503 (%s)' % st)
    st, after, _, _ = sy.get(C + 'receivers/' + rid + '/staged')
    check(after == before, 'staged unchanged after the refused activation')
finally:
    sy.stop()

# --- state saves keep the newest document ------------------------------------
tmp = tempfile.mkdtemp(prefix='sy-review-')
state = os.path.join(tmp, 'state.json')
sy = Switchyard(state=state)
try:
    for i in range(40):  # many saves in flight, the last one must win
        sy.request('PATCH', A + 'outputs/pgm', body={'label': 'L%03d' % i})
finally:
    rc = sy.stop()
check(rc == 0, 'clean stop (%s)' % rc)
with open(state) as f:
    doc = json.load(f)
check('L039' in json.dumps(doc, ensure_ascii=False), 'the state file holds the newest label')
check(sorted(os.listdir(tmp)) == ['state.json'], 'no temp file left (%s)' % os.listdir(tmp))
done()
