#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# Persistence: crosspoints, preview, salvos, labels, locks and receiver
# connections survive a restart (SIGTERM, then a new process on the same
# state file); the state file is written atomically (never a torn file, no
# temp file left); a corrupt state file stops the start with a clear message
# instead of silently resetting the switcher.
import json
import os
import signal
import subprocess
import tempfile
import time

from sytest import BINARY, TEST_BINARY, CONFIG, Switchyard, check, done

A = '/x-switchyard/v1/'
C = '/x-nmos/connection/v1.1/single/'
tmp = tempfile.mkdtemp(prefix='sy-restart-')
state = os.path.join(tmp, 'state.json')

sy = Switchyard(state=state)
alice = {'X-Switchyard-Client': 'alice'}
try:
    time.sleep(0.05)
    sy.request('POST', A + 'outputs/aux1/take', body={'input': 'cam2'})
    sy.request('PUT', A + 'outputs/pgm/preview', body={'input': 'cam1'})
    sy.request('PUT', A + 'salvos/morning', body={'label': '早间 Morning', 'takes': [
        {'output': 'pgm', 'input': 'cam2'}, {'output': 'us1', 'input': 'ntsc1'}]})
    sy.request('PATCH', A + 'inputs/cam1', body={'label': '主机位'})
    sy.request('PATCH', A + 'outputs/aux1', body={'label': 'Aux Studio B'})
    sy.request('PUT', A + 'outputs/us1/lock', body={'kind': 'protect'}, headers=alice)
    st, rcv, _, _ = sy.get(C + 'receivers/')
    rid = rcv[0][:-1]
    st, d, _, _ = sy.request('PATCH', C + 'receivers/' + rid + '/staged', body={
        'sender_id': '6f0a4e1c-3b2d-4c5e-9f80-1a2b3c4d5e6f', 'master_enable': True,
        'activation': {'mode': 'activate_immediate'},
        'transport_params': [{'multicast_ip': '239.77.0.1', 'destination_port': 5020},
                             {'multicast_ip': '239.78.0.1', 'destination_port': 5022}]})
    check(st == 200, 'receiver connection activated (%s)' % st)
    st, snd, _, _ = sy.get(C + 'senders/')
    sid = snd[-1][:-1]
    st, d, _, _ = sy.request('PATCH', C + 'senders/' + sid + '/staged', body={
        'master_enable': False, 'activation': {'mode': 'activate_immediate'},
        'transport_params': [{'destination_ip': '239.88.0.1', 'destination_port': 6008}]})
    check(st == 200, 'sender change activated (%s)' % st)
    time.sleep(0.3)  # let the coalesced write happen
    check(os.path.exists(state), 'state file written while running')
    doc = json.load(open(state))
    check(doc['crosspoints']['aux1'] == 'cam2', 'state file has the crosspoint')
    st, outs_before, _, _ = sy.get(A + 'outputs')
    st, salvos_before, _, _ = sy.get(A + 'salvos')
    st, ins_before, _, _ = sy.get(A + 'inputs')
    st, ract_before, _, _ = sy.get(C + 'receivers/' + rid + '/active')
    st, sact_before, _, _ = sy.get(C + 'senders/' + sid + '/active')
    # a change just before SIGTERM must not be lost (final synchronous write)
    sy.request('POST', A + 'outputs/pgm/take', body={'input': 'cam1'})
    time.sleep(0.05)
    st, outs_before, _, _ = sy.get(A + 'outputs')
finally:
    rc = sy.stop()
check(rc == 0, 'clean exit on SIGTERM')
check(not os.path.exists(state + '.tmp'), 'no temp file left behind')
json.load(open(state))  # complete, parseable

sy = Switchyard(state=state)
try:
    time.sleep(0.05)
    st, outs, _, _ = sy.get(A + 'outputs')
    key = lambda o: (o['id'], o['label'], o['input'], o['requested_input'], o['preview'], o['lock'])
    check([key(o) for o in outs] == [key(o) for o in outs_before],
          'outputs restored: crosspoints, preview, labels, locks\n  %s\n  %s' %
          ([key(o) for o in outs], [key(o) for o in outs_before]))
    st, salvos, _, _ = sy.get(A + 'salvos')
    check(salvos == salvos_before, 'salvos restored')
    st, ins, _, _ = sy.get(A + 'inputs')
    check([i['label'] for i in ins] == [i['label'] for i in ins_before], 'input labels restored')
    st, ract, _, _ = sy.get(C + 'receivers/' + rid + '/active')
    check(ract['transport_params'] == ract_before['transport_params'] and
          ract['master_enable'] and
          ract['sender_id'] == '6f0a4e1c-3b2d-4c5e-9f80-1a2b3c4d5e6f', 'receiver connection restored')
    st, sact, _, _ = sy.get(C + 'senders/' + sid + '/active')
    check(sact['transport_params'] == sact_before['transport_params'] and
          sact['master_enable'] is False, 'sender connection restored')
    st, _, sdp, _ = sy.get(C + 'senders/' + sid + '/transportfile')
    check(b'239.88.0.1' in sdp and b'm=video 6008' in sdp, 'restored sender SDP')
    st, d, _, _ = sy.request('POST', A + 'outputs/us1/take', body={'input': 'ntsc2'},
                             headers={'X-Switchyard-Client': 'bob'})
    check(st == 423, 'restored protect still protects')
finally:
    sy.stop()

# corrupt state file: refuse to start, say why
with open(state, 'w') as f:
    f.write('{"version": 1, "crosspoints": {')
p = subprocess.run([TEST_BINARY, '--config', str(CONFIG), '--engine', 'sim', '--state', state,
                    '--listen', '127.0.0.1:0'], capture_output=True, text=True, timeout=10)
check(p.returncode != 0 and 'state.json:1:' in p.stderr, 'corrupt state file refused: %s' %
      p.stderr.strip())
done()
