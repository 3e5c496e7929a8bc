#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# DNS-SD (IS-04 discovery) end to end, entirely inside a private network and
# mount namespace (`unshare -n -m`: only lo, nothing leaves the machine): a
# private dbus-daemon (system bus on a unix socket in a temp dir), a private
# avahi-daemon on lo, a fake Registration API on 127.0.0.1 announced with
# avahi-publish-service (_nmos-register._tcp, TXT api_proto=http api_ver=v1.3
# pri=10). switchyard, configured with no registry, must find it, POST its
# resources and heartbeat; avahi-browse must see _nmos-node._tcp with the
# node's TXT; when the announcement is withdrawn the node drops the registry.
# Exit 77 (skip): not root, tools missing, built without avahi, or no
# namespaces allowed here.
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

SKIP = 77
INNER = os.environ.get('SY_DNSSD_INNER') == '1'


def skip(why):
    print('SKIP:', why)
    sys.exit(SKIP)


if not INNER:
    if os.environ.get('SY_WITH_AVAHI', '0') != '1':
        skip('switchyard built without libavahi-client')
    if os.geteuid() != 0:
        skip('needs root (network namespace)')
    for tool in ('unshare', 'ip', 'dbus-daemon', 'avahi-daemon', 'avahi-publish-service',
                 'avahi-browse'):
        if not shutil.which(tool):
            skip('%s not installed' % tool)
    env = dict(os.environ, SY_DNSSD_INNER='1')
    try:
        r = subprocess.run(['unshare', '-n', '-m', '--propagation', 'private', 'true'],
                           capture_output=True, timeout=10)
    except Exception as e:  # noqa: BLE001
        skip('unshare: %s' % e)
    if r.returncode != 0:
        skip('unshare -n -m not permitted here: %s' % r.stderr.decode().strip())
    sys.exit(subprocess.run(['unshare', '-n', '-m', '--propagation', 'private',
                             sys.executable, __file__], env=env).returncode)

# ---- inside the namespaces ----
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import http.server  # noqa: E402
import threading  # noqa: E402

from sytest import CONFIG, Switchyard, check, done, free_port  # noqa: E402


class Registry:
    """A minimal IS-04 Registration API v1.3 on 127.0.0.1 (in the namespace)."""

    def __init__(self):
        self.posts = []
        self.heartbeats = 0
        reg = self

        class H(http.server.BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get('Content-Length') or 0))
                code, out = 404, b'{}'
                if self.path == '/x-nmos/registration/v1.3/resource':
                    doc = json.loads(body)
                    reg.posts.append(doc)
                    code, out = 201, json.dumps(doc['data']).encode()
                elif self.path.startswith('/x-nmos/registration/v1.3/health/nodes/'):
                    reg.heartbeats += 1
                    code, out = 200, b'{"health":"1"}'
                self.send_response(code)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        self.port = free_port()
        self.srv = http.server.ThreadingHTTPServer(('127.0.0.1', self.port), H)
        threading.Thread(target=self.srv.serve_forever, daemon=True).start()

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

procs = []
tmp = tempfile.mkdtemp(prefix='sy-dnssd-')


def start(cmd, **kw):
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    procs.append(p)
    return p


def cleanup():
    for p in reversed(procs):
        if p.poll() is None:
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
    shutil.rmtree(tmp, ignore_errors=True)


subprocess.run(['ip', 'link', 'set', 'lo', 'up'], check=True)
subprocess.run(['ip', 'link', 'set', 'lo', 'multicast', 'on'], check=True)
# avahi keeps its pid file and socket in /run/avahi-daemon: a private one
os.makedirs('/run/avahi-daemon', exist_ok=True)
subprocess.run(['mount', '-t', 'tmpfs', 'tmpfs', '/run/avahi-daemon'], check=True)

bus_sock = os.path.join(tmp, 'system_bus_socket')
with open(os.path.join(tmp, 'dbus.conf'), 'w') as f:
    f.write('''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=%s</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
''' % bus_sock)
with open(os.path.join(tmp, 'avahi.conf'), 'w') as f:
    f.write('''[server]
host-name=sy-dnssd-test
domain-name=local
use-ipv4=yes
use-ipv6=no
allow-interfaces=lo
enable-dbus=yes
[wide-area]
enable-wide-area=no
[publish]
publish-addresses=yes
publish-hinfo=no
publish-workstation=no
publish-domain=no
publish-aaaa-on-ipv4=no
[reflector]
enable-reflector=no
''')
os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = 'unix:path=' + bus_sock

reg = None
sy = None
rc = None
try:
    start(['dbus-daemon', '--config-file', os.path.join(tmp, 'dbus.conf'), '--nofork',
           '--nopidfile'])
    check(wait(lambda: os.path.exists(bus_sock), 5), 'private system bus up')
    avahi = start(['avahi-daemon', '-f', os.path.join(tmp, 'avahi.conf'), '--no-drop-root',
                   '--no-chroot', '--no-rlimits', '--no-proc-title'])

    def avahi_up():
        r = subprocess.run(['avahi-browse', '-pt', '_sy-none._tcp'], capture_output=True,
                           text=True, timeout=5)
        if r.returncode != 0:
            print('# avahi-browse:', r.returncode, r.stderr.strip())
        return r.returncode == 0
    check(wait(avahi_up, 10), 'private avahi-daemon answers on the private bus')

    reg = Registry()
    pub = start(['avahi-publish-service', '--no-fail', 'Fake Registry', '_nmos-register._tcp',
                 str(reg.port), 'api_proto=http', 'api_ver=v1.2,v1.3', 'pri=10'])
    # an incompatible registry (v1.2 only) must be ignored
    start(['avahi-publish-service', 'Old Registry', '_nmos-registration._tcp', '1',
           'api_proto=http', 'api_ver=v1.2', 'pri=0'])

    cfg = json.load(open(CONFIG))
    cfg['registration'] = {'heartbeat_s': 1}  # no registries: DNS-SD only (dns_sd default true)
    cfg['node']['label'] = 'Switchyard DNS-SD test'
    cfgpath = os.path.join(tmp, 'cfg.json')
    with open(cfgpath, 'w') as f:
        json.dump(cfg, f)
    t0 = time.time()
    sy = Switchyard(config=cfgpath)

    check(wait(lambda: any(p['type'] == 'node' for p in reg.posts), 15),
          'node POSTed to the registry found by DNS-SD (%.1f s)' % (time.time() - t0))
    check(wait(lambda: any(p['type'] == 'receiver' for p in reg.posts), 5),
          'every resource down to the receivers POSTed (%d posts)' % len(reg.posts))
    h0 = reg.heartbeats
    check(wait(lambda: reg.heartbeats >= h0 + 2, 4), 'heartbeats every second (%d)'
          % (reg.heartbeats - h0))
    st, s, _, _ = sy.get('/x-switchyard/v1/status')
    check(s['registration']['state'] == 'registered' and
          s['registration']['registry'] == 'http://127.0.0.1:%d' % reg.port,
          'status: registered with %s' % s['registration'])

    # the node's own advertisement
    def node_txt():
        r = subprocess.run(['avahi-browse', '-prt', '_nmos-node._tcp'], capture_output=True,
                           text=True, timeout=10)
        for line in r.stdout.splitlines():
            f = line.split(';')
            if f[0] == '=' and len(f) >= 10:
                return f
        return None
    rec = None
    for _ in range(20):
        rec = node_txt()
        if rec:
            break
        time.sleep(0.25)
    check(rec is not None, '_nmos-node._tcp advertised')
    if rec:
        txt = set(t.strip('"') for t in rec[9].split('" "'))
        name = rec[3].replace('\\032', ' ')
        check(name == 'Switchyard DNS-SD test', 'instance name is the node label (%s)' % name)
        check(rec[8] == str(sy.port), 'advertised on the HTTP port (%s)' % rec[8])
        check({'api_proto=http', 'api_ver=v1.3', 'api_auth=false', 'pri=100'} <= txt,
              'TXT records %s' % sorted(txt))

    # a configured registry comes before a discovered one, whatever its pri
    conf = Registry()
    cfg2 = json.loads(json.dumps(cfg))
    cfg2['node']['seed'] = 'dnssd-second-node'
    cfg2['registration'] = {'heartbeat_s': 1, 'registries': [
        {'url': 'http://127.0.0.1:%d' % conf.port, 'priority': 50}]}
    cfg2path = os.path.join(tmp, 'cfg2.json')
    with open(cfg2path, 'w') as f:
        json.dump(cfg2, f)
    sy2 = Switchyard(config=cfg2path)
    try:
        st, self2, _, _ = sy2.get('/x-nmos/node/v1.3/self')
        check(wait(lambda: conf.heartbeats >= 1, 5), 'second node registered with its configured'
              ' registry (priority 50) and heartbeats')
        check(not any(p['data']['id'] == self2['id'] for p in reg.posts),
              'discovered registry (pri 10) not used while the configured one works')
        st, s2, _, _ = sy2.get('/x-switchyard/v1/status')
        check(s2['registration']['registry'] == 'http://127.0.0.1:%d' % conf.port,
              'second node status names the configured registry')
    finally:
        check(sy2.stop() == 0, 'second node clean exit')
        conf.stop()

    # the announcement goes: the registry is dropped, the node goes idle
    pub.terminate()
    pub.wait(5)

    def idle():
        st, s, _, _ = sy.get('/x-switchyard/v1/status')
        return s['registration']['state'] == 'idle' and s['registration']['registry'] is None
    check(wait(idle, 10), 'registry withdrawn -> registration idle')
    h1 = reg.heartbeats
    time.sleep(1.5)
    check(reg.heartbeats == h1, 'no heartbeat to a withdrawn registry')
finally:
    if sy:
        rc = sy.stop()
        print(sy.stderr.strip())
    if reg:
        reg.stop()
    cleanup()
    subprocess.run(['umount', '/run/avahi-daemon'])
check(rc == 0, 'clean exit with DNS-SD running')
done()
