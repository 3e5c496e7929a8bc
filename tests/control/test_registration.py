#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# IS-04 registration against two fake Registration APIs on 127.0.0.1: every
# resource POSTed parents first and valid against the AMWA request schema;
# heartbeats every heartbeat_s; a heartbeat answered 404 leads to a full
# re-registration; a model change (take) re-POSTs the changed flow; when the
# preferred registry dies, the node fails over to the next by priority.
import http.server
import json
import os
import tempfile
import threading
import time

from sytest import CONFIG, Switchyard, check, check_schema, done, free_port


class Registry:
    def __init__(self):
        self.posts = []       # (type, data)
        self.heartbeats = 0
        self.fail_next_heartbeat = False
        self.known = set()
        reg = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                if self.path == '/x-nmos/registration/v1.3/resource':
                    doc = json.loads(body)
                    reg.posts.append(doc)
                    key = (doc['type'], doc['data']['id'])
                    code = 200 if key in reg.known else 201
                    reg.known.add(key)
                    self.send_response(code)
                    out = json.dumps(doc['data']).encode()
                elif self.path.startswith('/x-nmos/registration/v1.3/health/nodes/'):
                    reg.heartbeats += 1
                    if reg.fail_next_heartbeat:
                        reg.fail_next_heartbeat = False
                        reg.known.clear()
                        self.send_response(404)
                        out = b'{"code":404,"error":"Not Found","debug":"gone"}'
                    else:
                        self.send_response(200)
                        out = b'{"health":"1"}'
                else:
                    self.send_response(404)
                    out = b'{}'
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.port = free_port()
        self.srv = http.server.ThreadingHTTPServer(('127.0.0.1', self.port), H)
        self.th = threading.Thread(target=self.srv.serve_forever, daemon=True)
        self.th.start()

    def stop(self):
        self.srv.shutdown()
        self.srv.server_close()


def wait(cond, timeout=5.0):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if cond():
            return True
        time.sleep(0.05)
    return False


a, b = Registry(), Registry()
cfg = json.load(open(CONFIG))
cfg['registration'] = {'heartbeat_s': 1, 'registries': [
    {'url': 'http://127.0.0.1:%d' % b.port, 'priority': 10},
    {'url': 'http://127.0.0.1:%d' % a.port, 'priority': 0}]}
tf = tempfile.NamedTemporaryFile('w', suffix='.json', delete=False)
json.dump(cfg, tf)
tf.close()

sy = Switchyard(config=tf.name)
try:
    st, senders, _, _ = sy.get('/x-nmos/node/v1.3/senders')
    st, receivers, _, _ = sy.get('/x-nmos/node/v1.3/receivers')
    st, flows, _, _ = sy.get('/x-nmos/node/v1.3/flows')
    st, sources, _, _ = sy.get('/x-nmos/node/v1.3/sources')
    total = 2 + len(senders) + len(receivers) + len(flows) + len(sources)
    check(wait(lambda: len(a.posts) >= total), 'priority 0 registry got all %d resources (%d)' %
          (total, len(a.posts)))
    check(len(b.posts) == 0, 'the priority 10 registry got nothing while 0 works')
    types = [p['type'] for p in a.posts[:total]]
    rank = {'node': 0, 'device': 1, 'source': 2, 'flow': 3, 'sender': 4, 'receiver': 4}
    check(types[0] == 'node' and all(rank[x] <= rank[y] for x, y in zip(types, types[1:])),
          'parents registered before children: %s' % types[:6])
    bad = [p for p in a.posts if check_schema('is-04/v1.3/registrationapi-resource-post-request.json',
                                              p, 'POST %s' % p['type']) is False]
    check(wait(lambda: a.heartbeats >= 2, 3.5), 'heartbeats every second (%d)' % a.heartbeats)
    st, s, _, _ = sy.get('/x-switchyard/v1/status')
    check(s['registration']['state'] == 'registered', 'status: registered')

    # a take changes the pgm flow (parents/version): re-POSTed
    n0 = len(a.posts)
    sy.request('POST', '/x-switchyard/v1/outputs/pgm/take', body={'input': 'cam1'})
    check(wait(lambda: any(p['type'] == 'flow' and p['data']['label'] == 'Program Video'
                           for p in a.posts[n0:]), 2), 'changed flow re-POSTed after a take')

    # heartbeat 404 -> full re-registration
    n0 = len(a.posts)
    a.fail_next_heartbeat = True
    check(wait(lambda: len(a.posts) >= n0 + total, 4), 'heartbeat 404 -> every resource again')
    check(a.posts[n0]['type'] == 'node', 're-registration starts with the node')

    # registry dies -> fail over to the next one
    a.stop()
    check(wait(lambda: len(b.posts) >= total, 8), 'failed over to the priority 10 registry (%d posts)'
          % len(b.posts))
    st, _, m, _ = sy.get('/metrics')
    check(b'switchyard_registration_failovers_total 1' in m or
          b'switchyard_registration_failovers_total 2' in m, 'failover counted')
finally:
    rc = sy.stop()
    b.stop()
    os.unlink(tf.name)
check(rc == 0, 'clean exit with registration running')
done()
